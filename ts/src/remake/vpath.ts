// Directory search (GNU's vpath.c): `vpath PATTERN DIRS` directives first, in order, then the
// VPATH variable's directories. GPATH lists directories whose found names are kept even when
// the target is remade.
import type { Database } from "../read/database.js";
import { Pattern } from "../base/pattern.js";
import type { FsCache } from "./fscache.js";

/** A VPATH-style list of directories (separated by blanks or colons). */
export function splitDirs(value: string): string[] {
  return value.split(/[\s:]+/).filter((d) => d !== "");
}

/** The directories of a search path as GNU's construct_vpath_list keeps them: a trailing
 * slash is dropped (`/` stays), and `.` is left out (the current directory is searched first
 * anyway). */
function searchDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const dir = d.length > 1 && d.endsWith("/") ? d.slice(0, -1) : d;
    if (dir !== ".") out.push(dir);
  }
  return out;
}

/** The `vpath` directives in force once the makefiles are read, in order: `vpath PATTERN`
 * removes the earlier directives of the same pattern, a bare `vpath` removes them all (GNU's
 * construct_vpath_list). */
function directivesOf(db: Database): { pattern: Pattern; dirs: string[] }[] {
  const out: { pattern: Pattern; text: string; dirs: string[] }[] = [];
  for (const v of db.vpaths) {
    if (v.pattern === "" && v.dirs.length === 0) {
      out.length = 0;
      continue;
    }
    const pattern = Pattern.parse(v.pattern);
    // Compared as GNU compares them: the same text once quoting is resolved, with the `%` at
    // the same place.
    const text = pattern.hasPercent ? `${pattern.prefix}\u0000${pattern.suffix}` : pattern.prefix;
    if (v.dirs.length === 0) {
      for (let i = out.length - 1; i >= 0; i--) if (out[i]!.text === text) out.splice(i, 1);
      continue;
    }
    const dirs = searchDirs(v.dirs);
    if (dirs.length > 0) out.push({ pattern, text, dirs });
  }
  return out;
}

/** What directory search needs to know of a name the makefiles mention (GNU's lookup_file). */
export type MentionedLookup = (name: string) => { isTarget: boolean } | undefined;

export class VpathSearch {
  private readonly directives: { pattern: Pattern; dirs: string[] }[];
  private readonly general: string[];
  private readonly gpath: Set<string>;

  constructor(
    db: Database,
    private readonly fs: FsCache,
    /** The file table: a name it holds counts as found (see search). */
    private readonly mentioned: MentionedLookup = () => undefined,
  ) {
    this.directives = directivesOf(db);
    const value = (name: string): string => {
      const v = db.globals.get(name);
      return v === undefined ? "" : v.flavor === "simple" ? v.value : db.expander.expand(v.value, db.globals);
    };
    this.general = searchDirs(splitDirs(value("VPATH")));
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
      if (v.pattern.match(name) !== undefined) {
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
