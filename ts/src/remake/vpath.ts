// Directory search (GNU's vpath.c): `vpath PATTERN DIRS` directives first, in order, then the
// VPATH variable's directories. GPATH lists directories whose found names are kept even when
// the target is remade.
import type { Database } from "../read/database.js";
import type { FsCache } from "./fscache.js";

/** Whether `name` fits a `%` pattern (or equals a pattern without one). */
export function matchesPercent(pattern: string, name: string): boolean {
  const i = pattern.indexOf("%");
  if (i < 0) return pattern === name;
  const pre = pattern.slice(0, i);
  const suf = pattern.slice(i + 1);
  return name.length >= pre.length + suf.length && name.startsWith(pre) && name.endsWith(suf);
}

/** A VPATH-style list of directories (separated by blanks or colons). */
export function splitDirs(value: string): string[] {
  return value.split(/[\s:]+/).filter((d) => d !== "");
}

export class VpathSearch {
  private readonly directives: { pattern: string; dirs: string[] }[];
  private readonly general: string[];
  private readonly gpath: Set<string>;
  private readonly cache = new Map<string, string | null>();

  constructor(db: Database, private readonly fs: FsCache) {
    this.directives = db.vpaths.filter((v) => v.dirs.length > 0);
    const value = (name: string): string => {
      const v = db.globals.get(name);
      return v === undefined ? "" : v.flavor === "simple" ? v.value : db.expander.expand(v.value, db.globals);
    };
    this.general = splitDirs(value("VPATH"));
    this.gpath = new Set(splitDirs(value("GPATH")).map((d) => d.replace(/\/+$/, "")));
  }

  get active(): boolean {
    return this.directives.length > 0 || this.general.length > 0;
  }

  /** The first `DIR/name` that exists, or undefined. Absolute names are never searched. */
  search(name: string): string | undefined {
    if (!this.active || name.startsWith("/")) return undefined;
    let hit = this.cache.get(name);
    if (hit === undefined) {
      hit = null;
      const tryDirs = (dirs: string[]): boolean => {
        for (const d of dirs) {
          const p = `${d.replace(/\/+$/, "")}/${name}`;
          if (this.fs.exists(p)) {
            hit = p;
            return true;
          }
        }
        return false;
      };
      let found = false;
      for (const v of this.directives) if (matchesPercent(v.pattern, name) && tryDirs(v.dirs)) { found = true; break; }
      if (!found) tryDirs(this.general);
      this.cache.set(name, hit);
    }
    return hit ?? undefined;
  }

  /** Whether a name found by search lies in a GPATH directory. */
  inGpath(found: string): boolean {
    const slash = found.lastIndexOf("/");
    return slash > 0 && this.gpath.has(found.slice(0, slash));
  }
}
