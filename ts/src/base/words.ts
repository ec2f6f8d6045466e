// Words, as GNU Make splits text into them (find_next_token): runs of characters that are not
// "space" as GNU's stopchar map defines it, every byte for which C's isspace() holds in the C
// locale (space, tab, newline, vertical tab, form feed, carriage return). The one word
// splitter of every stage.

/** GNU's whitespace set (ISSPACE). */
export const SPACE_CHARS = " \t\n\v\f\r";

/** Whether a UTF-16 code unit is one of SPACE_CHARS. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Whether a character is one of SPACE_CHARS (undefined, past the end of a text, is not). */
export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && isSpaceCode(ch.charCodeAt(0));
}

/** The words of `text`, in order. */
export function splitWords(s: string): string[] {
  // Two passes so the array is allocated at its exact size: a pushed-to array keeps spare
  // capacity, and a big makefile holds hundreds of thousands of these lists.
  const n = s.length;
  let count = 0;
  for (let i = 0; i < n;) {
    while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
    if (i >= n) break;
    count++;
    while (i < n && !isSpaceCode(s.charCodeAt(i))) i++;
  }
  const out = new Array<string>(count);
  let k = 0;
  for (let i = 0; i < n;) {
    while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpaceCode(s.charCodeAt(i))) i++;
    out[k++] = s.slice(start, i);
  }
  return out;
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
  const n = text.length;
  for (let i = 0; i < n;) {
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpaceCode(text.charCodeAt(i))) i++;
    spans.push({ word: text.slice(start, i), start, end: i });
  }
  return spans;
}

/** `text` without leading and trailing whitespace (GNU's strip_whitespace). */
export function stripSpace(text: string): string {
  let b = 0;
  let e = text.length;
  while (b < e && isSpaceCode(text.charCodeAt(b))) b++;
  while (e > b && isSpaceCode(text.charCodeAt(e - 1))) e--;
  return text.slice(b, e);
}

/** The first word of `text`, or "" (GNU cleans variable names this way: next_token +
 * end_of_token). */
export function firstWord(text: string): string {
  const span = wordSpans(text)[0];
  return span === undefined ? "" : span.word;
}
