// The running recipes under -j (GNU's chain of children in job.c, with reap_children and the
// waiting part of die()). The update walk starts a recipe and goes on; when it ends, its
// completion runs (GNU's notice_finished_file) and the walk is told, so the goals can be looked
// at again (GNU's update_goal_chain does one pass after each child it reaps).
//
// Without -k, the first recipe that fails makes the make die: GNU says
// `*** Waiting for unfinished jobs....` when others still run, starts nothing new, and lets
// the running ones finish (their later lines included) before it exits. The recipes go to the
// job runner in force (runner.ts), whose slots bound how many run at once.
import type { RunContext } from "../run-context.js";
import { runnerOf } from "./runner.js";
import type { JobResult, JobRunner } from "./types.js";
import type { Slots } from "./slots.js";

/** Thrown into the update walk when the make is dying of a failure: nothing more starts. */
export class Dying extends Error {
  constructor(readonly status: number) {
    super("dying");
  }
}

export class Scheduler {
  private live = 0;
  /** Set once a failure makes the make die (its exit status). */
  dying: number | undefined;
  private waitingForEnd: (() => void)[] = [];
  /** Some recipe ended since the walk last asked (reap). */
  private ended = false;

  private readonly runner: JobRunner;

  /** The recipes of `run` under -j; `slots` bound how many run at once: the runner's
   * (JobRunner.slots). */
  constructor(
    readonly slots: Slots,
    private readonly run: RunContext,
  ) {
    this.runner = runnerOf(run);
  }

  /** Jobs running now. */
  get running(): number {
    return this.live;
  }

  /** GNU's new_job waiting for a job slot: undefined when one is free now (no promise made).
   * Rejects with Dying once the make is dying. */
  slot(): Promise<void> | undefined {
    if (this.dying !== undefined) return Promise.reject(new Dying(this.dying));
    const wait = this.slots.acquire();
    if (wait === undefined) return undefined;
    return wait.then(() => {
      if (this.dying !== undefined) throw new Dying(this.dying);
    });
  }

  /** Runs a started recipe (after slot()) in the background; `done` is its completion (GNU's
   * notice_finished_file). A failure of a recipe whose failure is `fatal` makes the make die. */
  start(run: Promise<JobResult>, done: (result: JobResult) => void, fatal: boolean): void {
    this.live++;
    void run.then((result) => {
      this.live--;
      this.slots.release();
      done(result);
      if (!result.ok && fatal) this.die(2);
      this.ended = true;
      this.wake();
    });
  }

  /** GNU's die() on a failure: waits for the running jobs, saying so once. */
  die(status: number): void {
    if (this.dying !== undefined) return;
    this.dying = status;
    this.slots.cancelWaiting();
    this.runner.dying?.();
    if (this.live > 0) this.run.msg.error("*** Waiting for unfinished jobs....");
    this.wake();
  }

  /** GNU's reap_children(1, 0) at the top of each pass over the goals: resolves once some
   * recipe has ended since the last pass (at once when one has, or when none runs). */
  reap(): Promise<void> | undefined {
    if (this.ended || this.live === 0 || this.dying !== undefined) {
      this.ended = false;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waitingForEnd.push(resolve)).then(() => {
      this.ended = false;
    });
  }

  /** Resolves when no job runs any more. */
  async finish(): Promise<void> {
    while (this.live > 0) await new Promise<void>((resolve) => this.waitingForEnd.push(resolve));
  }

  private wake(): void {
    const waiting = this.waitingForEnd;
    this.waitingForEnd = [];
    for (const w of waiting) w();
  }
}
