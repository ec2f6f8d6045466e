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
import type { Loc } from "../errors.js";
import type { Expander } from "../expand/expander.js";
import { VarScope } from "../expand/variables.js";
import type { RecipeLine, Rule } from "../read/database.js";
import type { Candidate, PatternSet } from "../native/types.js";
import type { GoalEvaluator } from "./goals.js";
import type { NameIndex } from "./tails.js";
import type { DepWord, PatternRule, RuleSet, TargetPattern } from "./ruleset.js";

export interface FoundDep {
  name: string;
  orderOnly: boolean;
  /** Set when the prerequisite does not exist and is made through a chain of implicit rules. */
  chain?: Found;
  /** The prerequisite pattern it came from (for a `.PRECIOUS: %.c` test on intermediates). */
  pattern?: string;
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
  bindings?: Map<string, string>;
  /** Biomake: a deps goal to test after building the deps. */
  depsGoal?: { goal: string; loc: Loc };
  /** Identifies the rule and split, so a failed deps goal can exclude it and search again. */
  key: string;
}

export interface BiomakeRule {
  rule: Rule;
  /** Position in biomake's trial order. */
  order: number;
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
  listing(dir: string): NameIndex<Set<string>> | null;
  /** The mentioned names in a directory ("" or "dir/"), whole (directory included). */
  mentionedIn(dir: string): NameIndex<readonly string[]>;
  /** Directory search is in use (then nothing is pruned). */
  vpathActive: boolean;
}

const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

const wordsOf = (s: string): string[] => s.split(/\s+/).filter((w) => w !== "");

