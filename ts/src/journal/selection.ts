// The console's selection language, after compmake's: words that name targets, read left to
// right.
//
//   NAME          a target                 GLOB     targets matching (* ? [...]), `/` included
//   STATE         done failed blocked running stale todo (todo: stale or never built)
//   state:STATE   the same, an unknown state is an error
//   rule:RULE     targets made by a rule: its target pattern (`rule:%.o`, `rule:align-$X-$Y`)
//                 or where its recipe is (`rule:Makefile:12`)
//   in X          X and everything X needs, all the way down
//   not X         every target but X
//   X Y           X or Y
//   X except Y    X but not Y (the loosest: `a b except c d` is (a b) except (c d))
//   ( ... )       grouping
import type { State } from "./status.js";

/** What a selection is evaluated over. */
export interface Universe {
  /** Every target known, in order. */
  names: readonly string[];
  state(name: string): State | undefined;
  rule(name: string): string | undefined;
  prereqs(name: string): readonly string[];
}

/** A selection that cannot be read: the console says it and exits 2. */
export class SelectionError extends Error {}

const STATE_WORDS = new Set(["done", "failed", "blocked", "running", "stale", "todo"]);

type Node = { k: "word"; w: string } | { k: "not"; x: Node } | { k: "in"; x: Node } | { k: "or"; xs: Node[] } | { k: "except"; a: Node; b: Node };

/** The tokens of a selection's words (parentheses may stick to words). */
function tokens(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) for (const t of w.split(/(\(|\)|\s+)/)) if (t !== "" && !/^\s+$/.test(t)) out.push(t);
  return out;
}

/** Parses a selection; throws SelectionError for one that is malformed. */
export function parseSelection(words: readonly string[]): Node {
  const ts = tokens(words);
  let i = 0;
  const union = (): Node => {
    const xs: Node[] = [];
    while (i < ts.length && ts[i] !== ")" && ts[i] !== "except") xs.push(unary());
    if (xs.length === 0) throw new SelectionError(i < ts.length ? `nothing before '${ts[i]}'` : "a selection is missing");
    return xs.length === 1 ? xs[0]! : { k: "or", xs };
  };
  const sel = (): Node => {
    let a = union();
    while (ts[i] === "except") {
      i++;
      a = { k: "except", a, b: union() };
    }
    return a;
  };
  const unary = (): Node => {
    const t = ts[i++];
    if (t === undefined) throw new SelectionError("a selection is missing");
    if (t === "not" || t === "in") {
      if (i >= ts.length || ts[i] === ")" || ts[i] === "except") throw new SelectionError(`'${t}' needs a selection after it`);
      return { k: t, x: unary() };
    }
    if (t === "(") {
      const x = sel();
      if (ts[i++] !== ")") throw new SelectionError("'(' without ')'");
      return x;
    }
    if (t === ")") throw new SelectionError("')' without '('");
    return { k: "word", w: t };
  };
  const node = sel();
  if (i < ts.length) throw new SelectionError(ts[i] === ")" ? "')' without '('" : `unexpected '${ts[i]}'`);
  return node;
}

/** A glob as a regular expression (`*` and `?` match `/` too). */
function globRe(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The targets a word names. */
function word(w: string, u: Universe): Set<string> {
  const all = u.names;
  const ofState = (s: string): Set<string> => {
    if (!STATE_WORDS.has(s)) throw new SelectionError(`unknown state '${s}' (known: ${[...STATE_WORDS].join(", ")})`);
    return new Set(all.filter((n) => (s === "todo" ? u.state(n) === "todo" || u.state(n) === "stale" : u.state(n) === s)));
  };
  if (w.startsWith("state:")) return ofState(w.slice(6));
  if (w.startsWith("rule:")) {
    const r = w.slice(5);
    if (r === "") throw new SelectionError("'rule:' needs a rule");
    return new Set(all.filter((n) => u.rule(n) === r));
  }
  if (STATE_WORDS.has(w)) return ofState(w);
  if (/[*?[]/.test(w)) {
    const re = globRe(w);
    return new Set(all.filter((n) => re.test(n)));
  }
  if (!all.includes(w)) throw new SelectionError(`no target '${w}' in the goals' graph or the journal`);
  return new Set([w]);
}

/** The targets a selection selects, in the universe's order. */
export function evaluate(node: Node, u: Universe): string[] {
  const ev = (n: Node): Set<string> => {
    switch (n.k) {
      case "word":
        return word(n.w, u);
      case "or": {
        const s = new Set<string>();
        for (const x of n.xs) for (const t of ev(x)) s.add(t);
        return s;
      }
      case "except": {
        const a = ev(n.a);
        for (const t of ev(n.b)) a.delete(t);
        return a;
      }
      case "not": {
        const x = ev(n.x);
        return new Set(u.names.filter((t) => !x.has(t)));
      }
      case "in": {
        const out = new Set<string>();
        const add = (t: string): void => {
          if (out.has(t)) return;
          out.add(t);
          for (const p of u.prereqs(t)) add(p);
        };
        for (const t of ev(n.x)) add(t);
        return new Set(u.names.filter((t) => out.has(t)));
      }
    }
  };
  const s = ev(node);
  return u.names.filter((t) => s.has(t));
}

/** Selects from `u` with the selection `words` (every target when there are none). */
export function select(words: readonly string[], u: Universe): string[] {
  if (words.length === 0) return [...u.names];
  return evaluate(parseSelection(words), u);
}
