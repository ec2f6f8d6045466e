// The typed statements a makefile parses into (read/parser.ts), before any expansion.
//
// The list is flat: conditionals are directive statements (IfStatement / ElseStatement /
// EndifStatement) and the evaluator keeps GNU's conditional stack, because GNU decides line by
// line (recipe lines, defines and directives interleave with conditionals freely). Every
// statement keeps its logical line `raw` and whether it began with the recipe prefix, so the
// evaluator can reinterpret a line when the run-time rule context differs from the parser's
// static guess (GNU only treats a prefixed line as a recipe right after a rule).
import type { AssignOp } from "../expand/variables.js";

export interface Where {
  /** First physical line of the logical line (1-based). */
  line: number;
  /** Index of the logical line in the parsed file (for re-parsing from a point). */
  index: number;
  /** Index of the first logical line after this statement (define bodies, prolog blocks and
   * multi-line goals span several). */
  end: number;
  /** The logical line as read: continuation backslash-newlines kept, comments kept. */
  raw: string;
  /** The line began with the recipe prefix character in effect when it was parsed. */
  prefixed: boolean;
}

/** `export`/`unexport`/`override`/`private` written before an assignment. */
export interface Modifiers {
  export: boolean;
  unexport: boolean;
  override: boolean;
  private: boolean;
}

/** The modifiers of a line that has none. */
export const NO_MODIFIERS: Modifiers = Object.freeze({ export: false, unexport: false, override: false, private: false });

/** `NAME op VALUE` (also with modifiers). `name` and `value` are unexpanded; the value has
 * continuations collapsed, comments removed and leading blanks stripped (trailing kept). */
export interface AssignmentStatement extends Where {
  kind: "assignment";
  name: string;
  op: AssignOp;
  value: string;
  modifiers: Modifiers;
}

/** `define NAME [op]` ... `endef`: `body` is the lines between, joined by newlines. */
export interface DefineStatement extends Where {
  kind: "define";
  /** The text after `define` with any operator removed (expanded at evaluation). */
  name: string;
  op: AssignOp;
  body: string;
  modifiers: Modifiers;
  /** Text after the operator on the define line (GNU warns: extraneous text). */
  extraneous: boolean;
  /** Lines after `endef` on its line (GNU warns: extraneous text after 'endef'). */
  endefExtraneousLine?: number;
}

/** `undefine NAME` (with optional override/export modifiers). */
export interface UndefineStatement extends Where {
  kind: "undefine";
  name: string;
  modifiers: Modifiers;
}

export type ConditionalTest =
  | { type: "ifdef" | "ifndef"; name: string }
  | { type: "ifeq" | "ifneq"; left: string; right: string }
  /** Syntax GNU rejects ("invalid syntax in conditional"), detected only when evaluated. */
  | { type: "invalid"; keyword: string };

/** `ifeq`/`ifneq`/`ifdef`/`ifndef`. */
export interface IfStatement extends Where {
  kind: "if";
  test: ConditionalTest;
  /** Text after the closing quote/paren (GNU: "extraneous text after 'ifeq' directive"). */
  extraneous: boolean;
}

/** `else`, possibly `else ifeq (...)`. */
export interface ElseStatement extends Where {
  kind: "else";
  /** The chained conditional of `else if...`. */
  chained?: { test: ConditionalTest; extraneous: boolean };
  /** `else` followed by something that is not a conditional (GNU warns and ignores it). */
  extraneous: boolean;
}

export interface EndifStatement extends Where {
  kind: "endif";
  extraneous: boolean;
}

/** `include` / `-include` / `sinclude`; `files` is unexpanded. */
export interface IncludeStatement extends Where {
  kind: "include";
  optional: boolean;
  files: string;
}

/** `export` / `unexport` without an assignment: `names` unexpanded, empty for "all". */
export interface ExportStatement extends Where {
  kind: "export";
  export: boolean;
  names: string;
}

/** `vpath [PATTERN [DIRS]]`, unexpanded. */
export interface VpathStatement extends Where {
  kind: "vpath";
  text: string;
}

/** A line whose meaning is known only after expansion: a rule, a target-specific variable, or
 * text that expands to nothing (kati's "rule or expression"). */
export interface RuleStatement extends Where {
  kind: "rule";
  /** The line before any unquoted `;`, comments removed, continuations collapsed. */
  text: string;
  /** The recipe after `;` (unexpanded, backslash-newlines kept), when there was one. */
  recipe?: string;
  /** Biomake `{goal}` between the targets and the colon. */
  targetGoal?: string;
  /** Biomake `{goal}` after the prerequisites. */
  depsGoal?: string;
}

/** A line starting with the recipe prefix right after a rule: `text` has the prefix removed,
 * and the prefix after each backslash-newline removed too (GNU's rule). */
export interface RecipeStatement extends Where {
  kind: "recipe";
  text: string;
}

/** Biomake `prolog` ... `endprolog`. */
export interface PrologStatement extends Where {
  kind: "prolog";
  text: string;
}

/** A `load`/`-load` directive (GNU's loadable objects; tmake reports them unsupported). */
export interface LoadStatement extends Where {
  kind: "load";
  optional: boolean;
  text: string;
}

export type Statement =
  | AssignmentStatement
  | DefineStatement
  | UndefineStatement
  | IfStatement
  | ElseStatement
  | EndifStatement
  | IncludeStatement
  | ExportStatement
  | VpathStatement
  | RuleStatement
  | RecipeStatement
  | PrologStatement
  | LoadStatement;

/** A parse problem GNU reports while reading (raised when the evaluator reaches it, so that
 * earlier lines take effect first). */
export interface ParseProblem extends Where {
  kind: "problem";
  message: string;
}

export type ParsedLine = Statement | ParseProblem;
