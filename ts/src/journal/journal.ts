// The build journal of one run: a consumer of the build's events that appends what the build
// decided and did to the run's log (store.ts), and a target signal (staleness.ts) that makes the
// walk remake what the journal says is unfinished: a target whose recipe started and never
// ended (tmake was killed, the machine died), the targets that failed last time (under -k),
// and, when the rerun triggers ask for it, a target whose recipe or variables changed since it
// was built. The build knows it only as a BuildObserver; nothing in the walk tests for it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Messages } from "../messages.js";
import type { RunContext } from "../run-context.js";
import { setStartBarrier } from "../job/start-barrier.js";
import type { BuildEvent, BuildEvents } from "../remake/events.js";
import type { BuildObserver } from "../remake/options.js";
import type { FileNode } from "../remake/files.js";
import type { RecipeExpansion, StaleReason, TargetSignal } from "../remake/staleness.js";
import { StartIntents } from "./intents.js";
import { BuildLock, describeHolder } from "./lock.js";
import { MAX_RECIPE, recipeHash, type EndRecord, type JobRecord, type StartRecord } from "./records.js";
import {
  bootId,
  fileOfLoc,
  HEARTBEAT_MS,
  STATE_DIR,
  hostName,
  statOf,
  JournalStore,
  type FailedTarget,
  type Facts,
  type OpenTarget,
  type RunWriter,
  type TargetHistory,
} from "./store.js";

/** The rerun triggers (--rerun-triggers): GNU's mtime rule is always on. */
export const TRIGGERS = ["mtime", "recipe", "vars"] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** The environment variable that names the runs a recursive make may join: `ID@DIR` entries
 * separated by newlines, DIR being a journal's folder. */
export const RUN_ENV = "TMAKE_RUN";

export interface JournalOptions {
  cwd: string;
  argv: string[];
  makelevel: number;
  /** The run builds (not -n, -q, -t): it writes a log and takes the lock. */
  writes: boolean;
  keepGoing: boolean;
  msg: Messages;
  /** -s: the journal's own lines are not said. */
  silent: boolean;
  /** The runs this one's parents belong to (RUN_ENV). */
  parents: string | undefined;
  /** The run whose recipes' start records go to disk before they run (job/start-barrier.ts). */
  run?: RunContext;
  /** Each recipe's start record is synced to disk before the recipe runs, so that a machine
   * that dies keeps it (correct first: the next run then remakes a target its recipe left
   * half-written, whatever its time). On unless TMAKE_JOURNAL_SYNC=0: each sync commits the
   * file system's journal (the recipes' new files with it), which costs a build of 2,000
   * one-line recipes 15-20% here; a build of real recipes (seconds or more each) does not
   * notice it. A `kill -9` of tmake loses no record either way. */
  syncStarts?: boolean;
}

/** `03:12` of a time. */
function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 5);
}

/** Why a target left open by a run that died is remade, in words. */
function incomplete(o: OpenTarget): string {
  switch (o.how) {
    case "lost":
      return `may have been left incomplete by run ${o.run} (the machine went down after ${clock(o.at)})`;
    case "unwritten":
      return `is not as run ${o.run} left it at ${clock(o.at)} (the machine restarted since)`;
    default:
      return `left incomplete by run ${o.run} (${o.how} at ${clock(o.at)})`;
  }
}

/** Why the journal remakes a target that mtime finds up to date, or undefined. */
export function journalReason(name: string, facts: Facts, keepGoing: boolean, recipeFile: string | undefined): string | undefined {
  const o = facts.open.get(name);
  if (o !== undefined && o.how !== "running" && (o.file === undefined || recipeFile === undefined || o.file === recipeFile)) return incomplete(o);
  if (keepGoing) {
    const f = facts.failed.get(name);
    if (f !== undefined && (f.file === undefined || recipeFile === undefined || f.file === recipeFile)) return `failed in run ${f.run}; retried (-k)`;
  }
  return undefined;
}

/** What the rerun triggers see changed in a target's recipe since `last`, in words. Each change
 * says whether its trigger is on. */
