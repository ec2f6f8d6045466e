// Conditional directives (GNU's conditional_line): a stack of levels per file; a level is
// interpreting, not yet taken, or already taken, and `else ifeq ...` folds a nested test
// into its level. Tests are expanded only when no enclosing level is ignoring.
import { MakeError, type Loc } from "../messages.js";
import type { Expander } from "../expand/expander.js";
import type { VarScope } from "../expand/variables.js";
import type { ConditionalTest, Statement } from "./ast.js";
import { isIgnoring, locIn, type FileState } from "./file-state.js";
import { splitWords } from "./text.js";

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
        const name = this.expander.expand(test.name, this.globals, loc);
        const words = splitWords(name);
        if (words.length !== 1) {
          if (words.length === 0) {
            // `ifdef` with nothing after it: GNU looks up the empty name.
            result = false;
          } else throw new MakeError("invalid syntax in conditional", loc);
        } else {
          const v = this.expander.lookup(words[0]!, this.globals);
          result = v !== undefined && v.value !== "";
        }
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
