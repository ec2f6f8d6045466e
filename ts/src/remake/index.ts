// Entry points of the build stage: `build` updates the goals as GNU Make does and returns the
// exit status; `remakeMakefiles` first tries to update the makefiles and included files (the CLI
// re-reads them when this returns true, as GNU re-executes itself).
import { MakeError } from "../messages.js";
import type { Database } from "../read/database.js";
import { Remaker } from "./remaker.js";
import type { PhaseOptions, TableOptions } from "./context.js";
import { Status, type FileNode } from "./files.js";
import type { Scheduler } from "../job/scheduler.js";
import type { BuildOptions } from "./options.js";
import { writeErr } from "../output.js";
import { onInterrupt } from "../job/index.js";
import { Dying } from "../job/scheduler.js";
import { parallelJobs, updateGoalChain } from "./goal-chain.js";
import { biomakeReport } from "./biomake-goals.js";
import { whyReport } from "./why-report.js";
import { isSearchTraceWord } from "../implicit/trace.js";
import { NONEXISTENT } from "./fscache.js";

export type { BuildOptions } from "./options.js";
export type { GoalEvaluator, GoalContext } from "../implicit/goals.js";

/** Says a fatal error (GNU's fatal() prints, then the run ends); anything else is a bug and
 * goes on up. */
function report(e: unknown, opts: BuildOptions): void {
  if (!(e instanceof MakeError)) throw e;
  const msg = opts.run.msg;
  msg.err(`${msg.format(e)}\n`);
}

/** The file table of each database. GNU keeps one file table for the whole run: files updated
 * while remaking the makefiles are not updated again for the goals (`make dep` where the
 * Makefile depends on dep says "'dep' is up to date"), and the table is built once. */
const tables = new WeakMap<Database, Remaker>();

/** Options the file table is built from: a table is shared only when they agree. */
function sameTable(a: TableOptions, b: TableOptions): boolean {
  const same = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.cwd === b.cwd &&
    a.noBuiltinRules === b.noBuiltinRules &&
    a.goalEvaluator === b.goalEvaluator &&
    a.run === b.run &&
    a.signal?.key === b.signal?.key &&
    same(a.assumeNew, b.assumeNew) &&
    same(a.assumeOld, b.assumeOld)
  );
}

function tableFor(db: Database, opts: BuildOptions): Remaker {
  const known = tables.get(db);
  if (known && sameTable(known.opts, opts)) return known;
  // After a restart GNU remakes the makefiles without -W and marks the -W files only then,
  // in the same file table, before the goals.
  if (known && known.opts.assumeNew.length === 0 && sameTable(known.opts, { ...opts, assumeNew: [] })) {
    known.markAssumedNew(opts.assumeNew);
    return known;
  }
  const remaker = new Remaker(db, opts, opts.signal?.create(opts));
  tables.set(db, remaker);
  return remaker;
}

/** Updates the goals (or the default goal). Returns 0 when all went well, 1 under -q when some
 * target is not up to date, 2 on errors. */
