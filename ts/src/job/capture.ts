// A recipe's output, kept for the journal while it goes to the terminal as before.
//
// Without -O a recipe's commands write to tmake's own standard output and error (GNU). When the
// build asks for the output (JobSpec.captureOutput), each command writes instead to a pipe of
// tmake's (pipes.ts): one for both streams when tmake's standard output and error are the same
// file, so their order is kept exactly, else one per stream. tmake forwards each byte to its own
// output as soon as it arrives, and keeps the last bytes of each stream; when a command ends,
// what is left in its pipe is forwarded before anything else is printed. So the terminal shows
// the same bytes in the same order, serially and under -j: parallel jobs' bytes are forwarded
// in the order they were written (a job that waits for a file another made, then prints, still
// prints second).
//
// What changes is what the command sees: its standard output is a pipe, not the terminal
// (`isatty` is false, so programs that colour a terminal do not, and stdio buffers in blocks,
// as it does with GNU when the output goes to a pipe or a file). Under -O the output is held
// in temporary files anyway (output-sync.ts) and is taken from them as it is printed; there a
// command sees a regular file, as with GNU's -O. `--no-record-output` gives GNU's exact
// behaviour back: the commands write straight to tmake's own output. Recursive lines
// ($(MAKE), `+`) are never captured: the sub-make keeps its own journal.
//
// Pipes rather than files that tmake copies as they fill: files had to be polled (every few
// milliseconds), which under -j reordered the output of jobs that synchronise through files,
// and a command that reopens its output by name (`echo x > /dev/stdout`) truncated the file
// and lost what followed. Where no pipe can be made (Windows, no mkfifo) a serial build still
// copies through files (FileCapture below: one command at a time, each file read to its end
// when the command ends, so the order is exact), and parallel jobs write straight through,
// unrecorded (recordsInParallel).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeRaw } from "../output.js";
import { sameStreams } from "./output-sync.js";
import { PipeCapture, pipesWork } from "./pipes.js";
import type { OutputTails } from "./tails.js";

/** Where one job's commands write while its output is kept. */
export interface Capture {
  /** The descriptors a command writes its standard output and error to. */
  childFds(): [number, number];
  /** A command starts. */
  start(): void;
  /** The command ended: everything it wrote reaches the terminal (and the tails) now, or when
   * the promise returned resolves. */
  stop(): Promise<void> | undefined;
  /** The job is over: the pipes or files go back for the next job. */
  close(): void;
}

/** Where the commands of a job whose output goes to `tails` write: a pipe pair, or where no
 * pipe can be made, capture files; undefined when neither can be made (the commands then write
 * straight through). Files are used only where recordsInParallel is false, so only when one
 * recipe runs at a time. */
export function takeCapture(tails: OutputTails, parallel: boolean): Capture | undefined {
  if (pipesWork(tails.merged, parallel)) return PipeCapture.take(tails.merged, parallel, tails);
  return FileCapture.take(tails);
}

/** Whether jobs running in parallel can have their output kept: pipes can be made here (the
 * first call makes the first pair). Capture files cannot keep the order between parallel jobs. */
export function recordsInParallel(): boolean {
  return pipesWork(sameStreams(), true);
}

function tempFd(): number {
  const name = path.join(os.tmpdir(), `tmake-rec-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fd = fs.openSync(name, "a+", 0o600);
  fs.unlinkSync(name);
  return fd;
}

const POLL_MS = 20;
const CHUNK = 64 * 1024;

/** Where no pipe can be made, and one recipe runs at a time: the files one job's commands write
 * to, copied to tmake's output as they fill. The files are kept for the next job when this one
 * is over (opening and deleting two files per recipe would cost a build of many short recipes a
 * good part of its time), and watched meanwhile: a process a recipe left in the background may
 * write to them later, and its output then reaches the terminal as it would have. */
class FileCapture implements Capture {
  private readonly fds: [number, number];
  private readonly offsets: [number, number] = [0, 0];
  private timer: NodeJS.Timeout | undefined;
  private readonly buf = Buffer.alloc(CHUNK);
  private tails: OutputTails | undefined;

  private constructor(readonly merged: boolean) {
    const out = tempFd();
    this.fds = [out, merged ? out : tempFd()];
  }

  /** A capture for a job whose output goes to `tails`; undefined when no temporary file can be
   * made (TMPDIR is no folder, or full): the commands then write straight through. */
  static take(tails: OutputTails): FileCapture | undefined {
    const i = idle.findIndex((c) => c.merged === tails.merged);
    let c: FileCapture;
    if (i >= 0) c = idle.splice(i, 1)[0]!;
    else
      try {
        c = new FileCapture(tails.merged);
      } catch {
        return undefined;
      }
    c.pump(); // what a background process wrote meanwhile belongs to nobody
    c.tails = tails;
    return c;
  }

  /** The descriptors a command writes its standard output and error to. */
  childFds(): [number, number] {
    return this.fds;
  }

  /** A command starts: its output is copied every few milliseconds. */
  start(): void {
    this.timer ??= setInterval(() => this.pump(), POLL_MS);
  }

  /** The command ended: everything it wrote is copied now. */
  stop(): undefined {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.pump();
    return undefined;
  }

  /** Copies what arrived since the last time, to tmake's output and the tails. */
  private pump(): void {
    const streams = this.merged ? 1 : 2;
    for (let k = 0; k < streams; k++) {
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(this.fds[k]!, this.buf, 0, CHUNK, this.offsets[k]!);
        } catch {
          n = 0;
        }
        if (n <= 0) break;
        this.offsets[k]! += n;
        const bytes = Buffer.from(this.buf.subarray(0, n));
        writeRaw(k === 0 ? 1 : 2, bytes);
        this.tails?.add(k === 1, bytes);
      }
    }
  }

  /** The job is over: the files go back for the next job (emptied when they have grown). */
  close(): void {
    this.stop();
    this.tails = undefined;
    for (let k = 0; k < 2; k++)
      if (this.offsets[k]! > MAX_KEPT) {
        fs.ftruncateSync(this.fds[k]!, 0);
        this.offsets[k] = 0;
      }
    idle.push(this);
    idleTimer ??= setInterval(() => {
      for (const c of idle) c.pump();
    }, 200).unref();
  }

  /** At exit: what the files still hold is printed. */
  static flushAll(): void {
    for (const c of idle) c.pump();
  }
}

/** Files larger than this are emptied when a job gives them back. */
const MAX_KEPT = 1 << 20;
const idle: FileCapture[] = [];
let idleTimer: NodeJS.Timeout | undefined;
process.on("exit", () => FileCapture.flushAll());
