// The batch runner: each recipe becomes one job script (script.ts) submitted to Slurm, Grid
// Engine or PBS (engines.ts), the way biomake's run_execs_with_qsub does, and tmake waits for
// the jobs and reports them as a make does (docs/architecture.md, "How a Slurm runner plugs
// in").
//
//  - Full width: a recipe whose prerequisites' jobs are still queued is submitted at once,
//    chained to them by the scheduler's own dependencies (Slurm --dependency=afterok:, SGE
//    -hold_jid, PBS -W depend=afterok:). A prerequisite known to have succeeded is left out
//    (a dependency on a finished job is never left waiting); one known to have failed means
//    the recipe is not submitted at all.
//  - The end of a job is told by its exit-status file, looked at every poll, and by one status
//    query per cycle for every job of the run (the jobs carry the run's id as their name), so
//    the runner works where accounting is off and after the scheduler has forgotten a job.
//  - A job that fails has its dependents cancelled (Slurm also cancels them itself:
//    --kill-on-invalid-dep=yes); a dependent's script also checks its prerequisites' status
//    files before it runs anything (SGE and PBS release a held job whatever its prerequisite
//    did).
//  - Failure classes: out of memory, time limit, node failure, preemption, cancellation and
//    submission errors are told apart, printed in GNU's failure line and recorded.
//  - Throttling: at most `maxQueued` jobs of the run in the queue, at most `submitRate`
//    submissions a second, `submitParallel` at once; a failed submission is retried
//    `retries` times with a doubling delay, then it is the target's failure.
//  - Dying (a failure without -k): jobs not started yet are cancelled and withdrawn; running
//    ones go on to their end. Ctrl-C: every job of the run is cancelled, in batches, the
//    count said; once the queue no longer holds them their half-written targets are deleted
//    (GNU's delete_child_targets) and tmake dies of the signal.
import fs from "node:fs";
import path from "node:path";
import { flushOut } from "../../output.js";
import { dieIfIdle, finishInterrupted, installInterruptHandlers, pendingSignal, registerJob, unregisterJob } from "../interrupt.js";
import { localRunner } from "../local.js";
import { printJobFailure } from "../output.js";
import { stepsOf } from "../plan.js";
import { describeSignal, signalName } from "../signals.js";
import type { Slots } from "../slots.js";
import type { JobResult, JobRunner, JobSpec } from "../types.js";
import { isFinal, type Engine, type QueueState } from "./engines.js";
import type { QueueLayout } from "./layout.js";
import type { JobLedger, LedgerState } from "./ledger.js";
import { shellQuote, splitArgs } from "../../base/shell-words.js";
import { capture, classWords, QueueJob, QueueSlots, sleep, stateClass } from "./queue-job.js";
import { environmentDelta, jobScript, parseScriptEnd, recipeDigest, scriptDigest, type ScriptEnd } from "./script.js";

export interface BatchOptions extends QueueTuning {
  engine: Engine;
  /** The programs run (--qsub-exec, --qdel-exec, --qstat-exec), and whether a status query
   * can be made at all (a --qsub-exec stand-in without a status program beside it has none:
   * the exit-status files alone tell the jobs' ends). */
  submitExec: string;
  cancelExec: string;
  statusExec: string | undefined;
  /** --queue-args (submission and cancellation), --qsub-args, --qdel-args: option strings. */
  queueArgs: string;
  submitArgs: string;
  cancelArgs: string;
  /** --qsub-header and the path given by --qsub-header-file. */
  header: string;
  headerFile: string;
  /** --qsub-use-tmake: every job runs tmake for its target on the worker; `tmake` is that
   * command (the same installation by absolute path, the makefiles and variables of this
   * run) and `tmakeArgs` what --qsub-biomake-args adds (default -N). */
  useTmake: boolean;
  tmake: string[];
  tmakeArgs: string;
  layout: QueueLayout;
  ledger: JobLedger;
}

/** How the runner paces and watches the queue, as the command line sets it (the same fields in
 * QueueSettings, index.ts). */
