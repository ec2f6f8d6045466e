// The update walk (GNU's remake.c: update_file, update_file_1, check_dep, remake_file and
// notice_finished_file): each file's prerequisites are brought up to date first, then the
// file is remade when it is missing or a prerequisite changed (the staleness signal decides
// that), by its recipe (recipes.ts). Biomake's goals are tested where biomake tests them
// (biomake-goals.ts). Under -j a recipe runs in the background and a file waiting for one is
// decided on in a later pass (goal-chain.ts).
//
// One walk per phase: remaking the makefiles, then updating the goals, each with its own
// options and scheduler.
import type { Scheduler } from "../job/scheduler.js";
import { runnerOf } from "../job/runner.js";
import type { PhaseOptions, RemakeContext } from "./context.js";
import { CommandState, NO_DEPS, Status, type FileNode } from "./files.js";
import { NEW, NONEXISTENT } from "./fscache.js";
import type { Mtimes } from "./mtimes.js";
import type { TargetVariables } from "./target-vars.js";
import type { ImplicitRules } from "./implicit-rules.js";
import { drive, type Step } from "./step.js";
import { Recipes, recursiveLineFlags, setCommandState, type Chained, type RecipeEnd } from "./recipes.js";
import type { BuildEvents } from "./events.js";
import type { StaleReason, StalenessSignal, TargetSignal } from "./staleness.js";
import { DEPS_RUNNING, outOfDateWithoutDeps, RULE_REPLACED, testDepsGoal, testTargetGoal } from "./biomake-goals.js";

/** The parts of the remake stage a walk uses (one set per file table; see Remaker). */
export interface WalkParts {
  ctx: RemakeContext;
  mtimes: Mtimes;
  vars: TargetVariables;
  implicit: ImplicitRules;
  signal: StalenessSignal;
  /** A signal about targets on their own account (the journal's), when the run has one. */
  targetSignal?: TargetSignal;
  events: BuildEvents;
  /** Files whose "considered" event was sent (once per file, across phases). */
  considered: WeakSet<FileNode>;
}

/** What checking one prerequisite tells the file that needs it (GNU's check_dep returns its
 * status and sets must_make through a pointer). One per file being updated, reused for each
 * of its prerequisites, so the hot path allocates nothing per prerequisite. */
class DepCheck {
  /** The prerequisite's update status. */
  status: Status = Status.Success;
  /** The file that needs it must now be made. */
  mustMake = false;
  /** makeIntermediates: an intermediate prerequisite's recipe is held by a chaining runner. */
  chained = false;
}

/** -j: the file's recipe, or a prerequisite's, is still running (for a `::` file, any
 * entry's): GNU's test of command_state after check_dep. */
function busy(f: FileNode): boolean {
  const entries = f.owner.dcEntries;
  if (entries === undefined) return f.commandState !== CommandState.NotStarted;
  for (const e of entries) if (e.commandState !== CommandState.NotStarted) return true;
  return false;
}

/** A batch runner that chains recipes (JobRunner.chains) holds this prerequisite's recipe in
 * flight: the file that needs it is submitted at once, waiting for it in the scheduler. */
function inFlight(f: FileNode): boolean {
  return f.owner.dcEntries === undefined && f.commandState === CommandState.Running;
}

export class UpdateWalk implements RecipeEnd {
  private readonly ctx: RemakeContext;
  private readonly mtimes: Mtimes;
  private readonly implicit: ImplicitRules;
  private readonly signal: StalenessSignal;
  private readonly events: BuildEvents;
  private readonly recipes: Recipes;
  /** The runner chains recipes: a prerequisite whose recipe it holds counts as remade, and the
   * file that needs it is handed over at once (full-width submission). */
  private readonly chains: boolean;
  /** The signal is a deferred one (see staleness.ts): it judges a file's prerequisites once
   * all of them are up to date, after prepare(). */
  private readonly deferred: boolean;

