// Implicit rule search: GNU's pattern_search (implicit.c) plus biomake's multi-wildcard rules.
//
// GNU: collect the pattern rules whose target matches (a slashless pattern matches the part of
// the name after its last slash, and the directory is put back in front of the stem and of every
// prerequisite with a `%`), shortest stem first, then rule order; drop non-terminal
// match-anything rules when a more specific rule matched; try every rule once accepting only
// prerequisites that exist, are mentioned in the makefiles, or are found by directory search,
// then once more allowing prerequisites that can themselves be made by a chain of implicit rules
// (intermediate files). Names that failed as intermediates are remembered as impossible.
//
// Biomake: rules whose targets hold named wildcards are tried first, in biomake's order (rules
// with both goals, then with a target goal, then with a deps goal, then without; file order
// within each group), and for each rule every way the name splits, in the matcher's order. A
// split is accepted when its target goal holds and every prerequisite has a theoretical path
// (biomake README, "Detailed build logic").
import type { Loc } from "../messages.js";
import type { Expander } from "../expand/expander.js";
import { VarScope } from "../expand/variables.js";
import type { RecipeLine, Rule } from "../read/database.js";
import type { Candidate, PatternSet } from "../native/types.js";
import { runGoal, type GoalEvaluator } from "./goals.js";
import type { NameIndex } from "./tails.js";
import { Bindings } from "./bindings.js";
import { hasWildcard } from "../expand/functions/glob.js";
import type { DepWord, PatternRule, RuleSet, TargetHit, TargetPattern } from "./ruleset.js";

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
export interface SearchContext {
  /** The name is mentioned in the makefiles (or entered by the build): GNU's lookup_file. */
  mentioned(name: string): boolean;
  exists(name: string): boolean;
  vpath(name: string): string | undefined;
  /** For the theoretical path: explicit knowledge of a name, if any. */
  explicit(name: string): { prereqs: string[]; hasRecipe: boolean; phony: boolean } | undefined;
  expander: Expander;
  globals: VarScope;
  goals: GoalEvaluator;
  /** The entries of a directory (null when it cannot be read). */
  listing(dir: string): NameIndex<readonly string[]> | null;
  /** Starts reading a directory's entries, which listing() will likely be asked for soon. */
  prefetchListing(dir: string): void;
  /** Whether listing(dir) would answer at once (read, or read ahead and done). */
  listingReady(dir: string): boolean;
  /** The mentioned names in a directory ("" or "dir/"), whole (directory included). */
  mentionedIn(dir: string): NameIndex<readonly string[]>;
  /** Directory search is in use (then nothing is pruned). */
  vpathActive: boolean;
  /** The variables a second expansion of a pattern rule's prerequisites sees for the file
   * `name` with stem `stem` (GNU's set_file_variables): the file's own and automatic ones for
   * the file being searched (`top`), only pattern-specific ones for an intermediate file. */
  secondExpansionScope(name: string, stem: string, top: boolean): VarScope;
  /** GNU globs prerequisite names: the names a word with wildcards matches (sorted), or the
   * word itself when nothing matches. */
  glob(word: string): string[];
}

const NO_BINDINGS = new Bindings([], []);

/** Names matched against the biomake patterns per call of the matcher. */
const MATCH_BATCH = 4096;
/** How far past the expected name the batch is searched for the name asked (see inBatch). */
const BATCH_LOOKAHEAD = 4;
/** Pruning (see below) starts in a directory once this many names there have been searched:
 * it reads the directory's whole listing, which a directory searched only a few times (the one
 * holding the makefiles, typically) does not repay. */
const PRUNE_AFTER = 32;

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
}

const NO_TRIES: TryRule[] = [];

interface TryRule {
  rule: PatternRule;
  target: number;
  stemLen: number;
  lastslash: boolean;
}

