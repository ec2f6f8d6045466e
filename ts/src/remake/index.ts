// Entry points of the build stage: `build` updates the goals as GNU Make does and returns the
// exit status; `remakeMakefiles` first tries to update the makefiles and included files (the CLI
// re-reads them when this returns true, as GNU re-executes itself).
import { MakeError } from "../errors.js";
import type { Database } from "../read/database.js";
import { Engine, FatalStop, type EngineOptions } from "./engine.js";
import { Status } from "./files.js";
import type { BuildOptions } from "./options.js";
import { writeErr } from "../output.js";
import { onInterrupt } from "../job/index.js";

export type { BuildOptions } from "./options.js";
export type { GoalEvaluator, GoalContext } from "../implicit/goals.js";

function prefix(opts: BuildOptions): string {
  return opts.makelevel > 0 ? `${opts.programName}[${opts.makelevel}]` : opts.programName;
}

function report(e: unknown, opts: BuildOptions): void {
  if (e instanceof FatalStop) {
    writeErr(`${e.message}\n`);
    return;
  }
  if (e instanceof MakeError) {
    // GNU always appends ".  Stop." (see formatFatal).
    writeErr(e.loc ? `${e.loc.file}:${e.loc.line}: *** ${e.message}.  Stop.\n` : `${prefix(opts)}: *** ${e.message}.  Stop.\n`);
    return;
  }
  throw e;
}

/** The engine (file table) of each database. GNU keeps one file table for the whole run:
 * files updated while remaking the makefiles are not updated again for the goals (`make dep`
 * where the Makefile depends on dep says "'dep' is up to date"), and the table is built once. */
const engines = new WeakMap<Database, Engine>();

/** Options the file table is built from: an engine is shared only when they agree. */
function sameTable(a: BuildOptions, b: BuildOptions): boolean {
  const same = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.cwd === b.cwd &&
    a.noBuiltinRules === b.noBuiltinRules &&
    a.goalEvaluator === b.goalEvaluator &&
    a.programName === b.programName &&
    a.makelevel === b.makelevel &&
    same(a.assumeNew, b.assumeNew) &&
    same(a.assumeOld, b.assumeOld)
  );
}

function engineFor(db: Database, opts: EngineOptions): Engine {
  // From here on the rules are the build's: $(eval) may no longer add any (GNU's snap_deps).
  db.rulesClosed = true;
  const known = engines.get(db);
  if (known && sameTable(known.opts, opts)) {
    known.opts = opts;
    return known;
  }
  const engine = new Engine(db, opts);
  engines.set(db, engine);
  return engine;
}

/** Updates the goals (or the default goal). Returns 0 when all went well, 1 under -q when some
 * target is not up to date, 2 on errors. */
export async function build(db: Database, opts: BuildOptions): Promise<number> {
  let engine: Engine;
  try {
    engine = engineFor(db, opts);
  } catch (e) {
    report(e, opts);
    return 2;
  }
  engines.delete(db);
  let status = Status.Success;
  // GNU removes the intermediate files it made when it dies of a signal, as at a normal end.
  const forgetInterrupt = onInterrupt(() => engine.removeIntermediates(true));
  try {
    let goals = opts.goals;
    if (goals.length === 0) {
      const g = engine.defaultGoal();
      if (g === undefined) engine.fatal("No targets");
      goals = [g];
    } else {
      for (const g of goals) engine.files.enter(g).cmdTarget = true;
    }
    engine.search.prefetch([...goals, ...engine.pendingNames()]);
    for (const g of goals) {
      const file = engine.files.enter(g);
      const before = engine.commandsStarted;
      const s = await engine.update(file);
      // GNU never says it under -s or -q.
      if ((s === Status.Success || s === Status.None) && engine.commandsStarted === before && !opts.question && !engine.runSilent) {
        const entries = file.dcEntries ?? [file];
        if (file.phony || entries.every((e) => e.recipe === undefined)) engine.message(`Nothing to be done for '${g}'.`);
        else engine.message(`'${g}' is up to date.`);
      }
      if (s > status && s !== Status.None) status = s;
      if (s !== Status.Success && s !== Status.None && !opts.keepGoing) break;
    }
  } catch (e) {
    report(e, opts);
    status = Status.Failed;
  } finally {
    forgetInterrupt();
  }
  engine.removeIntermediates();
  return status === Status.Success ? 0 : status === Status.Question ? 1 : 2;
}

/** GNU's "remaking makefiles": tries to update every makefile read and every included file.
 * Returns true when any of them changed, so the caller should read the makefiles again. A
 * required file that cannot be made ends the run with a MakeError. */
export async function remakeMakefiles(db: Database, opts: BuildOptions): Promise<boolean> {
  // -n, -t and -q do not apply to the makefiles (GNU), and nor does biomake's -N: it says how
  // the goals are made, while the makefiles must be whole before the goals are even known.
  const engine = engineFor(db, { ...opts, goals: [], dryRun: false, touch: false, question: false, noDependencies: false, rebuildingMakefiles: true });
  const names: { name: string; dontcare: boolean }[] = [];
  for (const m of db.makefiles) if (m !== "-" && m !== "/dev/stdin") names.push({ name: m, dontcare: false });
  for (const inc of db.includes) {
    const name = inc.path ?? inc.name;
    if (!names.some((n) => n.name === name)) names.push({ name, dontcare: inc.optional });
  }
  let changed = false;
  try {
    for (const { name, dontcare } of names) {
      const file = engine.files.enter(name);
      file.dontcare = dontcare;
      // A makefile made by a `::` rule without prerequisites would be remade on every read.
      if (file.dcEntries?.some((e) => e.deps.length === 0 && e.recipe)) continue;
      const before = engine.fileMtime(file);
      const s = await engine.update(file);
      file.dontcare = false; // as GNU: only while it is made as a makefile
      if (s === Status.Failed && !dontcare && !opts.keepGoing) break;
      if (file.ran && engine.fileMtime(file) !== before) changed = true;
    }
  } catch (e) {
    engines.delete(db);
    engine.removeIntermediates();
    if (e instanceof FatalStop) {
      const text = e.message.replace(/^[^:]*: \*\*\* /, "").replace(/\.\s+Stop\.$/, "");
      throw new MakeError(text);
    }
    throw e;
  }
  // GNU removes intermediates made for the makefiles before it re-executes; otherwise the same
  // file table goes on to the goals and removes them at the end.
  if (changed) {
    engines.delete(db);
    engine.removeIntermediates();
  }
  return changed;
}
