// `-lNAME` prerequisites (GNU's library_search in remake.c): a name of that form that is not a
// file, and not found by directory search, is looked for as a library. Each word of
// .LIBPATTERNS (`lib%.so lib%.a` by default) gives a file name with NAME for the `%`; the first
// such file in the current directory wins at once, else the one found earliest in the vpath
// order (directive by directive, directory by directory), else the first found in the system
// library directories.
import fs from "node:fs";
import os from "node:os";
import type { Database } from "../read/database.js";
import { Pattern } from "../base/pattern.js";
import { splitWords } from "../base/words.js";
import type { FsCache } from "./fscache.js";
import type { VpathSearch } from "./vpath.js";

export function isLibraryName(name: string): boolean {
  return name.charCodeAt(0) === 45 /* - */ && name.charCodeAt(1) === 108; /* l */
}

/** Where a search found a library: [vpath index, directory index], compared in that order
 * (GNU's best_vpath / best_path). */
type Rank = [number, number];

/** The system directories GNU Make searches, in its order: /lib, /usr/lib, then (as Debian's
 * build does) the multiarch directory, then its LIBDIR. */
function systemDirs(): string[] {
  const dirs = ["/lib", "/usr/lib"];
  if (process.platform === "linux") {
    const arch = os.arch() === "x64" ? "x86_64" : os.arch() === "arm64" ? "aarch64" : os.arch();
    const multiarch = `/usr/lib/${arch}-linux-gnu`;
    if (fs.existsSync(multiarch)) dirs.push(multiarch);
  }
  dirs.push("/usr/local/lib");
  return dirs;
}

let systemDirList: string[] | undefined;

export class LibrarySearch {
  constructor(
    private readonly db: Database,
    private readonly fs: FsCache,
    private readonly vpath: VpathSearch,
    /** Says GNU's warning about a .LIBPATTERNS word without `%`. */
    private readonly warn: (text: string) => void,
  ) {}

  /** The file a `-lNAME` prerequisite stands for, or undefined. Not remembered: a rule may
   * make the library later, and the name is looked for again then (GNU's f_mtime). */
  search(name: string): string | undefined {
    return this.lookFor(name.slice(2));
  }

  private lookFor(lib: string): string | undefined {
    const v = this.db.globals.get(".LIBPATTERNS");
    const text = v === undefined ? "" : v.flavor === "simple" ? v.value : this.db.expander.expand(v.value, this.db.globals);
    let best: { path: string; rank: Rank } | undefined;
    const better = (rank: Rank): boolean => best === undefined || rank[0] < best.rank[0] || (rank[0] === best.rank[0] && rank[1] < best.rank[1]);
    const std = (systemDirList ??= systemDirs());
    for (const word of splitWords(text)) {
      // GNU's find_percent: a backslash-quoted `%` is a literal one.
      const pattern = Pattern.parse(word);
      if (!pattern.hasPercent) {
        this.warn(`.LIBPATTERNS element '${pattern.text}' is not a pattern`);
        continue;
      }
      const file = pattern.fill(lib);
      if (this.fs.exists(file)) return file;
      const inVpath = this.vpath.searchRanked(file);
      if (inVpath !== undefined && better([inVpath.vpathIndex, inVpath.pathIndex]))
        best = { path: inVpath.found, rank: [inVpath.vpathIndex, inVpath.pathIndex] };
      // System directories rank after every vpath directory, in their own order.
      std.forEach((dir, i) => {
        const p = `${dir}/${file}`;
        const rank: Rank = [Number.MAX_SAFE_INTEGER - std.length + i, 0];
        if (rank[0] < (best?.rank[0] ?? Number.POSITIVE_INFINITY) && this.fs.exists(p)) best = { path: p, rank };
      });
    }
    return best?.path;
  }
}
