// Implicit rule search: GNU's pattern_search (implicit.c) plus biomake's multi-wildcard rules.
//
// GNU: collect the pattern rules whose target matches (a slashless pattern matches the part of
// the name after its last slash, and the directory is put back in front of the stem and of every
// prerequisite with a `%`), shortest stem first, then rule order; drop non-terminal
// match-anything rules when a more specific rule matched; try every rule once accepting only
// prerequisites that exist, are mentioned in the makefiles, or are found by directory search,
// then once more allowing prerequisites that can themselves be made by a chain of implicit rules
// (intermediate files). GNU remembers a name that failed as an intermediate as "impossible"
// for the rest of the run, so whether a later search accepts it depends on which searches came
// before it. In tmake such a memory is a shortcut that must give the plain search's answer
// (see `failed`): it holds only failures that no context decided, and only until the file
// table gains a name. So every search is decided by the makefiles and the tree alone, and a
// shortcut that skips a search (pruning, prune.ts) changes nothing.
//
// Biomake: rules whose targets hold named wildcards are tried first, in biomake's order (rules
// with both goals, then with a target goal, then with a deps goal, then without; file order
// within each group), and for each rule every way the name splits, in the matcher's order. A
// split is accepted when its target goal holds and every prerequisite has a theoretical path
// (biomake README, "Detailed build logic").
//
// The shortcuts (prune.ts; the matcher's batches here) give the decisions of the plain search
// and can be turned off (shortcuts.ts). The trace (trace.ts) shows the search as it goes.
import type { Loc } from "../messages.js";
import type { Expander } from "../expand/expander.js";
import { VarScope } from "../expand/variables.js";
import type { RecipeLine, Rule } from "../read/database.js";
import type { Candidate, PatternSet } from "../native/types.js";
import { runGoal, type GoalEvaluator } from "./goals.js";
import { Bindings } from "./bindings.js";
import { hasWildcard } from "../expand/functions/glob.js";
import type { DepWord, PatternRule, RuleSet } from "./ruleset.js";
import { Pruner, viableFor, type PruneContext, type Viability, type ViableHit } from "./prune.js";
import { shortcuts } from "./shortcuts.js";
import type { SearchTrace } from "./trace.js";
import { PLAIN_NAME, scanRefs } from "../base/wildcard-refs.js";

export interface FoundDep {
  name: string;
  orderOnly: boolean;
  /** Set when the prerequisite does not exist and is made through a chain of implicit rules. */
  chain?: Found;
  /** The prerequisite pattern it came from (for a `.PRECIOUS: %.c` test on intermediates). */
  pattern?: string;
  /** From .EXTRA_PREREQS: left out of the automatic variables. */
  noAuto?: boolean;
}

export interface Found {
  kind: "pattern" | "biomake";
  /** The rule's recipe lines and where they start: one object per rule, shared by its matches. */
  recipe: { lines: RecipeLine[]; loc: Loc };
  hasRecipe: boolean;
  /** $* for the recipe (directory included, as GNU does). */
  stem: string;
  /** The target pattern that matched (pattern-specific variables, .PRECIOUS patterns). */
  targetPattern: string;
  deps: FoundDep[];
  /** The rule's other targets with the same stem (made by the same recipe run). */
  alsoMake: string[];
  terminal: boolean;
  /** Biomake: the wildcard bindings. */
  bindings?: Bindings;
  /** Biomake: a deps goal to test after building the deps. */
  depsGoal?: { goal: string; loc: Loc };
  /** Identifies the rule and split, so a failed deps goal can exclude it and search again. */
  key: string;
  /** The rule (a PatternRule, or a biomake Rule), for the trace. */
  rule: PatternRule | Rule;
}

export interface BiomakeRule {
  rule: Rule;
  /** Position in biomake's trial order. */
  order: number;
  /** Set on first use: Found.key for matches of this rule (a rule without a deps goal). */
  key?: string;
  /** Set on first use: the prerequisite text (biomake's raw text, or GNU's lists joined). */
  raw?: string;
  /** Set on first use: the prerequisite text as a template (null: it needs the expander). */
  template?: Template | null;
  /** Set on first match: the recipe as one object shared by the rule's matches. */
  recipeRef?: { lines: RecipeLine[]; loc: Loc };
}

/** What the search needs to know about the rest of the build. */
export interface SearchContext extends PruneContext {
  /** The name is mentioned in the makefiles (or entered by the build): GNU's lookup_file. */
  mentioned(name: string): boolean;
  exists(name: string): boolean;
  vpath(name: string): string | undefined;
  /** For the theoretical path: explicit knowledge of a name, if any. */
  explicit(name: string): { prereqs: string[]; hasRecipe: boolean; phony: boolean } | undefined;
  expander: Expander;
  globals: VarScope;
  goals: GoalEvaluator;
  /** The variables a second expansion of a pattern rule's prerequisites sees for the file
   * `name` with stem `stem` (GNU's set_file_variables): the file's own and automatic ones for
   * the file being searched (`top`), only pattern-specific ones for an intermediate file. */
  secondExpansionScope(name: string, stem: string, top: boolean): VarScope;
  /** GNU globs prerequisite names: the names a word with wildcards matches (sorted), or the
   * word itself when nothing matches. */
  glob(word: string): string[];
  /** --debug=i / --debug=why: where the search says what it tries (absent: it says nothing). */
  trace?: SearchTrace;
  /** For the trace: the depth of the file `name` in the update, as GNU counts it. */
  depthOf?(name: string): number;
}

