// Parsing `$(...)` text into expression nodes, without expanding anything.
//
// The scan follows GNU Make's variable_expand_string / handle_function exactly, quirks
// included, so that expanding the nodes later gives GNU's result:
//   - `$$` is a literal `$`; a `$` at the very end is kept literally.
//   - `$x` (any single character, even a space) is the variable named by that character.
//   - `$(name args)` / `${name args}` is a function call only when `name` is a built-in
//     function followed by whitespace or the end of text; otherwise it is a variable reference,
//     so `$(foo bar)` names the variable "foo bar".
//   - A function call ends at the close paren that balances, counting only parens of the
//     kind that opened it; arguments split at commas at nesting depth zero (same kind only).
//   - A variable reference without `$` inside ends at the first close paren; with a `$`
//     inside, at the balancing one, and the name is expanded first (computed names).
//   - `$(VAR:from=to)` is a substitution reference; the split happens on the (expanded) name.
// Errors (unterminated references) become error nodes, raised only when expansion reaches
// them, so earlier side effects ($(info), $(shell)) happen first as in GNU.
import type { MakeFunction } from "./functions/types.js";

/** A literal, a variable reference, a function call, or a deferred error. */
export type ExprNode = string | VarRefNode | FuncCallNode | ErrorNode;

export interface Expr {
  nodes: ExprNode[];
  /** Set when the text has no references at all: expansion is the text itself. */
  literal?: string;
}

export interface VarRefNode {
  kind: "var";
  /** The name text when it had no `$` (already split into name / substitution). */
  name?: string;
  subst?: SubstSpec;
  /** The name as an expression when it contains references (`$($(x))`, `$(X:$(a)=b)`). */
  computed?: Expr;
  /** How it was written: "(" "{" or "" for `$x`; biomake patterns keep the form. */
  paren: "(" | "{" | "";
}

/** `$(VAR:from=to)` */
export interface SubstSpec {
  from: string;
  to: string;
}

export interface FuncCallNode {
  kind: "func";
  name: string;
  fn: MakeFunction;
  /** Parsed arguments when fn.expandArgs, else undefined. */
  args?: Expr[];
  /** Arguments as written (always set). */
  rawArgs: string[];
}

export interface ErrorNode {
  kind: "error";
  /** GNU's message, e.g. "unterminated variable reference". */
  message: string;
}

export type FunctionLookup = (name: string) => MakeFunction | undefined;

const CLOSE: Record<string, string> = { "(": ")", "{": "}" };

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
}

function isFunctionNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 45 || // -
    code === 95 || // _
    code === 46 // .
  );
}

/** Splits a reference name into a plain name and an optional substitution, as GNU does after
 * expanding it: the first `:` followed (somewhere) by `=` makes a substitution reference. */
export function splitSubstitution(text: string): { name: string; subst?: SubstSpec } {
  const colon = text.indexOf(":");
  if (colon < 0) return { name: text };
  const eq = text.indexOf("=", colon + 1);
  if (eq < 0) return { name: text };
  return { name: text.slice(0, colon), subst: { from: text.slice(colon + 1, eq), to: text.slice(eq + 1) } };
}

export class ExpressionParser {
  private readonly cache = new Map<string, Expr>();
  /** Bound on cached texts; $(eval) of ever-new text must not grow memory without limit. */
  private static readonly MAX_CACHE = 200_000;

  constructor(private readonly lookupFunction: FunctionLookup) {}

  /** The parsed form of `text`, from the cache when seen before. */
  parse(text: string): Expr {
    let e = this.cache.get(text);
    if (e === undefined) {
      e = this.parseUncached(text);
      if (this.cache.size >= ExpressionParser.MAX_CACHE) this.cache.clear();
      this.cache.set(text, e);
    }
    return e;
  }

  /** Parses without caching, for text expanded once (most makefile lines). */
  parseOnce(text: string): Expr {
    return this.parseUncached(text);
  }

