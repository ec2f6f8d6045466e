// The persistent digest cache (`.tmake/digests`): from a file's identity on disk (device, inode,
// size, modification time in nanoseconds) to its digests, so a file that did not change is
// never read twice across runs.
//
// A digest is trusted only when the file had not been modified for a while when it was read:
// git's racy-timestamp rule. A file written within RACY_MS of being hashed may be written again
// within the same clock tick, with the same size, and keep its stat identity while its content
// changes; such an entry is kept, but the next run hashes the file again (and, the file being
// older by then, that digest is trusted from then on).
//
// File format, one entry a line after a header line:
//   tmake-digests 1
//   DEV:INO:SIZE:MTIME_NS VERIFIED_MS MD5|- BLAKE3|- "NAME"
// NAME is a JSON string (relative to the build's directory, as the build names the file).
import fs from "node:fs";
import path from "node:path";
import type { HashAlgorithm } from "../native/types.js";
import { DIGESTS_FILE, STATE_TMP_DIR, writeAtomically } from "./state.js";

/** How long after its last modification a file's digest can be trusted (the clock's granularity
 * on the file systems tmake meets, NFS and FAT's 2 s included). */
export const RACY_MS = 2000;

const HEADER = "tmake-digests 1";

/** A file's identity on disk, as one string: `DEV:INO:SIZE:MTIME_NS`; undefined when it does
 * not exist or is no regular file. */
export function statIdentity(abs: string): { id: string; size: number; mtimeMs: number } | undefined {
  let st: fs.BigIntStats | undefined;
  try {
    st = fs.statSync(abs, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (st === undefined || !st.isFile()) return undefined;
  return { id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`, size: Number(st.size), mtimeMs: Number(st.mtimeNs / 1000000n) };
}

interface Entry {
  id: string;
  /** Modification time (ms) of the file when it was hashed. */
  mtimeMs: number;
  /** When the file was read to hash it (ms since the epoch, taken before the read). */
  verifiedMs: number;
  md5?: string;
  blake3?: string;
}

/** The ms part of an identity's MTIME_NS (the digits but the last six). */
function mtimeMsOf(id: string): number {
  const ns = id.slice(id.lastIndexOf(":") + 1);
  return Number(ns.length > 6 ? ns.slice(0, -6) : "0");
}

export class DigestCache {
  /** The cache file's text as read: entries not changed this run stay in it. */
  private text = "";
  /** By name: an entry of this run, or where the entry's line starts in `text` (a cache of
   * 100k files is read in one pass that only finds the names; a line is read when its name is
   * looked up). */
  private entries: Map<string, Entry | number> | undefined;
  private dirty = false;

  constructor(private readonly cwd: string) {}

  /** The cache as the state folder holds it, read on first use; a file that is not a cache
   * (or a cache of another version) counts as empty and is replaced on save. */
  private load(): Map<string, Entry | number> {
    if (this.entries !== undefined) return this.entries;
    const entries = new Map<string, Entry | number>();
    this.entries = entries;
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(this.cwd, DIGESTS_FILE), "utf8");
    } catch {
      return entries;
    }
    if (!text.startsWith(`${HEADER}\n`)) return entries;
    this.text = text;
    let at = HEADER.length + 1;
    while (at < text.length) {
      let end = text.indexOf("\n", at);
      if (end < 0) end = text.length;
      // id, verified, md5, blake3, then the name (which may hold spaces).
      let d = at;
      for (let k = 0; k < 4 && d >= 0; k++) d = text.indexOf(" ", d + 1);
      if (d > at && d < end && text.charCodeAt(d + 1) === 34 && text.charCodeAt(end - 1) === 34) {
        let name: unknown = text.slice(d + 2, end - 1);
        // A name with escapes is read as the JSON string it is.
        if ((name as string).includes("\\") || (name as string).includes('"')) {
          try {
            name = JSON.parse(text.slice(d + 1, end));
          } catch {
            name = undefined;
          }
        }
        if (typeof name === "string") entries.set(name, at);
      }
      at = end + 1;
    }
    return entries;
  }

  /** The entry of `name` (read from its line in the file when not read yet). */
  private entry(name: string): Entry | undefined {
    const e = this.load().get(name);
    if (typeof e !== "number") return e;
    const t = this.text;
    const a = t.indexOf(" ", e);
    const b = t.indexOf(" ", a + 1);
    const c = t.indexOf(" ", b + 1);
    const d = t.indexOf(" ", c + 1);
    const id = t.slice(e, a);
    const md5 = t.slice(b + 1, c);
    const blake3 = t.slice(c + 1, d);
    return {
      id,
      mtimeMs: mtimeMsOf(id),
      verifiedMs: Number(t.slice(a + 1, b)),
      md5: md5 === "-" ? undefined : md5,
      blake3: blake3 === "-" ? undefined : blake3,
    };
  }

  /** The `algorithm` digest of `name`, when the cache holds one for the file as it is now (same
   * identity) and it was read long enough after its last modification to be trusted. */
  lookup(name: string, id: string, algorithm: HashAlgorithm): string | undefined {
    const at = this.load().get(name);
    if (at === undefined) return undefined;
    if (typeof at === "number") {
      // Read in place: the identity compared without cutting the line up.
      const t = this.text;
      if (!t.startsWith(id, at) || t.charCodeAt(at + id.length) !== 32) return undefined;
      const a = at + id.length;
      const b = t.indexOf(" ", a + 1);
      if (Number(t.slice(a + 1, b)) - mtimeMsOf(id) < RACY_MS) return undefined;
      const c = t.indexOf(" ", b + 1);
      if (algorithm === "md5") return c - b - 1 === 32 ? t.slice(b + 1, c) : undefined;
      const d = t.indexOf(" ", c + 1);
      return d - c - 1 === 64 ? t.slice(c + 1, d) : undefined;
    }
    if (at.id !== id) return undefined;
    if (at.verifiedMs - at.mtimeMs < RACY_MS) return undefined;
    return at[algorithm];
  }

  /** Remembers a digest of `name` as it was when read at `verifiedMs` (its identity then). */
  store(name: string, id: string, mtimeMs: number, verifiedMs: number, algorithm: HashAlgorithm, hex: string): void {
    const entries = this.load();
    let e = this.entry(name);
    if (e === undefined || e.id !== id) e = { id, mtimeMs, verifiedMs };
    else if (verifiedMs > e.verifiedMs) e.verifiedMs = verifiedMs;
    e[algorithm] = hex;
    entries.set(name, e);
    this.dirty = true;
  }

  /** Forgets `name` (it is gone). */
  drop(name: string): void {
    if (this.load().delete(name)) this.dirty = true;
  }

  /** Writes the cache back when it changed (whole, through a rename). An error is returned, not
   * thrown: the cache only saves work. */
  save(): Error | undefined {
    if (!this.dirty || this.entries === undefined) return undefined;
    const parts: string[] = [HEADER];
    for (const [name, e] of this.entries) {
      if (typeof e === "number") {
        const end = this.text.indexOf("\n", e);
        parts.push(this.text.slice(e, end < 0 ? this.text.length : end));
      } else parts.push(`${e.id} ${e.verifiedMs} ${e.md5 ?? "-"} ${e.blake3 ?? "-"} ${JSON.stringify(name)}`);
    }
    try {
      writeAtomically(this.cwd, DIGESTS_FILE, `${parts.join("\n")}\n`, STATE_TMP_DIR);
      this.dirty = false;
      return undefined;
    } catch (e) {
      return e as Error;
    }
  }
}
