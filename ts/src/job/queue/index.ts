// biomake's queue engines as job runners (issue 14): `-Q test` runs each recipe as a job script
// here (test-engine.ts); `-Q sge`, `-Q pbs` and `-Q slurm` submit each recipe as a job script
// to the scheduler and wait for it (batch.ts, engines.ts). (`-Q poolq` is the local runner
// under -j: the CLI says so, nothing here.) The files live in the state folder's queue part
// (layout.ts); job ids and states go to a ledger (ledger.ts), the journal's narrow interface.
import fs from "node:fs";
import path from "node:path";
import type { JobRunner } from "../types.js";
import { BatchRunner, type QueueTuning } from "./batch.js";
import { engines, type Engine } from "./engines.js";
import { QueueLayout, newRunId } from "./layout.js";
import { FileLedger, type JobLedger } from "./ledger.js";
import { splitArgs } from "../../base/shell-words.js";
import { testEngine } from "./test-engine.js";

export { QueueLayout, newRunId } from "./layout.js";
export { FileLedger, type JobLedger, type JobRecord, type LedgerState } from "./ledger.js";

export type QueueEngineName = "test" | "sge" | "pbs" | "slurm";

/** What the command line says about the queue (biomake's options and tmake's own). */
export interface QueueSettings extends QueueTuning {
  engine: QueueEngineName;
  qsubExec?: string;
  qdelExec?: string;
  qstatExec?: string;
  queueArgs: string;
  qsubArgs: string;
  qsubHeader: string;
  qsubHeaderFile: string;
  qdelArgs: string;
  /** --qsub-use-tmake (biomake's --qsub-use-biomake). */
  useTmake: boolean;
  /** --qsub-biomake-args (default -N). */
  tmakeArgs: string;
  /** The command that runs this tmake on a worker, with what it must read (makefiles,
   * variables, --eval strings), before tmakeArgs and the target. */
  tmake: string[];
  /** The state folder (absolute). */
  stateDir: string;
  runId?: string;
  /** The ledger, when the journal keeps one; default: .tmake/queue/jobs.tsv. */
  ledger?: JobLedger;
}

/** Whether `file` is an executable file. */
function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `name` as found on PATH, or undefined. */
function onPath(name: string, env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) if (dir !== "" && executable(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

/** The status program: --qstat-exec; else, for a --qsub-exec given as a path, the engine's
 * status program beside it (a stand-in without one has none: the exit-status files alone tell
 * the ends); else the engine's status program on PATH. */
export function statusProgram(engine: Engine, s: Pick<QueueSettings, "qsubExec" | "qstatExec" | "baseEnv">): string | undefined {
  if (s.qstatExec !== undefined) return s.qstatExec;
  if (s.qsubExec !== undefined && s.qsubExec.includes("/")) {
    const beside = path.join(path.dirname(s.qsubExec), engine.status);
    return executable(beside) ? beside : undefined;
  }
  return onPath(engine.status, s.baseEnv);
}

/** The cancel program: --qdel-exec; else, for a --qsub-exec given as a path, the engine's
 * cancel program beside it when there is one; else the engine's on PATH. */
export function cancelProgram(engine: Engine, s: Pick<QueueSettings, "qsubExec" | "qdelExec">): string {
  if (s.qdelExec !== undefined) return s.qdelExec;
  if (s.qsubExec !== undefined && s.qsubExec.includes("/")) {
    const beside = path.join(path.dirname(s.qsubExec), engine.cancel);
    if (executable(beside)) return beside;
  }
  return engine.cancel;
}

/** The runner for `settings.engine`. */
export function queueRunner(s: QueueSettings): JobRunner {
  const layout = new QueueLayout(path.join(s.stateDir, "queue"), s.runId ?? newRunId());
  if (s.engine === "test") return testEngine({ layout, baseEnv: s.baseEnv, useTmake: s.useTmake, tmake: s.tmake, tmakeArgs: s.tmakeArgs });
  const engine = engines[s.engine];
  return new BatchRunner({
    engine,
    submitExec: s.qsubExec ?? engine.submit,
    cancelExec: cancelProgram(engine, s),
    statusExec: statusProgram(engine, s),
    queueArgs: s.queueArgs,
    submitArgs: s.qsubArgs,
    cancelArgs: s.qdelArgs,
    header: s.qsubHeader,
    headerFile: s.qsubHeaderFile,
    useTmake: s.useTmake,
    tmake: s.tmake,
    tmakeArgs: s.tmakeArgs,
    layout,
    ledger: s.ledger ?? new FileLedger(path.join(layout.root, "jobs.tsv")),
    baseEnv: s.baseEnv,
    detach: s.detach,
    maxQueued: s.maxQueued,
    submitRate: s.submitRate,
    submitParallel: s.submitParallel,
    retries: s.retries,
    retryDelayMs: s.retryDelayMs,
    pollMs: s.pollMs,
    queryMs: s.queryMs,
    lostAfterMs: s.lostAfterMs,
    arrayJobs: s.arrayJobs,
    arrayMax: s.arrayMax,
  });
}

/** biomake's --flush TARGET-OR-DIRECTORY: cancels the recorded jobs, still submitted, of the
 * target or of every target under the directory. Returns how many were cancelled. */
export async function flushJobs(s: QueueSettings, what: string, cwd: string): Promise<number> {
  if (s.engine === "test") return 0;
  const engine = engines[s.engine];
  const ledger = s.ledger ?? new FileLedger(path.join(s.stateDir, "queue", "jobs.tsv"));
  const wanted = path.resolve(cwd, what);
  const ids: string[] = [];
  for (const r of ledger.all()) {
    const file = path.resolve(cwd, r.target);
    if (r.state !== "submitted" || r.engine !== s.engine) continue;
    if (file === wanted || file.startsWith(`${wanted}${path.sep}`)) {
      ids.push(r.jobId);
      ledger.record({ ...r, state: "cancelled" });
    }
  }
  if (ids.length > 0) {
    const { execFileSync } = await import("node:child_process");
    const argv = [...splitArgs(s.queueArgs), ...splitArgs(s.qdelArgs), ...ids];
    try {
      execFileSync(cancelProgram(engine, s), argv, { stdio: "ignore" });
    } catch {
      // A job already gone is what was wanted.
    }
  }
  return ids.length;
}
