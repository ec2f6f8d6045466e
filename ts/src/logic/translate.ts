// biomake's -T FILE: the makefiles, translated to Makeprog syntax (see makeprog.ts), written
// as biomake writes them:
//
//   MAKEFILE_LIST += 'Makefile'.                  each makefile read (includes where they are)
//   MAKECMDGOALS = 'all'.                         after the first makefile
//   FOO = ".foo".                                 assignments, values unexpanded
//   "%.bar" <-- "%$(FOO)", "cmd $< > $@".         rules, unexpanded; lists when more than one
//   "t", {goal} <-- [], {true}, "cmd".            biomake goals
//   option(phony_targets([d,e,f])).               special targets biomake understands
//   sp(mouse).                                    prolog blocks, clause by clause
//
// Like biomake, the translation follows the makefile as written: conditionals are decided as
// the reader decides them (with the variables assigned above them) and only the branch taken is
// translated; include lines are replaced by the file they include. The variables are tracked in
// a database of its own, so the translation never changes the one the build uses; a makefile
// whose immediate assignments run $(shell) runs them once more for the translation.
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../messages.js";
import { DEFAULT_INCLUDE_DIRS } from "../expand/defaults.js";
import type { AssignOp } from "../expand/variables.js";
import type { Database, ReadOptions } from "../read/database.js";
import type { RuleStatement } from "../read/ast.js";
import { Conditionals } from "../read/conditionals.js";
import { isIgnoring, type FileState } from "../read/file-state.js";
import { createDatabase, DEFAULT_MAKEFILES, evalMakefileText, readMakefileInto } from "../read/index.js";
import { COMMAND_LINE_FILE } from "../read/init.js";
import { Parser, splitFile } from "../read/parser.js";
import type { PrologEngine } from "./engine.js";
import { makeprogEngine, translateAssignmentText, translateOptionText, translatePrologText, translateRuleText } from "./makeprog-engine.js";

/** Translates the makefiles `opts` names (or GNU's default one) and writes the result to `file`
 * (relative to opts.cwd). */
export async function writeTranslation(opts: ReadOptions, file: string): Promise<void> {
  const text = await translateMakefiles(opts);
  try {
    fs.writeFileSync(path.resolve(opts.cwd, file), text);
  } catch (e) {
    throw new MakeError(`${file}: ${(e as Error).message}`);
  }
}

/** The Makeprog text of the makefiles `opts` names (or GNU's default one). */
export async function translateMakefiles(opts: ReadOptions): Promise<string> {
  const engine = await makeprogEngine();
  const quiet = { stdout: () => {}, stderr: () => {} };
  const db = createDatabase({ ...opts, output: quiet });
  for (const text of opts.evalStrings) evalMakefileText(db, text, { file: COMMAND_LINE_FILE, line: 1 });
  const t = new Translator(engine, db, opts);
  const names =
    opts.makefiles.length > 0 ? opts.makefiles.filter((n) => n !== "-") : DEFAULT_MAKEFILES.filter((n) => isFile(path.join(opts.cwd, n))).slice(0, 1);
  let first = true;
  for (const name of names) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(opts.cwd, name), "utf8");
    } catch {
      continue; // the reader reports missing makefiles
    }
    t.file(name, text, first);
    first = false;
  }
  return t.out.join("");
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A rule being collected (its recipe lines follow it). */
interface PendingRule {
  targets: string[];
  deps: string[];
  recipe: string[];
  targetGoal?: string;
  depsGoal?: string;
  loc: Loc;
}

/** biomake's Makeprog operator for each makefile assignment operator. */
const PROLOG_OPS: Record<AssignOp, string> = { "=": "=", ":=": ":=", "::=": ":=", ":::=": ":=", "?=": "?=", "+=": "+=", "!=": "=*" };