export function triggerChanges(
  last: StartRecord & { run: number },
  now: { commands: string[]; vars: Record<string, string> },
  on: ReadonlySet<Trigger>,
): { trigger: Trigger; text: string }[] {
  const out: { trigger: Trigger; text: string }[] = [];
  if (recipeHash(now.commands) !== last.hash) out.push({ trigger: "recipe", text: `recipe changed since run ${last.run}` });
  const names = new Set([...Object.keys(last.vars), ...Object.keys(now.vars)]);
  for (const n of [...names].sort()) {
    const was = last.vars[n];
    const is = now.vars[n];
    if (was === is) continue;
    const what = was === undefined ? "is now used" : is === undefined ? "is no longer used" : `changed ('${was}' → '${is}')`;
    out.push({ trigger: "vars", text: `variable '${n}' ${what} since run ${last.run}` });
  }
  return out.map((c) => (on.has(c.trigger) ? c : { ...c, text: `${c.text} (not a trigger; add --rerun-triggers ${c.trigger})` }));
}

/** How a name in `cwd` is written in the journal of the tree at `root`: `sub/dir/`. */
function prefixOf(root: string, cwd: string): string {
  const rel = path.relative(root, cwd);
  return rel === "" ? "" : `${rel.split(path.sep).join("/")}/`;
}

/** The journal a run in `cwd` writes to, when it joins a parent's run (RUN_ENV): the outermost
 * parent's whose tree holds `cwd`, so a recursive make in a subdirectory leaves no state folder
 * of its own there. `prefix` leads its target names in that journal. */
export function joinedRun(parents: string | undefined, cwd: string): { run: number; root: string; prefix: string } | undefined {
  for (const entry of (parents ?? "").split("\n")) {
    const at = entry.indexOf("@");
    if (at <= 0) continue;
    const root = path.dirname(path.dirname(entry.slice(at + 1)));
    const rel = path.relative(root, cwd);
    if (rel.startsWith("..") || path.isAbsolute(rel)) continue;
    return { run: Number(entry.slice(0, at)), root, prefix: prefixOf(root, cwd) };
  }
  return undefined;
}

/** The tree whose journal a run in `cwd` uses: the nearest directory at or above `cwd` with a
 * state folder (.tmake/), as git finds .git, so a build in a subdirectory of a tree keeps to the
 * tree's journal and leaves no folder of its own; `cwd` itself when none has one. The file
 * system's root, the home folder and the temporary folder are never taken for a tree. */
export function stateRoot(cwd: string): string {
  const never = new Set([path.parse(cwd).root, os.homedir(), os.tmpdir()]);
  for (let d = cwd; ; d = path.dirname(d)) {
    if (!never.has(d) && fs.existsSync(path.join(d, STATE_DIR))) return d;
    if (path.dirname(d) === d) return cwd;
  }
}

export class Journal implements BuildObserver, TargetSignal {
  readonly name = "journal";
  readonly store: JournalStore;
  /** Leads this run's target names in the journal (a recursive make in a subdirectory). */
  readonly prefix: string;
  private facts: Facts = { open: new Map(), failed: new Map() };
  private writer: RunWriter | undefined;
  private lock: BuildLock | undefined;
  private beat: NodeJS.Timeout | undefined;
  /** The run this one joined (a recursive make in the same tree), if any. */
  private parent: number | undefined;
  private triggers = new Set<Trigger>();
  private history: Map<string, TargetHistory> | undefined;
  /** The targets' histories as they were when this run first asked for a queue job. */
  private jobs: Map<string, TargetHistory> | undefined;
  /** Targets whose recipe started and has not ended yet. */
  private readonly running = new Set<string>();
  /** What this run's records do to the facts, kept as they are written. */
  private readonly own = new OwnFacts();
  /** Targets whose journal line was said. */
  private readonly said = new Set<string>();
  private closed = false;
  /** What the records synced before recipes start name (intents.ts). */
  private readonly intents = new StartIntents(() => this.store.readOrder());
  /** Phony targets whose recipe started: no file of theirs can look finished. */
  private readonly phony = new Set<string>();
  /** No run was recorded in this tree before this one: it listens to every file the walk
   * considers, for the intents to name a target's siblings. */
  private firstRun = false;

  private constructor(
    private readonly opts: JournalOptions,
    joined: { run: number; root: string; prefix: string } | undefined,
  ) {
    const root = joined?.root ?? stateRoot(opts.cwd);
    this.store = new JournalStore(root);
    this.prefix = prefixOf(root, opts.cwd);
    this.parent = joined?.run;
  }

