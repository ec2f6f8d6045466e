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

export class DigestCache {
  private entries: Map<string, Entry> | undefined;
  private dirty = false;

  constructor(private readonly cwd: string) {}

  /** The cache as the state folder holds it, read on first use; a file that is not a cache
   * (or a cache of another version) counts as empty and is replaced on save. */
  private load(): Map<string, Entry> {
    if (this.entries !== undefined) return this.entries;
    const entries = new Map<string, Entry>();
    this.entries = entries;
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(this.cwd, DIGESTS_FILE), "utf8");
    } catch {
      return entries;
    }
    const lines = text.split("\n");
    if (lines[0] !== HEADER) return entries;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      // id, verified, md5, blake3, then the name (which may hold spaces).
      const a = line.indexOf(" ");
      const b = line.indexOf(" ", a + 1);
      const c = line.indexOf(" ", b + 1);
      const d = line.indexOf(" ", c + 1);
      if (a < 0 || b < 0 || c < 0 || d < 0) continue;
      let name: unknown;
      try {
        name = JSON.parse(line.slice(d + 1));
      } catch {
        continue;
      }
      if (typeof name !== "string") continue;
      const id = line.slice(0, a);
      const mtimeNs = id.slice(id.lastIndexOf(":") + 1);
      const md5 = line.slice(b + 1, c);
      const blake3 = line.slice(c + 1, d);
      entries.set(name, {
        id,
        mtimeMs: Number(mtimeNs.length > 6 ? mtimeNs.slice(0, -6) : "0"),
        verifiedMs: Number(line.slice(a + 1, b)),
        md5: md5 === "-" ? undefined : md5,
        blake3: blake3 === "-" ? undefined : blake3,
      });
    }
    return entries;
  }

  /** The `algorithm` digest of `name`, when the cache holds one for the file as it is now (same
   * identity) and it was read long enough after its last modification to be trusted. */
  lookup(name: string, id: string, algorithm: HashAlgorithm): string | undefined {
    const e = this.load().get(name);
    if (e === undefined || e.id !== id) return undefined;
    if (e.verifiedMs - e.mtimeMs < RACY_MS) return undefined;
    return e[algorithm];
  }

  /** Remembers a digest of `name` as it was when read at `verifiedMs` (its identity then). */
  store(name: string, id: string, mtimeMs: number, verifiedMs: number, algorithm: HashAlgorithm, hex: string): void {
    const entries = this.load();
    let e = entries.get(name);
    if (e === undefined || e.id !== id) {
      e = { id, mtimeMs, verifiedMs };
      entries.set(name, e);
    } else if (verifiedMs > e.verifiedMs) e.verifiedMs = verifiedMs;
    e[algorithm] = hex;
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
    for (const [name, e] of this.entries) parts.push(`${e.id} ${e.verifiedMs} ${e.md5 ?? "-"} ${e.blake3 ?? "-"} ${JSON.stringify(name)}`);
    try {
      writeAtomically(this.cwd, DIGESTS_FILE, `${parts.join("\n")}\n`, STATE_TMP_DIR);
      this.dirty = false;
      return undefined;
    } catch (e) {
      return e as Error;
    }
  }
}
