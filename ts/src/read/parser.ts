// The makefile parser: logical lines -> typed statements (ast.ts). Nothing is expanded here.
//
// GNU classifies each line in this order (read.c eval): a recipe line right after a rule;
// otherwise, with continuations collapsed and comments removed, a variable assignment
// (modifiers, define, undefine first, so `ifdef = 1` is a variable); a blank line; a
// conditional directive; export/unexport; vpath; include; load; and finally a line whose
// meaning needs expansion (a rule, a target-specific variable, or nothing).
import type { AssignOp } from "../expand/variables.js";
import type { ConditionalTest, Modifiers, ParsedLine, RuleStatement, Where } from "./ast.js";
import { LogicalLines } from "./lines.js";
import { ruleColon, scanGoals } from "./goals.js";
import { collapseContinuations, findUnquoted, isBlank, removeComments, skipSpace, wordAt } from "./text.js";

/** A file's logical lines (offsets only; see lines.ts). */
export type ParsedFile = LogicalLines;

export function splitFile(text: string): ParsedFile {
  return new LogicalLines(text);
}

const NO_MODIFIERS: Modifiers = { export: false, unexport: false, override: false, private: false };

/** GNU's parse_variable_definition: finds `NAME op` at the start of `s` (from `i`).
 * Returns the name (unexpanded, trailing blanks removed), operator and value start. */
export function parseVariableDefinition(s: string, i: number): { name: string; op: AssignOp; valueStart: number } | null {
  i = skipSpace(s, i);
  const nameStart = i;
  let nameEnd = -1;
  let wspace = false;
  const n = s.length;
  let p = i;
  for (;;) {
    if (p >= n) return null;
    let c = s[p++]!;
    if (c === "#") return null;
    if (c === "$") {
      if (p >= n) return null;
      const open = s[p++]!;
      if (open !== "(" && open !== "{") continue;
      const close = open === "(" ? ")" : "}";
      let count = 1;
      for (; p < n; p++) {
        if (s[p] === close && --count === 0) {
          p++;
          break;
        }
        if (s[p] === open) count++;
      }
      continue;
    }
    if (isBlank(c)) {
      // After blanks only an operator may follow (GNU): `define $(NAME) =` is no assignment.
      wspace = true;
      if (nameEnd < 0) nameEnd = p - 1;
      p = skipSpace(s, p);
      if (p >= n) return null;
      c = s[p++]!;
    }
    if (c === "=") {
      if (nameEnd < 0) nameEnd = p - 1;
      return { name: s.slice(nameStart, nameEnd), op: "=", valueStart: skipSpace(s, p) };
    }
    if (s[p] === "=") {
      let op: AssignOp | undefined;
      if (c === ":") op = ":=";
      else if (c === "+") op = "+=";
      else if (c === "?") op = "?=";
      else if (c === "!") op = "!=";
      if (op === undefined) {
        if (wspace) return null;
        continue;
      }
      if (nameEnd < 0) nameEnd = p - 1;
      return { name: s.slice(nameStart, nameEnd), op, valueStart: skipSpace(s, p + 1) };
    }
    if (c === ":") {
      // `::=` (POSIX) and `:::=` (GNU 4.4); any other colon is not an assignment.
      if (s[p] === ":" && s[p + 1] === "=") {
        if (nameEnd < 0) nameEnd = p - 1;
        return { name: s.slice(nameStart, nameEnd), op: "::=", valueStart: skipSpace(s, p + 2) };
      }
      if (s[p] === ":" && s[p + 1] === ":" && s[p + 2] === "=") {
        if (nameEnd < 0) nameEnd = p - 1;
        return { name: s.slice(nameStart, nameEnd), op: ":::=", valueStart: skipSpace(s, p + 3) };
      }
      return null;
    }
    if (wspace) return null;
  }
}

