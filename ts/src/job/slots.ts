// Job slots under -j (GNU's job_slots, job_slots_used, jobserver_tokens and load_too_high in
// job.c): whether one more recipe may start now, and waiting until one may.
//
//  - With a jobserver (jobserver.ts) every make may run one job on its "free" token; each job
//    beyond that takes a token from the pipe, given back when a job ends.
//  - Without one (a bare -j, or no pipe to be had) the limit is the number itself.
//  - -l N: while a job runs, none starts while the load average is at or above N (GNU's
//    estimate: the one-minute average plus a quarter of the jobs started in the last seconds).
import os from "node:os";
import type { Jobserver } from "./jobserver.js";

/** How often a make waiting for a token looks at the pipe again (it also looks whenever one of
 * its own jobs ends). */
const TOKEN_POLL_MS = 5;
/** How often a make waiting for the load to go down looks again (GNU: once a second). */
const LOAD_POLL_MS = 1000;

export interface SlotLimits {
  /** -j N; Infinity for a bare -j (or when a jobserver limits). */
  jobs: number;
  /** -l N (undefined: no limit). */
  load?: number;
  jobserver?: Jobserver;
}

/** What the scheduler asks before it starts a recipe, and tells when one ends (JobRunner.slots:
 * JobSlots for the local runner). */
export interface Slots {
  /** Resolves once a slot is taken: undefined when one was free at once (no promise made). */
  acquire(): Promise<void> | undefined;
  /** A recipe ended: its slot is free again. */
  release(): void;
  /** The make is dying: the waiting callers are never resumed. */
  cancelWaiting(): void;
}

export class JobSlots implements Slots {
  /** Jobs started and not ended (GNU's job_slots_used). */
  running = 0;
  /** Tokens held, the free one included (GNU's jobserver_tokens). */
  private held = 0;
  private readonly waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Jobs started this second and last second's share (GNU's job_counter, last_sec). */
  private startedThisSecond = 0;
  private backlog = 0;
  private second = 0;

  constructor(private readonly limits: SlotLimits) {}

  /** Takes a slot now if one is free (true), else false. */
  tryTake(): boolean {
    if (this.running > 0 && this.loadTooHigh()) return false;
    const server = this.limits.jobserver;
    if (server !== undefined) {
      if (this.held > 0 && !server.tryAcquire()) return false;
      this.held++;
    } else if (this.running >= this.limits.jobs) return false;
    this.running++;
    this.startedThisSecond++;
    return true;
  }

  /** Resolves once a slot is taken: undefined when one was free at once (no promise made). */
  acquire(): Promise<void> | undefined {
    if (this.waiters.length === 0 && this.tryTake()) return undefined;
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** A job ended: its slot (and token) is free again. */
  release(): void {
    this.running--;
    if (this.startedThisSecond > 0) this.startedThisSecond--;
    const server = this.limits.jobserver;
    if (server !== undefined) {
      // The free token stays with this make; any other goes back to the pipe.
      if (this.held > 1) server.release();
      this.held--;
    }
    this.pump();
  }

  /** Gives up waiting: the waiting callers are never resumed (the make is dying). */
  cancelWaiting(): void {
    this.waiters.length = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.tryTake()) this.waiters.shift()!();
    if (this.waiters.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const ms = this.limits.jobserver !== undefined ? TOKEN_POLL_MS : this.limits.load !== undefined ? LOAD_POLL_MS : undefined;
    if (ms === undefined) return; // woken by release()
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  /** GNU's load_too_high (getloadavg with its weighting of jobs started recently). */
  private loadTooHigh(): boolean {
    const max = this.limits.load;
    if (max === undefined || max < 0) return false;
    const now = Math.floor(Date.now() / 1000);
    if (this.second < now) {
      this.backlog = this.second === now - 1 ? 0.25 * this.startedThisSecond : 0;
      this.startedThisSecond = 0;
      this.second = now;
    }
    const guess = os.loadavg()[0]! + 0.25 * (this.startedThisSecond + this.backlog);
    return guess >= max;
  }
}
