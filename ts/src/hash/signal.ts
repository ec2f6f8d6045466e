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
// A file with many prerequisites (`all` over a tree) has what its prerequisites' decisions need
// fetched ahead, batch after batch on the native threads while the walk goes on. A target found
// up to date by an earlier run (verified.ts) needs only its record, itself and its prerequisites
// to keep the identities they had then (Backend.openProofs). Any other has its record read
// (Backend.readRecords): parsed there when it has the canonical layout, its target stat'ed, and
// the files it names stat'ed. When the walk gets to such a target, a kept proof that still
// holds, or a record whose digest of the target holds and whose every prerequisite still has
// its recorded digest (known this run, or from the digest cache for the file's identity),
// proves the target up to date (fastClean), and the proof is kept for the next run. Anything
// else (no such record, a changed file, a file with a record of its own, --debug md5,
// --no-md5-cache) is decided the plain way, which gives the same answer in every case the
// proofs cover.
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
import { shortcuts } from "../implicit/shortcuts.js";
import { loadBackend } from "../native/index.js";
import { RecordVerdict, type HashAlgorithm, type ProofReader, type ProofsChecked, type RecordsRead, type RecordTarget } from "../native/types.js";
import type { FileNode } from "../remake/files.js";
import { NEW, OLD } from "../remake/fscache.js";
import type { SignalHost, StalenessSignal } from "../remake/staleness.js";
import { DigestCache, statIdentity } from "./digest-cache.js";
import { VERIFIED_FILE, VerifiedCache } from "./verified.js";
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
  /** The kept proofs, when they were opened before (see readProofsEarly). */
  proofs?: ProofReader;
}

/** Fewer prerequisites than this are not fetched ahead (as Mtimes.prefetchDepTimes). */
const PREFETCH_MIN = 64;

/** A record is small; a larger file in a record's place is not read ahead. */
const RECORD_MAX_BYTES = 1 << 20;

/** Targets per batch of records read ahead: the walk starts on the first batch while the next
 * ones are read. */
const AHEAD_BATCH = 2048;

/** A batch of targets whose facts are fetched ahead, and the epoch they were fetched in. */
interface AheadBatch {
  /** The kept proofs of the batch's targets that still hold (ProofReader.check). */
  proven?: ProofsChecked;
  /** The records read of the targets not proven (Backend.readRecords): target `k`'s is
   * `read`'s `readAt[k]`-th (-1: not read). */
  read?: RecordsRead;
  readAt?: Int32Array;
  /** When the facts were fetched (ms since the epoch, before the fetch). */
  seenMs: number;
  /** Whether the read is over (`read` is there, or the batch was given up). */
  settled: boolean;
  /** Resolves when it is over. */
  ready: Promise<void>;
  epoch: number;
}

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

/** A regular file's modification time as Node's `mtimeMs` gives it (seconds * 1000 +
 * nanoseconds / 1e6) from its identity `DEV:INO:SIZE:MTIME_NS`; undefined for a time before
 * 1970 or one the identity does not give in nanoseconds. */
