// Where the build journal lives and how it is read and written: an append-only log per run
// (ninja's .ninja_log model, one file per run so that only one process ever writes a file),
// folded into two files written whole and renamed into place.
//
//   .tmake/journal/runs/00000012.log  run 12's records, appended by run 12 alone (records.ts)
//   .tmake/journal/summary            what the next build's decisions need: the targets left
//                                     incomplete and those that failed, folded from the runs in
//                                     its basis (rewritten by each run that holds the lock)
//   .tmake/journal/targets            each target's last records, from runs folded away by
//                                     compaction (whose logs are then deleted)
//   .tmake/journal/order              the targets in the order the last builds started their
//                                     recipes, and how long each took (a hint, intents.ts)
//   .tmake/journal/lock               the build lock (lock.ts)
//   .tmake/journal/tmp/               files being written, before their rename
//
// Crash safety: a run's records reach its log with one write() each, before what they announce
// happens (a recipe's start before its first command); a reader takes only whole lines whose
// checksum holds. A kill of tmake keeps them all. Against a machine that dies, an intent record
// naming a recipe's target is on disk before its first command (RunWriter.durable; intents.ts
// says what intents name), so a target half written by a recipe cut short is known to be
// incomplete after a reboot (foldFacts: the run's header names its boot); the other records are
// not synced (losing an end only makes the next run remake more). The summary and the targets
// file are written to tmp/, fsync'ed and renamed, so a kill at any instant leaves the old file
// or the new one; the logs they fold are deleted only after (the rename synced first), and a
// reader skips a log its basis already holds. The order file is a hint, written whole but not
// synced. Nothing needs a lock to be read, and nothing relies on shared memory or on locks
// across hosts: another tmake reads the journal while a build runs, also over NFS.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { StartOrder } from "./intents.js";
import {
  decodeRecords,
  encodeRecord,
  type BlockedRecord,
  type EndRecord,
  type JobRecord,
  type JournalRecord,
  type RunRecord,
  type StaleRecord,
  type StartRecord,
} from "./records.js";

/** tmake's state folder, in the tree's top directory (the journal's is one folder of it). */
export const STATE_DIR = ".tmake";
export const JOURNAL_DIR = `${STATE_DIR}/journal`;
const RUNS = "runs";
const SUMMARY = "summary";
const TARGETS = "targets";
const ORDER = "order";
const TMP = "tmp";

/** A live run refreshes its log's time this often (ms), so that a run on another host can tell
 * it from a dead one. */
export const HEARTBEAT_MS = 10_000;

/** How long without a heartbeat before a run (or a lock) on another host counts as dead (ms):
 * TMAKE_LOCK_TIMEOUT seconds, 120 by default. */