  constructor(
    private readonly parts: WalkParts,
    /** The phase's options (the makefiles are remade without -n, -t, -q). */
    readonly opts: PhaseOptions,
    /** -j: recipes start in the background and the walk goes on; undefined while recipes run
     * one at a time. */
    readonly jobs: Scheduler | undefined,
  ) {
    this.ctx = parts.ctx;
    this.mtimes = parts.mtimes;
    this.implicit = parts.implicit;
    this.signal = parts.signal;
    this.events = parts.events;
    this.deferred = parts.signal.prepare !== undefined;
    this.recipes = new Recipes(parts.ctx, parts.vars, parts.mtimes, parts.implicit.search, opts, jobs, parts.events, this);
    this.chains = jobs !== undefined && runnerOf(opts.run).chains === true;
  }

  /** Updates a file (GNU's update_file) and resolves to its status. */
  update(file: FileNode, depth = 0): Promise<Status> {
    return drive(this.updateFile(file, depth));
  }

  private *updateFile(file: FileNode, depth: number): Step<Status> {
    const owner = file.owner;
    const entries = owner.dcEntries;
    if (entries === undefined) return yield* this.updateFile1(owner, depth);
    let status = Status.Success;
    for (const f of entries) {
      const s = yield* this.updateFile1(f, depth);
      if (s !== Status.Success && !this.opts.keepGoing) return s;
      // -j: the next entry waits until this one's recipe is done (GNU).
      if (f.commandState !== CommandState.NotStarted) return Status.Success;
      if (s > status) status = s;
    }
    return status;
  }

  // updateFile1 is a generator made for every file the build looks at, and a generator holds
  // every register of its function: the parts that need not wait are methods of their own, so
  // that a null build over 100k files allocates small generators.

