// The job stage's failure messages (`make: *** [Makefile:3: t] Error 1`).
import type { Loc } from "../errors.js";
import { programName } from "../errors.js";
import { printErr } from "../output.js";

/** GNU's `[Makefile:3: target]` label for a recipe line (`[<builtin>: t]` without a line). */
export function jobLabel(loc: Loc | undefined, target: string): string {
  if (!loc) return `[${target}]`;
  return loc.line > 0 ? `[${loc.file}:${loc.line}: ${target}]` : `[${loc.file}: ${target}]`;
}

/** `make: *** [Makefile:3: t] Error 1`, or with `(ignored)` and no stars for ignored errors. */
export function printJobFailure(loc: Loc | undefined, target: string, what: string, ignored: boolean, print: (line: string) => void = printErr): void {
  if (ignored) print(`${programName}: ${jobLabel(loc, target)} ${what} (ignored)`);
  else print(`${programName}: *** ${jobLabel(loc, target)} ${what}`);
}
