// Biomake's Prolog goals on rule lines: `targets {goal}: deps {goal}`. The target goal sits
// between the targets and the colon, the deps goal after the prerequisites; a goal may span
// lines (`t: { a(X),` / `      b(X) }`). They are cut out of the line before GNU's rule
// syntax is applied, so `:-`, `=`, `,` inside a goal mean nothing to make.
//
// Biomake's grammar (its gnumake_parser.pl) and tmake's reading of it:
//   - a `{` that starts a word (after a blank, the colon or at the line's start), outside
//     variable references and before a `;` recipe or a `#` comment, opens a goal, which ends
//     at its matching `}` (nested braces count);
//   - after a target goal comes the colon (blanks allowed), after a deps goal only the end of
//     the line, a `;` recipe or a comment; a rule has at most one goal of each kind.
// Anything else is a makefile error, never a prerequisite named `{` or `}`: an unbalanced `{`,
// a `}` that closes a word without a `{` in it, and any text after a goal. That includes the
// trailing comma that biomake's README writes after a deps goal (`{ ... },`): the real biomake
// does not accept it either (on one line it reads `{`, the goal's words and `},` as
// prerequisite names, so the rule never applies; a goal spanning lines is its "GNU makefile
// parse error").
import { findUnquoted } from "./text.js";
import { isSpace } from "../base/words.js";

/** What scanGoals found on a rule line. */
export interface GoalScan {
  /** The line with its goals cut out. */
  rest: string;
  targetGoal?: string;
  depsGoal?: string;
  /** A goal opened and not closed before the end of the text (it may go on on the next line). */
  open?: boolean;
  /** A malformed goal: the message of the makefile error (GNU's text without "***"). */
  error?: string;
}

/** Skips a variable reference `$(...)`, `${...}` or `$x` starting at `p` (a `$`): the index
 * after it. */
function skipReference(line: string, p: number): number {
  const o = line[p + 1];
  if (o !== "(" && o !== "{") return p + 2;
  const close = o === "(" ? ")" : "}";
  let count = 0;
  let q = p + 2;
  for (; q < line.length; q++) {
    if (line[q] === o) count++;
    else if (line[q] === close && --count < 0) break;
  }
  return q + 1;
}

/** The text from `k` to the end of its part of the line (before a `;` or `#`, or before the
 * colon for a target goal's), for messages. */
function textAt(line: string, k: number, stops = ";#"): string {
  const end = findUnquoted(line.slice(k), stops, true).index;
  return (end < 0 ? line.slice(k) : line.slice(k, k + end)).trim();
}

/**
 * Finds the goals of a rule line and cuts them out (see the grammar above). `line` is the
 * line as written (comments not removed, continuation lines kept); a line holding no `{` or
 * `}` comes back as it is.
 */
export function scanGoals(line: string): GoalScan {
  if (line.indexOf("{") < 0 && line.indexOf("}") < 0) return { rest: line };
  const n = line.length;
  let rest = "";
  let from = 0;
  let targetGoal: string | undefined;
  let depsGoal: string | undefined;
  let colonSeen = false;
  let wordStart = 0;
  for (let p = 0; p < n;) {
    const c = line[p]!;
    if (isSpace(c)) {
      wordStart = ++p;
      continue;
    }
    if (c === "$") {
      p = skipReference(line, p);
      continue;
    }
    if (c === "\\") {
      p += 2;
      continue;
    }
    if (c === ";" || c === "#") break;
    if (c === ":") {
      colonSeen = true;
      wordStart = ++p;
      continue;
    }
    if (c === "}" && (p + 1 >= n || isSpace(line[p + 1]) || ":;#".includes(line[p + 1]!)) && line.lastIndexOf("{", p) < wordStart) {
      return { rest: line, error: "'}' without '{' (a biomake goal is written {...})" };
    }
    if (c !== "{" || p !== wordStart) {
      p++;
      continue;
    }
    // A goal: find its `}`.
    let depth = 0;
    let q = p;
    for (; q < n; q++) {
      if (line[q] === "{") depth++;
      else if (line[q] === "}" && --depth === 0) break;
    }
    if (q >= n) return { rest: line, open: true };
    const goal = line.slice(p + 1, q).trim();
    // Messages show the goal on one line.
    const shown = `{${goal.replace(/\s+/g, " ")}}`;
    let k = q + 1;
    while (k < n && isSpace(line[k])) k++;
    const next = k < n ? line[k]! : "";
    if (!colonSeen) {
      if (next !== ":") {
        return {
          rest: line,
          error:
            next === "" || next === ";" || next === "#"
              ? `missing ':' after biomake goal ${shown}`
              : `extraneous text after biomake goal ${shown}: '${textAt(line, k, ":;#")}'`,
        };
      }
      targetGoal = goal;
      rest += line.slice(from, p).replace(/[ \t]+$/, "") + " ";
    } else {
      if (next !== "" && next !== ";" && next !== "#") return { rest: line, error: `extraneous text after biomake goal ${shown}: '${textAt(line, k)}'` };
      depsGoal = goal;
      rest += line.slice(from, p).replace(/[ \t]+$/, "");
    }
    from = q + 1;
    p = q + 1;
    wordStart = p;
  }
  if (targetGoal === undefined && depsGoal === undefined) return { rest: line };
  return { rest: rest + line.slice(from), targetGoal, depsGoal };
}

/** The first colon of a rule line outside variable references and outside a `{...}` that
 * starts a word (a target goal may hold colons), or -1. */
export function ruleColon(line: string): number {
  let wordStart = 0;
  for (let p = 0; p < line.length;) {
    const c = line[p]!;
    if (isSpace(c)) wordStart = ++p;
    else if (c === "$") p = skipReference(line, p);
    else if (c === "\\") p += 2;
    else if (c === ":") return p;
    else if (c === "{" && p === wordStart) {
      let depth = 0;
      let q = p;
      for (; q < line.length; q++) {
        if (line[q] === "{") depth++;
        else if (line[q] === "}" && --depth === 0) break;
      }
      p = q + 1;
    } else p++;
  }
  return -1;
}
