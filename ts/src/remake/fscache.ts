// File-system facts the build asks for, each fetched at most once: one stat per file name
// (mtimes), one readdir per directory (existence checks during implicit rule search, as GNU's
// dir.c caches directory contents). Results stay valid until the build itself changes a file,
// and then only that name is forgotten. Times asked for in bulk (prefetch) come from one batch
// on the native backend's threads instead of one statSync per name on Node's (statMany).
import fs from "node:fs";
import path from "node:path";
import { strerror } from "../expand/functions/strerror.js";
import { Tails, type NameIndex } from "../implicit/tails.js";
import { shortcuts } from "../implicit/shortcuts.js";
import type { PendingListing } from "../native/types.js";

/** A file that does not exist. GNU's NONEXISTENT_MTIME. */
export const NONEXISTENT = -1;
/** -o FILE: older than anything. GNU's OLD_MTIME. */
export const OLD = 0;
/** -W FILE, or a file that would have been remade under -n/-t/-q. GNU's NEW_MTIME. */
export const NEW = Number.POSITIVE_INFINITY;

/** Names per batch of times learned (FsCache.learn). */
const LEARNED_BATCH = 1 << 20;

/** A directory's entries as read, plus the names the build may have changed since. */
interface Listing extends NameIndex<string[]> {
  /** The names as a set, made when an existence question first needs it. */
  set?: Set<string>;
  /** Names invalidated since the listing was read: their existence must be asked again. */
  stale?: Set<string>;
}

/** What the cache needs from the rest of tmake. */
export interface FsCacheHooks {
  /** Says a `stat` failure other than "no such file" (GNU: `make: stat: NAME: Permission
   * denied`); the name then counts as missing, as in GNU. */
  warn(text: string): void;
  /** Modification times of many paths at once, as Node's `mtimeMs`: -1 when missing, NaN when
   * the stat failed otherwise (see Backend.statMtimes). */
  statBatch(paths: string[]): Promise<Float64Array>;
  /** Starts reading a directory's entries, to be taken by listing() later (see
   * Backend.startListing); absent, listing() reads them when asked. */
  startListing?(dir: string): PendingListing;
  /** -L: a symbolic link's time is the newest of the links in its chain and the file it ends
   * at (GNU's check_symlink_flag); a link to nothing has the time of its links. */
  checkSymlinks?: boolean;
}

export class FsCache {
  private readonly mtimes = new Map<string, number>();
  /** Times learned ahead of need (learn), until looked at or the build changes files: by name,
   * where the time is in `learnedTimes` (batch * 2^20 + index: a small integer, so that 100k
   * names cost no number object each). */
  private readonly learned = new Map<string, number>();
  private learnedTimes: ArrayLike<number>[] = [];
  private readonly dirs = new Map<string, Listing | null>();
  /** Listings being read ahead (prefetchListing), with the names the build changed in the
   * directory meanwhile (see invalidate). */
  private readonly reading = new Map<string, { read: PendingListing; stale?: Set<string> }>();

  /** The process runs in `cwd` (the CLI changes to it): relative names need no joining. */
  private readonly inCwd: boolean;

  constructor(
    readonly cwd: string,
    private readonly hooks: FsCacheHooks,
  ) {
    this.inCwd = path.resolve(cwd) === process.cwd();
  }

  private abs(name: string): string {
    if (this.inCwd && name !== "") return name;
    return path.isAbsolute(name) ? name : path.join(this.cwd, name);
  }

  /** Modification time in ms (fractional), or NONEXISTENT. Directories count as files. */
  mtime(name: string): number {
    let t = this.mtimes.get(name);
    if (t === undefined) {
      t = this.learned.size > 0 ? this.takeLearned(name) : undefined;
      t ??= this.stat(name);
      this.mtimes.set(name, t);
    }
    return t;
  }

  /** Like mtime(), for a caller that keeps the answer itself (the file table): the cache hands
   * over what it knew and does not keep it, so a large build holds each time once. */
  takeMtime(name: string): number {
    const t = this.mtimes.get(name);
    if (t === undefined) return (this.learned.size > 0 ? this.takeLearned(name) : undefined) ?? this.stat(name);
    this.mtimes.delete(name);
    return t;
  }