  /** Opens the journal of `opts.cwd`. A run that builds creates its log and takes the build
   * lock (waiting for it, said once), unless it joins a parent's run; then the facts are read. */
  static async open(opts: JournalOptions): Promise<Journal> {
    const j = new Journal(opts, opts.writes ? joinedRun(opts.parents, opts.cwd) : undefined);
    if (opts.writes) {
      const here = j.store.dir;
      j.writer = j.store.createRun({
        pid: process.pid,
        host: hostName,
        at: Date.now(),
        argv: opts.argv,
        cwd: opts.cwd,
        level: opts.makelevel,
        parent: j.parent,
        boot: bootId,
      });
      j.firstRun = j.writer.id === 1;
      j.writer.failed = (e) => opts.msg.error(`the build journal stops: ${j.writer!.file}: ${e.message}`);
      if (j.parent === undefined) {
        j.lock = new BuildLock(here);
        await j.lock.acquire(j.writer.id, (h) => opts.msg.message(`waiting for the build lock of this tree, held by ${describeHolder(h)}`));
      }
      j.beat = setInterval(() => j.writer?.beat(), HEARTBEAT_MS);
      j.beat.unref();
      // A record naming a recipe's target is put on disk before its first command.
      if (opts.run !== undefined && opts.syncStarts === true) setStartBarrier(opts.run, (target) => j.passStart(target));
    }
    if (j.store.exists()) j.facts = j.store.facts().facts;
    return j;
  }

  /** Reads the journal again (the console, after a build of its own): what later runs wrote
   * is known from now on. */
  reload(): void {
    this.facts = this.store.exists() ? this.store.facts().facts : { open: new Map(), failed: new Map() };
    this.history = undefined;
    this.jobs = undefined;
  }

  /** The run's id (when it writes). */
  get runId(): number | undefined {
    return this.writer?.id;
  }

  /** What recipes get in their environment: this run, for a recursive make to join. */
  get recipeEnv(): Record<string, string> | undefined {
    if (this.writer === undefined) return undefined;
    const mine = `${this.parent ?? this.writer.id}@${this.store.dir}`;
    const parents = this.opts.parents;
    return { [RUN_ENV]: parents ? `${parents}\n${mine}` : mine };
  }

  /** The rerun triggers in force (mtime is always on). */
  useTriggers(triggers: readonly Trigger[]): void {
    this.triggers = new Set(triggers.filter((t) => t !== "mtime"));
  }

  get targetSignal(): TargetSignal {
    return this;
  }

  // ---- the target signal -------------------------------------------------------------------------

  targetStale(target: FileNode, recipes: RecipeExpansion): string | undefined {
    const { facts } = this;
    if (facts.open.size > 0 || (this.opts.keepGoing && facts.failed.size > 0)) {
      const why = journalReason(this.prefix + target.name, facts, this.opts.keepGoing, target.recipe?.loc.file);
      if (why !== undefined) return why;
    }
    if (this.triggers.size === 0) return undefined;
    this.history ??= this.store.exists() ? this.store.history().targets : new Map<string, TargetHistory>();
    const last = this.history.get(this.prefix + target.name);
    if (last?.start === undefined || last.end?.ok !== true || last.end.run !== last.start.run) return undefined;
    const now = recipes.expandRecipe(target);
    if (now === undefined) return undefined;
    const change = triggerChanges(last.start, now, this.triggers).find((c) => this.triggers.has(c.trigger));
    return change?.text;
  }

  // ---- the events ---------------------------------------------------------------------------------

  /** Listens to a phase's events when there is something to do with them: records to write,
   * or a line to say about a target the journal remakes. A dry run over a tree the journal has
   * nothing to say about makes no event at all. */
  attach(events: BuildEvents): () => void {
    const { facts } = this;
    const says = facts.open.size > 0 || (this.opts.keepGoing && facts.failed.size > 0) || this.triggers.size > 0;
    if (this.writer === undefined && !says) return () => undefined;
    // The first run in a tree has no earlier order to expect recipes in (intents.ts).
    return events.on((e) => this.record(e), this.firstRun);
  }

  private say(target: string, why: string): void {
    if (this.said.has(target) || this.opts.silent) return;
    this.said.add(target);
    this.opts.msg.out(`${target}: ${why}; remaking\n`);
  }

