// GNU Make's low-level line text rules (read.c): collapsing continuations, finding unquoted
// stop characters (with the backslash-halving GNU applies), comment removal, and splitting a
// rule line into "makefile words".

import { isSpace, splitWords } from "../base/words.js";

export function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/** Skips blanks and newlines (GNU's NEXT_TOKEN). */
export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

/** GNU's collapse_continuations for non-recipe lines: each backslash-newline, with the blanks
 * around it, becomes one space; backslashes before it are halved. Under .POSIX (`posix`) the
 * blanks before it stay, so each backslash-newline (and the next line's leading blanks)
 * becomes exactly one more space. */
export function collapseContinuations(line: string, posix = false): string {
  if (line.indexOf("\n") < 0) return line;
  let out = "";
  let i = 0;
  for (;;) {
    const q = line.indexOf("\n", i);
    if (q < 0) break;
    let bs = 0;
    while (q - bs - 1 >= i && line[q - bs - 1] === "\\") bs++;
    // Keep half of the backslashes (rounded down).
    const chunk = line.slice(i, q - bs) + "\\".repeat(bs >> 1);
    i = q + 1;
    if (bs & 1) {
      while (i < line.length && isBlank(line[i])) i++;
      out += chunk;
      let k = out.length;
      if (!posix) while (k > 0 && isBlank(out[k - 1])) k--;
      out = out.slice(0, k) + " ";
    } else {
      out += chunk + "\n";
    }
  }
  return out + line.slice(i);
}

/**
 * What GNU's new_job does to a recipe line before expanding it: a backslash-newline inside a
 * `$(...)` / `${...}` reference, with the blanks around it, becomes one space (a function
 * should not see it as part of its text). Backslash-newlines elsewhere stay for the shell; a
 * quoted one (after another backslash) is left alone.
 */
export function collapseReferenceContinuations(line: string): string {
  if (line.indexOf("\\\n") < 0) return line;
  let out = "";
  let i = 0;
  const n = line.length;
  for (;;) {
    const d = line.indexOf("$", i);
    if (d < 0) break;
    const ref = d + 1;
    out += line.slice(i, ref);
    i = ref;
    const open = line[ref];
    if (open !== "(" && open !== "{") continue;
    const close = open === "(" ? ")" : "}";
    out += open;
    i++;
    const outRef = out.length;
    let depth = 0;
    while (i < n) {
      const c = line[i]!;
      if (c === close && --depth < 0) break;
      if (c === "\\" && line[i + 1] === "\n") {
        let quoted = false;
        for (let p = i - 1; p > ref && line[p] === "\\"; p--) quoted = !quoted;
        if (quoted) {
          out += c;
          i++;
          continue;
        }
        i += 2;
        while (i < n && isSpace(line[i])) i++;
        let k = out.length;
        while (k > outRef && isBlank(out[k - 1])) k--;
        out = out.slice(0, k) + " ";
        continue;
      }
      if (c === open) depth++;
      out += c;
      i++;
    }
  }
  return out + line.slice(i);
}

/**
 * GNU's find_map_unquote: the index of the first character of `stops` in `s` that is not
 * quoted by a backslash, skipping over `$(...)`/`${...}` references when `skipRefs`.
 * Backslashes in front of a stop character are halved in the returned text (an odd count
 * quotes it), exactly as GNU rewrites its buffer. Returns index -1 when there is none.
 */
export function findUnquoted(s: string, stops: string, skipRefs: boolean): { text: string; index: number } {
  // Fast paths: no stop character at all; or no backslash and no reference to skip.
  let first = -1;
  for (let k = 0; k < stops.length; k++) {
    const at = s.indexOf(stops[k]!);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  if (first < 0) return { text: s, index: -1 };
  if (s.indexOf("\\") < 0 && (!skipRefs || s.lastIndexOf("$", first) < 0)) return { text: s, index: first };

  let text = s;
  let p = 0;
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (skipRefs && c === 36 /* $ */) {
      const open = text[p + 1];
      if (open === undefined) break;
      p += 2;
      if (open === "(" || open === "{") {
        const close = open === "(" ? ")" : "}";
        let count = 1;
        while (p < text.length) {
          const d = text[p];
          if (d === open) count++;
          else if (d === close && --count === 0) {
            p++;
            break;
          }
          p++;
        }
      }
      continue;
    }
    if (stops.indexOf(text[p]!) < 0) {
      p++;
      continue;
    }
    if (p > 0 && text.charCodeAt(p - 1) === 92 /* \ */) {
      let bs = 0;
      while (p - bs - 1 >= 0 && text.charCodeAt(p - bs - 1) === 92) bs++;
      const keep = bs >> 1;
      text = text.slice(0, p - bs) + "\\".repeat(keep) + text.slice(p);
      p = p - bs + keep;
      if (bs % 2 === 0) return { text, index: p };
      p++;
      continue;
    }
    return { text, index: p };
  }
  return { text, index: -1 };
}

