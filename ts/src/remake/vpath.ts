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

/** What directory search needs to know of a name the makefiles mention (GNU's lookup_file). */
export type MentionedLookup = (name: string) => { isTarget: boolean } | undefined;

export class VpathSearch {
  private readonly directives: { pattern: string; dirs: string[] }[];
  private readonly general: string[];
  private readonly gpath: Set<string>;

  constructor(
    db: Database,
    private readonly fs: FsCache,
    /** The file table: a name it holds counts as found (see search). */
    private readonly mentioned: MentionedLookup = () => undefined,
  ) {
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
    return this.searchRanked(name)?.found;
  }

  /** GNU's vpath_search: `vpath` directives whose pattern matches, in order, then VPATH. A
   * candidate counts when it exists, or when the file table holds it, as a target if `name`
   * itself is one. Also says which directive (VPATH counts as the last) and which of its
   * directories found it, for library_search's choice (libsearch.ts). */
  searchRanked(name: string): { found: string; vpathIndex: number; pathIndex: number } | undefined {
    if (!this.active || name.startsWith("/")) return undefined;
    const notTarget = !(this.mentioned(name)?.isTarget ?? false);
    const tryDirs = (dirs: string[]): { found: string; pathIndex: number } | undefined => {
      for (let i = 0; i < dirs.length; i++) {
        const p = `${dirs[i]!.replace(/\/+$/, "")}/${name}`;
        const known = this.mentioned(p);
        if ((known !== undefined && (notTarget || known.isTarget)) || this.fs.exists(p)) return { found: p, pathIndex: i };
      }
      return undefined;
    };
    let vpathIndex = 0;
    for (const v of this.directives) {
      if (matchesPercent(v.pattern, name)) {
        const hit = tryDirs(v.dirs);
        if (hit) return { ...hit, vpathIndex };
      }
      vpathIndex++;
    }
    const hit = tryDirs(this.general);
    return hit ? { ...hit, vpathIndex } : undefined;
  }

  /** Whether `found`, the result of searching for `name`, lies in a GPATH directory. */
  inGpath(found: string, name: string): boolean {
    const dirLength = found.length - name.length - 1;
    return dirLength > 0 && this.gpath.has(found.slice(0, dirLength));
  }
}
