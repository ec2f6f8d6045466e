// Writes echo lines and messages to file descriptors 1 and 2. Recipes inherit the same
// descriptors, so tmake's own output must be out before the next child starts. Standard output
// is buffered the way GNU Make's stdio buffers it (line by line on a terminal, in blocks
// otherwise) and flushed before any child process starts, before anything goes to standard
// error (so the two keep their order on a shared terminal) and at exit: a dry run of 100k
// targets then costs a few writes instead of one system call per echoed line.
import fs from "node:fs";
import tty from "node:tty";

/** A write to standard output failed (GNU's ferror(stdout)): reported at exit. */
let stdoutFailed = false;

function writeAll(fd: number, text: string | Buffer): void {
  if (fd === 1 && stdoutFailed) return;
  let buf = typeof text === "string" ? Buffer.from(text) : text;
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue; // a non-blocking pipe is full: retry until it drains
      if (code === "EPIPE") return; // the reader went away; GNU ignores this too
      if (fd !== 1) throw e;
      // Standard output is unusable (a full disk, /dev/full): like GNU, go on without it and
      // fail at exit (see atExit).
      stdoutFailed = true;
      return;
    }
  }
}

/** Who owns the process's standard output: its name starts the exit's error line (the
 * command's run sets it; see ownStdout). */
let stdoutOwner = "tmake";

/** The run that owns standard output: `prefix` is its messages' (`tmake`, `tmake[1]`). */
export function ownStdout(prefix: string): void {
  stdoutOwner = prefix;
}

/** At exit: what standard output still holds goes out; if any of it could not be written,
 * GNU's close_stdout says so and the status is 1. */
function atExit(): void {
  flushOut();
  if (!stdoutFailed) return;
  writeAll(2, `${stdoutOwner}: write error: stdout\n`);
  process.exitCode = 1;
}

const BLOCK = 64 * 1024;
let pending = "";
let lineBuffered: boolean | undefined;
let exitHookInstalled = false;

/** Where output goes instead while it is held (-O line/target while the makefiles are read:
 * GNU's make_sync). */
export interface OutputCapture {
  write(toErr: boolean, text: string): void;
  /** The descriptor a $(shell) command's standard error goes to meanwhile. */
  errFd(): number;
}

let capture: OutputCapture | undefined;

/** Holds everything written (or, with undefined, stops holding). */
export function setOutputCapture(c: OutputCapture | undefined): void {
  capture = c;
}

/** Where a $(shell) command's standard error goes: tmake's own unless output is held. */
export function shellErrorFd(): number | undefined {
  return capture?.errFd();
}

/** Said once, before the first output (see outputStarts). */
let beforeFirstOutput: (() => void) | undefined;

/** GNU's output_start: `announce` is printed (by itself) just before this make's first
 * output, or before its first command starts; "Entering directory" is printed this way, so a
 * make that prints nothing and runs nothing (a sub-make under -q) says nothing. */
export function announceBeforeOutput(announce: (() => void) | undefined): void {
  beforeFirstOutput = announce;
}

/** Output is about to start: a message, a command's echo or the command itself, or a
 * $(shell) (whose output reaches the terminal directly). */
export function outputStarts(): void {
  const announce = beforeFirstOutput;
  if (announce === undefined) return;
  beforeFirstOutput = undefined;
  announce();
}

/** Writes whatever standard output holds. Call before starting a child process. */
export function flushOut(): void {
  if (pending === "") return;
  const text = pending;
  pending = "";
  writeAll(1, text);
}

/** Text for standard output (buffered; see above). */
export function writeOut(text: string): void {
  if (beforeFirstOutput !== undefined) outputStarts();
  if (capture !== undefined) {
    capture.write(false, text);
    return;
  }
  lineBuffered ??= tty.isatty(1);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", atExit);
  }
  pending += text;
  if (lineBuffered || pending.length >= BLOCK) flushOut();
}

/** Text for standard error, after what standard output holds. */
export function writeErr(text: string): void {
  if (beforeFirstOutput !== undefined) outputStarts();
  if (capture !== undefined) {
    capture.write(true, text);
    return;
  }
  flushOut();
  writeAll(2, text);
}

/** Bytes straight to a descriptor (1 or 2) in one write when it can, after what standard
 * output holds (a piece of held output under --output-sync). */
export function writeRaw(fd: number, bytes: Buffer): void {
  if (beforeFirstOutput !== undefined) outputStarts();
  flushOut();
  writeAll(fd, bytes);
}

/** Prints one line on standard output. */
export function printOut(line: string): void {
  writeOut(`${line}\n`);
}

/** Prints one line on standard error. */
export function printErr(line: string): void {
  writeErr(`${line}\n`);
}
