// Biomake's named wildcards in a rule line, and the rule that tells one from an unset GNU
// variable. This is the rule's one home; rules.ts applies it and the README's section
// "Unset variables: GNU's empty text, or biomake wildcards" says it for users.
//
// A rule's target text is expanded in biomake's pattern mode (Expander.expandPattern): a
// reference to a variable that is not defined stays in the text (`out-$X`, `$(DESTDIR)/bin`).
// GNU Make expands such a reference to nothing, and real GNU makefiles rely on that (git's
// `git$X`, redis's `prog$(PROG_SUFFIX)`, `$(DESTDIR)$(bindir)/prog`, an object list with an
// unset variable in it). Biomake reads it as a named wildcard. The rule:
//
//   1. Every rule line is read as GNU reads it, with its unset variables empty: that reading
//      is recorded complete (targets, prerequisites, recipe), unless biomake syntax makes the
//      line biomake's alone (3), and its form (static pattern `t: %.o: %.c`, double colon
//      `::`, grouped `&:`, target-specific variable, pattern and normal targets mixed) is
//      always GNU's.
//   2. An unset variable of the targets is also a biomake wildcard when the rule names it
//      again outside its targets: in its prerequisites or its recipe (`$X`, `$(X)`, `${X}`,
//      directly or through the value of a recursive variable they refer to), or when the rule
//      has a biomake goal (`{...}`), which is biomake syntax. Then the line is read a second
//      time, as a biomake multi-wildcard rule.
//   2b. An unset variable written in the rule's own line (`$R.v: in.txt`, `git$X: git.o`),
//      not only in the value of a variable the line uses (redis's `$(REDIS_CLI_NAME)`, whose
//      value holds `$(PROG_SUFFIX)`), is a wildcard too even when nothing uses it again, of a
//      *fallback* rule (RuleExtras.fallback): the rule search tries it only for a name that
//      no GNU rule of the makefiles (explicit, pattern, suffix or built-in) makes. So the GNU
//      reading is complete, and the wildcard reading never changes a decision it makes; it
//      only makes what GNU could not (ts/src/implicit/search.ts).
//   3. The GNU reading's rule keeps its GNU names (Rule.gnuTwin), so a name that GNU's reading
//      gives (`/usr/bin/prog` for `$(DESTDIR)/usr/bin/prog`) has its explicit rule and is made
//      as GNU makes it. A rule with a goal or a `$(bagof)` in its prerequisites has no GNU
//      reading (both are biomake syntax, and `$(bagof)` cannot be evaluated before its
//      wildcards are bound), and biomake's alternatives (`rule_$A:` written several times)
//      keep only the first GNU reading.
//
// The pattern-mode text syntax is the matcher's (native/types.ts): `$X`, `$(NAME)`, `${NAME}`
// are wildcards and `$$` is a literal `$`.

import { PLAIN_NAME, scanRefs } from "../base/wildcard-refs.js";

/** The names of the named wildcards in pattern-mode text, in order of first occurrence
 * (empty when there are none). */
export function wildcardNames(text: string): string[] {
  const out: string[] = [];
  scanRefs(text, { ref: (name) => void (out.includes(name) || out.push(name)) });
  return out;
}

/** Pattern-mode text as GNU's expansion gives it: named wildcards removed (undefined
 * variables are empty) and `$$` unescaped. */
export function dropNamedWildcards(s: string): string {
  if (s.indexOf("$") < 0) return s;
  let out = "";
  scanRefs(s, { text: (t) => void (out += t) });
  return out;
}

/** How a rule names its variables: a variable's value for the transitive search (recursive
 * variables only: a simple one holds no references any more). */
export type RecursiveValue = (name: string) => string | undefined;

/**
 * Whether unexpanded make text refers to one of `names`: a reference `$X`, `$(X)`, `${X}` or
 * `$(X:a=b)`, anywhere (inside function calls and computed names too), or through the value
 * of a recursive variable it refers to (`recursiveValue`), followed once per variable.
 */
export function refersTo(texts: readonly string[], names: readonly string[], recursiveValue: RecursiveValue): boolean {
  const seen = new Set<string>();
  const pending = [...texts];
  while (pending.length > 0) {
    const text = pending.pop()!;
    for (const ref of references(text)) {
      if (names.includes(ref)) return true;
      if (seen.has(ref)) continue;
      seen.add(ref);
      const v = recursiveValue(ref);
      if (v !== undefined && v.indexOf("$") >= 0) pending.push(v);
    }
  }
  return false;
}

/** The variable names `text` refers to, at any depth (GNU's reference syntax; `$$` is not a
 * reference). A function call's name is not a variable; its arguments are searched. */
function references(text: string): string[] {
  const out: string[] = [];
  const scan = (t: string): void => {
    for (let i = t.indexOf("$"); i >= 0 && i < t.length; i = t.indexOf("$", i)) {
      const n = t[i + 1];
      if (n === undefined) return;
      if (n === "$") {
        i += 2;
        continue;
      }
      if (n !== "(" && n !== "{") {
        out.push(n);
        i += 2;
        continue;
      }
      const close = n === "(" ? ")" : "}";
      let depth = 0;
      let k = i + 2;
      for (; k < t.length; k++) {
        const c = t[k];
        if (c === n) depth++;
        else if (c === close && depth-- === 0) break;
      }
      const inner = t.slice(i + 2, k);
      // `$(NAME)`, `$(NAME:a=b)`: a variable; `$(fn args)`: the references in its arguments
      // (and `$(call NAME,...)` names a variable); `$($(X)_Y)`: the references in the name.
      const word = /^[^\s:$]*/.exec(inner)![0];
      if (PLAIN_NAME.test(word) && (inner.length === word.length || inner[word.length] === ":")) out.push(word);
      else if (word === "call") {
        const fn = /^call\s+([^,$\s]+)/.exec(inner);
        if (fn !== null) out.push(fn[1]!);
      }
      scan(inner.slice(word.length));
      i = k + 1;
    }
  };
  scan(text);
  return out;
}

/** The first colon of unexpanded prerequisite text outside variable references and not
 * backslash-quoted: a second colon makes the line a static pattern rule (`t: %.o: %.c`), or
 * -1. */
export function topLevelColon(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === ":") return i;
    else if (c === "$") {
      const n = text[i + 1];
      if (n !== "(" && n !== "{") {
        i++;
        continue;
      }
      const close = n === "(" ? ")" : "}";
      let depth = 0;
      let k = i + 2;
      for (; k < text.length; k++) {
        if (text[k] === n) depth++;
        else if (text[k] === close && depth-- === 0) break;
      }
      i = k;
    }
  }
  return -1;
}

/** Whether unexpanded text calls biomake's `$(bagof ...)`. */
export function callsBagof(text: string): boolean {
  return /\$[({]bagof[ \t]/.test(text);
}
