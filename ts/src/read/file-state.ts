// What the evaluator keeps while it reads one file (or one $(eval) text): GNU's per-file
// conditional stack and the rule that recipe lines attach to (with, for the rule reader, a
// rule line whose biomake reading waits for its recipe).
import type { Loc } from "../messages.js";
import type { ReadRule } from "./records.js";

export interface CondLevel {
  /** GNU's ignoring[]: 0 = interpreting, 1 = not yet taken, 2 = already taken. */
  ignoring: 0 | 1 | 2;
  seenElse: boolean;
}

export interface FileState {
  name: string;
  /** Added to statement line numbers ($(eval) text counts from the eval's line). */
  lineOffset: number;
  conds: CondLevel[];
  /** The rule the next recipe lines belong to. */
  rule?: ReadRule;
  /** A rule line without targets (`: foo`) swallows its recipe lines silently. */
  noTargets: boolean;
  /** A rule line was the last thing seen (GNU's `filenames != 0`). */
  inRule: boolean;
  /** A second rule read from the same line, sharing the recipe: the GNU reading of a
   * biomake rule, or the explicit half of a line mixing pattern and normal targets. */
  twin?: ReadRule;
  /** The targets of `rule` as the line wrote them, when resolving GNU's `\%` quoting changed
   * some (RuleChecks tells a later pattern target from a quoted `%` with them). */
  written?: readonly string[];
  /** The rule being read had unset variables in its targets that its line does not use:
   * whether they are biomake wildcards depends on its recipe (RuleReader.settle). */
  pending?: PendingRule;
}

/** The location of a statement of this file. */
export function locIn(st: FileState, s: { line: number }): Loc {
  return { file: st.name, line: s.line + st.lineOffset };
}

/** Inside a conditional branch that is not taken. */
export function isIgnoring(st: FileState): boolean {
  for (const c of st.conds) if (c.ignoring !== 0) return true;
  return false;
}

/** A rule line as the rule reader (rules.ts) has cut it up (see RuleReader.evaluateLine). */
export interface RuleLine {
  loc: Loc;
  /** The targets as GNU names them (unset variables empty). */
  targets: string[];
  /** The unset variables of the target text (candidate biomake wildcards). */
  wild: readonly string[];
  /** The target text in pattern mode (wildcards kept, `$` written `$$`). */
  targetText: string;
  /** The line up to the colon as written (unexpanded): a wildcard named here, not only in a
   * variable's value, is written in the rule itself. */
  headText: string;
  /** The rest of the word holding the colon, expanded in pattern mode. */
  afterColonExpanded: string;
  /** The line after that word, unexpanded. */
  rest: string;
  cmdleft: string | undefined;
  doubleColon: boolean;
  grouped: boolean;
  targetGoal: string | undefined;
  depsGoal: string | undefined;
}

/** A GNU rule whose biomake reading waits for its recipe (RuleReader.settle). */
export interface PendingRule {
  line: RuleLine;
  /** The GNU reading. */
  rule: ReadRule;
  /** Whether the GNU reading was recorded (it had targets). */
  committed: boolean;
}
