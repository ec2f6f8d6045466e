// The evaluator: walks parsed statements with the Expander and fills the Database, as GNU's
// read.c eval() does line by line. Conditionals are evaluated here (a stack per file), rule
// lines are expanded word by word until their colon so target-specific assignments are not
// expanded, includes are read in place, and recipe lines attach to the rule before them.
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../errors.js";
import { escapeDollars, type Expander } from "../expand/expander.js";
import { globWord, hasWildcard } from "../expand/functions/glob.js";
import { VarScope } from "../expand/variables.js";
import { foldShellOutput } from "../expand/functions/index.js";
import type {
  ConditionalTest,
  DefineStatement,
  ExportStatement,
  IncludeStatement,
  Modifiers,
  ParsedLine,
  RuleStatement,
  Statement,
} from "./ast.js";
import type { Assignment, AssignOp, Database, ReadOptions, Rule } from "./database.js";
import { Parser, parseVarAssignment, splitFile } from "./parser.js";
import { collapseContinuations, findUnquoted, nextMword, splitFileNames, splitWords } from "./text.js";
import { DEFAULT_INCLUDE_DIRS } from "../expand/defaults.js";

interface CondLevel {
  /** GNU's ignoring[]: 0 = interpreting, 1 = not yet taken, 2 = already taken. */
  ignoring: 0 | 1 | 2;
  seenElse: boolean;
}

/** What one file (or $(eval) text) being evaluated keeps. */
interface FileState {
  name: string;
  /** Added to statement line numbers ($(eval) text counts from the eval's line). */
  lineOffset: number;
  conds: CondLevel[];
  /** The rule the next recipe lines belong to. */
  rule?: Rule;
  /** A rule line without targets (`: foo`) swallows its recipe lines silently. */
  noTargets: boolean;
  /** A rule line was the last thing seen (GNU's `filenames != 0`). */
  inRule: boolean;
  /** The GNU reading of the current biomake rule (shares its recipe). */
  twin?: Rule;
}

const NAMED_WILDCARD = /\$(?:[A-Za-z_]|\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_]*\})/;

export class Evaluator {
  /** .SECONDEXPANSION was seen: later rules keep their prerequisite text for the build. */
  secondExpansion = false;
  /** GNU target lists already given a GNU twin (see gnuTwin). */
  private readonly gnuTwinTargets = new Set<string>();
  /** While > 0, rules do not set .DEFAULT_GOAL (makefiles named by $(MAKEFILES)). */
  noDefaultGoal = 0;
  /** The include directories (-I, then GNU's defaults). */
  readonly includeDirs: string[];

  constructor(
    readonly db: Database,
    readonly opts: Pick<ReadOptions, "includeDirs" | "cwd">,
  ) {
    this.includeDirs = [...opts.includeDirs, ...DEFAULT_INCLUDE_DIRS];
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
    return { file: st.name, line: s.line + st.lineOffset };
  }

  private ignoring(st: FileState): boolean {
    for (const c of st.conds) if (c.ignoring !== 0) return true;
    return false;
  }