export async function build(db: Database, opts: BuildOptions): Promise<number> {
  let remaker: Remaker;
  try {
    remaker = tableFor(db, opts);
  } catch (e) {
    report(e, opts);
    return 2;
  }
  tables.delete(db);
  let status = Status.Success as Status;
  let jobs: Scheduler | undefined;
  // GNU removes the intermediate files it made when it dies of a signal, as at a normal end.
  const forgetInterrupt = onInterrupt(() => remaker.removeIntermediates(opts, true));
  // biomake's -d report of the goals' update (not of the makefiles').
  const stopReport = opts.debug.some((w) => !isSearchTraceWord(w)) ? biomakeReport(remaker.events, remaker.ctx.msg.out) : undefined;
  // --debug=why: each decision of the goals' update, with its reason.
  const stopWhy = opts.debug.includes("why") ? whyReport(remaker.events, remaker.ctx.msg.out) : undefined;
  const stopObserver = opts.observer?.attach(remaker.events, "goals");
  const silent = remaker.runSilent(opts);
  try {
    let goals = opts.goals;
    if (goals.length === 0) {
      const g = remaker.defaultGoal();
      if (g === undefined) remaker.ctx.msg.fatal("No targets");
      goals = [g];
    }
    const files = remaker.enterGoals(goals);
    if (opts.goals.length > 0) for (const f of files) f.cmdTarget = true;
    // A goal is done: say when there was nothing to do. Returns whether to stop.
    const goalDone = (g: string, file: FileNode, s: Status, changed: boolean): boolean => {
      // GNU never says it under -s or -q, nor for a goal that directory search found under
      // another node's name (the goal itself was never updated).
      if ((s === Status.Success || s === Status.None) && !changed && !opts.question && !silent && file.renamed === undefined) {
        const entries = file.dcEntries ?? [file];
        if (file.phony || entries.every((e) => e.recipe === undefined)) remaker.ctx.msg.message(`Nothing to be done for '${g}'.`);
        else remaker.ctx.msg.message(`'${g}' is up to date.`);
      }
      if (s > status && s !== Status.None) status = s;
      return s !== Status.Success && s !== Status.None && !opts.keepGoing;
    };
    jobs = parallelJobs(remaker, opts);
    const walk = remaker.walk(opts, jobs);
    if (jobs !== undefined) {
      const chain = goals.map((g, i) => {
        const file = files[i]!;
        // As GNU: under -j only -q stops the chain; a failed recipe makes the make die.
        return { file, done: (s: Status, changed: boolean) => goalDone(g, file, s, changed) && opts.question };
      });
      await updateGoalChain(walk, remaker.ctx, chain, 0);
      if (jobs.dying !== undefined) status = Status.Failed;
    } else
      for (let i = 0; i < goals.length; i++) {
        const file = files[i]!;
        const before = remaker.ctx.commandsStarted;
        const s = await walk.update(file);
        if (goalDone(goals[i]!, file, s, remaker.ctx.commandsStarted !== before)) break;
      }
  } catch (e) {
    if (!(e instanceof Dying)) report(e, opts);
    status = Status.Failed;
    // GNU's die(): the running recipes are waited for.
    jobs?.die(2);
  }
  if (jobs !== undefined) await jobs.finish();
  forgetInterrupt();
  remaker.removeIntermediates(opts);
  await remaker.settleSignal();
  stopReport?.();
  stopWhy?.();
  stopObserver?.();
  return status === Status.Success ? 0 : status === Status.Question ? 1 : 2;
}

/** The makefiles and included files in the order GNU tries to remake them: the reverse of the
 * order it met them in (its list of files read is a stack), so the last include is remade
 * first and the main makefile last. `db.makefiles` lists the files read, in order;
 * `db.includes` the include lines, in order, each just before the file it read (if any). */
function makefileGoals(db: Database): { name: string; dontcare: boolean }[] {
  const met = new Map<string, boolean>();
  let next = 0;
  // Reads on through db.makefiles until `name` has been met (or to the end).
  const readUpTo = (name: string): void => {
    while (!met.has(name) && next < db.makefiles.length) {
      const m = db.makefiles[next++]!;
      if (!met.has(m)) met.set(m, false);
    }
  };
  for (const inc of db.includes) {
    // The including file was read before its include line; a file found is read just after.
    if (!inc.commandLine) readUpTo(inc.loc.file);
    const name = inc.path ?? inc.name;
    if (inc.path !== undefined && db.makefiles[next] === inc.path) next++;
    if (!met.has(name)) met.set(name, inc.optional);
  }
  for (; next < db.makefiles.length; next++) if (!met.has(db.makefiles[next]!)) met.set(db.makefiles[next]!, false);
  return [...met]
    .filter(([name]) => name !== "-" && name !== "/dev/stdin")
    .map(([name, dontcare]) => ({ name, dontcare }))
    .reverse();
}

/** What remaking the makefiles says besides "read them again". */
export interface MakefilesOutcome {
  /** A makefile that is not optional could not be remade; the failure was reported. Without
   * -k the run must end now with status 2 (GNU dies); with -k, GNU said "Failed to remake
   * makefile 'X'." and the goals are made, the run's status being 2 unless -q says 1. */
  failed: boolean;
  /** A fatal error was said while recipes ran (-j), and they were waited for: the run ends
   * now with status 2, whatever -k says. */
  fatal?: boolean;
}

/** GNU's "remaking makefiles": tries to update every makefile read and every included file.
 * Returns true when any of them changed, so the caller should read the makefiles again. A
 * required file with no rule to make it ends the run with a MakeError; a failed recipe is
 * told through `outcome`. */
export async function remakeMakefiles(db: Database, opts: BuildOptions, outcome: MakefilesOutcome = { failed: false }): Promise<boolean> {
  const detach = opts.observer?.attach(tableFor(db, opts).events, "makefiles");
  try {
    return await remakeEveryMakefile(db, opts, outcome);
  } finally {
    detach?.();
  }
}

async function remakeEveryMakefile(db: Database, opts: BuildOptions, outcome: MakefilesOutcome): Promise<boolean> {
  const remaker = tableFor(db, opts);
  try {
    return await updateMakefiles(db, opts, outcome);
  } finally {
    // Hash records of makefiles remade are written before the makefiles are read again.
    await remaker.settleSignal();
  }
}

