// `%` patterns and the substitutions built on them: $(patsubst), $(filter), $(subst) and the
// substitution reference $(VAR:a=b), which the expander implements with `substitutionRef`.
import { Pattern } from "../../base/pattern.js";
import { isSpace, wordSpans } from "../../base/words.js";

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
export function patsubstParsed(text: string, pattern: Pattern, replace: Pattern): string {
  if (!pattern.hasPercent) return substText(text, pattern.text, replace.text, true);
  const rPre = replace.prefix;
  const rPost = replace.suffix;
  let out = "";
  let any = false;
  for (const { word } of wordSpans(text)) {
    const stem = pattern.match(word);
    if (stem === undefined) out += word;
    else {
      out += rPre;
      if (replace.hasPercent) out += stem + rPost;
    }
    if (stem === undefined || rPre.length > 0 || (replace.hasPercent && word.length + rPost.length > 0)) {
      out += " ";
      any = true;
    }
  }
  return any ? out.slice(0, -1) : out;
}

/** $(patsubst PATTERN,REPLACEMENT,TEXT). */
export function patsubst(text: string, pattern: string, replacement: string): string {
  // GNU runs find_percent on both before looking at either.
  const r = Pattern.parse(replacement);
  const p = Pattern.parse(pattern);
  return patsubstParsed(text, p, r);
}

/** A substitution reference $(VAR:FROM=TO) applied to VAR's value (GNU's variable_expand):
 * with a `%` in FROM it is $(patsubst FROM,TO,value); without one it is
 * $(patsubst %FROM,%TO,value), so only word endings are replaced. */
export function substitutionRef(value: string, from: string, to: string): string {
  const p = Pattern.parse(from);
  if (p.hasPercent) return patsubstParsed(value, p, Pattern.parse(to));
  // GNU puts a `%` in front of both; the search above already halved FROM's backslashes,
  // while TO is taken as written.
  return patsubstParsed(value, Pattern.of("", p.text), Pattern.of("", to));
}
