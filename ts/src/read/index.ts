// Reading makefiles into a Database: the entry points the CLI and library users call.
//
//   readMakefiles(opts)              the whole read phase (variables, --eval, makefiles)
//   evalMakefileText(db, text, loc)  $(eval)-style evaluation into an existing database
//   missingIncludeError(db, ...)     GNU's error for a missing include nothing could remake
import { RunContext } from "../run-context.js";
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../messages.js";
import { Expander } from "../expand/expander.js";
import { VarScope } from "../expand/variables.js";
import type { Database, IncludeRecord, ReadOptions } from "./database.js";
import { Evaluator } from "./evaluate.js";
import { COMMAND_LINE_FILE, installInitialVariables } from "./init.js";
import { readMakefileSource } from "./source.js";

export type { Database, ReadOptions, Rule, Assignment, IncludeRecord, RecipeLine } from "./database.js";

/** GNU's default makefile names, tried in this order when no -f is given. */
export const DEFAULT_MAKEFILES = ["GNUmakefile", "makefile", "Makefile"];

const evaluators = new WeakMap<Database, Evaluator>();

/** Default options, for library users and tests: override what you need. */
export function defaultReadOptions(overrides: Partial<ReadOptions> = {}): ReadOptions {
  const run = overrides.run ?? new RunContext("tmake", overrides.makelevel ?? 0);
  return {
    makefiles: [],
    includeDirs: [],
    commandLine: [],
    evalStrings: [],
    env: process.env,
    environmentOverrides: false,
    goals: [],
    makeflags: "",
    builtinVariables: true,
    builtinRules: true,
    cwd: process.cwd(),
    makeCommand: "tmake",
    makelevel: 0,
    ...overrides,
    run,
  };
}

/** An empty database with its variables initialised as GNU does before reading. */
export function createDatabase(opts: ReadOptions): Database {
  const globals = new VarScope();
  const expander = new Expander({
    env: opts.env,
    cwd: opts.cwd,
    makelevel: opts.makelevel,
    warnUndefined: opts.warnUndefinedVariables,
    envOverrides: opts.environmentOverrides,
    output: opts.output,
    run: opts.run,
  });
  const db: Database = {
    globals,
    expander,
    rules: [],
    targetVars: new Map(),
    patternVars: [],
    vpaths: [],
    makefiles: [],
    includes: [],
    prolog: [],
  };
  installInitialVariables(globals, expander, opts);
  const ev = new Evaluator(db, opts);
  evaluators.set(db, ev);
  expander.evalHook = (text, loc, scope) => evalMakefileText(db, text, loc ?? { file: COMMAND_LINE_FILE, line: 1 }, scope);
  return db;
}

/** Reads every makefile (GNU's read phase). Missing makefiles and includes do not throw:
 * they are recorded in `db.includes` without a `path` (see missingIncludeError). */
export function readMakefiles(opts: ReadOptions): Database {
  const db = createDatabase(opts);
  const ev = evaluators.get(db)!;
  // GNU evaluates --eval strings before reading the makefiles.
  for (const text of opts.evalStrings) evalMakefileText(db, text, { file: COMMAND_LINE_FILE, line: 1 });

  // GNU reads the makefiles named in $(MAKEFILES) first, quietly skipping missing ones; they
  // never provide the default goal.
  const extra = db.expander.valueOf("MAKEFILES", db.globals);
  if (extra.trim() !== "") {
    ev.noDefaultGoal++;
    for (const name of extra.split(/\s+/).filter((w) => w !== "")) {
      if (ev.findInclude(name) !== undefined) ev.includeOne(name, true, { file: COMMAND_LINE_FILE, line: 0 });
    }
    ev.noDefaultGoal--;
  }

  const names = opts.makefiles.length > 0 ? opts.makefiles : defaultMakefile(opts.cwd);
  for (const name of names) {
    const read = readMakefileSource(name === "-" ? 0 : path.resolve(opts.cwd, name), name);
    if ("error" in read) {
      db.includes.push({ name, optional: false, loc: { file: COMMAND_LINE_FILE, line: 0 }, commandLine: true, error: read.error });
      continue;
    }
    ev.evalFile(name, read.text);
  }
  return db;
}

function defaultMakefile(cwd: string): string[] {
  for (const name of DEFAULT_MAKEFILES) {
    try {
      if (fs.statSync(path.join(cwd, name)).isFile()) return [name];
    } catch {
      // Try the next name.
    }
  }
  return [];
}

/** Parses and evaluates `text` into `db` as if it appeared at `loc` ($(eval), --eval; also
 * at build time). Lines are numbered from loc.line. With `scope` (the scope an $(eval) was
 * expanded in: a $(foreach)/$(call) local or a target's), the text is read seeing its
 * variables first, as GNU does; definitions still go to the global scope. */
export function evalMakefileText(db: Database, text: string, loc: Loc, scope?: VarScope): void {
  if (scope === undefined || scope === db.globals) {
    evalInGlobals(db, text, loc);
    return;
  }
  db.globals.pushOverlay(scope);
  try {
    evalInGlobals(db, text, loc);
  } finally {
    db.globals.popOverlay();
  }
}

function evalInGlobals(db: Database, text: string, loc: Loc): void {
  const ev = evaluators.get(db);
  if (ev === undefined) throw new MakeError("database was not created by readMakefiles", loc);
  if (loc.file !== COMMAND_LINE_FILE) {
    ev.evalText(text, loc.file, loc.line - 1);
    return;
  }
  try {
    ev.evalText(text, COMMAND_LINE_FILE, 0);
  } catch (e) {
    // --eval text has no file: GNU prints "make: *** ...".
    if (e instanceof MakeError && e.loc?.file === COMMAND_LINE_FILE) throw new MakeError(e.message, undefined, e.status);
    throw e;
  }
}

/** Reads one more makefile into `db` (the CLI's re-read after remaking an include, or a
 * library user's extra file). */
export function readMakefileInto(db: Database, name: string, text: string): void {
  evaluators.get(db)!.evalFile(name, text);
}

/** The include records GNU would fail on: not optional and not found. */
export function missingIncludes(db: Database): IncludeRecord[] {
  return db.includes.filter((i) => i.path === undefined && !i.optional);
}

/**
 * GNU's failure for a makefile or include that does not exist and that no rule could make.
 * The CLI calls this after trying to remake the missing ones: `stillMissing` says which are
 * still absent (default: all recorded as missing). Prints GNU's first line
 * (`FILE:LINE: NAME: No such file or directory`, or `PROG: NAME: ...` for -f) through
 * `print` and returns the fatal error to throw ("No rule to make target 'NAME'"), or
 * undefined when nothing is missing.
 */
export function missingIncludeError(
  db: Database,
  stillMissing: (rec: IncludeRecord) => boolean = () => true,
  print: (line: string) => void = db.expander.run.msg.err,
): MakeError | undefined {
  const first = missingIncludes(db).find(stillMissing);
  if (first === undefined) return undefined;
  const why = first.error ?? "No such file or directory";
  if (first.commandLine) print(`${db.expander.run.msg.prefix}: ${first.name}: ${why}\n`);
  else print(`${first.loc.file}:${first.loc.line}: ${first.name}: ${why}\n`);
  return new MakeError(`No rule to make target '${first.name}'`);
}