  private record(e: BuildEvent): void {
    const w = this.writer;
    switch (e.type) {
      case "considered":
        if (w !== undefined && e.prereqs.length > 1) this.intents.considered(e.prereqs.map((p) => this.prefix + p));
        return;
      case "stale": {
        if (e.reason.kind === "target-changed" && e.reason.signal === this.name) this.say(e.target, e.reason.detail);
        else if (e.hasRecipe) {
          const o = this.facts.open.get(this.prefix + e.target);
          if (o !== undefined && o.how !== "running") this.say(e.target, incomplete(o));
        }
        if (w === undefined) return;
        const why = e.reason.kind === "target-changed" ? e.reason.detail : describeReasonShort(e.target, e.reason);
        w.append({ k: "stale", t: this.prefix + e.target, at: Date.now(), kind: e.reason.kind, why });
        return;
      }
      case "recipe-started": {
        if (w === undefined || !e.runs) return;
        const commands = e.commands as string[];
        const size = commands.reduce((n, c) => n + c.length, 0);
        const loc = e.loc.line > 0 ? `${e.loc.file}:${e.loc.line}` : e.loc.file;
        this.running.add(e.target);
        if (e.phony) this.phony.add(this.prefix + e.target);
        else this.intents.recipeStarted(this.prefix + e.target);
        this.own.started(this.prefix + e.target, w.id, loc);
        w.append({
          k: "start",
          t: this.prefix + e.target,
          at: Date.now(),
          loc,
          recipe: size <= MAX_RECIPE ? commands : undefined,
          hash: recipeHash(commands),
          vars: e.vars as Record<string, string>,
          phony: e.phony || undefined,
        });
        return;
      }
      case "recipe-finished": {
        if (w === undefined || !this.running.delete(e.target)) return;
        const r = e.result;
        const rec: EndRecord = { k: "end", t: this.prefix + e.target, at: Date.now(), ok: e.ok, ms: Math.round(r?.durationMs ?? e.durationMs) };
        if (r?.status !== undefined && !e.ok) rec.status = r.status;
        if (r?.signal !== undefined) rec.signal = r.signal;
        if (r?.failed !== undefined) {
          rec.cmd = r.failed.command;
          rec.loc = r.failed.loc.line > 0 ? `${r.failed.loc.file}:${r.failed.loc.line}` : r.failed.loc.file;
        }
        if (r?.deleted !== undefined && r.deleted.length > 0) rec.deleted = r.deleted;
        if (e.ok && !this.phony.has(rec.t)) {
          const st = statOf(path.resolve(this.opts.cwd, e.target));
          if (st?.isFile() === true) {
            rec.size = st.size;
            rec.mtime = st.mtimeMs;
          }
        }
        const out = r?.output;
        if (out !== undefined) {
          // Everything kept of a failure; of a success, its last 4 KB per stream.
          const keep = e.ok ? 4096 : Infinity;
          const cut = (b: Buffer): Buffer => (b.length > keep ? b.subarray(b.length - keep) : b);
          const o = cut(out.out);
          const er = cut(out.err);
          if (o.length > 0) rec.out = o.toString("utf8");
          if (er.length > 0) rec.err = er.toString("utf8");
          if (out.merged) rec.merged = true;
          const dropped: [number, number] = [out.dropped[0] + out.out.length - o.length, out.dropped[1] + out.err.length - er.length];
          if (dropped[0] > 0 || dropped[1] > 0) rec.dropped = dropped;
        }
        w.append(rec);
        this.own.ended(rec, w.id);
        this.intents.recipeEnded(rec.t, rec.ms ?? 0);
        return;
      }
      case "not-remade":
        w?.append({ k: "blocked", t: this.prefix + e.target, at: Date.now() });
        return;
      default:
        return;
    }
  }

  // ---- durable starts (intents.ts) ---------------------------------------------------------------

  /** What comes before the first command of `target`'s recipe (job/start-barrier.ts): an intent
   * naming it on disk, written and synced now unless one is there already. Phony targets have no
   * file that could look finished, and need none. */
  private passStart(target: string): void {
    const w = this.writer;
    const name = this.prefix + target;
    if (w === undefined || this.phony.has(name)) return;
    const names = this.intents.intentFor(name);
    if (names === undefined) return;
    w.append({ k: "intent", at: Date.now(), t: names });
    w.durable();
    this.intents.synced(names);
  }

  // ---- queue jobs (issue 14) ----------------------------------------------------------------------