export interface QueueTuning {
  /** The environment the scheduler hands a job (tmake's own): a job script sets only what the
   * recipe's environment changes. */
  baseEnv: Record<string, string | undefined>;
  /** --detach: submit, record, and leave without waiting. */
  detach: boolean;
  maxQueued: number;
  submitRate: number;
  submitParallel: number;
  retries: number;
  retryDelayMs: number;
  /** How often the exit-status files are looked at, and the status query made (ms). */
  pollMs: number;
  queryMs: number;
  /** How long a job the queue no longer holds may go without its exit-status file before it
   * is taken for lost (a shared file system may show the file late). */
  lostAfterMs: number;
  /** --array-jobs: recipes of one rule handed over together, waiting for the same jobs, go as
   * one array job of at most `arrayMax` tasks. */
  arrayJobs: boolean;
  arrayMax: number;
}

export class BatchRunner implements JobRunner {
  readonly name: string;
  readonly batch = true;
  readonly chains = true;
  private count = 0;
  private readonly byTarget = new Map<string, QueueJob>();
  private readonly live = new Set<QueueJob>();
  private readonly jobName: string;
  /** The job names the status query asks for: this run's, and earlier runs' whose jobs it
   * reattached to. */
  private readonly jobNames = new Set<string>();
  /** Submissions waiting for their turn (rate and parallel limits). */
  private readonly submitQueue: QueueJob[] = [];
  private submitting = 0;
  private lastSubmit = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private lastQuery = 0;
  private querying = false;
  private interrupted = false;
  private isDying = false;

  constructor(private readonly o: BatchOptions) {
    this.name = o.engine.name;
    this.jobName = `tmake-${o.layout.runId}`;
    this.jobNames.add(this.jobName);
  }

  slots(): Slots {
    return new QueueSlots(this.o.maxQueued);
  }

  run(spec: JobSpec): Promise<JobResult> {
    // -n and -q run here what they run (recursive lines), as the local runner does.
    if (spec.dryRun || spec.question === true) return localRunner.run(spec);
    installInterruptHandlers();
    const job = new QueueJob(++this.count, spec, this);
    for (const name of [spec.target, ...(spec.alsoMake ?? []).map((a) => a.name)]) this.byTarget.set(name, job);
    for (const p of spec.prereqs ?? []) {
      const before = this.byTarget.get(p);
      if (before === undefined || before === job || job.after.includes(before)) continue;
      if (before.ended && before.succeeded && !before.detached) continue; // finished: nothing to wait for
      if (before.ended && !before.succeeded) return Promise.resolve(this.depFailed(job, before));
      job.after.push(before);
    }
    registerJob(job);
    this.live.add(job);
    if (this.reattach(job)) return job.result;
    this.submitQueue.push(job);
    this.pumpSubmissions();
    return job.result;
  }

  /** Reattaching: an earlier run (killed, or --detach) submitted the same recipe for this
   * target. A job that has not said how it ended is waited for, not submitted again; one that
   * succeeded after the prerequisites last changed is collected (the journal remakes a target
   * whose recipe a killed run left running). Returns whether it was. */
  private reattach(job: QueueJob): boolean {
    const spec = job.spec;
    let prev;
    try {
      prev = this.o.ledger.last(spec.target);
    } catch {
      return false;
    }
    if (prev === undefined || prev.state !== "submitted" || prev.engine !== this.name || prev.runId === this.o.layout.runId) return false;
    let script: string;
    try {
      script = fs.readFileSync(prev.files.script, "utf8");
    } catch {
      return false;
    }
    const useTmake = this.o.useTmake || spec.decideOnWorker === true;
    const tmake = useTmake ? [...this.o.tmake, ...splitArgs(this.o.tmakeArgs), spec.target] : undefined;
    if (scriptDigest(script) !== recipeDigest(spec, tmake)) return false;
    // A job that has written its exit status is over. One that succeeded after every
    // prerequisite last changed is collected; any other runs anew.
    let ended: ScriptEnd | undefined;
    let endedAt = 0;
    try {
      ended = parseScriptEnd(fs.readFileSync(prev.files.status, "utf8"));
      endedAt = fs.statSync(prev.files.status).mtimeMs;
    } catch {
      ended = undefined;
    }
    if (ended !== undefined && (ended.kind !== "ok" || !this.newerThanPrereqs(endedAt, spec))) return false;
    job.id = prev.jobId;
    job.files = prev.files;
    job.reattached = true;
    if (ended !== undefined) {
      job.markSubmitted(true);
      spec.run.msg.out(`${spec.run.msg.prefix}: ${this.name} job ${prev.jobId} of run ${prev.runId} made '${spec.target}' meanwhile: collected\n`);
      this.printLogs(job);
      this.end(job, { ok: true });
      return true;
    }
    job.submittedAt = Date.now();
    job.targets.noteStart();
    job.markSubmitted(true);
    this.jobNames.add(`tmake-${prev.runId}`);
    spec.run.msg.out(
      `${spec.run.msg.prefix}: ${this.name} job ${prev.jobId} of run ${prev.runId} is still in the queue for '${spec.target}': waiting for it\n`,
    );
    if (this.o.detach) {
      job.detached = true;
      this.settle(job, { ok: true, detached: true });
    } else this.schedulePoll();
    return true;
  }