  private *updateFile1(file: FileNode, depth: number): Step<Status> {
    if (file.updated) return this.updatedStatus(file);
    // -j: its recipe is running; whoever needs it waits for a later pass.
    if (file.commandState === CommandState.Running) return Status.Success;
    const { opts, mtimes } = this;
    file.noDiag = file.dontcare;
    // GNU's start_updating: a `::` entry marks the target as a whole, so an entry that
    // depends on its own target is a circular dependency.
    file.owner.updating = true;
    if (file.targetGoal !== undefined) testTargetGoal(this.ctx, file);
    const thisMtime = mtimes.of(file);
    if (file.renamed !== undefined) {
      // Found under another node's name: that node is the one to update (GNU's check_renamed).
      file.updating = false;
      return yield* this.updateFile(file.current, depth);
    }
    const noexist = thisMtime === NONEXISTENT;
    let mustMake = noexist;
    this.findRecipe(file, depth);

    const early = mtimes.takeEarly(file);
    if (early !== undefined) yield early;
    // What an early batch did not give (all of it, if a recipe ran since it started).
    const ahead = mtimes.prefetchDepTimes(file);
    // A deferred signal fetches ahead what the prerequisites' decisions need, meanwhile.
    const signalAhead = this.deferred ? this.signal.prefetch?.(file) : undefined;
    if (ahead !== undefined) yield ahead;
    if (signalAhead !== undefined) yield signalAhead;
    let depStatus: Status;
    /** -j: some prerequisite's recipe is still running (GNU's `running`). */
    let running = false;
    /** A chaining runner holds some prerequisite's recipe: the file is remade, chained to it. */
    let chained = false;
    let check: DepCheck | undefined;
    for (;;) {
      depStatus = Status.Success;
      const also = file.alsoMake;
      for (let a = -1; a < also.length; a++) {
        const af = a < 0 ? file : also[a]!;
        for (let i = 0; i < af.deps.length;) {
          const d = af.deps[i]!;
          const mtime = mtimes.of(d.file);
          if (d.file.renamed !== undefined) d.file = d.file.current;
          if (d.file.owner.updating || d.file.updating) {
            this.ctx.msg.error(`Circular ${af.name} <- ${d.file.name} dependency dropped.`);
            af.deps.splice(i, 1);
            continue;
          }
          if (opts.noDependencies) {
            if (outOfDateWithoutDeps(af, d, thisMtime, mtimes.of(d.file), this.signal)) mustMake = true;
            i++;
            continue;
          }
          const f = d.file;
          f.owner.parent = af;
          let st: Status;
          let mm: boolean;
          // A deferred signal judges an intermediate file that exists like any prerequisite.
          if (f.phony || !f.intermediate || (this.deferred && mtimes.of(f) !== NONEXISTENT)) {
            // check_dep for a file that is not intermediate, inline: a prerequisite shared by
            // many targets is found updated here without starting a generator each time.
            if (f.updated && f.status <= Status.None && f.dcEntries === undefined) st = Status.Success;
            else {
              // While remaking the makefiles, a prerequisite of a "don't care" file is one too.
              const dontcare = f.dontcare;
              if (opts.rebuildingMakefiles) f.dontcare = af.dontcare;
              f.updating = true;
              st = f.dcEntries === undefined ? yield* this.updateFile1(f, depth + 1) : yield* this.updateFile(f, depth + 1);
              f.updating = false;
              if (opts.rebuildingMakefiles) f.dontcare = dontcare;
            }
            mm = mustMake || this.outOfDate(af, thisMtime, f);
          } else {
            check ??= new DepCheck();
            yield* this.checkDep(af, f, depth + 1, thisMtime, mustMake, check);
            st = check.status;
            mm = check.mustMake;
          }
          if (st > depStatus) depStatus = st;
          if (!d.orderOnly) mustMake = mm;
          let held = false;
          if (this.jobs !== undefined && busy(d.file)) {
            if (this.chains && inFlight(d.file) && this.recipes.handsOver(file)) held = chained = true;
            else running = true;
          }
          if (held && !d.orderOnly) mustMake = true;
          if (depStatus !== Status.Success && !opts.keepGoing) break;
          if (!running) d.changed = held || mtimes.of(d.file) !== mtime || mtime === NONEXISTENT;
          i++;
        }
        if (depStatus !== Status.Success && !opts.keepGoing) break;
      }
      // Biomake: a deps goal that fails sends the search on to the next rule or split. With
      // prerequisites still in a queue, tmake decides on the worker once they are made.
      if (depStatus === Status.Success && !running && !chained && file.depsGoal && file.bindings) {
        const goal = yield* testDepsGoal(
          this.ctx,
          this.implicit,
          opts,
          file,
          depth,
          (f, dd) => this.updateFile(f, dd),
          (f) => this.jobs !== undefined && busy(f),
        );
        if (goal === RULE_REPLACED) continue;
        if (goal === DEPS_RUNNING) running = true;
        else depStatus = goal;
      }
      break;
    }

    if (mustMake || opts.alwaysMake) {
      const inter = check ?? new DepCheck();
      yield* this.makeIntermediates(file, depth, depStatus, running, inter);
      depStatus = inter.status;
      if (inter.mustMake) running = true;
      if (inter.chained) chained = mustMake = true;
    }
    // A deferred signal decides once every prerequisite is up to date and there (a missing
    // intermediate one made above is judged by its content like any other; see staleness.ts).
    // With prerequisites still in a queue, the job decides on the worker (biomake).
    if (this.deferred && !noexist && !running && !chained && depStatus === Status.Success && !opts.alwaysMake && this.depsThere(file)) {
      const fetching = this.signal.prepare!(file, thisMtime);
      if (fetching !== undefined) yield fetching;
      mustMake = this.deferredStale(file, thisMtime);
    }
    file.owner.updating = false;
    if (running) {
      // -j: decided on in a later pass, once those recipes are done (GNU's cs_deps_running).
      setCommandState(file, CommandState.DepsRunning);
      return Status.Success;
    }
    if (file.commandState === CommandState.DepsRunning) file.commandState = CommandState.NotStarted;
    if (depStatus !== Status.Success) return this.depsFailed(file, depStatus, depth);
    let targetWhy: string | undefined;
    if (!this.mustRemake(file, mustMake, thisMtime) && (targetWhy = this.targetStale(file, noexist)) === undefined) {
      this.upToDate(file, noexist, depth);
      return Status.Success;
    }
    const o = file.owner;
    if (o.vpathName !== undefined && !this.ctx.vpath.inGpath(o.vpathName, o.name)) {
      o.ignoreVpath = true;
    }
    if (this.events.active)
      this.events.emit({
        type: "stale",
        target: file.name,
        depth,
        reason:
          targetWhy !== undefined ? { kind: "target-changed", signal: this.parts.targetSignal!.name, detail: targetWhy } : this.staleReason(file, thisMtime),
        hasRecipe: file.recipe !== undefined,
      });
    // A deps goal, or content hashes, judge prerequisites still in the queue: on the worker.
    const onWorker = (file.depsGoal !== undefined && file.bindings !== undefined) || this.deferred;
    yield* this.remakeFile(file, depth, chained ? (onWorker ? "decide-on-worker" : "chained") : undefined);
    // -j: the recipe runs in the background; its end finishes the file (see Recipes.execute).
    if ((file.commandState as CommandState) === CommandState.Running) return Status.Success;
    if (file.status === Status.Success) this.release(file);
    return file.status;
  }

