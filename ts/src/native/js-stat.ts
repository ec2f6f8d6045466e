// The JS fallbacks for the file-system facts of the Backend: statMtimes, one statSync per path
// on the calling thread (the native backend spreads the batch over Rust threads instead), and
// startListing, a readdirSync when the listing is taken (the native backend reads on a thread
// of its own from the start).
import fs from "node:fs";
import type { FileIdentity, PendingListing, SmallFile } from "./types.js";

/** Backend.statIdentities, one statSync per path. */
export function statIdentities(paths: readonly string[]): (FileIdentity | undefined)[] {
  return paths.map((p) => {
    let st: fs.BigIntStats | undefined;
    try {
      st = fs.statSync(p, { bigint: true, throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (st === undefined || !st.isFile()) return undefined;
    // As Node's (and the native backend's) mtimeMs: seconds * 1000 + nanoseconds / 1e6.
    const ms = Number(st.mtimeNs / 1000000000n) * 1000 + Number(st.mtimeNs % 1000000000n) / 1e6;
    return { id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`, size: Number(st.size), mtimeMs: ms };
  });
}

/** Backend.readSmallFiles, one read per path. */
export function readSmallFiles(paths: readonly string[], maxBytes: number): (SmallFile | undefined)[] {
  return paths.map((p) => {
    let fd: number;
    try {
      fd = fs.openSync(p, "r");
    } catch {
      return undefined;
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size > maxBytes) return undefined;
      const bytes = fs.readFileSync(fd);
      if (bytes.includes(0)) return undefined;
      return { text: bytes.toString("utf8"), mtimeMs: st.mtimeMs };
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** Times as Backend.statMtimes defines them: mtimeMs, -1 when missing, NaN on other errors. */
export function statMtimes(paths: readonly string[]): Float64Array {
  const out = new Float64Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    try {
      const st = fs.statSync(paths[i]!, { throwIfNoEntry: false });
      out[i] = st === undefined ? -1 : st.mtimeMs;
    } catch (e) {
      out[i] = (e as NodeJS.ErrnoException).code === "ENOTDIR" ? -1 : Number.NaN;
    }
  }
  return out;
}

/** Backend.startListing: the directory is read when the listing is taken. */
export function listWhenTaken(dir: string): PendingListing {
  return {
    done: () => false,
    take: () => {
      try {
        return fs.readdirSync(dir);
      } catch {
        return null;
      }
    },
  };
}
