// === biomake extension (and tmake's BLAKE3) ===
// The content-hash staleness signal (`-H`, biomake's md5hash.pl): a target is out of date when
// its record is missing, when it no longer holds what its record says it held when it was built
// (size and digest), or when a prerequisite the record names no longer holds what it held then.
// A newer modification time alone makes nothing stale: a copy restored from an archive, or a
// `touch`, does not rebuild anything.
//
// What a file holds now is found as biomake finds it (md5_check): the digest this run already
// knows; else the file's own record, trusted while the record is not older than the file (-M:
// whatever the times) and the size agrees; else the persistent digest cache (digest-cache.ts),
// keyed by the file's identity on disk; else the file is read. Files to read for one decision are
// read in one batch, on the native backend's threads.
//
// The signal is a deferred one (see StalenessSignal.prepare): the walk brings every prerequisite
// up to date, then calls prepare(), which fetches what the decision needs, then asks
// targetChanged() and prereqChanged() synchronously.
//
// Records are written after a recipe succeeded (or -t touched the target), through a temporary
// file and a rename; the record of a target whose recipe starts is deleted first, so a run
// killed mid-recipe leaves none for it.
import fs from "node:fs";
import path from "node:path";
import { loadBackend } from "../native/index.js";
import type { HashAlgorithm, SmallFile } from "../native/types.js";
import type { FileNode } from "../remake/files.js";
import { NEW, OLD } from "../remake/fscache.js";
import type { StalenessSignal } from "../remake/staleness.js";
import { DigestCache, statIdentity } from "./digest-cache.js";
import {
  biomakeRecordPath,
  biomakeScratchDir,
  formatBiomakeRecord,
  formatTmakeRecord,
  parseBiomakeRecord,
  parseTmakeRecord,
  type HashRecord,
  type RecordedFile,
} from "./records.js";
import { RECORDS_DIR, recordFileName, STATE_TMP_DIR, writeAtomically } from "./state.js";

/** What -H and its companions ask for. */
export interface HashOptions {
  /** --hash-algo: md5 (biomake's records, the default) or blake3 (tmake's own records). */
  algorithm: HashAlgorithm;
  /** --no-md5-cache: no digest is taken from a record or the digest cache; every file a
   * decision needs is read again. */
  noCache: boolean;
  /** -M / --no-md5-timestamp: a record's digest of its target is trusted even when the record
   * is older than the file. */
  noTimestamp: boolean;
}

/** What the signal needs from the run. */
export interface HashSignalHooks {
  /** The build's directory (names are relative to it). */
  cwd: string;
  /** Says a warning (`tmake: ...` on standard error). */
  warn(text: string): void;
  /** --debug md5: one of biomake's md5 debugging lines, or undefined when they are off. */
  debug?: (text: string) => void;
  /** -W: whether the name is assumed new. */
  assumedNew(name: string): boolean;
}

/** Fewer prerequisites than this are not fetched ahead (as Mtimes.prefetchDepTimes). */
const PREFETCH_MIN = 64;

/** A record is small; a larger file in a record's place is not read ahead. */
const RECORD_MAX_BYTES = 1 << 20;

/** A file to read: its identity when stat'ed, and whether its digest goes to the cache. */
interface ToRead {
  path: string;
  id: string;
  mtimeMs: number;
  cacheable: boolean;
}

/** What a file holds: its size and digest, or that it is not there (or cannot be read). */
type Content = { size: number; hex: string } | { missing: string };

const GONE: Content = { missing: "does not exist" };

function sameContent(c: Content | undefined, r: RecordedFile): boolean {
  return c !== undefined && "hex" in c && c.size === r.size && c.hex === r.hex;
}

/** `1a2b3c4d…` for reasons. */
function shortHex(c: Content | RecordedFile | undefined): string {
  if (c === undefined) return "?";
  if ("missing" in c) return c.missing;
  return `${c.hex.slice(0, 8)}…`;
}