function mtimeMsOfId(id: string): number | undefined {
  const ns = id.slice(id.lastIndexOf(":") + 1);
  if (ns.length < 10 || ns.charCodeAt(0) === 45) return undefined;
  return Number(ns.slice(0, -9)) * 1000 + Number(ns.slice(-9)) / 1e6;
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
  /** Batches of records read ahead; a target's place in them is `aheadAt` (batch * AHEAD_BATCH
   * + index). Dropped when a recipe runs. */
  private batches: AheadBatch[] = [];
  private readonly aheadAt = new Map<string, number>();
  /** Files whose prerequisites' records are being read ahead, and the epoch it started in. */
  private readonly prefetching = new Map<FileNode, number>();
  /** Counts recipes started: facts read ahead before one are dropped. */
  private epoch = 0;
  /** Targets proven up to date from what was fetched ahead (fastClean), by path, with what
   * they hold (null: proven by a kept proof, what they hold is read again if asked). */
  private readonly proven = new Map<string, { size: number; hex: string } | null>();
  /** Folders' listings of record files (null: no such folder), for fastClean's question
   * whether a file has a record of its own; dropped when a recipe runs. */
  private readonly recordListings = new Map<string, Set<string> | null>();
  /** Whether records read ahead may prove a target up to date (see the file comment). */
  private readonly fast: boolean;
  /** Proofs kept between runs (verified.ts): read by the backend, written by this run. */
  private readonly proofs: VerifiedCache;
  private proofReader: ProofReader | undefined;
  /** The walk's side of the seam (attach). */
  private host: SignalHost | undefined;
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
    this.fast = !opts.noCache && hooks.debug === undefined && shortcuts().proofs;
    this.proofs = new VerifiedCache(hooks.cwd, opts.algorithm, opts.noTimestamp);
    this.proofReader = hooks.proofs;
  }

  attach(host: SignalHost): void {
    this.host = host;
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
    const at = this.aheadAt.get(target.name);
    if (at !== undefined) {
      const batch = this.batches[Math.floor(at / AHEAD_BATCH)];
      // Its record is being read ahead: wait for its batch.
      if (batch !== undefined && !batch.settled && batch.epoch === this.epoch) return batch.ready.then(() => this.prepare(target, targetTime));
      this.aheadAt.delete(target.name);
      if (batch !== undefined && batch.epoch === this.epoch && this.fastClean(target, batch, at % AHEAD_BATCH)) return undefined;
    }
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
    if (!this.decides(target) || targetTime === OLD || this.proven.has(target.path)) return undefined;
    const record = this.recordOf(target.name);
    if (record === null) return `'${target.name}' has no ${this.name} record`;
    const now = this.now(target.path);
    if (!sameContent(now, record.target))
      return `'${target.name}' changed content since it was built (${this.name} ${shortHex(record.target)} → ${shortHex(now)})`;
    const deps = new Set(this.normalDeps(target).map((d) => d.name));
    for (const p of record.prereqs) {
      if (deps.has(p.name)) continue;
      const c = this.now(this.pathOf(target, p.name));
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
    if (this.proven.has(target.path)) return undefined;
    const record = this.records.get(target.name);
    if (record === undefined) return undefined;
    if (record === null) return `'${target.name}' has no ${this.name} record`;
    const entry = record.prereqs.find((p) => p.name === dep.name);
    const now = this.now(dep.path);
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
    if (known !== undefined) return known;
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
    if (r !== undefined) return r !== null || this.recordSeen.has(name);
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

  /** What the file at `p` holds, as far as this run knows. */
  private now(p: string): Content | undefined {
    return this.known.get(p) ?? this.proven.get(p) ?? undefined;
  }

  /** Makes known what each file holds (see the file comment for the order of the sources);
   * undefined when nothing has to be waited for. */
  private fetch(files: readonly { path: string; name: string }[]): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    const read: ToRead[] = [];
    const reading = new Set<string>();
    for (const { path: p, name } of files) {
      if (this.known.has(p) || this.proven.get(p)) continue;
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
      let recordMs: number;
      try {
        recordMs = fs.statSync(path.resolve(this.hooks.cwd, this.recordPath(name))).mtimeMs;
      } catch {
        return undefined;
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

  /** A file's identity, stat'ed now. */
  private identity(p: string): { id: string; size: number; mtimeMs: number } | undefined {
    return statIdentity(path.resolve(this.hooks.cwd, p));
  }

  /** Called where the walk fetches the times of a file's prerequisites: for a file with many of
   * them (`all` over a tree), starts reading their records ahead (see the file comment). The
   * walk does not wait: prepare() waits for the batch that holds the target it is asked about. */
  prefetch(file: FileNode): Promise<void> | undefined {
    if (!this.fast || file.deps.length < PREFETCH_MIN) return undefined;
    // Started early (while the makefiles were remade), and no recipe has run since.
    if (this.prefetching.get(file) === this.epoch) return undefined;
    const targets: FileNode[] = [];
    for (const d of file.deps) {
      const f = d.file;
      // (Whether it has a recipe is not known yet: the rule search has not reached it.)
      if (d.orderOnly || f.phony || this.records.has(f.name) || this.aheadAt.has(f.name)) continue;
      targets.push(f);
    }
    if (targets.length < PREFETCH_MIN) return undefined;
    this.prefetching.set(file, this.epoch);
    void this.readAhead(targets);
    return undefined;
  }

  /** prefetch() for the goals, started while the makefiles are remade. */
  prefetchEarly(files: readonly FileNode[]): void {
    // prefetch() never returns a promise to wait for: the batches are waited for in prepare().
    for (const f of files) void this.prefetch(f);
  }

  /** Fetches ahead, batch after batch, what the decisions about `targets` need (see the file
   * comment): each batch's fetch starts when the one before it is done, so the native threads
   * work while the main thread walks. */
  private async readAhead(targets: FileNode[]): Promise<void> {
    const epoch = this.epoch;
    const backend = loadBackend();
    const cwd = path.resolve(this.hooks.cwd);
    const inCwd = cwd === process.cwd();
    const abs = (p: string): string => (inCwd ? p : path.resolve(cwd, p));
    const first = this.batches.length;
    const count = Math.ceil(targets.length / AHEAD_BATCH);
    const done: (() => void)[] = [];
    for (let k = 0; k < count; k++) {
      const batch: AheadBatch = { settled: false, ready: new Promise<void>((resolve) => done.push(resolve)), epoch, seenMs: 0 };
      this.batches.push(batch);
      for (let i = k * AHEAD_BATCH; i < Math.min(targets.length, (k + 1) * AHEAD_BATCH); i++)
        this.aheadAt.set(targets[i]!.name, (first + k) * AHEAD_BATCH + (i - k * AHEAD_BATCH));
    }
    const batches = this.batches;
    for (let k = 0; k < count; k++) {
      const batch = batches[first + k]!;
      try {
        if (epoch === this.epoch) {
          const mine = targets.slice(k * AHEAD_BATCH, (k + 1) * AHEAD_BATCH);
          batch.seenMs = Date.now();
          const all: RecordTarget[] = mine.map((f) => ({ name: f.name, path: abs(f.path), record: abs(this.recordPath(f.name)) }));
          // The kept proofs first; the records of the targets whose proof does not hold.
          this.proofReader ??= backend.openProofs(this.proofs.file, this.proofs.header);
          const proven = await this.proofReader.check(all, cwd);
          const readAt = new Int32Array(mine.length).fill(-1);
          const items: RecordTarget[] = [];
          for (let i = 0; i < mine.length; i++) {
            if (proven.holds[i] === 1) continue;
            readAt[i] = items.length;
            items.push(all[i]!);
          }
          const read = items.length > 0 ? await backend.readRecords(items, this.name, this.opts.noTimestamp, RECORD_MAX_BYTES, cwd) : undefined;
          if (epoch === this.epoch && batches === this.batches) {
            batch.proven = proven;
            batch.read = read;
            batch.readAt = readAt;
            this.tellTimes(proven, read);
          }
        }
      } catch {
        // Only facts fetched ahead are lost: each decision fetches what it needs itself.
      }
      batch.settled = true;
      done[k]!();
    }
  }

  /** Tells the walk the modification times of the prerequisites stat'ed for a batch (the walk
   * would stat each of them again when the rule search asks whether it exists). */
  private tellTimes(proven: ProofsChecked, read: RecordsRead | undefined): void {
    if (this.host === undefined) return;
    if (proven.deps.length > 0) this.host.learnTimes(proven.deps, proven.depTimes);
    if (read === undefined) return;
    const names: string[] = [];
    const times: number[] = [];
    for (let f = 0; f < read.fileNames.length; f++) {
      const id = read.fileIds[f]!;
      const t = id === "" ? undefined : mtimeMsOfId(id);
      if (t === undefined) continue;
      names.push(read.fileNames[f]!);
      times.push(t);
    }
    if (names.length > 0) this.host.learnTimes(names, times);
  }

  /** Whether what was fetched ahead proves `target` (the batch's `k`-th) up to date, and keeps
   * the proof for the next run. Either its kept proof still holds (its record, itself and its
   * prerequisites have the identities they had, and it has the same prerequisites), or its
   * record was parsed and its digest of the target holds, the record names exactly the
   * target's normal prerequisites in their order, and each of them holds what the record says
   * (as known this run, or as the digest cache says for the file's identity now, the file
   * having no record of its own). Anything else, or anything this run already did to these
   * files, leaves the decision to the plain path. */
  private fastClean(target: FileNode, batch: AheadBatch, k: number): boolean {
    if (target.alsoMake.length > 0 || target.path !== target.name) return false;
    // (Maps that a null build leaves empty are asked only when they hold something.)
    if ((this.records.size > 0 && this.records.has(target.name)) || this.known.has(target.path) || (this.pending.size > 0 && this.pending.has(target.path)))
      return false;
    const deps = this.normalDeps(target);
    const proof = batch.proven;
    if (proof !== undefined && proof.holds[k] === 1) {
      const first = proof.depStart[k]!;
      if (proof.depStart[k + 1]! - first !== deps.length) return false;
      for (let q = 0; q < deps.length; q++) {
        const dep = deps[q]!;
        if (proof.deps[first + q] !== dep.name || dep.path !== dep.name) return false;
        // A file this run read or made: the plain path knows what it holds now. (One proven
        // this run has a record of its own, which recordMayExist sees.)
        if ((this.known.size > 0 && this.known.has(dep.path)) || (this.pending.size > 0 && this.pending.has(dep.path)) || this.recordMayExist(dep.name))
          return false;
      }
      // What it holds is not kept (a target's dependents are rarely proven by kept proofs:
      // only files without records of their own are in those).
      this.proven.set(target.path, null);
      return true;
    }
    const r = batch.readAt?.[k] ?? -1;
    const read = batch.read;
    if (read === undefined || r < 0 || read.verdicts[r] !== RecordVerdict.Trusted) return false;
    let j = read.prereqStart[r]!;
    if (read.prereqStart[r + 1]! - j !== deps.length) return false;
    const L = this.name === "md5" ? 32 : 64;
    const ids = [read.recordIds[r]!, read.targetIds[r]!];
    for (let q = 0; q < deps.length; q++, j++) {
      const dep = deps[q]!;
      const f = read.prereqFiles[j]!;
      if (read.fileNames[f] !== dep.name || dep.path !== dep.name) return false;
      const size = read.prereqSizes[j]!;
      const now = this.now(dep.path);
      if (now !== undefined) {
        if (!("hex" in now) || now.size !== size || !read.prereqHex.startsWith(now.hex, j * L)) return false;
        // What this run knows of it is not a proof the next run can check.
        ids.push("");
        continue;
      }
      if (this.pending.has(dep.path) || this.recordMayExist(dep.name)) return false;
      const id = read.fileIds[f]!;
      if (id === "" || read.fileSizes[f] !== size) return false;
      const hex = this.cache.lookup(dep.path, id, this.name);
      if (hex === undefined || !read.prereqHex.startsWith(hex, j * L)) return false;
      ids.push(id);
    }
    const content = { size: read.targetSizes[r]!, hex: read.targetHex.slice(r * L, (r + 1) * L) };
    this.proven.set(target.path, content);
    this.proofs.store(target.name, { ids, deps: deps.map((d) => d.name), ...content }, batch.seenMs);
    return true;
  }

  /** Whether `name` may have a record of its own: its record's folder lists it, or could not
   * be read. A folder is listed once (until a recipe runs); records this run writes or deletes
   * are kept in the listing. */
  private recordMayExist(name: string): boolean {
    const file = this.recordPath(name);
    const slash = file.lastIndexOf("/");
    const dir = slash < 0 ? "." : file.slice(0, slash);
    let listing = this.recordListings.get(dir);
    if (listing === undefined) {
      try {
        listing = new Set(fs.readdirSync(path.resolve(this.hooks.cwd, dir)));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        listing = code === "ENOENT" || code === "ENOTDIR" ? null : new Set(["*"]);
      }
      this.recordListings.set(dir, listing);
    }
    if (listing === null) return false;
    return listing.has("*") || listing.has(file.slice(slash + 1));
  }

  /** Notes in the listings (recordMayExist) that `name`'s record was written or deleted. */
  private listRecord(name: string, there: boolean): void {
    const file = this.recordPath(name);
    const slash = file.lastIndexOf("/");
    const listing = this.recordListings.get(slash < 0 ? "." : file.slice(0, slash));
    if (listing === undefined) return;
    if (listing === null) {
      if (there) this.recordListings.delete(slash < 0 ? "." : file.slice(0, slash));
      return;
    }
    if (there) listing.add(file.slice(slash + 1));
    else listing.delete(file.slice(slash + 1));
  }

  /** Forgets what was read ahead (a recipe runs: the plain path would look after it). */
  private forgetAhead(): void {
    this.epoch++;
    if (this.batches.length > 0) this.batches = [];
    if (this.aheadAt.size > 0) this.aheadAt.clear();
    if (this.recordListings.size > 0) this.recordListings.clear();
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
      this.proven.delete(f.path);
      this.proofs.drop(f.name);
      this.records.set(f.name, null);
      this.recordSeen.delete(f.name);
      this.listRecord(f.name, false);
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
      this.proven.delete(f.path);
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
    const now = this.now(p);
    if (now === undefined || !("hex" in now)) {
      this.hooks.warn(`warning: could not update the ${this.name} record of '${name}': it ${now?.missing ?? "cannot be read"}`);
      return;
    }
    const prereqs: RecordedFile[] = [];
    for (const d of deps) {
      const c = this.now(d.path);
      // biomake's make_md5_valid_goal_list leaves out a prerequisite that is not there.
      if (c !== undefined && "hex" in c) prereqs.push({ name: d.name, size: c.size, hex: c.hex });
    }
    const record: HashRecord = { target: { name, size: now.size, hex: now.hex }, prereqs };
    const text = this.name === "md5" ? formatBiomakeRecord(record) : formatTmakeRecord(record, this.name);
    this.debug?.(`updating MD5 hash file for ${name} <-- [${deps.map((d) => d.name).join(",")}]`);
    if (this.debug !== undefined) for (const line of text.trimEnd().split("\n")) this.debug(` ${line}`);
    const scratch = this.name === "md5" ? biomakeScratchDir(name) : STATE_TMP_DIR;
    writeAtomically(this.hooks.cwd, this.recordPath(name), text, scratch);
    this.listRecord(name, true);
    this.records.set(name, record);
    this.recordSeen.add(name);
  }

  /** Waits for the records being written, and saves the digest cache. */
  async finish(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
    const err = this.cache.save();
    if (err !== undefined) this.hooks.warn(`warning: could not save the digest cache: ${err.message}`);
    const proofs = this.proofs.save();
    if (proofs !== undefined) this.hooks.warn(`warning: could not save ${VERIFIED_FILE}: ${proofs.message}`);
  }

  private get debug(): ((text: string) => void) | undefined {
    return this.hooks.debug;
  }
}
