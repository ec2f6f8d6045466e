// The JS fallbacks for the file-system facts of the Backend: statMtimes, one statSync per path
// on the calling thread (the native backend spreads the batch over Rust threads instead), and
// startListing, a readdirSync when the listing is taken (the native backend reads on a thread
// of its own from the start).
import fs from "node:fs";
import type { FileIdentity, PendingListing } from "./types.js";

/** The identity of each path (types.ts FileIdentity), one statSync per path; undefined for a
 * path that does not exist or is no regular file. */
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
