// The job stage: run one target's prepared recipe the way GNU Make does (GNU's job.c and the
// recipe half of commands.c), through the job runner in force.
//
//  - types.ts: the prepared recipe (JobSpec), how it ended (JobResult), the runner interface.
//  - plan.ts: the steps GNU would start for a recipe (echo, -n, prefixes, shell or not).
//  - local.ts: today's runner (processes on this machine); runner.ts: which runner is in force.
//  - scheduler.ts, slots.ts, jobserver.ts: -j; output-sync.ts: -O; interrupt.ts: Ctrl-C;
//    targets.ts: the files a killed or failed recipe leaves, deleted.
import { runnerOf } from "./runner.js";
import type { JobResult, JobSpec } from "./types.js";

export type { AlsoMade, JobResult, JobRunner, JobSpec, RecipeCommand } from "./types.js";
export { describeSignal } from "./signals.js";
export { onInterrupt } from "./interrupt.js";
export { startsNoProcess } from "./plan.js";
export { runnerOf, setJobRunner } from "./runner.js";
export { localRunner } from "./local.js";

/** Echoes and runs the recipe described by `spec` with the runner in force. Resolves once it is
 * done; a failure has already been reported on stderr when the result says `ok: false`. */
export function runJob(spec: JobSpec): Promise<JobResult> {
  return runnerOf(spec.run).run(spec);
}
