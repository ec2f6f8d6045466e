// The checks GNU's record_files (read.c) makes as it records an explicit rule, made at the
// same moment: when the rule ends (GNU's record_waiting_files: the next rule, assignment or
// directive, or the end of the makefile), in GNU's order, target by target. tmake records a
// rule in the database as soon as its line is read (its recipe lines attach to it), so the
// messages wait for the rule's end here:
//
//   - a static pattern rule's target its pattern does not match (an error, reading goes on);
//   - a `%` in a later target of a rule whose first target is a file name (GNU 4.3 complains
//     and reads on: the target names a file);
//   - a target named twice in a rule with a recipe;
//   - a target with both `:` and `::` rules (fatal);
//   - a recipe that overrides an earlier one for the same target (a warning for each).
import { MakeError } from "../messages.js";
import { patternOf } from "../base/pattern.js";
import type { ReadRule } from "./records.js";

/** A target that `::` rules make. */
const DOUBLE_COLON = 0;
/** A target of `:` rules, none with a recipe so far. */
const NO_RECIPE = 1;

/** What the rules recorded so far made of a target (GNU's struct file while reading): a
 * `::` target, a `:` target without a recipe, or the rule whose recipe it has. */
type TargetState = typeof DOUBLE_COLON | typeof NO_RECIPE | ReadRule;

export class RuleChecks {
  /** Every target of an explicit rule recorded so far. */
  private readonly targets = new Map<string, TargetState>();

  constructor(private readonly stderr: (text: string) => void) {}

  /**
   * GNU's record_files checks for explicit (or static pattern) rule `rule`, now complete.
   * `written` is its targets as the line wrote them, when quoting was resolved in some of
   * them (undefined when they are the rule's names): a later target with an active `%`
   * there is GNU's "mixed implicit and normal rules".
   */
  check(rule: ReadRule, written: readonly string[] | undefined): void {
    if (rule.patternRule && rule.staticPattern !== undefined) throw new MakeError("mixed implicit and static pattern rules", rule);
    const pattern = rule.staticPattern === undefined ? undefined : patternOf(rule.staticPattern);
    const names = rule.names;
    const recipe = rule.hasRecipe;
    for (let i = rule.start; i < rule.prereqStart; i++) {
      const name = names[i]!;
      if (i > rule.start) {
        const w = written === undefined ? name : written[i - rule.start]!;
        if (w.indexOf("%") >= 0 && patternOf(w).hasPercent) this.stderr(`${rule.file}:${rule.line}: *** mixed implicit and normal rules: deprecated syntax\n`);
      }
      if (pattern !== undefined && pattern.match(name) === undefined)
        this.stderr(`${rule.file}:${rule.line}: target '${name}' doesn't match the target pattern\n`);
      const state = this.targets.get(name);
      if (rule.doubleColon) {
        if (state !== undefined && state !== DOUBLE_COLON) throw new MakeError(`target file '${name}' has both : and :: entries`, rule);
        this.targets.set(name, DOUBLE_COLON);
        continue;
      }
      if (state === DOUBLE_COLON) throw new MakeError(`target file '${name}' has both : and :: entries`, rule);
      if (recipe && state === rule) this.stderr(`${rule.file}:${rule.line}: target '${name}' given more than once in the same rule\n`);
      else if (recipe && state !== undefined && state !== NO_RECIPE) {
        const now = rule.recipeLoc;
        const old = state.recipeLoc;
        this.stderr(`${now.file}:${now.line}: warning: overriding recipe for target '${name}'\n`);
        this.stderr(`${old.file}:${old.line}: warning: ignoring old recipe for target '${name}'\n`);
      }
      if (recipe) this.targets.set(name, rule);
      else if (state === undefined || (name === ".DEFAULT" && rule.end === rule.prereqStart && rule.secondExpansion === undefined)) {
        // `.DEFAULT:` with neither prerequisites nor recipe clears its recipe (GNU).
        this.targets.set(name, NO_RECIPE);
      }
    }
  }
}