export class HashSignal implements StalenessSignal {
  readonly name: HashAlgorithm;
  private readonly cache: DigestCache;
  /** What each file (by the path read) holds, as far as this run knows. */
  private readonly known = new Map<string, Content>();
  /** Files being hashed, or targets whose record is being written: wait for these. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Records read or written this run, by target name (null: none, or not usable). */
  private readonly records = new Map<string, HashRecord | null>();
  /** Record writes under way (finish() waits for them). */
  private readonly writes = new Set<Promise<void>>();
  /** Identities fetched ahead (null: no regular file), until looked at or a recipe runs. */
  private readonly ids = new Map<string, { id: string; size: number; mtimeMs: number } | null>();
  /** Modification times of record files fetched ahead. */
  private readonly recordTimes = new Map<string, number>();
  /** Records fetched ahead and not looked at yet. */
  private readonly ahead = new Set<string>();
  /** Batches started early for files the walk has not reached yet. */
  private readonly prefetching = new Map<FileNode, Promise<void>>();
  /** Counts recipes started: a batch fetched ahead before one is dropped. */
  private epoch = 0;
  /** Names with a record file, usable or not. */
  private readonly recordSeen = new Set<string>();
  /** Targets touched by -t this run: their digest is real even though their time is NEW. */
  private readonly touched = new Set<string>();

  constructor(
    private readonly opts: HashOptions,
    private readonly hooks: HashSignalHooks,
  ) {
    this.name = opts.algorithm;
    this.cache = new DigestCache(hooks.cwd);
  }

  // ---------- the decision ----------

  /** Whether the walk must ask this signal about `target` at all: a file whose recipe would run
   * (a file without one has nothing to record; a phony one is always remade). */
  private decides(target: FileNode): boolean {
    return target.recipe !== undefined && !target.phony;
  }

  /** Fetches what the decision about `target` needs: its record, and what it and each file the
   * record names hold now, reading the files that no record or cache answers for in one batch.
   * Undefined when everything is known already. */
  prepare(target: FileNode, targetTime: number): Promise<void> | undefined {
    if (!this.decides(target) || targetTime === OLD) return undefined;
    const record = this.recordOf(target.name);
    this.debug?.(
      `Checking MD5 hash validity for ${target.name} <-- [${this.normalDeps(target)
        .map((d) => d.name)
        .join(",")}]`,
    );
    if (record === null) return undefined;
    const want: { path: string; name: string }[] = [{ path: target.path, name: target.name }];
    for (const p of record.prereqs) want.push({ path: this.pathOf(target, p.name), name: p.name });
    for (const d of this.normalDeps(target)) if (!record.prereqs.some((p) => p.name === d.name)) want.push({ path: d.path, name: d.name });
    return this.fetch(want);
  }

  /** Whether the existing target is out of date on its own account: no usable record, or it no
   * longer holds what the record says, or a file the record names but the makefile no longer
   * lists as a prerequisite changed (biomake checks every md5_check of the record). */
  targetChanged(target: FileNode, targetTime: number): boolean {
    return this.targetReason(target, targetTime) !== undefined;
  }

  /** Why targetChanged() is true, in words; undefined when it is not. */
  targetReason(target: FileNode, targetTime: number): string | undefined {
    if (!this.decides(target) || targetTime === OLD) return undefined;
    const record = this.recordOf(target.name);
    if (record === null) return `'${target.name}' has no ${this.name} record`;
    const now = this.known.get(target.path);
    if (!sameContent(now, record.target))
      return `'${target.name}' changed content since it was built (${this.name} ${shortHex(record.target)} → ${shortHex(now)})`;
    const deps = new Set(this.normalDeps(target).map((d) => d.name));
    for (const p of record.prereqs) {
      if (deps.has(p.name)) continue;
      const c = this.known.get(this.pathOf(target, p.name));
      if (!sameContent(c, p)) return `'${p.name}', recorded for '${target.name}', changed content (${this.name} ${shortHex(p)} → ${shortHex(c)})`;
    }
    return undefined;
  }

  prereqChanged(target: FileNode, targetTime: number, dep: FileNode, depTime: number): boolean {
    return this.prereqReason(target, targetTime, dep, depTime) !== undefined;
  }

