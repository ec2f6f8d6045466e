// Where a queue engine keeps its files: the state folder's queue part (.tmake/queue/), one
// folder per run named by the run's id, each job's files named by its number in the run:
//
//   .tmake/queue/<run-id>/<n>.sh       the job script (script.ts)
//   .tmake/queue/<run-id>/<n>.out      its standard output (the scheduler's -o)
//   .tmake/queue/<run-id>/<n>.err      its standard error (-e)
//   .tmake/queue/<run-id>/<n>.status   the exit-status file the script writes at its end
//   .tmake/queue/jobs.tsv              one line per job event (ledger.ts): what reattaching reads
//
// Folders are made when the first job needs them (biomake issue #53: a missing folder must not
// fail a submission).
import fs from "node:fs";
import path from "node:path";

/** The files of one job. */
export interface JobFiles {
  script: string;
  out: string;
  err: string;
  status: string;
}

/** A run's id: the time it started and its process, readable and unique on one machine. Job
 * names carry it, so one status query finds every job of the run. */
export function newRunId(now = new Date(), pid = process.pid): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${pid.toString(36)}`;
}

export class QueueLayout {
  private made = false;

  constructor(
    /** The queue folder (absolute): <state folder>/queue. */
    readonly root: string,
    readonly runId: string,
  ) {}

  /** This run's folder. */
  get runDir(): string {
    return path.join(this.root, this.runId);
  }

  /** The files of job `n` (or of an array job, `array-N`), the folders made. */
  job(n: number | string): JobFiles {
    if (!this.made) {
      fs.mkdirSync(this.runDir, { recursive: true });
      this.made = true;
    }
    const base = path.join(this.runDir, String(n));
    return { script: `${base}.sh`, out: `${base}.out`, err: `${base}.err`, status: `${base}.status` };
  }
}
