// A recipe's output, kept for the journal while it goes to the terminal as before.
//
// Without -O a recipe's commands write to tmake's own standard output and error (GNU). When the
// build asks for the output (JobSpec.captureOutput), each command writes instead to a temporary
// file (one for both streams when tmake's standard output and error are the same file, so their
// order is kept exactly; else one per stream), and tmake copies what arrives there to its own
// output as it comes (every few milliseconds while the command runs, and all of it when the
// command ends, before anything else is printed), keeping the last bytes of each stream. So the
// terminal shows the same bytes in the same order; what changes is what the command sees: its
// standard output is a regular file, as under GNU's -O, not a terminal or a pipe (`isatty` is
// false, so programs that colour a terminal do not, and stdio buffers in blocks). Under -O the
// output is already held in such files (output-sync.ts) and is taken from them as it is
// printed. `--no-record-output` gives GNU's exact behaviour back. Recursive lines ($(MAKE), `+`)
// are never captured: the sub-make keeps its own journal.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeRaw } from "../output.js";

/** What the journal gets of a recipe's output: the last bytes of each stream. */
export interface RecipeOutput {
  /** Standard output (both streams, in order, when `merged`). */
  out: Buffer;
  err: Buffer;
  /** Standard output and error were one file (tmake's were the same), and `out` holds both. */
  merged: boolean;
  /** Bytes left out before each tail. */
  dropped: [number, number];
}

/** The last `limit` bytes written to a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly limit: number) {}

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
    while (this.size - this.chunks[0]!.length >= this.limit) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    if (all.length <= this.limit) return all;
    this.dropped += all.length - this.limit;
    return all.subarray(all.length - this.limit);
  }
}

/** The tails of one job's two streams; its echo lines and messages are added too, so what is
 * kept is what the terminal showed of the job. */
export class OutputTails {
  private readonly tails: [Tail, Tail];

  constructor(
    limit: number,
    readonly merged: boolean,
  ) {
    this.tails = [new Tail(limit), new Tail(limit)];
  }

  add(toErr: boolean, bytes: Buffer): void {
    this.tails[toErr && !this.merged ? 1 : 0].add(bytes);
  }

  result(): RecipeOutput {
    const [o, e] = this.tails;
    const out = o.bytes();
    const err = e.bytes();
    return { out, err, merged: this.merged, dropped: [o.dropped, e.dropped] };
  }
}

function tempFd(): number {
  const name = path.join(os.tmpdir(), `tmake-rec-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fd = fs.openSync(name, "a+", 0o600);
  fs.unlinkSync(name);
  return fd;
}

const POLL_MS = 20;
const CHUNK = 64 * 1024;

/** The files one job's commands write to, copied to tmake's output as they fill. The files are
 * kept for the next job when this one is over (opening and deleting two files per recipe would
 * cost a build of many short recipes a good part of its time), and watched meanwhile: a process
 * a recipe left in the background may write to them later, and its output then reaches the
 * terminal as it would have. */
export class CommandCapture {
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
  static take(tails: OutputTails): CommandCapture | undefined {
    const i = idle.findIndex((c) => c.merged === tails.merged);
    let c: CommandCapture;
    if (i >= 0) c = idle.splice(i, 1)[0]!;
    else
      try {
        c = new CommandCapture(tails.merged);
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
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.pump();
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
const idle: CommandCapture[] = [];
let idleTimer: NodeJS.Timeout | undefined;
process.on("exit", () => CommandCapture.flushAll());