  dying(): void {
    this.isDying = true;
    // Jobs not started yet are withdrawn: those waiting for their submission at once, those
    // pending in the queue once cancelled. Running jobs go on to their end.
    for (const job of this.submitQueue.splice(0)) this.withdraw(job);
    const pending = [...this.live].filter((j) => j.id !== undefined && !j.ended && j.queueState !== "running");
    if (pending.length > 0) void this.cancel(pending).then(() => pending.forEach((j) => this.withdraw(j)));
  }

  /** Whether every prerequisite of `spec` exists and is older than `ms`. */
  private newerThanPrereqs(ms: number, spec: JobSpec): boolean {
    for (const p of spec.prereqs ?? []) {
      try {
        if (fs.statSync(path.resolve(spec.cwd, p)).mtimeMs > ms) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  // ---- submission ----------------------------------------------------------------------------

  private pumpSubmissions(): void {
    // --array-jobs: the walk hands a pass's recipes over one by one; wait a moment so that a
    // pass's recipes of one rule can go as one array.
    if (this.o.arrayJobs && this.batchTimer === undefined && this.submitQueue.length > 0) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = undefined;
        this.pumpNow();
      }, 20);
      return;
    }
    if (!this.o.arrayJobs) this.pumpNow();
  }

  private pumpNow(): void {
    while (this.submitting < this.o.submitParallel && this.submitQueue.length > 0 && !this.interrupted) {
      const group = this.nextGroup();
      this.submitting++;
      void this.submit(group).finally(() => {
        this.submitting--;
        this.pumpNow();
      });
    }
  }

  /** The next job to submit, with (--array-jobs) the waiting jobs of the same rule, settings
   * and prerequisites' jobs, up to arrayMax. */
  private nextGroup(): QueueJob[] {
    const first = this.submitQueue.shift()!;
    if (!this.o.arrayJobs) return [first];
    const key = (j: QueueJob): string => {
      const q = j.spec.queue;
      const after = j.after.map((a) => a.n).sort((x, y) => x - y);
      return JSON.stringify([j.spec.loc.file, j.spec.loc.line, q?.args, q?.header, q?.headerFile, j.spec.decideOnWorker === true, after]);
    };
    const k = key(first);
    const group = [first];
    for (let i = 0; i < this.submitQueue.length && group.length < this.o.arrayMax;) {
      if (key(this.submitQueue[i]!) === k) group.push(...this.submitQueue.splice(i, 1));
      else i++;
    }
    return group;
  }

  /** Waits for the rate limit: at most submitRate submissions a second. */
  private async turn(): Promise<void> {
    const gap = 1000 / this.o.submitRate;
    const at = Math.max(Date.now(), this.lastSubmit + gap);
    this.lastSubmit = at;
    if (at > Date.now()) await sleep(at - Date.now());
  }

