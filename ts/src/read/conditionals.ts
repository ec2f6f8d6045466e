// Conditional directives (GNU's conditional_line): a stack of levels per file; a level is
// interpreting, not yet taken, or already taken, and `else ifeq ...` folds a nested test
// into its level. Tests are expanded only when no enclosing level is ignoring.
import { MakeError, type Loc } from "../messages.js";
import type { Expander } from "../expand/expander.js";
import type { VarScope } from "../expand/variables.js";
import type { ConditionalTest, Statement } from "./ast.js";
import { isIgnoring, locIn, type FileState } from "./file-state.js";

export class Conditionals {
  constructor(
    private readonly expander: Expander,
    private readonly globals: VarScope,
  ) {}

  /** `ifeq`/`ifneq`/`ifdef`/`ifndef`, `else [if...]`, `endif` (GNU's conditional_line). */
  evaluate(s: Statement & { kind: "if" | "else" | "endif" }, st: FileState): void {
    const loc = locIn(st, s);
    if (s.kind === "endif") {
      if (s.extraneous) this.expander.warn("extraneous text after 'endif' directive", loc);
      if (st.conds.length === 0) throw new MakeError("extraneous 'endif'", loc);
      st.conds.pop();
      return;
    }
    if (s.kind === "else") {
      if (st.conds.length === 0) throw new MakeError("extraneous 'else'", loc);
      const level = st.conds[st.conds.length - 1]!;
      if (level.seenElse) throw new MakeError("only one 'else' per conditional", loc);
      if (level.ignoring === 0) level.ignoring = 2;
      else if (level.ignoring === 1) level.ignoring = 0;
      if (s.chained === undefined) {
        if (s.extraneous) this.expander.warn("extraneous text after 'else' directive", loc);
        else level.seenElse = true;
        return;
      }
      if (s.chained.test.type === "invalid") {
        this.expander.warn("extraneous text after 'else' directive", loc);
        return;
      }
      // `else ifeq ...`: evaluate as a nested level, then fold it into this one.
      this.push(s.chained.test, s.chained.extraneous, st, loc);
      const inner = st.conds.pop()!;
      if (level.ignoring < 2) level.ignoring = inner.ignoring;
      return;
    }
    this.push(s.test, s.extraneous, st, loc);
  }

  private push(test: ConditionalTest, extraneous: boolean, st: FileState, loc: Loc): void {
    if (isIgnoring(st)) {
      st.conds.push({ ignoring: 1, seenElse: false });
      return;
    }
    let result: boolean;
    switch (test.type) {
      case "invalid":
        throw new MakeError("invalid syntax in conditional", loc);
      case "ifdef":
      case "ifndef": {
        const name = ifdefName(this.expander.expand(test.name, this.globals, loc));
        if (name === undefined) throw new MakeError("invalid syntax in conditional", loc);
        // `ifdef` with nothing after it: GNU looks up the empty name.
        const v = name === "" ? undefined : this.expander.lookup(name, this.globals);
        result = v !== undefined && v.value !== "";
        if (test.type === "ifndef") result = !result;
        break;
      }
      case "ifeq":
      case "ifneq": {
        const a = this.expander.expand(test.left, this.globals, loc);
        const b = this.expander.expand(test.right, this.globals, loc);
        if (extraneous) this.expander.warn(`extraneous text after '${test.type}' directive`, loc);
        result = (a === b) === (test.type === "ifeq");
        break;
      }
    }
    st.conds.push({ ignoring: result ? 0 : 1, seenElse: false });
  }
}

/** The name `ifdef` tests in its expanded text, as GNU's conditional_line finds it: the
 * text up to the first blank or newline, with nothing but blanks after it; undefined when
 * something follows (GNU's "invalid syntax in conditional"). A blank the expansion puts first
 * ends an empty name, so `ifdef $(EMPTY) X` is that error too. */
function ifdefName(text: string): string | undefined {
  let end = 0;
  while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
  for (let i = end; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return undefined;
  return text.slice(0, end);
}

/** GNU's ISSPACE: a blank (space, tab, and the other C isspace characters) or a newline. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
