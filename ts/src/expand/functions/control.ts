// Conditionals and local bindings: if, or, and (GNU manual 8.4), intcmp (GNU 4.4), foreach
// (8.6) and let (8.5, GNU 4.4). All take their arguments unexpanded so that only the parts
// that are needed get expanded, and side effects in the others never happen.
import { compareTextInt, parseTextInt } from "./numbers.js";
import type { FunctionContext, MakeFunction } from "./types.js";
import { skipSpace } from "./words.js";
import { firstWord, isSpace, stripSpace, wordSpans } from "../../base/words.js";

/** A condition's value: GNU strips the text's surrounding whitespace *before* expanding, so
 * `$(if $(space),...)` is true when $(space) expands to blanks. */
function condition(text: string, ctx: FunctionContext): string {
  const t = stripSpace(text);
  return t === "" ? "" : ctx.expand(t);
}

/** The text of the branch $(if CONDITION,THEN[,ELSE]) takes (unexpanded), undefined for a
 * missing ELSE. The expander calls this itself for an $(if) that is the whole text being
 * expanded, and expands the branch in place: a frame less per level of recursive user
 * functions, which are limited by the JS stack. */
export function ifBranch(args: string[], ctx: FunctionContext): string | undefined {
  return condition(args[0]!, ctx) !== "" ? args[1] : args[2];
}

/** $(if CONDITION,THEN[,ELSE]) */
export const ifFn: MakeFunction = {
  minArgs: 2,
  maxArgs: 3,
  expandArgs: false,
  fn: (args, ctx) => {
    const branch = ifBranch(args, ctx);
    return branch === undefined ? "" : ctx.expand(branch);
  },
};

/** $(or C1[,C2...]): the first non-empty condition; later ones are not expanded. */
const orFn: MakeFunction = {
  minArgs: 1,
  maxArgs: 0,
  expandArgs: false,
  fn: (args, ctx) => {
    for (const a of args) {
      const v = condition(a, ctx);
      if (v !== "") return v;
    }
    return "";
  },
};

/** $(and C1[,C2...]): empty at the first empty condition, else the last one's value. */
const andFn: MakeFunction = {
  minArgs: 1,
  maxArgs: 0,
  expandArgs: false,
  fn: (args, ctx) => {
    let v = "";
    for (const a of args) {
      v = condition(a, ctx);
      if (v === "") return "";
    }
    return v;
  },
};

/** $(intcmp LHS,RHS[,LT[,EQ[,GT]]]) (GNU 4.4). Integers of any size; GT defaults to EQ;
 * with two arguments the result is the number itself when equal (normalised: no `+`, no
 * leading zeros, `-0` is `0`), else empty. Compared numerically as the manual says (GNU
 * 4.4.1's digit-string comparison orders two negatives by magnitude; we do not copy that). */
const intcmp: MakeFunction = {
  minArgs: 2,
  maxArgs: 5,
  expandArgs: false,
  fn: (args, ctx) => {
    const lhs = parseTextInt(ctx.expand(args[0]!), "non-numeric first argument to 'intcmp' function", ctx);
    const rhs = parseTextInt(ctx.expand(args[1]!), "non-numeric second argument to 'intcmp' function", ctx);
    const cmp = compareTextInt(lhs, rhs);
    if (args.length === 2) {
      if (cmp !== 0) return "";
      return lhs.sign === 0 ? "0" : (lhs.sign < 0 ? "-" : "") + lhs.digits;
    }
    let i = 2;
    if (cmp >= 0) {
      i = 3;
      if (cmp > 0 && args.length > 4) i = 4;
    }
    const branch = args[i];
    return branch === undefined ? "" : ctx.expand(branch);
  },
};

/** $(foreach VAR,LIST,TEXT): TEXT expanded once per word of LIST with VAR bound to it (a
 * simple, "automatic" variable in a scope of its own, so VAR's outer value comes back after);
 * the results joined by single spaces. VAR is the first word of its expanded argument. */
const foreach: MakeFunction = {
  minArgs: 3,
  maxArgs: 3,
  expandArgs: false,
  fn: (args, ctx) => {
    const name = firstWord(ctx.expand(args[0]!));
    const list = ctx.expand(args[1]!);
    const body = args[2]!;
    const out: string[] = [];
    for (const { word } of wordSpans(list)) out.push(ctx.withLocals({ [name]: word }, () => ctx.expand(body)));
    return out.join(" ");
  },
};

/** $(let VAR1 [VAR2...],LIST,TEXT) (GNU 4.4): each variable but the last takes the next word
 * of LIST (empty once LIST runs out); the last takes the rest of LIST, leading blanks
 * removed and everything after kept as is; then TEXT is expanded with them bound. */
const letFn: MakeFunction = {
  minArgs: 3,
  maxArgs: 3,
  expandArgs: false,
  fn: (args, ctx) => {
    const names = wordSpans(ctx.expand(args[0]!)).map((s) => s.word);
    const list = ctx.expand(args[1]!);
    const vars: Record<string, string> = {};
    let pos = 0;
    for (let k = 0; k < names.length - 1; k++) {
      while (pos < list.length && isSpace(list[pos])) pos++;
      const start = pos;
      while (pos < list.length && !isSpace(list[pos])) pos++;
      vars[names[k]!] = list.slice(start, pos);
      // GNU steps over the one blank that ended the word.
      if (pos < list.length) pos++;
    }
    if (names.length > 0) vars[names.at(-1)!] = skipSpace(list.slice(pos));
    return ctx.withLocals(vars, () => ctx.expand(args[2]!));
  },
};

export const controlFunctions: ReadonlyMap<string, MakeFunction> = new Map([
  ["if", ifFn],
  ["or", orFn],
  ["and", andFn],
  ["intcmp", intcmp],
  ["foreach", foreach],
  ["let", letFn],
]);
