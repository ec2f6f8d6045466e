// The remake stage's coordinator: one file table and the modules that work on it, built from a
// database once (snap.ts), then walked once per phase (update.ts): remaking the makefiles,
// then the goals. GNU keeps all of this in globals of remake.c, file.c and main.c; here each
// part has its module and this class only wires them together.
import type { Database } from "../read/database.js";
import type { Scheduler } from "../job/scheduler.js";
import { RemakeContext, type PhaseOptions, type TableOptions } from "./context.js";
import type { FileNode } from "./files.js";
import { Mtimes } from "./mtimes.js";
import { TargetVariables } from "./target-vars.js";
import { defaultGoal, markAssumedNew, snapDeps } from "./snap.js";
import { ImplicitRules } from "./implicit-rules.js";
import { UpdateWalk } from "./update.js";
import { removeIntermediates } from "./intermediates.js";
import { runSilent } from "./recipes.js";
import { BuildEvents } from "./events.js";
import { mtimeSignal, type StalenessSignal } from "./staleness.js";

export class Remaker {
  readonly ctx: RemakeContext;
  readonly mtimes: Mtimes;
  readonly implicit: ImplicitRules;
  /** What the build decides and does, for whoever listens (see events.ts). */
  readonly events = new BuildEvents();
  private readonly vars: TargetVariables;
  private readonly signal: StalenessSignal;
  /** Files whose "considered" event was sent. */
  private readonly considered = new WeakSet<FileNode>();

  constructor(db: Database, opts: TableOptions, signal: StalenessSignal = mtimeSignal) {
    this.ctx = new RemakeContext(db, opts);
    this.mtimes = new Mtimes(this.ctx);
    this.vars = new TargetVariables(this.ctx);
    this.signal = signal;
    signal.attach?.({ learnTimes: (names, times) => this.ctx.fs.learn(names, times) });
    const sources = snapDeps(this.ctx, this.vars);
    this.implicit = new ImplicitRules(this.ctx, this.vars, sources);
  }

  /** The options the table was built from. */
  get opts(): TableOptions {
    return this.ctx.opts;
  }

  /** A walk over the table for one phase, with its options and (under -j) its scheduler. */
  walk(opts: PhaseOptions, jobs?: Scheduler): UpdateWalk {
    const { ctx, mtimes, vars, implicit, signal, events, considered } = this;
    ctx.phase = opts;
    const targetSignal = opts.observer?.targetSignal;
    return new UpdateWalk({ ctx, mtimes, vars, implicit, signal, targetSignal, events, considered }, opts, jobs);
  }

  /** Waits for what the staleness signal still writes (hash records), and lets it save what it
   * keeps (the digest cache). Called when a phase is done with the table. */
  async settleSignal(): Promise<void> {
    await this.signal.finish?.();
  }

  /** -W after a restart: the makefiles were remade without them (see index.ts). */
  markAssumedNew(names: readonly string[]): void {
    markAssumedNew(this.ctx, names);
    this.ctx.opts = { ...this.ctx.opts, assumeNew: [...names] };
  }

  /** The goal when none is named (see snap.ts). */
  defaultGoal(): string | undefined {
    return defaultGoal(this.ctx);
  }

  /** Enters the goals and queues their names for the wildcard matcher, in the order they will
   * be searched (the goals first, then the names entered since the last search). */
  enterGoals(goals: readonly string[]): FileNode[] {
    const files = goals.map((g) => this.ctx.files.enter(g));
    const goalNames = new Set(goals);
    this.implicit.search.prefetch([...goals, ...this.implicit.pendingNames().filter((n) => !goalNames.has(n))]);
    return files;
  }

  /** Starts fetching the times of the goals' prerequisites (the default goal's when there are
   * none) while the makefiles are remade. */
  fetchGoalTimesEarly(goals: readonly string[]): void {
    let names = goals;
    if (names.length === 0) {
      try {
        const g = this.defaultGoal();
        names = g === undefined ? [] : [g];
      } catch {
        return; // said when the goals are updated
      }
    }
    const files: FileNode[] = [];
    for (const name of names) {
      const f = this.ctx.files.lookup(name);
      if (f !== undefined) files.push(f);
    }
    this.mtimes.fetchEarly(files);
    this.signal.prefetchEarly?.(files);
  }

  /** GNU's run_silent for a phase (see recipes.ts). */
  runSilent(opts: PhaseOptions): boolean {
    return runSilent(this.ctx, opts);
  }

  /** Deletes the intermediate files the run made (see intermediates.ts). */
  removeIntermediates(opts: PhaseOptions, dyingOfSignal = false): void {
    removeIntermediates(this.ctx, { ...opts, silent: this.runSilent(opts) }, this.events, dyingOfSignal);
  }
}