  private evalStatement(s: ParsedLine, st: FileState): void {
    if (s.kind === "recipe") {
      // A rule without targets (`: foo`) swallows its recipe silently.
      if (st.noTargets || this.ignoring(st)) return;
      this.addRecipeLine(st, s.text, s);
      return;
    }
    switch (s.kind) {
      case "if":
      case "else":
      case "endif":
        this.evalConditional(s, st);
        return;
      default:
        break;
    }
    if (this.ignoring(st)) return;
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
        this.evalRule(s, st);
        return;
    }
  }

  private endRule(st: FileState): void {
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

  // ---- conditionals -------------------------------------------------------------------------

  private evalConditional(s: Statement & { kind: "if" | "else" | "endif" }, st: FileState): void {
    const loc = this.loc(s, st);
    if (s.kind === "endif") {
      if (s.extraneous) this.expander.warn("extraneous text after 'endif' directive", loc);
      if (st.conds.length === 0) throw new MakeError("extraneous 'endif'", loc);
      st.conds.pop();
      return;
    }
    if (s.kind === "else") {
      if (st.conds.length === 0) throw new MakeError("extraneous 'else'", loc);
      const level = st.conds[st.conds.length - 1]!;
      if (level.seenElse) throw new MakeError("only one 'else' per conditional", loc);
      if (level.ignoring === 0) level.ignoring = 2;
      else if (level.ignoring === 1) level.ignoring = 0;
      if (s.chained === undefined) {
        if (s.extraneous) this.expander.warn("extraneous text after 'else' directive", loc);
        else level.seenElse = true;
        return;
      }
      if (s.chained.test.type === "invalid") {
        this.expander.warn("extraneous text after 'else' directive", loc);
        return;
      }
      // `else ifeq ...`: evaluate as a nested level, then fold it into this one.
      this.pushConditional(s.chained.test, s.chained.extraneous, st, loc);
      const inner = st.conds.pop()!;
      if (level.ignoring < 2) level.ignoring = inner.ignoring;
      return;
    }
    this.pushConditional(s.test, s.extraneous, st, loc);
  }

  private pushConditional(test: ConditionalTest, extraneous: boolean, st: FileState, loc: Loc): void {
    if (this.ignoring(st)) {
      st.conds.push({ ignoring: 1, seenElse: false });
      return;
    }
    let result: boolean;
    switch (test.type) {
      case "invalid":
        throw new MakeError("invalid syntax in conditional", loc);
      case "ifdef":
      case "ifndef": {
        const name = this.expander.expand(test.name, this.globals, loc);
        const words = splitWords(name);
        if (words.length !== 1) {
          if (words.length === 0) {
            // `ifdef` with nothing after it: GNU looks up the empty name.
            result = false;
          } else throw new MakeError("invalid syntax in conditional", loc);
        } else {
          const v = this.expander.lookup(words[0]!, this.globals);
          result = v !== undefined && v.value !== "";
        }
        if (test.type === "ifndef") result = !result;
        break;
      }
      case "ifeq":
      case "ifneq": {
        const a = this.expander.expand(test.left, this.globals, loc);
        const b = this.expander.expand(test.right, this.globals, loc);
        if (extraneous) this.expander.warn(`extraneous text after '${test.type}' directive`, loc);
        result = (a === b) === (test.type === "ifeq");
        break;
      }
    }
    st.conds.push({ ignoring: result ? 0 : 1, seenElse: false });
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
      for (const name of this.globFiles(word)) this.includeOne(name, s.optional, loc);
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

  /** File names of a rule as GNU keeps them: `$$` unescaped (targets come from pattern-mode
   * expansion), globbed when they hold wildcards, leading `./` dropped. */
  private fileNames(words: string[], glob: boolean, unescape: boolean): string[] {
    // Usually nothing changes: hand back the same array.
    let plain = true;
    for (const w of words) {
      const c = w.charCodeAt(0);
      if (c === 46 /* . */ || (unescape && w.indexOf("$") >= 0) || (glob && hasWildcard(w))) {
        plain = false;
        break;
      }
    }
    if (plain) return words;
    const out: string[] = [];
    for (let w of words) {
      if (unescape) w = unescapeDollars(w);
      if (glob && hasWildcard(w)) {
        for (const m of this.globFiles(w)) out.push(stripDotSlash(m));
      } else out.push(w.charCodeAt(0) === 46 /* . */ ? stripDotSlash(w) : w);
    }
    return out;
  }

  /** GNU globs file names in rules and includes at read time; no match keeps the word. */
  private globFiles(word: string): string[] {
    if (!hasWildcard(word)) return [word];
    const m = globWord(word, this.opts.cwd);
    return m.length > 0 ? m : [word];
  }

  // ---- rules --------------------------------------------------------------------------------

  private evalRule(s: RuleStatement, st: FileState): void {
    this.endRule(st);
    const loc = this.loc(s, st);
    const line = s.text;
    let cmdleft = s.recipe;
    let w = nextMword(line, 0);
    if (w.type === "eol") {
      if (cmdleft !== undefined) throw new MakeError("missing rule before recipe", loc);
      return;
    }
    if (w.type === "colon" || w.type === "dcolon") {
      st.noTargets = true;
      return;
    }
    const head = this.findColon(line, w, cmdleft, loc);
    const expanded = head.expanded;
    const colon = head.colon;
    const lbNext = head.lbNext;
    cmdleft = head.cmdleft;
    const cmdFromExpansion = head.cmdFromExpansion;
    if (colon < 0) {
      if (expanded.trim() === "") return;
      if (s.raw.startsWith("        ") && this.recipePrefix() === "\t") {
        throw new MakeError("missing separator (did you mean TAB instead of 8 spaces?)", loc);
      }
      throw new MakeError("missing separator", loc);
    }

    const doubleColon = expanded[colon + 1] === ":";
    const grouped = colon > 0 && expanded[colon - 1] === "&";
    const targetText = expanded.slice(0, grouped ? colon - 1 : colon);
    const afterColonExpanded = expanded.slice(colon + (doubleColon ? 2 : 1));
    const rest = line.slice(lbNext);
    const patternTargets = splitFileNames(targetText);
    if (patternTargets.length === 0) {
      st.noTargets = true;
      return;
    }
    let biomake = false;
    for (const t of patternTargets) if (t.indexOf("$") >= 0 && NAMED_WILDCARD.test(t)) biomake = true;
    const targets = biomake ? patternTargets : this.fileNames(patternTargets, true, true);

    // Target-specific variable?  `targets: [modifiers] VAR op value`
    const afterColon = afterColonExpanded === "" ? rest : afterColonExpanded + rest;
    const tv = afterColon.indexOf("=") < 0 ? null : parseVarAssignment(afterColon, true);
    if (tv !== null && tv.kind === "assign") {
      let value = tv.def!.value;
      if (cmdleft !== undefined) value += ";" + (cmdFromExpansion ? cmdleft : collapseContinuations(cmdleft));
      this.recordTargetVar(targets, tv.def!.name, tv.def!.op, value, tv.modifiers, loc);
      return;
    }

    let twin: Rule | undefined;
    // Every field present from the start: one object shape for all rules.
    const rule: Rule = {
      loc,
      targets,
      doubleColon,
      grouped,
      prereqs: [],
      orderOnly: [],
      secondExpansion: undefined,
      staticPattern: undefined,
      rawPrereqs: undefined,
      targetGoal: s.targetGoal,
      depsGoal: s.depsGoal,
      recipe: [],
      hasRecipe: false,
    };

    if (biomake) {
      // Prerequisites are expanded by the build once the wildcards are bound.
      let raw = (afterColonExpanded + rest).trim();
      if (cmdleft === undefined) {
        const semi = findUnquoted(raw, ";", true);
        if (semi.index >= 0) {
          cmdleft = semi.text.slice(semi.index + 1);
          raw = semi.text.slice(0, semi.index).trim();
        }
      }
      rule.rawPrereqs = raw;
      twin = this.gnuTwin(rule, targetText, raw, loc);
    } else {
      const restExpanded = this.expander.expandOnce(unquoteEquals(rest), this.globals, loc);
      let prereqText = afterColonExpanded === "" ? restExpanded : unescapeDollars(afterColonExpanded) + restExpanded;
      if (cmdleft === undefined) {
        const semi = findUnquoted(prereqText, ";", false);
        if (semi.index >= 0) {
          cmdleft = semi.text.slice(semi.index + 1);
          prereqText = semi.text.slice(0, semi.index);
        } else prereqText = semi.text;
      }
      // Static pattern rule?  `targets: target-pattern: prereq-patterns`
      const sp = staticPatternColon(prereqText);
      if (sp >= 0) {
        const pattern = prereqText.slice(0, sp).trim();
        if (!pattern.includes("%")) throw new MakeError("target pattern contains no '%'", loc);
        if (splitWords(pattern).length !== 1) throw new MakeError("multiple target patterns", loc);
        rule.staticPattern = pattern;
        prereqText = prereqText.slice(sp + 1);
      } else if (targets.length > 1 && targets[0]!.includes("%")) {
        if (targets.some((t) => !t.includes("%"))) throw new MakeError("mixed implicit and normal rules", loc);
      } else if (targets.length > 1 && targets.some((t) => t.includes("%"))) {
        // GNU 4.3 complains but reads on (the rule stays an explicit one).
        this.expander.output.stderr(`${loc.file}:${loc.line}: *** mixed implicit and normal rules: deprecated syntax\n`);
      }
      if (this.secondExpansion && prereqText.includes("$")) {
        rule.secondExpansion = prereqText.trim();
      } else {
        const words = splitFileNames(prereqText);
        const pipe = words.indexOf("|");
        if (pipe < 0) rule.prereqs = this.fileNames(words, !this.secondExpansion, false);
        else {
          const normal = words.slice(0, pipe);
          const orderOnly = words.slice(pipe + 1);
          if (orderOnly.includes("|")) orderOnly.splice(0, orderOnly.length, ...orderOnly.filter((x) => x !== "|"));
          rule.prereqs = this.fileNames(normal, !this.secondExpansion, false);
          rule.orderOnly = this.fileNames(orderOnly, !this.secondExpansion, false);
        }
      }
    }

    if (cmdleft !== undefined) {
      rule.hasRecipe = true;
      rule.recipe.push({ text: cmdleft, loc });
    }
    this.db.rules.push(rule);
    st.rule = rule;
    st.inRule = true;
    if (twin !== undefined) {
      twin.hasRecipe = rule.hasRecipe;
      this.db.rules.push(twin);
      st.twin = twin;
    }

    for (const t of targets) {
      if (t === ".SECONDEXPANSION") this.secondExpansion = true;
      else if (t === ".EXPORT_ALL_VARIABLES") this.expander.exportAll = true;
    }
    this.maybeSetDefaultGoal(targets, biomake);
  }

  /**
   * The GNU reading of a biomake multi-wildcard rule: its undefined variables expanded to
   * nothing, as GNU Make reads `$(DESTDIR)$(bindir)/prog: prog` when DESTDIR is unset. It is
   * recorded as an extra explicit rule (Rule.gnuTwin) sharing the recipe, so a name that the
   * GNU reading gives literally is made as GNU would make it. Only the first biomake rule
   * with a given GNU target list gets one, and rules with {goals} get none.
   */
  private gnuTwin(rule: Rule, patternTargetText: string, rawPrereqs: string, loc: Loc): Rule | undefined {
    if (rule.targetGoal !== undefined || rule.depsGoal !== undefined) return undefined;
    const targets = this.fileNames(splitFileNames(dropNamedWildcards(patternTargetText)), true, true);
    if (targets.length === 0) return undefined;
    const key = targets.join(" ");
    if (this.gnuTwinTargets.has(key)) return undefined;
    this.gnuTwinTargets.add(key);
    const words = splitFileNames(this.expander.expandOnce(rawPrereqs, this.globals, loc));
    const pipe = words.indexOf("|");
    const prereqs = this.fileNames(pipe < 0 ? words : words.slice(0, pipe), true, false);
    const orderOnly = pipe < 0 ? [] : this.fileNames(words.slice(pipe + 1).filter((w) => w !== "|"), true, false);
    return { ...rule, targets, prereqs, orderOnly, rawPrereqs: undefined, gnuTwin: true };
  }

  /** Finds a rule line's colon the way GNU does: expanding "makefile words" one at a time
   * until one holds a colon (it may come from a variable), so that a target-specific
   * assignment after the colon is never expanded. Target text is expanded in biomake pattern
   * mode, so undefined plain variables stay named wildcards. A `;` that appears in the
   * expansion starts the recipe (GNU expands the rest of the line into it). */
  private findColon(
    line: string,
    first: { start: number; end: number },
    cmdleft: string | undefined,
    loc: Loc,
  ): { expanded: string; colon: number; lbNext: number; cmdleft: string | undefined; cmdFromExpansion: boolean } {
    // Fast path: nothing before the first colon can expand or quote (the usual rule line).
    const c0 = line.indexOf(":");
    if (c0 > 0) {
      let plain = true;
      for (let i = 0; i < c0; i++) {
        const ch = line.charCodeAt(i);
        // $ \ = ; cannot appear
        if (ch === 36 || ch === 92 || ch === 61 || ch === 59) {
          plain = false;
          break;
        }
      }
      if (plain) {
        let end = c0 + 1;
        if (line[end] === ":") end++;
        return { expanded: line.slice(0, end), colon: c0, lbNext: end, cmdleft, cmdFromExpansion: false };
      }
    }
    const expandWord = (t: string): string => this.expander.expandPattern(t, this.globals, loc);
    let w = first;
    // `done` is the text before the latest word; like GNU, each step searches only the word
    // just expanded (a colon quoted in an earlier word stays quoted).
    let done = "";
    let word = expandWord(line.slice(w.start, w.end));
    let lbNext = w.end;
    let cmdFromExpansion = false;
    for (;;) {
      if (cmdleft === undefined) {
        const semi = word.indexOf(";");
        if (semi >= 0) {
          cmdleft = word.slice(semi + 1) + this.expander.expand(line.slice(lbNext), this.globals, loc);
          word = word.slice(0, semi);
          lbNext = line.length;
          cmdFromExpansion = true;
        }
      }
      const c = findUnquoted(word, ":", false);
      if (c.index >= 0) return { expanded: done + c.text, colon: done.length + c.index, lbNext, cmdleft, cmdFromExpansion };
      done += c.text;
      const next = nextMword(line, lbNext);
      if (next.type === "eol") return { expanded: done, colon: -1, lbNext, cmdleft, cmdFromExpansion };
      w = next;
      done += " ";
      word = expandWord(line.slice(w.start, w.end));
      lbNext = w.end;
    }
  }

  /** GNU: the first target of the first rule that is not special (`.x` without a slash) and
   * not a pattern becomes .DEFAULT_GOAL, unless the makefile already set it. */
  private maybeSetDefaultGoal(targets: string[], biomake: boolean): void {
    const v = this.globals.get(".DEFAULT_GOAL");
    const current = v === undefined ? "" : v.flavor === "recursive" ? this.expander.expand(v.value, this.globals) : v.value;
    if (current !== "") return;
    if (biomake || this.noDefaultGoal > 0) return;
    for (const t of targets) {
      if (t.includes("%")) return;
      if (t.startsWith(".") && !t.includes("/")) continue;
      this.globals.set({ name: ".DEFAULT_GOAL", value: t, flavor: "simple", origin: "file" });
      return;
    }
  }

  /** Target- and pattern-specific assignments (GNU's record_target_var). GNU evaluates `:=`,
   * `::=`, `:::=` and `!=` right here, at read time; the recorded Assignment then carries the
   * result (with `$` escaped) so applying it at build time gives the same value. */
  private recordTargetVar(targets: string[], nameText: string, op: AssignOp, value: string, mods: Modifiers, loc: Loc): void {
    const name = this.expander.expand(nameText, this.globals, loc).trim();
    if (name === "") throw new MakeError("empty variable name", loc);
    for (const target of targets) {
      const a: Assignment = { name, op, value, override: mods.override, private: mods.private, loc };
      if (mods.export) a.exported = true;
      else if (mods.unexport) a.exported = false;
      const isPattern = target.includes("%");
      if (op === ":=" || op === "::=" || op === ":::=" || op === "!=") {
        const scope = this.readTimeTargetScope(target, isPattern);
        if (op === "!=") {
          const r = this.expander.runShell(this.expander.expand(value, scope, loc), scope, loc);
          this.expander.setGlobal(this.globals, ".SHELLSTATUS", String(r.status));
          a.op = "=";
          a.value = escapeDollars(foldShellOutput(r.stdout, false));
        } else if (op === ":::=") {
          a.op = "=";
          a.value = escapeDollars(this.expander.expand(value, scope, loc));
        } else {
          a.value = escapeDollars(this.expander.expand(value, scope, loc));
        }
      }
      if (isPattern) {
        const last = this.db.patternVars[this.db.patternVars.length - 1];
        if (last !== undefined && last.pattern === target) last.assignments.push(a);
        else this.db.patternVars.push({ pattern: target, assignments: [a] });
      } else {
        let list = this.db.targetVars.get(target);
        if (list === undefined) this.db.targetVars.set(target, (list = []));
        list.push(a);
      }
    }
  }

  /** A scope holding what a target's earlier specific assignments give, for read-time
   * expansion of `target: X := ...`. */
  private readTimeTargetScope(target: string, isPattern: boolean): VarScope {
    const list = isPattern
      ? this.db.patternVars.filter((p) => p.pattern === target).flatMap((p) => p.assignments)
      : (this.db.targetVars.get(target) ?? []);
    if (list.length === 0) return this.globals;
    const scope = new VarScope(this.globals);
    for (const a of list) this.expander.assign(scope, a, "file");
    return scope;
  }
}

/** Pattern-mode text with its named wildcards removed and `$$` unescaped: what GNU's
 * expansion gives (undefined variables are empty). */
function dropNamedWildcards(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === "$") {
      out += "$";
      i++;
    } else if (n === "(" || n === "{") {
      const close = s.indexOf(n === "(" ? ")" : "}", i);
      i = close < 0 ? s.length : close;
    } else i++;
  }
  return out;
}

/** Pattern-mode text back to plain text (`$$` -> `$`). */
function unescapeDollars(s: string): string {
  return s.indexOf("$") < 0 ? s : s.split("$$").join("$");
}

/** GNU drops a leading `./` from file names. */
function stripDotSlash(name: string): string {
  while (name.startsWith("./") && name.length > 2) {
    name = name.slice(2);
    while (name.startsWith("/") && name.length > 1) name = name.slice(1);
  }
  return name;
}

/** GNU unquotes `\=` in a rule's prerequisite text (it is not an assignment). */
function unquoteEquals(s: string): string {
  if (s.indexOf("\\=") < 0) return s;
  return findUnquoted(s, "=", false).text;
}

/** The colon of a static pattern rule in expanded prerequisite text (not backslash-quoted). */
function staticPatternColon(s: string): number {
  let p = s.indexOf(":");
  while (p > 0 && s[p - 1] === "\\") {
    let bs = 0;
    for (let q = p - 1; q >= 0 && s[q] === "\\"; q--) bs++;
    if (bs % 2 === 0) break;
    p = s.indexOf(":", p + 1);
  }
  return p;
}
