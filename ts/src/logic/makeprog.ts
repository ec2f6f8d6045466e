// biomake's Makeprog syntax: a build specification written in Prolog (`-p FILE`, a `Makeprog` or
// `Makespec.pro` found in the current directory, `-P STRING`).
//
//   'align-$X-$Y' <-- ['$X.fa', '$Y.fa'], {sp(X), sp(Y)}, 'align $X.fa $Y.fa > $@'.
//   all, {findall(t([X,-,Y,'.pair']), pair(X,Y), DEPS)} <-- DEPS.
//   Base = "data".          CFLAGS += '-O2'.          export(Base).
//   sp(mouse).              (any other term is Prolog for the goals)
//
// The Prolog engine reads the text (makeprog-support.ts), so the syntax is exactly SWI-Prolog's
// with biomake's operators. Each term that means something to make becomes the makefile text it
// stands for (biomake's -T translation run backwards: the targets, deps and recipe lines are
// makefile text, and `$X`, `%` and `$(VAR)` in them mean what they mean in a makefile), which
// the reader evaluates at the term's line; so rules get GNU's and biomake's reading (default
// goal, multi-wildcard patterns, special targets) from the one place that implements it. Other
// terms are Prolog clauses: they are consulted before any rule is read (biomake's Prolog
// database is whole before it builds), so $(bagof) and goals see all of them.
//
// A rule's prerequisites may be a Prolog variable bound by its target goal, as in the `all`
// rule above. Makefile prerequisites are read when the rule is read; so is this: the target
// goal is called for each target (which must hold no wildcard) and the rule gets what it bound.
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../messages.js";
import { VarScope } from "../expand/variables.js";
import type { Database, ReadOptions } from "../read/database.js";
import { createDatabase, evalMakefileText } from "../read/index.js";
import { COMMAND_LINE_FILE } from "../read/init.js";
import { processOutput, type LogicOutput } from "./engine.js";
import { allSolutions, firstSolution, parseMakeprog, type MakeprogItem, type MakeprogPart } from "./makeprog-engine.js";
import { scanPrologBlocks } from "./prepare.js";
import { sessionFor, type LogicSession, type PrologBlock } from "./session.js";

/** biomake's default Makeprog names, tried in this order before GNU's default makefiles. */
export const DEFAULT_MAKEPROGS = ["Makeprog", "makeprog", "Makespec.pro", "makespec.pro"];

/** The default Makeprog in `cwd`, if there is one (biomake looks for these before GNU's
 * default makefiles). */
export function findDefaultMakeprog(cwd: string): string | undefined {
  for (const name of DEFAULT_MAKEPROGS) {
    try {
      if (fs.statSync(path.join(cwd, name)).isFile()) return name;
    } catch {
      // Try the next name.
    }
  }
  return undefined;
}

/** Makeprog text and where it came from: a file, or a -P string (file COMMAND_LINE_FILE). */
export interface MakeprogSource {
  file: string;
  text: string;
}

