// File-system facts the build asks for, each fetched at most once: one stat per file name
// (mtimes), one readdir per directory (existence checks during implicit rule search, as GNU's
// dir.c caches directory contents). Results stay valid until the build itself changes a file,
// and then only that name is forgotten.
import fs from "node:fs";
import path from "node:path";

/** A file that does not exist. GNU's NONEXISTENT_MTIME. */
export const NONEXISTENT = -1;
/** -o FILE: older than anything. GNU's OLD_MTIME. */
export const OLD = 0;
/** -W FILE, or a file that would have been remade under -n/-t/-q. GNU's NEW_MTIME. */
export const NEW = Number.POSITIVE_INFINITY;

export class FsCache {
  private readonly mtimes = new Map<string, number>();
  private readonly dirs = new Map<string, Set<string> | null>();

  constructor(readonly cwd: string) {}

  private abs(name: string): string {
    return path.isAbsolute(name) ? name : path.join(this.cwd, name);
  }

  /** Modification time in ms (fractional), or NONEXISTENT. Directories count as files. */
  mtime(name: string): number {
    let t = this.mtimes.get(name);
    if (t === undefined) {
      const st = fs.statSync(this.abs(name), { throwIfNoEntry: false });
      t = st === undefined ? NONEXISTENT : st.mtimeMs;
      this.mtimes.set(name, t);
    }
    return t;
  }

  /** Whether `name` exists, answered from the cached listing of its directory. */
  exists(name: string): boolean {
    const known = this.mtimes.get(name);
    if (known !== undefined) return known !== NONEXISTENT;
    const slash = name.lastIndexOf("/");
    const dir = slash < 0 ? "." : slash === 0 ? "/" : name.slice(0, slash);
    const base = name.slice(slash + 1);
    if (base === "" || base === "." || base === "..") return this.mtime(name) !== NONEXISTENT;
    const listing = this.listing(dir);
    return listing !== null && listing.has(base);
  }

  /** The entries of a directory, or null when it cannot be read. */
  listing(dir: string): Set<string> | null {
    let l = this.dirs.get(dir);
    if (l === undefined) {
      try {
        l = new Set(fs.readdirSync(this.abs(dir)));
      } catch {
        l = null;
      }
      this.dirs.set(dir, l);
    }
    return l;
  }

  /** The build changed (or may have changed) this file: forget what we knew. */
  invalidate(name: string): void {
    this.mtimes.delete(name);
    const slash = name.lastIndexOf("/");
    const dir = slash < 0 ? "." : slash === 0 ? "/" : name.slice(0, slash);
    const l = this.dirs.get(dir);
    if (l) {
      if (fs.existsSync(this.abs(name))) l.add(name.slice(slash + 1));
      else l.delete(name.slice(slash + 1));
    } else if (l === null) {
      this.dirs.delete(dir);
    }
  }
}
