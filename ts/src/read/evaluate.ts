// The evaluator: walks parsed statements with the Expander and fills the Database, as GNU's
// read.c eval() does line by line. Conditionals are evaluated here (a stack per file), rule
// lines are expanded word by word until their colon so target-specific assignments are not
// expanded, includes are read in place, and recipe lines attach to the rule before them.
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../errors.js";
import { DEFAULT_INCLUDE_DIRS } from "../expand/defaults.js";
import { escapeDollars, type Expander } from "../expand/expander.js";
import type { VarScope } from "../expand/variables.js";
import type { DefineStatement, ExportStatement, IncludeStatement, Modifiers, ParsedLine } from "./ast.js";
import { Conditionals } from "./conditionals.js";
import type { Assignment, AssignOp, Database, ReadOptions } from "./database.js";
import { isIgnoring, locIn, type FileState } from "./file-state.js";
import { Parser, splitFile } from "./parser.js";
import { RuleReader } from "./rules.js";
import { splitWords } from "./text.js";

export class Evaluator {
  /** .SECONDEXPANSION was seen: later rules keep their prerequisite text for the build. */
  secondExpansion = false;
  /** While > 0, rules do not set .DEFAULT_GOAL (makefiles named by $(MAKEFILES)). */
  noDefaultGoal = 0;
  /** The include directories (-I, then GNU's defaults). */
  readonly includeDirs: string[];
  private readonly conditionals: Conditionals;
  private readonly rules: RuleReader;

  constructor(
    readonly db: Database,
    readonly opts: Pick<ReadOptions, "includeDirs" | "cwd">,
  ) {
    this.includeDirs = [...opts.includeDirs, ...DEFAULT_INCLUDE_DIRS];
    this.conditionals = new Conditionals(db.expander, db.globals);
    this.rules = new RuleReader(this);
  }

  get expander(): Expander {
    return this.db.expander;
  }

  get globals(): VarScope {
    return this.db.globals;
  }

  /** The recipe prefix in effect (.RECIPEPREFIX's first character, tab when empty). */
  recipePrefix(): string {
    const v = this.globals.get(".RECIPEPREFIX");
    if (v === undefined) return "\t";
    const value = v.flavor === "recursive" ? this.expander.expand(v.value, this.globals) : v.value;
    return value === "" ? "\t" : value[0]!;
  }

  // ---- entry points -----------------------------------------------------------------------

  /** Reads makefile `name` (a path as given; resolved against cwd) and evaluates it.
   * Appends it to MAKEFILE_LIST and Database.makefiles. */
  evalFile(name: string, text: string): void {
    this.db.makefiles.push(name);
    const list = this.globals.get("MAKEFILE_LIST");
    const prev = list?.value ?? "";
    this.globals.set({
      name: "MAKEFILE_LIST",
      value: prev === "" ? name : `${prev} ${name}`,
      flavor: "simple",
      origin: "file",
    });
    this.evalText(text, name, 0);
  }

  /** Evaluates makefile text (a file's contents, --eval text, or $(eval) text). */
  evalText(text: string, fileName: string, lineOffset: number): void {
    const parsed = splitFile(text);
    const parser = new Parser(parsed, fileName);
    const st: FileState = { name: fileName, lineOffset, conds: [], noTargets: false, inRule: false };
    // Statements are parsed one at a time with the run-time state GNU uses to classify a
    // line: the recipe prefix in effect and whether a rule precedes it.
    const n = parsed.count;
    for (let i = 0; i < n; ) {
      const r = parser.parseLine(i, this.recipePrefix(), st.inRule || st.noTargets);
      i = r.next;
      if (r.stmt !== undefined) this.evalStatement(r.stmt, st);
    }
    this.endRule(st);
    if (st.conds.length > 0) {
      throw new MakeError("missing 'endif'", { file: fileName, line: parsed.physicalLines + 1 + lineOffset });
    }
  }

  // ---- statements -------------------------------------------------------------------------

  private loc(s: { line: number }, st: FileState): Loc {
    return locIn(st, s);
  }

  private evalStatement(s: ParsedLine, st: FileState): void {
    if (s.kind === "recipe") {
      // A rule without targets (`: foo`) swallows its recipe silently.
      if (st.noTargets || isIgnoring(st)) return;
      this.addRecipeLine(st, s.text, s);
      return;
    }
    switch (s.kind) {
      case "if":
      case "else":
      case "endif":
        this.conditionals.evaluate(s, st);
        return;
      default:
        break;
    }
    if (isIgnoring(st)) return;
    switch (s.kind) {
      case "problem":
        throw new MakeError(s.message, this.loc(s, st));
      case "assignment":
        this.endRule(st);
        this.evalAssignment(s.name, s.op, s.value, s.modifiers, this.loc(s, st));
        return;
      case "define":
        this.endRule(st);
        this.evalDefine(s, st);
        return;
      case "undefine": {
        this.endRule(st);
        const name = this.expander.expand(s.name, this.globals, this.loc(s, st)).trim();
        if (name === "") throw new MakeError("empty variable name", this.loc(s, st));
        this.expander.undefine(this.globals, name, s.modifiers.override ? "override" : "file");
        return;
      }
      case "export":
        this.endRule(st);
        this.evalExport(s, st);
        return;
      case "vpath":
        this.endRule(st);
        this.evalVpath(s.text, this.loc(s, st));
        return;
      case "include":
        this.endRule(st);
        this.evalInclude(s, st);
        return;
      case "load":
        this.endRule(st);
        if (!s.optional) throw new MakeError("The 'load' operation is not supported by tmake", this.loc(s, st));
        return;
      case "prolog":
        this.endRule(st);
        this.db.prolog.push({ text: s.text, loc: this.loc(s, st) });
        return;
      case "rule":
        // A prefixed line that is not an assignment or directive, with no rule before it.
        if (s.prefixed) throw new MakeError("recipe commences before first target", this.loc(s, st));
        this.rules.evaluate(s, st);
        return;
    }
  }

