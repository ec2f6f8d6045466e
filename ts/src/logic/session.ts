// Which Prolog module holds a run's clauses right now, and which blocks it holds: the logic
// stage's part of a run (see run-context.ts).
//
// One engine serves the process, but each run has its module, and a run can read the
// makefiles more than once (after remaking a makefile): each reading whose `prolog ...
// endprolog` blocks differ from what the run's module holds gets a fresh module, so clauses
// are never loaded twice. $(bagof) expands in the run's module; it may run while the reader is
// still reading, before the database exists, which is why the state is the run's rather than
// a Database's.
import type { Loc } from "../messages.js";
import { RunKey, type RunContext } from "../run-context.js";
import { loadedPrologEngine, loadPrologEngine, processOutput, type LogicOutput, type PrologEngine } from "./engine.js";

export interface PrologBlock {
  text: string;
  loc: Loc;
}

export interface LogicSession {
  engine: PrologEngine;
  module: string;
  /** The block texts consulted into `module`, in order. */
  consulted: string[];
  /** Where goal and $(bagof) output goes. */
  output: LogicOutput;
  /** Relative names in goals are taken from here. */
  cwd: string;
}

const sessions = new RunKey<{ current: LogicSession | undefined }>("prolog", () => ({ current: undefined }));

/** The session $(bagof) and the evaluator of `run` use, if the engine is loaded. */
export function currentSession(run: RunContext): LogicSession | undefined {
  const state = sessions.of(run);
  if (state.current === undefined) {
    // An engine loaded by someone else (another run, a library user) still serves $(bagof)
    // without Prolog blocks; the run gets an empty module of its own.
    const engine = loadedPrologEngine();
    if (engine !== undefined) state.current = { engine, module: engine.newModule(), consulted: [], output: processOutput, cwd: process.cwd() };
  }
  return state.current;
}

/** Makes the current module hold exactly `blocks` (consulting what is missing, or starting a
 * new module when they differ from what it holds). Throws MakeError for a block's syntax
 * error, at the block's line. */
export async function sessionFor(run: RunContext, blocks: PrologBlock[], cwd: string, output: LogicOutput): Promise<LogicSession> {
  const engine = await loadPrologEngine();
  let s = currentSession(run)!;
  const prefix = s.consulted.length <= blocks.length && s.consulted.every((t, i) => blocks[i]!.text === t);
  if (!prefix) s = sessions.of(run).current = { engine, module: engine.newModule(), consulted: [], output, cwd };
  s.output = output;
  s.cwd = cwd;
  for (let i = s.consulted.length; i < blocks.length; i++) {
    engine.consult(s.module, blocks[i]!.text, blocks[i]!.loc);
    s.consulted.push(blocks[i]!.text);
  }
  return s;
}

/** Points the engine at a session's output and directory before a query. */
export function enter(s: LogicSession): PrologEngine {
  s.engine.output = s.output;
  s.engine.setWorkingDirectory(s.cwd);
  return s.engine;
}
