// Starts one command with the recipe's environment, inheriting standard input, output and
// error (the command's output streams straight through, as with GNU Make), and reports how it
// ended.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import util from "node:util";
import { flushOut } from "../output.js";

export interface CommandEnd {
  /** Exit status when the command exited. */
  status?: number;
  /** Signal name when it was killed. */
  signal?: NodeJS.Signals;
  /** The program could not be started at all (errno text, e.g. "No such file or directory"). */
  startError?: string;
}

/** The C library's wording for an errno code (Node only knows libuv's lower-case text). */
export function errnoText(err: NodeJS.ErrnoException): string {
  const entry = typeof err.errno === "number" ? util.getSystemErrorMap().get(err.errno) : undefined;
  const text = entry?.[1] ?? err.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a command's output goes instead of tmake's own standard output and error (held output
 * under --output-sync), and descriptors it gets from fd 3 on (the jobserver's pipe). */
export interface CommandIo {
  out?: number;
  err?: number;
  extra?: readonly number[];
}

/** A command holds tmake's standard input (GNU's good_stdin): under -j only one command at a
 * time reads it; the others read an empty input. */
let stdinTaken = false;

/** Runs argv[0] with the other words as arguments. `started` receives the child process so the
 * interrupt handler can reach it. */
export function runCommand(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  started: (child: ChildProcess) => void,
  io: CommandIo = {},
): Promise<CommandEnd> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      flushOut(); // the child writes to the same descriptors
      const goodStdin = !stdinTaken;
      const stdin = goodStdin ? "inherit" : "ignore";
      const stdio: StdioOptions =
        goodStdin && io.out === undefined && io.err === undefined && io.extra === undefined
          ? "inherit"
          : [stdin, io.out ?? "inherit", io.err ?? "inherit", ...(io.extra ?? [])];
      // execve takes C strings: a word ends at a NUL byte, as it does for GNU's children.
      const words = argv.map((w) => (w.includes("\0") ? w.slice(0, w.indexOf("\0")) : w));
      child = spawn(words[0]!, words.slice(1), { cwd, env, stdio });
      if (goodStdin) {
        stdinTaken = true;
        const free = (): void => void (stdinTaken = false);
        child.once("exit", free);
        child.once("error", free);
      }
    } catch (e) {
      resolve({ startError: errnoText(e as NodeJS.ErrnoException) });
      return;
    }
    let settled = false;
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      resolve({ startError: errnoText(err) });
    });
    child.on("exit", (code, signal) => {
      if (settled) return;
      settled = true;
      resolve(signal ? { signal } : { status: code ?? 0 });
    });
    started(child);
  });
}