/** Cuts a line at its first unquoted `#` outside variable references (GNU's remove_comments). */
export function removeComments(line: string): string {
  if (line.indexOf("#") < 0) return line;
  const r = findUnquoted(line, "#", true);
  return r.index < 0 ? r.text : r.text.slice(0, r.index);
}

export type MwordType = "eol" | "static" | "variable" | "colon" | "dcolon" | "semicolon" | "varassign" | "ampcolon" | "ampdcolon";

/** GNU's get_next_mword: the next "makefile word" of a rule line starting at `i`. */
export function nextMword(s: string, i: number): { type: MwordType; start: number; end: number } {
  while (i < s.length && isBlank(s[i])) i++;
  const beg = i;
  let p = i;
  const c = s[p++];
  const done = (type: MwordType) => ({ type, start: beg, end: p });
  switch (c) {
    case undefined:
      return { type: "eol", start: beg, end: beg };
    case ";":
      return done("semicolon");
    case "=":
      return done("varassign");
    case ":":
      if (s[p] === "=") {
        p++;
        return done("varassign");
      }
      if (s[p] === ":") {
        p++;
        if (s[p] === "=") {
          p++;
          return done("varassign");
        }
        if (s[p] === ":" && s[p + 1] === "=") {
          p += 2;
          return done("varassign");
        }
        return done("dcolon");
      }
      return done("colon");
    case "&":
      if (s[p] === ":") {
        p++;
        if (s[p] === ":") {
          p++;
          return done("ampdcolon");
        }
        return done("ampcolon");
      }
      break;
    case "+":
    case "?":
    case "!":
      if (s[p] === "=") {
        p++;
        return done("varassign");
      }
      break;
    default:
      break;
  }
  let type: MwordType = "static";
  let ch: string | undefined = c;
  for (;;) {
    switch (ch) {
      case undefined:
      case " ":
      case "\t":
      case "=":
      case ":":
        return { type, start: beg, end: p - 1 };
      case "$": {
        const open = s[p++];
        if (open === "$") break;
        type = "variable";
        if (open === "(" || open === "{") {
          const close = open === "(" ? ")" : "}";
          let count = 0;
          for (; p < s.length; p++) {
            if (s[p] === open) count++;
            else if (s[p] === close && --count < 0) {
              p++;
              break;
            }
          }
        } else if (open === undefined) {
          return { type, start: beg, end: p - 1 };
        }
        break;
      }
      case "?":
      case "+":
        if (s[p] === "=") return { type, start: beg, end: p - 1 };
        break;
      case "\\":
        if (s[p] === ":" || s[p] === ";" || s[p] === "=" || s[p] === "\\") p++;
        break;
      case "&":
        if (s[p] === ":") return { type, start: beg, end: p - 1 };
        break;
      default:
        break;
    }
    ch = s[p++];
  }
}

/** The first whitespace-delimited word of `s` from `i`: [start, end). */
export function wordAt(s: string, i: number): { start: number; end: number } {
  const start = skipSpace(s, i);
  let end = start;
  while (end < s.length && !isSpace(s[end])) end++;
  return { start, end };
}

/** Characters of a variable name the reader's fast paths accept (letters, digits, `_.-/`);
 * anything else goes through GNU's full parse_variable_definition. */
export function isNameCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 47;
}

/** A plain `NAME [blanks] op` at t[k, b) for the reader's fast paths: the name's end, the
 * operator (`=`, `:=`, `+=`, `?=`, `!=`; `::=` and the rest are left to the general code) and
 * where the text after it starts; undefined for anything else. */