  /** Whether updated prerequisite `f` makes `target` (time `targetTime`) out of date: it is
   * missing, the target is, or the staleness signal says it changed. A deferred signal is asked
   * after the loop over the prerequisites (deferredStale), except about a file that is not one
   * of the target's own prerequisites (`direct` false: one below a missing intermediate file),
   * which it has no record of: that one counts as changed. */
  private outOfDate(target: FileNode, targetTime: number, f: FileNode, direct = true): boolean {
    const m = this.mtimes.of(f);
    if (m === NONEXISTENT || targetTime === NONEXISTENT) return true;
    if (this.deferred) return !direct;
    return this.signal.prereqChanged(target, targetTime, f, m);
  }

  /** Whether every normal prerequisite of the file (and of the files made with it) exists. */
  private depsThere(file: FileNode): boolean {
    for (const af of [file, ...file.alsoMake]) for (const d of af.deps) if (!d.orderOnly && this.mtimes.of(d.file) === NONEXISTENT) return false;
    return true;
  }

  /** A deferred signal's decision, after prepare(): the target (or a target made with it) has
   * changed on its own account, or an existing prerequisite changed. */
  private deferredStale(file: FileNode, thisMtime: number): boolean {
    const signal = this.signal;
    for (const af of [file, ...file.alsoMake]) {
      if (signal.targetChanged!(af, thisMtime)) return true;
      for (const d of af.deps) {
        if (d.orderOnly) continue;
        const m = this.mtimes.of(d.file);
        if (m !== NONEXISTENT && signal.prereqChanged(af, thisMtime, d.file, m)) return true;
      }
    }
    return false;
  }

  /** The status of a file already updated, as updateFile1 gives it. */
  private updatedStatus(file: FileNode): Status {
    if (file.status <= Status.None) return Status.Success;
    // Failed silently while remaking the makefiles: needed now, so say why (GNU).
    if (file.noDiag && !file.dontcare) this.complain(file);
    return file.status;
  }

  /** An implicit rule for a file without a recipe (GNU's try_implicit_rule, once), else the
   * .DEFAULT recipe for a file that is no target. */
  private findRecipe(file: FileNode, depth: number): void {
    this.giveRecipe(file);
    if (this.events.everyFile) this.consider(file, depth);
  }

  /** The recipe search itself: an implicit rule, tried once, then .DEFAULT's recipe. */
  private giveRecipe(file: FileNode): void {
    if (!file.phony && !file.recipe && !file.triedImplicit) {
      this.implicit.tryImplicit(file);
      file.triedImplicit = true;
    }
    const dflt = this.ctx.specials.defaultRecipe;
    if (!file.recipe && !file.isTarget && dflt) {
      file.recipe = dflt;
      this.implicit.search.noteDefaultRecipe(file.name);
    }
  }

  /** Sends the "considered" event, once per file with a rule. */
  private consider(file: FileNode, depth: number): void {
    if (this.parts.considered.has(file) || (file.recipe === undefined && file.deps.length === 0)) return;
    this.parts.considered.add(file);
    const prereqs = file.deps.filter((d) => !d.orderOnly).map((d) => d.file.name);
    const loc = file.recipe?.loc;
    const rule = file.patternTarget ?? (loc === undefined ? undefined : loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file);
    this.events.emit({ type: "considered", target: file.name, prereqs, depth, rule });
  }

