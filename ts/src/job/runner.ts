// Which job runner runs a run's recipes: the local runner (local.ts) unless the run chose
// another (a batch scheduler's, issue 14), once, before the build.
import type { RunContext } from "../run-context.js";
import { localRunner } from "./local.js";
import { jobState } from "./run-state.js";
import type { JobRunner } from "./types.js";

/** The runner the run's recipes go to. */
export function runnerOf(run: RunContext): JobRunner {
  return jobState(run).runner ?? localRunner;
}

/** Chooses the runner for the run's builds that follow. Returns a function that restores the
 * one in force before. */
export function setJobRunner(run: RunContext, runner: JobRunner): () => void {
  const state = jobState(run);
  const before = state.runner;
  state.runner = runner;
  return () => {
    state.runner = before;
  };
}
