// What happens when tmake is interrupted (SIGINT, SIGTERM, SIGHUP) while recipes run (GNU's
// fatal_error_signal in commands.c), whatever runs them.
//
// GNU Make deletes the files that every running recipe changed, unless they are .PRECIOUS or
// phony (targets.ts), printing "make: *** Deleting file 't'", reports each recipe's end
// ("[Makefile:2: t] Interrupt"), deletes the intermediate files it made, and then dies of the
// same signal. tmake does the same, and also makes sure each recipe is really gone before its
// files are deleted: every job in progress registers here with a way to stop it (the local
// runner signals the command's whole process tree; a batch runner would cancel its queued
// job), and its files are deleted once it has stopped. tmake dies when the last job is done.
import { flushOut } from "../output.js";
import type { ChildTargets } from "./targets.js";

/** A recipe in progress, as the interrupt handler sees it: from before its first command
 * until its result is known. */
export interface ActiveJob {
  /** The files it makes, with their times from before its first command. */
  targets: ChildTargets;
  /** Called once when tmake is interrupted: makes the job's work end. The job then calls
   * finishInterrupted (at once if nothing of it runs), reports how its command ended, and calls
   * dieIfIdle. */
  stop(signal: NodeJS.Signals): void;
}

const active = new Set<ActiveJob>();
const cleanups = new Set<(signal: NodeJS.Signals) => void>();
const handledSignals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let fatalSignal: NodeJS.Signals | undefined;
let installed = false;

/** Whether tmake handles this signal as an interrupt (and dies of it). */
export function isInterruptSignal(signal: string): boolean {
  return (handledSignals as string[]).includes(signal);
}

/** The signal tmake is dying of, once one arrived. */
export function pendingSignal(): NodeJS.Signals | undefined {
  return fatalSignal;
}

function die(): void {
  if (fatalSignal === undefined || active.size > 0) return;
  for (const cleanup of cleanups) {
    try {
      cleanup(fatalSignal);
    } catch {
      // Dying anyway: a failed cleanup must not keep the process alive.
    }
  }
  for (const s of handledSignals) process.off(s, onSignal);
  flushOut(); // dying of a signal skips the exit hook
  process.kill(process.pid, fatalSignal);
}

/** Registers work to do when tmake dies of an interrupt, after the running recipes have been
 * dealt with (GNU then deletes the intermediate files it made: "Deleting intermediate file").
 * Returns a function that unregisters it. */
export function onInterrupt(cleanup: (signal: NodeJS.Signals) => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Ends an interrupted job whose work has stopped: deletes the files it changed (GNU's
 * delete_child_targets). Once per job. */
export function finishInterrupted(job: ActiveJob): void {
  if (!active.delete(job)) return;
  job.targets.deleteChanged();
}

/** Called by the job after reporting on an interrupted job: dies when it was the last one. */
export function dieIfIdle(): void {
  die();
}

function onSignal(signal: NodeJS.Signals): void {
  if (fatalSignal !== undefined) return;
  fatalSignal = signal;
  for (const job of [...active]) job.stop(signal);
  die();
}

/** Installs the handlers once (the first time a recipe runs). */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const s of handledSignals) process.on(s, onSignal);
}

/** A job starts: from now on an interrupt stops it. */
export function registerJob(job: ActiveJob): void {
  active.add(job);
}

/** A job's result is known. */
export function unregisterJob(job: ActiveJob): void {
  active.delete(job);
}