  /** GNU's check_dep for an intermediate prerequisite (others are checked inline in
   * updateFile1): an intermediate file that does not exist is not made unless the file that
   * needs it must be; its own prerequisites are checked in its place, against `target` (the
   * file being updated, whose time is `thisMtime`). `mustMake` is the caller's must_make so
   * far; the answer is left in `out`. */
  private *checkDep(target: FileNode, file: FileNode, depth: number, thisMtime: number, mustMake: boolean, out: DepCheck): Step<void> {
    let status = Status.Success;
    let mm = mustMake;
    const { opts } = this;
    file.updating = true;
    if (file.phony || !file.intermediate) {
      status = yield* this.updateFile(file, depth);
      if (this.outOfDate(target, thisMtime, file, false)) mm = true;
    } else {
      this.giveRecipe(file);
      const mtime = this.mtimes.of(file);
      if (file.renamed !== undefined) {
        // Directory search found it under another node's name, which took its flags (GNU's
        // check_renamed): go on with that node, so that is the one marked done below.
        file.updating = false;
        file = file.current;
      }
      if (mtime !== NONEXISTENT && (thisMtime === NONEXISTENT || this.deferred || this.signal.prereqChanged(target, thisMtime, file, mtime))) mm = true;
      else {
        if (this.events.everyFile) this.consider(file, depth);
        // -j: looked at afresh unless its own recipe runs (GNU).
        let depsRunning = false;
        if (this.jobs !== undefined && file.commandState !== CommandState.Running) file.commandState = CommandState.NotStarted;
        let inner: DepCheck | undefined;
        for (let i = 0; i < file.deps.length;) {
          const d = file.deps[i]!;
          if (d.file.owner.updating || d.file.updating) {
            this.ctx.msg.error(`Circular ${file.name} <- ${d.file.name} dependency dropped.`);
            file.deps.splice(i, 1);
            continue;
          }
          d.file.owner.parent = file;
          const dontcare = d.file.dontcare;
          if (opts.rebuildingMakefiles) d.file.dontcare = file.dontcare;
          inner ??= new DepCheck();
          yield* this.checkDep(target, d.file, depth + 1, thisMtime, mm, inner);
          if (opts.rebuildingMakefiles) d.file.dontcare = dontcare;
          if (inner.status > status) status = inner.status;
          if (!d.orderOnly) mm = inner.mustMake;
          if (status !== Status.Success && !opts.keepGoing) break;
          if (this.jobs !== undefined && busy(d.file)) depsRunning = true;
          i++;
        }
        if (depsRunning) setCommandState(file, CommandState.DepsRunning);
      }
    }
    file.updating = false;
    out.status = status;
    out.mustMake = mm;
  }

  /** A file to be remade has its intermediate prerequisites made first (GNU). Leaves in `out`
   * the status so far (`depStatus` and theirs), and in out.mustMake whether some
   * prerequisite's recipe is still running (-j; `running` says whether one was before). */
  private *makeIntermediates(file: FileNode, depth: number, depStatus: Status, running: boolean, out: DepCheck): Step<void> {
    const { opts, mtimes } = this;
    let chained = false;
    for (const d of file.deps) {
      if (opts.noDependencies) break; // -N: intermediate prerequisites are not made either
      if (!d.file.intermediate) continue;
      const mtime = mtimes.of(d.file);
      d.file.owner.parent = file;
      const s = yield* this.updateFile(d.file, depth + 1);
      if (s > depStatus) depStatus = s;
      let held = false;
      if (this.jobs !== undefined && busy(d.file)) {
        if (this.chains && inFlight(d.file) && this.recipes.handsOver(file)) held = chained = true;
        else running = true;
      }
      if (depStatus !== Status.Success && !opts.keepGoing) break;
      if (!running) d.changed = held || (file.phony && file.recipe !== undefined) || mtimes.of(d.file) !== mtime;
    }
    out.status = depStatus;
    out.mustMake = running;
    out.chained = chained;
  }

  /** A prerequisite failed: so does the file, and a goal says so under -k. */
  private depsFailed(file: FileNode, depStatus: Status, depth: number): Status {
    file.status = depStatus;
    this.noticeFinished(file);
    if (this.events.active) this.events.emit({ type: "not-remade", target: file.name, depth });
    const { opts } = this;
    if (depth === 0 && opts.keepGoing && !opts.dryRun && !opts.question) {
      this.ctx.msg.error(`Target '${file.name}' not remade because of errors.`);
    }
    return depStatus;
  }

