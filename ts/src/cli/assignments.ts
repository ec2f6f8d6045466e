// Which command-line words are variable assignments (`VAR=value`, `VAR:=value`, `VAR+=x`, ...)
// rather than goals, following GNU Make: the name is what comes before the assignment
// operator, trimmed, and must not contain blanks (`'A B=1'` is a goal, as in GNU).
import { MakeError } from "../messages.js";
import type { AssignOp } from "../read/database.js";

/** A variable assignment from the command line (VAR=value words, -D VAR VAL, MAKEFLAGS). */
export interface CommandLineAssignment {
  name: string;
  op: AssignOp;
  value: string;
}

const colonOps: AssignOp[] = [":::=", "::=", ":="];

/** The assignment a word spells, or undefined when the word is a goal. */
export function parseAssignment(word: string): CommandLineAssignment | undefined {
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    let op: AssignOp | undefined;
    if (c === "=") op = "=";
    else if (c === ":") {
      op = colonOps.find((o) => word.startsWith(o, i));
      if (!op) return undefined; // `a:b` is a target, not an assignment
    } else if ((c === "+" || c === "?" || c === "!") && word[i + 1] === "=") op = `${c}=` as AssignOp;
    else if (c === "#") return undefined;
    if (!op) continue;
    const name = word.slice(0, i).trim();
    if (/\s/.test(name)) return undefined;
    if (name === "") throw new MakeError("empty variable name");
    return { name, op, value: word.slice(i + op.length).replace(/^[ \t]+/, "") };
  }
  return undefined;
}
