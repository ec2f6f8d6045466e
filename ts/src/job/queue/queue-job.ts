// One recipe in a batch queue's hands (QueueJob), the queue's limit on jobs at once
// (QueueSlots), the failure classes a scheduler's states map to, and how the scheduler's
// programs are run. The runner that drives them is batch.ts.
import { execFile } from "node:child_process";
import type { ActiveJob } from "../interrupt.js";
import type { Slots } from "../slots.js";
import { ChildTargets } from "../targets.js";
import type { JobResult, JobSpec } from "../types.js";
import type { QueueState } from "./engines.js";
import type { JobFiles } from "./layout.js";
import type { LedgerState } from "./ledger.js";

/** What the scheduler did to a job that ended without saying so itself, in GNU's line. */
export const classWords: Partial<Record<LedgerState, string>> = {
  "out-of-memory": "Out of memory",
  "time-limit": "Time limit reached",
  "node-failure": "Node failure",
  preempted: "Preempted",
  cancelled: "Cancelled",
  lost: "Lost (the queue no longer holds it and it left no exit status)",
  failed: "Failed",
};

/** The failure class of a scheduler's final state. */
export const stateClass: Partial<Record<QueueState, LedgerState>> = {
  "out-of-memory": "out-of-memory",
  timeout: "time-limit",
  "node-failure": "node-failure",
  preempted: "preempted",
  cancelled: "cancelled",
  failed: "failed",
  error: "failed",
  "dependency-never": "dependency-failed",
};

/** Runs a program and collects its output. */
export function capture(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      const code = e === null ? 0 : typeof e.code === "number" ? e.code : 127;
      resolve({ code, stdout: String(stdout), stderr: e !== null && typeof e.code === "string" ? `${argv[0]}: ${e.message}` : String(stderr) });
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One recipe in the queue's hands. */
export class QueueJob implements ActiveJob {
  readonly targets: ChildTargets;
  id: string | undefined;
  files: JobFiles | undefined;
  /** Ended (resolved or, interrupted, finished). */
  ended = false;
  succeeded = false;
  /** Last state the status query gave, and since when the queue no longer holds it. */
  queueState: QueueState | undefined;
  goneSince: number | undefined;
  submittedAt = 0;
  /** Cancelled by tmake because a prerequisite failed, or because tmake is dying. */
  withdrawn = false;
  /** An earlier run's job, still queued when this run needed the target: waited for. */
  reattached = false;
  /** --detach: handed to the scheduler, not waited for (its dependents still wait for it). */
  detached = false;
  /** The array job it is a task of (its id), with its index. */
  array: { id: string; index: number } | undefined;
  /** The prerequisites' jobs it waits for. */
  readonly after: QueueJob[] = [];
  /** Resolves once it has an id, or failed to get one. */
  readonly submitted: Promise<boolean>;
  markSubmitted!: (ok: boolean) => void;
  resolve!: (r: JobResult) => void;
  readonly result: Promise<JobResult>;

  constructor(
    readonly n: number,
    readonly spec: JobSpec,
    private readonly runner: { interrupt(job: QueueJob): void },
  ) {
    this.targets = new ChildTargets(spec);
    this.submitted = new Promise((r) => (this.markSubmitted = r));
    this.result = new Promise((r) => (this.resolve = r));
  }

  stop(): void {
    this.runner.interrupt(this);
  }
}

/** At most `max` jobs in the queue at once. */
export class QueueSlots implements Slots {
  private used = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly max: number) {}
  acquire(): Promise<void> | undefined {
    if (this.used < this.max && this.waiters.length === 0) {
      this.used++;
      return undefined;
    }
    return new Promise((r) => this.waiters.push(r));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.used--;
  }
  cancelWaiting(): void {
    this.waiters = [];
  }
}