  private parseUncached(text: string): Expr {
    let dollar = text.indexOf("$");
    if (dollar < 0) return { nodes: [text], literal: text };
    const nodes: ExprNode[] = [];
    let lit = "";
    let i = 0;
    const flush = (): void => {
      if (lit !== "") {
        nodes.push(lit);
        lit = "";
      }
    };
    while (dollar >= 0) {
      lit += text.slice(i, dollar);
      const c = text[dollar + 1];
      if (c === undefined) {
        // A lone `$` at the end stays as it is.
        lit += "$";
        i = text.length;
        break;
      }
      if (c === "$") {
        lit += "$";
        i = dollar + 2;
      } else if (c === "(" || c === "{") {
        const r = this.parseParen(text, dollar + 1, c);
        flush();
        nodes.push(r.node);
        if (r.stop) {
          i = text.length;
          break;
        }
        i = r.next;
      } else {
        flush();
        nodes.push({ kind: "var", name: c, paren: "" });
        i = dollar + 2;
      }
      dollar = text.indexOf("$", i);
    }
    lit += text.slice(i);
    flush();
    return { nodes };
  }

  /** `text[open]` is "(" or "{" right after a `$`. Returns the node and the index after it;
   * `stop` means GNU abandons the rest of the text (errors, unbalanced computed names). */
  private parseParen(text: string, open: number, paren: "(" | "{"): { node: ExprNode; next: number; stop?: boolean } {
    const close = CLOSE[paren]!;
    const beg = open + 1;
    const fn = this.functionAt(text, beg);
    if (fn !== undefined) return this.parseCall(text, paren, fn.name, fn.fn, fn.argsStart);

    const end = text.indexOf(close, beg);
    if (end < 0) return { node: { kind: "error", message: "unterminated variable reference" }, next: text.length, stop: true };
    const inner = text.indexOf("$", beg);
    if (inner >= 0 && inner < end) {
      let count = 0;
      for (let p = beg; p < text.length; p++) {
        const ch = text[p];
        if (ch === paren) count++;
        else if (ch === close && --count < 0) {
          return { node: { kind: "var", computed: this.parse(text.slice(beg, p)), paren }, next: p + 1 };
        }
      }
      // Unbalanced (`$($(a)`): GNU uses the text up to the first close paren as the name
      // and stops scanning.
      const s = splitSubstitution(text.slice(beg, end));
      return { node: { kind: "var", name: s.name, subst: s.subst, paren }, next: text.length, stop: true };
    }
    const s = splitSubstitution(text.slice(beg, end));
    return { node: { kind: "var", name: s.name, subst: s.subst, paren }, next: end + 1 };
  }

  /** A built-in function name starting at `beg`, followed by whitespace or the end. */
  private functionAt(text: string, beg: number): { name: string; fn: MakeFunction; argsStart: number } | undefined {
    let e = beg;
    while (e < text.length && isFunctionNameChar(text.charCodeAt(e))) e++;
    if (e === beg) return undefined;
    if (e < text.length && !isSpace(text[e])) return undefined;
    const name = text.slice(beg, e);
    const fn = this.lookupFunction(name);
    if (fn === undefined) return undefined;
    while (e < text.length && isSpace(text[e])) e++;
    return { name, fn, argsStart: e };
  }

  private parseCall(text: string, paren: "(" | "{", name: string, fn: MakeFunction, beg: number): { node: ExprNode; next: number; stop?: boolean } {
    const close = CLOSE[paren]!;
    let count = 0;
    let end = beg;
    for (; end < text.length; end++) {
      const ch = text[end];
      if (ch === paren) count++;
      else if (ch === close && --count < 0) break;
    }
    if (end >= text.length) {
      return {
        node: { kind: "error", message: `unterminated call to function '${name}': missing '${close}'` },
        next: text.length,
        stop: true,
      };
    }
    const rawArgs: string[] = [];
    let p = beg;
    for (;;) {
      if (fn.maxArgs > 0 && rawArgs.length + 1 === fn.maxArgs) {
        rawArgs.push(text.slice(p, end));
        break;
      }
      const next = nextArgument(text, p, end, paren, close);
      if (next < 0) {
        rawArgs.push(text.slice(p, end));
        break;
      }
      rawArgs.push(text.slice(p, next));
      p = next + 1;
    }
    const node: FuncCallNode = { kind: "func", name, fn, rawArgs };
    if (fn.expandArgs) node.args = rawArgs.map((a) => this.parse(a));
    return { node, next: end + 1 };
  }
}

/** Index of the next argument-separating comma in text[p, end), or -1. */
function nextArgument(text: string, p: number, end: number, open: string, close: string): number {
  let count = 0;
  for (; p < end; p++) {
    const ch = text[p];
    if (ch === open) count++;
    else if (ch === close) {
      if (--count < 0) return -1;
    } else if (ch === "," && count === 0) return p;
  }
  return -1;
}
