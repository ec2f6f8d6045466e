// The logic stage: biomake's Prolog (`prolog ... endprolog` blocks, `{goals}` on rules,
// $(bagof ...)) on SWI-Prolog compiled to WebAssembly.
//
// How a run uses it (the CLI does this; library users can too):
//   1. await prepareLogic(readOptions)      before readMakefiles: loads Prolog only when a
//                                           makefile uses $(bagof) or has a `prolog` block
//   2. db = readMakefiles(readOptions)      $(bagof) expands while reading, as any function
//   3. goalEvaluator = await createGoalEvaluator(db, { cwd })
//                                           undefined for makefiles without Prolog
//   4. build(db, { ...buildOptions, goalEvaluator })
// After remaking makefiles and reading again, repeat 1-3 for the new database.
import type { GoalEvaluator } from "../implicit/goals.js";
import type { Database } from "../read/database.js";
import { processOutput, type LogicOutput } from "./engine.js";
import { PrologGoalEvaluator } from "./evaluator.js";
import { sessionFor } from "./session.js";

export { prepareLogic, scanPrologBlocks, usesPrologWhileReading } from "./prepare.js";
export { bagofFunction } from "./bagof.js";
export { loadPrologEngine, loadedPrologEngine, type LogicOutput } from "./engine.js";
export { PrologGoalEvaluator } from "./evaluator.js";

export interface GoalEvaluatorOptions {
  /** Relative file names in goals are taken from here (default: the database's CURDIR). */
  cwd?: string;
  /** Where goal output goes (default: this process's stdout/stderr). */
  output?: LogicOutput;
}

/** The evaluator for a database's goals, with its `prolog` blocks consulted; undefined when the
 * database has neither goals nor Prolog blocks (plain makefiles never load Prolog). Throws
 * MakeError for a syntax error in a block or in a goal. */
export async function createGoalEvaluator(db: Database, opts: GoalEvaluatorOptions = {}): Promise<GoalEvaluator | undefined> {
  const hasGoals = db.rules.some((r) => r.targetGoal !== undefined || r.depsGoal !== undefined);
  if (!hasGoals && db.prolog.length === 0) return undefined;
  const session = await sessionFor(db.expander.run, db.prolog, opts.cwd ?? db.expander.cwd, opts.output ?? processOutput);
  const evaluator = new PrologGoalEvaluator(session, db);
  evaluator.compileRuleGoals();
  return evaluator;
}