/** Special targets biomake turns into options: with prerequisites, and without. */
const SPECIAL_OPTIONS: Record<string, { withNames: string; bare: [string, string] }> = {
  ".SILENT": { withNames: "silent_targets", bare: ["silent", "true"] },
  ".PHONY": { withNames: "phony_targets", bare: ["phony_targets", ""] },
  ".IGNORE": { withNames: "ignore_errors_in_targets", bare: ["keep_going_on_error", "true"] },
  ".NOTPARALLEL": { withNames: "", bare: ["queue", "none"] },
  ".ONESHELL": { withNames: "", bare: ["oneshell", "true"] },
  ".DELETE_ON_ERROR": { withNames: "", bare: ["delete_on_error", "true"] },
};

class Translator {
  readonly out: string[] = [];
  private readonly conditionals: Conditionals;
  private readonly goals: string;

  constructor(
    private readonly engine: PrologEngine,
    private readonly db: Database,
    private readonly opts: ReadOptions,
  ) {
    this.conditionals = new Conditionals(db.expander, db.globals);
    this.goals = opts.goals.join(" ");
  }

  private recipePrefix(): string {
    const v = this.db.expander.valueOf(".RECIPEPREFIX", this.db.globals);
    return v === "" ? "\t" : v[0]!;
  }

  /** Translates one makefile (and what it includes) in place. */
  file(name: string, text: string, top: boolean): void {
    readMakefileInto(this.db, name, ""); // MAKEFILE_LIST, as the reader keeps it
    this.out.push(translateAssignmentText(this.engine, "MAKEFILE_LIST", "+=", name, "atom"));
    if (top) this.out.push(translateAssignmentText(this.engine, "MAKECMDGOALS", "=", this.goals, "atom"));
    const lines = splitFile(text);
    const parser = new Parser(lines, name);
    const st: FileState = { name, lineOffset: 0, conds: [], noTargets: false, inRule: false };
    let rule: PendingRule | undefined;
    const flush = (): void => {
      if (rule !== undefined) this.out.push(translateRuleText(this.engine, rule, rule.loc));
      rule = undefined;
      st.inRule = false;
    };
    for (let i = 0; i < lines.count;) {
      const r = parser.parseLine(i, this.recipePrefix(), st.inRule);
      i = r.next;
      const s = r.stmt;
      if (s === undefined) continue;
      const loc: Loc = { file: name, line: s.line };
      if (s.kind === "if" || s.kind === "else" || s.kind === "endif") {
        this.conditionals.evaluate(s, st);
        continue;
      }
      if (isIgnoring(st)) continue;
      if (s.kind === "recipe") {
        rule?.recipe.push(s.text);
        continue;
      }
      flush();
      switch (s.kind) {
        case "assignment":
          this.assignment(this.db.expander.expand(s.name, this.db.globals, loc).trim(), s.op, s.value, s.modifiers.export, loc);
          break;
        case "define":
          this.assignment(this.db.expander.expand(s.name, this.db.globals, loc).trim(), s.op, s.body, s.modifiers.export, loc);
          break;
        case "export":
          if (s.export) {
            for (const n of words(this.db.expander.expand(s.names, this.db.globals, loc))) this.export(n, loc);
          }
          break;
        case "include":
          for (const n of words(this.db.expander.expand(s.files, this.db.globals, loc))) this.include(n, name);
          break;
        case "prolog":
          this.out.push(translatePrologText(this.engine, s.text, loc));
          break;
        case "rule":
          rule = this.rule(s, loc);
          if (rule !== undefined) st.inRule = true;
          break;
        default:
          // vpath, undefine, load, parse problems: nothing biomake translates (the reader
          // reports the problems).
          break;
      }
    }
    flush();
  }

