// The local job runner: runs a recipe's steps one after another as processes on this machine,
// the way GNU Make's start_job_command and reap_children do.
//
//  - Each command is echoed just before it runs, unless it has `@`, or -s / .SILENT apply;
//    under -n every command is echoed (even `@` ones) and only `+` lines and lines that use
//    $(MAKE) run.
//  - A failing command ends the recipe with `make: *** [FILE:LINE: target] Error N` (the
//    failing line's location), or is reported `(ignored)` under `-` / -i / .IGNORE.
//  - A recipe killed by a signal, or any failed recipe under .DELETE_ON_ERROR, leaves no
//    file it changed (targets.ts).
//  - An interrupt kills the running command and everything it started, deletes the files the
//    recipe changed, and tmake dies of the same signal (interrupt.ts).
//  - Under -O the job's output is held and printed in one piece (output-sync.ts); recursive
//    lines get the jobserver's descriptors (jobserver.ts), and under -j the job slots bound
//    how many recipes run at once (slots.ts).
import type { ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { outputStarts } from "../output.js";
import { runCommand, type CommandEnd } from "./exec.js";
import {
  dieIfIdle,
  finishInterrupted,
  installInterruptHandlers,
  isInterruptSignal,
  pendingSignal,
  registerJob,
  unregisterJob,
  type ActiveJob,
} from "./interrupt.js";
import { printJobFailure } from "./output.js";
import { outputSyncMode, sameStreams, SyncOutput } from "./output-sync.js";
import { takeCapture, type Capture } from "./capture.js";
import { OutputTails } from "./tails.js";
import { jobState } from "./run-state.js";
import { passStartBarrier } from "./start-barrier.js";
import { answersQuestion, argvFor, echoes, ignoresErrors, runs, stepsOf, type Step } from "./plan.js";
import { isEmptyCommand } from "./prefixes.js";
import { signalTree } from "./process-tree.js";
import { describeSignal } from "./signals.js";
import { JobSlots, type SlotLimits, type Slots } from "./slots.js";
import { ChildTargets } from "./targets.js";
import type { JobResult, JobRunner, JobSpec } from "./types.js";

/** "Error 2", "Killed", ... as GNU words a failure. */
function describeEnd(end: CommandEnd): string {
  if (end.signal) return describeSignal(end.signal);
  return `Error ${end.startError !== undefined ? 127 : end.status}`;
}

function failed(end: CommandEnd): boolean {
  return end.startError !== undefined || end.signal !== undefined || end.status !== 0;
}

/** Never settles: the process is about to die of the pending signal. */
const forever = new Promise<never>(() => {});

/** One recipe in progress on this machine. */
class LocalJob implements ActiveJob {
  readonly targets: ChildTargets;
  /** The command running now, if any. */
  private child: ChildProcess | undefined;
  /** Set while the job waits to learn whether its command's death by SIGINT/SIGTERM/SIGHUP
   * came with an interrupt of tmake itself: the interrupt handler ends the wait. */
  private wake: (() => void) | undefined;
  /** --output-sync: this job's output is held and printed in one piece. */
  private readonly syncMode: ReturnType<typeof outputSyncMode>;
  private readonly sync: SyncOutput | undefined;
  /** The command in progress (or the last one) has its output held. */
  private held = false;
  private startedAt: number | undefined;
  /** The job's output kept for the journal (JobSpec.captureOutput), and, without -O, the pipes
   * (or files) its commands write to meanwhile (capture.ts). */
  private readonly tails: OutputTails | undefined;
  private capture: Capture | undefined;
  /** The start barrier was passed (start-barrier.ts). */
  private cleared = false;
  /** No pipe or capture file could be made: the commands write straight through. */
  private noCapture = false;

  constructor(private readonly spec: JobSpec) {
    this.targets = new ChildTargets(spec);
    this.syncMode = outputSyncMode(spec.run);
    this.sync = this.syncMode !== "none" ? new SyncOutput(spec.run) : undefined;
    const keep = spec.captureOutput ?? 0;
    if (keep > 0) {
      const tails = (this.tails = new OutputTails(keep, sameStreams()));
      if (this.sync !== undefined) this.sync.tap = (toErr, bytes) => tails.add(toErr, bytes);
    }
  }

  stop(signal: NodeJS.Signals): void {
    const child = this.child;
    if (this.wake)
      this.wake(); // the job reports its command's end, then finishes itself
    else if (child && child.exitCode === null && child.signalCode === null) signalTree(child, signal);
    else finishInterrupted(this);
  }

  private say(line: string): void {
    if (this.held) this.sync!.write(false, `${line}\n`);
    else {
      this.spec.run.msg.out(`${line}\n`);
      this.tails?.add(false, Buffer.from(`${line}\n`));
    }
  }

  private complain(line: string): void {
    if (this.held) this.sync!.write(true, `${line}\n`);
    else {
      this.spec.run.msg.err(`${line}\n`);
      this.tails?.add(true, Buffer.from(`${line}\n`));
    }
  }

  async run(): Promise<JobResult> {
    const result = await this.steps();
    if (this.tails !== undefined) result.output = this.tails.result();
    return result;
  }

  private async steps(): Promise<JobResult> {
    const spec = this.spec;
    try {
      for (const step of stepsOf(spec)) {
        if (pendingSignal()) return this.interrupted(undefined, step);
        if (isEmptyCommand(step.body)) continue; // GNU skips commands that are empty after prefixes
        // A recursive line ($(MAKE) or `+`) gets the jobserver, and its output is not held
        // (the sub-make holds its own) unless the type is `recurse`.
        const recursive = step.recursive || step.flags.force;
        if (answersQuestion(step, spec)) return { ok: false, question: true, ...this.duration() };
        outputStarts();
        this.held = this.sync !== undefined && (this.syncMode === "recurse" || !recursive);
        if (this.sync !== undefined && !this.held) this.sync.dump();
        if (echoes(step, spec)) this.say(step.body);
        if (!runs(step, spec)) continue;
        // The journal's record naming the recipe's target goes to disk before its first process
        // (start-barrier.ts).
        if (!this.cleared) {
          this.cleared = true;
          passStartBarrier(spec.run, spec.target);
        }

        const end = await this.runStep(step, recursive);
        if (pendingSignal()) return this.interrupted(end, step);
        if (!failed(end)) {
          if (this.syncMode === "line") this.sync?.dump();
          continue;
        }
        if (ignoresErrors(step, spec)) {
          if (!spec.runSilent) {
            spec.beforeFailure?.();
            printJobFailure(spec.run.msg.prefix, step.loc, spec.target, describeEnd(end), true, (l) => this.complain(l));
          }
          if (this.syncMode === "line") this.sync?.dump();
          continue;
        }
        // -q: a recursive command's status 1 is its answer "not up to date", said by nobody.
        if (spec.question === true && end.signal === undefined && end.startError === undefined && end.status === 1) {
          const deleted = spec.deleteOnError ? this.targets.deleteChanged() : [];
          return { ok: false, question: true, status: 1, ...this.duration(), deleted };
        }
        return this.failure(end, step);
      }
      return { ok: true, ...this.duration() };
    } finally {
      this.sync?.close();
      this.capture?.close();
      unregisterJob(this);
    }
  }

  /** Starts one step's process and waits for its end. */
  private async runStep(step: Step, recursive: boolean): Promise<CommandEnd> {
    const spec = this.spec;
    this.targets.noteStart();
    this.startedAt ??= performance.now();
    const argv = argvFor(step.body, spec);
    // Without -O, a job whose output is kept has its commands write to pipes forwarded as
    // bytes arrive (capture.ts); recursive lines write straight through.
    if (!this.held && this.tails !== undefined && !recursive && this.capture === undefined && !this.noCapture) {
      this.capture = takeCapture(this.tails, spec.parallel === true);
      this.noCapture = this.capture === undefined;
    }
    const capture = !this.held && !recursive ? this.capture : undefined;
    const fds = this.held ? this.sync!.childFds() : capture?.childFds();
    const server = recursive ? jobState(spec.run).jobserver : undefined;
    capture?.start();
    const end = await runCommand(argv, spec.env, spec.cwd, (child) => (this.child = child), {
      out: fds?.[0],
      err: fds?.[1],
      extra: server?.childFds,
    });
    const flushed = capture?.stop();
    if (flushed !== undefined) await flushed;
    this.child = undefined;
    if (end.startError !== undefined) this.complain(`${spec.run.msg.prefix}: ${argv[0]}: ${end.startError}`);
    if (end.signal && isInterruptSignal(end.signal) && !pendingSignal()) {
      // A Ctrl-C reaches the recipe and tmake together; Node may report the recipe's death
      // before it runs tmake's own handler. Let that handler run before deciding whether
      // tmake is being interrupted or only the recipe was killed.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, 50);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
    return end;
  }

  /** A command failed and its failure is not ignored: GNU's child_error, then (after a signal
   * or under .DELETE_ON_ERROR) delete_child_targets. */
  private failure(end: CommandEnd, step: Step): JobResult {
    const spec = this.spec;
    if (!spec.dontCare) {
      spec.beforeFailure?.();
      printJobFailure(spec.run.msg.prefix, step.loc, spec.target, describeEnd(end), false, (l) => this.complain(l));
    }
    // The deletion is said at once, before the job's held output (GNU's order under -O).
    const deleted = end.signal !== undefined || spec.deleteOnError ? this.targets.deleteChanged() : [];
    const how = end.signal !== undefined ? { signal: end.signal } : { status: end.startError !== undefined ? 127 : end.status };
    return { ok: false, ...how, failed: { command: step.body, loc: step.loc }, ...this.duration(), deleted };
  }

  /** tmake is dying of a signal: the files are deleted and, when a command had run, its end is
   * said and the held output printed; the process dies once no job is left. */
  private interrupted(end: CommandEnd | undefined, step: Step): Promise<never> {
    finishInterrupted(this);
    if (end !== undefined) {
      if (failed(end)) printJobFailure(this.spec.run.msg.prefix, step.loc, this.spec.target, describeEnd(end), false, (l) => this.complain(l));
      this.sync?.close();
    }
    dieIfIdle();
    return forever;
  }

  private duration(): { durationMs?: number } {
    return this.startedAt === undefined ? {} : { durationMs: performance.now() - this.startedAt };
  }
}

/** Today's runner: the recipe runs here, under -j as many at once as the job slots allow. */
export const localRunner: JobRunner = {
  name: "local",
  slots: (limits: SlotLimits): Slots => new JobSlots(limits),
  run(spec: JobSpec): Promise<JobResult> {
    installInterruptHandlers();
    const job = new LocalJob(spec);
    registerJob(job);
    return job.run();
  },
};
