// The evaluator: walks parsed statements with the Expander and fills the Database, as GNU's
// read.c eval() does line by line. Conditionals are evaluated here (a stack per file), rule
// lines are expanded word by word until their colon so target-specific assignments are not
// expanded, includes are read in place, and recipe lines attach to the rule before them.
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../messages.js";
import { DEFAULT_INCLUDE_DIRS } from "../expand/defaults.js";
import { escapeDollars, type Expander } from "../expand/expander.js";
import type { VarScope } from "../expand/variables.js";
import { NO_MODIFIERS, type DefineStatement, type ExportStatement, type IncludeStatement, type Modifiers, type ParsedLine } from "./ast.js";
import { Conditionals } from "./conditionals.js";
import type { Assignment, AssignOp } from "../expand/variables.js";
import type { Database, IncludeRecord, ReadOptions } from "./database.js";
import { COMMAND_LINE_FILE } from "./init.js";
import { isIgnoring, locIn, type FileState } from "./file-state.js";
import { Parser, splitFile } from "./parser.js";
import { applyPosixDefaults } from "./posix.js";
import { RuleReader } from "./rules.js";
import { readMakefileSource } from "./source.js";
import { scanPlainAssignment, splitFileNames } from "./text.js";
import { isSpaceCode, splitWords } from "../base/words.js";
import { withoutDotSlash } from "../base/names.js";

/** First words that make a line a directive rather than a rule or assignment (parser.ts). */
const DIRECTIVE_WORDS = new Set([
  "ifdef",
  "ifndef",
  "ifeq",
  "ifneq",
  "else",
  "endif",
  "export",
  "unexport",
  "vpath",
  "include",
  "-include",
  "sinclude",
  "load",
  "-load",
  "prolog",
  "define",
  "undefine",
  "override",
  "private",
]);

export class Evaluator {
  /** Whether evalText takes its fast paths for common one-line shapes (fastLine). Only tests
   * turn this off, to check that both ways read every line alike. */
  static fastPaths = true;
  /** .SECONDEXPANSION was seen: later rules keep their prerequisite text for the build. */
  secondExpansion = false;
  /** A .POSIX target was read (GNU's posix_pedantic: see collapseContinuations). */
  posix = false;
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

  get cwd(): string {
    return this.opts.cwd;
  }

  /** A rule named `name`, a target starting with `.`: the special targets that change how the
   * rest is read take effect now (GNU's record_files). */
  specialTarget(name: string): void {
    if (name === ".SECONDEXPANSION") this.secondExpansion = true;
    else if (name === ".EXPORT_ALL_VARIABLES") this.expander.exportAll = true;
    else if (name === ".POSIX" && !this.posix) {
      this.posix = true;
      applyPosixDefaults(this.globals);
    }
  }

  get globals(): VarScope {
    return this.db.globals;
  }

