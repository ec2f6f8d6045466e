// Rule lines: finding the colon the way GNU does (word by word, so a target-specific
// assignment after it is never expanded), targets and prerequisites as file names (quoting,
// globbing, `./`), static pattern and double-colon rules, target- and pattern-specific
// variables, .DEFAULT_GOAL, and biomake's multi-wildcard rules with their GNU twin.
import { MakeError, type Loc } from "../errors.js";
import { escapeDollars } from "../expand/expander.js";
import { foldShellOutput } from "../expand/functions/index.js";
import { globWord, hasWildcard } from "../expand/functions/glob.js";
import { VarScope, type Assignment, type AssignOp } from "../expand/variables.js";
import { NO_MODIFIERS, type Modifiers, type RuleStatement } from "./ast.js";
import type { Evaluator } from "./evaluate.js";
import type { FileState } from "./file-state.js";
import { parseVarAssignment } from "./parser.js";
import { PrereqWords } from "./prereq-words.js";
import { applyPosixDefaults } from "./posix.js";
import { NamePool, NO_NAMES, ReadRule, type RuleExtras } from "./records.js";
import { collapseContinuations, findUnquoted, isSpaceCode, NameScanner, nextMword, scanPlainAssignment, splitFileNames, splitWords } from "./text.js";

/** A named wildcard left in pattern-mode target text (`$X`, `$(NAME)`, `${NAME}`). */
const NAMED_WILDCARD = /\$(?:[A-Za-z_]|\([A-Za-z_][A-Za-z0-9_]*\)|\{[A-Za-z_][A-Za-z0-9_]*\})/;

export class RuleReader {
  /** GNU target lists already given a GNU twin (see gnuTwin). */
  private readonly gnuTwinTargets = new Set<string>();
  private readonly names = new NameScanner(NO_NAMES);
  private readonly prereqWords: PrereqWords;
  /** The names of every rule read (Rule.names). */
  private readonly pool = new NamePool();

  constructor(private readonly ev: Evaluator) {
    this.prereqWords = new PrereqWords(ev.expander);
  }

