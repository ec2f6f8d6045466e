// What a queue engine tells the build journal about its jobs, and what reattaching reads back:
// for each target, the run that submitted its job, the engine, the job id, its files and its
// state. This is the narrow interface the journal implements once it exists (issue 14 asks
// that job ids and states be recorded there, and that --status and --explain show them); until
// then `FileLedger` keeps the same records as lines of .tmake/queue/jobs.tsv.
import fs from "node:fs";
import path from "node:path";
import type { JobFiles } from "./layout.js";

/** Where a job is in its life, as recorded. */
export type LedgerState =
  | "submitted"
  | "succeeded"
  | "failed"
  | "out-of-memory"
  | "time-limit"
  | "node-failure"
  | "preempted"
  | "cancelled"
  | "submission-error"
  | "dependency-failed"
  | "lost";

export interface JobRecord {
  runId: string;
  target: string;
  engine: string;
  jobId: string;
  state: LedgerState;
  files: JobFiles;
}

export interface JobLedger {
  /** A job was submitted, or its state changed. */
  record(job: JobRecord): void;
  /** The last record of `target`'s job, from any run (reattaching: a job still pending or
   * running is waited for, not submitted again). */
  last(target: string): JobRecord | undefined;
  /** The last record of every target (--flush). */
  all(): JobRecord[];
}

const FIELDS = ["runId", "target", "engine", "jobId", "state", "script", "out", "err", "status"] as const;

/** Tabs and newlines in a field would break the line: they are escaped. */
const esc = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
const unesc = (s: string): string => s.replace(/\\(.)/g, (_m, c: string) => (c === "t" ? "\t" : c === "n" ? "\n" : c));

/** The records as lines appended to one file (the last line of a target wins). */
export class FileLedger implements JobLedger {
  private known: Map<string, JobRecord> | undefined;

  constructor(readonly file: string) {}

  private load(): Map<string, JobRecord> {
    if (this.known !== undefined) return this.known;
    const known = new Map<string, JobRecord>();
    let text = "";
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      // No job yet.
    }
    for (const line of text.split("\n")) {
      const f = line.split("\t").map(unesc);
      if (f.length !== FIELDS.length) continue;
      const [runId, target, engine, jobId, state, script, out, err, status] = f as [
        string,
        string,
        string,
        string,
        LedgerState,
        string,
        string,
        string,
        string,
      ];
      known.set(target, { runId, target, engine, jobId, state, files: { script, out, err, status } });
    }
    return (this.known = known);
  }

  record(job: JobRecord): void {
    this.load().set(job.target, job);
    const f = job.files;
    const line = [job.runId, job.target, job.engine, job.jobId, job.state, f.script, f.out, f.err, f.status].map(esc).join("\t");
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${line}\n`);
  }

  last(target: string): JobRecord | undefined {
    return this.load().get(target);
  }

  /** The last record of every target. */
  all(): JobRecord[] {
    return [...this.load().values()];
  }
}
