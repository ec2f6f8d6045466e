// GNU Make's jobserver (posixos.c): a pipe holding one token (a `+` byte) per job that may run
// besides the one every make may always run. The top make of a `-jN` build creates it with N-1
// tokens and says where it is in MAKEFLAGS (`--jobserver-auth=R,W`); a sub-make takes a token
// before it starts a second job and writes it back when that job ends. The pipe's two ends
// reach only the recipe lines that are recursive ($(MAKE) or `+`), as GNU hands them on; a
// sub-make started another way finds them closed and runs one job at a time.
//
// Node has neither pipe(2) nor poll(2) on a plain descriptor, so the pipe is a FIFO made with
// mkfifo(1) and unlinked at once, and tokens are read without blocking (the read end is
// non-blocking; an inherited end is reopened through /proc as a non-blocking description of the
// same pipe, so a parent's flags are left alone). Waiting for a token is done by the job slots
// (slots.ts), which try again when a job ends and on a short timer.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where a recursive recipe line finds the pipe: GNU 4.3 passes these numbers too. */
export const CHILD_FDS = [3, 4] as const;

const TOKEN = Buffer.from("+");

export class Jobserver {
  private readonly buf = Buffer.alloc(1);

  constructor(
    /** The end tokens are read from here (non-blocking). */
    private readonly readFd: number,
    /** The ends handed to recursive recipe lines, at CHILD_FDS. */
    readonly childFds: readonly [number, number],
    /** This make created the pipe (GNU's master). */
    readonly master: boolean,
    private readonly writeFd: number,
  ) {}

  /** `R,W` for --jobserver-auth: the numbers a recursive recipe line finds the pipe at. */
  get auth(): string {
    return `${CHILD_FDS[0]},${CHILD_FDS[1]}`;
  }

  /** Takes a token if one is there now. */
  tryAcquire(): boolean {
    try {
      return fs.readSync(this.readFd, this.buf, 0, 1, null) === 1;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" || code === "EWOULDBLOCK" || code === "EINTR") return false;
      throw e;
    }
  }

  /** Gives a token back. */
  release(): void {
    fs.writeSync(this.writeFd, TOKEN);
  }
}

/** The top make's jobserver with `tokens` tokens; undefined when no pipe can be made (the make
 * then limits its own jobs only, as GNU does when jobserver_setup fails). */
export function createJobserver(tokens: number): Jobserver | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-jobs-"));
  const fifo = path.join(dir, "fifo");
  try {
    execFileSync("mkfifo", ["-m", "600", fifo], { stdio: "ignore" });
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    const server = new Jobserver(readFd, [readFd, writeFd], true, writeFd);
    for (let i = 0; i < tokens; i++) server.release();
    return server;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fifoIno(fd: number): number | undefined {
  try {
    const st = fs.fstatSync(fd);
    return st.isFIFO() ? st.ino : undefined;
  } catch {
    return undefined;
  }
}

/** The parent's jobserver named by `auth` (`R,W`); undefined when its descriptors are not open
 * here (the parent did not take this make for a recursive one). */
export function attachJobserver(auth: string): Jobserver | undefined {
  const m = /^(\d+),(\d+)$/.exec(auth);
  if (!m) return undefined;
  const r = Number(m[1]);
  const w = Number(m[2]);
  // Both ends of one pipe. (A number the parent did not hand on may hold a descriptor Node
  // opened for itself, but fd 3 is never a pipe of Node's.)
  const ino = fifoIno(r);
  if (ino === undefined || fifoIno(w) !== ino) return undefined;
  let readFd = r;
  try {
    // Our own non-blocking description of the same pipe (Linux).
    readFd = fs.openSync(`/proc/self/fd/${r}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    // Elsewhere: GNU's parents make the read end non-blocking themselves.
  }
  return new Jobserver(readFd, [r, w], false, w);
}