export function heartbeatTimeout(): number {
  const s = Number(process.env.TMAKE_LOCK_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 120_000;
}

/** Compaction folds the logs away once this many are in the summary's basis
 * (TMAKE_JOURNAL_COMPACT, 64 by default). */
function compactAfter(): number {
  const n = Number(process.env.TMAKE_JOURNAL_COMPACT);
  return Number.isInteger(n) && n > 0 ? n : 64;
}

export const hostName = os.hostname();

/** This machine's boot (Linux: a random id made at each boot), undefined where unknown. */
export const bootId: string | undefined = (() => {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** Which runs a folded file holds: every run up to `upTo`, and those in `plus`. */
export interface Basis {
  upTo: number;
  plus: number[];
}

function inBasis(b: Basis, run: number): boolean {
  return run <= b.upTo || b.plus.includes(run);
}

/** The basis with `runs` added, with `upTo` moved up over the runs it then holds. */
function extend(b: Basis, runs: Iterable<number>): Basis {
  const plus = new Set(b.plus);
  for (const r of runs) if (r > b.upTo) plus.add(r);
  let upTo = b.upTo;
  while (plus.has(upTo + 1)) plus.delete(++upTo);
  return { upTo, plus: [...plus].sort((a, c) => a - c) };
}

/** A target left incomplete: its recipe started and never finished. */
export interface OpenTarget {
  run: number;
  /** The makefile its recipe is in (a target of another makefile in the same folder is
   * another target). */
  file?: string;
  /** When its run was last known alive (killed, lost), or when it was interrupted. */
  at: number;
  /** killed: its run died while the recipe ran; lost: its run died with the machine, and the
   * recipe may have started (an intent record says so; its start may not have reached the
   * disk); unwritten: its recipe ended well, and after the machine restarted the file no longer
   * has the size and time it had then. */
  how: "killed" | "interrupted" | "running" | "lost" | "unwritten";
}

/** A target whose last recipe failed. */
export interface FailedTarget {
  run: number;
  file?: string;
  at: number;
}

/** What the next build's decisions need. */
export interface Facts {
  open: Map<string, OpenTarget>;
  failed: Map<string, FailedTarget>;
}

/** What is known of a target: its last record of each kind, with the run it came from. */
export interface TargetHistory {
  name: string;
  stale?: StaleRecord & { run: number };
  start?: StartRecord & { run: number };
  end?: EndRecord & { run: number };
  blocked?: BlockedRecord & { run: number };
  /** Its last queue job (issue 14). */
  job?: JobRecord & { run: number };
}

/** One run's log, read. */
export interface RunLog {
  id: number;
  header?: RunRecord;
  records: JournalRecord[];
  /** It ended (its `fin` record), with this status. */
  fin?: { at: number; status: number; signal?: string };
  /** It has not ended and its process lives. */
  live: boolean;
  /** The last time it was known alive (its log's time). */
  lastSeen: number;
  /** Lines that were not whole records. */
  bad: number;
}

/** A journal that cannot be read (the console says it and exits 2). */
export class JournalError extends Error {}

/** The journal of one directory. */
export class JournalStore {
  readonly dir: string;

  constructor(cwd: string) {
    this.dir = path.resolve(cwd, JOURNAL_DIR);
  }

  private p(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  exists(): boolean {
    return fs.existsSync(this.dir);
  }

  /** The ids of the runs whose logs are there, in order. */
  runIds(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.p(RUNS));
    } catch {
      return [];
    }
    const ids: number[] = [];
    for (const n of names) {
      const m = /^(\d+)\.log$/.exec(n);
      if (m) ids.push(Number(m[1]));
    }
    return ids.sort((a, b) => a - b);
  }

  logPath(id: number): string {
    return this.p(RUNS, `${String(id).padStart(8, "0")}.log`);
  }

  /** Reads run `id`'s log (undefined when it is gone). */
  readRun(id: number): RunLog | undefined {
    let text: string;
    let mtime: number;
    try {
      const file = this.logPath(id);
      text = fs.readFileSync(file, "utf8");
      mtime = fs.statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const { records, bad } = decodeRecords(text);
    const header = records[0]?.k === "run" ? records[0] : undefined;
    const last = records[records.length - 1];
    const fin = last?.k === "fin" ? { at: last.at, status: last.status, signal: last.signal } : undefined;
    let lastSeen = mtime;
    for (const r of records) if (r.at > lastSeen) lastSeen = r.at;
    const live = fin === undefined && header !== undefined && processLives(header.pid, header.host, mtime);
    return { id, header, records, fin, live, lastSeen, bad };
  }

  /** Throws a JournalError when a file of the journal is damaged: a summary or targets file
   * without its header, a line of a log other than the last that is not a whole record (a
   * kill leaves at most the last one torn). */
  check(): void {
    for (const name of [SUMMARY, TARGETS]) {
      let text: string;
      try {
        text = fs.readFileSync(this.p(name), "utf8");
      } catch {
        continue;
      }
      const first = decodeRecords<{ k: string }>(text).records[0];
      if (first?.k !== name) throw new JournalError(`the journal's ${name} file is damaged: ${this.p(name)}`);
    }
    for (const id of this.runIds()) {
      let text: string;
      try {
        text = fs.readFileSync(this.logPath(id), "utf8");
      } catch {
        continue;
      }
      const whole = text.slice(0, text.lastIndexOf("\n") + 1);
      if (decodeRecords(whole).bad > 0) throw new JournalError(`the journal's log of run ${id} is damaged: ${this.logPath(id)}`);
    }
  }

  // ---- the summary ------------------------------------------------------------------------------

  private readSummary(): { basis: Basis; lastRun: number; boot?: string; facts: Facts } {
    const empty = { basis: { upTo: 0, plus: [] }, lastRun: 0, facts: { open: new Map(), failed: new Map() } };
    let text: string;
    try {
      text = fs.readFileSync(this.p(SUMMARY), "utf8");
    } catch {
      return empty;
    }
    const { records } = decodeRecords<SummaryRecord>(text);
    const s = records[0];
    if (s === undefined || s.k !== "summary") return empty;
    return {
      basis: { upTo: s.upTo, plus: s.plus },
      lastRun: s.lastRun,
      boot: s.boot,
      facts: {
        open: new Map(s.open.map(([t, run, at, how, file]) => [t, { run, at, how, file }])),
        failed: new Map(s.failed.map(([t, run, at, file]) => [t, { run, at, file }])),
      },
    };
  }

  /** What the next decisions need: the summary, with the logs it does not hold folded in (in
   * run order). `logs` gets every log read. */
  facts(own?: OwnRun): { facts: Facts; basis: Basis; folded: number[]; lastRun: number } {
    const { basis, lastRun, boot, facts } = this.readSummary();
    const restarted = boot !== undefined && bootId !== undefined && boot !== bootId;
    // After a restart, what an earlier call's check found (the check looks at every target: once
    // per process). It holds before this run's own records, which may remake those targets.
    let found = restarted ? this.restartFound : undefined;
    const addFound = (): void => {
      for (const [t, o] of found ?? []) facts.open.set(t, o);
      found = undefined;
    };
    const folded: number[] = [];
    let last = lastRun;
    for (const id of this.runIds()) {
      if (id > last) last = id;
      if (inBasis(basis, id)) continue;
      if (id === own?.id) {
        addFound();
        own.fold(facts);
        continue;
      }
      const log = this.readRun(id);
      if (log === undefined) continue;
      foldFacts(facts, log);
      if (!log.live) folded.push(id);
    }
    if (restarted) {
      addFound();
      this.restartFound ??= this.checkAfterRestart(facts);
    }
    return { facts, basis, folded, lastRun: last };
  }

  /** What checkAfterRestart found in this process, once it ran. */
  private restartFound: Map<string, OpenTarget> | undefined;

  /** After a restart of the machine (the summary was written in another boot): what the system
   * had not written to disk of a target whose recipe ended well may be lost with the machine
   * (ext4 writes a new file's data back within 30 s, its name and time within 5 s), leaving a
   * file cut short whose time says it is up to date. Such a target no longer has the size and
   * time its end record gives, and it was not changed since (its time is not later): it is left
   * incomplete (`unwritten`), in `facts` and in the map returned. Every target the journal knows
   * is looked at, once per restart: the summary written by this run names this boot. */
  private checkAfterRestart(facts: Facts): Map<string, OpenTarget> {
    const root = path.dirname(path.dirname(this.dir));
    const found = new Map<string, OpenTarget>();
    for (const [name, h] of this.history().targets) {
      const e = h.end;
      if (e?.ok !== true || e.size === undefined || e.mtime === undefined || facts.open.has(name)) continue;
      const st = statOf(path.resolve(root, name));
      // Gone (remade anyway), or changed since by someone else: GNU's rule decides.
      if (st === undefined || st.mtimeMs > e.mtime) continue;
      if (st.size !== e.size || st.mtimeMs !== e.mtime) found.set(name, { run: e.run, at: e.at, how: "unwritten" });
    }
    for (const [t, o] of found) facts.open.set(t, o);
    return found;
  }

  /** Writes the summary: `facts`, holding the runs of `basis`. Whole, through a rename. */
  writeSummary(facts: Facts, basis: Basis, lastRun: number): void {
    const rec: SummaryRecord = {
      k: "summary",
      upTo: basis.upTo,
      plus: basis.plus,
      lastRun,
      boot: bootId,
      open: [...facts.open].map(([t, o]) => [t, o.run, o.at, o.how === "running" ? "killed" : o.how, o.file]),
      failed: [...facts.failed].map(([t, f]) => [t, f.run, f.at, f.file]),
    };
    this.writeWhole(SUMMARY, encodeRecord(rec));
  }

  /** Folds what the summary does not hold yet (finished or dead runs, `own` among them) into it.
   * Called by the run that holds the build lock, at its end; then compacts when due. */
  fold(own: OwnRun): void {
    const { facts, basis, folded, lastRun } = this.facts(own);
    const next = extend(basis, [...folded, own.id]);
    this.writeSummary(facts, next, Math.max(lastRun, own.id));
    const held = this.runIds().filter((id) => inBasis(next, id));
    if (held.length >= compactAfter()) this.compact(held);
  }

  // ---- the targets file and compaction -----------------------------------------------------------

  private readTargets(): { basis: Basis; lastRun: number; targets: Map<string, TargetHistory> } {
    const targets = new Map<string, TargetHistory>();
    let text: string;
    try {
      text = fs.readFileSync(this.p(TARGETS), "utf8");
    } catch {
      return { basis: { upTo: 0, plus: [] }, lastRun: 0, targets };
    }
    const { records } = decodeRecords<TargetsHeader | TargetHistory>(text);
    const head = records[0] as TargetsHeader | undefined;
    if (head?.k !== "targets") return { basis: { upTo: 0, plus: [] }, lastRun: 0, targets };
    for (let i = 1; i < records.length; i++) {
      const t = records[i] as TargetHistory;
      targets.set(t.name, t);
    }
    return { basis: { upTo: head.upTo, plus: head.plus }, lastRun: head.lastRun, targets };
  }

  /** Folds the logs `ids` (all finished, all in the summary) into the targets file, then deletes
   * them. */
  private compact(ids: number[]): void {
    // Logs that record no target (null builds, dry runs of sub-makes) hold nothing the targets
    // file would keep: they are deleted without rewriting it.
    const empty = ids.filter((id) => {
      const log = this.readRun(id);
      return log !== undefined && !log.live && log.records.every((r) => r.k === "run" || r.k === "fin");
    });
    for (const id of empty) fs.rmSync(this.logPath(id), { force: true });
    ids = ids.filter((id) => !empty.includes(id));
    if (ids.length === 0) return;
    const { basis, lastRun, targets } = this.readTargets();
    let last = lastRun;
    const done: number[] = [];
    for (const id of ids) {
      if (inBasis(basis, id)) {
        done.push(id);
        continue;
      }
      const log = this.readRun(id);
      if (log === undefined || log.live) continue;
      foldHistory(targets, log);
      done.push(id);
      if (id > last) last = id;
    }
    const next = extend(basis, done);
    let text = encodeRecord({ k: "targets", upTo: next.upTo, plus: next.plus, lastRun: last } satisfies TargetsHeader);
    for (const t of targets.values()) text += encodeRecord(t);
    this.writeWhole(TARGETS, text);
    // The rename on disk before the logs it replaces go (a machine that dies between them
    // must not come back with the old targets file and the logs gone).
    syncFolder(this.dir);
    for (const id of done) fs.rmSync(this.logPath(id), { force: true });
  }

  /** Everything known of each target (the targets file, then every log it does not hold), and
   * the logs read, in order. */
  history(): { targets: Map<string, TargetHistory>; runs: RunLog[] } {
    const { basis, targets } = this.readTargets();
    const runs: RunLog[] = [];
    for (const id of this.runIds()) {
      if (inBasis(basis, id)) continue;
      const log = this.readRun(id);
      if (log === undefined) continue;
      runs.push(log);
      foldHistory(targets, log);
    }
    return { targets, runs };
  }

  /** The targets file's header alone (its first line), without reading the rest. */
  private targetsHeader(): TargetsHeader | undefined {
    let fd: number;
    try {
      fd = fs.openSync(this.p(TARGETS), "r");
    } catch {
      return undefined;
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      const text = buf.toString("utf8", 0, n);
      const h = decodeRecords<TargetsHeader>(text.slice(0, text.indexOf("\n") + 1)).records[0];
      return h?.k === "targets" ? h : undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The run ids known (the targets file's and the summary's last, and the logs'). */
  lastRunId(): number {
    const ids = this.runIds();
    return Math.max(this.readSummary().lastRun, this.targetsHeader()?.lastRun ?? 0, ids[ids.length - 1] ?? 0);
  }

  // ---- writing ----------------------------------------------------------------------------------

  /** Creates the log of a new run, numbered after every run known; returns it open. */
  createRun(header: Omit<RunRecord, "k" | "run">): RunWriter {
    // The folders made here, and the one above the first of them, get their new entries synced
    // with the log's first record that must be durable.
    const first = fs.mkdirSync(this.p(RUNS), { recursive: true });
    const folders = [this.p(RUNS)];
    if (first !== undefined)
      for (let d = path.dirname(this.p(RUNS)); ; d = path.dirname(d)) {
        folders.push(d);
        if (d === path.dirname(first) || path.dirname(d) === d) break;
      }
    for (let id = this.lastRunId() + 1; ; id++) {
      let fd: number;
      try {
        fd = fs.openSync(this.logPath(id), "wx");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
        throw e;
      }
      fs.closeSync(fd);
      const w = new RunWriter(this.logPath(id), id, folders);
      w.append({ k: "run", run: id, ...header });
      return w;
    }
  }

  // ---- the order recipes start in (intents.ts) ------------------------------------------------

  /** The order the last builds started recipes in, empty when unknown or unreadable. */
  readOrder(): StartOrder {
    let text: string;
    try {
      text = fs.readFileSync(this.p(ORDER), "utf8");
    } catch {
      return { names: [], ms: [] };
    }
    const r = decodeRecords<{ k: string } & StartOrder>(text).records[0];
    return r?.k === "order" && r.names.length === r.ms.length ? { names: r.names, ms: r.ms } : { names: [], ms: [] };
  }

  /** Keeps the order for the next builds: written whole, not synced (a hint; one lost with the
   * machine only makes intents name fewer recipes). */
  writeOrder(order: StartOrder): void {
    this.writeWhole(ORDER, encodeRecord({ k: "order", ...order }), false);
  }

  /** Writes a file of the journal whole: to tmp/, flushed to disk (unless `sync` is false),
   * then renamed over it. */
  private writeWhole(name: string, text: string, sync = true): void {
    fs.mkdirSync(this.p(TMP), { recursive: true });
    const tmp = this.p(TMP, `${name}.${process.pid}.${Date.now()}`);
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, text);
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.p(name));
  }
}

interface SummaryRecord {
  k: "summary";
  upTo: number;
  plus: number[];
  lastRun: number;
  /** The machine's boot when it was written (a later one: the machine restarted since). */
  boot?: string;
  open: [string, number, number, OpenTarget["how"], string?][];
  failed: [string, number, number, string?][];
}

interface TargetsHeader {
  k: "targets";
  upTo: number;
  plus: number[];
  lastRun: number;
}

/** The run that folds, which knows its own records without reading its log back. */
export interface OwnRun {
  id: number;
  fold(facts: Facts): void;
}

/** Appends one run's records to its log. A record is in the file (for any other process to
 * read, and for a kill of this one to keep) when append returns; it is on disk (for a machine
 * that dies to keep) once `durable` says so. */
export class RunWriter {
  private fd: number;
  /** Records appended, and how many of them are known to be on disk. */
  private appended = 0;
  private synced = 0;

  constructor(
    readonly file: string,
    readonly id: number,
    /** Folders whose new entries (the log's, and the folders made for it) are synced with the
     * first sync. */
    private folders: string[] = [],
  ) {
    this.fd = fs.openSync(file, "a");
  }

  /** Puts every record appended so far on disk, with one fdatasync when any is not yet there
   * (the log's folder entries go with the first: a file whose name is not on disk is lost with
   * its records). The journal calls it before a recipe's first command, so that an intent
   * naming the recipe's target is on disk before it can write the target (intents.ts). Synchronous on purpose: a recipe starts the moment
   * make reaches it, as GNU's do; a sync left to a thread let the walk run on (expanding the
   * next recipe, even a `$(shell)` in it) before the first one started, which GNU's
   * features/parallelism sees. A failed sync is ignored: the journal is as safe as the disk
   * lets it be. */
  durable(): void {
    if (this.fd < 0 || this.synced >= this.appended) return;
    for (const dir of this.folders.splice(0)) syncFolder(dir);
    try {
      fs.fdatasyncSync(this.fd);
    } catch {
      // See above.
    }
    this.synced = this.appended;
  }

  /** One record, with one write (it is in the file, for any other process to read and for a
   * kill of this one to keep, when this returns). */
  append(r: JournalRecord): void {
    if (this.fd < 0) return;
    this.appended++;
    const line = Buffer.from(encodeRecord(r));
    let off = 0;
    try {
      while (off < line.length) off += fs.writeSync(this.fd, line, off);
    } catch (e) {
      // A full disk or a folder gone: the build goes on, the journal stops here (said once).
      this.failed?.(e as NodeJS.ErrnoException);
      this.close();
    }
  }

  /** Told once when a record cannot be written. */
  failed: ((e: NodeJS.ErrnoException) => void) | undefined;

  /** Refreshes the log's time: the run is alive. */
  beat(): void {
    if (this.fd < 0) return;
    const now = new Date();
    try {
      fs.futimesSync(this.fd, now, now);
    } catch {
      // A heartbeat that fails is retried at the next one.
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // Closed it is.
    }
    this.fd = -1;
  }
}

/** Syncs a folder's entries to disk (where a folder can be opened: not on Windows). */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // A file system that cannot sync a folder syncs its entries with the files.
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether the process `pid` on `host` still runs: on this host, by asking the system; on
 * another, by its heartbeat (`lastBeat`, ms) being recent. */
export function processLives(pid: number, host: string, lastBeat: number): boolean {
  if (host === hostName) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
    }
    // A process killed but not yet reaped by its parent (a zombie) is dead too (Linux).
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state === "Z" || state === "X") return false;
    } catch {
      // No /proc (macOS), or it went away: kill() answered.
    }
    return true;
  }
  return Date.now() - lastBeat < heartbeatTimeout();
}

