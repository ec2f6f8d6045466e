// What a recipe waits for before its first command starts: the build journal's record that it
// started, on disk (journal/store.ts: group commit). A run's journal sets the barrier; the local
// runner waits for it once per recipe, after the echo and before the first process, so a
// machine that dies while the recipe writes its target leaves a journal that says the recipe
// started (and the next run remakes the target, whatever its time says).
import { RunKey, type RunContext } from "../run-context.js";

/** Resolves when the recipes started so far may run; undefined when they may run now. */
export type StartBarrier = () => Promise<void> | undefined;

const key = new RunKey<{ barrier: StartBarrier | undefined }>("start-barrier", () => ({ barrier: undefined }));

/** Sets (or with undefined, clears) the barrier of `run`'s recipes. */
export function setStartBarrier(run: RunContext, barrier: StartBarrier | undefined): void {
  key.of(run).barrier = barrier;
}

/** What a recipe of `run` about to start its first command waits for, if anything. */
export function startBarrier(run: RunContext): Promise<void> | undefined {
  return key.of(run).barrier?.();
}