  /** Closes the current rule (GNU's record_waiting_files). */
  endRule(st: FileState): void {
    const r = st.rule;
    if (r !== undefined && r.recipe.length > 0) {
      // Trim the pushed-to recipe array to its size (see splitWords); the twin shares it.
      r.recipe = r.recipe.slice();
      if (st.twin !== undefined) st.twin.recipe = r.recipe;
    }
    st.rule = undefined;
    st.twin = undefined;
    st.inRule = false;
    st.noTargets = false;
  }

  private addRecipeLine(st: FileState, text: string, s: { line: number }): void {
    const rule = st.rule;
    if (rule === undefined) return;
    rule.recipe.push({ text, loc: this.loc(s, st) });
    rule.hasRecipe = true;
    if (st.twin !== undefined) st.twin.hasRecipe = true;
  }

  // ---- variables ------------------------------------------------------------------------------

  /** A global assignment line (or define): GNU's try_variable_definition. */
  evalAssignment(nameText: string, op: AssignOp, value: string, mods: Modifiers, loc: Loc): void {
    const name = this.expander.expand(nameText, this.globals, loc).trim();
    if (name === "") throw new MakeError("empty variable name", loc);
    const a: Assignment = {
      name,
      op,
      value,
      override: mods.override,
      private: mods.private,
      loc,
    };
    if (mods.export) a.exported = true;
    else if (mods.unexport) a.exported = false;
    this.expander.assign(this.globals, a, "file");
  }

  private evalDefine(s: DefineStatement, st: FileState): void {
    const loc = this.loc(s, st);
    if (s.extraneous) this.expander.warn("extraneous text after 'define' directive", loc);
    if (s.endefExtraneousLine !== undefined) {
      this.expander.warn("extraneous text after 'endef' directive", { file: st.name, line: s.endefExtraneousLine + st.lineOffset });
    }
    const name = this.expander.expand(s.name, this.globals, loc).trim();
    if (name === "") throw new MakeError("empty variable name", loc);
    this.evalAssignment(escapeDollars(name), s.op, s.body, s.modifiers, loc);
  }

  private evalExport(s: ExportStatement, st: FileState): void {
    const loc = this.loc(s, st);
    if (s.names.trim() === "") {
      this.expander.exportAll = s.export;
      return;
    }
    for (const name of splitWords(this.expander.expand(s.names, this.globals, loc))) {
      let v = this.globals.get(name);
      if (v === undefined) {
        v = { name, value: "", flavor: "recursive", origin: "file", loc };
        this.globals.set(v);
      }
      v.exported = s.export;
    }
  }

  private evalVpath(text: string, loc: Loc): void {
    const words = splitWords(this.expander.expand(text, this.globals, loc));
    if (words.length === 0) {
      this.db.vpaths.push({ pattern: "", dirs: [] });
      return;
    }
    const dirs = words
      .slice(1)
      .flatMap((w) => w.split(":"))
      .filter((d) => d !== "");
    this.db.vpaths.push({ pattern: words[0]!, dirs });
  }

  // ---- include ----------------------------------------------------------------------------

  private evalInclude(s: IncludeStatement, st: FileState): void {
    const loc = this.loc(s, st);
    const text = this.expander.expand(s.files, this.globals, loc);
    for (const word of splitWords(text)) {
      for (const name of this.rules.globFiles(word)) this.includeOne(name, s.optional, loc);
    }
  }

  /** Reads one included makefile, searching -I directories for relative names. */
  includeOne(name: string, optional: boolean, loc: Loc): void {
    const found = this.findInclude(name);
    this.db.includes.push({ name, path: found, optional, loc });
    if (found === undefined) return;
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(this.opts.cwd, found), "utf8");
    } catch {
      return;
    }
    this.evalFile(found, text);
  }

  /** Where an include file is, as GNU names it (the name as written, or DIR/name). */
  findInclude(name: string): string | undefined {
    const exists = (p: string): boolean => {
      try {
        return fs.statSync(path.resolve(this.opts.cwd, p)).isFile();
      } catch {
        return false;
      }
    };
    if (exists(name)) return name;
    if (path.isAbsolute(name)) return undefined;
    for (const dir of this.includeDirs) {
      const p = path.join(dir, name);
      if (exists(p)) return p;
    }
    return undefined;
  }
}
