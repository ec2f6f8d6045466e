// `%` patterns and the substitutions built on them: $(patsubst), $(filter), $(subst) and the
// substitution reference $(VAR:a=b), which the expander implements with `substitutionRef`.
import { isSpace, wordSpans } from "./words.js";

/** A pattern after GNU's find_percent: backslash quoting resolved, and the position of the
 * one `%` that acts as the wildcard (-1 when there is none). */
export interface PercentPattern {
  /** The text with the backslashes that quoted a `%` removed (halved). */
  text: string;
  /** Index of the active `%` in `text`, or -1. */
  percent: number;
}

/** GNU's find_percent / find_char_unquote: a `%` preceded by N backslashes keeps N/2 of them
 * (rounded down); an odd N makes that `%` literal and the search goes on, an even N makes it
 * the wildcard. Only backslashes directly before a `%` are touched, and only up to the first
 * active `%`; everything after it is kept verbatim. */
export function parsePercent(pattern: string): PercentPattern {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch !== "%") {
      out += ch;
      i++;
      continue;
    }
    let n = 0;
    while (n < out.length && out[out.length - 1 - n] === "\\") n++;
    out = out.slice(0, out.length - n) + "\\".repeat(Math.floor(n / 2));
    if (n % 2 === 0) {
      const percent = out.length;
      return { text: out + pattern.slice(i), percent };
    }
    out += "%";
    i++;
  }
  return { text: out, percent: -1 };
}

/** Whether `word` matches the pattern (GNU's pattern_matches): equality without a `%`,
 * otherwise the text around `%` must be a prefix and a non-overlapping suffix. */
export function matchPattern(p: PercentPattern, word: string): boolean {
  if (p.percent < 0) return p.text === word;
  const prefix = p.text.slice(0, p.percent);
  const suffix = p.text.slice(p.percent + 1);
  return word.length >= prefix.length + suffix.length && word.startsWith(prefix) && word.endsWith(suffix);
}

/** The part of `word` that the `%` matched (call only after matchPattern succeeded). */
export function stemOf(p: PercentPattern, word: string): string {
  const suffixLen = p.text.length - p.percent - 1;
  return word.slice(p.percent, word.length - suffixLen);
}

/** GNU's subst_expand. Replaces every occurrence of `from` in `text` with `to`, copying the
 * rest verbatim. With `byWord`, only occurrences that are whole whitespace-delimited words
 * are replaced; an empty `from` then matches the end of each word (GNU's quirk: it only
 * qualifies where that end is followed by whitespace or the end of text, i.e. after trailing
 * blanks or on empty text). Without `byWord`, an empty `from` matches once, at the end. */
export function substText(text: string, from: string, to: string, byWord: boolean): string {
  if (from === "" && !byWord) return text + to;
  let out = "";
  let t = 0;
  do {
    let p: number;
    if (byWord && from === "") {
      p = t;
      while (p < text.length && isSpace(text[p])) p++;
      while (p < text.length && !isSpace(text[p])) p++;
    } else {
      p = text.indexOf(from, t);
      if (p < 0) return out + text.slice(t);
    }
    out += text.slice(t, p);
    const end = p + from.length;
    const struck = byWord && ((p > 0 && !isSpace(text[p - 1])) || !(end >= text.length || isSpace(text[end])));
    out += struck ? from : to;
    t = end;
  } while (t < text.length);
  return out;
}

/** GNU's patsubst_expand_pat with already-parsed pattern and replacement. Without a `%` in the
 * pattern it is a by-word substitution that keeps the original spacing; with one, every word
 * is rewritten and the words are joined by single spaces (a word whose replacement is empty,
 * from a replacement without `%`, leaves no space behind). */
export function patsubstParsed(text: string, pattern: PercentPattern, replace: PercentPattern): string {
  if (pattern.percent < 0) return substText(text, pattern.text, replace.text, true);
  const rPre = replace.percent < 0 ? replace.text : replace.text.slice(0, replace.percent);
  const rPost = replace.percent < 0 ? "" : replace.text.slice(replace.percent + 1);
  let out = "";
  let any = false;
  for (const { word } of wordSpans(text)) {
    const matched = matchPattern(pattern, word);
    if (!matched) out += word;
    else {
      out += rPre;
      if (replace.percent >= 0) out += stemOf(pattern, word) + rPost;
    }
    if (!matched || rPre.length > 0 || (replace.percent >= 0 && word.length + rPost.length > 0)) {
      out += " ";
      any = true;
    }
  }
  return any ? out.slice(0, -1) : out;
}

/** $(patsubst PATTERN,REPLACEMENT,TEXT). */
export function patsubst(text: string, pattern: string, replacement: string): string {
  // GNU runs find_percent on both before looking at either.
  const r = parsePercent(replacement);
  const p = parsePercent(pattern);
  return patsubstParsed(text, p, r);
}

/** A substitution reference $(VAR:FROM=TO) applied to VAR's value (GNU's variable_expand):
 * with a `%` in FROM it is $(patsubst FROM,TO,value); without one it is
 * $(patsubst %FROM,%TO,value), so only word endings are replaced. */
export function substitutionRef(value: string, from: string, to: string): string {
  const p = parsePercent(from);
  if (p.percent >= 0) return patsubstParsed(value, p, parsePercent(to));
  // GNU puts a `%` in front of both; the search above already halved FROM's backslashes,
  // while TO is taken as written.
  return patsubstParsed(value, { text: `%${p.text}`, percent: 0 }, { text: `%${to}`, percent: 0 });
}