export interface VarAssignmentParse {
  modifiers: Modifiers;
  kind: "assign" | "define" | "undefine";
  /** For "assign": the definition; for define/undefine: the text after the keyword. */
  def?: { name: string; op: AssignOp; value: string };
  rest?: string;
}

/** GNU's parse_var_assignment: modifiers (export, unexport, override, private; and define /
 * undefine unless `targetVar`) followed by a definition. null when the line is not one. */
export function parseVarAssignment(s: string, targetVar: boolean): VarAssignmentParse | null {
  let p = skipSpace(s, 0);
  if (p >= s.length) return null;
  const mods: Modifiers = { ...NO_MODIFIERS };
  for (;;) {
    const d = parseVariableDefinition(s, p);
    if (d !== null) {
      return { modifiers: mods, kind: "assign", def: { name: d.name, op: d.op, value: s.slice(d.valueStart) } };
    }
    const w = wordAt(s, p);
    const word = s.slice(w.start, w.end);
    if (word === "export") mods.export = true;
    else if (word === "unexport") mods.unexport = true;
    else if (word === "override") mods.override = true;
    else if (word === "private") mods.private = true;
    else if (!targetVar && word === "define") {
      return { modifiers: mods, kind: "define", rest: s.slice(skipSpace(s, w.end)) };
    } else if (!targetVar && word === "undefine") {
      return { modifiers: mods, kind: "undefine", rest: s.slice(skipSpace(s, w.end)) };
    } else return null;
    p = skipSpace(s, w.end);
    if (p >= s.length) return null;
  }
}

/** Parses the arguments of ifeq/ifneq the way GNU's conditional_line splits them. */
export function parseEqualityTest(type: "ifeq" | "ifneq", s: string): { test: ConditionalTest; extraneous: boolean } {
  const invalid = { test: { type: "invalid" as const, keyword: type }, extraneous: false };
  let p = 0;
  const open = s[p];
  const termin = open === "(" ? "," : open;
  if (termin !== "," && termin !== '"' && termin !== "'") return invalid;
  p++;
  const s1Start = p;
  if (termin === ",") {
    let count = 0;
    for (; p < s.length; p++) {
      const c = s[p];
      if (c === "(") count++;
      else if (c === ")") count--;
      else if (c === "," && count <= 0) break;
    }
  } else {
    while (p < s.length && s[p] !== termin) p++;
  }
  if (p >= s.length) return invalid;
  let left: string;
  if (termin === ",") {
    let e = p;
    while (e > s1Start && isBlank(s[e - 1])) e--;
    left = s.slice(s1Start, e);
    p++;
  } else {
    left = s.slice(s1Start, p);
    p++;
    p = skipSpace(s, p);
  }
  const termin2 = termin === "," ? ")" : s[p];
  if (termin2 !== ")" && termin2 !== '"' && termin2 !== "'") return invalid;
  let s2Start: number;
  if (termin2 === ")") {
    let count = 0;
    s2Start = skipSpace(s, p);
    for (p = s2Start; p < s.length; p++) {
      const c = s[p];
      if (c === "(") count++;
      else if (c === ")") {
        if (count <= 0) break;
        count--;
      }
    }
  } else {
    p++;
    s2Start = p;
    while (p < s.length && s[p] !== termin2) p++;
  }
  if (p >= s.length) return invalid;
  const right = s.slice(s2Start, p);
  p = skipSpace(s, p + 1);
  return { test: { type, left, right }, extraneous: p < s.length };
}

/** The test of a conditional directive whose keyword is `word` and arguments `args`
 * (comments removed, continuations collapsed, leading blanks skipped). */
function parseTest(word: "ifdef" | "ifndef" | "ifeq" | "ifneq", args: string): { test: ConditionalTest; extraneous: boolean } {
  if (word === "ifdef" || word === "ifndef") return { test: { type: word, name: args }, extraneous: false };
  return parseEqualityTest(word, args);
}

