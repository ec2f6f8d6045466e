// Biomake's named wildcards in text (`$X`, `$(NAME)`, `${NAME}`; `$$` is a literal `$`): the
// one tokenizer of that syntax. The reader uses it to find a rule's wildcards and GNU's reading
// of its targets (read/wildcards.ts), the rule search to fill a rule's prerequisites with a
// match's bindings (implicit/search.ts), and the JS matcher to compile target patterns
// (native/js-matcher.ts; crates/matcher is its Rust twin). Each user decides what it accepts:
// the tokenizer only says where the references are and where the text stops making sense.

/** A plain variable name: what a named wildcard can be called when it is a make variable too. */
export const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the text stops being readable as literal text and references. */
export interface RefProblem {
  /** `unclosed`: `$(` or `${` without its closing bracket; `trailing`: a `$` ends the text. */
  kind: "unclosed" | "trailing";
  /** The index of the `$`. */
  at: number;
  /** For `unclosed`, the opening bracket. */
  bracket?: "(" | "{";
}

export interface RefVisitor {
  /** A run of literal text that starts at `start` in the text: a slice of it as written, or
   * `$` for a `$$` (never empty). */
  text?(text: string, start: number): void;
  /** A reference to `name` (as written, unchecked), spanning text[start, end). A one-character
   * reference (`$X`) takes one code point. */
  ref?(name: string, start: number, end: number): void;
}

/** Reads `text` from the start, handing literal runs and references to `visit` in order.
 * Returns undefined when the whole text was read, else the problem where reading stopped
 * (nothing after it was handed on). */
export function scanRefs(text: string, visit: RefVisitor): RefProblem | undefined {
  let from = 0;
  const flush = (to: number): void => {
    if (to > from) visit.text?.(text.slice(from, to), from);
  };
  for (let i = text.indexOf("$"); i >= 0; i = text.indexOf("$", from)) {
    flush(i);
    const n = text.charCodeAt(i + 1);
    if (Number.isNaN(n)) return { kind: "trailing", at: i };
    if (n === 36 /* $ */) {
      visit.text?.("$", i);
      from = i + 2;
      continue;
    }
    if (n === 40 /* ( */ || n === 123 /* { */) {
      const close = text.indexOf(n === 40 ? ")" : "}", i + 2);
      if (close < 0) return { kind: "unclosed", at: i, bracket: n === 40 ? "(" : "{" };
      visit.ref?.(text.slice(i + 2, close), i, close + 1);
      from = close + 1;
      continue;
    }
    const cp = text.codePointAt(i + 1)!;
    const end = i + 1 + (cp > 0xffff ? 2 : 1);
    visit.ref?.(text.slice(i + 1, end), i, end);
    from = end;
  }
  flush(text.length);
  return undefined;
}