const NO_BINDINGS = new Bindings([], []);

/** Names matched against the biomake patterns per call of the matcher. */
const MATCH_BATCH = 4096;
/** How far past the expected name the batch is searched for the name asked (see inBatch). */
const BATCH_LOOKAHEAD = 4;
const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

const wordsOf = (s: string): string[] => s.split(/\s+/).filter((w) => w !== "");

/** Replaces the first % of each word that has one (GNU's patsubst of a stem). */
function substituteStem(word: string, stem: string): string {
  const i = word.indexOf("%");
  return i < 0 ? word : word.slice(0, i) + stem + word.slice(i + 1);
}

/** The next word of prerequisite text for a second expansion, as GNU's get_next_word splits
 * it: blanks end a word, except inside a `$(...)` or `${...}` reference, and a `|` ends the
 * word it is in (a `|` alone is a word). Undefined at the end of the text. */
function nextSecondExpansionWord(text: string, from: number): { start: number; end: number } | undefined {
  let i = from;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  if (i >= text.length) return undefined;
  const start = i;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t") break;
    if (c === "|") {
      i++;
      break;
    }
    if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) {
      const open = text[i + 1]!;
      const close = open === "(" ? ")" : "}";
      let depth = 0;
      for (i += 2; i < text.length; i++) {
        if (text[i] === open) depth++;
        else if (text[i] === close && --depth < 0) break;
      }
      i++;
      continue;
    }
    i += c === "$" ? 2 : 1;
  }
  return { start, end: Math.min(i, text.length) };
}

/** The name a pattern search is for, and what every rule tried for it shares. */
interface SearchState {
  name: string;
  /** The name's directory part ("" or "dir/"), and its length. */
  nameDir: string;
  pathLen: number;
  recursions: number;
  explicitDeps: ReadonlySet<string> | undefined;
  stack: string[];
  /** Keys of matches whose deps goal failed. */
  exclude: ReadonlySet<string> | undefined;
  /** GNU's depth, for the trace. */
  depth: number;
  /** Rules a failed intermediate ruled out in the first pass: not tried in the second (GNU). */
  rejected?: Set<unknown>;
}

const NO_TRIES: TryRule[] = [];

interface TryRule {
  rule: PatternRule;
  target: number;
  stemLen: number;
  lastslash: boolean;
  /** A match-anything rule's viability in the name's directory (see Pruner.matchAnything). */
  viability?: Viability;
  /** The match-anything target it was made for (it stands for the try in SearchState.rejected). */
  hit?: ViableHit;
}

export class ImplicitSearch {
  private readonly inUse = new Set<PatternRule>();
  private readonly biomakeByPattern: { bm: BiomakeRule; target: number }[] = [];
  /** Names expected to need a match soon (prefetch), matched in batches in this order from
   * `pendingHead` on. */
  private pending: string[] = [];
  private pendingHead = 0;
  /** The batch matched last: its names, their answers, and the one the build should ask for
   * next (it asks in queue order, so most answers are found here without a lookup). */
  private batchNames: readonly string[] = NO_NAMES;
  private batchAnswers: (Candidate[] | undefined)[] = [];
  private batchNext = 0;
  /** Answers of a batch the build had not asked for when the next batch was taken. */
  private readonly spilled = new Map<string, Candidate[]>();
  private patternSet?: PatternSet;
  /** The wildcard names of each compiled pattern. */
  private wildcards: string[][] = [];
  private readonly pruner: Pruner;
  private readonly trace: SearchTrace | undefined;
  /** Intermediates whose search failed (GNU's impossible files), when that memory is sure to
   * give the plain search's answer (`memo`): without multi-wildcard rules or goals, a failure
   * that no rule in use above it and no globbed name had a hand in (see `cuts`) is a failure
   * in any context (leaving more rules out cannot make a search succeed), as long as the file
   * table gains no name (noteMentioned forgets them all; files the build makes are in the
   * table). Then searching again would fail again. */
  private readonly failed = new Set<string>();
  private readonly memo: boolean;
  /** Counts the steps whose outcome depended on the context of a search: a rule left out
   * because a search above is trying it, a name globbed. */
  private cuts = 0;
  /** The names are matched in batches (the "match" shortcut). */
  private readonly batches: boolean;

  constructor(
    private readonly rules: RuleSet,
    biomakeRules: BiomakeRule[],
    compile: (patterns: string[]) => PatternSet,
    private readonly ctx: SearchContext,
  ) {
    const sorted = [...biomakeRules].sort((a, b) => groupOf(a.rule) - groupOf(b.rule) || a.order - b.order);
    const patterns: string[] = [];
    for (const bm of sorted)
      bm.rule.targetList().forEach((t, target) => {
        patterns.push(t);
        this.biomakeByPattern.push({ bm, target });
      });
    if (patterns.length > 0) {
      const set = (this.patternSet = compile(patterns));
      this.wildcards = patterns.map((_, i) => set.info(i).wildcards);
    }
    this.hasFallbacks = biomakeRules.some((bm) => bm.rule.fallback);
    this.trace = ctx.trace;
    const on = shortcuts();
    this.batches = on.match;
    // Goals may ask anything of the world (a file's size), so with one no failure is remembered.
    this.memo = on.memo && this.patternSet === undefined && !rules.rules.some((r) => r.targetGoal !== undefined);
    // A trace shows every rule tried, as GNU's does: nothing is pruned under it.
    this.pruner = new Pruner(rules, patterns, ctx, on.prune && this.trace === undefined);
  }

