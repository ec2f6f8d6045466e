// Modification times of the files in the table (GNU's f_mtime in remake.c, with rehash_file of
// file.c for a file that directory search finds under another node's name), and the batches
// that fetch many of them at once on the native backend's threads.
//
// A time fetched ahead of need is only a shortcut: it is dropped unless it is looked at before
// any recipe runs (forgetTimesAhead), so the walk sees exactly the times it would have stat'ed.
import { isLibraryName } from "./libsearch.js";
import type { RemakeContext } from "./context.js";
import { NEW, NONEXISTENT, OLD } from "./fscache.js";
import type { FileNode } from "./files.js";

/** Fewer prerequisites than this are stat'ed one by one when looked at: a batch's round trip
 * through the thread pool costs more than a few direct calls. */
const PREFETCH_MIN = 64;

export class Mtimes {
  /** Recipes that really ran (not under -n), so a batch of times fetched meanwhile is dropped. */
  private recipesRun = 0;
  /** Nodes whose mtime came from a batch (prefetchDepTimes), until a recipe runs. */
  private aheadNodes: FileNode[] = [];
  /** Batches of prerequisite times started before their target's update (fetchGoalTimesEarly). */
  private readonly timesAhead = new Map<FileNode, Promise<void>>();

  constructor(private readonly ctx: RemakeContext) {}

  /** GNU's file_mtime: the time of the file (of a `::` entry, that entry's), looked up once. */
  of(file: FileNode): number {
    let o = file.owner;
    if (o.renamed !== undefined) o = o.current;
    const entries = o.dcEntries;
    if (entries !== undefined) return this.entryMtime(file === o ? entries[0]! : file, entries);
    if (o.mtime !== undefined) {
      if (o.mtimeAhead) o.mtimeAhead = false;
      return o.mtime;
    }
    const t = this.statNode(o);
    o.mtime = t;
    return t;
  }

  /** Forgets the time of a file (of a `::` entry: that entry's): the build changed it. */
  forget(file: FileNode): void {
    file.mtime = undefined;
    this.ctx.fs.invalidate(file.owner.name);
  }

  /** The time of a node's name on disk; a missing name is looked for by directory search,
   * then, for `-lNAME`, as a library (GNU's f_mtime), and the node takes the name found. */
  private statNode(o: FileNode): number {
    const { fs, vpath, libraries, files } = this.ctx;
    let t = fs.takeMtime(o.name);
    if (t === NONEXISTENT && !o.ignoreVpath) {
      let found = vpath.active ? vpath.search(o.name) : undefined;
      if (found === undefined && isLibraryName(o.name)) found = libraries.search(o.name);
      if (found !== undefined) {
        // Found under a name the table holds, or in GPATH (where the new name is for good):
        // that node takes the file over (as spelt: GNU's rehash_file). Otherwise the file
        // keeps its name and is seen under the one found ($@, $<) unless it is remade.
        const to = files.lookupExact(found) ?? (vpath.inGpath(found, o.name) ? files.enter(found) : undefined);
        if (to !== undefined && to !== o && this.renameFile(o, to)) {
          if (to.mtime === undefined) to.mtime = fs.takeMtime(to.name);
          return this.of(to);
        }
        o.vpathName = found;
        // GNU keeps the time -W or -o gave the name found (`-W x-dir/x` with VPATH=x-dir).
        const given = files.lookup(found)?.mtime;
        t = given === NEW || given === OLD ? given : fs.mtime(found);
      }
    }
    return t;
  }

  /** The time of one entry of a `::` target. GNU keeps one per entry so that each entry is
   * judged by the time the file had before any entry ran: a time looked up is given to every
   * entry in the same state (updated or not) as the first, and once all of them are updated
   * they share the newest (see noticeFinished). Asked about the target as a whole (as a
   * prerequisite), the first entry answers. */
  private entryMtime(entry: FileNode, entries: FileNode[]): number {
    if (entry.mtime !== undefined) return entry.mtime;
    const t = this.statNode(entry.owner);
    const head = entries[0]!;
    for (const e of entries) if (e.updated === head.updated) e.mtime = t;
    return t;
  }

