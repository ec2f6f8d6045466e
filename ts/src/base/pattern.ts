// GNU Make's `%` pattern (find_percent and pattern_matches in GNU's read.c and misc.c; kati's
// Pattern): the one place where a pattern is parsed, matched, and filled in with a stem. Every
// stage uses it: vpath, static pattern rules, pattern-specific variables, `-lNAME` search
// (.LIBPATTERNS), the rule set and the implicit search, and the text functions.
//
// Quoting, as GNU's find_percent: a `%` preceded by N backslashes keeps N/2 of them (rounded
// down); an odd N makes that `%` literal and the search goes on, an even N makes it the
// wildcard. Only backslashes directly before a `%` are touched, and only up to the first
// active `%`; everything after it is kept verbatim.

export class Pattern {
  /** The text before the active `%` (quoting resolved), or the whole text when there is none. */
  readonly prefix: string;
  /** The text after the active `%` (verbatim); "" when there is none. */
  readonly suffix: string;
  /** Whether the pattern has an active `%`. */
  readonly hasPercent: boolean;

  private constructor(prefix: string, suffix: string, hasPercent: boolean) {
    this.prefix = prefix;
    this.suffix = suffix;
    this.hasPercent = hasPercent;
  }

  /** A pattern from its parts, as written (no quoting to resolve): `prefix%suffix`. */
  static of(prefix: string, suffix: string): Pattern {
    return new Pattern(prefix, suffix, true);
  }

  /** GNU's find_percent on `raw`. Texts without a backslash (nearly all) are split at their
   * first `%` at once. */
  static parse(raw: string): Pattern {
    const first = raw.indexOf("%");
    if (first < 0) return new Pattern(raw, "", false);
    if (raw.indexOf("\\") < 0 || raw.lastIndexOf("\\", first) < 0) return new Pattern(raw.slice(0, first), raw.slice(first + 1), true);
    let out = "";
    let i = 0;
    while (i < raw.length) {
      const ch = raw[i]!;
      if (ch !== "%") {
        out += ch;
        i++;
        continue;
      }
      let n = 0;
      while (n < out.length && out[out.length - 1 - n] === "\\") n++;
      out = out.slice(0, out.length - n) + "\\".repeat(Math.floor(n / 2));
      if (n % 2 === 0) return new Pattern(out, raw.slice(i + 1), true);
      out += "%";
      i++;
    }
    return new Pattern(out, "", false);
  }

  /** The pattern's text with quoting resolved (`%` standing for the wildcard). */
  get text(): string {
    return this.hasPercent ? `${this.prefix}%${this.suffix}` : this.prefix;
  }

  /** GNU's pattern_matches: the stem `name` gives the `%` ("" for a pattern without one that
   * equals the name), or undefined when it does not match. The stem may be empty, as in
   * static pattern rules, vpath and $(patsubst). */
  match(name: string): string | undefined {
    if (!this.hasPercent) return name === this.prefix ? "" : undefined;
    const pre = this.prefix;
    const suf = this.suffix;
    if (name.length < pre.length + suf.length || !name.startsWith(pre) || !name.endsWith(suf)) return undefined;
    return name.slice(pre.length, name.length - suf.length);
  }

  /** Like match, but the `%` must match at least one character, as in implicit rules and
   * pattern-specific variables ("% matches any nonempty substring"). */
  matchNonEmpty(name: string): string | undefined {
    if (!this.hasPercent) return name === this.prefix ? "" : undefined;
    const pre = this.prefix;
    const suf = this.suffix;
    if (name.length <= pre.length + suf.length || !name.startsWith(pre) || !name.endsWith(suf)) return undefined;
    return name.slice(pre.length, name.length - suf.length);
  }

  /** The pattern with `stem` for its `%` (the pattern itself when it has none). */
  fill(stem: string): string {
    return this.hasPercent ? this.prefix + stem + this.suffix : this.prefix;
  }
}

/** Patterns parsed once per text: a makefile names the same few patterns for many targets. */
const parsed = new Map<string, Pattern>();

/** Pattern.parse, remembered. */
export function patternOf(raw: string): Pattern {
  let p = parsed.get(raw);
  if (p === undefined) {
    p = Pattern.parse(raw);
    if (parsed.size > 4096) parsed.clear();
    parsed.set(raw, p);
  }
  return p;
}

/** A prerequisite word with `stem` put in for its `%` (GNU's patsubst_expand_pat with the
 * target's stem): words without a `%` stay as they are. */
export function fillStem(word: string, stem: string): string {
  return word.indexOf("%") < 0 ? word : patternOf(word).fill(stem);
}
