// The forwarder thread: under -j, the one reader of the pipes that parallel jobs write to
// (pipes.ts). Each byte is forwarded to tmake's standard output or error the moment it arrives
// and handed to the main thread for the job's tails.
//
// Why a thread of its own: the main thread is often busy for milliseconds at a time (forking
// the next job, the walk, the journal), and under load it waits for a processor besides. Two
// jobs that answer each other through files meanwhile (one writes, makes a file; the other sees
// it, writes; the first writes again) would leave two writes in one pipe around a write in the
// other, and read late, their order is lost. The forwarder does nothing else, sleeps in the
// poll, and the kernel wakes it as soon as a pipe fills, in the order the pipes filled.
//
// The main thread never reads these pipes itself, so nothing races the forwarder: when a
// command ends, the main thread asks it to flush the command's pipes (`flush`) and waits for the
// answer before going on; the forwarder handles the request after every pipe event that came
// before it, reads what is left in those pipes to the end, writes it, and answers. So a job's
// last bytes come before anything tmake prints about its end, and the job's tails are whole
// (its bytes reach the main thread as messages on the same port, ahead of the answer).
//
// At exit (or when tmake dies of an interrupt) `stop` makes the forwarder stop reading and
// write what the pipes hold, synchronously; the pipes then go to pipes.ts's hand-off.
import { Worker } from "node:worker_threads";

/** The thread's code (CommonJS, run with `eval`: the bundled command carries it as text). */
const SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const net = require("node:net");
const flags = new Int32Array(workerData.flags);
const CHUNK = 64 * 1024;
const pipes = new Map();
const failed = new Set();
const spare = Buffer.alloc(CHUNK);

function write(fd, bytes) {
  if (failed.has(fd)) return;
  let off = 0;
  while (off < bytes.length) {
    try {
      off += fs.writeSync(fd, bytes, off);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      if (e.code === "EPIPE") return;
      // The main thread writes it again, and reports the failure its own way.
      failed.add(fd);
      parentPort.postMessage({ k: "unwritten", fd, bytes: bytes.subarray(off) });
      return;
    }
  }
}

function forward(i, p, buf, n) {
  const bytes = Uint8Array.prototype.slice.call(buf, 0, n);
  write(p.to, bytes);
  parentPort.postMessage({ k: "chunk", i, bytes });
}

function drain(i, p) {
  for (;;) {
    let n;
    try {
      n = fs.readSync(p.fd, spare, 0, CHUNK, null);
    } catch {
      return;
    }
    if (n <= 0) return;
    forward(i, p, spare, n);
  }
}

parentPort.on("message", (m) => {
  if (m.k === "add") {
    const p = { fd: m.fd, to: m.to, buf: Buffer.alloc(CHUNK) };
    p.socket = new net.Socket({ fd: m.fd, readable: true, writable: false, onread: { buffer: p.buf, callback: (n) => forward(m.i, p, p.buf, n) } });
    p.socket.on("error", () => undefined);
    pipes.set(m.i, p);
    Atomics.store(flags, 1, m.i + 1);
    Atomics.notify(flags, 1);
  } else if (m.k === "flush") {
    for (const i of m.pipes) drain(i, pipes.get(i));
    parentPort.postMessage({ k: "flushed", id: m.id });
  } else if (m.k === "stop") {
    for (const [i, p] of pipes) {
      p.socket.pause();
      drain(i, p);
    }
    Atomics.store(flags, 2, 1);
    Atomics.notify(flags, 2);
  }
});
Atomics.store(flags, 0, 1);
Atomics.notify(flags, 0);
`;

/** What the main thread does with what the thread says. */
export interface ForwarderHost {
  /** A pipe's bytes, as the thread forwarded them. */
  chunk(i: number, bytes: Buffer): void;
  /** Bytes the thread could not write (the main thread writes them, reporting the failure). */
  unwritten(fd: number, bytes: Buffer): void;
}

const WAIT_MS = 10_000;

/** The forwarder thread of this process. */
export class Forwarder {
  private readonly worker: Worker;
  /** [0] the thread is ready, [1] the last pipe it added (index + 1), [2] it stopped. */
  private readonly flags = new Int32Array(new SharedArrayBuffer(12));
  private readonly waiting = new Map<number, () => void>();
  private nextId = 0;
  private dead = false;

  private constructor(private readonly host: ForwarderHost) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { flags: this.flags.buffer }, stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on("message", (m: { k: string; i: number; id: number; fd: number; bytes: Uint8Array }) => {
      if (m.k === "chunk") host.chunk(m.i, Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      else if (m.k === "flushed") this.answered(m.id);
      else if (m.k === "unwritten") host.unwritten(m.fd, Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    });
    // A thread that dies leaves its pipes unread: nobody waits for it any more.
    const gone = (): void => {
      this.dead = true;
      for (const id of [...this.waiting.keys()]) this.answered(id);
    };
    this.worker.on("error", gone);
    this.worker.on("exit", gone);
  }

  /** Starts the thread and waits until it listens; undefined when it cannot start. */
  static start(host: ForwarderHost): Forwarder | undefined {
    let f: Forwarder;
    try {
      f = new Forwarder(host);
    } catch {
      return undefined;
    }
    if (Atomics.wait(f.flags, 0, 0, WAIT_MS) === "timed-out" || f.dead) {
      void f.worker.terminate();
      return undefined;
    }
    return f;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** The thread reads pipe `i` (read end `fd`) from now on, forwarding to `to`; returns once it
   * does (a job's bytes must not wait in a pipe nobody watches yet). */
  add(i: number, fd: number, to: 1 | 2): boolean {
    if (this.dead) return false;
    this.worker.postMessage({ k: "add", i, fd, to });
    for (;;) {
      const seen = Atomics.load(this.flags, 1);
      if (seen === i + 1) return true;
      if (Atomics.wait(this.flags, 1, seen, WAIT_MS) === "timed-out" || this.dead) return false;
    }
  }

  /** Resolves once the thread has written everything pipes `pipes` hold now (and their bytes
   * have reached the host). */
  flush(pipes: number[]): Promise<void> {
    if (this.dead) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      if (this.waiting.size === 1) this.worker.ref(); // an answer is awaited: tmake must not exit meanwhile
      this.worker.postMessage({ k: "flush", id, pipes });
    });
  }

  private answered(id: number): void {
    const resolve = this.waiting.get(id);
    if (resolve === undefined) return;
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker.unref();
    resolve();
  }

  /** Synchronously: the thread stops reading and writes what the pipes hold (at exit). */
  stop(): void {
    if (this.dead) return;
    this.worker.postMessage({ k: "stop" });
    Atomics.wait(this.flags, 2, 0, WAIT_MS);
    this.dead = true;
  }
}
