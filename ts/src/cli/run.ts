// One tmake run, GNU Make's main(): read MAKEFLAGS and the command line, change directory
// (-C), read the makefiles, remake any makefile that is out of date and read them again (GNU
// re-executes itself; tmake re-reads in the same process), then build the goals. The stages
// are passed in so a library caller or a test can drive the same flow.
import fs from "node:fs";
import path from "node:path";
import { MakeError } from "../messages.js";
import { RunContext } from "../run-context.js";
import { strerror } from "../expand/functions/strerror.js";
import { announceBeforeOutput, ownStdout } from "../output.js";
import type { Database, ReadOptions } from "../read/database.js";
import type { BuildOptions } from "../remake/options.js";
import type { MakefilesOutcome } from "../remake/index.js";
import { parseAssignment } from "./assignments.js";
import { applyMakeflags, commandVariablesText, encodeMakeflags, printsDirectory } from "./makeflags.js";
import { helpText } from "./help.js";
import { parseCommandLine } from "./parse.js";
import { emptyCommandLine, type CommandLine } from "./state.js";
import { UsageError, switches, type BuildPart, type ReadPart, type Switch } from "./switches.js";
import { directoryLine, holdReadOutput, joinJobserver, releaseReadOutput, settleJobs, syncsOutput } from "./jobs.js";
import { databaseText } from "../remake/database-print.js";
import { createGoalEvaluator, prepareLogic } from "../logic/index.js";
import { findDefaultMakeprog, makeprogFile, prologStringSources, prologStringsAsMakefileText, readMakeprog } from "../logic/makeprog.js";
import { writeTranslation } from "../logic/translate.js";
import { applyPoolq, flushQueue, installQueue, journalLedger, queueSettings } from "./queue.js";
import { printChecksums } from "../hash/checksum.js";
import { readProofsEarly } from "../hash/index.js";
import type { Journal } from "../journal/journal.js";
import { openRunJournal, wantsConsole, withJournal } from "./journal.js";
import { runConsole, selectGoals } from "../journal/console.js";
import { consoleRequest } from "./console.js";

/** The stages a run goes through (read, remake makefiles, build). */
export interface Stages {
  readMakefiles(opts: ReadOptions): Database;
  /** true when a makefile was remade, so everything must be read again. A makefile with no
   * rule to make it throws (after GNU's "FILE:LINE: NAME: No such file or directory"); a
   * failed recipe sets `outcome.failed`. An include still missing afterwards is left out, as
   * GNU does. */
  remakeMakefiles(db: Database, opts: BuildOptions, outcome: MakefilesOutcome): Promise<boolean>;
  /** The exit status of the build (0, 1 for -q "not up to date", 2 on errors). */
  build(db: Database, opts: BuildOptions): Promise<number>;
}

/** What the command was started with. */
export interface Invocation {
  /** The name messages start with (default "tmake"; GNU prints "make"). */
  programName?: string;
  /** The program's environment (MAKEFLAGS, MAKELEVEL, and the variables' starting point). */
  env: Record<string, string | undefined>;
  /** How $(MAKE) re-invokes this program. */
  makeCommand: string;
  /** The version printed by --version. */
  version: string;
  /** The backend printed by --version ("native" or "js"). */
  backendName: () => string;
  /** The words that run this same tmake by absolute paths (node, its flags, the command's
   * script), for a queue engine's job that runs tmake on a worker whose PATH may have no node. */
  selfCommand?: string[];
}

