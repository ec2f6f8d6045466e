// The update walk's unit of work. GNU's update_file runs to its end unless a recipe has to be
// waited for; tmake's walk functions are generators that run synchronously and yield only the
// promises they wait for (a running recipe, a batch of times), so a null build over 100k files
// allocates no promise per file, as async functions would.

/** A step of the update: yields the promises it waits for, returns T. */
export type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** Runs a Step to its end, waiting for each promise it yields and handing back the result. */
export async function drive<T>(step: Step<T>): Promise<T> {
  let r = step.next();
  while (!r.done) {
    let value: unknown;
    try {
      value = await r.value;
    } catch (e) {
      r = step.throw(e);
      continue;
    }
    r = step.next(value);
  }
  return r.value;
}
