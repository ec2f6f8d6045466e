// The ordered list of GNU pattern rules a build searches, assembled as GNU does after reading:
// the makefiles' own pattern rules (a later rule with the same targets and prerequisites
// replaces an earlier one; one without a recipe cancels it), then the suffix rules converted
// with the final .SUFFIXES list, then the built-in pattern rules (unless -r). Rules are indexed
// by the literal text after `%` in their targets, so finding the candidates for a file name costs
// a few map lookups rather than one test per rule.
import type { Loc } from "../messages.js";
import { Pattern } from "../base/pattern.js";
import type { RecipeLine, Rule } from "../read/database.js";
import { BUILTIN_PATTERN_RULES, BUILTIN_SUFFIX_RULES, DEFAULT_SUFFIXES } from "./builtin.js";

export interface TargetPattern {
  /** Text before `%`. */
  prefix: string;
  /** Text after `%`. */
  suffix: string;
  /** The pattern holds a `/`: it is matched against the whole name, else against the part after
   * the name's last slash (GNU's rule; the directory is then prepended to the stem). */
  slash: boolean;
  /** The pattern is `%` alone (a match-anything rule). */
  matchAny: boolean;
}

/** A prerequisite word of a pattern rule. */
export interface DepWord {
  word: string;
  orderOnly: boolean;
  /** The word holds a `%` (the stem goes there). */
  percent: boolean;
  /** From .EXTRA_PREREQS: left out of the automatic variables. */
  noAuto?: boolean;
  /** false: the word is a name already globbed (or order-only after a second expansion,
   * which GNU does not glob). */
  glob?: boolean;
}

export interface PatternRule {
  /** Position in the search order. */
  order: number;
  /** Identifies the rule in Found.key. */
  key: string;
  /** The prerequisites, normal then order-only (not used under .SECONDEXPANSION). */
  depWords: DepWord[];
  /** Some target is `%` alone. */
  anyMatchAny: boolean;
  /** The recipe and where it starts, as one object shared by every file the rule makes. */
  recipeRef: { lines: RecipeLine[]; loc: Loc };
  targets: string[];
  parts: TargetPattern[];
  prereqs: string[];
  orderOnly: string[];
  /** Prerequisite text for .SECONDEXPANSION (see Rule.secondExpansion). */
  secondExpansion?: string;
  /** Biomake goals on a pattern rule (`%.b {goal}: %.a {goal}`): see Rule. */
  targetGoal?: string;
  depsGoal?: string;
  recipe: RecipeLine[];
  hasRecipe: boolean;
  /** `::` pattern rule: its prerequisites must exist; never used to make intermediates. */
  terminal: boolean;
  builtin: boolean;
  loc: Loc;
}

/** A rule target that could match a name. */
export interface TargetHit {
  rule: PatternRule;
  target: number;
}

/** GNU names the place of a built-in rule `<builtin>` (`[<builtin>: x] Error 1`, --trace). */
const BUILTIN_LOC: Loc = { file: "<builtin>", line: 0 };

/** A pattern rule's target (or a static pattern) as the search matches it: GNU's find_percent
 * on the text as written, so `a\%%.x` has the prefix `a%`. */
export function splitPattern(p: string): TargetPattern {
  const { prefix, suffix } = Pattern.parse(p);
  return { prefix, suffix, slash: p.includes("/"), matchAny: prefix === "" && suffix === "" };
}

function sameRule(a: { targets: string[]; prereqs: string[] }, b: { targets: string[]; prereqs: string[] }): boolean {
  return (
    a.targets.length === b.targets.length &&
    a.prereqs.length === b.prereqs.length &&
    a.targets.every((t, i) => t === b.targets[i]) &&
    a.prereqs.every((t, i) => t === b.prereqs[i])
  );
}

export function isPatternTarget(t: string): boolean {
  return t.includes("%");
}