  /** Some biomake rule is a fallback (see search). */
  private readonly hasFallbacks: boolean;

  get hasBiomakeRules(): boolean {
    return this.patternSet !== undefined;
  }

  /** The file `name` gets the .DEFAULT recipe (GNU says so in its implicit-rule trace). */
  noteDefaultRecipe(name: string): void {
    const tr = this.trace;
    if (tr?.gnu) tr.line(this.ctx.depthOf?.(name) ?? 0, `Using default recipe for '${name}'.`);
    if (tr?.why) tr.line(this.ctx.depthOf?.(name) ?? 0, `'${name}' gets the .DEFAULT recipe.`);
  }

  /** A name was entered in the file table (see Pruner.noteMentioned). */
  noteMentioned(name: string, dirLength: number): void {
    if (this.failed.size > 0) this.failed.clear();
    this.pruner.noteMentioned(name, dirLength);
  }

  /** Names that will probably need a wildcard match soon, in the order the build will likely
   * ask for them (new file-table entries, each given once); they are matched in batches. */
  prefetch(names: readonly string[]): void {
    if (!this.patternSet || !this.batches) return;
    for (const n of names) this.pending.push(n);
  }

  private candidatesFor(name: string): Candidate[] {
    if (!this.patternSet) return [];
    let at = this.inBatch(name);
    if (at >= 0) return this.takeAnswer(at);
    const spilled = this.spilled.get(name);
    if (spilled !== undefined) {
      this.spilled.delete(name);
      return spilled;
    }
    // A batch is taken when the last one is used up, or when the build asks for the next
    // queued name early: a batch amortises the call into the matcher, a bounded one keeps the
    // answers held at once (and their memory) small.
    const queued = this.pendingHead < this.pending.length;
    if (queued && (this.batchNext >= this.batchNames.length || this.pending[this.pendingHead] === name)) {
      this.takeBatch();
      at = this.inBatch(name);
      if (at >= 0) return this.takeAnswer(at);
    }
    // Not queued (a chain's intermediate nobody predicted), or asked out of queue order: matched
    // alone. A queued name is matched again when its batch comes.
    return this.patternSet.matchBatch([name])[0] ?? [];
  }

  /** Matches the next MATCH_BATCH queued names; answers of the last batch not asked for yet
   * are kept aside. */
  private takeBatch(): void {
    for (let i = this.batchNext; i < this.batchNames.length; i++) {
      const a = this.batchAnswers[i];
      if (a !== undefined) this.spilled.set(this.batchNames[i]!, a);
    }
    const end = Math.min(this.pending.length, this.pendingHead + MATCH_BATCH);
    const batch = this.pending.slice(this.pendingHead, end);
    this.pendingHead = end;
    if (end === this.pending.length) {
      this.pending = [];
      this.pendingHead = 0;
    }
    this.batchNames = batch;
    this.batchAnswers = this.patternSet!.matchBatch(batch);
    this.batchNext = 0;
  }

  /** Where `name` is in the batch, at the place the build is expected to ask next or a few
   * names after it (names queued but never asked, such as a goal with its own recipe, are
   * stepped over and let go); -1 when it is not there. */
  private inBatch(name: string): number {
    const end = Math.min(this.batchNames.length, this.batchNext + BATCH_LOOKAHEAD);
    for (let i = this.batchNext; i < end; i++)
      if (this.batchNames[i] === name) {
        for (let j = this.batchNext; j < i; j++) this.batchAnswers[j] = undefined;
        this.batchNext = i + 1;
        return i;
      }
    return -1;
  }

  /** The batch's answer at `i`, let go: the build asks once per file (asked again, a name is
   * matched again), and a large build should not hold every answer at once. */
  private takeAnswer(i: number): Candidate[] {
    const a = this.batchAnswers[i] ?? [];
    this.batchAnswers[i] = undefined;
    return a;
  }

  /** Finds how to make `name` by an implicit rule, or undefined. `explicitDeps` are the names the
   * file already depends on (they need no further test); `exclude` holds keys of matches whose
   * deps goal failed. */
  find(name: string, explicitDeps?: ReadonlySet<string>, exclude?: ReadonlySet<string>): Found | undefined {
    const tr = this.trace;
    if (tr === undefined || !(tr.gnu || tr.why)) return this.search(name, 0, explicitDeps, exclude, [], 0);
    const depth = this.ctx.depthOf?.(name) ?? 0;
    if (tr.gnu) tr.line(depth, `Looking for an implicit rule for '${name}'.`);
    if (tr.why) tr.line(depth, `Searching a rule for '${name}'.`);
    const found = this.search(name, 0, explicitDeps, exclude, [], depth);
    if (tr.gnu) tr.line(depth, found ? `Found an implicit rule for '${name}'.` : `No implicit rule found for '${name}'.`);
    if (tr.why) tr.line(depth, found ? `Rule for '${name}': ${describeFound(found)}.` : `No rule for '${name}'.`);
    return found;
  }

