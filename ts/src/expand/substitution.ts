// GNU's pattern substitution on a list of words, used by substitution references
// `$(VAR:from=to)` / `$(VAR:%.c=%.o)` (the $(patsubst) function lives with the other
// built-in functions; this is the expander's own copy of the same small algorithm).

/** Index of the first `%` not escaped by a backslash, and the pattern with the escapes that
 * GNU removes (`\%` -> `%`, `\\%` -> `\` + wildcard) already removed. */
export function findPercent(pattern: string): { text: string; percent: number } {
  let i = pattern.indexOf("%");
  if (i < 0) return { text: pattern, percent: -1 };
  if (pattern.indexOf("\\") < 0) return { text: pattern, percent: i };
  let text = pattern;
  while (i >= 0) {
    let bs = 0;
    while (i - bs - 1 >= 0 && text[i - bs - 1] === "\\") bs++;
    if (bs === 0) return { text, percent: i };
    // Half the backslashes quote each other; an odd one quotes the %.
    const keep = Math.floor(bs / 2);
    text = text.slice(0, i - bs) + "\\".repeat(keep) + text.slice(i);
    i = i - bs + keep;
    if (bs % 2 === 0) return { text, percent: i };
    i = text.indexOf("%", i + 1);
  }
  return { text, percent: -1 };
}

/** Applies `from` -> `to` to every whitespace-separated word of `value`, GNU style: without
 * a `%` in `from`, it replaces a suffix (`$(X:.c=.o)`); words that do not match are kept. */
export function substituteWords(value: string, from: string, to: string): string {
  const p = findPercent(from);
  let prefix: string;
  let suffix: string;
  let rPrefix: string;
  let rSuffix: string;
  let usesStem: boolean;
  if (p.percent >= 0) {
    prefix = p.text.slice(0, p.percent);
    suffix = p.text.slice(p.percent + 1);
    const r = findPercent(to);
    usesStem = r.percent >= 0;
    rPrefix = usesStem ? r.text.slice(0, r.percent) : r.text;
    rSuffix = usesStem ? r.text.slice(r.percent + 1) : "";
  } else {
    // No % in the pattern: GNU matches as if both had a leading %.
    prefix = "";
    suffix = from;
    rPrefix = "";
    rSuffix = to;
    usesStem = true;
  }
  const out: string[] = [];
  for (const w of value.split(/[ \t\n\r\f\v]+/)) {
    if (w === "") continue;
    if (w.length >= prefix.length + suffix.length && w.startsWith(prefix) && w.endsWith(suffix)) {
      if (usesStem) out.push(rPrefix + w.slice(prefix.length, w.length - suffix.length) + rSuffix);
      else out.push(rPrefix);
    } else out.push(w);
  }
  return out.join(" ");
}