export class RuleSet {
  readonly rules: PatternRule[] = [];
  /** Targets that are `%` alone (match-anything rules), in rule order. */
  readonly matchAnything: TargetHit[] = [];
  /** Other targets whose pattern ends with `%` (any name can end that way). */
  private readonly anySuffix: TargetHit[] = [];
  /** The other targets, by the last character of their suffix. */
  private readonly byLastChar = new Map<number, TargetHit[]>();
  /** Every pattern a prerequisite could need (for quick "can anything make X" answers). */
  readonly suffixes: string[];
  /** The global .EXTRA_PREREQS, as prerequisite words every rule ends with. */
  readonly extras: DepWord[];

  constructor(
    userPatternRules: Rule[],
    /** Explicit rules whose single target may be a suffix rule (".c.o", ".c"): name -> recipe. */
    suffixRuleCandidates: Map<string, { recipe: RecipeLine[]; loc: Loc }>,
    suffixList: string[],
    builtins: boolean,
    /** The global .EXTRA_PREREQS: GNU appends them to every pattern rule's prerequisites. */
    extraPrereqs: readonly { name: string; orderOnly: boolean }[] = [],
  ) {
    this.suffixes = suffixList;
    this.extras = extraPrereqs.map((e) => ({ word: e.name, orderOnly: e.orderOnly, percent: e.name.includes("%"), noAuto: true }));
    type Entry = Omit<PatternRule, "order" | "parts" | "key" | "depWords" | "anyMatchAny" | "recipeRef">;
    const list: Entry[] = [];
    const add = (r: Entry, override: boolean): void => {
      // Rules with biomake goals are alternatives tried in turn (biomake), never replacements.
      const hasGoal = (e: Entry): boolean => e.targetGoal !== undefined || e.depsGoal !== undefined;
      const at = hasGoal(r) ? -1 : list.findIndex((o) => !hasGoal(o) && sameRule(o, r));
      if (at >= 0) {
        if (!override) return;
        list.splice(at, 1);
      }
      // A recipe-less pattern rule is kept for now: it cancels the suffix and built-in rules
      // with the same targets and prerequisites added after it (see `used` below).
      list.push(r);
    };
    for (const r of userPatternRules) {
      add(
        {
          targets: r.targetList(),
          prereqs: r.prereqList(),
          orderOnly: r.orderOnlyList(),
          secondExpansion: r.secondExpansion,
          targetGoal: r.targetGoal,
          depsGoal: r.depsGoal,
          recipe: r.recipeLines(),
          hasRecipe: r.hasRecipe,
          terminal: r.doubleColon,
          builtin: false,
          loc: r.loc,
        },
        true,
      );
    }
    // Suffix rules: files named by one or two known suffixes, in .SUFFIXES order (GNU's
    // convert_to_pattern). A single suffix `.c` becomes `%: %.c`; `.c.o` becomes `%.o: %.c`.
    const lookup = (name: string): { recipe: RecipeLine[]; loc: Loc } | undefined => {
      const user = suffixRuleCandidates.get(name);
      if (user) return user;
      if (!builtins) return undefined;
      const b = BUILTIN_SUFFIX_RULES.get(name);
      return b ? { recipe: b.map((text) => ({ text, loc: BUILTIN_LOC })), loc: BUILTIN_LOC } : undefined;
    };
    for (const s of suffixList) {
      // `%.s:` with no recipe exists only so that match-anything rules do not apply to *.s.
      add({ targets: [`%${s}`], prereqs: [], orderOnly: [], recipe: [], hasRecipe: false, terminal: false, builtin: true, loc: BUILTIN_LOC }, false);
      const single = lookup(s);
      if (single && single.recipe.length > 0)
        add(
          {
            targets: ["%"],
            prereqs: [`%${s}`],
            orderOnly: [],
            recipe: single.recipe,
            hasRecipe: true,
            terminal: false,
            builtin: single.loc === BUILTIN_LOC,
            loc: single.loc,
          },
          false,
        );
      for (const s2 of suffixList) {
        if (s2 === s) continue;
        const f = lookup(s + s2);
        if (!f || f.recipe.length === 0) continue;
        add(
          {
            targets: [`%${s2}`],
            prereqs: [`%${s}`],
            orderOnly: [],
            recipe: f.recipe,
            hasRecipe: true,
            terminal: false,
            builtin: f.loc === BUILTIN_LOC,
            loc: f.loc,
          },
          false,
        );
      }
    }
    if (builtins) {
      for (const b of BUILTIN_PATTERN_RULES) {
        if (b.targets[0] === "(%)") continue; // archive members are not supported
        add(
          {
            targets: b.targets,
            prereqs: b.prereqs,
            orderOnly: [],
            recipe: b.recipe.map((text) => ({ text, loc: BUILTIN_LOC })),
            hasRecipe: true,
            terminal: b.terminal,
            builtin: true,
            loc: BUILTIN_LOC,
          },
          false,
        );
      }
    }
    // GNU's pattern_search never uses a rule with prerequisites and no recipe (it cancels), and
    // with .EXTRA_PREREQS every rule has prerequisites. A rule with neither stays: matching,
    // it keeps match-anything rules from applying.
    const noDeps = (r: Entry): boolean => this.extras.length === 0 && r.prereqs.length === 0 && r.orderOnly.length === 0 && r.secondExpansion === undefined;
    const used = list.filter((r) => r.hasRecipe || noDeps(r));
    used.forEach((r, order) => {
      const parts = r.targets.map(splitPattern);
      const depWords: DepWord[] = [
        ...r.prereqs.map((word) => ({ word, orderOnly: false, percent: word.includes("%") })),
        ...r.orderOnly.map((word) => ({ word, orderOnly: true, percent: word.includes("%") })),
        ...this.extras,
      ];
      const recipeRef = { lines: r.recipe, loc: r.recipe[0]?.loc ?? r.loc };
      this.rules.push({ ...r, order, key: `p${order}`, parts, depWords, anyMatchAny: parts.some((p) => p.matchAny), recipeRef });
    });
    for (const rule of this.rules) {
      rule.parts.forEach((p, target) => {
        const hit = { rule, target };
        if (p.matchAny) this.matchAnything.push(hit);
        else if (p.suffix === "") this.anySuffix.push(hit);
        else {
          const last = p.suffix.charCodeAt(p.suffix.length - 1);
          let hits = this.byLastChar.get(last);
          if (!hits) this.byLastChar.set(last, (hits = []));
          hits.push(hit);
        }
      });
    }
  }

