// The command's side of the build journal (ts/src/journal): which runs keep one, what the
// build gets from it (an observer, the recipes' environment, the rerun triggers), and its end.
import { MakeError } from "../messages.js";
import type { RunContext } from "../run-context.js";
import type { Database } from "../read/database.js";
import type { BuildOptions } from "../remake/options.js";
import { onInterrupt } from "../job/index.js";
import { Journal, RUN_ENV, TRIGGERS, type Trigger } from "../journal/journal.js";
import type { CommandLine } from "./state.js";

/** Whether a console option was given (the run then reads, and builds nothing). */
export function wantsConsole(cl: CommandLine): boolean {
  return cl.consoleStatus || cl.consoleExplain || cl.consoleFailed || cl.consoleLog || cl.consoleStats || cl.consoleClean || cl.consoleShell;
}

/** The rerun triggers: --rerun-triggers, else the makefile's .RERUN_TRIGGERS, else none. */
export function rerunTriggers(cl: CommandLine, db: Database | undefined): Trigger[] {
  let words = cl.rerunTriggers;
  if (words === undefined && db !== undefined) {
    const v = db.globals.get(".RERUN_TRIGGERS");
    if (v !== undefined) words = (v.flavor === "recursive" ? db.expander.expand(v.value, db.globals) : v.value).split(/[\s,]+/).filter(Boolean);
  }
  for (const w of words ?? [])
    if (!(TRIGGERS as readonly string[]).includes(w)) throw new MakeError(`unknown rerun trigger '${w}' (known: ${TRIGGERS.join(", ")})`);
  return (words ?? []) as Trigger[];
}

/** The journal of a run that reads or builds in `cwd`; undefined under --no-journal. A run that
 * builds (not -n, -q, -t) writes one and takes the tree's build lock. */
export async function openRunJournal(
  cl: CommandLine,
  run: RunContext,
  cwd: string,
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<Journal | undefined> {
  if (cl.noJournal) return undefined;
  let journal: Journal;
  try {
    journal = await Journal.open({
      cwd,
      argv,
      makelevel: run.makelevel,
      writes: !(cl.dryRun || cl.question || cl.touch || wantsConsole(cl)),
      keepGoing: cl.keepGoing,
      msg: run.msg,
      silent: cl.silent,
      parents: env[RUN_ENV],
      syncStarts: env.TMAKE_JOURNAL_SYNC !== "0",
      run,
    });
  } catch (e) {
    // A tree tmake may not write to (read-only, or a full disk) is built without a journal.
    run.msg.error(`no build journal here: ${(e as Error).message}`);
    return undefined;
  }
  // Dying of a signal: the recipes running are recorded as interrupted; any other end that
  // skips the command's own (an exit from deep inside) still closes the run.
  onInterrupt((signal) => journal.interrupted(signal));
  process.once("exit", (code) => journal.close(code));
  return journal;
}

/** What the build gets from the journal. */
export function withJournal(opts: BuildOptions, journal: Journal | undefined, cl: CommandLine, db: Database): BuildOptions {
  if (journal === undefined) return { ...opts, recordOutput: 0 };
  journal.useTriggers(rerunTriggers(cl, db));
  // Output is kept only by a run that writes a log.
  return { ...opts, observer: journal, recipeEnv: journal.recipeEnv, recordOutput: journal.runId === undefined ? 0 : opts.recordOutput };
}
