// GNU main()'s job settings: whether this make joins its parent's jobserver, starts its own, or
// runs one job at a time, with GNU's warnings; and whether output is synchronized (-O applies
// only when jobs may run in parallel).
import { RunKey, type RunContext } from "../run-context.js";
import { attachJobserver, createJobserver } from "../job/jobserver.js";
import { configureOutputSync, outputSyncMode, SyncOutput } from "../job/output-sync.js";
import { jobState } from "../job/run-state.js";
import { setOutputCapture } from "../output.js";
import { printsDirectory } from "./makeflags.js";
import type { CommandLine } from "./state.js";

const jobsText = (jobs: CommandLine["jobs"]): string => (jobs === "unlimited" ? "0" : String(jobs));

/** Before the makefiles are read: a sub-make given --jobserver-auth joins its parent's
 * jobserver, unless its own command line says -j (it then starts a group of its own) or the
 * pipe did not reach it (the parent did not see a recursive make: one job at a time). */
export function joinJobserver(run: RunContext, cl: CommandLine): void {
  if (cl.jobserverAuth === undefined) return;
  if (!cl.jobsOnCommandLine) {
    const server = attachJobserver(cl.jobserverAuth);
    if (server !== undefined) {
      jobState(run).jobserver = server;
      return;
    }
    run.msg.error("warning: jobserver unavailable: using -j1.  Add '+' to parent make rule.");
    cl.jobs = 1;
  } else {
    run.msg.error(`warning: -j${jobsText(cl.jobs)} forced in submake: resetting jobserver mode.`);
  }
  cl.jobserverAuth = undefined;
}

/** Whether -O holds this make's output per line or target from the start (GNU then announces
 * the directory around each piece of output instead of once). */
export function syncsOutput(cl: CommandLine): boolean {
  return cl.outputSync === "line" || cl.outputSync === "target";
}

/** GNU's log_working_directory line ("make: Entering directory '/x'"); a comment line of the
 * database under -p. */
export function directoryLine(run: RunContext, cl: CommandLine, how: "Entering" | "Leaving", dir: string): string {
  return `${cl.printDataBase ? "# " : ""}${run.msg.prefix}: ${how} directory '${dir}'`;
}

function directoryLines(run: RunContext, cl: CommandLine, cwd: string): { enter: string; leave: string } | undefined {
  if (!printsDirectory(cl, run.makelevel)) return undefined;
  return { enter: `${directoryLine(run, cl, "Entering", cwd)}\n`, leave: `${directoryLine(run, cl, "Leaving", cwd)}\n` };
}

/** What reading the makefiles printed, held under -O line/target (see holdReadOutput). */
const readingOutput = new RunKey<{ held: SyncOutput | undefined }>("reading output", () => ({ held: undefined }));

/** GNU's make_sync: under -O line/target, what reading the makefiles prints ($(info), a
 * $(shell)'s standard error, an error that stops the make) is held, and printed in one piece
 * (inside "Entering/Leaving directory" when directories are shown) by releaseReadOutput. */
export function holdReadOutput(run: RunContext, cl: CommandLine, cwd: string): void {
  if (!syncsOutput(cl)) return;
  configureOutputSync(run, cl.outputSync!, directoryLines(run, cl, cwd));
  const held = (readingOutput.of(run).held = new SyncOutput(run));
  setOutputCapture(held);
}

/** Prints what reading the makefiles printed (see holdReadOutput). Returns whether the
 * directory is to be announced once for the rest of the run: -O was given but jobs run one
 * at a time, so nothing else is held. */
export function releaseReadOutput(run: RunContext, cl: CommandLine): boolean {
  const reading = readingOutput.of(run);
  if (reading.held === undefined) return false;
  setOutputCapture(undefined);
  reading.held.close();
  reading.held = undefined;
  const mode = outputSyncMode(run);
  if (mode === "line" || mode === "target" || !printsDirectory(cl, run.makelevel)) return false;
  run.msg.out(`${directoryLine(run, cl, "Entering", process.cwd())}\n`);
  return true;
}

/** Once the makefiles are read (`flags` with what their MAKEFLAGS added, `cl` as given): the
 * command line's -j wins over the makefiles'; a makefile's -j leaves the parent's jobserver;
 * a make that may run more than one job and has no jobserver starts one (GNU's master), whose
 * place goes into `flags` for MAKEFLAGS. Sets the output synchronization in force. */
export function settleJobs(run: RunContext, flags: CommandLine, cl: CommandLine, cwd: string): void {
  const state = jobState(run);
  if (cl.jobsOnCommandLine) flags.jobs = cl.jobs;
  else if (flags.jobs !== cl.jobs && flags.jobs !== undefined && state.jobserver !== undefined && !state.jobserver.master) {
    run.msg.error(`warning: -j${jobsText(flags.jobs)} forced in makefile: resetting jobserver mode.`);
    state.jobserver = undefined;
  }
  if (state.jobserver === undefined && typeof flags.jobs === "number" && flags.jobs > 1) state.jobserver = createJobserver(flags.jobs - 1);
  flags.jobserverAuth = state.jobserver?.auth;
  const parallel = flags.jobs !== undefined && flags.jobs !== 1;
  const type = parallel ? (flags.outputSync ?? "none") : "none";
  configureOutputSync(run, type, directoryLines(run, flags, cwd));
}
