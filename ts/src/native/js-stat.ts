// The JS fallback for Backend.statMtimes: one statSync per path on the calling thread (the
// native backend spreads the batch over Rust threads instead).
import fs from "node:fs";

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
