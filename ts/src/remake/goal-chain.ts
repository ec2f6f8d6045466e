// GNU's update_goal_chain under -j: the goals are walked over and over, one pass after each
// recipe that ends (reap_children), until every goal is done. A pass starts the recipes whose
// prerequisites are all done (as many as there are job slots) and leaves alone the files whose
// recipes, or whose prerequisites' recipes, still run; the next pass looks at them again.
// (With one job at a time the walk simply waits for each recipe: see build() in index.ts.)
import { runnerOf } from "../job/runner.js";
import { Scheduler } from "../job/scheduler.js";
import { jobState } from "../job/run-state.js";
import type { Remaker } from "./remaker.js";
import type { RemakeContext } from "./context.js";
import { Status, type FileNode } from "./files.js";
import type { BuildOptions } from "./options.js";
import type { UpdateWalk } from "./update.js";

export interface ChainGoal {
  file: FileNode;
  /** Called around each walk of this goal (the makefiles' "don't care" flag). */
  enter?(): void;
  leave?(): void;
  /** The goal is done, with its status; `changed` says whether any command was started for
   * it. Returns true to stop the whole chain (-q knows the answer). */
  done(status: Status, changed: boolean): boolean;
}

/** The scheduler for this build when recipes may run in parallel: -j other than 1, or a batch
 * runner (a queue engine's recipes run elsewhere, many at once), and no .NOTPARALLEL (GNU 4.3:
 * the whole make runs one recipe at a time). */
export function parallelJobs(remaker: Remaker, opts: BuildOptions): Scheduler | undefined {
  const runner = runnerOf(opts.run);
  if ((opts.jobs === 1 && runner.batch !== true) || remaker.ctx.specials.notParallel) return undefined;
  const jobserver = jobState(opts.run).jobserver;
  return new Scheduler(runner.slots({ jobs: jobserver !== undefined ? Number.POSITIVE_INFINITY : opts.jobs, load: opts.loadAverage, jobserver }), opts.run);
}

function finished(file: FileNode): boolean {
  const f = file.current;
  const entries = f.dcEntries;
  if (entries === undefined) return f.updated;
  for (const e of entries) if (!e.updated) return false;
  return true;
}

/** Updates `goals` by `walk` (which has a scheduler) until all are done (or the make dies of a
 * failure: Dying is thrown). `depth` is the walk's starting depth (1 for the makefiles). */
export async function updateGoalChain(walk: UpdateWalk, ctx: RemakeContext, goals: ChainGoal[], depth: number): Promise<void> {
  const jobs = walk.jobs!;
  const pending = goals.map((g) => ({ g, changed: false }));
  while (pending.length > 0) {
    const reaped = jobs.reap();
    if (reaped !== undefined) await reaped;
    if (jobs.dying !== undefined) return;
    for (let i = 0; i < pending.length;) {
      const p = pending[i]!;
      const before = ctx.commandsStarted;
      p.g.enter?.();
      let status: Status;
      try {
        status = await walk.update(p.g.file, depth);
      } finally {
        p.g.leave?.();
      }
      if (ctx.commandsStarted > before) p.changed = true;
      const failed = status !== Status.Success && status !== Status.None;
      if (!failed && !finished(p.g.file)) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      if (p.g.done(status, p.changed)) return;
    }
  }
}
