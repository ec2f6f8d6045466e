// -O / --output-sync (GNU's output.c): the output of a job under -j is held in temporary files
// (its commands write there, and so do tmake's echo lines and error messages for it), and
// printed in one piece when the job ends (`target`, the default type, and `recurse`) or when
// each of its command lines ends (`line`). A sub-make that announces its directory wraps each
// piece in its own "Entering/Leaving directory" lines (except under `recurse`, where the whole
// sub-make's output is one piece of its parent's). Recursive lines ($(MAKE), `+`) are not
// held except under `recurse`: what they print is already synchronized by the sub-make.
//
// GNU takes a lock on standard output around each piece; tmake writes each piece with one
// write, which a file in append mode or a pipe keeps whole.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { flushOut, writeRaw } from "../output.js";
import type { RunContext } from "../run-context.js";
import { jobState, type SyncMode } from "./run-state.js";

export type { SyncMode } from "./run-state.js";

/** Sets the run's -O type (none unless -O and jobs may run in parallel), and the
 * "Entering/Leaving directory" lines around each piece when directories are shown. */
export function configureOutputSync(run: RunContext, type: SyncMode, lines?: { enter: string; leave: string }): void {
  const state = jobState(run);
  state.syncMode = type;
  state.syncLines = lines;
}

/** The run's -O type. */
export function outputSyncMode(run: RunContext): SyncMode {
  return jobState(run).syncMode;
}

let combined: boolean | undefined;

/** Whether standard output and standard error are the same file: then one temporary file
 * holds both, in the order they were written. */
export function sameStreams(): boolean {
  if (combined === undefined) {
    try {
      const o = fs.fstatSync(1);
      const e = fs.fstatSync(2);
      combined = o.dev === e.dev && o.ino === e.ino;
    } catch {
      combined = false;
    }
  }
  return combined;
}

function tempFd(): number {
  const name = path.join(os.tmpdir(), `tmake-out-${process.pid}-${Math.random().toString(36).slice(2)}`);
  // Append mode: the file is emptied after each piece while a child still holds it.
  const fd = fs.openSync(name, "a+", 0o600);
  fs.unlinkSync(name);
  return fd;
}

function contents(fd: number): Buffer {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = fs.readSync(fd, buf, got, size - got, got);
    if (n <= 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** One job's held output (GNU's struct output). */
export class SyncOutput {
  private out = -1;
  private err = -1;
  private readonly mode: SyncMode;
  private readonly lines: { enter: string; leave: string } | undefined;
  /** Told of each piece printed (the journal keeps the job's output). */
  tap: ((toErr: boolean, bytes: Buffer) => void) | undefined;

  /** Held output of a job of `run`, printed with the run's -O settings. */
  constructor(run: RunContext) {
    const state = jobState(run);
    this.mode = state.syncMode;
    this.lines = state.syncLines;
  }

  /** The descriptors a command writes its standard output and error to. */
  childFds(): [number, number] {
    if (this.out < 0) {
      this.out = tempFd();
      this.err = sameStreams() ? this.out : tempFd();
    }
    return [this.out, this.err];
  }

  errFd(): number {
    return this.childFds()[1];
  }

  write(toErr: boolean, text: string): void {
    const [out, err] = this.childFds();
    fs.writeSync(toErr ? err : out, text);
  }

  /** Prints what is held, in one piece, and empties the files (GNU's output_dump). */
  dump(): void {
    if (this.out < 0) return;
    const out = contents(this.out);
    const err = this.err !== this.out ? contents(this.err) : Buffer.alloc(0);
    if (out.length === 0 && err.length === 0) return;
    if (this.tap !== undefined) {
      this.tap(false, out);
      this.tap(true, err);
    }
    flushOut();
    const wrap = this.mode !== "recurse" ? this.lines : undefined;
    if (out.length > 0 || wrap) {
      const parts = wrap ? [Buffer.from(wrap.enter), out] : [out];
      if (wrap && err.length === 0) parts.push(Buffer.from(wrap.leave));
      writeRaw(1, Buffer.concat(parts));
    }
    if (err.length > 0) {
      writeRaw(2, err);
      if (wrap) writeRaw(1, Buffer.from(wrap.leave));
    }
    fs.ftruncateSync(this.out, 0);
    if (this.err !== this.out) fs.ftruncateSync(this.err, 0);
  }

  /** Prints what is left and lets the files go. */
  close(): void {
    if (this.out < 0) return;
    this.dump();
    fs.closeSync(this.out);
    if (this.err !== this.out) fs.closeSync(this.err);
    this.out = this.err = -1;
  }
}
