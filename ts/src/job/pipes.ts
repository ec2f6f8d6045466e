// The pipes a recipe's commands write to when tmake keeps their output (capture.ts says when):
// each byte is forwarded to tmake's own standard output or error as soon as it arrives, and
// added to the job's tails.
//
// Made in plain Node, so the JavaScript backend has them too: `mkfifo` in a private temporary
// folder (one process per pipe pair, and the pairs are kept and reused from job to job, so a
// run makes at most as many as it runs jobs at once), the read end opened non-blocking first,
// then the write end (blocking, as a command expects its output), then the name unlinked.
//
// Who reads them:
//  - When one recipe runs at a time, the main thread (a net.Socket in flowing mode, and when a
//    command ends, what is left is read synchronously before tmake goes on): one writer at a
//    time, so the order is exact whatever the main thread is doing.
//  - Under -j, the forwarder thread (forwarder.ts), so that the order between parallel jobs
//    does not depend on how soon the busy main thread comes back to its poll; a command's end
//    waits for the thread to have written what its pipes hold.
//
// tmake keeps the write ends open (to reuse them), so no read ever waits for an end of file,
// and a process a recipe left in the background can go on writing: its pipe is read while
// idle too, and its bytes reach the terminal. At exit (or when tmake dies of an interrupt), a
// pipe that a process other than tmake still holds open is handed to a `cat` that copies it to
// tmake's output until that process ends, so the process neither dies of SIGPIPE nor keeps
// tmake from exiting: it goes on writing to the terminal, as under GNU make.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { writeRaw } from "../output.js";
import { Forwarder } from "./forwarder.js";
import { onInterrupt } from "./interrupt.js";

/** Where a job's bytes go besides the terminal (capture.ts's OutputTails). */
export interface TailSink {
  add(toErr: boolean, bytes: Buffer): void;
}

const CHUNK = 64 * 1024;
const readBuf = Buffer.alloc(CHUNK);

/** One pipe: a command writes to `writeFd`; what arrives at `readFd` goes to `toFd`. */
class Pipe {
  /** The job whose output this is, while one holds the pipe. */
  sink: TailSink | undefined;

  constructor(
    readonly index: number,
    readonly readFd: number,
    readonly writeFd: number,
    readonly toFd: 1 | 2,
    /** Read by the main thread (else by the forwarder). */
    readonly onMain: boolean,
  ) {
    if (!onMain) return;
    const buffer = Buffer.alloc(CHUNK);
    // `onread`: libuv reads into one buffer of ours (Node's constructor takes it; its types
    // have it only for net.connect).
    const onread: net.OnReadOpts = {
      buffer,
      callback: (n: number) => {
        this.forward(Buffer.from(buffer.subarray(0, n)));
        return true;
      },
    };
    const socket = new net.Socket({ fd: readFd, readable: true, writable: false, onread } as net.SocketConstructorOpts);
    socket.on("error", () => undefined); // a read error ends the copying; nothing to say
    socket.unref(); // an idle pipe never keeps tmake alive
  }

  /** Bytes the pipe gave: to the terminal (unless the forwarder wrote them) and the job. */
  forward(bytes: Buffer, written = false): void {
    if (!written) writeRaw(this.toFd, bytes);
    this.sink?.add(this.toFd === 2, bytes);
  }

  /** Forwards what the pipe holds now, without waiting (a pipe the main thread reads, or any
   * pipe once the forwarder stopped). Returns false when no process holds the write end any
   * more (end of file). */
  drain(): boolean {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(this.readFd, readBuf, 0, CHUNK, null);
      } catch (e) {
        // EAGAIN: empty, and a writer may still write; anything else: the pipe is gone.
        return (e as NodeJS.ErrnoException).code === "EAGAIN";
      }
      if (n === 0) return false;
      this.forward(Buffer.from(readBuf.subarray(0, n)));
    }
  }

  /** tmake lets go of its write end; a process that still holds it (left in the background by
   * a recipe) gets a `cat` that copies the rest to tmake's own output. */
  handOff(): void {
    this.sink = undefined;
    this.drain();
    try {
      fs.closeSync(this.writeFd);
    } catch {
      // Closed already.
    }
    if (!this.drain()) return;
    try {
      spawn("cat", [], { stdio: [this.readFd, this.toFd, 2] }).unref();
    } catch {
      // No cat: what the process writes from now on is lost, as with no reader.
    }
  }
}

/** A pipe pair in use by one job (or idle, in the pool). */
export class PipeCapture {
  private constructor(
    readonly merged: boolean,
    readonly onMain: boolean,
    private readonly pipes: Pipe[],
  ) {}