  /** Targets other than `%` whose suffix the name ends with and whose prefix its matched part
   * starts with (a slashless pattern is matched against the part after the name's last slash).
   * Not in search order: callers order by rule order, then target. `%` targets match every name
   * with a non-empty file part: see `matchAnything`. */
  candidates(name: string): TargetHit[] {
    const out: TargetHit[] = [];
    const fileStart = name.lastIndexOf("/") + 1;
    const collect = (hits: TargetHit[]): void => {
      for (const h of hits) {
        const p = h.rule.parts[h.target]!;
        const start = p.slash ? 0 : fileStart;
        if (name.length - start - p.prefix.length - p.suffix.length < 1) continue; // stems are never empty
        if (!name.endsWith(p.suffix) || !name.startsWith(p.prefix, start)) continue;
        out.push(h);
      }
    };
    collect(this.anySuffix);
    if (name.length > 0) {
      const hits = this.byLastChar.get(name.charCodeAt(name.length - 1));
      if (hits) collect(hits);
    }
    return out;
  }
}

/** The final suffix list: the default one (unless -r), then each `.SUFFIXES` rule in order (one
 * without prerequisites clears the list). */
export function suffixList(rules: Rule[], builtins: boolean): string[] {
  let list = builtins ? [...DEFAULT_SUFFIXES] : [];
  for (const r of rules) {
    if (!hasTarget(r, ".SUFFIXES")) continue;
    if (r.prereqStart === r.orderOnlyStart) list = [];
    else for (const s of r.prereqList()) if (!list.includes(s)) list.push(s);
  }
  return list;
}

/** Whether `name` is one of the rule's targets. */
function hasTarget(r: Rule, name: string): boolean {
  const names = r.names;
  for (let i = r.start; i < r.prereqStart; i++) if (names[i] === name) return true;
  return false;
}
