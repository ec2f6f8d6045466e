// What comes before a recipe's first command: the build journal's record that names its target
// (an intent, journal/intents.ts), put on disk. A run's journal sets the barrier; the local runner
// passes it once per recipe, after the echo and before the first process, so a machine that dies
// while the recipe writes its target leaves a journal that says the recipe may have started (and
// the next run remakes the target, whatever its time says). Passing it is synchronous: the recipe
// starts when make reaches it, as in GNU.
import { RunKey, type RunContext } from "../run-context.js";

/** Makes ready what the recipe of `target` needs before it runs. */
export type StartBarrier = (target: string) => void;

const key = new RunKey<{ barrier: StartBarrier | undefined }>("start-barrier", () => ({ barrier: undefined }));

/** Sets (or with undefined, clears) the barrier of `run`'s recipes. */
export function setStartBarrier(run: RunContext, barrier: StartBarrier | undefined): void {
  key.of(run).barrier = barrier;
}

/** Passes the barrier of `run`, for the recipe of `target` about to start its first command. */
export function passStartBarrier(run: RunContext, target: string): void {
  key.of(run).barrier?.(target);
}
