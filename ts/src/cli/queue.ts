// biomake's -Q on the command line: `-Q poolq` is the local runner under -j (N, or biomake's 4
// without -j); `-Q test`, `-Q sge`, `-Q pbs` and `-Q slurm` install the queue engine's runner
// (ts/src/job/queue) for the build, with the queue options of the switch table. Also biomake's
// --flush.
import path from "node:path";
import { setJobRunner } from "../job/runner.js";
import { flushJobs, queueRunner, type JobLedger, type JobRecord, type LedgerState, type QueueSettings } from "../job/queue/index.js";
import type { Journal } from "../journal/journal.js";
import type { RunContext } from "../run-context.js";
import type { CommandLine } from "./state.js";

/** biomake's poolq size when -j is not given (default_poolq_threads). */
export const POOLQ_DEFAULT_JOBS = 4;

/** `-Q poolq` without -j runs biomake's 4 jobs at once. Called once the command line is read. */
export function applyPoolq(cl: CommandLine): void {
  if (cl.queueEngine === "poolq" && cl.jobs === undefined) cl.jobs = POOLQ_DEFAULT_JOBS;
}

/** The words a worker's tmake needs to read what this run read: the makefiles, include
 * directories, --eval/-m strings, Makeprogs and their strings, command-line variables, and the
 * switches that change the reading. */
export function workerReadArgs(cl: CommandLine): string[] {
  const args: string[] = [];
  for (const f of cl.makefiles) args.push("-f", f);
  for (const d of cl.includeDirs) args.push("-I", d);
  for (const e of cl.evalStrings) args.push(`--eval=${e}`);
  for (const p of cl.makeprogs) args.push("--prog", p);
  for (const p of cl.prologStrings) args.push("-P", p);
  if (cl.oneShell) args.push("--one-shell");
  if (cl.noBuiltinRules) args.push("-r");
  if (cl.noBuiltinVariables) args.push("-R");
  if (cl.environmentOverrides) args.push("-e");
  for (const v of cl.variables) args.push(`${v.name}${v.op}${v.value}`);
  return args;
}

/** What the queue engine of this command line works with; undefined without one (or poolq). */
export function queueSettings(cl: CommandLine, cwd: string, self: string[], env: Record<string, string | undefined>): QueueSettings | undefined {
  const engine = cl.queueEngine;
  if (engine === undefined || engine === "poolq") return undefined;
  return {
    engine,
    qsubExec: cl.qsubExec,
    qdelExec: cl.qdelExec,
    qstatExec: cl.qstatExec,
    queueArgs: cl.queueArgs,
    qsubArgs: cl.qsubArgs,
    qsubHeader: cl.qsubHeader,
    qsubHeaderFile: cl.qsubHeaderFile === "" ? "" : path.resolve(cwd, cl.qsubHeaderFile),
    qdelArgs: cl.qdelArgs,
    useTmake: cl.qsubUseTmake,
    tmakeArgs: cl.qsubTmakeArgs,
    tmake: [...self, ...workerReadArgs(cl)],
    stateDir: path.join(cwd, ".tmake"),
    baseEnv: env,
    detach: cl.queueDetach,
    maxQueued: cl.queueMaxJobs,
    submitRate: cl.queueSubmitRate,
    submitParallel: 4,
    retries: cl.queueRetries,
    retryDelayMs: 1000,
    pollMs: Math.min(250, cl.queuePoll * 1000),
    queryMs: cl.queuePoll * 1000,
    lostAfterMs: cl.queueStatusWait * 1000,
    arrayJobs: cl.arrayJobs,
    arrayMax: cl.arrayMax,
  };
}

/** A journal's job record as the queue engines read it. */
function fromJournal(
  target: string,
  r: { queueRun: string; engine: string; id: string; state: string; script: string; out: string; err: string; status: string },
): JobRecord {
  return {
    runId: r.queueRun,
    target,
    engine: r.engine,
    jobId: r.id,
    state: r.state as LedgerState,
    files: { script: r.script, out: r.out, err: r.err, status: r.status },
  };
}

/** The build journal as the queue engines' ledger: each job's id and state go into the run's
 * log (--explain shows them), and reattaching reads the last job of a target from it. */
export function journalLedger(journal: Journal): JobLedger {
  return {
    record: (j) =>
      journal.recordJob(j.target, {
        engine: j.engine,
        id: j.jobId,
        state: j.state,
        queueRun: j.runId,
        script: j.files.script,
        out: j.files.out,
        err: j.files.err,
        status: j.files.status,
      }),
    last: (target) => {
      const r = journal.lastJob(target);
      return r === undefined ? undefined : fromJournal(target, r);
    },
    all: () => journal.allJobs().map(([target, r]) => fromJournal(target, r)),
  };
}

/** Installs the queue engine's runner for the builds that follow. Returns a function that puts
 * back the runner in force before, or undefined when the run has no queue engine. */
export function installQueue(run: RunContext, settings: QueueSettings | undefined): (() => void) | undefined {
  if (settings === undefined) return undefined;
  return setJobRunner(run, queueRunner(settings));
}

/** biomake's --flush: cancels the recorded jobs of each target or directory named. */
export async function flushQueue(run: RunContext, cl: CommandLine, settings: QueueSettings | undefined, cwd: string): Promise<void> {
  if (cl.flush.length === 0) return;
  if (settings === undefined) {
    run.msg.error(`warning: --flush needs a queue engine (-Q sge, pbs or slurm): nothing flushed`);
    return;
  }
  for (const what of cl.flush) {
    const n = await flushJobs(settings, what, cwd);
    run.msg.message(`${n} ${settings.engine} job${n === 1 ? "" : "s"} of '${what}' cancelled`);
  }
}
