// The build lock of a tree: one file, `.tmake/journal/lock`, naming its holder (run, pid, host,
// since when, last heartbeat). A run that builds takes it before it reads the makefiles and
// keeps it to its end, so two runs in one tree never build the same target at once; the second
// one waits, saying once who holds the lock. A recursive $(MAKE) in the same tree joins its
// parent's run instead (the parent names its run in the recipes' environment, TMAKE_RUN) and is
// never blocked by it.
//
// The lock heals itself: a holder on this host whose process is gone, or a holder on another
// host whose heartbeat (every 10 s) is older than TMAKE_LOCK_TIMEOUT (120 s by default), is
// broken. It is taken by link(2) of a file written whole, which is atomic on NFS too, and it
// needs no lock across hosts and no shared memory.
import fs from "node:fs";
import path from "node:path";
import { HEARTBEAT_MS, hostName, processLives } from "./store.js";

/** Who holds the lock. */
export interface LockHolder {
  run: number;
  pid: number;
  host: string;
  /** Milliseconds since the epoch. */
  since: number;
  beat: number;
}

/** The lock holder in words: `run 12 (pid 4242 on host1, since 03:12:44)`. */
export function describeHolder(h: LockHolder): string {
  const since = new Date(h.since).toTimeString().slice(0, 8);
  return `run ${h.run} (pid ${h.pid} on ${h.host}, since ${since})`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class BuildLock {
  private readonly file: string;
  private holder: LockHolder | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(journalDir: string) {
    this.file = path.join(journalDir, "lock");
  }

  /** The holder as the lock file says, if it is readable. */
  read(): LockHolder | undefined {
    try {
      const h = JSON.parse(fs.readFileSync(this.file, "utf8")) as LockHolder;
      return typeof h.pid === "number" && typeof h.host === "string" ? h : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether `h` still holds (its process lives, or its heartbeat is recent). */
  static lives(h: LockHolder): boolean {
    return processLives(h.pid, h.host, h.beat);
  }

  private write(target: string, h: LockHolder): string {
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(tmp, JSON.stringify(h));
    if (target === this.file) return tmp;
    fs.renameSync(tmp, target);
    return target;
  }

  /** Takes the lock for run `run`, waiting while a live holder has it; `waiting` is told once
   * who that is. */
  async acquire(run: number, waiting: (holder: LockHolder) => void): Promise<void> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    let told = false;
    for (;;) {
      const now = Date.now();
      const mine: LockHolder = { run, pid: process.pid, host: hostName, since: now, beat: now };
      const tmp = this.write(this.file, mine);
      try {
        fs.linkSync(tmp, this.file);
        this.holder = mine;
        this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
        this.timer.unref();
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      } finally {
        fs.rmSync(tmp, { force: true });
      }
      const h = this.read();
      if (h !== undefined && !BuildLock.lives(h)) {
        this.breakStale(h);
        continue;
      }
      if (h !== undefined && !told) {
        told = true;
        waiting(h);
      }
      await sleep(h === undefined ? 50 : 250);
    }
  }

  /** Removes a lock whose holder is dead, unless another run took it meanwhile. */
  private breakStale(seen: LockHolder): void {
    const aside = `${this.file}.broken.${process.pid}`;
    try {
      fs.renameSync(this.file, aside);
    } catch {
      return; // someone else broke it first
    }
    const moved = (() => {
      try {
        return JSON.parse(fs.readFileSync(aside, "utf8")) as LockHolder;
      } catch {
        return undefined;
      }
    })();
    // Another run took the lock between our look and the rename: give it back.
    if (moved !== undefined && (moved.pid !== seen.pid || moved.host !== seen.host || moved.since !== seen.since)) {
      try {
        fs.linkSync(aside, this.file);
      } catch {
        // It was taken again meanwhile: that holder stands.
      }
    }
    fs.rmSync(aside, { force: true });
  }

  /** The heartbeat: the lock says its holder is alive now (unless it was taken from us). */
  private beat(): void {
    const h = this.holder;
    if (h === undefined) return;
    const now = this.read();
    if (now !== undefined && (now.pid !== h.pid || now.host !== h.host || now.since !== h.since)) return;
    h.beat = Date.now();
    try {
      const tmp = this.write(this.file, h);
      fs.renameSync(tmp, this.file);
    } catch {
      // Retried at the next beat.
    }
  }

  /** Lets the lock go (if it is still ours). */
  release(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const h = this.holder;
    this.holder = undefined;
    if (h === undefined) return;
    const now = this.read();
    if (now !== undefined && now.pid === h.pid && now.host === h.host && now.since === h.since) fs.rmSync(this.file, { force: true });
  }
}