  private search(
    name: string,
    recursions: number,
    explicitDeps: ReadonlySet<string> | undefined,
    exclude: ReadonlySet<string> | undefined,
    stack: string[],
    depth: number,
  ): Found | undefined {
    // Biomake's rules first, then GNU's; a fallback rule (a wildcard nothing but the rule's
    // own line names, read/wildcards.ts rule 2b) only where GNU's reading has no rule, so it
    // never changes a decision GNU's reading makes.
    return (
      this.searchBiomake(name, exclude, stack, depth, false) ??
      this.searchPatterns(name, recursions, explicitDeps, stack, exclude, depth) ??
      (this.hasFallbacks ? this.searchBiomake(name, exclude, stack, depth, true) : undefined)
    );
  }

  // ---- GNU pattern rules -------------------------------------------------------------------

  private searchPatterns(
    name: string,
    recursions: number,
    explicitDeps: ReadonlySet<string> | undefined,
    stack: string[],
    exclude: ReadonlySet<string> | undefined,
    depth: number,
  ): Found | undefined {
    const slashAt = name.lastIndexOf("/");
    const pathLen = slashAt + 1;
    const nameDir = pathLen > 0 ? name.slice(0, pathLen) : "";
    let tries: TryRule[] | undefined;
    let specific = false;
    for (const hit of this.rules.candidates(name)) {
      const rule = hit.rule;
      if (this.inUse.has(rule)) {
        this.cuts++;
        continue;
      }
      const p = rule.parts[hit.target]!;
      const lastslash = !p.slash && slashAt >= 0;
      specific = true;
      if (rule.prereqs.length === 0 && rule.orderOnly.length === 0 && rule.secondExpansion === undefined && !rule.hasRecipe) continue;
      // Tried first and pruned only before the chain search: trying a rule costs a look at its
      // prerequisites, which the build needs anyway when it matches, while pruning it may cost
      // reading a whole directory.
      const subjectLen = lastslash ? name.length - pathLen : name.length;
      const stemLen = subjectLen - p.prefix.length - p.suffix.length + (lastslash ? pathLen : 0);
      (tries ??= []).push({ rule, target: hit.target, stemLen, lastslash });
    }
    // GNU's order: shortest stem first, then rule order, then target order.
    if (tries !== undefined && tries.length > 1) tries.sort((a, b) => a.stemLen - b.stemLen || a.rule.order - b.rule.order || a.target - b.target);
    const usable = tries === undefined ? NO_TRIES : specific ? tries.filter((t) => t.rule.terminal || !t.rule.anyMatchAny) : tries;
    // Match-anything rules apply to every name with a file part. Their stem is the whole name,
    // the longest there is, so in each pass they come after the other rules; the ones that can
    // apply in this directory are worked out once per directory, and only when reached.
    const anyOk = pathLen < name.length;
    let anyHits: ViableHit[] | undefined;
    if (recursions === 0) this.pruner.noteSearch(nameDir);
    const st: SearchState = { name, nameDir, pathLen, recursions, explicitDeps, stack, exclude, depth };
    // GNU names each rule a search above this one is trying, before anything else.
    if (this.trace?.gnu) for (let i = 0; i < this.inUse.size; i++) this.trace.line(depth, "Avoiding implicit rule recursion.");

    for (let pass = 0; pass < 2; pass++) {
      const intermedOk = pass === 1;
      for (const t of usable) {
        if (intermedOk && (t.rule.terminal || st.rejected?.has(t))) continue;
        const found = this.tryRule(st, t, intermedOk);
        if (found) return found;
      }
      if (!anyOk) continue;
      anyHits ??= this.pruner.matchAnything(nameDir);
      for (const hit of anyHits) {
        const rule = hit.rule;
        // Non-terminal ones never serve a chain, and a specific match rules them out (GNU).
        if (!rule.terminal && (recursions > 0 || specific)) continue;
        if (intermedOk && (rule.terminal || st.rejected?.has(hit))) continue;
        if (this.inUse.has(rule)) {
          this.cuts++;
          continue;
        }
        const found = this.tryRule(st, { rule, target: hit.target, stemLen: name.length, lastslash: pathLen > 0, viability: hit.viability, hit }, intermedOk);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Tries one pattern rule for the name (GNU's pattern_search, one rule of one pass). */
  private tryRule(st: SearchState, t: TryRule, intermedOk: boolean): Found | undefined {
    const { name, nameDir, pathLen, recursions, explicitDeps, stack, depth } = st;
    const rule = t.rule;
    const p = rule.parts[t.target]!;
    const dir = t.lastslash ? nameDir : "";
    const subjectStart = t.lastslash ? pathLen : 0;
    const bareStem = name.slice(subjectStart + p.prefix.length, name.length - p.suffix.length);
    // Pruned (prune.ts): the plain search's trial would fail. A specific rule is pruned only
    // before the chain search; a match-anything one comes with its viability.
    if (t.viability !== undefined) {
      if (!viableFor(t.viability, bareStem)) return undefined;
    } else if (intermedOk && this.pruner.active(dir) && !viableFor(this.pruner.ruleViable(rule, dir), bareStem)) return undefined;
    const tr = this.trace;
    const why =
      tr?.why === true
        ? (text: string): void => tr.line(depth + 1, `${describeRule(rule)}, stem '${bareStem}'${intermedOk ? " (intermediates allowed)" : ""}: ${text}.`)
        : undefined;
    if (st.exclude?.has(rule.key)) {
      why?.("left out, its deps goal failed for this file");
      return undefined;
    }
    if (tr?.gnu) tr.line(depth, `Trying pattern rule with stem '${bareStem}'.`);
    const stem = dir + bareStem;
    // Biomake goals on a GNU pattern rule: the target goal decides whether the rule applies,
    // and the variables it binds (with the deps goal's, later) are the recipe's.
    let bindings: Bindings | undefined;
    if (rule.targetGoal !== undefined || rule.depsGoal !== undefined) {
      bindings = NO_BINDINGS;
      if (rule.targetGoal !== undefined) {
        const out = runGoal(this.ctx.goals, rule.targetGoal, { kind: "target", target: name, bindings: new Map(), loc: rule.loc });
        if (!out.ok) {
          why?.(`the target goal {${rule.targetGoal}} failed`);
          return undefined;
        }
        bindings = bindings.with(out.bindings);
      }
    }
    let depPatterns = rule.secondExpansion !== undefined ? this.expandDepPatterns(rule, name, stem, dir, recursions === 0) : rule.depWords;
    const deps: FoundDep[] = [];
    if (depPatterns.length > 0) {
      this.inUse.add(rule);
      try {
        for (let k = 0; k < depPatterns.length; k++) {
          const dp = depPatterns[k]!;
          const d = dp.percent ? dir + substituteStem(dp.word, bareStem) : dp.word;
          // GNU globs the name (a word that matches nothing stays as it is).
          if (dp.glob !== false && hasWildcard(d)) {
            this.cuts++;
            const names = this.ctx.glob(d);
            if (names.length !== 1 || names[0] !== d) {
              if (depPatterns === rule.depWords) depPatterns = [...depPatterns];
              depPatterns.splice(k, 1, ...names.map((word) => ({ word, orderOnly: dp.orderOnly, percent: false, glob: false })));
              k--;
              continue;
            }
          }
          const dep: FoundDep = { name: d, orderOnly: dp.orderOnly, pattern: dp.percent ? dp.word : undefined };
          if (dp.noAuto) dep.noAuto = true;
          if (this.failed.has(d)) {
            if (tr?.gnu)
              tr.line(depth, `Rejecting impossible ${rule.prereqs.includes(d) || rule.orderOnly.includes(d) ? "rule" : "implicit"} prerequisite '${d}'.`);
            why?.(`prerequisite '${d}' failed as an intermediate already`);
            (st.rejected ??= new Set()).add(t.hit ?? t);
            return undefined;
          }
          if (tr?.gnu) {
            // GNU: a "rule prerequisite" is one the rule names as it is (no stem put in).
            const asWritten = rule.prereqs.includes(d) || rule.orderOnly.includes(d);
            tr.line(depth, `Trying ${asWritten ? "rule" : "implicit"} prerequisite '${d}'.`);
          }
          if (explicitDeps?.has(d) || this.ctx.mentioned(d) || this.ctx.exists(d)) {
            deps.push(dep);
            continue;
          }
          const found = this.ctx.vpath(d);
          if (found !== undefined) {
            if (tr?.gnu) tr.line(depth, `Found prerequisite '${d}' as VPATH '${found}'`);
            deps.push(dep);
            continue;
          }
          if (!intermedOk) {
            why?.(`prerequisite '${d}' does not exist and is not mentioned`);
            return undefined;
          }
          if (tr?.gnu) tr.line(depth, `Looking for a rule with intermediate file '${d}'.`);
          if (tr?.why) tr.line(depth + 1, `Searching a rule for intermediate '${d}'.`);
          const cuts = this.cuts;
          const chain = this.search(d, recursions + 1, undefined, undefined, [...stack, name], depth + 1);
          if (!chain) {
            if (this.memo && cuts === this.cuts) this.failed.add(d);
            why?.(`prerequisite '${d}' does not exist, is not mentioned and cannot be made`);
            return undefined;
          }
          dep.chain = chain;
          deps.push(dep);
        }
      } finally {
        this.inUse.delete(rule);
      }
    }
    why?.("applies");
    return {
      kind: "pattern",
      recipe: rule.recipeRef,
      hasRecipe: rule.hasRecipe,
      stem,
      targetPattern: rule.targets[t.target]!,
      deps,
      alsoMake: rule.targets.length === 1 ? NO_NAMES : rule.targets.filter((_, i) => i !== t.target).map((tp) => dir + substituteStem(tp, bareStem)),
      terminal: rule.terminal,
      bindings,
      depsGoal: rule.depsGoal !== undefined ? { goal: rule.depsGoal, loc: rule.loc } : undefined,
      key: rule.key,
      rule,
    };
  }

  /** The prerequisites of a rule read under .SECONDEXPANSION for the name `target` (GNU's
   * pattern_search): word by word (a reference with blanks in it is one word), the first `%`
   * of a word becomes `$*` (so the stem is never expanded itself), or `$(*F)` when the pattern
   * matched only the file part of the name, and then every name the word expands to gets the
   * name's directory `dir`. A `|` in the results starts the order-only prerequisites. The
   * list is fresh: the caller may splice globbed names into it. */
  private expandDepPatterns(rule: PatternRule, target: string, stem: string, dir: string, top: boolean): DepWord[] {
    const text = rule.secondExpansion!;
    const out: DepWord[] = [];
    let scope: VarScope | undefined;
    let orderOnly = false;
    for (let i = 0; ;) {
      const w = nextSecondExpansionWord(text, i);
      if (w === undefined) break;
      i = w.end;
      let word = text.slice(w.start, w.end);
      if (!orderOnly && word === "|") {
        orderOnly = true;
        continue;
      }
      let addDir = false;
      const pct = word.indexOf("%");
      if (pct >= 0) {
        addDir = dir !== "";
        word = word.slice(0, pct) + (addDir ? "$(*F)" : "$*") + word.slice(pct + 1);
      }
      scope ??= this.ctx.secondExpansionScope(target, stem, top);
      // GNU expands without a makefile location (its messages name no file).
      const expanded = this.ctx.expander.expand(word, scope);
      for (const piece of wordsOf(expanded)) {
        let rest = piece;
        // Until the order-only ones start, a `|` ends a name and starts them.
        for (let bar = orderOnly ? -1 : rest.indexOf("|"); bar >= 0; bar = orderOnly ? -1 : rest.indexOf("|")) {
          if (bar > 0) out.push({ word: addDir ? dir + rest.slice(0, bar) : rest.slice(0, bar), orderOnly, percent: false });
          orderOnly = true;
          rest = rest.slice(bar + 1);
        }
        if (rest !== "") out.push({ word: addDir ? dir + rest : rest, orderOnly, percent: false, glob: !orderOnly });
      }
    }
    return this.rules.extras.length === 0 ? out : out.concat(this.rules.extras);
  }

  // ---- biomake multi-wildcard rules -------------------------------------------------------

  /** Biomake's rule selection: the first rule and split (in biomake's order) whose target goal
   * holds and whose prerequisites all have a theoretical path. `fallbacks`: whether this pass
   * tries the fallback rules (Rule.fallback) or the others. */
  private searchBiomake(name: string, exclude: ReadonlySet<string> | undefined, stack: string[], depth: number, fallbacks: boolean): Found | undefined {
    if (!this.patternSet) return undefined;
    const tr = this.trace?.why === true ? this.trace : undefined;
    for (const cand of this.candidatesFor(name)) {
      const { bm, target } = this.biomakeByPattern[cand.pattern]!;
      const rule = bm.rule;
      if (rule.fallback !== fallbacks) continue;
      const why =
        tr === undefined
          ? undefined
          : (text: string): void =>
              tr.line(depth + 1, `${describeSplit(rule, rule.names[rule.start + target]!, this.wildcards[cand.pattern]!, cand.bindings)}: ${text}.`);
      // The key names the split, for a failed deps goal to exclude it; only such rules need it.
      const key =
        exclude !== undefined || rule.depsGoal !== undefined ? `b${bm.order}:${cand.pattern}:${cand.bindings.join("\u0000")}` : (bm.key ??= `b${bm.order}`);
      if (exclude?.has(key)) {
        why?.(`left out, its deps goal {${rule.depsGoal ?? ""}} failed for this file`);
        continue;
      }
      let bindings = new Bindings(this.wildcards[cand.pattern]!, cand.bindings);
      if (rule.targetGoal !== undefined) {
        // The variables the goal binds become the rule's, for its prerequisites, deps goal and
        // recipe (biomake).
        const out = runGoal(this.ctx.goals, rule.targetGoal, { kind: "target", target: name, bindings: bindings.toMap(), loc: rule.loc });
        if (!out.ok) {
          why?.(`the target goal {${rule.targetGoal}} failed`);
          continue;
        }
        bindings = bindings.with(out.bindings);
        why?.(
          `the target goal {${rule.targetGoal}} holds${out.bindings.size > 0 ? `, binding ${[...out.bindings].map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}`,
        );
      }
      const deps = this.bindPrereqs(bm, name, bindings);
      let missing: string | undefined;
      for (const d of deps)
        if (!this.theoreticalPath(d.name, stack, name, depth + 2)) {
          missing = d.name;
          break;
        }
      if (missing !== undefined) {
        why?.(`prerequisite '${missing}' has no theoretical path`);
        continue;
      }
      why?.("applies");
      return {
        kind: "biomake",
        recipe: (bm.recipeRef ??= { lines: rule.recipeLines(), loc: rule.recipeLoc }),
        hasRecipe: rule.hasRecipe,
        stem: bindings.get("%") ?? "",
        targetPattern: rule.names[rule.start + target]!,
        deps,
        alsoMake: NO_NAMES,
        terminal: false,
        bindings,
        depsGoal: rule.depsGoal !== undefined ? { goal: rule.depsGoal, loc: rule.loc } : undefined,
        key,
        rule,
      };
    }
    return undefined;
  }

  /** A scope that holds a biomake match's bindings as variables. */
  bindingScope(parent: VarScope, bindings: Bindings, target: string): VarScope {
    const scope = new VarScope(parent);
    for (let i = 0; i < bindings.names.length; i++) {
      const k = bindings.names[i]!;
      scope.set({ name: k === "%" ? "*" : k, value: bindings.values[i]!, flavor: "simple", origin: "automatic" });
    }
    scope.set({ name: "@", value: target, flavor: "simple", origin: "automatic" });
    return scope;
  }

  private bindPrereqs(bm: BiomakeRule, target: string, bindings: Bindings): FoundDep[] {
    const rule = bm.rule;
    const raw = (bm.raw ??= rule.rawPrereqs ?? joinPrereqs(rule));
    const stem = bindings.get("%");
    if (bm.template === undefined) bm.template = compileTemplate(raw);
    // The usual case (this runs once per match, 90k times in a big pairs tree): the words
    // filled in one by one, with no text to build and cut up again.
    const filled = bm.template !== null ? fillDeps(bm.template, bindings) : undefined;
    if (filled !== undefined && (stem === undefined || !filled.some((d) => d.name.includes("%")))) return filled;
    let text = bm.template !== null ? fillText(bm.template, bindings) : undefined;
    if (text === undefined) text = this.ctx.expander.expand(raw, this.bindingScope(this.ctx.globals, bindings, target), rule.loc);
    // A second pass, as biomake does, so that variables expanding to `%` get the stem.
    if (stem !== undefined && text.includes("%"))
      text = wordsOf(text)
        .map((w) => substituteStem(w, stem))
        .join(" ");
    const deps: FoundDep[] = [];
    let orderOnly = false;
    const n = text.length;
    for (let i = 0; i < n;) {
      while (i < n && isBlankCode(text.charCodeAt(i))) i++;
      if (i === n) break;
      const start = i;
      while (i < n && !isBlankCode(text.charCodeAt(i))) i++;
      const w = text.slice(start, i);
      if (w === "|") orderOnly = true;
      else deps.push({ name: w, orderOnly });
    }
    return deps;
  }

  /** Biomake's theoretical path to a prerequisite: it exists and no rule names it explicitly, or
   * some rule could make it and there is a theoretical path to all of that rule's prerequisites.
   * `stack` and `parent` (when given) are the names whose paths are being worked out: a name
   * among them has none (a cycle). Nothing is remembered from one question to the next: the
   * answer may depend on the stack, and on the build's progress. */
  private theoreticalPath(name: string, stack: string[], parent: string | undefined, depth: number): boolean {
    if (name === parent || stack.includes(name)) {
      this.whyPath(depth, name, "no, it depends on itself");
      return false;
    }
    const ex = this.ctx.explicit(name);
    // The usual case first, with no search stack built: a file that is there.
    if (ex === undefined && (this.ctx.exists(name) || this.ctx.vpath(name) !== undefined)) {
      this.whyPath(depth, name, "yes, it exists");
      return true;
    }
    const inner = parent === undefined ? [...stack, name] : [...stack, parent, name];
    const outer = parent === undefined ? stack : [...stack, parent];
    if (ex) {
      const none = ex.prereqs.find((d) => !this.theoreticalPath(d, inner, undefined, depth + 1));
      if (none !== undefined) {
        this.whyPath(depth, name, `no, its prerequisite '${none}' has none`);
        return false;
      }
      if (ex.hasRecipe || ex.phony || this.ctx.exists(name)) {
        this.whyPath(depth, name, `yes, it is ${ex.hasRecipe ? "a target with a recipe" : ex.phony ? "phony" : "a target that exists"}`);
        return true;
      }
      if (this.trace?.why) this.trace.line(depth + 1, `Searching a rule for '${name}', for its theoretical path.`);
      const f = this.search(name, 0, new Set(ex.prereqs), undefined, outer, depth + 1);
      const ok = f === undefined || f.kind === "biomake" || f.deps.every((d) => this.theoreticalPath(d.name, inner, undefined, depth + 1));
      this.whyPath(depth, name, ok ? "yes, it is a target" : "no, a prerequisite of its rule has none");
      return ok;
    }
    if (this.trace?.why) this.trace.line(depth + 1, `Searching a rule for '${name}', for its theoretical path.`);
    const f = this.search(name, 0, undefined, undefined, outer, depth + 1);
    const ok =
      f !== undefined && (f.kind === "biomake" || f.deps.every((d) => d.chain !== undefined || this.theoreticalPath(d.name, inner, undefined, depth + 1)));
    this.whyPath(
      depth,
      name,
      ok ? `yes, by ${describeFound(f!)}` : f === undefined ? "no, it does not exist and no rule makes it" : "no, a prerequisite of its rule has none",
    );
    return ok;
  }

  /** --debug=why: the answer about a theoretical path. */
  private whyPath(depth: number, name: string, answer: string): void {
    if (this.trace?.why) this.trace.line(depth, `Theoretical path to '${name}': ${answer}.`);
  }
}

/** --debug=why: a pattern rule, as where it was read and its text. */
function describeRule(rule: PatternRule): string {
  const where = rule.loc.line > 0 ? `${rule.loc.file}:${rule.loc.line}` : rule.loc.file;
  const prereqs = [...rule.prereqs, ...(rule.orderOnly.length > 0 ? ["|", ...rule.orderOnly] : [])].join(" ");
  return `pattern rule ${where} '${rule.targets.join(" ")}${rule.terminal ? "::" : ":"}${prereqs === "" ? "" : ` ${prereqs}`}'`;
}

/** --debug=why: one split of a name by a multi-wildcard rule's target. */
function describeSplit(rule: Rule, target: string, names: readonly string[], values: readonly string[]): string {
  const bound = names.map((n, i) => `${n}=${values[i]}`).join(" ");
  return `multi-wildcard rule ${rule.loc.file}:${rule.loc.line} '${target}' with ${bound}`;
}

/** --debug=why: the rule a search chose. */
function describeFound(f: Found): string {
  if (f.kind === "pattern") return `${describeRule(f.rule as PatternRule)}, stem '${f.stem}'`;
  const b = f.bindings!;
  return describeSplit(f.rule as Rule, f.targetPattern, b.names, b.values);
}

/** A rule's prerequisites as one text, order-only ones after a `|`. */
function joinPrereqs(rule: Rule): string {
  const orderOnly = rule.orderOnlyList();
  return [...rule.prereqList(), ...(orderOnly.length ? ["|", ...orderOnly] : [])].join(" ");
}

/** Space, tab, newline, and the other ASCII white space (\v \f \r). */
function isBlankCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Biomake's trial order: rules with a target goal come first (those that also have a deps goal
 * before those that do not), then rules with only a deps goal, then plain rules. */
function groupOf(r: Rule): number {
  if (r.targetGoal !== undefined) return r.depsGoal !== undefined ? 0 : 1;
  return r.depsGoal !== undefined ? 2 : 3;
}

/** Prerequisite text whose only references are to wildcards (`$X`, `$(NAME)`, `${NAME}`) and
 * `$$`, as its words (such a reference never holds a blank); a word is literal pieces with the
 * wildcard names between them, and null stands for a `|` (the order-only prerequisites follow).
 * Expanding such text with the bindings in scope is filling in the names, so the expander is
 * not needed for every match. */
type Template = (WordTemplate | null)[];

interface WordTemplate {
  literals: string[];
  names: string[];
}

function compileTemplate(raw: string): Template | null {
  const words: Template = [];
  for (const w of wordsOf(raw)) {
    if (w === "|") {
      words.push(null);
      continue;
    }
    const t = compileWord(w);
    if (t === null) return null;
    words.push(t);
  }
  return words;
}

function compileWord(raw: string): WordTemplate | null {
  const literals: string[] = [];
  const names: string[] = [];
  let lit = "";
  // Only plain names: anything else (functions, nested references, substitutions, automatic
  // variables) goes through the expander.
  let plain = true;
  const problem = scanRefs(raw, {
    text: (t) => void (lit += t),
    ref: (name) => {
      if (!PLAIN_NAME.test(name)) plain = false;
      literals.push(lit);
      names.push(name);
      lit = "";
    },
  });
  if (problem !== undefined || !plain) return null;
  literals.push(lit);
  return { literals, names };
}

/** The word with the bindings filled in, or undefined when it names a variable that is not a
 * wildcard of this match (the expander must look it up). */
function fillWord(t: WordTemplate, bindings: Bindings): string | undefined {
  let out = t.literals[0]!;
  for (let i = 0; i < t.names.length; i++) {
    const v = bindings.get(t.names[i]!);
    if (v === undefined) return undefined;
    out += v + t.literals[i + 1]!;
  }
  return out;
}

/** The template's text with the bindings filled in (see fillWord). */
function fillText(t: Template, bindings: Bindings): string | undefined {
  const words: string[] = [];
  for (const w of t) {
    const text = w === null ? "|" : fillWord(w, bindings);
    if (text === undefined) return undefined;
    words.push(text);
  }
  return words.join(" ");
}

/** The template's prerequisites with the bindings filled in, word for word; undefined when the
 * text must be cut into words after all: a name that is not a wildcard of this match, or a
 * value that is empty or holds a blank or a `|` (the words would come out otherwise). */
function fillDeps(t: Template, bindings: Bindings): FoundDep[] | undefined {
  const deps: FoundDep[] = [];
  let orderOnly = false;
  for (const w of t) {
    if (w === null) {
      orderOnly = true;
      continue;
    }
    let name = w.literals[0]!;
    for (let i = 0; i < w.names.length; i++) {
      const v = bindings.get(w.names[i]!);
      if (v === undefined || !isPlainValue(v)) return undefined;
      name += v + w.literals[i + 1]!;
    }
    deps.push({ name, orderOnly });
  }
  return deps;
}

/** A bound value that fills a word as it is: not empty, no blank, no `|`. */
function isPlainValue(v: string): boolean {
  if (v === "") return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 124 || isBlankCode(c)) return false;
  }
  return true;
}