export class ImplicitSearch {
  private readonly impossible = new Set<string>();
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
  private readonly pathMemo = new Map<string, boolean>();
  private patternSet?: PatternSet;
  /** The wildcard names of each compiled pattern. */
  private wildcards: string[][] = [];
  /** Shape feasibility (see shapeViable): key -> answer. */
  private readonly shapes = new Map<string, boolean>();
  /** ruleViable's answers: directory -> per rule (by order) 1 viable, -1 not, 0 not known. */
  private readonly viableByDir = new Map<string, Int8Array>();
  /** viableMatchAnything's answers per directory. */
  private readonly matchAnyByDir = new Map<string, TargetHit[]>();
  /** Names searched (at the top of a search) per directory, until pruning starts there. */
  private readonly searchesIn = new Map<string, number>();
  /** Shapes answered false, per directory, for invalidation when a matching name is mentioned. */
  private readonly falseShapes = new Map<string, { key: string; pre: string; suf: string }[]>();

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
  }

  get hasBiomakeRules(): boolean {
    return this.patternSet !== undefined;
  }

  /** Names that will probably need a wildcard match soon, in the order the build will likely
   * ask for them (new file-table entries, each given once); they are matched in batches. */
  prefetch(names: readonly string[]): void {
    if (!this.patternSet) return;
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
    return this.search(name, 0, explicitDeps, exclude, []);
  }

  private search(
    name: string,
    recursions: number,
    explicitDeps: ReadonlySet<string> | undefined,
    exclude: ReadonlySet<string> | undefined,
    stack: string[],
  ): Found | undefined {
    const bm = this.searchBiomake(name, exclude, stack);
    if (bm) return bm;
    return this.searchPatterns(name, recursions, explicitDeps, stack, exclude);
  }

  // ---- GNU pattern rules -------------------------------------------------------------------

  private searchPatterns(
    name: string,
    recursions: number,
    explicitDeps: ReadonlySet<string> | undefined,
    stack: string[],
    exclude?: ReadonlySet<string>,
  ): Found | undefined {
    const slashAt = name.lastIndexOf("/");
    const pathLen = slashAt + 1;
    const nameDir = pathLen > 0 ? name.slice(0, pathLen) : "";
    let tries: TryRule[] | undefined;
    let specific = false;
    for (const hit of this.rules.candidates(name)) {
      const rule = hit.rule;
      if (this.inUse.has(rule)) continue;
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
    let anyHits: TargetHit[] | undefined;
    if (recursions === 0) this.noteSearch(nameDir);
    const st: SearchState = { name, nameDir, pathLen, recursions, explicitDeps, stack, exclude };

    for (let pass = 0; pass < 2; pass++) {
      const intermedOk = pass === 1;
      for (const t of usable) {
        if (intermedOk && t.rule.terminal) continue;
        const found = this.tryRule(st, t, intermedOk);
        if (found) return found;
      }
      if (!anyOk) continue;
      anyHits ??= this.viableMatchAnything(nameDir);
      for (const hit of anyHits) {
        const rule = hit.rule;
        // Non-terminal ones never serve a chain, and a specific match rules them out (GNU).
        if (!rule.terminal && (recursions > 0 || specific)) continue;
        if (intermedOk && rule.terminal) continue;
        if (this.inUse.has(rule)) continue;
        const found = this.tryRule(st, { rule, target: hit.target, stemLen: name.length, lastslash: pathLen > 0 }, intermedOk);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** Tries one pattern rule for the name (GNU's pattern_search, one rule of one pass). */
  private tryRule(st: SearchState, t: TryRule, intermedOk: boolean): Found | undefined {
    const { name, nameDir, pathLen, recursions, explicitDeps, stack } = st;
    const rule = t.rule;
    const p = rule.parts[t.target]!;
    const dir = t.lastslash ? nameDir : "";
    if (intermedOk && !p.matchAny && this.pruning(dir) && !this.ruleViable(rule, dir)) return undefined;
    if (st.exclude?.has(rule.key)) return undefined;
    const subjectStart = t.lastslash ? pathLen : 0;
    const bareStem = name.slice(subjectStart + p.prefix.length, name.length - p.suffix.length);
    const stem = dir + bareStem;
    // Biomake goals on a GNU pattern rule: the target goal decides whether the rule applies,
    // and the variables it binds (with the deps goal's, later) are the recipe's.
    let bindings: Bindings | undefined;
    if (rule.targetGoal !== undefined || rule.depsGoal !== undefined) {
      bindings = NO_BINDINGS;
      if (rule.targetGoal !== undefined) {
        const out = runGoal(this.ctx.goals, rule.targetGoal, { kind: "target", target: name, bindings: new Map(), loc: rule.loc });
        if (!out.ok) return undefined;
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
          if (this.impossible.has(d)) return undefined;
          if (explicitDeps?.has(d) || this.ctx.mentioned(d) || this.ctx.exists(d) || this.ctx.vpath(d) !== undefined) {
            deps.push(dep);
            continue;
          }
          if (!intermedOk) return undefined;
          const chain = this.search(d, recursions + 1, undefined, undefined, [...stack, name]);
          if (!chain) {
            this.impossible.add(d);
            return undefined;
          }
          dep.chain = chain;
          deps.push(dep);
        }
      } finally {
        this.inUse.delete(rule);
      }
    }
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

  // ---- pruning ----------------------------------------------------------------------------
  //
  // A quick, sound test that a pattern rule cannot apply, so a tree of files with unknown
  // suffixes does not send every file through every built-in match-anything rule and its chains
  // (what makes GNU slow with built-in rules). A prerequisite pattern `pre%suf` in directory D is
  // "viable" when some entry of D, or some mentioned name in D, has that shape, or some rule
  // could make a name of that shape from viable prerequisites. This over-approximates what the
  // real search accepts, so skipping a rule whose prerequisites are not viable changes nothing.

  /** The match-anything targets whose rule can apply to names in `dir` (not cancelled, and
   * viable there), in rule order. */
  private viableMatchAnything(dir: string): TargetHit[] {
    let hits = this.matchAnyByDir.get(dir);
    if (hits === undefined) {
      const prune = this.pruning(dir);
      // Searches that get this far in a directory are what pruning saves work on: start
      // reading its listing now, so it is (nearly) there when pruning starts.
      if (!prune) this.ctx.prefetchListing(listingDir(dir));
      hits = this.rules.matchAnything.filter(({ rule }) => {
        if (rule.prereqs.length === 0 && rule.orderOnly.length === 0 && rule.secondExpansion === undefined && !rule.hasRecipe) return false;
        return !prune || this.ruleViable(rule, dir);
      });
      if (prune) this.matchAnyByDir.set(dir, hits);
    }
    return hits;
  }

  private noteSearch(dir: string): void {
    const n = this.searchesIn.get(dir);
    if (n === undefined || n < PRUNE_AFTER) this.searchesIn.set(dir, (n ?? 0) + 1);
  }

  /** Whether to prune in `dir` yet (see PRUNE_AFTER); the answer is the same either way. A
   * search that is not pruned asks for each built-in rule's prerequisite by a stat: 120 of
   * them for a name like `s1.fa` (`%: %.c`, `%: %.o`, ...), so even in a directory of 90,000
   * entries the listing pays for itself within a few hundred searches; once a listing read
   * ahead is there, it costs nothing to wait for. */
  private pruning(dir: string): boolean {
    return (this.searchesIn.get(dir) ?? 0) >= PRUNE_AFTER || this.ctx.listingReady(listingDir(dir));
  }

  private ruleViable(rule: PatternRule, dir: string): boolean {
    if (this.ctx.vpathActive || rule.secondExpansion !== undefined) return true;
    let known = this.viableByDir.get(dir);
    if (known === undefined) this.viableByDir.set(dir, (known = new Int8Array(this.rules.rules.length)));
    const answer = known[rule.order]!;
    if (answer !== 0) return answer > 0;
    const ok = this.depShapesViable(rule, dir);
    known[rule.order] = ok ? 1 : -1;
    return ok;
  }

  private depShapesViable(rule: PatternRule, dir: string): boolean {
    for (const dp of [...rule.prereqs, ...rule.orderOnly]) {
      const i = dp.indexOf("%");
      if (i < 0) continue;
      const full = dir + dp.slice(0, i);
      const slash = full.lastIndexOf("/");
      const d = slash < 0 ? "" : full.slice(0, slash + 1);
      if (!this.shapeViable(d, full.slice(slash + 1), dp.slice(i + 1), !rule.terminal)) return false;
    }
    return true;
  }

  /** Can a name `dir + pre + * + suf` exist, be mentioned, or (when `chain`) be made? */
  private shapeViable(dir: string, pre: string, suf: string, chain: boolean): boolean {
    const key = `${chain ? 1 : 0}\u0000${dir}\u0000${pre}\u0000${suf}`;
    const known = this.shapes.get(key);
    if (known !== undefined) return known;
    if (dir.split("/").length > 16) return true; // deep directory chains: do not prune
    this.shapes.set(key, true); // while computing (cycles): assume yes, which is always sound
    const fits = (f: string): boolean => f.length > pre.length + suf.length && f.startsWith(pre) && f.endsWith(suf);
    let ok = false;
    const listing = this.ctx.listing(listingDir(dir));
    if (listing && listing.tails.mayEndWith(suf))
      for (const f of listing.names)
        if (fits(f)) {
          ok = true;
          break;
        }
    if (!ok) {
      const d = dir.length;
      const mentioned = this.ctx.mentionedIn(dir);
      if (mentioned.tails.mayEndWith(suf))
        for (const n of mentioned.names)
          if (n.length > d + pre.length + suf.length && n.startsWith(pre, d) && n.endsWith(suf)) {
            ok = true;
            break;
          }
    }
    if (!ok && chain) {
      for (const rule of this.rules.rules) {
        if (!rule.hasRecipe && rule.prereqs.length === 0) continue;
        let target: TargetPattern | undefined;
        for (const p of rule.parts) {
          const sufOk = p.suffix.endsWith(suf) || suf.endsWith(p.suffix);
          const namePre = p.slash ? dir + pre : pre;
          const preOk = p.prefix === "" || namePre === "" || p.prefix.startsWith(namePre) || namePre.startsWith(p.prefix);
          const could = p.matchAny ? rule.terminal : sufOk && preOk;
          if (could) {
            target = p;
            break;
          }
        }
        if (!target) continue;
        // A pattern with a slash matches whole names: its prerequisites get no directory.
        if (this.ruleViable(rule, target.slash ? "" : dir)) {
          ok = true;
          break;
        }
      }
    }
    this.shapes.set(key, ok);
    if (!ok) {
      let l = this.falseShapes.get(dir);
      if (!l) this.falseShapes.set(dir, (l = []));
      l.push({ key, pre, suf });
    }
    return ok;
  }

  /** A name was mentioned (entered in the file table): forget "not viable" answers it refutes. */
  noteMentioned(name: string, dirLength: number): void {
    if (this.falseShapes.size === 0) return;
    const l = this.falseShapes.get(dirLength === 0 ? "" : name.slice(0, dirLength));
    if (!l) return;
    const d = dirLength;
    if (l.some((s) => name.length > d + s.pre.length + s.suf.length && name.startsWith(s.pre, d) && name.endsWith(s.suf))) {
      // Answers depend on each other: drop every negative one.
      for (const shapes of this.falseShapes.values()) for (const s of shapes) this.shapes.delete(s.key);
      this.falseShapes.clear();
      this.viableByDir.clear();
      this.matchAnyByDir.clear();
    }
  }

  // ---- biomake multi-wildcard rules -------------------------------------------------------

  private searchBiomake(name: string, exclude: ReadonlySet<string> | undefined, stack: string[]): Found | undefined {
    if (!this.patternSet) return undefined;
    let inner: string[] | undefined;
    for (const cand of this.candidatesFor(name)) {
      const { bm, target } = this.biomakeByPattern[cand.pattern]!;
      const rule = bm.rule;
      // The key names the split, for a failed deps goal to exclude it; only such rules need it.
      const key =
        exclude !== undefined || rule.depsGoal !== undefined ? `b${bm.order}:${cand.pattern}:${cand.bindings.join("\u0000")}` : (bm.key ??= `b${bm.order}`);
      if (exclude?.has(key)) continue;
      let bindings = new Bindings(this.wildcards[cand.pattern]!, cand.bindings);
      if (rule.targetGoal !== undefined) {
        // The variables the goal binds become the rule's, for its prerequisites, deps goal and
        // recipe (biomake).
        const out = runGoal(this.ctx.goals, rule.targetGoal, { kind: "target", target: name, bindings: bindings.toMap(), loc: rule.loc });
        if (!out.ok) continue;
        bindings = bindings.with(out.bindings);
      }
      const deps = this.bindPrereqs(bm, name, bindings);
      let viable = true;
      for (const d of deps) {
        // Most prerequisites are known to have a path already: no search stack is built for them.
        if (this.pathMemo.get(d.name) === true && d.name !== name && !stack.includes(d.name)) continue;
        inner ??= [...stack, name];
        if (!this.theoreticalPath(d.name, inner)) {
          viable = false;
          break;
        }
      }
      if (!viable) continue;
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
   * some rule could make it and there is a theoretical path to all of that rule's prerequisites. */
  theoreticalPath(name: string, stack: string[]): boolean {
    if (stack.includes(name)) return false;
    const memo = this.pathMemo.get(name);
    if (memo !== undefined) return memo;
    const result = this.computePath(name, stack);
    if (result) this.pathMemo.set(name, true);
    return result;
  }

  private computePath(name: string, stack: string[]): boolean {
    const inner = [...stack, name];
    const ex = this.ctx.explicit(name);
    if (ex) {
      if (!ex.prereqs.every((d) => this.theoreticalPath(d, inner))) return false;
      if (ex.hasRecipe || ex.phony || this.ctx.exists(name)) return true;
      const f = this.search(name, 0, new Set(ex.prereqs), undefined, stack);
      return f === undefined || f.kind === "biomake" || f.deps.every((d) => this.theoreticalPath(d.name, inner));
    }
    if (this.ctx.exists(name) || this.ctx.vpath(name) !== undefined) return true;
    const f = this.search(name, 0, undefined, undefined, stack);
    if (!f) return false;
    return f.kind === "biomake" || f.deps.every((d) => d.chain !== undefined || this.theoreticalPath(d.name, inner));
  }
}

/** The directory to list for names in `dir` ("" or "dir/"). */
function listingDir(dir: string): string {
  return dir === "" ? "." : dir.slice(0, -1) || "/";
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
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== "$") {
      lit += c;
      continue;
    }
    const n = raw[i + 1];
    if (n === "$") {
      lit += "$";
      i++;
      continue;
    }
    let name: string;
    if (n === "(" || n === "{") {
      const close = raw.indexOf(n === "(" ? ")" : "}", i + 2);
      if (close < 0) return null;
      name = raw.slice(i + 2, close);
      i = close;
    } else if (n !== undefined) {
      name = n;
      i++;
    } else return null;
    // Only plain names: anything else (functions, nested references, substitutions, automatic
    // variables) goes through the expander.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
    literals.push(lit);
    names.push(name);
    lit = "";
  }
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