/** remakeMakefiles, on the table tableFor gives. */
async function updateMakefiles(db: Database, opts: BuildOptions, outcome: MakefilesOutcome): Promise<boolean> {
  const remaker = tableFor(db, opts);
  const msg = remaker.ctx.msg;
  const names = makefileGoals(db);
  remaker.fetchGoalTimesEarly(opts.goals);
  // GNU's show_goal_error: when making an included makefile that was missing fails, the
  // include line's "No such file or directory" comes first, once.
  // (A missing -f makefile is said as it is read, by the CLI.)
  const missing = new Map(db.includes.filter((i) => i.path === undefined && !i.optional && !i.commandLine).map((i) => [i.name, i]));
  let current: string | undefined;
  // -n, -t and -q do not apply to the makefiles (GNU), and nor does biomake's -N: it says how
  // the goals are made, while the makefiles must be whole before the goals are even known.
  const phase: PhaseOptions = {
    ...opts,
    goals: [],
    dryRun: false,
    touch: false,
    question: false,
    noDependencies: false,
    rebuildingMakefiles: true,
    showGoalError: () => {
      const rec = current === undefined ? undefined : missing.get(current);
      if (rec === undefined) return;
      missing.delete(rec.name);
      writeErr(`${rec.loc.file}:${rec.loc.line}: ${rec.name}: ${rec.error ?? "No such file or directory"}\n`);
    },
  };
  let changed = false;
  const failed: string[] = [];
  const jobs = parallelJobs(remaker, phase);
  const walk = remaker.walk(phase, jobs);
  /** The table is done with: it is not used for the goals (the makefiles are read again, or
   * the run ends), so the intermediates it made go now. */
  const drop = (): void => {
    tables.delete(db);
    remaker.removeIntermediates(phase);
  };

  try {
    // The makefiles to try: a makefile made by a `::` rule without prerequisites would be
    // remade on every read.
    // A makefile that exists but could not be read is missing to GNU (eval_makefile).
    for (const rec of db.includes) if (rec.error !== undefined) remaker.ctx.files.enter(rec.name).mtime = NONEXISTENT;
    const goals = names
      .map(({ name, dontcare }) => ({ name, dontcare, file: remaker.ctx.files.enter(name) }))
      .filter(({ file }) => !file.dcEntries?.some((e) => e.deps.length === 0 && e.recipe));
    const before = new Map(goals.map((g) => [g.file, remaker.mtimes.of(g.file)]));
    // A makefile is done: returns whether to stop.
    const done = (name: string, file: FileNode, dontcare: boolean, s: Status): boolean => {
      if (file.ran && remaker.mtimes.of(file) !== before.get(file)) changed = true;
      if (s === Status.Failed && !dontcare) {
        failed.push(name);
        outcome.failed = true;
        return !opts.keepGoing;
      }
      return false;
    };
    if (jobs !== undefined) {
      const chain = goals.map(({ name, dontcare, file }) => ({
        file,
        // As GNU: "don't care" only while it is made as a makefile.
        enter: () => {
          file.dontcare = dontcare;
          current = name;
        },
        leave: () => {
          file.dontcare = false;
          current = undefined;
        },
        done: (s: Status) => done(name, file, dontcare, s) && false,
      }));
      await updateGoalChain(walk, remaker.ctx, chain, 1);
      if (jobs.dying !== undefined) {
        await jobs.finish();
        outcome.failed = true;
        drop();
        return false;
      }
    } else
      for (const { name, dontcare, file } of goals) {
        file.dontcare = dontcare;
        current = name;
        // Depth 1, as GNU: a makefile is never "not remade because of errors".
        const s = await walk.update(file, 1);
        current = undefined;
        file.dontcare = false; // as GNU: only while it is made as a makefile
        if (done(name, file, dontcare, s)) break;
      }
  } catch (e) {
    if (jobs !== undefined) {
      // GNU says a fatal error at once, then waits for the recipes still running.
      const fatal = e instanceof MakeError;
      if (fatal) writeErr(`${msg.format(e)}\n`);
      if (!(e instanceof Dying)) jobs.die(2);
      await jobs.finish();
      if (fatal) {
        drop();
        outcome.fatal = true;
        return false;
      }
    }
    drop();
    if (e instanceof Dying) {
      outcome.failed = true;
      return false;
    }
    throw e;
  }
  if (opts.keepGoing) for (const name of failed) msg.err(`${msg.prefix}: Failed to remake makefile '${name}'.\n`);
  // GNU removes intermediates made for the makefiles before it re-executes; otherwise the same
  // file table goes on to the goals and removes them at the end.
  if (changed) drop();
  return changed;
}
