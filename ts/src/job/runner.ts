// Which job runner runs this make's recipes. The local runner (local.ts) until a command line
// option chooses another (a batch scheduler's, issue 14). Like the jobserver, it is set once
// per run before the build; it moves into the run's context with the jobserver.
import { localRunner } from "./local.js";
import type { JobRunner } from "./types.js";

let current: JobRunner = localRunner;

/** The runner recipes go to. */
export function jobRunner(): JobRunner {
  return current;
}

/** Chooses the runner for the builds that follow. Returns a function that restores the one
 * in force before. */
export function setJobRunner(runner: JobRunner): () => void {
  const before = current;
  current = runner;
  return () => {
    current = before;
  };
}
