// Word handling shared by the text and file-name functions.
//
// GNU splits function arguments into words on "space" characters as its stopchar map defines
// them: every byte for which C's isspace() is true in the C locale (space, tab, newline,
// vertical tab, form feed, carriage return). Results are joined with single spaces, except
// where a function copies a run of the original text (wordlist, subst, patsubst without `%`).

/** GNU's whitespace set (ISSPACE). */
export const SPACE_CHARS = " \t\n\v\f\r";

const WORD_RE = /[^ \t\n\v\f\r]+/g;

export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && SPACE_CHARS.includes(ch);
}

/** The words of `text` (GNU's find_next_token loop). */
export function splitWords(text: string): string[] {
  return text.match(WORD_RE) ?? [];
}

/** A word and where it sits in the text it came from. */
export interface WordSpan {
  word: string;
  start: number;
  /** Index just past the word's last character. */
  end: number;
}

/** The words of `text` with their positions, for functions that copy the original spacing. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    spans.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** `text` without leading and trailing whitespace (GNU's strip_whitespace). */
export function stripSpace(text: string): string {
  let b = 0;
  let e = text.length;
  while (b < e && isSpace(text[b])) b++;
  while (e > b && isSpace(text[e - 1])) e--;
  return text.slice(b, e);
}

/** `text` without leading whitespace (GNU's next_token). */
export function skipSpace(text: string): string {
  let b = 0;
  while (b < text.length && isSpace(text[b])) b++;
  return text.slice(b);
}

/** The first word of `text`, or "" (GNU cleans variable names this way: next_token +
 * end_of_token). */
export function firstWord(text: string): string {
  const m = text.match(/[^ \t\n\v\f\r]+/);
  return m ? m[0] : "";
}

/** Byte-wise comparison of the UTF-8 encodings, as C's strcmp orders GNU's $(sort) and glob
 * results. UTF-16 code-unit order equals UTF-8 byte order except for astral characters versus
 * U+E000..U+FFFF, so the fast path is exact for everything else. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  if (!/[\uD800-\uDFFF]/.test(a) && !/[\uD800-\uDFFF]/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