  describeChange(target: FileNode, targetTime: number, dep: FileNode, depTime: number): string {
    return this.prereqReason(target, targetTime, dep, depTime) ?? `prerequisite '${dep.name}' changed`;
  }

  /** Why prerequisite `dep` makes `target` out of date, or undefined. Asked after prepare(); a
   * target the signal does not decide about, or has not prepared, is never made stale here. */
  private prereqReason(target: FileNode, targetTime: number, dep: FileNode, depTime: number): string | undefined {
    if (!this.decides(target) || targetTime === OLD || depTime === OLD) return undefined;
    // -W, or a file that -n/-q would have remade: its content is unknown, assumed new.
    if (depTime === NEW && (this.hooks.assumedNew(dep.name) || !this.touched.has(dep.path))) return `prerequisite '${dep.name}' is assumed new`;
    const record = this.records.get(target.name);
    if (record === undefined) return undefined;
    if (record === null) return `'${target.name}' has no ${this.name} record`;
    const entry = record.prereqs.find((p) => p.name === dep.name);
    const now = this.known.get(dep.path);
    if (entry === undefined) return `prerequisite '${dep.name}' is not in the ${this.name} record of '${target.name}'`;
    if (!sameContent(now, entry)) return `prerequisite '${dep.name}' changed content (${this.name} ${shortHex(entry)} → ${shortHex(now)})`;
    return undefined;
  }

  // ---------- records ----------

