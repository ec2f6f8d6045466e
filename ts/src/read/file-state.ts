// What the evaluator keeps while it reads one file (or one $(eval) text): GNU's per-file
// conditional stack and the rule that recipe lines attach to.
import type { Loc } from "../errors.js";
import type { ReadRule } from "./records.js";
import type { PendingRule } from "./rules.js";

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
