// The JS fallback for multi-wildcard target matching. Same pattern syntax and same candidate
// order as crates/matcher (see PatternSet in types.ts), checked by ts/test/native-agreement.test.ts.
//
// Order of candidates: biomake matches a pattern token by token with atom_concat/3, which for an
// unbound wildcard tries the shortest non-empty prefix first and backtracks into longer ones;
// a wildcard whose name is already bound (a repeated name) is matched as literal text. So for
// one pattern the splits come out depth-first: the first wildcard shortest-first, and for each
// of its lengths the later wildcards shortest-first.

import type { Candidate, PatternInfo, PatternSet } from "./types.js";
import { scanRefs } from "../base/wildcard-refs.js";

/** A pattern token: literal text, or the index of a wildcard in PatternInfo.wildcards. */
type Token = { kind: "text"; text: string } | { kind: "wild"; slot: number };

interface CompiledPattern {
  info: PatternInfo;
  tokens: Token[];
  /** minTail[i]: the fewest characters tokens[i..] can match (each wildcard takes one or more). */
  minTail: number[];
  /** Literal text the pattern ends with ("" if it ends with a wildcard): a cheap first test. */
  suffix: string;
}

/** Why a pattern failed to compile; the same text as crates/matcher's SyntaxError (offsets are
 * UTF-8 byte offsets, as there), so both backends report a bad pattern identically. */
function syntaxError(source: string, reason: string): Error {
  return new Error(`bad target pattern '${source}': ${reason}`);
}

/** Rust's char::is_whitespace (Unicode White_Space), which differs from JS's \s in U+0085 and
 * U+FEFF. */
const WHITESPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

/** Splits a pattern into tokens (syntax in types.ts). Throws on a bad pattern: empty, two '%',
 * '$(' or '${' unclosed, an empty or non-name '$(...)', a trailing '$', '$' before whitespace. */
export function parsePattern(source: string): { tokens: Token[]; wildcards: string[] } {
  if (source === "") throw syntaxError(source, "the pattern is empty");
  const tokens: Token[] = [];
  const wildcards: string[] = [];
  /** Literal text, joined to the text token before it. */
  const literal = (text: string): void => {
    if (text === "") return;
    const last = tokens[tokens.length - 1];
    if (last?.kind === "text") last.text += text;
    else tokens.push({ kind: "text", text });
  };
  const wild = (name: string): void => {
    let slot = wildcards.indexOf(name);
    if (slot < 0) slot = wildcards.push(name) - 1;
    tokens.push({ kind: "wild", slot });
  };
  // Offsets in messages are UTF-8 byte offsets, as crates/matcher's.
  const byteOffset = (index: number): number => Buffer.byteLength(source.slice(0, index), "utf8");
  let stemSeen = false;
  const problem = scanRefs(source, {
    // The stem `%` is this syntax's own: literal runs are split at it.
    text: (text, start) => {
      let from = 0;
      for (let pct = text.indexOf("%"); pct >= 0; pct = text.indexOf("%", from)) {
        if (stemSeen) throw syntaxError(source, `more than one '%' (the second is at offset ${byteOffset(start + pct)}); a pattern has at most one stem`);
        stemSeen = true;
        literal(text.slice(from, pct));
        wild("%");
        from = pct + 1;
      }
      literal(text.slice(from));
    },
    ref: (name, start, end) => {
      const ref = source.slice(start, end);
      const bracketed = end - start > name.length + 1;
      if (bracketed && name.length === 0) throw syntaxError(source, `empty wildcard name in '${ref}' at offset ${byteOffset(start)}`);
      if (!bracketed && WHITESPACE.test(name)) {
        throw syntaxError(source, `'$' followed by whitespace at offset ${byteOffset(start)} (write '$$' for a literal '$')`);
      }
      if (bracketed && Array.from(name).some((n) => n === "$" || n === "(" || n === "{" || WHITESPACE.test(n))) {
        throw syntaxError(
          source,
          `'${ref}' at offset ${byteOffset(start)} is not a wildcard name (names contain no '$', brackets or ` +
            "whitespace; function calls must be expanded before matching)",
        );
      }
      wild(name);
    },
  });
  if (problem?.kind === "trailing") throw syntaxError(source, "'$' at the end of the pattern (write '$$' for a literal '$')");
  if (problem?.kind === "unclosed") {
    const close = problem.bracket === "(" ? ")" : "}";
    throw syntaxError(source, `unterminated wildcard reference '$${problem.bracket}' at offset ${byteOffset(problem.at)} (missing '${close}')`);
  }
  return { tokens, wildcards };
}

function compile(source: string): CompiledPattern {
  const { tokens, wildcards } = parsePattern(source);
  const minTail = new Array<number>(tokens.length + 1).fill(0);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    minTail[i] = minTail[i + 1]! + (t.kind === "text" ? t.text.length : 1);
  }
  const last = tokens[tokens.length - 1];
  const suffix = last?.kind === "text" ? last.text : "";
  return { info: { source, wildcards }, tokens, minTail, suffix };
}

const isHighSurrogate = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLowSurrogate = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/** Every way `name` matches `p`, in biomake's order; calls `emit` with the bindings of each. */
function matchPattern(p: CompiledPattern, name: string, emit: (bindings: string[]) => void): void {
  if (name.length < p.minTail[0]! || !name.endsWith(p.suffix)) return;
  const bound: (string | undefined)[] = new Array(p.info.wildcards.length).fill(undefined);
  const step = (ti: number, pos: number): void => {
    if (ti === p.tokens.length) {
      if (pos === name.length) emit(bound.slice() as string[]);
      return;
    }
    if (name.length - pos < p.minTail[ti]!) return;
    const t = p.tokens[ti]!;
    if (t.kind === "text") {
      if (name.startsWith(t.text, pos)) step(ti + 1, pos + t.text.length);
      return;
    }
    const already = bound[t.slot];
    if (already !== undefined) {
      if (name.startsWith(already, pos)) step(ti + 1, pos + already.length);
      return;
    }
    // The rest of the pattern needs at least minTail[ti+1] code units. A wildcard binds whole
    // characters, so an end that would cut a surrogate pair in two is skipped.
    const lastEnd = name.length - p.minTail[ti + 1]!;
    for (let end = pos + 1; end <= lastEnd; end++) {
      if (isLowSurrogate(name.charCodeAt(end)) && isHighSurrogate(name.charCodeAt(end - 1))) continue;
      bound[t.slot] = name.slice(pos, end);
      step(ti + 1, end);
    }
    bound[t.slot] = undefined;
  };
  step(0, 0);
}

export class JsPatternSet implements PatternSet {
  private readonly patterns: CompiledPattern[];

  constructor(sources: string[]) {
    this.patterns = sources.map(compile);
  }

  get size(): number {
    return this.patterns.length;
  }

  info(index: number): PatternInfo {
    const p = this.patterns[index];
    if (!p) throw new Error(`pattern index ${index} out of range (size ${this.patterns.length})`);
    return { source: p.info.source, wildcards: p.info.wildcards.slice() };
  }

  matchBatch(names: string[]): Candidate[][] {
    return names.map((name) => {
      const out: Candidate[] = [];
      this.patterns.forEach((p, pattern) => matchPattern(p, name, (bindings) => out.push({ pattern, bindings })));
      return out;
    });
  }
}