const CONDITIONAL_WORDS = new Set(["ifdef", "ifndef", "ifeq", "ifneq", "else", "endif"]);

/**
 * A parser over one file's logical lines. `parse(from, prefix, afterRule)` returns statements
 * from logical line `from` on, assuming recipe prefix `prefix` and whether a rule precedes;
 * the evaluator calls it again from a later line if .RECIPEPREFIX changes.
 */
export class Parser {
  /** A .POSIX target was read: continuations keep the blanks before them (GNU's
   * posix_pedantic). The evaluator keeps it current. */
  posix = false;

  constructor(
    readonly file: ParsedFile,
    readonly fileName: string,
  ) {}

  parse(from: number, prefix: string, afterRule: boolean): ParsedLine[] {
    const out: ParsedLine[] = [];
    let i = from;
    while (i < this.file.count) {
      const r = this.parseLine(i, prefix, afterRule);
      i = r.next;
      if (r.stmt === undefined) continue;
      out.push(r.stmt);
      const k = r.stmt.kind;
      if (k === "rule") afterRule = true;
      else if (k !== "recipe" && k !== "if" && k !== "else" && k !== "endif") afterRule = false;
      if (k === "assignment" && r.stmt.name.trim() === ".RECIPEPREFIX" && !r.stmt.modifiers.private) {
        // The common case is a literal: follow it now. The evaluator re-parses when the value
        // it computes differs (computed values, conditionals).
        const v = r.stmt.value;
        if (r.stmt.op !== "+=" && r.stmt.op !== "!=" && r.stmt.op !== "?=" && !v.includes("$")) prefix = v === "" ? "\t" : v[0]!;
      }
    }
    return out;
  }

  /** Parses the logical line at `index` (plus any lines it consumes: define bodies, prolog
   * blocks, multi-line biomake goals). */
  parseLine(index: number, prefix: string, afterRule: boolean): { stmt?: ParsedLine; next: number } {
    const r = this.parseLineAt(index, prefix, afterRule);
    if (r.stmt !== undefined && r.stmt.end !== r.next) r.stmt.end = r.next;
    return r;
  }