  /** Adds a rule's names to the pool: its range there, as ReadRule takes it. */
  private addNames(targets: readonly string[], prereqs: readonly string[], orderOnly: readonly string[]): [number, number, number, number] {
    const pool = this.pool;
    const start = pool.top;
    pool.addAll(targets);
    pool.addAll(prereqs);
    pool.addAll(orderOnly);
    return [start, start + targets.length, start + targets.length + prereqs.length, pool.top];
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
  globFiles(word: string): string[] {
    if (!hasWildcard(word)) return [word];
    const m = globWord(word, this.ev.opts.cwd);
    return m.length > 0 ? m : [word];
  }

  /** A rule-or-expression line (GNU's eval, the part after all directives). */
  evaluate(s: RuleStatement, st: FileState): void {
    this.evaluateLine(s.text, s.recipe, s.targetGoal, s.depsGoal, s.raw, st, s.line, -1);
  }

  /**
   * A rule-or-expression line given as text: `line` is the line before any `;` recipe
   * (comments removed, continuations collapsed), `cmdleft` the recipe after the `;`, `raw` the
   * line as read (for GNU's "8 spaces" hint) and `lineNo` its line in the file. `plainColon`
   * is the position of the first colon when the caller already knows the head is plain (see
   * plainHead), else -1.
   */
  evaluateLine(
    line: string,
    cmdleft: string | undefined,
    targetGoal: string | undefined,
    depsGoal: string | undefined,
    raw: string,
    st: FileState,
    lineNo: number,
    plainColon: number,
  ): void {
    this.ev.endRule(st);
    const loc: Loc = { file: st.name, line: lineNo + st.lineOffset };
    let head = plainColon > 0 ? headAt(line, plainColon, cmdleft) : plainHead(line, cmdleft);
    if (head === undefined) {
      const w = nextMword(line, 0);
      if (w.type === "eol") {
        if (cmdleft !== undefined) throw new MakeError("missing rule before recipe", loc);
        return;
      }
      if (w.type === "colon" || w.type === "dcolon") {
        st.noTargets = true;
        return;
      }
      head = this.findColon(line, w, cmdleft, loc);
    }
    const expanded = head.expanded;
    const colon = head.colon;
    const lbNext = head.lbNext;
    cmdleft = head.cmdleft;
    const cmdFromExpansion = head.cmdFromExpansion;
    if (colon < 0) {
      if (expanded.trim() === "") return;
      if (raw.startsWith("        ") && this.ev.recipePrefix() === "\t") {
        throw new MakeError("missing separator (did you mean TAB instead of 8 spaces?)", loc);
      }
      throw new MakeError("missing separator", loc);
    }

    const doubleColon = expanded.charCodeAt(colon + 1) === 58; /* : */
    const grouped = colon > 0 && expanded.charCodeAt(colon - 1) === 38; /* & */
    const targetText = expanded.slice(0, grouped ? colon - 1 : colon);
    const afterColonExpanded = expanded.length > colon + (doubleColon ? 2 : 1) ? expanded.slice(colon + (doubleColon ? 2 : 1)) : "";
    const rest = line.slice(lbNext);
    const names = this.names;
    let patternTargets = names.scan(targetText, 0, targetText.length, false);
    if (names.quoted) patternTargets = splitFileNames(targetText, false);
    if (patternTargets.length === 0) {
      st.noTargets = true;
      return;
    }
    let biomake = false;
    let targets = patternTargets;
    if (names.special || names.quoted) {
      for (const t of patternTargets) if (t.indexOf("$") >= 0 && NAMED_WILDCARD.test(t.replaceAll("$$", ""))) biomake = true;
      if (!biomake) targets = this.fileNames(patternTargets, true, true);
    }

    // Target-specific variable?  `targets: [modifiers] VAR op value`
    const afterColon = afterColonExpanded === "" ? rest : afterColonExpanded + rest;
    const tv = afterColon.indexOf("=") < 0 ? null : parseVarAssignment(afterColon, true);
    if (tv !== null && tv.kind === "assign") {
      let value = tv.def!.value;
      if (cmdleft !== undefined) value += ";" + (cmdFromExpansion ? cmdleft : collapseContinuations(cmdleft));
      this.recordTargetVar(targets, tv.def!.name, tv.def!.op, value, tv.modifiers, loc);
      return;
    }

    let twin: ReadRule | undefined;
    let mixed = false;
    let prereqs: readonly string[] = NO_NAMES;
    let orderOnly: readonly string[] = NO_NAMES;
    let extras: RuleExtras | undefined;

    if (biomake) {
      // Prerequisites are expanded by the build once the wildcards are bound.
      let rawPrereqs = (afterColonExpanded + rest).trim();
      if (cmdleft === undefined) {
        const semi = findUnquoted(rawPrereqs, ";", true);
        if (semi.index >= 0) {
          cmdleft = semi.text.slice(semi.index + 1);
          rawPrereqs = semi.text.slice(0, semi.index).trim();
        }
      }
      extras = { rawPrereqs };
    } else {
      const restExpanded = this.ev.expander.expandOnce(unquoteEquals(rest), this.ev.globals, loc);
      let prereqText = afterColonExpanded === "" ? restExpanded : unescapeDollars(afterColonExpanded) + restExpanded;
      if (cmdleft === undefined && prereqText.indexOf(";") >= 0) {
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
        extras = { staticPattern: pattern };
        prereqText = prereqText.slice(sp + 1);
      } else if (targets.length > 1 && targets[0]!.includes("%")) {
        // GNU 4.3 stops here ("mixed implicit and normal rules"); biomake reads each target
        // on its own, and so does tmake: the pattern targets make a pattern rule and the
        // others an explicit rule with the same prerequisites and recipe.
        if (targets.some((t) => !t.includes("%"))) mixed = true;
      } else if (targets.length > 1 && targets.some((t) => t.includes("%"))) {
        // GNU 4.3 complains but reads on (the rule stays an explicit one).
        this.ev.expander.output.stderr(`${loc.file}:${loc.line}: *** mixed implicit and normal rules: deprecated syntax\n`);
      }
      if (this.ev.secondExpansion && prereqText.includes("$")) {
        extras = { ...extras, secondExpansion: unescapeColons(prereqText.trim()) };
      } else {
        const split = this.splitPrereqs(prereqText, !this.ev.secondExpansion);
        prereqs = split.prereqs;
        orderOnly = split.orderOnly;
      }
    }

    let ruleTargets = targets;
    if (mixed) ruleTargets = targets.filter((t) => t.includes("%"));
    const rule = new ReadRule(loc.file, loc.line, this.pool.list, ...this.addNames(ruleTargets, prereqs, orderOnly), doubleColon, grouped);
    if (targetGoal !== undefined || depsGoal !== undefined) extras = { ...extras, targetGoal, depsGoal };
    if (extras !== undefined) rule.setExtras(extras);
    if (cmdleft !== undefined) rule.addRecipeLine(cmdleft, loc.line);
    if (biomake) twin = this.gnuTwin(rule, targetText, extras!.rawPrereqs!, loc);
    if (mixed) {
      const normal = targets.filter((t) => !t.includes("%"));
      twin = rule.twin(...this.addNames(normal, prereqs, orderOnly), false);
    }
    this.commit(rule, st, biomake);
    if (twin !== undefined) {
      this.ev.db.rules.push(twin);
      st.twin = twin;
      // A rule whose prerequisites use none of its target's wildcards is read as GNU reads it
      // for the default goal too (`$(DESTDIR)foo: ; ...` with DESTDIR unset makes `foo` the
      // default goal); a biomake pattern (`out-$X: in-$X`) gives none.
      if (mixed || (biomake && !usesWildcards(targetText, rule.rawPrereqs ?? ""))) this.maybeSetDefaultGoal(twin, false);
    }
  }

  /** Records a rule read from a line and makes it the one recipe lines attach to. */
  private commit(rule: ReadRule, st: FileState, biomake: boolean): void {
    if (this.ev.db.rulesClosed) throw new MakeError("prerequisites cannot be defined in recipes", rule.loc);
    this.ev.db.rules.push(rule);
    st.rule = rule;
    st.inRule = true;
    const names = rule.names;
    for (let i = rule.start; i < rule.prereqStart; i++) {
      const t = names[i]!;
      if (t.charCodeAt(0) !== 46 /* . */) continue;
      if (t === ".SECONDEXPANSION") this.ev.secondExpansion = true;
      else if (t === ".EXPORT_ALL_VARIABLES") this.ev.expander.exportAll = true;
      else if (t === ".POSIX" && !this.ev.posix) {
        this.ev.posix = true;
        applyPosixDefaults(this.ev.globals);
      }
    }
    this.maybeSetDefaultGoal(rule, biomake);
  }

  /**
   * The usual rule line, read straight from the makefile text: text[a, b) is one physical
   * line whose first colon is at `colon`, whose head (before the colon) holds nothing to
   * expand, quote or group, and which has no `=`, `#`, `;`, backslash or biomake goal (see
   * Evaluator.fastLine). Returns false, having done nothing, when the line needs the general
   * code: a static pattern, prerequisites whose expansion could have effects, pattern
   * targets mixed with others, .SECONDEXPANSION in effect.
   */
  fastRule(text: string, a: number, colon: number, b: number, st: FileState, lineNo: number): boolean {
    if (this.ev.secondExpansion) return false;
    let from = colon + 1;
    const doubleColon = text.charCodeAt(from) === 58; /* : */
    if (doubleColon) from++;
    // The names go straight to the pool; if the line turns out to need the general code,
    // they are dropped again.
    const pool = this.pool;
    const list = pool.list;
    const start = pool.top;
    const names = this.names;
    pool.top = names.scanTo(list, start, text, a, colon, false);
    let ok = pool.top > start && !names.quoted;
    if (ok && pool.top - start > 1) for (let i = start; i < pool.top; i++) if (list[i]!.indexOf("%") >= 0) ok = false;
    if (ok && names.special) {
      const targets = this.fileNames(list.slice(start, pool.top), true, true);
      pool.rewind(start);
      pool.addAll(targets);
    }
    const prereqStart = pool.top;
    if (ok && !doubleColon && this.fastTargetVar(text, from, b, start, st, lineNo)) {
      pool.rewind(start);
      return true;
    }
    const pw = this.prereqWords;
    if (!ok || !pw.build(text, from, b, this.ev.globals, pool)) {
      pool.rewind(start);
      return false;
    }
    // From here on the line is this rule.
    this.ev.endRule(st);
    const rule = new ReadRule(st.name, lineNo + st.lineOffset, list, start, prereqStart, pw.orderOnlyStart, pool.top, doubleColon, false);
    if (pw.special) {
      // GNU's file-name treatment (globbing, `./` removal) of the prerequisites.
      const targets = rule.targetList();
      const prereqs = this.fileNames(rule.prereqList(), true, false);
      const orderOnly = this.fileNames(rule.orderOnlyList(), true, false);
      pool.rewind(start);
      rule.setRange(...this.addNames(targets, prereqs, orderOnly));
    }
    this.commit(rule, st, false);
    return true;
  }

  /** The usual target-specific variable, `targets: NAME op value` with a plain name, read
   * from text[from, b) (after the colon) for the targets in the pool from `start` on. Returns
   * false, having done nothing, for anything else, which evaluateLine reads (modifiers,
   * computed names, `::=`, a value with a comment, `;`, backslash or goal). */
  private fastTargetVar(text: string, from: number, b: number, start: number, st: FileState, lineNo: number): boolean {
    let nameStart = from;
    while (nameStart < b && (text.charCodeAt(nameStart) === 32 || text.charCodeAt(nameStart) === 9)) nameStart++;
    const scan = scanPlainAssignment(text, nameStart, b);
    if (scan === undefined) return false;
    const { nameEnd, op } = scan;
    let k = scan.after;
    for (let p = k; p < b; p++) {
      const d = text.charCodeAt(p);
      if (d === 35 /* # */ || d === 59 /* ; */ || d === 92 /* \ */ || (d === 123 /* { */ && text.charCodeAt(p - 1) !== 36)) return false;
    }
    while (k < b && isSpaceCode(text.charCodeAt(k))) k++;
    this.ev.endRule(st);
    const loc: Loc = { file: st.name, line: lineNo + st.lineOffset };
    const targets = this.pool.list.slice(start, this.pool.top);
    this.recordTargetVar(targets, text.slice(nameStart, nameEnd), op, text.slice(k, b), NO_MODIFIERS, loc);
    return true;
  }

  /** Splits expanded prerequisite text into the rule's normal and order-only (after `|`)
   * file names. Empty lists are the shared NO_NAMES. */
  private splitPrereqs(text: string, glob: boolean): { prereqs: string[]; orderOnly: string[] } {
    const names = this.names;
    const normal = names.scan(text, 0, text.length, true);
    if (!names.quoted) {
      const prereqs = names.special ? this.fileNames(normal, glob, false) : normal;
      if (names.stop < 0) return { prereqs, orderOnly: NO_NAMES };
      let orderOnly = names.scan(text, names.stop, text.length, false);
      if (!names.quoted) {
        // GNU drops any further `|` words.
        if (orderOnly.includes("|")) orderOnly = orderOnly.filter((x) => x !== "|");
        if (orderOnly.length === 0) return { prereqs, orderOnly: NO_NAMES };
        return { prereqs, orderOnly: names.special ? this.fileNames(orderOnly, glob, false) : orderOnly };
      }
    }
    // Backslashes: GNU's quoting rules (a quoted blank belongs to the name).
    const words = splitFileNames(text);
    const pipe = words.indexOf("|");
    const before = pipe < 0 ? words : words.slice(0, pipe);
    const prereqs = before.length > 0 ? this.fileNames(before, glob, false) : NO_NAMES;
    if (pipe < 0) return { prereqs, orderOnly: NO_NAMES };
    const orderOnly = words.slice(pipe + 1).filter((x) => x !== "|");
    return { prereqs, orderOnly: orderOnly.length > 0 ? this.fileNames(orderOnly, glob, false) : NO_NAMES };
  }

  /**
   * The GNU reading of a biomake multi-wildcard rule: its undefined variables expanded to
   * nothing, as GNU Make reads `$(DESTDIR)$(bindir)/prog: prog` when DESTDIR is unset. It is
   * recorded as an extra explicit rule (Rule.gnuTwin) sharing the recipe, so a name that the
   * GNU reading gives literally is made as GNU would make it. Only the first biomake rule
   * with a given GNU target list gets one, and rules with {goals} get none.
   */
  private gnuTwin(rule: ReadRule, patternTargetText: string, rawPrereqs: string, loc: Loc): ReadRule | undefined {
    if (rule.targetGoal !== undefined || rule.depsGoal !== undefined) return undefined;
    const targets = this.fileNames(splitFileNames(dropNamedWildcards(patternTargetText), false), true, true);
    if (targets.length === 0) return undefined;
    const key = targets.join(" ");
    if (this.gnuTwinTargets.has(key)) return undefined;
    this.gnuTwinTargets.add(key);
    const words = splitFileNames(this.ev.expander.expandOnce(rawPrereqs, this.ev.globals, loc));
    const pipe = words.indexOf("|");
    const prereqs = this.fileNames(pipe < 0 ? words : words.slice(0, pipe), true, false);
    const orderOnly = pipe < 0 ? NO_NAMES : this.fileNames(words.slice(pipe + 1).filter((w) => w !== "|"), true, false);
    return rule.twin(...this.addNames(targets, prereqs, orderOnly), true);
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
  ): RuleHead {
    const expandWord = (t: string): string => this.ev.expander.expandPattern(t, this.ev.globals, loc);
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
          cmdleft = word.slice(semi + 1) + this.ev.expander.expand(line.slice(lbNext), this.ev.globals, loc);
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
  private maybeSetDefaultGoal(rule: ReadRule, biomake: boolean): void {
    const g = this.ev.globals;
    // Known to be set, and no global variable changed since: nothing to do.
    if (this.goalSetAt === g.generation) return;
    const v = g.get(".DEFAULT_GOAL");
    const current = v === undefined ? "" : v.flavor === "recursive" ? this.ev.expander.expand(v.value, g) : v.value;
    if (current !== "") {
      this.goalSetAt = g.generation;
      return;
    }
    if (biomake || this.ev.noDefaultGoal > 0) return;
    const names = rule.names;
    for (let i = rule.start; i < rule.prereqStart; i++) {
      const t = names[i]!;
      if (t.includes("%")) return;
      if (t.startsWith(".") && !t.includes("/")) continue;
      g.set({ name: ".DEFAULT_GOAL", value: t, flavor: "simple", origin: "file" });
      this.goalSetAt = g.generation;
      return;
    }
  }
  /** The globals' generation at which .DEFAULT_GOAL was last seen set. */
  private goalSetAt = -1;

  /** Target- and pattern-specific assignments (GNU's record_target_var). GNU evaluates `:=`,
   * `::=`, `:::=` and `!=` right here, at read time; the recorded Assignment then carries the
   * result (with `$` escaped) so applying it at build time gives the same value. */
  private recordTargetVar(targets: string[], nameText: string, op: AssignOp, value: string, mods: Modifiers, loc: Loc): void {
    let globalName: string | undefined;
    for (const target of targets) {
      const isPattern = target.includes("%");
      // GNU expands a target's variable name with that target's variables in view
      // (`four: FOO = x` then `four: VAR$(FOO) = ok` defines VARx); a pattern's with the globals.
      const name =
        isPattern || nameText.indexOf("$") < 0
          ? (globalName ??= this.ev.expander.expand(nameText, this.ev.globals, loc).trim())
          : this.ev.expander.expand(nameText, this.readTimeTargetScope(target, false), loc).trim();
      if (name === "") throw new MakeError("empty variable name", loc);
      const a: Assignment = { name, op, value, override: mods.override, private: mods.private, loc };
      if (mods.export) a.exported = true;
      else if (mods.unexport) a.exported = false;
      if (op === ":=" || op === "::=" || op === ":::=" || op === "!=") {
        const scope = this.readTimeTargetScope(target, isPattern);
        if (op === "!=") {
          const r = this.ev.expander.runShell(this.ev.expander.expand(value, scope, loc), scope, loc);
          this.ev.expander.setGlobal(this.ev.globals, ".SHELLSTATUS", String(r.status));
          a.op = "=";
          a.value = escapeDollars(foldShellOutput(r.stdout, false));
        } else if (op === ":::=") {
          a.op = "=";
          a.value = escapeDollars(this.ev.expander.expand(value, scope, loc));
        } else {
          a.value = escapeDollars(this.ev.expander.expand(value, scope, loc));
        }
      }
      if (isPattern) {
        const last = this.ev.db.patternVars[this.ev.db.patternVars.length - 1];
        if (last !== undefined && last.pattern === target) last.assignments.push(a);
        else this.ev.db.patternVars.push({ pattern: target, assignments: [a] });
      } else {
        let list = this.ev.db.targetVars.get(target);
        if (list === undefined) this.ev.db.targetVars.set(target, (list = []));
        list.push(a);
      }
    }
  }

  /** A scope holding what a target's earlier specific assignments give, for read-time
   * expansion of `target: X := ...`. */
  private readTimeTargetScope(target: string, isPattern: boolean): VarScope {
    const list = isPattern
      ? this.ev.db.patternVars.filter((p) => p.pattern === target).flatMap((p) => p.assignments)
      : (this.ev.db.targetVars.get(target) ?? []);
    if (list.length === 0) return this.ev.globals;
    const scope = new VarScope(this.ev.globals);
    for (const a of list) this.ev.expander.assign(scope, a, "file");
    return scope;
  }
}


interface RuleHead {
  /** The expanded text up to and including the colon(s) (or all of it when there is none). */
  expanded: string;
  colon: number;
  /** Where the unexpanded rest of the line starts. */
  lbNext: number;
  cmdleft: string | undefined;
  /** The recipe came out of an expansion (GNU expands the rest of the line into it). */
  cmdFromExpansion: boolean;
}

/** The usual rule line: something before the first colon, and nothing there that can
 * expand, quote or assign, so GNU's word-by-word search would find that colon. */
function plainHead(line: string, cmdleft: string | undefined): RuleHead | undefined {
  const c0 = line.indexOf(":");
  if (c0 <= 0) return undefined;
  let blank = true;
  for (let i = 0; i < c0; i++) {
    const ch = line.charCodeAt(i);
    // $ \ = ; &
    if (ch === 36 || ch === 92 || ch === 61 || ch === 59 || ch === 38) return undefined;
    if (ch !== 32 && ch !== 9) blank = false;
  }
  if (blank) return undefined;
  return headAt(line, c0, cmdleft);
}

/** The head of a plain rule line whose first colon is at `c0`. */
function headAt(line: string, c0: number, cmdleft: string | undefined): RuleHead {
  let end = c0 + 1;
  if (line.charCodeAt(end) === 58) end++;
  return { expanded: line.slice(0, end), colon: c0, lbNext: end, cmdleft, cmdFromExpansion: false };
}


/** Pattern-mode text with its named wildcards removed and `$$` unescaped: what GNU's
 * expansion gives (undefined variables are empty). */
/** Whether `text` refers to one of the named wildcards of pattern-mode `targetText`. */
function usesWildcards(targetText: string, text: string): boolean {
  if (text.indexOf("$") < 0) return false;
  const names = new RegExp(NAMED_WILDCARD.source, "g");
  for (const m of targetText.matchAll(names)) {
    const name = m[0].length === 2 ? m[0][1]! : m[0].slice(2, -1);
    const ref = name.length === 1 ? `\\$(?:${name}|\\(${name}\\)|\\{${name}\\})` : `\\$(?:\\(${name}\\)|\\{${name}\\})`;
    if (new RegExp(ref).test(text)) return true;
  }
  return false;
}

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

/** GNU's unescape_char(text, ':') for prerequisite text kept for a second expansion: an odd
 * run of backslashes before a colon quotes it and is halved (rounding down); an even run is
 * kept as it is. */
function unescapeColons(s: string): string {
  if (s.indexOf("\\:") < 0) return s;
  return s.replace(/(\\+):/g, (_m, run: string) => (run.length % 2 === 0 ? run : "\\".repeat((run.length - 1) / 2)) + ":");
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