  /** The times of many names in one batch (see FsCacheHooks.statBatch), not cached: the file
   * table keeps what it takes (see Mtimes.prefetchDepTimes). */
  statMany(names: readonly string[]): Promise<Float64Array> {
    // Under -L every name needs its links looked at one by one anyway: NaN leaves each to
    // mtime(), where they are (and where a failure is reported when the name is looked at).
    // So does the plain path (TMAKE_SHORTCUTS without "stats").
    if (this.hooks.checkSymlinks || !shortcuts().stats) return Promise.resolve(new Float64Array(names.length).fill(Number.NaN));
    return this.hooks.statBatch(names.map((n) => this.abs(n)));
  }

  /** Times of regular files stat'ed elsewhere ahead of need (a content-hash signal fetching
   * ahead; see SignalHost.learnTimes): each is the answer to the name's stat when it is first
   * asked for, unless the build changes files before (settle). Not under -L, where a time is
   * more than one stat, nor without the "stats" shortcut. */
  learn(names: readonly string[], mtimes: ArrayLike<number>): void {
    if (this.hooks.checkSymlinks || !shortcuts().stats || names.length >= LEARNED_BATCH) return;
    const base = this.learnedTimes.length * LEARNED_BATCH;
    this.learnedTimes.push(mtimes);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (!this.mtimes.has(name)) this.learned.set(name, base + i);
    }
  }

  /** A time learned ahead for `name`, handed over once. */
  private takeLearned(name: string): number | undefined {
    const at = this.learned.get(name);
    if (at === undefined) return undefined;
    this.learned.delete(name);
    return this.learnedTimes[Math.floor(at / LEARNED_BATCH)]![at % LEARNED_BATCH];
  }

  private stat(name: string): number {
    try {
      const st = fs.statSync(this.abs(name), { throwIfNoEntry: false });
      const t = st === undefined ? NONEXISTENT : st.mtimeMs;
      return this.hooks.checkSymlinks ? this.newestLink(name, t) : t;
    } catch (e) {
      // GNU's name_mtime: a name under a non-directory is simply missing; other failures are
      // said, and the file counts as missing.
      if ((e as NodeJS.ErrnoException).code !== "ENOTDIR") this.hooks.warn(`stat: ${name}: ${strerror(e)}`);
      return NONEXISTENT;
    }
  }

  /** GNU's name_mtime under -L: follows the chain of links from `name`, keeping the newest of
   * their own times and `t` (the time of the file at the end, or NONEXISTENT). */
  private newestLink(name: string, t: number): number {
    let at = this.abs(name);
    // A loop of links cannot be stat'ed, so `t` is NONEXISTENT and the walk must end.
    for (let hops = 0; hops < 64; hops++) {
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(at, { throwIfNoEntry: false });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "ENOTDIR") this.hooks.warn(`lstat: ${at}: ${strerror(e)}`);
        return t;
      }
      if (st === undefined || !st.isSymbolicLink()) return t;
      if (st.mtimeMs > t) t = st.mtimeMs;
      let target: string;
      try {
        target = fs.readlinkSync(at);
      } catch (e) {
        this.hooks.warn(`readlink: ${at}: ${strerror(e)}`);
        return t;
      }
      // A relative link is relative to the directory of the link.
      const slash = at.lastIndexOf("/");
      at = target.startsWith("/") || slash < 0 ? target : at.slice(0, slash + 1) + target;
    }
    return t;
  }

  /** Whether `name` exists. A name its directory's listing (when read, see listing()) does
   * not hold is missing; any other is stat'ed, and the answer kept for mtime()/takeMtime().
   * So the answer is the stat's, listing or not: a listing only saves the stats of missing
   * names (most of what a rule search asks), and a name it holds may still be missing to a
   * stat (a symbolic link to nothing). */
  exists(name: string): boolean {
    const known = this.mtimes.get(name);
    if (known !== undefined) return known !== NONEXISTENT;
    const slash = name.lastIndexOf("/");
    const base = name.slice(slash + 1);
    if (base !== "" && base !== "." && base !== "..") {
      // A directory that could not be read may still be searchable (no read permission, but
      // execute): only a listing answers, else the file itself is asked.
      const listing = this.dirs.get(slash < 0 ? "." : slash === 0 ? "/" : name.slice(0, slash));
      if (listing && !listing.stale?.has(base) && !(listing.set ??= new Set(listing.names)).has(base)) return false;
    }
    return this.mtime(name) !== NONEXISTENT;
  }

  /** Starts reading a directory's entries ahead of listing() (on a thread of its own with the
   * native backend), when it is not read or being read yet. */
  prefetchListing(dir: string): void {
    if (this.hooks.startListing === undefined || !shortcuts().listings || this.dirs.has(dir) || this.reading.has(dir)) return;
    this.reading.set(dir, { read: this.hooks.startListing(this.abs(dir)) });
  }

  /** The build is about to change files (a recipe starts, a file is touched): listings still
   * being read are taken now, so that each holds its directory as it was before the change,
   * whenever the read ran. A listing holds what was there when it was read, as GNU's
   * directory cache does; only the files the build itself made are looked at again. */
  settle(): void {
    for (const [dir, ahead] of this.reading) this.dirs.set(dir, this.listingOf(dir, ahead.read.take(), ahead.stale));
    this.reading.clear();
    // Times learned ahead and not looked at yet: the plain path would stat after the change.
    if (this.learned.size > 0) this.learned.clear();
    this.learnedTimes = [];
  }

  /** Whether listing(dir) would answer without reading or waiting for the directory. */
  listingReady(dir: string): boolean {
    return this.dirs.has(dir) || this.reading.get(dir)?.read.done() === true;
  }

  /** The entries of a directory, or null when it cannot be read (a directory that does not
   * exist has no entries). */
  listing(dir: string): Listing | null {
    let l = this.dirs.get(dir);
    if (l === undefined) {
      let names: string[] | null;
      let stale: Set<string> | undefined;
      const ahead = this.reading.get(dir);
      if (ahead !== undefined) {
        this.reading.delete(dir);
        names = ahead.read.take();
        stale = ahead.stale;
      } else {
        try {
          names = fs.readdirSync(this.abs(dir));
        } catch {
          names = null;
        }
      }
      l = this.listingOf(dir, names, stale);
      this.dirs.set(dir, l);
    }
    return l;
  }

  /** A listing of the names read, or null when the directory could not be read; `stale`
   * holds names the build changed while the listing was read ahead. */
  private listingOf(dir: string, names: string[] | null, stale: Set<string> | undefined): Listing | null {
    if (names === null) {
      // Missing (or not a directory): no entries, as a stat of any name in it would say.
      // Anything else (no permission to read it) leaves each name to its own stat.
      try {
        if (fs.statSync(this.abs(dir), { throwIfNoEntry: false })?.isDirectory() === true) return null;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOTDIR") return null;
      }
      names = [];
    }
    const tails = new Tails();
    for (const n of names) tails.add(n);
    const l: Listing = { names, tails };
    // A name the build made while the read was under way may or may not be in it: it is
    // added, and its existence asked again, as invalidate() does for a listing already read.
    if (stale !== undefined) for (const base of stale) markStale(l, base);
    return l;
  }

  /** The build changed (or may have changed) this file: forget what we knew. */
  invalidate(name: string): void {
    this.mtimes.delete(name);
    this.learned.delete(name);
    const slash = name.lastIndexOf("/");
    const dir = slash < 0 ? "." : slash === 0 ? "/" : name.slice(0, slash);
    const base = name.slice(slash + 1);
    const l = this.dirs.get(dir);
    if (l) markStale(l, base);
    else if (l === null) this.dirs.delete(dir);
    else {
      // Being read ahead (under -j a recipe may end while it is): the listing taken later
      // marks it too.
      const ahead = this.reading.get(dir);
      if (ahead !== undefined) (ahead.stale ??= new Set()).add(base);
    }
  }
}

/** The build changed `base` in the listing's directory. It is not looked at now (a build may
 * change thousands of files): exists() asks the file system again for a stale name, and the
 * listing keeps it, so a scan for shapes (which may over-count but must never miss a name)
 * still sees it if it was just made. */
function markStale(l: Listing, base: string): void {
  (l.stale ??= new Set()).add(base);
  const set = (l.set ??= new Set(l.names));
  if (!set.has(base)) {
    set.add(base);
    l.names.push(base);
    l.tails.add(base);
  }
}
