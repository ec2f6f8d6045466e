// The job stage's failure messages (`make: *** [Makefile:3: t] Error 1`).
import type { Loc } from "../messages.js";

/** GNU's `[Makefile:3: target]` label for a recipe line (`[<builtin>: t]` without a line). */
export function jobLabel(loc: Loc | undefined, target: string): string {
  if (!loc) return `[${target}]`;
  return loc.line > 0 ? `[${loc.file}:${loc.line}: ${target}]` : `[${loc.file}: ${target}]`;
}

/** `make: *** [Makefile:3: t] Error 1`, or with `(ignored)` and no stars for ignored errors;
 * `prefix` is the run's (`tmake`, `tmake[1]`). */
export function printJobFailure(prefix: string, loc: Loc | undefined, target: string, what: string, ignored: boolean, print: (line: string) => void): void {
  if (ignored) print(`${prefix}: ${jobLabel(loc, target)} ${what} (ignored)`);
  else print(`${prefix}: *** ${jobLabel(loc, target)} ${what}`);
}