/** Replaces the first % of each word that has one (GNU's patsubst of a stem). */
function substituteStem(word: string, stem: string): string {
  const i = word.indexOf("%");
  return i < 0 ? word : word.slice(0, i) + stem + word.slice(i + 1);
}

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
  private readonly matchCache = new Map<string, Candidate[]>();
  private pendingNames = new Set<string>();
  private readonly pathMemo = new Map<string, boolean>();
  private patternSet?: PatternSet;
  /** Shape feasibility (see shapeViable): key -> answer. */
  private readonly shapes = new Map<string, boolean>();
  /** ruleViable's answers: directory -> per rule (by order) 1 viable, -1 not, 0 not known. */
  private readonly viableByDir = new Map<string, Int8Array>();
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
      bm.rule.targets.forEach((t, target) => {
        patterns.push(t);
        this.biomakeByPattern.push({ bm, target });
      });
    if (patterns.length > 0) this.patternSet = compile(patterns);
  }

  get hasBiomakeRules(): boolean {
    return this.patternSet !== undefined;
  }

  /** Names that will probably need a wildcard match soon; they are matched in one batch. */
  prefetch(names: Iterable<string>): void {
    if (!this.patternSet) return;
    for (const n of names) if (!this.matchCache.has(n)) this.pendingNames.add(n);
  }

  private candidatesFor(name: string): Candidate[] {
    if (!this.patternSet) return [];
    let c = this.matchCache.get(name);
    if (c === undefined) {
      this.pendingNames.add(name);
      const batch = [...this.pendingNames];
      this.pendingNames = new Set();
      const results = this.patternSet.matchBatch(batch);
      batch.forEach((n, i) => this.matchCache.set(n, results[i] ?? []));
      c = this.matchCache.get(name) ?? [];
    }
    return c;
  }

  /** Finds how to make `name` by an implicit rule, or undefined. `explicitDeps` are the names the
   * file already depends on (they need no further test); `exclude` holds keys of matches whose
   * deps goal failed. */
  find(name: string, explicitDeps?: ReadonlySet<string>, exclude?: ReadonlySet<string>): Found | undefined {
    return this.search(name, 0, explicitDeps, exclude, []);
  }

  private search(name: string, recursions: number, explicitDeps: ReadonlySet<string> | undefined, exclude: ReadonlySet<string> | undefined, stack: string[]): Found | undefined {
    const bm = this.searchBiomake(name, exclude, stack);
    if (bm) return bm;
    return this.searchPatterns(name, recursions, explicitDeps, stack);
  }

  // ---- GNU pattern rules -------------------------------------------------------------------

  private searchPatterns(name: string, recursions: number, explicitDeps: ReadonlySet<string> | undefined, stack: string[]): Found | undefined {
    const slashAt = name.lastIndexOf("/");
    const pathLen = slashAt + 1;
    const nameDir = pathLen > 0 ? name.slice(0, pathLen) : "";
    let tries: TryRule[] | undefined;
    let specific = false;
    for (const hit of this.rules.candidates(name)) {
      const rule = hit.rule;
      if (this.inUse.has(rule)) continue;
      const p = rule.parts[hit.target]!;
      if (recursions > 0 && p.matchAny && !rule.terminal) continue;
      const lastslash = !p.slash && slashAt >= 0;
      if (!p.matchAny) specific = true;
      if (rule.prereqs.length === 0 && rule.orderOnly.length === 0 && rule.secondExpansion === undefined && !rule.hasRecipe) continue;
      // Match-anything rules apply to every name: prune them here, before any per-name work (the
      // answer is cached per rule and directory). Other rules are tried first and pruned only
      // before the chain search: trying one costs a look at its prerequisites, which the build
      // needs anyway when it matches, while pruning it may cost reading a whole directory.
      if (p.matchAny && !this.ruleViable(rule, lastslash ? nameDir : "")) continue;
      const subjectLen = lastslash ? name.length - pathLen : name.length;
      const stemLen = subjectLen - p.prefix.length - p.suffix.length + (lastslash ? pathLen : 0);
      (tries ??= []).push({ rule, target: hit.target, stemLen, lastslash });
    }
    if (tries === undefined) return undefined;
    // GNU's order: shortest stem first, then rule order, then target order.
    if (tries.length > 1) tries.sort((a, b) => a.stemLen - b.stemLen || a.rule.order - b.rule.order || a.target - b.target);
    const usable = specific ? tries.filter((t) => t.rule.terminal || !t.rule.anyMatchAny) : tries;

    for (let pass = 0; pass < 2; pass++) {
      const intermedOk = pass === 1;
      for (const t of usable) {
        const rule = t.rule;
        if (intermedOk && rule.terminal) continue;
        const p = rule.parts[t.target]!;
        const dir = t.lastslash ? nameDir : "";
        if (intermedOk && !p.matchAny && !this.ruleViable(rule, dir)) continue;
        const subjectStart = t.lastslash ? pathLen : 0;
        const bareStem = name.slice(subjectStart + p.prefix.length, name.length - p.suffix.length);
        const stem = dir + bareStem;
        const depPatterns = rule.secondExpansion !== undefined ? this.expandDepPatterns(rule, stem, name) : rule.depWords;
        const deps: FoundDep[] = [];
        if (depPatterns.length > 0) {
          this.inUse.add(rule);
          let failed = false;
          try {
            for (const dp of depPatterns) {
              const d = dp.percent ? dir + substituteStem(dp.word, bareStem) : dp.word;
              const dep: FoundDep = { name: d, orderOnly: dp.orderOnly, pattern: dp.percent ? dp.word : undefined };
              if (this.impossible.has(d)) {
                failed = true;
                break;
              }
              if (explicitDeps?.has(d) || this.ctx.mentioned(d) || this.ctx.exists(d) || this.ctx.vpath(d) !== undefined) {
                deps.push(dep);
                continue;
              }
              if (intermedOk) {
                const chain = this.search(d, recursions + 1, undefined, undefined, [...stack, name]);
                if (chain) {
                  dep.chain = chain;
                  deps.push(dep);
                  continue;
                }
                this.impossible.add(d);
              }
              failed = true;
              break;
            }
          } finally {
            this.inUse.delete(rule);
          }
          if (failed) continue;
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
          key: rule.key,
        };
      }
    }
    return undefined;
  }

  /** The prerequisite words of a rule read under .SECONDEXPANSION, expanded a second time. */
  private expandDepPatterns(rule: PatternRule, stem: string, target: string): DepWord[] {
    const subst = wordsOf(rule.secondExpansion!)
      .map((w) => substituteStem(w, stem))
      .join(" ");
    const scope = new VarScope(this.ctx.globals);
    scope.set({ name: "@", value: target, flavor: "simple", origin: "automatic" });
    scope.set({ name: "*", value: stem, flavor: "simple", origin: "automatic" });
    const words = wordsOf(this.ctx.expander.expand(subst, scope, rule.loc));
    const out: DepWord[] = [];
    let oo = false;
    for (const w of words) {
      if (w === "|") oo = true;
      else out.push({ word: w, orderOnly: oo, percent: w.includes("%") });
    }
    return out;
  }

  // ---- pruning ----------------------------------------------------------------------------
  //
  // A quick, sound test that a pattern rule cannot apply, so a tree of files with unknown
  // suffixes does not send every file through every built-in match-anything rule and its chains
  // (what makes GNU slow with built-in rules). A prerequisite pattern `pre%suf` in directory D is
  // "viable" when some entry of D, or some mentioned name in D, has that shape, or some rule
  // could make a name of that shape from viable prerequisites. This over-approximates what the
  // real search accepts, so skipping a rule whose prerequisites are not viable changes nothing.

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
    const listing = this.ctx.listing(dir === "" ? "." : dir.slice(0, -1) || "/");
    if (listing && listing.tails.mayEndWith(suf)) for (const f of listing.names) if (fits(f)) { ok = true; break; }
    if (!ok) {
      const d = dir.length;
      const mentioned = this.ctx.mentionedIn(dir);
      if (mentioned.tails.mayEndWith(suf))
        for (const n of mentioned.names)
          if (n.length > d + pre.length + suf.length && n.startsWith(pre, d) && n.endsWith(suf)) { ok = true; break; }
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
        if (this.ruleViable(rule, target.slash ? "" : dir)) { ok = true; break; }
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
    }
  }

  // ---- biomake multi-wildcard rules -------------------------------------------------------

  private searchBiomake(name: string, exclude: ReadonlySet<string> | undefined, stack: string[]): Found | undefined {
    if (!this.patternSet) return undefined;
    for (const cand of this.candidatesFor(name)) {
      const { bm, target } = this.biomakeByPattern[cand.pattern]!;
      const key = `b${bm.order}:${cand.pattern}:${cand.bindings.join("\u0000")}`;
      if (exclude?.has(key)) continue;
      const info = this.patternSet.info(cand.pattern);
      const bindings = new Map<string, string>();
      info.wildcards.forEach((w, i) => bindings.set(w, cand.bindings[i]!));
      const rule = bm.rule;
      if (rule.targetGoal !== undefined && !this.ctx.goals.test(rule.targetGoal, { kind: "target", target: name, bindings, loc: rule.loc })) continue;
      const { deps } = this.bindPrereqs(rule, name, bindings);
      if (!deps.every((d) => this.theoreticalPath(d.name, [...stack, name]))) continue;
      return {
        kind: "biomake",
        recipe: (bm.recipeRef ??= { lines: rule.recipe, loc: rule.recipe[0]?.loc ?? rule.loc }),
        hasRecipe: rule.hasRecipe,
        stem: bindings.get("%") ?? "",
        targetPattern: rule.targets[target]!,
        deps,
        alsoMake: [],
        terminal: false,
        bindings,
        depsGoal: rule.depsGoal !== undefined ? { goal: rule.depsGoal, loc: rule.loc } : undefined,
        key,
      };
    }
    return undefined;
  }

  /** A scope that holds a biomake match's bindings as variables. */
  bindingScope(parent: VarScope, bindings: ReadonlyMap<string, string>, target: string): VarScope {
    const scope = new VarScope(parent);
    for (const [k, v] of bindings) {
      scope.set({ name: k === "%" ? "*" : k, value: v, flavor: "simple", origin: "automatic" });
    }
    scope.set({ name: "@", value: target, flavor: "simple", origin: "automatic" });
    return scope;
  }

  private bindPrereqs(rule: Rule, target: string, bindings: ReadonlyMap<string, string>): { deps: FoundDep[] } {
    const scope = this.bindingScope(this.ctx.globals, bindings, target);
    const raw = rule.rawPrereqs ?? [...rule.prereqs, ...(rule.orderOnly.length ? ["|", ...rule.orderOnly] : [])].join(" ");
    const stem = bindings.get("%");
    let text = this.ctx.expander.expand(raw, scope, rule.loc);
    // A second pass, as biomake does, so that variables expanding to `%` get the stem.
    if (stem !== undefined) text = wordsOf(text).map((w) => substituteStem(w, stem)).join(" ");
    const deps: FoundDep[] = [];
    let oo = false;
    for (const w of wordsOf(text)) {
      if (w === "|") oo = true;
      else deps.push({ name: w, orderOnly: oo });
    }
    return { deps };
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

/** Biomake's trial order: rules with a target goal come first (those that also have a deps goal
 * before those that do not), then rules with only a deps goal, then plain rules. */
function groupOf(r: Rule): number {
  if (r.targetGoal !== undefined) return r.depsGoal !== undefined ? 0 : 1;
  return r.depsGoal !== undefined ? 2 : 3;
}