  /** The recipe prefix in effect (.RECIPEPREFIX's first character, tab when empty). */
  recipePrefix(): string {
    // Asked once per line: the answer holds until a global variable changes.
    const g = this.globals;
    if (g.generation === this.prefixGeneration) return this.prefix;
    const v = g.get(".RECIPEPREFIX");
    let prefix = "\t";
    if (v !== undefined) {
      const value = v.flavor === "recursive" ? this.expander.expand(v.value, g) : v.value;
      if (value !== "") prefix = value[0]!;
    }
    this.prefix = prefix;
    this.prefixGeneration = g.generation;
    return prefix;
  }
  private prefixGeneration = -1;
  private prefix = "\t";

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
    const lines = splitFile(text);
    const parser = new Parser(lines, fileName);
    const st: FileState = { name: fileName, lineOffset, conds: [], noTargets: false, inRule: false };
    const src = lines.source;
    // Statements are parsed one at a time with the run-time state GNU uses to classify a
    // line: the recipe prefix in effect and whether a rule precedes it. The common one-line
    // shapes (a recipe line, a comment, `NAME = value`, `targets: prereqs`) are recognised
    // straight from the text, without building a statement.
    const n = lines.count;
    for (let i = 0; i < n;) {
      const prefix = this.recipePrefix();
      const a = lines.start(i);
      const b = lines.end(i);
      if (a === b) {
        i++;
        continue;
      }
      const c = src.charCodeAt(a);
      if (c === 35 /* # */ && prefix !== "#" && Evaluator.fastPaths) {
        // A comment line (continuations included) is nothing, even right after a rule.
        i++;
        continue;
      }
      if (Evaluator.fastPaths && lines.isSingle(i) && !isIgnoring(st)) {
        if (c === prefix.charCodeAt(0)) {
          if (st.inRule || st.noTargets) {
            // A rule's recipe line (GNU hands it to the shell as written, prefix removed).
            if (!st.noTargets) this.addRecipeLine(st, this.recipeText(src, a + 1, b), lines.line(i));
            i++;
            continue;
          }
        } else if (this.fastLine(src, a, b, lines.line(i), st)) {
          i++;
          continue;
        }
      }
      parser.posix = this.posix;
      const r = parser.parseLine(i, prefix, st.inRule || st.noTargets);
      i = r.next;
      if (r.stmt !== undefined) this.evalStatement(r.stmt, st);
    }
    this.endRule(st);
    if (st.conds.length > 0) {
      throw new MakeError("missing 'endif'", { file: fileName, line: lines.physicalLines + 1 + lineOffset });
    }
  }

  /**
   * The two commonest one-line shapes, read without the general parser: `NAME op value`
   * (plain name, no modifiers, no comment) and a rule line `targets: prereqs` (or
   * `targets: VAR = value`) whose targets hold nothing to expand, quote or group and whose
   * line has no `;`, `#`, backslash or biomake goal. Returns false, having done nothing, for
   * anything else; the general parser then reads the line.
   */
  private fastLine(t: string, a: number, b: number, lineNo: number, st: FileState): boolean {
    // t is the whole file: every search stays inside [a, b). The head (up to the first `:`
    // or `=`) is looked at here; the rest of a rule line is read by fastRule, which gives up
    // on the same characters (see PrereqWords), and only then looked at again.
    let k = a;
    let blank = -1;
    let headSpecial = false;
    let c = 0;
    for (; k < b; k++) {
      c = t.charCodeAt(k);
      if (c === 58 /* : */ || c === 61 /* = */) break;
      // `$`, `&`, `(`: an expansion or grouped targets; `\`, `#`, `;`, or a brace (`$` comes
      // before the `{` of `${`; maybe a biomake goal): general code.
      if (c === 36 || c === 38 || c === 40 || c === 92 || c === 35 || c === 59 || c === 123 || c === 125) headSpecial = true;
      else if (blank < 0 && (c === 32 || (c >= 9 && c <= 13))) blank = k;
    }
    if (k >= b) return false;
    const colon = k;
    // `NAME = value`, `NAME := value` (and `+=`, `?=`, `!=`: the op's first character is in
    // the head).
    if (c === 61 || t.charCodeAt(colon + 1) === 61) return this.fastAssignment(t, a, b, lineNo, st);
    if (colon === a || headSpecial) return false;
    const c0 = t.charCodeAt(a);
    if (c0 === 32 || c0 === 9) return false;
    // `A::= b` (an assignment), `A:::= b`.
    if (t.charCodeAt(colon + 1) === 58 && (t.charCodeAt(colon + 2) === 61 || t.charCodeAt(colon + 2) === 58)) return false;
    // A directive keyword first (`export a: b` exports) is not a rule.
    if (blank >= 0 && DIRECTIVE_WORDS.has(t.slice(a, blank))) return false;
    if (this.rules.fastRule(t, a, colon, b, st, lineNo)) return true;
    // `targets: VAR = value`, or prerequisites the fast path leaves to the general code:
    // evaluateLine takes the line as it is if it has no comment, `;`, backslash or goal.
    for (let p = colon + 1; p < b; p++) {
      const d = t.charCodeAt(p);
      if (d === 92 || d === 35 || d === 59) return false;
      // A brace that is not part of `${...}`: maybe a biomake goal.
      if ((d === 123 && t.charCodeAt(p - 1) !== 36) || (d === 125 && t.lastIndexOf("${", p) < a)) return false;
    }
    const line = t.slice(a, b);
    this.rules.evaluateLine(line, undefined, undefined, undefined, line, st, lineNo, colon - a);
    return true;
  }

  /** `NAME [blanks] op [blanks] value` with a plain name, no modifiers and no comment, in
   * t[a, b). */
  private fastAssignment(t: string, a: number, b: number, lineNo: number, st: FileState): boolean {
    const scan = scanPlainAssignment(t, a, b);
    if (scan === undefined) return false;
    const { nameEnd, op } = scan;
    let k = scan.after;
    for (let p = k; p < b; p++) if (t.charCodeAt(p) === 35 /* # */) return false;
    while (k < b && isSpaceCode(t.charCodeAt(k))) k++;
    this.endRule(st);
    this.evalAssignment(t.slice(a, nameEnd), op, t.slice(k, b), NO_MODIFIERS, { file: st.name, line: lineNo + st.lineOffset });
    return true;
  }

  // ---- statements -------------------------------------------------------------------------

  private loc(s: { line: number }, st: FileState): Loc {
    return locIn(st, s);
  }

  private evalStatement(s: ParsedLine, st: FileState): void {
    if (s.kind === "recipe") {
      // A rule without targets (`: foo`) swallows its recipe silently.
      if (st.noTargets || isIgnoring(st)) return;
      this.addRecipeLine(st, s.text, s.line);
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
    if (r !== undefined && r.grouped && !r.hasRecipe) throw new MakeError("grouped targets must provide a recipe", r.loc);
    if (r !== undefined) {
      r.endRecipe();
      if (st.twin !== undefined) st.twin.shareRecipe(r);
      this.rules.ruleEnded(st);
    }
    st.rule = undefined;
    st.twin = undefined;
    st.written = undefined;
    st.inRule = false;
    st.noTargets = false;
  }

  /** The text src[from, to) of a recipe line. Rules read one after another often have the
   * same recipe (generated makefiles, `$(CC) -c -o $@ $<` in every rule): the text of the
   * previous recipe line is kept once more rather than a copy of it. */
  private recipeText(src: string, from: number, to: number): string {
    const last = this.lastRecipeText;
    if (to - from === last.length && src.startsWith(last, from)) return last;
    return (this.lastRecipeText = src.slice(from, to));
  }
  private lastRecipeText = "";

  /** A recipe line of the current rule; `line` is its line number in the text read. */
  private addRecipeLine(st: FileState, text: string, line: number): void {
    const rule = st.rule;
    if (rule === undefined) return;
    rule.addRecipeLine(text, line + st.lineOffset);
    if (st.twin !== undefined) st.twin.shareRecipe(rule);
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
    // File names as GNU's parse_file_seq reads them: a backslash quotes a blank, a leading
    // `./` goes (`-include ./foo.mk` is `foo.mk` in MAKEFILE_LIST), then globbing.
    for (const word of splitFileNames(text, false)) {
      for (const name of this.rules.globFiles(withoutDotSlash(word))) this.includeOne(name, s.optional, loc, st.name);
    }
  }

  /** Reads one included makefile, searching -I directories for relative names, then (as
   * biomake does) the directory of the makefile that includes it (`from`). */
  includeOne(name: string, optional: boolean, loc: Loc, from?: string): void {
    let found = this.findInclude(name);
    let fallback = false;
    if (found === undefined && from !== undefined) {
      found = this.findBesideIncluder(name, from);
      fallback = found !== undefined;
    }
    const rec: IncludeRecord = { name, path: found, optional, loc };
    if (fallback) rec.fallback = true;
    this.db.includes.push(rec);
    if (found === undefined) return;
    // GNU names the file as the include line wrote it, even when found in a -I directory.
    const read = readMakefileSource(path.resolve(this.opts.cwd, found), name);
    if ("error" in read) {
      // GNU: a file it could not open is missing, and its reason is said ("Permission denied").
      rec.path = undefined;
      rec.error = read.error;
      return;
    }
    this.evalFile(found, read.text);
  }

  /**
   * Biomake's extra place for a relative include: beside the makefile that includes it
   * (`include dir2/Makefile` in dir1/Makefile finds dir1/dir2/Makefile). GNU only looks in
   * the current directory and the -I directories, and fails when the file is in neither
   * (unless a rule makes it), so this is asked only after GNU's search found nothing.
   */
  private findBesideIncluder(name: string, from: string): string | undefined {
    if (path.isAbsolute(name) || from === COMMAND_LINE_FILE || from === "-") return undefined;
    const dir = path.dirname(from);
    if (dir === ".") return undefined;
    const p = path.join(dir, name);
    try {
      return fs.statSync(path.resolve(this.opts.cwd, p)).isFile() ? p : undefined;
    } catch {
      return undefined;
    }
  }

  /** Where an include file is, as GNU names it (the name as written, or DIR/name). */
  findInclude(name: string): string | undefined {
    const exists = (p: string): boolean => {
      try {
        fs.statSync(path.resolve(this.opts.cwd, p));
        return true; // GNU opens whatever is there: a directory is then a fatal error
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