  /** The target's record, read once per run; null when there is none or it is not usable (said
   * once, as a warning). --no-md5-cache does not skip records: their conditions still say when
   * a target is up to date, only their digests are not trusted. */
  private recordOf(name: string): HashRecord | null {
    const known = this.records.get(name);
    if (known !== undefined) {
      this.ahead.delete(name);
      return known;
    }
    const file = this.recordPath(name);
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(this.hooks.cwd, file), "utf8");
    } catch {
      this.records.set(name, null);
      return null;
    }
    return this.takeRecord(name, text);
  }

  /** Reads the text of `name`'s record (a foreign or corrupt one is said, and null). */
  private takeRecord(name: string, text: string): HashRecord | null {
    const file = this.recordPath(name);
    this.recordSeen.add(name);
    this.debug?.(`Reading MD5 hash file: ${path.resolve(this.hooks.cwd, file)}`);
    let record: HashRecord | null;
    try {
      record = this.name === "md5" ? parseBiomakeRecord(text) : parseTmakeRecord(text, this.name);
      if (record.target.name !== name) throw new Error(`it is the record of '${record.target.name}'`);
    } catch (e) {
      this.hooks.warn(`warning: ${file}: not a ${this.name} record of '${name}' (${(e as Error).message}); treated as missing`);
      record = null;
    }
    this.records.set(name, record);
    return record;
  }

  /** Whether `name` has a record file (read or not), as far as this run knows. A source file
   * has none, the usual case, which costs one failed stat. */
  private hasRecord(name: string): boolean {
    const r = this.records.get(name);
    if (r !== undefined) {
      this.ahead.delete(name);
      return r !== null || this.recordSeen.has(name);
    }
    const there = fs.existsSync(path.resolve(this.hooks.cwd, this.recordPath(name)));
    if (there) this.recordSeen.add(name);
    else this.records.set(name, null);
    return there;
  }

  private recordPath(name: string): string {
    return this.name === "md5" ? biomakeRecordPath(name) : `${RECORDS_DIR}/${recordFileName(name)}`;
  }

  /** The path to read for a name a record of `target` names: the prerequisite's own path
   * (directory search may have found it elsewhere) when it is one. */
  private pathOf(target: FileNode, name: string): string {
    for (const d of target.deps) if (d.file.name === name) return d.file.path;
    return name;
  }

  /** The normal prerequisites, each once, in order. */
  private normalDeps(target: FileNode): FileNode[] {
    const deps = target.deps;
    if (deps.length === 1) return deps[0]!.orderOnly ? [] : [deps[0]!.file];
    const seen = new Set<FileNode>();
    const out: FileNode[] = [];
    for (const d of deps)
      if (!d.orderOnly && !seen.has(d.file)) {
        seen.add(d.file);
        out.push(d.file);
      }
    return out;
  }

  // ---------- what files hold now ----------

  /** Makes known what each file holds (see the file comment for the order of the sources);
   * undefined when nothing has to be waited for. */
  private fetch(files: readonly { path: string; name: string }[]): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    const read: ToRead[] = [];
    const reading = new Set<string>();
    for (const { path: p, name } of files) {
      if (this.known.has(p)) continue;
      const busy = this.pending.get(p);
      if (busy !== undefined) {
        waits.push(busy);
        continue;
      }
      if (reading.has(p)) continue;
      const st = this.identity(p);
      if (st === undefined) {
        this.known.set(p, GONE);
        continue;
      }
      // A file with a record of its own (a target built before) is not kept in the digest cache:
      // its record is its cache, trusted by biomake's rule.
      const ownRecord = this.hasRecord(name);
      if (!this.opts.noCache) {
        const fromRecord = ownRecord ? this.recordedContent(name, st) : undefined;
        if (fromRecord !== undefined) {
          this.known.set(p, fromRecord);
          continue;
        }
        const hex = this.cache.lookup(p, st.id, this.name);
        if (hex !== undefined) {
          this.known.set(p, { size: st.size, hex });
          continue;
        }
      }
      read.push({ path: p, id: st.id, mtimeMs: st.mtimeMs, cacheable: !ownRecord });
      reading.add(p);
    }
    if (read.length > 0) waits.push(this.hashNow(read));
    if (waits.length === 0) return undefined;
    return Promise.all(waits).then(() => undefined);
  }

  /** A file's own record's digest of it (biomake's md5_hash), when the record can be trusted:
   * the sizes agree and the record is not older than the file (-M: whatever the times). */
  private recordedContent(name: string, st: { size: number; mtimeMs: number }): Content | undefined {
    const record = this.recordOf(name);
    if (record === null) return undefined;
    const cached = record.cached ?? record.target;
    if (cached.size !== st.size) return undefined;
    if (!this.opts.noTimestamp) {
      let recordMs = this.recordTimes.get(name);
      if (recordMs === undefined) {
        try {
          recordMs = fs.statSync(path.resolve(this.hooks.cwd, this.recordPath(name))).mtimeMs;
        } catch {
          return undefined;
        }
      }
      if (st.mtimeMs > recordMs) {
        this.debug?.(`MD5 hash file ${path.resolve(this.hooks.cwd, this.recordPath(name))} has an older timestamp than ${name} - recomputing hash`);
        return undefined;
      }
    }
    return { size: cached.size, hex: cached.hex };
  }

  /** Reads the files (one batch on the native backend's threads) and remembers what they hold,
   * in this run and in the digest cache. */
  private hashNow(files: ToRead[]): Promise<void> {
    const verifiedMs = Date.now();
    const batch: Promise<void> = loadBackend()
      .hashFiles(
        files.map((f) => path.resolve(this.hooks.cwd, f.path)),
        this.name,
      )
      .then((results) => {
        results.forEach((r, i) => {
          const f = files[i]!;
          if (this.pending.get(f.path) === batch) this.pending.delete(f.path);
          if (r.hex === undefined || r.size === undefined) {
            this.known.set(f.path, { missing: r.error ?? "cannot be read" });
            this.cache.drop(f.path);
            return;
          }
          this.known.set(f.path, { size: r.size, hex: r.hex });
          this.debug?.(`MD5 hash of file ${f.path} (size ${r.size}) is ${r.hex}`);
          // The file may have changed between its stat and its read: the digest is kept for
          // the identity it had only if it still has it.
          const after = statIdentity(path.resolve(this.hooks.cwd, f.path));
          if (f.cacheable && after?.id === f.id && after.size === r.size) this.cache.store(f.path, f.id, f.mtimeMs, verifiedMs, this.name, r.hex);
        });
      });
    for (const f of files) this.pending.set(f.path, batch);
    return batch;
  }

  /** A file's identity: fetched ahead, or stat'ed now. */
  private identity(p: string): { id: string; size: number; mtimeMs: number } | undefined {
    const ahead = this.ids.get(p);
    if (ahead !== undefined) {
      this.ids.delete(p);
      return ahead === null ? undefined : ahead;
    }
    return statIdentity(path.resolve(this.hooks.cwd, p));
  }

  /** Called where the walk fetches the times of a file's prerequisites: for a file with many of
   * them (`all` over a tree), fetches ahead, in two batches on the native backend's threads,
   * what their own decisions will need: their records and identities, then the identities (and
   * records) of the files those records name. Facts only, forgotten unused when a recipe runs;
   * undefined when there are too few to pay. */
  prefetch(file: FileNode): Promise<void> | undefined {
    if (file.deps.length < PREFETCH_MIN) return undefined;
    // Started early (while the makefiles were remade) and not done yet: wait for that one.
    const early = this.prefetching.get(file);
    if (early !== undefined) {
      this.prefetching.delete(file);
      return early;
    }
    const targets: string[] = [];
    const paths: string[] = [];
    for (const d of file.deps) {
      const f = d.file;
      if (d.orderOnly || f.phony || this.records.has(f.name)) continue;
      targets.push(f.name);
      paths.push(f.path);
    }
    if (targets.length < PREFETCH_MIN) return undefined;
    const epoch = this.epoch;
    const backend = loadBackend();
    const inCwd = path.resolve(this.hooks.cwd) === process.cwd();
    const abs = (p: string): string => (inCwd ? p : path.resolve(this.hooks.cwd, p));
    const round = async (names: string[], files: string[]): Promise<string[]> => {
      // Records are read only in folders that have records at all (source folders have none):
      // one stat per folder instead of a failed open per file.
      const withRecords = new Map<string, boolean>();
      const recordFiles: string[] = [];
      const where: number[] = [];
      for (let i = 0; i < names.length; i++) {
        const r = this.recordPath(names[i]!);
        const dir = r.slice(0, r.lastIndexOf("/"));
        let there = withRecords.get(dir);
        if (there === undefined) withRecords.set(dir, (there = fs.existsSync(abs(dir))));
        if (!there) continue;
        where.push(i);
        recordFiles.push(abs(r));
      }
      const [read, ids] = await Promise.all([backend.readSmallFiles(recordFiles, RECORD_MAX_BYTES), backend.statIdentities(files.map(abs))]);
      const texts: (SmallFile | undefined)[] = new Array(names.length);
      for (let k = 0; k < where.length; k++) texts[where[k]!] = read[k];
      if (epoch !== this.epoch) return [];
      const named: string[] = [];
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        if (!this.ids.has(files[i]!) && !this.known.has(files[i]!)) this.ids.set(files[i]!, ids[i] ?? null);
        if (this.records.has(name)) continue;
        const t = texts[i];
        this.ahead.add(name);
        if (t === undefined) {
          this.records.set(name, null);
          continue;
        }
        this.recordTimes.set(name, t.mtimeMs);
        const record = this.takeRecord(name, t.text);
        if (record !== null) for (const p of record.prereqs) named.push(p.name);
      }
      return named;
    };
    return round(targets, paths).then(async (named) => {
      const next = [...new Set(named)].filter((n) => !this.records.has(n));
      if (next.length > 0 && epoch === this.epoch) await round(next, next);
    });
  }

  /** prefetch() for the goals, started while the makefiles are remade; the walk takes it over
   * when it gets to them. */
  prefetchEarly(files: readonly FileNode[]): void {
    for (const f of files) {
      if (this.prefetching.has(f)) continue;
      const p = this.prefetch(f);
      if (p === undefined) continue;
      p.catch(() => undefined);
      this.prefetching.set(f, p);
    }
  }

  /** Forgets what was fetched ahead and not looked at (see prefetch). */
  private forgetAhead(): void {
    this.epoch++;
    if (this.ids.size > 0) this.ids.clear();
    if (this.ahead.size === 0) return;
    for (const name of this.ahead) {
      this.records.delete(name);
      this.recordTimes.delete(name);
      this.recordSeen.delete(name);
    }
    this.ahead.clear();
  }

  // ---------- after a recipe ----------

  /** A recipe starts: what was fetched ahead of need and not looked at yet may change (the
   * plain path would have looked after it), so it is forgotten; and if it is a target's, what
   * the target held, and its record, no longer count. */
  targetStarting(target: FileNode): void {
    this.forgetAhead();
    if (!this.decides(target)) return;
    for (const f of [target, ...target.alsoMake]) {
      this.known.delete(f.path);
      this.records.set(f.name, null);
      this.recordSeen.delete(f.name);
      try {
        fs.rmSync(path.resolve(this.hooks.cwd, this.recordPath(f.name)), { force: true });
      } catch {
        // The next run finds the file changed against it anyway.
      }
    }
  }

  /** `target` was built (or touched by -t): its record is written once what it and its
   * prerequisites hold is known. Dependents wait for it through prepare(). */
  targetBuilt(target: FileNode, touched = false): void {
    if (!this.decides(target)) return;
    const deps = this.normalDeps(target).map((d) => ({ path: d.path, name: d.name }));
    for (const f of [target, ...target.alsoMake]) {
      const self = { path: f.path, name: f.name };
      if (touched) this.touched.add(f.path);
      // The file changed: read it again.
      this.known.delete(f.path);
      this.records.set(f.name, null);
      const write = (async () => {
        const waiting = this.fetchFresh(self);
        if (waiting !== undefined) await waiting;
        const more = this.fetch(deps);
        if (more !== undefined) await more;
        this.writeRecord(f.name, self.path, deps);
      })();
      const done = write.catch((e: unknown) => this.hooks.warn(`warning: could not update the ${this.name} record of '${f.name}': ${(e as Error).message}`));
      this.writes.add(done);
      this.pending.set(f.path, done);
      void done.then(() => {
        this.writes.delete(done);
        if (this.pending.get(f.path) === done) this.pending.delete(f.path);
      });
    }
  }

  /** Reads a file that was just made (no record or cache can know it yet). */
  private fetchFresh(f: { path: string; name: string }): Promise<void> | undefined {
    const st = statIdentity(path.resolve(this.hooks.cwd, f.path));
    if (st === undefined) {
      this.known.set(f.path, GONE);
      return undefined;
    }
    return this.hashNow([{ path: f.path, id: st.id, mtimeMs: st.mtimeMs, cacheable: false }]);
  }

  private writeRecord(name: string, p: string, deps: { path: string; name: string }[]): void {
    const now = this.known.get(p);
    if (now === undefined || !("hex" in now)) {
      this.hooks.warn(`warning: could not update the ${this.name} record of '${name}': it ${now?.missing ?? "cannot be read"}`);
      return;
    }
    const prereqs: RecordedFile[] = [];
    for (const d of deps) {
      const c = this.known.get(d.path);
      // biomake's make_md5_valid_goal_list leaves out a prerequisite that is not there.
      if (c !== undefined && "hex" in c) prereqs.push({ name: d.name, size: c.size, hex: c.hex });
    }
    const record: HashRecord = { target: { name, size: now.size, hex: now.hex }, prereqs };
    const text = this.name === "md5" ? formatBiomakeRecord(record) : formatTmakeRecord(record, this.name);
    this.debug?.(`updating MD5 hash file for ${name} <-- [${deps.map((d) => d.name).join(",")}]`);
    if (this.debug !== undefined) for (const line of text.trimEnd().split("\n")) this.debug(` ${line}`);
    const scratch = this.name === "md5" ? biomakeScratchDir(name) : STATE_TMP_DIR;
    writeAtomically(this.hooks.cwd, this.recordPath(name), text, scratch);
    this.records.set(name, record);
    this.recordSeen.add(name);
  }

  /** Waits for the records being written, and saves the digest cache. */
  async finish(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
    const err = this.cache.save();
    if (err !== undefined) this.hooks.warn(`warning: could not save the digest cache: ${err.message}`);
  }

  private get debug(): ((text: string) => void) | undefined {
    return this.hooks.debug;
  }
}
