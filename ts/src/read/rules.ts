// Rule lines: finding the colon the way GNU does (word by word, so a target-specific
// assignment after it is never expanded), targets and prerequisites as file names (quoting,
// globbing, `./`), static pattern and double-colon rules, target- and pattern-specific
// variables, .DEFAULT_GOAL, and biomake's multi-wildcard rules with their GNU twin.
import { MakeError, type Loc } from "../messages.js";
import { escapeDollars } from "../expand/expander.js";
import { foldShellOutput } from "../expand/functions/index.js";
import { globWord, hasWildcard } from "../expand/functions/glob.js";
import { VarScope, type Assignment, type AssignOp } from "../expand/variables.js";
import { NO_MODIFIERS, type Modifiers, type RuleStatement } from "./ast.js";
import type { Expander } from "../expand/expander.js";
import type { Database } from "./database.js";
import type { FileState, RuleLine } from "./file-state.js";
import { parseVarAssignment } from "./parser.js";
import { PrereqWords } from "./prereq-words.js";
import { RuleChecks } from "./record.js";
import { NamePool, NO_NAMES, ReadRule, type RuleExtras } from "./records.js";
import { collapseContinuations, findUnquoted, NameScanner, nextMword, scanPlainAssignment, splitFileNames } from "./text.js";
import { isSpaceCode } from "../base/words.js";
import { withoutDotSlash } from "../base/names.js";
import { patternOf } from "../base/pattern.js";
import { callsBagof, dropNamedWildcards, refersTo, topLevelColon, wildcardNames, type RecursiveValue } from "./wildcards.js";

/** The expander's operations the rule reader uses. */
export type RuleExpander = Pick<
  Expander,
  "expand" | "expandOnce" | "expandPattern" | "assign" | "runShell" | "setGlobal" | "output" | "lookup" | "warnUndefined"
>;

/** What the rule reader needs from the evaluator reading the makefiles (the state GNU's
 * record_files and record_target_var use), and no more. */
export interface RuleHost {
  readonly expander: RuleExpander;
  readonly globals: VarScope;
  /** CURDIR: file names in rules are globbed from here. */
  readonly cwd: string;
  /** Where rules and target- and pattern-specific assignments go. */
  readonly db: Pick<Database, "rules" | "rulesClosed" | "targetVars" | "patternVars">;
  /** .SECONDEXPANSION is in effect (later rules keep their prerequisite text). */
  readonly secondExpansion: boolean;
  /** While > 0, rules do not set .DEFAULT_GOAL (makefiles named by $(MAKEFILES)). */
  readonly noDefaultGoal: number;
  /** A rule named a special target that changes how the makefiles are read
   * (.SECONDEXPANSION, .EXPORT_ALL_VARIABLES, .POSIX). */
  specialTarget(name: string): void;
  /** Closes the rule being read (GNU's record_waiting_files); it calls ruleEnded. */
  endRule(st: FileState): void;
  /** The recipe prefix in effect (for GNU's "8 spaces" hint). */
  recipePrefix(): string;
}

export class RuleReader {
  /** GNU target lists already given a GNU twin (see gnuTwin). */
  private readonly gnuTwinTargets = new Set<string>();
  private readonly names = new NameScanner(NO_NAMES);
  private readonly prereqWords: PrereqWords;
  /** The names of every rule read (Rule.names). */
  private readonly pool = new NamePool();
  /** GNU's record_files checks, made as each rule ends. */
  private readonly checks: RuleChecks;

