// The JS fallbacks for the file-system facts of the Backend: statMtimes, one statSync per path
// on the calling thread (the native backend spreads the batch over Rust threads instead), and
// startListing, a readdirSync when the listing is taken (the native backend reads on a thread
// of its own from the start).
import fs from "node:fs";
import type { PendingListing } from "./types.js";

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