/** MAKELEVEL from the environment (0 when absent or not a number). */
export function makelevelOf(env: Record<string, string | undefined>): number {
  const n = Number.parseInt(env.MAKELEVEL ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** What the switches give the build (each switch's `build` in switches.ts), with the goals,
 * the directory and the make level. */
export function buildOptions(cl: CommandLine, cwd: string, run: RunContext): BuildOptions {
  const part: BuildPart = {};
  const fields = cl as unknown as Record<string, unknown>;
  for (const sw of switches as readonly Switch[]) sw.build?.(fields[sw.field], part);
  return { ...(part as BuildOptions), goals: [...cl.goals], cwd, run };
}

/** What the switches give the reader (each switch's `read` in switches.ts). */
function switchReadOptions(cl: CommandLine): ReadPart {
  const part: ReadPart = {};
  const fields = cl as unknown as Record<string, unknown>;
  for (const sw of switches as readonly Switch[]) sw.read?.(fields[sw.field], part);
  return part;
}

/** GNU re-reads MAKEFLAGS after the makefiles, so `MAKEFLAGS += -s` in a makefile takes effect.
 * Returns the command line with those flags applied (variables in it are not re-applied). */
function withMakefileFlags(db: Database, cl: CommandLine, ours: string): CommandLine {
  const v = db.globals.get("MAKEFLAGS");
  if (!v || v.value === ours) return cl;
  const value = v.flavor === "recursive" ? db.expander.expand(v.value, db.globals) : v.value;
  const updated: CommandLine = structuredClone(cl);
  applyMakeflags(value, updated, () => undefined);
  return updated;
}

/** GNU's define_makeflags(1, remaking) once the makefiles are read: MAKEFLAGS gets every flag
 * (with those the makefiles added to it), and `-- $(MAKEOVERRIDES)` when MAKEOVERRIDES is not
 * empty, so what the makefiles did to MAKEOVERRIDES is what a sub-make gets. While the
 * makefiles are remade (`remakingMakefiles`) -n, -q and -t are left out, so a `$(MAKE)` that
 * makes an included makefile really writes it. A command-line or `override` MAKEFLAGS is left
 * alone. */
function defineFinalMakeflags(db: Database, flags: CommandLine, makelevel: number, remakingMakefiles = false): void {
  const v = db.globals.get("MAKEFLAGS");
  if (v !== undefined && (v.origin === "command line" || v.origin === "override")) return;
  let value = encodeMakeflags(flags, makelevel, { variables: false, remakingMakefiles });
  const overrides = db.globals.get("MAKEOVERRIDES");
  if (overrides !== undefined && overrides.value !== "") value += " -- $(MAKEOVERRIDES)";
  db.globals.set({ name: "MAKEFLAGS", value, flavor: "recursive", origin: "file", exported: true });
}

/** GNU's print_data_base, at the end of a run with -p (whatever the outcome, as GNU's die()). */
function printDatabase(run: RunContext, db: Database, cl: CommandLine, ctx: Invocation): void {
  const header = [`# tmake ${ctx.version}, compatible with GNU Make 4.3`, `# Built for ${process.platform}-${process.arch}; backend: ${ctx.backendName()}`];
  run.msg.out(databaseText(db, cl.goals, { header, noBuiltinRules: cl.noBuiltinRules, cwd: process.cwd() }));
}

/** The database a run read last (printed by -p), and its journal. */
interface Seen {
  db?: Database;
  journal?: Journal;
  /** The words the command was started with (the journal records them). */
  argv: string[];
}

/** Builds the goals with the queue engine of the command line in force (biomake's -Q), after
 * biomake's --flush; --flush without goals builds nothing. */
async function buildGoals(
  cl: CommandLine,
  ctx: Invocation,
  run: RunContext,
  stages: Stages,
  db: Database,
  opts: BuildOptions,
  journal?: Journal,
): Promise<number> {
  const self = ctx.selfCommand ?? [process.execPath, ...process.execArgv, path.resolve(process.argv[1] ?? "tmake")];
  const settings = queueSettings(cl, opts.cwd, self, ctx.env);
  // Job ids and states go to the build journal when the run writes one (else .tmake/queue/jobs.tsv).
  if (settings !== undefined && journal?.runId !== undefined) settings.ledger = journalLedger(journal);
  await flushQueue(run, cl, settings, opts.cwd);
  if (cl.flush.length > 0 && cl.goals.length === 0) return 0;
  const restore = installQueue(run, settings);
  try {
    return await stages.build(db, opts);
  } finally {
    restore?.();
  }
}

/** `read`: called once the makefiles were first read, before anything is made. */
async function session(cl: CommandLine, ctx: Invocation, run: RunContext, stages: Stages, seen: Seen, read: () => void): Promise<number> {
  const cwd = process.cwd();
  // -H: what an earlier run proved is read on the native threads while the makefiles are.
  if (cl.hash.on && !cl.hash.noCache) readProofsEarly(cwd, cl.hash);
  const makelevel = run.makelevel;
  // While the makefiles are read MAKEFLAGS holds the plain flags only (GNU's
  // define_makeflags(0, 0)); the rest comes once they are read (defineFinalMakeflags).
  const makeflags = encodeMakeflags(cl, makelevel, { all: false, variables: false });
  const readOptions: ReadOptions = {
    ...(switchReadOptions(cl) as Required<ReadPart>),
    commandLine: cl.variables,
    env: ctx.env,
    goals: cl.goals,
    makeflags,
    commandVariables: commandVariablesText(cl.variables),
    cwd,
    makeCommand: ctx.makeCommand,
    makelevel,
    run,
  };
  // Build options for a database just read: the makefiles' own MAKEFLAGS, and the Prolog goal
  // evaluator when the database has goals or prolog blocks.
  let flags = cl;
  const optionsFor = async (db: Database): Promise<BuildOptions> => {
    flags = withMakefileFlags(db, cl, makeflags);
    settleJobs(run, flags, cl, cwd);
    defineFinalMakeflags(db, flags, makelevel);
    // The journal, once there is something to build: the build lock is taken here, before any
    // makefile is remade.
    // (Not in a directory with no makefile and no goal: that run ends with an error.)
    if (seen.journal === undefined && !cl.noJournal && (db.makefiles.length > 0 || cl.goals.length > 0 || wantsConsole(cl)))
      seen.journal = await openRunJournal(flags, run, cwd, seen.argv, ctx.env);
    const opts = { ...buildOptions(flags, cwd, run), goalEvaluator: await createGoalEvaluator(db, { cwd }) };
    return withJournal(opts, seen.journal, flags, db);
  };
  // biomake's Makeprogs: -p FILE, else a default Makeprog in the current directory (biomake
  // looks for those before the makefiles), unless -f names makefiles.
  const makeprog = cl.makeprogs[0] ?? (cl.makefiles.length === 0 ? findDefaultMakeprog(cwd) : undefined);
  if (makeprog !== undefined) {
    const sources = [...prologStringSources(cl.prologStrings), makeprogFile(cwd, makeprog)];
    const db = (seen.db = await readMakeprog(readOptions, sources));
    // -T translates makefiles only (as in biomake); a Makeprog is already Prolog.
    if (cl.translate !== undefined) run.msg.error(`-T ${cl.translate}: only makefiles are translated; ${makeprog} is a Makeprog`);
    const opts = await optionsFor(db);
    read();
    return buildGoals(cl, ctx, run, stages, db, opts, seen.journal);
  }
  // -P strings are Makeprog text read after the --eval texts and before the makefiles.
  if (cl.prologStrings.length > 0) {
    readOptions.evalStrings = [...cl.evalStrings, ...(await prologStringsAsMakefileText(readOptions, cl.prologStrings))];
  }
  await prepareLogic(readOptions);
  let db = (seen.db = stages.readMakefiles(readOptions));
  let opts = await optionsFor(db);
  // A console option: the makefiles as they are, and the journal, answer; nothing is built.
  if (wantsConsole(cl)) {
    read();
    return runConsole(db, opts, consoleRequest(flags, db, seen.journal, ctx.makeCommand, seen.argv));
  }
  // GNU says a -f makefile is missing as soon as it has read the makefiles, remade or not.
  const sayMissing = (read: Database): void => {
    for (const rec of read.includes) if (rec.commandLine && rec.path === undefined) run.msg.error(`${rec.name}: ${rec.error ?? "No such file or directory"}`);
  };
  sayMissing(db);
  read();
  // Set when a makefile could not be remade under -k: the goals are made, the status is 2.
  let makefileFailed: boolean;
  // GNU re-executes itself after remaking a makefile, counting restarts in MAKE_RESTARTS.
  for (let restarts = 1; ; restarts++) {
    const outcome: MakefilesOutcome = { failed: false };
    // GNU re-executes itself with the same command line, but after a restart -B and -W no
    // longer apply to the makefiles (else a makefile made with -B would be remade, and read
    // again, forever); they apply to the goals as usual.
    defineFinalMakeflags(db, flags, makelevel, true);
    const remade = await stages.remakeMakefiles(db, restarts > 1 ? { ...opts, alwaysMake: false, assumeNew: [] } : opts, outcome);
    defineFinalMakeflags(db, flags, makelevel);
    // Without -k GNU dies of a failed makefile recipe (it was reported); with -k it goes on.
    if (outcome.fatal || (outcome.failed && !opts.keepGoing)) return 2;
    makefileFailed = outcome.failed;
    if (!remade) break;
    const again = { ...readOptions, env: { ...ctx.env, MAKE_RESTARTS: String(restarts) } };
    await prepareLogic(again);
    db = seen.db = stages.readMakefiles(again);
    sayMissing(db);
    opts = await optionsFor(db);
  }
  if (opts.goals.length === 0 && db.makefiles.length === 0 && !db.globals.get(".DEFAULT_GOAL")?.value) {
    throw new MakeError("No targets specified and no makefile found");
  }
  if (cl.translate !== undefined) {
    await writeTranslation(readOptions, cl.translate);
    // biomake: translating is the whole task unless goals were named.
    if (opts.goals.length === 0) return 0;
  }
  // --select: the targets of the selections join the goals.
  if (cl.selections.length > 0) {
    const picked = await selectGoals(db, opts, seen.journal, cl.selections);
    if (picked.length === 0) {
      run.msg.message(`Nothing to be done: '${cl.selections.join(" ")}' selects no target.`);
      return 1;
    }
    opts = { ...opts, goals: [...opts.goals, ...picked.filter((g) => !opts.goals.includes(g))] };
  }
  const status = await buildGoals(cl, ctx, run, stages, db, opts, seen.journal);
  // GNU: a makefile that failed under -k makes the status 2, unless -q found work to do (1).
  return makefileFailed && status !== 1 ? 2 : status;
}

/** Runs tmake with `args` (the words after the program name); resolves to the exit status.
 * Never throws: every failure is printed GNU's way. */
export async function runTmake(args: string[], ctx: Invocation, stages: Stages): Promise<number> {
  const run = new RunContext(ctx.programName ?? "tmake", makelevelOf(ctx.env));
  const msg = run.msg;
  ownStdout(msg.prefix);
  const cl = emptyCommandLine();
  const seen: Seen = { argv: args };
  let entered: string | undefined;
  try {
    // GNUMAKEFLAGS holds flags only GNU make understands; read before MAKEFLAGS, then emptied
    // so a sub-make does not read them twice (they reach it through MAKEFLAGS).
    if (ctx.env.GNUMAKEFLAGS !== undefined) {
      applyMakeflags(ctx.env.GNUMAKEFLAGS, cl, parseAssignment);
      ctx = { ...ctx, env: { ...ctx.env, GNUMAKEFLAGS: "" } };
    }
    if (ctx.env.MAKEFLAGS) applyMakeflags(ctx.env.MAKEFLAGS, cl, parseAssignment);
    // -j on this make's own command line (GNU's argv_slots) says more than MAKEFLAGS's.
    const inherited = cl.jobs;
    cl.jobs = undefined;
    parseCommandLine(args, cl);
    cl.jobsOnCommandLine = cl.jobs !== undefined;
    if (cl.jobs === undefined) cl.jobs = inherited;
    applyPoolq(cl);
    if (cl.help) {
      msg.out(`${helpText().trimEnd()}\n`);
      return 0;
    }
    if (cl.version) {
      msg.out(`tmake ${ctx.version}\nbackend: ${ctx.backendName()}\n`);
      return 0;
    }
    // --checksum: the words are files to digest; nothing is read or built.
    if (cl.checksum) return await printChecksums(cl.goals, cl.hash.algorithm, msg.out, msg.err, run.programName);
    for (const dir of cl.directories) {
      try {
        process.chdir(dir);
      } catch (e) {
        throw new MakeError(`${dir}: ${strerror(e)}`);
      }
    }
    // Under -O line/target GNU announces the directory around each piece of held output.
    holdReadOutput(run, cl, process.cwd());
    joinJobserver(run, cl);
    if (printsDirectory(cl, run.makelevel) && !syncsOutput(cl)) {
      const cwd = process.cwd();
      announceBeforeOutput(() => {
        entered = cwd;
        msg.out(`${directoryLine(run, cl, "Entering", cwd)}\n`);
      });
    }
    const status = await session(cl, ctx, run, stages, seen, () => {
      if (releaseReadOutput(run, cl)) entered = process.cwd();
    });
    seen.journal?.close(status);
    return status;
  } catch (e) {
    if (e instanceof UsageError) {
      msg.error(e.message);
      msg.err(`${helpText().trimEnd()}\n`);
      return 2;
    }
    if (e instanceof MakeError) {
      msg.err(`${msg.format(e)}\n`);
      return e.status;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      // An expansion or a chain of rules that never ends ($(call)s say which, see call.ts).
      msg.error("*** nesting too deep: a recursion that never ends?  Stop.");
      return 2;
    }
    msg.error(`*** internal error: ${err.message}`);
    if (cl.debugAll && err.stack) msg.err(`${err.stack}\n`);
    return 2;
  } finally {
    seen.journal?.close(2);
    announceBeforeOutput(undefined);
    if (releaseReadOutput(run, cl)) entered = process.cwd();
    if (seen.db !== undefined && cl.printDataBase) printDatabase(run, seen.db, cl, ctx);
    if (entered !== undefined) msg.out(`${directoryLine(run, cl, "Leaving", entered)}\n`);
  }
}

/** The version in package.json (two levels above dist/cli and ts/src/cli). */
export function packageVersion(fromDir: string): string {
  const text = fs.readFileSync(`${fromDir}/../../package.json`, "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