  /** GNU's rehash_file when the new name is already in the table: `to` takes `from` over (its
   * prerequisites after its own, its recipe unless it has one, which GNU says in three lines;
   * its flags), and from now on `from` stands for `to`. Not for `::` files (false). */
  private renameFile(from: FileNode, to: FileNode): boolean {
    if (from.dcEntries !== undefined || from.dcOwner !== undefined || to.dcEntries !== undefined || to.dcOwner !== undefined) return false;
    if (from.recipe !== undefined) {
      if (to.recipe === undefined) to.recipe = from.recipe;
      else if (to.recipe !== from.recipe) {
        const at = from.recipe.loc;
        const msg = (text: string): void => this.ctx.msg.err(`${at.file}:${at.line}: ${text}\n`);
        if (to.recipe.loc.file !== "(built-in)") msg(`Recipe was specified for file '${from.name}' at ${to.recipe.loc.file}:${to.recipe.loc.line},`);
        else msg(`Recipe for file '${from.name}' was found by implicit rule search,`);
        msg(`but '${from.name}' is now considered the same file as '${to.name}'.`);
        msg(`Recipe for '${to.name}' will be ignored in favor of the one for '${from.name}'.`);
      }
    }
    to.appendDeps(from.deps);
    if (from.mtime !== undefined && (to.mtime === undefined || from.mtime > to.mtime)) to.mtime = from.mtime;
    if (from.precious) to.precious = true;
    if (from.triedImplicit) to.triedImplicit = true;
    if (from.updating) to.updating = true;
    if (from.updated) to.updated = true;
    if (from.isTarget) to.isTarget = true;
    if (from.cmdTarget) to.cmdTarget = true;
    if (from.phony) to.phony = true;
    if (from.ignoreVpath) to.ignoreVpath = true;
    from.renamed = to;
    return true;
  }

  /** A file with many prerequisites (`all` over a whole tree) has their times fetched in one
   * batch before they are looked at one by one; undefined when there are too few to pay. */
  prefetchDepTimes(file: FileNode): Promise<void> | undefined {
    let count = file.deps.length;
    for (const a of file.alsoMake) count += a.deps.length;
    if (count < PREFETCH_MIN) return undefined;
    const nodes: FileNode[] = [];
    for (const af of [file, ...file.alsoMake])
      for (const d of af.deps) if (d.file.owner.mtime === undefined && d.file.owner.dcEntries === undefined) nodes.push(d.file.owner);
    if (nodes.length < PREFETCH_MIN) return undefined;
    const epoch = this.recipesRun;
    return this.ctx.fs.statMany(nodes.map((n) => n.name)).then((times) => {
      // A recipe ran while the batch was out: its answers may be old already.
      if (epoch !== this.recipesRun) return;
      const vpath = this.ctx.vpath.active;
      for (let i = 0; i < nodes.length; i++) {
        const o = nodes[i]!;
        const t = times[i]!;
        // Left to of(): a stat error (NaN, reported there), a name already looked at,
        // and a missing one that VPATH may find elsewhere.
        if (Number.isNaN(t) || o.mtime !== undefined || (t < 0 && (vpath || isLibraryName(o.name)) && !o.ignoreVpath)) continue;
        o.mtime = t < 0 ? NONEXISTENT : t;
        o.mtimeAhead = true;
        this.aheadNodes.push(o);
      }
    });
  }

  /** Starts fetching the times of the prerequisites of `goals` while the makefiles are remade,
   * so the goals' update finds them fetched. The batch is on the native backend's threads
   * meanwhile; a recipe run before it is used voids it. */
  fetchEarly(goals: readonly FileNode[]): void {
    for (const file of goals) {
      if (file.dcEntries !== undefined || this.timesAhead.has(file)) continue;
      const batch = this.prefetchDepTimes(file);
      if (batch === undefined) continue;
      // Never looked at if the makefiles change and are read again.
      batch.catch(() => undefined);
      this.timesAhead.set(file, batch);
    }
  }

  /** The batch fetchEarly started for `file`, handed over once. */
  takeEarly(file: FileNode): Promise<void> | undefined {
    const early = this.timesAhead.get(file);
    if (early !== undefined) this.timesAhead.delete(file);
    return early;
  }

  /** A recipe is about to run: it may change files whose times were fetched ahead of need and
   * not looked at yet, so those are forgotten (GNU takes a file's time when it first looks),
   * and directory listings still being read are taken as they stand before it. */
  forgetTimesAhead(): void {
    this.recipesRun++;
    this.ctx.fs.settle();
    if (this.aheadNodes.length === 0) return;
    for (const o of this.aheadNodes)
      if (o.mtimeAhead) {
        o.mtimeAhead = false;
        o.mtime = undefined;
      }
    this.aheadNodes = [];
  }
}
