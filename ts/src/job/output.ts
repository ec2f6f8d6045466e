// Writes echo lines and messages straight to file descriptors 1 and 2. Recipes inherit the
// same descriptors, so every write must be complete before the next child starts; a
// synchronous write keeps tmake's lines and the recipes' output in the order GNU Make gives.
import fs from "node:fs";
import type { Loc } from "../errors.js";
import { programName } from "../errors.js";

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue; // a non-blocking pipe is full: retry until it drains
      if (code === "EPIPE") return; // the reader went away; GNU ignores this too
      throw e;
    }
  }
}

/** Prints one line on standard output. */
export function printOut(line: string): void {
  writeAll(1, `${line}\n`);
}

/** Prints one line on standard error. */
export function printErr(line: string): void {
  writeAll(2, `${line}\n`);
}

/** GNU's `[Makefile:3: target]` label for a recipe line (`[<builtin>: t]` without a line). */
export function jobLabel(loc: Loc | undefined, target: string): string {
  if (!loc) return `[${target}]`;
  return loc.line > 0 ? `[${loc.file}:${loc.line}: ${target}]` : `[${loc.file}: ${target}]`;
}

/** `make: *** [Makefile:3: t] Error 1`, or with `(ignored)` and no stars for ignored errors. */
export function printJobFailure(loc: Loc | undefined, target: string, what: string, ignored: boolean): void {
  if (ignored) printErr(`${programName}: ${jobLabel(loc, target)} ${what} (ignored)`);
  else printErr(`${programName}: *** ${jobLabel(loc, target)} ${what}`);
}
