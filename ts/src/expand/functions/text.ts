// Functions for transforming text (GNU manual 8.2): subst, patsubst, strip, findstring,
// filter, filter-out, sort, word, wordlist, words, firstword, lastword.
import { parseCount } from "./numbers.js";
import { Pattern } from "../../base/pattern.js";
import { patsubst, substText } from "./patterns.js";
import type { MakeFunction } from "./types.js";
import { compareBytes } from "./words.js";
import { splitWords, wordSpans } from "../../base/words.js";

/** $(subst FROM,TO,TEXT): plain string replacement, spacing untouched. */
const subst: MakeFunction = {
  minArgs: 3,
  maxArgs: 3,
  expandArgs: true,
  fn: ([from, to, text]) => substText(text!, from!, to!, false),
};

/** $(patsubst PATTERN,REPLACEMENT,TEXT) */
const patsubstFn: MakeFunction = {
  minArgs: 3,
  maxArgs: 3,
  expandArgs: true,
  fn: ([pattern, replacement, text]) => patsubst(text!, pattern!, replacement!),
};

/** $(strip STRING): words joined by single spaces. */
const strip: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([text]) => splitWords(text!).join(" "),
};

/** $(findstring FIND,IN): FIND if it occurs anywhere in IN (not by words). */
const findstring: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([find, within]) => (within!.includes(find!) ? find! : ""),
};

/** The words of TEXT that match (or, for filter-out, match none of) the `%` patterns. */
function filterWords(patternText: string, text: string, keepMatching: boolean): string {
  const words = splitWords(text);
  if (words.length === 0) return "";
  // Literal patterns go in a set (GNU hashes them too), so filtering one long list by
  // another stays linear; only `%` patterns are tried one by one.
  const literals = new Set<string>();
  const wild: Pattern[] = [];
  for (const p of splitWords(patternText).map((w) => Pattern.parse(w))) {
    if (!p.hasPercent) literals.add(p.text);
    else wild.push(p);
  }
  const matches = (w: string): boolean => literals.has(w) || wild.some((p) => p.match(w) !== undefined);
  return words.filter((w) => matches(w) === keepMatching).join(" ");
}

const filter: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([patterns, text]) => filterWords(patterns!, text!, true),
};

const filterOut: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([patterns, text]) => filterWords(patterns!, text!, false),
};

/** $(sort LIST): byte order (C's strcmp), duplicates removed. */
const sort: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([text]) => {
    const words = splitWords(text!).sort(compareBytes);
    return words.filter((w, i) => i === 0 || w !== words[i - 1]).join(" ");
  },
};

/** $(word N,TEXT) */
const word: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([n, text], ctx) => {
    const i = parseCount(n!, "non-numeric first argument to 'word' function", ctx);
    if (i === 0) ctx.fatal("first argument to 'word' function must be greater than 0");
    if (i < 0) return "";
    return splitWords(text!)[i - 1] ?? "";
  },
};

/** $(wordlist S,E,TEXT): words S..E inclusive, with the original spacing between them. */
const wordlist: MakeFunction = {
  minArgs: 3,
  maxArgs: 3,
  expandArgs: true,
  fn: ([s, e, text], ctx) => {
    const start = parseCount(s!, "non-numeric first argument to 'wordlist' function", ctx);
    const stop = parseCount(e!, "non-numeric second argument to 'wordlist' function", ctx);
    if (start < 1) ctx.fatal(`invalid first argument to 'wordlist' function: '${start}'`);
    if (stop < start) return "";
    const spans = wordSpans(text!);
    const first = spans[start - 1];
    if (first === undefined) return "";
    const last = spans[Math.min(stop, spans.length) - 1]!;
    return text!.slice(first.start, last.end);
  },
};

const words: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([text]) => String(splitWords(text!).length),
};

const firstword: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([text]) => splitWords(text!)[0] ?? "",
};

const lastword: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([text]) => splitWords(text!).at(-1) ?? "",
};

export const textFunctions: ReadonlyMap<string, MakeFunction> = new Map([
  ["subst", subst],
  ["patsubst", patsubstFn],
  ["strip", strip],
  ["findstring", findstring],
  ["filter", filter],
  ["filter-out", filterOut],
  ["sort", sort],
  ["word", word],
  ["wordlist", wordlist],
  ["words", words],
  ["firstword", firstword],
  ["lastword", lastword],
]);