  /** A pair for a job whose bytes also go to `sink`: one pipe for both streams when `merged`
   * (tmake's standard output and error are one file, and the command's order between them is
   * kept), else one per stream; read by the forwarder thread when `parallel`. Undefined when no
   * pipe can be made (too many open files, no mkfifo): the commands then write straight
   * through. */
  static take(merged: boolean, parallel: boolean, sink: TailSink): PipeCapture | undefined {
    const onMain = !parallel || forwarder() === undefined;
    const i = idle.findIndex((c) => c.merged === merged && c.onMain === onMain);
    const c = i >= 0 ? idle.splice(i, 1)[0] : PipeCapture.make(merged, onMain);
    if (c === undefined) return undefined;
    if (onMain) for (const p of c.pipes) p.drain(); // what a background process wrote meanwhile belongs to nobody
    for (const p of c.pipes) p.sink = sink;
    return c;
  }

  private static make(merged: boolean, onMain: boolean): PipeCapture | undefined {
    const ends = makePipes(merged ? 1 : 2);
    if (ends === undefined) return undefined;
    const pipes = ends.map(([r, w], k) => new Pipe(all.length + k, r, w, k === 0 ? 1 : 2, onMain));
    all.push(...pipes);
    if (!onMain && !pipes.every((p) => thread!.add(p.index, p.readFd, p.toFd))) {
      // The forwarder is gone: these pipes are left unread, and the next pairs are the main
      // thread's.
      for (const p of pipes) p.sink = undefined;
      return undefined;
    }
    return new PipeCapture(merged, onMain, pipes);
  }

  /** The descriptors a command writes its standard output and error to. */
  childFds(): [number, number] {
    const [out, err] = this.pipes;
    return [out!.writeFd, (err ?? out!).writeFd];
  }

  /** A command starts (its bytes are forwarded as they come: nothing to do). */
  start(): void {}

  /** A command ended: what is left in the pipes is forwarded before tmake says more (at once
   * when the main thread reads them; else once the forwarder answers). */
  stop(): Promise<void> | undefined {
    if (this.onMain || !thread!.alive) {
      for (const p of this.pipes) p.drain();
      return undefined;
    }
    return thread!.flush(this.pipes.map((p) => p.index));
  }

  /** The job is over (its last command's stop is done): the pair goes back to the pool, still
   * read. */
  close(): void {
    if (this.onMain) for (const p of this.pipes) p.drain();
    for (const p of this.pipes) p.sink = undefined;
    idle.push(this);
  }
}

const idle: PipeCapture[] = [];
/** Every pipe made, by index, for the forwarder's messages and the hand-off at exit. */
const all: Pipe[] = [];

let thread: Forwarder | undefined;
let threadTried = false;

/** The forwarder thread, started on first use; undefined where it cannot start. */
function forwarder(): Forwarder | undefined {
  if (!threadTried) {
    threadTried = true;
    thread = Forwarder.start({
      chunk: (i, bytes) => all[i]?.forward(bytes, true),
      unwritten: (fd, bytes) => writeRaw(fd, bytes),
    });
  }
  return thread?.alive === true ? thread : undefined;
}

/** Whether pipes can be made here: unknown until the first is tried, false after a first
 * attempt failed (the platform has no named pipes, or no mkfifo), true after one worked. */
let works: boolean | undefined = process.platform === "win32" ? false : undefined;

/** Whether a job's output can go through pipes on this system (the first call makes a pair,
 * kept in the pool for the first job). */
export function pipesWork(merged: boolean, parallel: boolean): boolean {
  if (works === undefined) PipeCapture.take(merged, parallel, { add: () => undefined })?.close();
  return works === true;
}

/** `n` pipes as [read end, write end], or undefined when they cannot be made. */
function makePipes(n: number): [number, number][] | undefined {
  if (works === false) return undefined;
  let dir: string | undefined;
  const fds: number[] = [];
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-pipe-"));
    const names = Array.from({ length: n }, (_, k) => path.join(dir!, String(k)));
    const made = spawnSync("mkfifo", ["-m", "600", ...names], { stdio: "ignore" });
    if (made.status !== 0) throw new Error("mkfifo failed");
    const ends: [number, number][] = [];
    for (const name of names) {
      // The read end first, non-blocking (it opens at once with no writer yet); then the write
      // end, which opens at once because there is a reader.
      const r = fs.openSync(name, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      fds.push(r);
      const w = fs.openSync(name, fs.constants.O_WRONLY);
      fds.push(w);
      ends.push([r, w]);
    }
    if (works === undefined) {
      works = true;
      process.on("exit", handOffAll);
      onInterrupt(handOffAll);
    }
    return ends;
  } catch {
    for (const fd of fds) fs.closeSync(fd);
    // Pipes that worked before and fail now (too many files open) fail for this job only.
    if (works === undefined) works = false;
    return undefined;
  } finally {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
}

let handedOff = false;

/** At exit: the forwarder stops, every pipe's last bytes are forwarded, and a pipe still held
 * by a background process is handed to a copier. */
function handOffAll(): void {
  if (handedOff) return;
  handedOff = true;
  thread?.stop();
  for (const p of all) p.handOff();
}
