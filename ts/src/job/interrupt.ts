// What happens when tmake is interrupted (SIGINT, SIGTERM, SIGHUP) while recipes run.
//
// GNU Make deletes the target of every recipe that was running, unless the target is
// .PRECIOUS or phony or was not modified, printing "make: *** Deleting file 't'", and then
// dies of the same signal. tmake does the same, and also makes sure the recipe is really gone
// before deleting: it forwards the signal to the running command and everything it started,
// and waits for it, so no process can write to the target after it was deleted.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { ChildTargets } from "./targets.js";
import { flushOut } from "../output.js";

/** A recipe in progress: from before its first command until its result is known. */
export interface ActiveJob {
  /** The files it makes, with their times from before its first command. */
  targets: ChildTargets;
  /** The command running now, if any. */
  child?: ChildProcess;
  /** Set while the job waits to learn whether its command's death by SIGINT/SIGTERM/SIGHUP
   * came with an interrupt of tmake itself: the handler calls it to end the wait. */
  wake?: () => void;
}

const active = new Set<ActiveJob>();
const cleanups = new Set<(signal: NodeJS.Signals) => void>();
const handledSignals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let fatalSignal: NodeJS.Signals | undefined;
let installed = false;

/** Process ids of every descendant of `pid` (Linux /proc; empty elsewhere). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number): void => {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let children: string;
      try {
        children = fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of children.split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(pid);
  return out;
}

function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  // List the descendants before anything dies (they would be re-parented and out of reach),
  // then signal the shell before its children, so that it sees the signal it dies of rather
  // than only the death of its command (and goes on with the next one).
  const below = descendants(child.pid);
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
  for (const pid of below) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

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

/** Ends an interrupted job: deletes its target when that is GNU's rule, and dies when no job is
 * left. */
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
  for (const job of [...active]) {
    const child = job.child;
    if (job.wake) job.wake(); // the job reports its command's end, then finishes itself
    else if (child && child.exitCode === null && child.signalCode === null) signalTree(child, signal);
    else finishInterrupted(job);
  }
  die();
}

/** Installs the handlers once (the first time a recipe runs). */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const s of handledSignals) process.on(s, onSignal);
}

export function registerJob(job: ActiveJob): void {
  active.add(job);
}

export function unregisterJob(job: ActiveJob): void {
  active.delete(job);
}
