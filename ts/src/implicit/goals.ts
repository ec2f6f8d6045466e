// Biomake's Prolog goals on rules (`target {goal}: deps {goal}`). Evaluating Prolog is a later
// stage (ts/src/logic); the build reaches goals only through this interface, so a rule with a
// goal is never silently treated as matching.
import { MakeError, type Loc } from "../messages.js";

export interface GoalContext {
  /** "target": the goal between the targets and the colon, tested before the deps are built;
   * "deps": the goal after the prerequisites, tested after they are built. */
  kind: "target" | "deps";
  /** The target being matched ($@, Prolog's TARGET). */
  target: string;
  /** The rule's prerequisites after binding (Prolog's DEPS); only for "deps" goals. */
  deps?: string[];
  /** The wildcard bindings of the match (`X` -> "mouse"). */
  bindings: ReadonlyMap<string, string>;
  loc: Loc;
}

/** What evaluating a goal gave. */
export interface GoalOutcome {
  /** The goal succeeded. */
  ok: boolean;
  /** When it succeeded: the variables it bound that `ctx.bindings` (and TARGET/DEPS) did not
   * hold, as text (atoms as written, numbers as printed, lists as their elements' texts
   * separated by spaces). biomake makes them variables of the rule: a deps goal
   * `{ DEPS = [F], size_file(F,S) }` gives the recipe $F and $S, and a target goal's bindings
   * (e.g. `{ A = VAR }`, or QsubArgs for queues) are seen by the rule's deps goal and recipe.
   * A build that keeps them passes them back in `ctx.bindings` for the deps goal. */
  bindings: ReadonlyMap<string, string>;
}

export interface GoalEvaluator {
  /** true when the goal succeeds for these bindings, false when it fails. Throws MakeError when
   * the goal cannot be evaluated at all. */
  test(goal: string, ctx: GoalContext): boolean;
  /** test(), also giving the variables the goal bound (optional: an evaluator without it
   * binds nothing new). */
  evaluate?(goal: string, ctx: GoalContext): GoalOutcome;
}

/** Evaluates a goal with evaluate() when the evaluator has it, else with test() (then the goal
 * binds nothing new). */
export function runGoal(evaluator: GoalEvaluator, goal: string, ctx: GoalContext): GoalOutcome {
  if (evaluator.evaluate) return evaluator.evaluate(goal, ctx);
  return { ok: evaluator.test(goal, ctx), bindings: NO_BINDINGS };
}

const NO_BINDINGS: ReadonlyMap<string, string> = new Map();

/** The evaluator used until the Prolog stage exists: every goal is an error. */
export const unsupportedGoals: GoalEvaluator = {
  test(_goal: string, ctx: GoalContext): boolean {
    throw new MakeError("Prolog goals are not supported yet", ctx.loc);
  },
};
