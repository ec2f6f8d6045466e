// Word handling shared by the text and file-name functions: GNU's words (see base/words.ts),
// joined with single spaces, except where a function copies a run of the original text
// (wordlist, subst, patsubst without `%`).

import { isSpaceCode } from "../../base/words.js";

/** `text` without leading whitespace (GNU's next_token). */
export function skipSpace(text: string): string {
  let b = 0;
  while (b < text.length && isSpaceCode(text.charCodeAt(b))) b++;
  return text.slice(b);
}

/** Byte-wise comparison of the UTF-8 encodings, as C's strcmp orders GNU's $(sort) and glob
 * results. UTF-16 code-unit order equals UTF-8 byte order except for astral characters versus
 * U+E000..U+FFFF, so the fast path is exact for everything else. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  if (!/[\uD800-\uDFFF]/.test(a) && !/[\uD800-\uDFFF]/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