  /** GNU's decision, once the prerequisites are up to date, whether the file must be remade
   * (`mustMake` is what they said so far); marks the prerequisites that changed for $?. */
  private mustRemake(file: FileNode, mustMake: boolean, thisMtime: number): boolean {
    const noexist = thisMtime === NONEXISTENT;
    let depsChanged = false;
    for (const d of file.deps) {
      const dMtime = this.mtimes.of(d.file);
      if (!d.orderOnly) {
        if (dMtime === NONEXISTENT && !d.file.intermediate) mustMake = true;
        depsChanged ||= d.changed;
      }
      if (!d.changed && (noexist || (dMtime !== NONEXISTENT && this.signal.prereqChanged(file, thisMtime, d.file, dMtime)))) d.changed = true;
    }
    const { opts } = this;
    if (file.doubleColon && file.deps.length === 0) return true;
    if (!noexist && file.isTarget && !depsChanged && !file.recipe && !opts.alwaysMake) return false;
    if (!mustMake && file.recipe && opts.alwaysMake) return true;
    return mustMake;
  }

  /** The target signal's reason to remake an existing file with a recipe that GNU's rule finds
   * up to date (see staleness.ts), or undefined. -o files never get here (they start updated). */
  private targetStale(file: FileNode, noexist: boolean): string | undefined {
    const signal = this.parts.targetSignal;
    if (signal === undefined || noexist || file.recipe === undefined || file.phony || file.doubleColon) return undefined;
    return signal.targetStale(file, this.recipes);
  }

  /** Why the walk remakes `file` (for the events), from the facts mustRemake looked at. */
  private staleReason(file: FileNode, thisMtime: number): StaleReason {
    const normal = file.deps.filter((d) => !d.orderOnly);
    const assumedNew = normal.find((d) => this.ctx.opts.assumeNew.includes(d.file.name));
    if (assumedNew) return { kind: "assumed-new", prereq: assumedNew.file.name };
    if (thisMtime === NONEXISTENT) return { kind: "missing" };
    const signal = this.signal;
    const targetWhy = signal.targetReason?.(file, thisMtime);
    if (targetWhy !== undefined) return { kind: "target-changed", signal: signal.name, detail: targetWhy };
    // A deferred signal: a prerequisite remade with the same content changes nothing.
    const rebuilt = normal.find((d) => d.file.ran && (!this.deferred || signal.prereqChanged(file, thisMtime, d.file, this.mtimes.of(d.file))));
    if (rebuilt) {
      const detail = this.deferred ? signal.describeChange(file, thisMtime, rebuilt.file, this.mtimes.of(rebuilt.file)) : undefined;
      return { kind: "prereq-remade", prereq: rebuilt.file.name, detail };
    }
    const unbuilt = normal.find((d) => this.mtimes.of(d.file) === NONEXISTENT);
    if (unbuilt) return { kind: "prereq-missing", prereq: unbuilt.file.name };
    for (const d of normal) {
      const m = this.mtimes.of(d.file);
      if (this.signal.prereqChanged(file, thisMtime, d.file, m)) {
        return { kind: "prereq-changed", prereq: d.file.name, signal: this.signal.name, detail: this.signal.describeChange(file, thisMtime, d.file, m) };
      }
    }
    if (this.opts.alwaysMake) return { kind: "always-make" };
    return { kind: "other" };
  }

  /** The file need not be remade. Its status stays "none" (GNU), so -t does not touch it and
   * it is never deleted as an intermediate. */
  private upToDate(file: FileNode, noexist: boolean, depth: number): void {
    if (this.events.everyFile)
      this.events.emit({ type: "up-to-date", target: file.name, depth, hasRule: file.recipe !== undefined || file.deps.length > 0, exists: !noexist });
    this.noticeFinished(file);
    this.release(file);
  }

  /** A file that is done, and did not fail, is never looked at through its prerequisites or
   * wildcard bindings again: drop them, so a large build holds less as it goes. Not for a
   * failed file (GNU names the prerequisite that failed), nor an intermediate one (check_dep
   * walks its prerequisites for every target that needs it), nor grouped or `::` targets. */
  release(file: FileNode): void {
    if (file.intermediate || file.alsoMake.length > 0 || file.dcOwner !== undefined) return;
    file.deps = NO_DEPS;
    file.bindings = undefined;
  }