  private assignment(name: string, op: AssignOp, value: string, exported: boolean, loc: Loc): void {
    this.db.expander.assign(this.db.globals, { name, op, value, override: false, private: false, loc, ...(exported ? { exported } : {}) }, "file");
    if (!/^[A-Z_][A-Za-z0-9_]*$/.test(name)) {
      throw new MakeError(
        `cannot translate the variable '${name}' to Prolog: a Prolog variable name starts with an upper-case letter or '_' and holds only letters, digits and '_'`,
        loc,
      );
    }
    this.out.push(translateAssignmentText(this.engine, name, PROLOG_OPS[op], value, "string"));
    if (exported) this.export(name, loc);
  }

  private export(name: string, loc: Loc): void {
    if (!/^[A-Z_][A-Za-z0-9_]*$/.test(name)) {
      throw new MakeError(`cannot translate 'export ${name}' to Prolog: '${name}' is not a Prolog variable name`, loc);
    }
    this.out.push(`export(${name}).\n`);
  }

  /** An include line: the file in its place, looked for as the reader looks for it. */
  private include(name: string, from: string): void {
    const candidates = path.isAbsolute(name)
      ? [name]
      : [name, ...[...this.opts.includeDirs, ...DEFAULT_INCLUDE_DIRS].map((d) => path.join(d, name)), path.join(path.dirname(from), name)];
    for (const c of candidates) {
      const full = path.resolve(this.opts.cwd, c);
      if (!isFile(full)) continue;
      this.file(c, fs.readFileSync(full, "utf8"), false);
      return;
    }
  }

  /** A rule line as written: its targets and prerequisites unexpanded. */
  private rule(s: RuleStatement, loc: Loc): PendingRule | undefined {
    const colon = ruleColon(s.text);
    if (colon < 0) return undefined; // text that expands to nothing, or to something GNU reads later
    const targets = words(s.text.slice(0, colon));
    let rest = s.text.slice(colon + 1);
    if (rest.startsWith(":")) rest = rest.slice(1); // `::` rules read as plain ones, as biomake does
    if (targets.length === 0 || hasAssignment(rest)) return undefined; // target-specific variables
    const deps = words(rest).filter((w) => w !== "|");
    const special = targets.length === 1 ? SPECIAL_OPTIONS[targets[0]!] : undefined;
    if (special !== undefined && s.recipe === undefined) {
      if (deps.length > 0 && special.withNames !== "") this.out.push(translateOptionText(this.engine, special.withNames, deps));
      else if (special.bare[1] === "") this.out.push(translateOptionText(this.engine, special.bare[0], []));
      else this.out.push(translateOptionText(this.engine, special.bare[0], special.bare[1]));
      return undefined;
    }
    return {
      targets,
      deps,
      recipe: s.recipe !== undefined ? [s.recipe] : [],
      ...(s.targetGoal !== undefined ? { targetGoal: s.targetGoal } : {}),
      ...(s.depsGoal !== undefined ? { depsGoal: s.depsGoal } : {}),
      loc,
    };
  }
}

/** Blank-separated words, a variable reference or function call counting as part of its word. */
function words(text: string): string[] {
  const out: string[] = [];
  let word = "";
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) {
      word += c + text[++i];
      depth++;
      continue;
    }
    if (depth > 0 && (c === ")" || c === "}")) depth--;
    if (depth === 0 && (c === " " || c === "\t" || c === "\n")) {
      if (word !== "") out.push(word);
      word = "";
      continue;
    }
    word += c;
  }
  if (word !== "") out.push(word);
  return out;
}

/** The colon of a rule line written unexpanded: the first one outside variable references,
 * not backslash-quoted. -1 when there is none. */
function ruleColon(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) {
      depth++;
      i++;
      continue;
    }
    if (depth > 0 && (c === ")" || c === "}")) depth--;
    else if (depth === 0 && c === ":") return i;
  }
  return -1;
}

/** Does the text after a rule's colon assign a variable (a target-specific variable line)? */
function hasAssignment(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) {
      depth++;
      i++;
      continue;
    }
    if (depth > 0 && (c === ")" || c === "}")) depth--;
    else if (depth === 0 && c === "=") return true;
  }
  return false;
}
