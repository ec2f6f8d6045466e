// The JS fallback for multi-wildcard target matching. Same pattern syntax and same candidate
// order as crates/matcher (see PatternSet in types.ts), checked by ts/test/native-agreement.test.ts.
//
// Order of candidates: biomake matches a pattern token by token with atom_concat/3, which for an
// unbound wildcard tries the shortest non-empty prefix first and backtracks into longer ones;
// a wildcard whose name is already bound (a repeated name) is matched as literal text. So for
// one pattern the splits come out depth-first: the first wildcard shortest-first, and for each
// of its lengths the later wildcards shortest-first.

import type { Candidate, PatternInfo, PatternSet } from "./types.js";

/** A pattern token: literal text, or the index of a wildcard in PatternInfo.wildcards. */
type Token = { kind: "text"; text: string } | { kind: "wild"; slot: number };

interface CompiledPattern {
  info: PatternInfo;
  tokens: Token[];
  /** minTail[i]: the fewest characters tokens[i..] can match (each wildcard takes one or more). */
  minTail: number[];
}

/** Splits a pattern into tokens. Throws on a malformed wildcard reference. */
export function parsePattern(source: string): { tokens: Token[]; wildcards: string[] } {
  const tokens: Token[] = [];
  const wildcards: string[] = [];
  let text = "";
  const flushText = (): void => {
    if (text) tokens.push({ kind: "text", text });
    text = "";
  };
  const wild = (name: string): void => {
    flushText();
    let slot = wildcards.indexOf(name);
    if (slot < 0) slot = wildcards.push(name) - 1;
    tokens.push({ kind: "wild", slot });
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "%") {
      wild("%");
      continue;
    }
    if (c !== "$") {
      text += c;
      continue;
    }
    const next = source[i + 1];
    if (next === undefined) throw new Error(`pattern '${source}': '$' at end of pattern`);
    if (next === "$") {
      text += "$";
      i++;
    } else if (next === "(" || next === "{") {
      const close = next === "(" ? ")" : "}";
      const end = source.indexOf(close, i + 2);
      if (end < 0) throw new Error(`pattern '${source}': unterminated variable reference`);
      const name = source.slice(i + 2, end);
      if (!name) throw new Error(`pattern '${source}': empty variable name`);
      wild(name);
      i = end;
    } else {
      wild(next);
      i++;
    }
  }
  flushText();
  return { tokens, wildcards };
}

function compile(source: string): CompiledPattern {
  const { tokens, wildcards } = parsePattern(source);
  const minTail = new Array<number>(tokens.length + 1).fill(0);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    minTail[i] = minTail[i + 1]! + (t.kind === "text" ? t.text.length : 1);
  }
  return { info: { source, wildcards }, tokens, minTail };
}

/** Every way `name` matches `p`, in biomake's order; calls `emit` with the bindings of each. */
function matchPattern(p: CompiledPattern, name: string, emit: (bindings: string[]) => void): void {
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
    // The rest of the pattern needs at least minTail[ti+1] characters.
    const longest = name.length - pos - p.minTail[ti + 1]!;
    for (let len = 1; len <= longest; len++) {
      bound[t.slot] = name.slice(pos, pos + len);
      step(ti + 1, pos + len);
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
    if (!p) throw new RangeError(`pattern index ${index} out of range (size ${this.patterns.length})`);
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