/** Reads `file` as a Makeprog source. */
export function makeprogFile(cwd: string, file: string): MakeprogSource {
  try {
    return { file, text: fs.readFileSync(path.resolve(cwd, file), "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MakeError(`${file}: ${code === "ENOENT" ? "No such file or directory" : (e as Error).message}`);
  }
}

/** -P strings: biomake reads each as Makeprog text; the final period may be left out. */
export function prologStringSources(strings: string[]): MakeprogSource[] {
  return strings.map((s) => ({ file: COMMAND_LINE_FILE, text: /\.\s*$/.test(s) ? s : `${s} .` }));
}

/** Where a source's messages point (command-line text has no location, as with --eval). */
function locOf(file: string, line: number): Loc | undefined {
  return file === COMMAND_LINE_FILE ? undefined : { file, line };
}

/** Parses every source; a term that cannot be read or used stops the run at its line. */
async function parseSources(sources: MakeprogSource[]): Promise<{ source: MakeprogSource; items: MakeprogItem[] }[]> {
  const out: { source: MakeprogSource; items: MakeprogItem[] }[] = [];
  for (const source of sources) {
    const r = await parseMakeprog(source.text);
    if (r.error !== undefined) throw new MakeError(r.error.message, locOf(source.file, r.error.line));
    out.push({ source, items: r.items });
  }
  return out;
}

/** A clause as a `prolog` block: the block's location is the line before the clause, because
 * the engine reports a block's errors relative to its `prolog` line. */
function clauseBlock(file: string, item: MakeprogItem & { kind: "clause" }): PrologBlock {
  return { text: `${item.text}.`, loc: { file, line: item.line - 1 } };
}

/**
 * Reads Makeprog sources into a fresh database, as biomake does: --eval (-m) texts first, then
 * the -P strings and the Makeprog, in order. Loads the Prolog engine. Throws MakeError for a
 * term that cannot be read (FILE:LINE of the term).
 */
export async function readMakeprog(opts: ReadOptions, sources: MakeprogSource[], output: LogicOutput = processOutput): Promise<Database> {
  const db = createDatabase(opts);
  const evalBlocks = opts.evalStrings.flatMap((t) => scanPrologBlocks(COMMAND_LINE_FILE, t));
  if (evalBlocks.length > 0) await sessionFor(opts.run, evalBlocks, opts.cwd, output);
  for (const text of opts.evalStrings) evalMakefileText(db, text, { file: COMMAND_LINE_FILE, line: 1 });

  const parsed = await parseSources(sources);
  const blocks = parsed.flatMap(({ source, items }) => items.flatMap((i) => (i.kind === "clause" ? [clauseBlock(source.file, i)] : [])));
  const session = await sessionFor(opts.run, [...db.prolog, ...blocks], opts.cwd, output);
  const vars = variablesOf(db);
  for (const { source, items } of parsed) {
    const writer = new MakefileWriter(session, source.file, vars);
    for (const item of items) {
      if (item.kind === "clause") {
        db.prolog.push(clauseBlock(source.file, item));
        continue;
      }
      const text = writer.text(item);
      if (text !== "") evalMakefileText(db, text, { file: source.file, line: source.file === COMMAND_LINE_FILE ? 1 : item.line });
    }
  }
  return db;
}

/**
 * The makefile text of -P strings, for a run that reads GNU makefiles: biomake evaluates them
 * after the --eval (-m) texts and before the makefiles, which is where the CLI puts them among
 * ReadOptions.evalStrings. Clauses become `prolog` blocks. Goals the text needs answered while
 * it is read (prerequisites bound by a target goal, `Var := Pattern, {Goal}`) see the clauses
 * of these strings; values are expanded with the command line's variables.
 */
export async function prologStringsAsMakefileText(opts: ReadOptions, strings: string[], output: LogicOutput = processOutput): Promise<string[]> {
  const parsed = await parseSources(prologStringSources(strings));
  const blocks = parsed.flatMap(({ source, items }) => items.flatMap((i) => (i.kind === "clause" ? [clauseBlock(source.file, i)] : [])));
  const session = await sessionFor(opts.run, blocks, opts.cwd, output);
  const vars = variablesOf(createDatabase(opts));
  return parsed.map(({ source, items }) => {
    const writer = new MakefileWriter(session, source.file, vars);
    return items.map((item) => (item.kind === "clause" ? `prolog\n${item.text}.\nendprolog\n` : writer.text(item))).join("");
  });
}

/** The makefile variables a Makeprog's goals and patterns see while it is read. */
interface Variables {
  /** `pattern` expanded with `bindings` as variables (over the makefile's own). */
  expandWith(pattern: string, bindings: Map<string, string>, loc: Loc | undefined): string;
  /** A variable's value as a goal's Prolog variable of that name gets it (as the goal
   * evaluator binds them: not for built-in defaults, automatic or environment variables). */
  forGoal(name: string, loc: Loc | undefined): string | undefined;
}

const NOT_FOR_GOALS = new Set(["default", "automatic", "environment"]);

function variablesOf(db: Database): Variables {
  return {
    expandWith(pattern, bindings, loc) {
      const scope = new VarScope(db.globals);
      for (const [name, value] of bindings) scope.set({ name, value, flavor: "simple", origin: "automatic" });
      return db.expander.expand(pattern, scope, loc);
    },
    forGoal(name, loc) {
      const v = db.globals.get(name);
      if (v === undefined || NOT_FOR_GOALS.has(v.origin)) return undefined;
      return db.expander.valueOf(name, db.globals, loc);
    },
  };
}

/** The Prolog variable names a goal's text may hold (a superset: quoted text is not skipped). */
function goalVariableNames(goal: string): Set<string> {
  return new Set(goal.match(/(?<![\w'])[A-Z_][A-Za-z0-9_]*/g) ?? []);
}

/** `$` stands for itself in Prolog goals; the reader expands goal text, so it is doubled. */
const escapeGoal = (goal: string): string => goal.replace(/\$/g, "$$$$");

/** A target or prerequisite name in a rule line: `#` would start a comment. */
const escapeName = (name: string): string => name.replace(/#/g, "\\#");

/** A Makeprog option (biomake's name for what special targets say) as makefile text. */
function optionText(name: string, values: string[]): string | undefined {
  const list = values.map(escapeName).join(" ");
  const yes = values.length === 1 && values[0] === "true";
  switch (name) {
    case "silent_targets":
      return `.SILENT: ${list}\n`;
    case "phony_targets":
      return `.PHONY: ${list}\n`;
    case "ignore_errors_in_targets":
      return `.IGNORE: ${list}\n`;
    case "queue":
      return values.length === 1 && values[0] === "none" ? ".NOTPARALLEL:\n" : undefined;
    case "oneshell":
      return yes ? ".ONESHELL:\n" : undefined;
    case "silent":
      return yes ? ".SILENT:\n" : undefined;
    // biomake writes a bare `.IGNORE:` as this option.
    case "keep_going_on_error":
      return yes ? ".IGNORE:\n" : undefined;
    case "delete_on_error":
      return yes ? ".DELETE_ON_ERROR:\n" : undefined;
    default:
      return undefined;
  }
}

/** An assignment as makefile text; values a single line cannot hold go in a `define`. */
function assignmentText(name: string, op: string, value: string): string {
  if (/[\n#]|\\$|^\s/.test(value)) return `define ${name} ${op}\n${value}\nendef\n`;
  return `${name} ${op} ${value}\n`;
}

/** Turns Makeprog terms into makefile text. */
class MakefileWriter {
  constructor(
    private readonly session: LogicSession,
    private readonly file: string,
    private readonly vars: Variables,
  ) {}

  private loc(line: number): Loc | undefined {
    return locOf(this.file, line);
  }

  text(item: Exclude<MakeprogItem, { kind: "clause" }>): string {
    switch (item.kind) {
      case "assign":
        return assignmentText(item.name, item.op, item.value);
      case "assign-goal": {
        // biomake: findall over the goal, the pattern expanded with each solution, concatenated.
        const loc = this.loc(item.line) ?? { file: COMMAND_LINE_FILE, line: 1 };
        const value = allSolutions(this.session, item.goal, loc)
          .map((b) => this.vars.expandWith(item.pattern, b, this.loc(item.line)))
          .join("");
        return assignmentText(item.name, ":=", value.replace(/\$/g, "$$$$"));
      }
      case "export":
        return `export ${item.name}\n`;
      case "option": {
        const values = this.texts(item.values, "option", item.line);
        const text = optionText(item.name, values);
        if (text !== undefined) return text;
        const shown = /^[\w ,()[\]'.-]*$/.test(item.text) ? item.text : item.name;
        return `$(warning Makeprog option ${shown} is not supported by tmake; ignored)\n`;
      }
      case "rule":
        return this.ruleText(item);
    }
  }

  /** Texts of a rule part that must not hold Prolog variables. */
  private texts(parts: MakeprogPart[], what: string, line: number): string[] {
    return parts.map((p) => {
      if (typeof p === "string") return p;
      throw new MakeError(`unbound Prolog variable ${p.var} in the ${what} of a Makeprog rule`, this.loc(line));
    });
  }

  private ruleText(item: MakeprogItem & { kind: "rule" }): string {
    const targets = this.texts(item.targets, "targets", item.line);
    if (targets.length === 0) throw new MakeError("Makeprog rule without targets", this.loc(item.line));
    const recipe = this.texts(item.recipe, "recipe", item.line)
      .flatMap((e) => e.split("\n"))
      .filter((l) => l !== "");
    const recipeText = recipe.map((l) => `\t${l}\n`).join("");
    const depsGoal = item.depsGoal !== undefined ? ` {${escapeGoal(item.depsGoal)}}` : "";
    const line = (ts: string[], targetGoal: string | undefined, deps: string[]): string =>
      `${ts.map(escapeName).join(" ")}${targetGoal !== undefined ? ` {${escapeGoal(targetGoal)}}` : ""}: ${deps.map(escapeName).join(" ")}${depsGoal}\n${recipeText}`;

    if (item.deps.every((d) => typeof d === "string")) return line(targets, item.targetGoal, item.deps as string[]);

    // Prerequisites bound by the target goal: called now, once per target.
    const loc = this.loc(item.line) ?? { file: COMMAND_LINE_FILE, line: 1 };
    const unbound = item.deps.find((d): d is { var: string } => typeof d !== "string")!;
    if (item.targetGoal === undefined || targets.some((t) => /[$%]/.test(t))) {
      throw new MakeError(
        `unbound Prolog variable ${unbound.var} in the prerequisites of a Makeprog rule (tmake binds prerequisites from a target goal only for targets without wildcards)`,
        this.loc(item.line),
      );
    }
    const inputs = new Map<string, string>();
    for (const name of goalVariableNames(item.targetGoal)) {
      const value = name === "TARGET" ? undefined : this.vars.forGoal(name, this.loc(item.line));
      if (value !== undefined) inputs.set(name, value);
    }
    let text = "";
    for (const target of targets) {
      inputs.set("TARGET", target);
      const bound = firstSolution(this.session, item.targetGoal, inputs, loc);
      if (bound === undefined) continue; // the goal fails: the rule is not for this target
      const deps: string[] = [];
      for (const d of item.deps) {
        if (typeof d === "string") deps.push(d);
        else {
          const value = bound.get(d.var);
          if (value === undefined) throw new MakeError(`the target goal of '${target}' left ${d.var} unbound`, this.loc(item.line));
          for (const v of value) {
            if (typeof v !== "string") throw new MakeError(`the target goal of '${target}' left ${d.var} partly unbound`, this.loc(item.line));
            // Prerequisites bound by Prolog are file names, not makefile text.
            deps.push(v.replace(/\$/g, "$$$$"));
          }
        }
      }
      text += line([target], undefined, deps);
    }
    return text;
  }
}