export function scanPlainAssignment(t: string, k: number, b: number): { nameEnd: number; op: "=" | ":=" | "+=" | "?=" | "!="; after: number } | undefined {
  const nameStart = k;
  while (k < b && isNameCode(t.charCodeAt(k))) k++;
  if (k === nameStart) return undefined;
  const nameEnd = k;
  while (k < b && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 9)) k++;
  const c = t.charCodeAt(k);
  if (c === 61 /* = */) return { nameEnd, op: "=", after: k + 1 };
  if (k + 1 >= b || t.charCodeAt(k + 1) !== 61) return undefined;
  const op = c === 58 /* : */ ? ":=" : c === 43 /* + */ ? "+=" : c === 63 /* ? */ ? "?=" : c === 33 /* ! */ ? "!=" : undefined;
  return op === undefined ? undefined : { nameEnd, op, after: k + 2 };
}

/** Halves a run of backslashes in front of `c` where it quotes it (GNU's unescape_char). */
export function unescapeChar(s: string, c: string): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    if (s[i] !== "\\") {
      out += s[i++];
      continue;
    }
    let e = i;
    while (e < s.length && s[e] === "\\") e++;
    const l = e - i;
    if (s[e] !== c || l % 2 === 0) out += s.slice(i, e);
    else out += "\\".repeat(l >> 1);
    i = e;
  }
  return out;
}

/**
 * The file names of a rule's target or prerequisite list, as GNU's parse_file_seq reads them:
 * words end at blanks not quoted by a backslash (a quoted blank belongs to the name), and a
 * backslash-quoted `:` is unquoted (not for targets: finding the rule's colon already halved the
 * backslashes before each colon, as GNU's find_char_unquote does). Other backslashes stay.
 */
export function splitFileNames(s: string, unescapeColons = true): string[] {
  if (s.indexOf("\\") < 0) return splitWords(s);
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && isSpace(s[i])) i++;
    if (i >= n) break;
    let w = "";
    for (; i < n; i++) {
      const c = s[i]!;
      if (!isSpace(c)) {
        w += c;
        continue;
      }
      let bs = 0;
      while (bs < w.length && w[w.length - 1 - bs] === "\\") bs++;
      if (bs % 2 === 0) break;
      w = w.slice(0, w.length - bs) + "\\".repeat(bs >> 1) + c;
    }
    out.push(unescapeColons ? unescapeChar(w, ":") : w);
  }
  return out;
}

/**
 * Splits the file names of a rule line in one pass (the reader's hot loop): words between
 * blanks, from `from` to `to`, optionally stopping at a lone `|` word (order-only
 * prerequisites follow it). Words are gathered in a reused buffer and returned in an
 * exact-size array (a big makefile keeps hundreds of thousands of these lists), or in the
 * shared empty `none` when there are none. The scan also notes what the caller must look at
 * again: `quoted` (a backslash: GNU's quoting rules apply, use splitFileNames instead) and
 * `special` (a word starts with `.` or holds `*`, `?`, `[` or `$`).
 */
export class NameScanner {
  /** After scan: the index just after the `|` word the scan stopped at, or -1. */
  stop = -1;
  quoted = false;
  special = false;
  private readonly buf: string[] = [];

  constructor(private readonly none: string[]) {}

  scan(text: string, from: number, to: number, stopAtBar: boolean): string[] {
    const k = this.scanTo(this.buf, 0, text, from, to, stopAtBar);
    return k === 0 ? this.none : this.buf.slice(0, k);
  }

  /** As scan, but the names go to `out` from index `k` on; returns the index after them. */
  scanTo(out: string[], k: number, text: string, from: number, to: number, stopAtBar: boolean): number {
    let special = false;
    let quoted = false;
    this.stop = -1;
    let i = from;
    while (i < to) {
      let c = text.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13)) {
        i++;
        continue;
      }
      const b = i;
      // GNU: a `|`, even inside a word, starts the order-only prerequisites.
      if (stopAtBar && c === 124 /* | */) {
        this.stop = i + 1;
        break;
      }
      if (c === 46 /* . */) special = true;
      for (;;) {
        if (c === 92 /* \ */) quoted = true;
        else if (c === 42 /* * */ || c === 63 /* ? */ || c === 91 /* [ */ || c === 36 /* $ */) special = true;
        if (++i >= to) break;
        c = text.charCodeAt(i);
        if (c === 32 || (c >= 9 && c <= 13) || (stopAtBar && c === 124)) break;
      }
      out[k++] = text.slice(b, i);
    }
    this.special = special;
    this.quoted = quoted;
    return k;
  }
}