  private parseLineAt(index: number, prefix: string, afterRule: boolean): { stmt?: ParsedLine; next: number } {
    const raw = this.file.text(index);
    const prefixed = raw.startsWith(prefix);
    const where: Where = { line: this.file.line(index), index, end: index + 1, raw, prefixed };
    if (prefixed && afterRule) {
      return {
        stmt: {
          kind: "recipe",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          text: stripRecipePrefixes(raw.slice(prefix.length), prefix),
        },
        next: index + 1,
      };
    }
    const collapsed = removeComments(collapseContinuations(raw, this.posix));

    const va = parseVarAssignment(collapsed, false);
    if (va !== null) {
      if (va.kind === "assign") {
        const d = va.def!;
        return {
          stmt: {
            kind: "assignment",
            line: where.line,
            index: where.index,
            end: where.end,
            raw: where.raw,
            prefixed: where.prefixed,
            name: d.name,
            op: d.op,
            value: d.value,
            modifiers: va.modifiers,
          },
          next: index + 1,
        };
      }
      if (va.kind === "undefine") {
        return {
          stmt: {
            kind: "undefine",
            line: where.line,
            index: where.index,
            end: where.end,
            raw: where.raw,
            prefixed: where.prefixed,
            name: va.rest!,
            modifiers: va.modifiers,
          },
          next: index + 1,
        };
      }
      return this.parseDefine(index, where, va.rest!, va.modifiers, prefix);
    }

    const first = wordAt(collapsed, 0);
    if (first.start >= collapsed.length) return { next: index + 1 };
    const word = collapsed.slice(first.start, first.end);
    const argsStart = skipSpace(collapsed, first.end);
    const args = collapsed.slice(argsStart);

    if (CONDITIONAL_WORDS.has(word)) {
      if (word === "endif")
        return {
          stmt: { kind: "endif", line: where.line, index: where.index, end: where.end, raw: where.raw, prefixed: where.prefixed, extraneous: args !== "" },
          next: index + 1,
        };
      if (word === "else") {
        if (args === "")
          return {
            stmt: { kind: "else", line: where.line, index: where.index, end: where.end, raw: where.raw, prefixed: where.prefixed, extraneous: false },
            next: index + 1,
          };
        const w2 = wordAt(args, 0);
        const kw = args.slice(w2.start, w2.end);
        if (kw === "ifdef" || kw === "ifndef" || kw === "ifeq" || kw === "ifneq") {
          const t = parseTest(kw, args.slice(skipSpace(args, w2.end)));
          return {
            stmt: {
              kind: "else",
              line: where.line,
              index: where.index,
              end: where.end,
              raw: where.raw,
              prefixed: where.prefixed,
              chained: t,
              extraneous: false,
            },
            next: index + 1,
          };
        }
        return {
          stmt: { kind: "else", line: where.line, index: where.index, end: where.end, raw: where.raw, prefixed: where.prefixed, extraneous: true },
          next: index + 1,
        };
      }
      const t = parseTest(word as "ifdef" | "ifndef" | "ifeq" | "ifneq", args);
      return {
        stmt: {
          kind: "if",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          test: t.test,
          extraneous: t.extraneous,
        },
        next: index + 1,
      };
    }
    if (word === "export" || word === "unexport") {
      return {
        stmt: {
          kind: "export",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          export: word === "export",
          names: args,
        },
        next: index + 1,
      };
    }
    if (word === "vpath")
      return {
        stmt: { kind: "vpath", line: where.line, index: where.index, end: where.end, raw: where.raw, prefixed: where.prefixed, text: args },
        next: index + 1,
      };
    if (word === "include" || word === "-include" || word === "sinclude") {
      return {
        stmt: {
          kind: "include",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          optional: word !== "include",
          files: args,
        },
        next: index + 1,
      };
    }
    if (word === "load" || word === "-load") {
      return {
        stmt: {
          kind: "load",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          optional: word === "-load",
          text: args,
        },
        next: index + 1,
      };
    }
    if (word === "prolog" && args === "" && !prefixed) return this.parseProlog(index, where);
    return this.parseRuleLine(index, where, prefix);
  }

  private parseDefine(index: number, where: Where, rest: string, modifiers: Modifiers, prefix: string): { stmt: ParsedLine; next: number } {
    let name = rest;
    let op: AssignOp = "=";
    let extraneous = false;
    const d = parseVariableDefinition(rest, 0);
    if (d !== null) {
      name = d.name;
      op = d.op;
      extraneous = rest.slice(d.valueStart).trim() !== "";
    }
    const lines = this.file;
    const body: string[] = [];
    let depth = 1;
    let endefExtraneousLine: number | undefined;
    let i = index + 1;
    for (; i < lines.count; i++) {
      const t = lines.text(i);
      if (!t.startsWith(prefix)) {
        const p = skipSpace(t, 0);
        if (t.startsWith("define", p) && (t.length === p + 6 || isBlank(t[p + 6]))) depth++;
        else if (t.startsWith("endef", p) && (t.length === p + 5 || isBlank(t[p + 5]))) {
          if (removeComments(t.slice(p + 5)).trim() !== "") endefExtraneousLine = lines.line(i);
          if (--depth === 0) break;
        }
      }
      // GNU collapses continuation lines inside define bodies too.
      body.push(collapseContinuations(t, this.posix));
    }
    if (i >= lines.count) {
      return {
        stmt: {
          kind: "problem",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          message: "missing 'endef', unterminated 'define'",
        },
        next: lines.count,
      };
    }
    return {
      stmt: {
        kind: "define",
        line: where.line,
        index: where.index,
        end: where.end,
        raw: where.raw,
        prefixed: where.prefixed,
        name,
        op,
        body: body.join("\n"),
        modifiers,
        extraneous,
        endefExtraneousLine,
      },
      next: i + 1,
    };
  }