/** Whether a run that died may have lost the end of its log with the machine: it ran on a
 * machine booted since (or on another host, or where boots cannot be told apart). A run killed
 * on a machine still up wrote every record it made. */
function machineWentDown(log: RunLog): boolean {
  const h = log.header;
  if (h === undefined || log.fin !== undefined || log.live) return false;
  return h.host !== hostName || h.boot === undefined || bootId === undefined || h.boot !== bootId;
}

/** Folds one run's records into the facts. */
export function foldFacts(facts: Facts, log: RunLog): void {
  const started = new Map<string, string>();
  // What an intent record names and the run then neither started nor ended.
  const intended = new Set<string>();
  const lost = machineWentDown(log);
  for (const r of log.records) {
    if (r.k === "intent") {
      if (lost) for (const t of r.t) intended.add(t);
    } else if (r.k === "start") {
      intended.delete(r.t);
      const file = fileOfLoc(r.loc);
      started.set(r.t, file);
      facts.open.set(r.t, { run: log.id, at: r.at, how: "running", file });
    } else if (r.k === "end") {
      intended.delete(r.t);
      const file = started.get(r.t) ?? facts.open.get(r.t)?.file;
      started.delete(r.t);
      if (r.interrupted) facts.open.set(r.t, { run: log.id, at: r.at, how: "interrupted", file });
      else facts.open.delete(r.t);
      if (r.ok) facts.failed.delete(r.t);
      else if (!r.interrupted) facts.failed.set(r.t, { run: log.id, at: r.at, file });
    }
  }
  // Started and never ended: running still, or left incomplete when the run died.
  for (const [t, file] of started) facts.open.set(t, { run: log.id, at: log.lastSeen, how: log.live ? "running" : lost ? "lost" : "killed", file });
  // Announced, and the machine went down: its start may be among the records lost.
  for (const t of intended) facts.open.set(t, { run: log.id, at: log.lastSeen, how: "lost" });
}

/** A file's status, undefined when it cannot be had (missing, a loop of links, no access). */
export function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The makefile of a location (`Makefile:12` → `Makefile`). */
export function fileOfLoc(loc: string): string {
  const m = /^(.*):\d+$/.exec(loc);
  return m ? m[1]! : loc;
}

/** Folds one run's records into the targets' histories. */
export function foldHistory(targets: Map<string, TargetHistory>, log: RunLog): void {
  const get = (name: string): TargetHistory => {
    let t = targets.get(name);
    if (t === undefined) targets.set(name, (t = { name }));
    return t;
  };
  for (const r of log.records) {
    switch (r.k) {
      case "stale":
        get(r.t).stale = { ...r, run: log.id };
        break;
      case "start": {
        const t = get(r.t);
        t.start = { ...r, run: log.id };
        delete t.blocked;
        break;
      }
      case "end":
        get(r.t).end = { ...r, run: log.id };
        break;
      case "blocked":
        get(r.t).blocked = { ...r, run: log.id };
        break;
      case "job":
        get(r.t).job = { ...r, run: log.id };
        break;
      default:
        break;
    }
  }
}