  /** A queue engine's job for `target` was submitted, or reached a state: recorded in this
   * run's log (a run that does not write records nothing). */
  recordJob(target: string, job: Omit<JobRecord, "k" | "t" | "at">): void {
    this.writer?.append({ k: "job", t: this.prefix + target, at: Date.now(), ...job });
  }

  /** The last queue job recorded for `target` by an earlier run (read once per run). */
  lastJob(target: string): (JobRecord & { run: number }) | undefined {
    this.jobs ??= this.store.exists() ? this.store.history().targets : new Map<string, TargetHistory>();
    const job = this.jobs.get(this.prefix + target)?.job;
    return job !== undefined && job.run !== this.writer?.id ? job : undefined;
  }

  /** Every target's last queue job recorded by an earlier run, with the target's name as this
   * run sees it. */
  allJobs(): [string, JobRecord & { run: number }][] {
    this.jobs ??= this.store.exists() ? this.store.history().targets : new Map<string, TargetHistory>();
    const out: [string, JobRecord & { run: number }][] = [];
    for (const [name, h] of this.jobs)
      if (h.job !== undefined && name.startsWith(this.prefix) && h.job.run !== this.writer?.id) out.push([name.slice(this.prefix.length), h.job]);
    return out;
  }

  // ---- the end --------------------------------------------------------------------------------------

  /** tmake dies of `signal`: the recipes it was running are recorded as interrupted. */
  interrupted(signal: string): void {
    const w = this.writer;
    if (w !== undefined)
      for (const t of this.running) {
        const rec: EndRecord = { k: "end", t: this.prefix + t, at: Date.now(), ok: false, signal, interrupted: true };
        w.append(rec);
        this.own.ended(rec, w.id);
      }
    this.running.clear();
    this.close(128, signal);
  }

  /** The run is over: its end is recorded, the summary folded (by the lock's holder), the lock
   * let go. */
  close(status: number, signal?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.beat !== undefined) clearInterval(this.beat);
    const w = this.writer;
    if (w === undefined) return;
    if (this.opts.run !== undefined) setStartBarrier(this.opts.run, undefined);
    w.append({ k: "fin", at: Date.now(), status, signal });
    w.close();
    try {
      const order = this.intents.orderToKeep();
      if (order !== undefined) this.store.writeOrder(order);
      if (this.lock !== undefined) this.store.fold({ id: w.id, fold: (facts) => this.own.foldInto(facts) });
    } catch {
      // The summary could not be written: the next run folds this run's log itself.
    } finally {
      this.lock?.release();
    }
  }
}

/** A stale reason in a few words, for the journal. */
function describeReasonShort(target: string, r: StaleReason): string {
  switch (r.kind) {
    case "missing":
      return "does not exist";
    case "prereq-remade":
      return `'${r.prereq}' was remade`;
    case "prereq-missing":
      return `'${r.prereq}' does not exist`;
    case "prereq-changed":
      return r.detail;
    case "assumed-new":
      return `'${r.prereq}' assumed new (-W)`;
    case "always-make":
      return "-B";
    case "target-changed":
      return r.detail;
    case "other":
      return target.length > 0 ? "must be remade" : "";
  }
}

/** This run's effect on the facts (store.ts's foldFacts, as the records are written). */
class OwnFacts {
  private readonly open = new Map<string, OpenTarget>();
  private readonly closed = new Set<string>();
  private readonly failed = new Map<string, FailedTarget>();
  private readonly succeeded = new Set<string>();

  started(t: string, run: number, loc: string): void {
    this.closed.delete(t);
    this.open.set(t, { run, at: Date.now(), how: "killed", file: fileOfLoc(loc) });
  }

  ended(r: EndRecord, run: number): void {
    const file = this.open.get(r.t)?.file;
    if (r.interrupted) this.open.set(r.t, { run, at: r.at, how: "interrupted", file });
    else {
      this.open.delete(r.t);
      this.closed.add(r.t);
    }
    if (r.ok) {
      this.failed.delete(r.t);
      this.succeeded.add(r.t);
    } else if (!r.interrupted) {
      this.succeeded.delete(r.t);
      this.failed.set(r.t, { run, at: r.at, file });
    }
  }

  foldInto(facts: Facts): void {
    for (const t of this.closed) facts.open.delete(t);
    for (const [t, o] of this.open) facts.open.set(t, o);
    for (const t of this.succeeded) facts.failed.delete(t);
    for (const [t, f] of this.failed) facts.failed.set(t, f);
  }
}
