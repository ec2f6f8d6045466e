// Expanding and splitting a rule line's prerequisites in one pass, for the reader's fast path.
//
// GNU expands the text after the colon and then splits it into file names. Done literally
// that builds the expanded line (concatenations, then a flattened copy) only to cut it up
// again; for the usual line, whose references name variables with plain values, the words can
// be cut straight from the makefile text and the values instead. A word that spans a
// reference (`$(OBJDIR)/file.o`) is the only one that needs a concatenation.
//
// The builder never has effects: it stops (returns false) at anything whose expansion could
// run something or print something (a function call, a computed name, a substitution
// reference, a recursive variable whose value holds a `$`, an undefined variable under
// --warn-undefined-variables), so the caller can read the line again with the general code.
import { isPlainNameCode, type Expander } from "../expand/expander.js";
import type { VarScope } from "../expand/variables.js";
import type { NamePool } from "./records.js";

export class PrereqWords {
  /** After build(): where in the pool the words after the first `|` word start (the words
   * before it start where build() began, the pool's `top` then). */
  orderOnlyStart = 0;
  /** Some word starts with `.` or holds `*`, `?`, `[` or `$` (GNU's file-name treatment:
   * globbing, `./` removal). */
  special = false;
  private pool!: NamePool;
  private bar = -1;
  /** The word being built (it may continue in the next piece). */
  private cur = "";

  constructor(private readonly expander: Pick<Expander, "lookup" | "warnUndefined">) {}

  /** Expands and splits text[from, to) in `scope`, adding the words to `pool` (later `|`
   * words dropped). Returns false when the text needs the general code; the pool may then
   * hold some words, which the caller drops (NamePool.rewind). */
  build(text: string, from: number, to: number, scope: VarScope, pool: NamePool): boolean {
    this.pool = pool;
    this.bar = -1;
    this.cur = "";
    this.special = false;
    let i = from;
    while (i < to) {
      const d = this.feed(text, i, to, true);
      if (d < 0) return false;
      if (d >= to) break;
      const c = text.charCodeAt(d + 1);
      let value: string | undefined;
      if (c === 40 /* ( */ || c === 123 /* { */) {
        const close = c === 40 ? 41 : 125;
        let e = d + 2;
        while (e < to && isPlainNameCode(text.charCodeAt(e))) e++;
        if (e === d + 2 || e >= to || text.charCodeAt(e) !== close) return false;
        value = this.plainValue(text.slice(d + 2, e), scope);
        i = e + 1;
      } else if (c === 36 /* $ */) {
        // `$$`: a literal dollar, part of the current word.
        this.cur += "$";
        this.special = true;
        i = d + 2;
        continue;
      } else if (d + 1 < to && c !== 32 && c !== 9) {
        value = this.plainValue(text[d + 1]!, scope);
        i = d + 2;
      } else return false;
      if (value === undefined) return false;
      if (value !== "" && this.feed(value, 0, value.length, false) < 0) return false;
    }
    if (this.cur !== "") this.push(this.cur);
    this.orderOnlyStart = this.bar < 0 ? pool.top : this.bar;
    return true;
  }

  /** The value of a plain reference when getting it has no effect; undefined otherwise. */
  private plainValue(name: string, scope: VarScope): string | undefined {
    const v = this.expander.lookup(name, scope);
    if (v === undefined) return this.expander.warnUndefined ? undefined : "";
    if (v.flavor === "simple" || v.value.indexOf("$") < 0) return v.value;
    return undefined;
  }

  /** Adds s[from, to) to the words: blanks end words, a word may go on into the next piece.
   * With `stopAtDollar` it stops at a `$` and returns its index; it returns `to` when done and
   * -1 when the text needs the general code. */
  private feed(s: string, from: number, to: number, stopAtDollar: boolean): number {
    let i = from;
    while (i < to) {
      let c = s.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13)) {
        if (this.cur !== "") {
          this.push(this.cur);
          this.cur = "";
        }
        i++;
        continue;
      }
      if (c === 36 /* $ */ && stopAtDollar) return i;
      const b = i;
      if (c === 46 /* . */ && this.cur === "") this.special = true;
      let dollar = false;
      for (;;) {
        // `:` (a static pattern rule), `;` (a recipe), a backslash (quoting): general code;
        // written in the makefile, also `=` (a target-specific variable), `#` (a comment), a
        // `{` or a `}` (a biomake goal, or a brace without its goal; the braces of `${...}`
        // never get here).
        if (c === 58 /* : */ || c === 59 /* ; */ || c === 92 /* \ */) return -1;
        if (stopAtDollar && (c === 61 /* = */ || c === 35 /* # */ || c === 123 /* { */ || c === 125) /* } */) return -1;
        // A `|` that is not a word of its own (`a|b`): general code.
        if (c === 124 /* | */ && (i !== b || this.cur !== "" || (i + 1 < to && !isBlank(s.charCodeAt(i + 1))))) return -1;
        if (c === 42 /* * */ || c === 63 /* ? */ || c === 91 /* [ */) this.special = true;
        else if (c === 36 /* $ */) {
          if (stopAtDollar) {
            dollar = true;
            break;
          }
          this.special = true;
        }
        if (++i >= to) break;
        c = s.charCodeAt(i);
        if (c === 32 || (c >= 9 && c <= 13)) break;
      }
      this.cur = this.cur === "" ? s.slice(b, i) : joined(this.cur, s.slice(b, i));
      if (dollar) return i;
    }
    return to;
  }

  private push(word: string): void {
    if (word.length === 1 && word.charCodeAt(0) === 124 /* | */) {
      // The first `|` word starts the order-only prerequisites; GNU drops any later ones.
      if (this.bar < 0) this.bar = this.pool.top;
      return;
    }
    this.pool.add(word);
  }
}

function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** a + b as one flat string: `+` would make a two-part rope (V8 ConsString) once the result
 * is 13 characters or longer, and the rule would keep three objects where one does. */
function joined(a: string, b: string): string {
  return a.length + b.length < 13 ? a + b : [a, b].join("");
}
