// The job stage's part of a run (GNU's job_slots, jobserver and output_sync globals): the
// jobserver this make takes part in, the job runner its recipes go to, and the output-sync
// settings in force. The CLI sets them once per run, before the build; the stage reads them
// from the run a JobSpec or a Scheduler belongs to.
import { RunKey, type RunContext } from "../run-context.js";
import type { Jobserver } from "./jobserver.js";
import type { JobRunner } from "./types.js";

/** -O's type: how a job's output is held (see output-sync.ts). */
export type SyncMode = "none" | "line" | "target" | "recurse";

export interface JobRunState {
  /** The jobserver this make takes part in, if any. */
  jobserver: Jobserver | undefined;
  /** The runner recipes go to; undefined for the local one (see runner.ts). */
  runner: JobRunner | undefined;
  /** -O: the type in force (none unless -O and jobs may run in parallel). */
  syncMode: SyncMode;
  /** The "Entering/Leaving directory" lines around each piece of held output, when
   * directories are shown. */
  syncLines: { enter: string; leave: string } | undefined;
}

const key = new RunKey<JobRunState>("job", () => ({ jobserver: undefined, runner: undefined, syncMode: "none", syncLines: undefined }));

/** The job stage's part of `run`. */
export function jobState(run: RunContext): JobRunState {
  return key.of(run);
}