  private parseProlog(index: number, where: Where): { stmt: ParsedLine; next: number } {
    const lines = this.file;
    const body: string[] = [];
    let i = index + 1;
    for (; i < lines.count; i++) {
      const t = lines.text(i);
      if (t.trim() === "endprolog") break;
      body.push(t);
    }
    if (i >= lines.count) {
      return {
        stmt: {
          kind: "problem",
          line: where.line,
          index: where.index,
          end: where.end,
          raw: where.raw,
          prefixed: where.prefixed,
          message: "missing 'endprolog', unterminated 'prolog'",
        },
        next: lines.count,
      };
    }
    return {
      stmt: { kind: "prolog", line: where.line, index: where.index, end: where.end, raw: where.raw, prefixed: where.prefixed, text: body.join("\n") },
      next: i + 1,
    };
  }

  /** A rule-or-expression line: split off a `;` recipe and biomake `{goals}` (goals.ts). */
  private parseRuleLine(index: number, where: Where, prefix: string): { stmt: ParsedLine; next: number } {
    let raw = where.raw;
    let next = index + 1;
    const lines = this.file;
    let goals = isTargetVariable(raw, this.posix) ? { rest: raw } : scanGoals(raw);
    // A biomake goal may span lines: `target: { a(X),` / `    b(X) }`.
    while (goals.open === true && next < lines.count) {
      raw += "\n" + lines.text(next);
      next++;
      goals = scanGoals(raw);
    }
    if (goals.open === true || goals.error !== undefined) {
      // Reported at the rule's line; the lines after it are read as they are.
      const message = goals.error ?? "unterminated biomake goal: '{' without '}'";
      return {
        stmt: { kind: "problem", line: where.line, index: where.index, end: index + 1, raw: where.raw, prefixed: where.prefixed, message },
        next: index + 1,
      };
    }
    const line = goals.rest;
    const r = findUnquoted(line, ";#", true);
    let before: string;
    let recipe: string | undefined;
    if (r.index >= 0 && r.text[r.index] === ";") {
      before = r.text.slice(0, r.index);
      recipe = stripRecipePrefixes(r.text.slice(r.index + 1), prefix);
    } else if (r.index >= 0) {
      before = r.text.slice(0, r.index);
    } else before = r.text;
    const stmt: RuleStatement = {
      kind: "rule",
      line: where.line,
      index: where.index,
      end: next,
      raw: where.raw,
      prefixed: where.prefixed,
      text: collapseContinuations(before, this.posix),
      recipe,
      targetGoal: goals.targetGoal,
      depsGoal: goals.depsGoal,
    };
    return { stmt, next };
  }
}

/** Removes the recipe prefix character that follows each backslash-newline (GNU manual,
 * "Splitting Recipe Lines"). */
export function stripRecipePrefixes(text: string, prefix: string): string {
  if (text.indexOf("\n") < 0) return text;
  return text
    .split("\n")
    .map((l, i) => (i > 0 && l.startsWith(prefix) ? l.slice(prefix.length) : l))
    .join("\n");
}

/** Whether a rule line is a target-specific variable (`targets: VAR = {value}`): its braces
 * are the value's, never a goal. A deps goal (`t: {B = A}`) is not one. */
function isTargetVariable(raw: string, posix: boolean): boolean {
  if (raw.indexOf("=") < 0) return false;
  const colon = ruleColon(raw);
  if (colon < 0) return false;
  let after = raw.slice(colon + 1);
  if (after.startsWith(":") && !after.startsWith(":=")) after = after.slice(1);
  if (/^[ \t]*\{/.test(after)) return false;
  const va = parseVarAssignment(removeComments(collapseContinuations(after, posix)), true);
  return va !== null && va.kind === "assign";
}