  /** GNU's remake_file: a file without a recipe is done (or, when nothing makes it and it is
   * no target, "No rule to make target"); else its recipe runs as -n/-t/-q allow.
   * `chained`: some prerequisite's recipe is still in a chaining runner's hands, so the recipe
   * goes to it whatever it holds ("decide-on-worker": its deps goal waits for them too, and the
   * job runs tmake for it on the worker). */
  private *remakeFile(file: FileNode, depth: number, chained?: Chained): Step<void> {
    if (!file.recipe) {
      if (file.phony || file.isTarget) file.status = Status.Success;
      else {
        this.complain(file);
        file.status = Status.Failed;
      }
    } else {
      const recursive = recursiveLineFlags(file.recipe);
      if (!this.opts.touch || recursive.some((r) => r)) {
        yield* this.recipes.execute(file, depth, chained);
        return;
      }
      file.status = Status.Success;
    }
    this.noticeFinished(file);
  }

  /** "No rule to make target": fatal, or under -k said and the walk goes on. */
  private complain(file: FileNode): void {
    const { opts } = this;
    if (opts.rebuildingMakefiles && file.dontcare) return;
    // A file that failed silently may have failed because of a prerequisite: name that one.
    if (file.noDiag) {
      const failed = file.deps.find((d) => d.file.updated && d.file.status > Status.None);
      if (failed) {
        this.complain(failed.file);
        return;
      }
      file.noDiag = false;
    }
    opts.showGoalError?.();
    const parent = file.owner.parent;
    let msg = parent ? `No rule to make target '${file.name}', needed by '${parent.name}'` : `No rule to make target '${file.name}'`;
    // Biomake: the rule that would have made it was ruled out by its goal.
    if (file.goalFailure !== undefined) msg += `: ${file.goalFailure}`;
    if (!opts.keepGoing) this.ctx.msg.fatal(msg);
    this.ctx.msg.error(`*** ${msg}.`);
  }

  /** The file's recipe is about to run for real. */
  starting(file: FileNode): void {
    this.signal.targetStarting?.(file);
  }

  /** GNU's notice_finished_file: the file is updated; what is known of its time afterwards. */
  noticeFinished(file: FileNode): void {
    const { opts, mtimes } = this;
    const ran = file.ran;
    file.updated = true;
    let touched = false;
    if (opts.touch && file.status === Status.Success) {
      const allRecursive = file.recipe !== undefined && recursiveLineFlags(file.recipe).every((r) => r);
      if (!allRecursive && !file.phony && file.recipe) {
        this.recipes.touch(file);
        this.ctx.commandsStarted++;
        file.mtime = NEW;
        touched = true;
      }
    }
    if ((ran && !file.phony) || touched) {
      let newTime: number | undefined;
      if ((opts.question || opts.dryRun || opts.touch) && file.recipe) {
        const flags = recursiveLineFlags(file.recipe);
        newTime = flags.every((r) => r) ? undefined : NEW;
      } else if (file.isTarget && !file.recipe) newTime = NEW;
      if (!touched) {
        if (newTime === undefined) mtimes.forget(file);
        else file.mtime = newTime;
      }
      if (ran && file.status === Status.Success && !opts.dryRun && !opts.question && !opts.touch) this.signal.targetBuilt?.(file);
      else if (touched && !opts.dryRun) this.signal.targetBuilt?.(file, true);
    }
    const entries = file.dcOwner?.dcEntries;
    if (entries !== undefined && entries.every((e) => e.updated)) {
      // The last `::` entry is done: from now on they are one file with the newest time
      // (an unknown time counts as newest), as GNU's notice_finished_file does.
      let max = file.mtime;
      for (const e of entries) if (max !== undefined && (e.mtime === undefined || e.mtime > max)) max = e.mtime;
      for (const e of entries) e.mtime = max;
    }
    // Its recipe ran for the rule's other targets too (if it did not run, nothing is known of
    // them: GNU marks them only when a recipe was tried).
    if (ran && file.status !== Status.None)
      for (const a of file.alsoMake) {
        a.updated = true;
        a.status = file.status;
        a.ran = file.ran;
        if (!a.phony) {
          if (file.mtime === NEW) a.mtime = NEW;
          else mtimes.forget(a);
        }
      }
  }
}
