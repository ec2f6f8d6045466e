// Which Prolog module holds the makefiles' clauses right now, and which blocks it holds.
//
// One engine serves the process, but the makefiles can be read more than once (after remaking
// a makefile, or by a library user): each reading whose `prolog ... endprolog` blocks differ
// from what the current module holds gets a fresh module, so clauses are never loaded twice.
// $(bagof) expands in the current module; it may run while the reader is still reading, before
// the database exists, which is why the state lives here rather than on a Database.
import type { Loc } from "../errors.js";
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

let current: LogicSession | undefined;

/** The session $(bagof) and the evaluator use, if the engine is loaded. */
export function currentSession(): LogicSession | undefined {
  if (current === undefined) {
    // An engine loaded by someone else (a library user) still serves $(bagof) without Prolog
    // blocks; it gets an empty module of its own.
    const engine = loadedPrologEngine();
    if (engine !== undefined) current = { engine, module: engine.newModule(), consulted: [], output: processOutput, cwd: process.cwd() };
  }
  return current;
}

/** Makes the current module hold exactly `blocks` (consulting what is missing, or starting a
 * new module when they differ from what it holds). Throws MakeError for a block's syntax
 * error, at the block's line. */
export async function sessionFor(blocks: PrologBlock[], cwd: string, output: LogicOutput): Promise<LogicSession> {
  const engine = await loadPrologEngine();
  let s = currentSession()!;
  const prefix = s.consulted.length <= blocks.length && s.consulted.every((t, i) => blocks[i]!.text === t);
  if (!prefix) s = current = { engine, module: engine.newModule(), consulted: [], output, cwd };
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