  /** Writes the job's script; false (the job failed) when it cannot be written. */
  private writeScript(job: QueueJob, waitFor: QueueJob[], directives: string[]): boolean {
    const o = this.o;
    const spec = job.spec;
    const files = (job.files = o.layout.job(job.n));
    const rule = spec.queue;
    // biomake reads a header file when it submits; one that cannot be read adds nothing.
    const headerFileText = (file: string): string => {
      if (file === "") return "";
      try {
        return fs.readFileSync(path.resolve(spec.cwd, file), "utf8");
      } catch {
        return "";
      }
    };
    const useTmake = o.useTmake || spec.decideOnWorker === true;
    const script = jobScript(spec, {
      directives,
      headers: [
        { comment: "Header from QsubHeader variable", text: rule?.header ?? "" },
        { comment: "Header from --qsub-header", text: o.header },
        { comment: "Contents of header file specified by QsubHeaderFile variable", text: headerFileText(rule?.headerFile ?? "") },
        { comment: "Contents of header file specified by --qsub-header-file", text: headerFileText(o.headerFile) },
      ],
      statusFile: files.status,
      waitsFor: waitFor.map((p) => ({ target: p.spec.target, statusFile: p.files!.status })),
      env: environmentDelta(spec.env, o.baseEnv),
      prefix: spec.run.msg.prefix,
      tmakeCommand: useTmake ? [...o.tmake, ...splitArgs(o.tmakeArgs), spec.target] : undefined,
      statusWaitSeconds: Math.ceil(o.lostAfterMs / 1000),
    });
    try {
      fs.rmSync(files.status, { force: true });
      fs.writeFileSync(files.script, script, { mode: 0o755 });
      return true;
    } catch (e) {
      job.markSubmitted(false);
      this.end(job, this.failure(job, "submission-error", `cannot write ${files.script}: ${(e as Error).message}`));
      return false;
    }
  }

  /** The script of an array job: each task runs its recipe's own script (with that job's
   * output files), chosen by the task's index. */
  private writeArrayScript(group: QueueJob[]): { script: string; out: string; err: string } {
    const e = this.o.engine;
    const files = this.o.layout.job(`array-${group[0]!.n}`);
    const q = shellQuote;
    const lines = ["#!/bin/sh", ...e.directives(this.jobName, { size: group.length }), `case "$${e.arrayIndexVar}" in`];
    group.forEach((j, i) => lines.push(`  ${i + e.arrayBase}) exec /bin/sh ${q(j.files!.script)} >${q(j.files!.out)} 2>${q(j.files!.err)} ;;`));
    lines.push(`  *) echo "tmake: no task $${e.arrayIndexVar} in this array" >&2; exit 1 ;;`, "esac");
    fs.writeFileSync(files.script, `${lines.join("\n")}\n`, { mode: 0o755 });
    return files;
  }

