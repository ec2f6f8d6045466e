// Biomake's Prolog goals on rules (`target {goal}: deps {goal}`). Evaluating Prolog is a later
// stage (ts/src/logic); the build reaches goals only through this interface, so a rule with a
// goal is never silently treated as matching.
import { MakeError, type Loc } from "../errors.js";

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

export interface GoalEvaluator {
  /** true when the goal succeeds for these bindings, false when it fails. Throws MakeError when
   * the goal cannot be evaluated at all. */
  test(goal: string, ctx: GoalContext): boolean;
}

/** The evaluator used until the Prolog stage exists: every goal is an error. */
export const unsupportedGoals: GoalEvaluator = {
  test(_goal: string, ctx: GoalContext): boolean {
    throw new MakeError("Prolog goals are not supported yet", ctx.loc);
  },
};