  constructor(private readonly ev: RuleHost) {
    this.prereqWords = new PrereqWords(ev.expander);
    this.checks = new RuleChecks((text) => ev.expander.output.stderr(text));
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
        for (const m of this.globFiles(w)) out.push(withoutDotSlash(m));
      } else out.push(w.charCodeAt(0) === 46 /* . */ ? withoutDotSlash(w) : w);
    }
    return out;
  }

  /** GNU globs file names in rules and includes at read time; no match keeps the word. */
  globFiles(word: string): string[] {
    if (!hasWildcard(word)) return [word];
    const m = globWord(word, this.ev.cwd);
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
      // A line whose GNU expansion is blank is nothing (`$(NOT_SET)` alone, `$(info ...)`).
      if (dropNamedWildcards(expanded).trim() === "") return;
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
    // Undefined variables left in the target text are GNU's empty text, and biomake
    // wildcards too when the rule uses them (wildcards.ts has the rule). The targets here are
    // always GNU's.
    const wild = targetText.indexOf("$") < 0 ? NO_NAMES : wildcardNames(targetText);
    const targets = wild.length === 0 ? this.targetNames(targetText, true) : this.targetNames(dropNamedWildcards(targetText), false);
    if (targets.length === 0 && wild.length === 0) {
      st.noTargets = true;
      return;
    }

    // Target-specific variable?  `targets: [modifiers] VAR op value`
    const afterColon = afterColonExpanded === "" ? rest : afterColonExpanded + rest;
    const tv = afterColon.indexOf("=") < 0 ? null : parseVarAssignment(afterColon, true);
    if (tv !== null && tv.kind === "assign") {
      if (targets.length === 0) {
        st.noTargets = true;
        return;
      }
      let value = tv.def!.value;
      if (cmdleft !== undefined) value += ";" + (cmdFromExpansion ? cmdleft : collapseContinuations(cmdleft));
      this.recordTargetVar(targets, tv.def!.name, tv.def!.op, value, tv.modifiers, loc);
      return;
    }

    // Only a line with wildcards can wait for its recipe (settle reads it): no copy for the rest.
    const headText = wild.length === 0 ? "" : line.slice(0, lbNext);
    const ruleLine: RuleLine = { loc, targets, wild, targetText, headText, afterColonExpanded, rest, cmdleft, doubleColon, grouped, targetGoal, depsGoal };
    const reading = wild.length === 0 ? "gnu" : readingOf(ruleLine, this.recursiveValue);
    if (reading === "biomake") this.biomakeRule(ruleLine, st);
    else this.gnuRule(ruleLine, st, reading === "pending");
  }

  /** A rule line's targets as GNU names them: split, `$$` unescaped when `unescape` (the text
   * comes from pattern-mode expansion), globbed, leading `./` dropped. */
  private targetNames(text: string, unescape: boolean): string[] {
    const names = this.names;
    let targets = names.scan(text, 0, text.length, false);
    if (names.quoted) targets = splitFileNames(text, false);
    if (names.special || names.quoted) targets = this.fileNames(targets, true, unescape);
    return targets;
  }

  /**
   * The GNU reading of a rule line: prerequisites expanded now, static pattern rules, pattern
   * and normal targets mixed. With `pending`, the targets had unset variables whose biomake
   * reading waits for the recipe: the rule's line is kept until the rule ends (settle).
   */
  private gnuRule(r: RuleLine, st: FileState, pending: boolean): void {
    const { loc, targets } = r;
    let cmdleft = r.cmdleft;
    let mixed = false;
    let prereqs: readonly string[] = NO_NAMES;
    let orderOnly: readonly string[] = NO_NAMES;
    let extras: RuleExtras | undefined;
    const restExpanded = this.ev.expander.expandOnce(unquoteEquals(r.rest), this.ev.globals, loc);
    let prereqText = r.afterColonExpanded === "" ? restExpanded : dropNamedWildcards(r.afterColonExpanded) + restExpanded;
    if (cmdleft === undefined && prereqText.indexOf(";") >= 0) {
      const semi = findUnquoted(prereqText, ";", false);
      if (semi.index >= 0) {
        cmdleft = semi.text.slice(semi.index + 1);
        prereqText = semi.text.slice(0, semi.index);
      } else prereqText = semi.text;
    }
    // GNU's implicit_percent: a first target with a `%` that is not quoted makes a pattern
    // rule. Otherwise every target names a file, `\%` quoting resolved, and a `%` in a later
    // target is a plain character (RuleChecks says GNU's complaint when the rule ends).
    const implicit = targets.length > 0 && isPattern(targets[0]!);
    // Static pattern rule?  `targets: target-pattern: prereq-patterns`
    const sp = staticPatternColon(prereqText);
    if (sp >= 0) {
      extras = { staticPattern: targetPattern(prereqText.slice(0, sp), loc) };
      prereqText = prereqText.slice(sp + 1);
      pending = false;
    } else if (implicit && targets.some((t) => !isPattern(t))) {
      // GNU 4.3 stops here ("mixed implicit and normal rules"); biomake reads each target
      // on its own, and so does tmake: the pattern targets make a pattern rule and the
      // others an explicit rule with the same prerequisites and recipe.
      mixed = true;
      pending = false;
    }
    if (this.ev.secondExpansion && prereqText.includes("$")) {
      extras = { ...extras, secondExpansion: unescapeColons(prereqText.trim()) };
    } else {
      const split = this.splitPrereqs(prereqText, !this.ev.secondExpansion);
      prereqs = split.prereqs;
      orderOnly = split.orderOnly;
    }

    const ruleTargets = mixed ? targets.filter(isPattern) : implicit ? targets : fileTargets(targets);
    const rule = new ReadRule(loc.file, loc.line, this.pool.list, ...this.addNames(ruleTargets, prereqs, orderOnly), r.doubleColon, r.grouped);
    if (implicit) rule.markPattern();
    else if (ruleTargets !== targets) st.written = targets;
    if (r.targetGoal !== undefined || r.depsGoal !== undefined) extras = { ...extras, targetGoal: r.targetGoal, depsGoal: r.depsGoal };
    if (extras !== undefined) rule.setExtras(extras);
    if (cmdleft !== undefined) rule.addRecipeLine(cmdleft, loc.line);
    if (pending) {
      // The rule collects its recipe; settle() records it (if it has targets) and decides.
      if (targets.length > 0) this.commit(rule, st, true);
      else {
        st.rule = rule;
        st.inRule = true;
      }
      st.pending = { line: { ...r, cmdleft }, rule, committed: targets.length > 0 };
      return;
    }
    if (targets.length === 0) {
      st.noTargets = true;
      return;
    }
    this.commit(rule, st, false);
    if (mixed) {
      const twin = rule.twin(...this.addNames(fileTargets(targets.filter((t) => !isPattern(t))), prereqs, orderOnly), false);
      this.ev.db.rules.push(twin);
      st.twin = twin;
      this.maybeSetDefaultGoal(twin, false);
    }
  }

  /** The biomake reading of a rule line: a multi-wildcard rule whose prerequisites are
   * expanded by the build once the wildcards are bound, and its GNU reading beside it. */
  private biomakeRule(r: RuleLine, st: FileState): void {
    const { loc } = r;
    let cmdleft = r.cmdleft;
    let rawPrereqs = (r.afterColonExpanded + r.rest).trim();
    if (cmdleft === undefined) {
      const semi = findUnquoted(rawPrereqs, ";", true);
      if (semi.index >= 0) {
        cmdleft = semi.text.slice(semi.index + 1);
        rawPrereqs = semi.text.slice(0, semi.index).trim();
      }
    }
    const rule = new ReadRule(loc.file, loc.line, this.pool.list, ...this.addNames(this.patternTargets(r.targetText), NO_NAMES, NO_NAMES), false, false);
    const extras: RuleExtras = { rawPrereqs };
    if (r.targetGoal !== undefined || r.depsGoal !== undefined) Object.assign(extras, { targetGoal: r.targetGoal, depsGoal: r.depsGoal });
    rule.setExtras(extras);
    if (cmdleft !== undefined) rule.addRecipeLine(cmdleft, loc.line);
    this.commit(rule, st, true);
    // A rule with biomake syntax beyond its wildcards (a goal, $(bagof) in its prerequisites)
    // has no GNU reading (wildcards.ts).
    if (r.targetGoal !== undefined || r.depsGoal !== undefined || callsBagof(rawPrereqs)) return;
    const twin = this.gnuTwin(rule, r.targets, rawPrereqs, loc);
    if (twin === undefined) return;
    this.ev.db.rules.push(twin);
    st.twin = twin;
  }

  /** The targets of a biomake rule, in the matcher's pattern syntax. */
  private patternTargets(targetText: string): string[] {
    const names = this.names;
    const targets = names.scan(targetText, 0, targetText.length, false);
    return names.quoted ? splitFileNames(targetText, false) : targets;
  }

  /**
   * The rule being read has ended (GNU's record_waiting_files, which the evaluator's endRule
   * follows): a reading that waited for the recipe is decided (settle), then GNU's
   * record_files checks are made on the explicit rules the line gave (record.ts).
   */
  ruleEnded(st: FileState): void {
    const rule = st.pending !== undefined ? this.settle(st) : st.rule;
    if (rule !== undefined && rule.rawPrereqs === undefined && (!rule.patternRule || rule.staticPattern !== undefined)) this.checks.check(rule, st.written);
    if (st.twin !== undefined && !st.twin.patternRule) this.checks.check(st.twin, undefined);
  }

  /**
   * A rule whose targets had unset variables that nothing on its line uses is complete: if
   * its recipe uses one of them, the line is read a second time as a biomake rule (with the
   * GNU rule as its twin), else the GNU rule stands alone. Returns the GNU rule when it stays
   * recorded.
   */
  private settle(st: FileState): ReadRule | undefined {
    const p = st.pending!;
    st.pending = undefined;
    const { line: r, rule: gnu } = p;
    const recipe = gnu.recipeLines().map((l) => l.text);
    const used = refersTo(recipe, r.wild, this.recursiveValue);
    // Not used again, but written in the rule's own line (`$R.v: in.txt`): a wildcard too, of
    // a rule tried only where the GNU reading has no rule (wildcards.ts, rule 2b).
    const fallback = !used && refersTo([r.headText], r.wild, NO_VALUE);
    if (!used && !fallback) {
      if (!p.committed) return undefined;
      this.maybeSetDefaultGoal(gnu, false);
      return gnu;
    }
    const rule = new ReadRule(r.loc.file, r.loc.line, this.pool.list, ...this.addNames(this.patternTargets(r.targetText), NO_NAMES, NO_NAMES), false, false);
    rule.setExtras(fallback ? { rawPrereqs: rawPrereqText(r), fallback } : { rawPrereqs: rawPrereqText(r) });
    rule.shareRecipe(gnu);
    // The biomake rule goes where the GNU rule was recorded, before it (as a rule read as
    // biomake's from its line is followed by its twin).
    const rules = this.ev.db.rules;
    const at = p.committed ? rules.lastIndexOf(gnu) : -1;
    if (at < 0) {
      rules.push(rule);
      return undefined;
    }
    // The GNU rule becomes the biomake rule's twin; biomake's alternatives (the same targets
    // again) keep the first one only.
    const key = r.targets.join(" ");
    if (this.gnuTwinTargets.has(key)) {
      rules[at] = rule;
      return undefined;
    }
    rules.splice(at, 0, rule);
    this.gnuTwinTargets.add(key);
    gnu.markGnuTwin();
    this.maybeSetDefaultGoal(gnu, false);
    return gnu;
  }

  /** The value of a global recursive variable, for wildcards.ts's refersTo. */
  private readonly recursiveValue: RecursiveValue = (name) => {
    const v = this.ev.globals.get(name);
    return v !== undefined && v.flavor === "recursive" ? v.value : undefined;
  };

  /** Records a rule read from a line and makes it the one recipe lines attach to. A biomake
   * rule, or a GNU rule whose reading is still pending, does not set the default goal now
   * (`noDefaultGoal`). */
  private commit(rule: ReadRule, st: FileState, noDefaultGoal: boolean): void {
    if (this.ev.db.rulesClosed) throw new MakeError("prerequisites cannot be defined in recipes", rule.loc);
    this.ev.db.rules.push(rule);
    st.rule = rule;
    st.inRule = true;
    const names = rule.names;
    for (let i = rule.start; i < rule.prereqStart; i++) {
      const t = names[i]!;
      if (t.charCodeAt(0) === 46 /* . */) this.ev.specialTarget(t);
    }
    this.maybeSetDefaultGoal(rule, noDefaultGoal);
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
    // A rule whose reading waits for its recipe adds names when it is settled (in endRule),
    // which must not land among this line's names, scanned into the pool first.
    if (this.ev.secondExpansion || st.pending !== undefined) return false;
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
    // One target here when it holds a `%` (and no backslash to quote it).
    if (list[start]!.indexOf("%") >= 0) rule.markPattern();
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
   * The GNU reading of a biomake multi-wildcard rule read from its line (`targets`, GNU's
   * names: undefined variables empty), as GNU Make reads `$(DESTDIR)$(bindir)/prog: prog` when
   * DESTDIR is unset. It is recorded as an extra explicit rule (Rule.gnuTwin) sharing the
   * recipe, so a name that the GNU reading gives literally is made as GNU would make it. Only
   * the first biomake rule with a given GNU target list gets one.
   */
  private gnuTwin(rule: ReadRule, targets: string[], rawPrereqs: string, loc: Loc): ReadRule | undefined {
    if (targets.length === 0) return undefined;
    const key = targets.join(" ");
    if (this.gnuTwinTargets.has(key)) return undefined;
    this.gnuTwinTargets.add(key);
    const words = splitFileNames(this.ev.expander.expandOnce(rawPrereqs, this.ev.globals, loc));
    const pipe = words.indexOf("|");
    const prereqs = this.fileNames(pipe < 0 ? words : words.slice(0, pipe), true, false);
    const orderOnly =
      pipe < 0
        ? NO_NAMES
        : this.fileNames(
            words.slice(pipe + 1).filter((w) => w !== "|"),
            true,
            false,
          );
    const implicit = isPattern(targets[0]!);
    const twin = rule.twin(...this.addNames(implicit ? targets : fileTargets(targets), prereqs, orderOnly), true);
    if (implicit) twin.markPattern();
    return twin;
  }

  /** Finds a rule line's colon the way GNU does: expanding "makefile words" one at a time
   * until one holds a colon (it may come from a variable), so that a target-specific
   * assignment after the colon is never expanded. Target text is expanded in biomake pattern
   * mode, so undefined plain variables stay named wildcards. A `;` that appears in the
   * expansion starts the recipe (GNU expands the rest of the line into it). */
  private findColon(line: string, first: { start: number; end: number }, cmdleft: string | undefined, loc: Loc): RuleHead {
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
  private maybeSetDefaultGoal(rule: ReadRule, skip: boolean): void {
    const g = this.ev.globals;
    // Known to be set, and no global variable changed since: nothing to do.
    if (this.goalSetAt === g.generation) return;
    const v = g.get(".DEFAULT_GOAL");
    const current = v === undefined ? "" : v.flavor === "recursive" ? this.ev.expander.expand(v.value, g) : v.value;
    if (current !== "") {
      this.goalSetAt = g.generation;
      return;
    }
    if (skip || this.ev.noDefaultGoal > 0) return;
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

  /**
   * Target- and pattern-specific assignments (GNU's record_target_var). A target holding a
   * `%` that is not quoted is a pattern (`a\%b` is the target `a%b`). GNU evaluates a
   * target's `:=`, `::=`, `:::=` and `!=` right here, at read time, with the target's earlier
   * values in view, and so a `+=` onto a simple value the target itself set; a pattern's
   * `:=` with the global values only, and its `!=` when a target that it matches is built.
   * The recorded Assignment then carries the result (with `$` escaped) so applying it at
   * build time gives the same value.
   */
  private recordTargetVar(targets: string[], nameText: string, op: AssignOp, value: string, mods: Modifiers, loc: Loc): void {
    let globalName: string | undefined;
    for (const written of targets) {
      const pattern = isPattern(written);
      const target = pattern || written.indexOf("%") < 0 ? written : patternOf(written).text;
      // GNU expands a target's variable name with that target's variables in view
      // (`four: FOO = x` then `four: VAR$(FOO) = ok` defines VARx); a pattern's with the globals.
      const name =
        pattern || nameText.indexOf("$") < 0
          ? (globalName ??= this.ev.expander.expand(nameText, this.ev.globals, loc).trim())
          : this.ev.expander.expand(nameText, this.readTimeTargetScope(target), loc).trim();
      if (name === "") throw new MakeError("empty variable name", loc);
      const a: Assignment = { name, op, value, override: mods.override, private: mods.private, loc };
      if (mods.export) a.exported = true;
      else if (mods.unexport) a.exported = false;
      if (op === ":=" || op === "::=" || op === ":::=" || (op === "!=" && !pattern) || (op === "+=" && !pattern && this.ownSimple(target, name))) {
        const scope = pattern ? this.ev.globals : this.readTimeTargetScope(target);
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
      if (pattern) {
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
   * expansion of `target: X := ...` (GNU's target variable set over the global one). */
  private readTimeTargetScope(target: string): VarScope {
    const list = this.ev.db.targetVars.get(target);
    if (list === undefined || list.length === 0) return this.ev.globals;
    const scope = new VarScope(this.ev.globals);
    for (const a of list) this.ev.expander.assign(scope, a, "file");
    return scope;
  }

  /** Whether `target`'s own last definition of `name` (not a `+=` that started it) is simple,
   * so that a `+=` to it is expanded now (GNU's do_variable_definition in a target's set). */
  private ownSimple(target: string, name: string): boolean {
    let simple: boolean | undefined;
    for (const a of this.ev.db.targetVars.get(target) ?? NO_ASSIGNMENTS) {
      if (a.name !== name) continue;
      if (a.op === "+=") continue; // appends keep what the variable was (or start an append)
      if (a.op === "?=") {
        if (simple === undefined && this.ev.globals.get(name) === undefined) simple = false;
        continue;
      }
      simple = a.op === ":=" || a.op === "::=";
    }
    return simple === true;
  }
}

const NO_ASSIGNMENTS: readonly Assignment[] = [];

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

/** Pattern-mode text back to plain text (`$$` -> `$`). */
function unescapeDollars(s: string): string {
  return s.indexOf("$") < 0 ? s : s.split("$$").join("$");
}

/** A target with a `%` that is not quoted (GNU's find_percent): a pattern. */
function isPattern(target: string): boolean {
  return target.indexOf("%") >= 0 && patternOf(target).hasPercent;
}

/** The targets of an explicit rule as the files they name: GNU's find_percent quoting
 * resolved (`a\%b` is the file `a%b`). The same array when nothing changes. */
function fileTargets(targets: string[]): string[] {
  let out: string[] | undefined;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    if (t.indexOf("%") < 0) continue;
    const name = patternOf(t).text;
    if (name === t) continue;
    out ??= targets.slice();
    out[i] = name;
  }
  return out ?? targets;
}

/** The target pattern of a static pattern rule, from the text between its two colons, as
 * GNU reads it (a file name: quoting resolved, leading `./` dropped), with GNU's errors. */
function targetPattern(text: string, loc: Loc): string {
  const words = splitFileNames(text);
  if (words.length === 0) throw new MakeError("missing target pattern", loc);
  if (words.length > 1) throw new MakeError("multiple target patterns", loc);
  const pattern = withoutDotSlash(words[0]!);
  if (!isPattern(pattern)) throw new MakeError("target pattern contains no '%'", loc);
  return pattern;
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

/** No variable's value is followed (a reference counts only where it is written). */
const NO_VALUE: RecursiveValue = () => undefined;

/**
 * How a line whose targets hold unset variables is read (wildcards.ts has the rule): GNU's
 * forms (`::`, `&:`, a static pattern) are GNU's alone; a goal, or prerequisites that use one
 * of the variables, make it a biomake rule now; otherwise the recipe decides ("pending").
 */
function readingOf(r: RuleLine, recursiveValue: RecursiveValue): "gnu" | "biomake" | "pending" {
  if (r.doubleColon || r.grouped) return "gnu";
  // The prerequisites as written (the colon's word in pattern mode, where the candidates
  // appear as references too).
  const raw = r.afterColonExpanded + r.rest;
  if (topLevelColon(raw) >= 0) return "gnu";
  if (r.targetGoal !== undefined || r.depsGoal !== undefined) return "biomake";
  return raw.indexOf("$") >= 0 && refersTo([raw], r.wild, recursiveValue) ? "biomake" : "pending";
}

/** The prerequisite text of a pending rule's biomake reading, as written (no `;` recipe). */
function rawPrereqText(r: RuleLine): string {
  const raw = (r.afterColonExpanded + r.rest).trim();
  if (r.cmdleft !== undefined || raw.indexOf(";") < 0) return raw;
  const semi = findUnquoted(raw, ";", true);
  return semi.index >= 0 ? semi.text.slice(0, semi.index).trim() : raw;
}