  /** Submits a job, or (--array-jobs) a group of jobs of one rule as one array. */
  private async submit(group: QueueJob[]): Promise<void> {
    // The prerequisites' jobs must have ids before this one can name them (the group's jobs
    // all wait for the same ones).
    const after = group[0]!.after;
    for (const p of after) {
      if (!(await p.submitted)) {
        for (const job of group) {
          job.markSubmitted(false);
          this.end(job, this.depFailed(job, p));
        }
        return;
      }
    }
    const waitFor = after.filter((p) => !(p.ended && p.succeeded && !p.detached));
    const failed = waitFor.find((p) => p.ended && !p.succeeded);
    group = group.filter((job) => {
      if (job.ended) return false;
      if (failed === undefined) return true;
      job.markSubmitted(false);
      this.end(job, this.depFailed(job, failed));
      return false;
    });
    const o = this.o;
    const array = group.length > 1;
    group = group.filter((job) => this.writeScript(job, waitFor, array ? [] : o.engine.directives(this.jobName)));
    if (group.length === 0) return;
    const first = group[0]!;
    const spec = first.spec;
    let files: { script: string; out: string; err: string };
    try {
      files = group.length > 1 ? this.writeArrayScript(group) : first.files!;
    } catch (e) {
      for (const job of group) {
        job.markSubmitted(false);
        this.end(job, this.failure(job, "submission-error", `cannot write the array's script: ${(e as Error).message}`));
      }
      return;
    }
    const argv = [
      o.submitExec,
      ...o.engine.outputArgs(files.out, files.err),
      ...splitArgs(o.queueArgs),
      ...splitArgs(o.submitArgs),
      ...splitArgs(spec.queue?.args ?? ""),
      ...o.engine.dependencyArgs(waitFor.map((p) => o.engine.dependencyId(p.id!))),
      ...o.engine.extraArgs,
      files.script,
    ];
    let why = "";
    for (let attempt = 0; attempt <= o.retries; attempt++) {
      if (attempt > 0) await sleep(o.retryDelayMs * 2 ** (attempt - 1));
      if (this.interrupted || group.every((j) => j.withdrawn)) break;
      await this.turn();
      for (const job of group) job.targets.noteStart();
      const r = await capture(argv, spec.cwd);
      const id = r.code === 0 ? o.engine.parseId(r.stdout) : undefined;
      if (id !== undefined) {
        group.forEach((job, i) => this.submitted(job, group.length > 1 ? o.engine.taskId(id, i + o.engine.arrayBase) : id, group.length > 1 ? id : undefined));
        if (this.interrupted) {
          await this.cancel(group);
          for (const job of group) this.finishStopped(job);
        }
        return;
      }
      why = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.code}`).split("\n")[0]!;
    }
    for (const job of group) {
      job.markSubmitted(false);
      if (this.interrupted) this.finishStopped(job);
      else if (!job.withdrawn) this.end(job, this.failure(job, "submission-error", `submission failed: ${why}`));
    }
  }

  /** A job has its id (`array`: the array job it is a task of). */
  private submitted(job: QueueJob, id: string, array: string | undefined): void {
    const spec = job.spec;
    job.id = id;
    if (array !== undefined) job.array = { id: array, index: 0 };
    job.submittedAt = Date.now();
    job.markSubmitted(true);
    spec.run.msg.out(`${spec.run.msg.prefix}: ${this.name} job ${id} submitted for '${spec.target}'\n`);
    this.record(job, "submitted");
    if (this.interrupted) return;
    this.schedulePoll();
    if (this.o.detach) {
      job.detached = true;
      this.settle(job, { ok: true, detached: true });
    }
  }

  // ---- watching -------------------------------------------------------------------------------

  private schedulePoll(): void {
    if (this.pollTimer !== undefined || this.o.detach) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll().finally(() => {
        if ([...this.live].some((j) => j.id !== undefined && !j.ended)) this.schedulePoll();
      });
    }, this.o.pollMs);
  }

  private async poll(): Promise<void> {
    const watched = [...this.live].filter((j) => j.id !== undefined && !j.ended);
    for (const job of watched) {
      const end = this.readEnd(job);
      if (end !== undefined) this.ended(job, end);
    }
    const now = Date.now();
    if (this.o.statusExec === undefined || this.querying || now - this.lastQuery < this.o.queryMs) return;
    const still = watched.filter((j) => !j.ended);
    if (still.length === 0) return;
    this.querying = true;
    this.lastQuery = now;
    try {
      const states = await this.query(still.map((j) => j.id!));
      if (states === undefined) return;
      const at = Date.now();
      for (const job of still) {
        if (job.ended) continue;
        const s = states.get(job.id!);
        if (s !== undefined) job.queueState = s;
        if (s === "dependency-never") {
          // A prerequisite failed and the scheduler holds the job forever: it is cancelled.
          void this.cancel([job]);
          const p = job.after.find((a) => a.ended && !a.succeeded) ?? job.after[0];
          this.end(job, p !== undefined ? this.depFailed(job, p) : this.failure(job, "dependency-failed", "dependency never satisfied"));
          continue;
        }
        if (s !== undefined && !isFinal(s)) {
          job.goneSince = undefined;
          continue;
        }
        // Finished, or no longer listed: the exit-status file says how, once it shows. A job the
        // scheduler killed (memory, time, node, preemption, cancel) may never write one.
        job.goneSince ??= at;
        const end = this.readEnd(job);
        const killed = s !== undefined && s !== "completed" && s !== "failed";
        const grace = killed ? Math.min(this.o.lostAfterMs, 2000) : this.o.lostAfterMs;
        if (end !== undefined) this.ended(job, end);
        else if (at - job.goneSince >= grace) this.ended(job, undefined);
      }
    } finally {
      this.querying = false;
    }
  }

  /** One status query for the run's jobs; undefined when it failed (tried again next cycle). */
  private async query(ids: string[]): Promise<Map<string, QueueState> | undefined> {
    const argv = [this.o.statusExec!, ...this.o.engine.statusArgs([...this.jobNames], ids)];
    const r = await capture(argv, this.o.layout.root);
    if (r.code !== 0) return undefined;
    return this.o.engine.parseStatus(r.stdout);
  }

  private readEnd(job: QueueJob): ScriptEnd | undefined {
    try {
      return parseScriptEnd(fs.readFileSync(job.files!.status, "utf8"));
    } catch {
      return undefined;
    }
  }

  /** The job is over: `end` is what its exit-status file says (undefined: it left none). */
  private ended(job: QueueJob, end: ScriptEnd | undefined): void {
    if (job.ended) return;
    if (this.interrupted) return this.finishStopped(job);
    this.printLogs(job);
    const spec = job.spec;
    if (end?.kind === "ok") return this.end(job, { ok: true });
    if (end?.kind === "dep") {
      const p = job.after.find((a) => a.spec.target === end.target) ?? job.after[0]!;
      return this.end(job, this.depFailed(job, p));
    }
    const cls = job.queueState !== undefined ? stateClass[job.queueState] : undefined;
    if (end?.kind === "step") {
      const step = stepsOf(spec)[end.step];
      const sig = end.status > 128 ? signalName(end.status - 128) : undefined;
      const special = cls !== undefined && cls !== "failed" ? cls : undefined;
      const what =
        special !== undefined ? `${classWords[special]} (${this.name} job ${job.id})` : sig !== undefined ? describeSignal(sig) : `Error ${end.status}`;
      if (!spec.dontCare) {
        spec.beforeFailure?.();
        printJobFailure(spec.run.msg.prefix, step?.loc ?? spec.loc, spec.target, what, false, (l) => spec.run.msg.err(`${l}\n`));
      }
      const killed = sig !== undefined || special !== undefined;
      const deleted = killed || spec.deleteOnError ? job.targets.deleteChanged() : [];
      const how = sig !== undefined ? { signal: sig } : { status: end.status };
      this.record(job, special ?? "failed");
      return this.settle(job, {
        ok: false,
        ...how,
        failed: step !== undefined ? { command: step.body, loc: step.loc } : undefined,
        deleted,
        jobEnd: special,
      });
    }
    // Signalled, could not start, or no exit status at all: the scheduler's state says why.
    const state: LedgerState = end?.kind === "setup" ? "failed" : (cls ?? (end?.kind === "signal" ? "cancelled" : "lost"));
    const detail = end?.kind === "setup" ? `Error ${end.status} (the job could not start the recipe)` : undefined;
    return this.end(job, this.failure(job, state, detail));
  }

  /** Prints the job's output in one piece, as -O does: its standard output, then its error. */
  private printLogs(job: QueueJob): void {
    const msg = job.spec.run.msg;
    for (const [file, print] of [
      [job.files?.out, (t: string) => msg.out(t)],
      [job.files?.err, (t: string) => msg.err(t)],
    ] as const) {
      if (file === undefined) continue;
      try {
        const text = fs.readFileSync(file, "utf8");
        if (text !== "") print(text);
      } catch {
        // No log (the job never started, or the scheduler wrote it elsewhere).
      }
    }
  }

  // ---- ends -----------------------------------------------------------------------------------

  /** A failure the scheduler caused (or the submission): GNU's line with the class's words,
   * the half-written targets deleted as after a signal. */
  private failure(job: QueueJob, state: LedgerState, detail?: string): JobResult {
    const spec = job.spec;
    const words = detail ?? `${classWords[state] ?? state}${job.id !== undefined ? ` (${this.name} job ${job.id})` : ""}`;
    if (!spec.dontCare) {
      spec.beforeFailure?.();
      printJobFailure(spec.run.msg.prefix, spec.commands[0]?.loc ?? spec.loc, spec.target, words, false, (l) => spec.run.msg.err(`${l}\n`));
    }
    const deleted = state === "submission-error" ? [] : job.targets.deleteChanged();
    this.record(job, state);
    return { ok: false, status: 1, deleted, jobEnd: state };
  }

  /** The job of prerequisite `p` failed: this one never runs, and says nothing (the make has
   * said why `p` failed; the walk says what was not remade). */
  private depFailed(job: QueueJob, p: QueueJob): JobResult {
    if (job.id !== undefined) this.record(job, "dependency-failed");
    return { ok: false, status: 1, jobEnd: `dependency-failed:${p.spec.target}` };
  }

  private end(job: QueueJob, result: JobResult): void {
    if (job.ended) return;
    if (result.ok && !result.detached) this.record(job, "succeeded");
    this.settle(job, result);
  }

  private settle(job: QueueJob, result: JobResult): void {
    if (job.ended) return;
    job.ended = true;
    job.succeeded = result.ok;
    this.live.delete(job);
    unregisterJob(job);
    flushOut();
    job.resolve(result);
    if (!result.ok) this.cancelDependents(job);
  }

  /** A job failed: the jobs waiting for it (directly or not) are cancelled. */
  private cancelDependents(failed: QueueJob): void {
    const doomed = new Set<QueueJob>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const j of this.live)
        if (!doomed.has(j) && j.after.some((a) => a === failed || doomed.has(a))) {
          doomed.add(j);
          grew = true;
        }
    }
    if (doomed.size === 0) return;
    const queued = [...doomed].filter((j) => j.id !== undefined);
    const finish = (): void => {
      for (const j of doomed) {
        const p = j.after.find((a) => a === failed || doomed.has(a))!;
        j.withdrawn = true;
        this.settle(j, this.depFailed(j, p === failed ? failed : p));
      }
    };
    for (const j of doomed) {
      const i = this.submitQueue.indexOf(j);
      if (i >= 0) this.submitQueue.splice(i, 1);
    }
    if (queued.length === 0) finish();
    else void this.cancel(queued).then(finish);
  }

  private withdraw(job: QueueJob): void {
    job.withdrawn = true;
    if (job.id !== undefined) this.record(job, "cancelled");
    this.settle(job, { ok: false, status: 1, jobEnd: "cancelled" });
  }

  private record(job: QueueJob, state: LedgerState): void {
    if (job.id === undefined || job.files === undefined) return;
    try {
      this.o.ledger.record({ runId: this.o.layout.runId, target: job.spec.target, engine: this.name, jobId: job.id, state, files: job.files });
    } catch {
      // The record is for reattaching and the console; the build goes on without it.
    }
  }

  /** Cancels jobs with the scheduler's cancel command, at most 100 ids a command. */
  private async cancel(jobs: QueueJob[]): Promise<void> {
    const ids = [
      ...new Set(jobs.map((j) => (j.id === undefined ? undefined : this.o.engine.cancelId(j.id, j.array?.id))).filter((id): id is string => id !== undefined)),
    ];
    for (let i = 0; i < ids.length; i += 100) {
      const argv = [this.o.cancelExec, ...splitArgs(this.o.queueArgs), ...splitArgs(this.o.cancelArgs), ...ids.slice(i, i + 100)];
      await capture(argv, this.o.layout.root);
    }
  }

  // ---- interrupts -----------------------------------------------------------------------------

  /** tmake got SIGINT/SIGTERM/SIGHUP: called once per live job (ActiveJob.stop). The first call
   * cancels every job of the run in batches; each job is finished (its targets deleted) once
   * the queue no longer holds it. */
  interrupt(_job: QueueJob): void {
    if (this.interrupted) return;
    this.interrupted = true;
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    for (const job of this.submitQueue.splice(0)) this.finishStopped(job);
    const queued = [...this.live].filter((j) => j.id !== undefined && !j.ended);
    const msg = [...this.live][0]?.spec.run.msg;
    if (queued.length > 0 && msg !== undefined) msg.error(`*** Cancelling ${queued.length} ${this.name} job${queued.length === 1 ? "" : "s"}`);
    void this.cancel(queued).then(() => this.awaitGone(queued));
  }

  /** Waits until the queue holds none of `jobs` (or 30 s), then finishes them. */
  private async awaitGone(jobs: QueueJob[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (this.o.statusExec !== undefined && Date.now() < deadline) {
      const states = await this.query(jobs.map((j) => j.id!));
      const held = (j: QueueJob): boolean => {
        const s = states?.get(j.id!);
        return s !== undefined && !isFinal(s);
      };
      if (states !== undefined && !jobs.some(held)) break;
      await sleep(this.o.pollMs);
    }
    for (const job of jobs) this.finishStopped(job);
    dieIfIdle();
  }

  /** An interrupted job is over: its half-written targets go (GNU's delete_child_targets),
   * and its end is said when it had started. */
  private finishStopped(job: QueueJob): void {
    if (job.ended) return;
    job.ended = true;
    this.live.delete(job);
    if (job.targets.started && job.id !== undefined) {
      const spec = job.spec;
      finishInterrupted(job);
      printJobFailure(spec.run.msg.prefix, spec.loc, spec.target, describeSignal(pendingSignal() ?? "SIGINT"), false, (l) => spec.run.msg.err(`${l}\n`));
      this.record(job, "cancelled");
    } else unregisterJob(job);
    dieIfIdle();
  }
}
