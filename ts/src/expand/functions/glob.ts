// File-name globbing as $(wildcard) does it: GNU Make hands each word to glibc's glob() with
// only GLOB_ALTDIRFUNC, so there is no brace expansion, no `**`, no GLOB_PERIOD (a leading
// `.` must be matched explicitly, yet `.*` does match `.` and `..`), backslash escapes are
// honoured, results of each word are sorted (strcmp order under LC_ALL=C) and a word that
// matches nothing yields nothing. Tilde expansion and the splitting into words happen
// before, in filenames.ts, as in GNU's parse_file_seq.
//
// The recursion mirrors glibc's glob(): split the pattern at its last `/`; a pattern that
// ends in `/` matches directories only; a directory part with wildcards is globbed first,
// then the last component is matched inside each directory found.
import fs from "node:fs";
import { compareBytes } from "./words.js";

/** Whether `pattern` has an active wildcard: `*`, `?`, or a `[` closed by a later `]`
 * (glibc's __glob_pattern_p; a backslash hides the next character). */
export function hasWildcard(pattern: string): boolean {
  let open = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" || c === "?") return true;
    if (c === "\\" && i + 1 < pattern.length) i++;
    else if (c === "[") open = true;
    else if (c === "]" && open) return true;
  }
  return false;
}

/** Removes the backslashes that quote the next character. */
function unescape(pattern: string): string {
  return pattern.replace(/\\(.)/gs, "$1");
}

/** POSIX character classes inside brackets, as regular-expression class bodies (C locale). */
const CLASSES: Record<string, string> = {
  alnum: "A-Za-z0-9",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "\\x21-\\x7e",
  lower: "a-z",
  print: "\\x20-\\x7e",
  punct: "!-\\/:-@\\[-`{-~",
  space: " \\t\\n\\v\\f\\r",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

/** One character for use inside a regular-expression class. */
function classChar(c: string): string {
  return /[\\\][^-]/.test(c) ? `\\${c}` : c;
}

/** Translates the bracket expression at `pattern[start] === "["` into a regular-expression
 * class; undefined when it is not closed (the `[` is then an ordinary character). A `]`
 * right after `[`, `[!` or `[^` is a member; a backslash quotes the next character. */
function bracketToRegex(pattern: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === "!" || pattern[i] === "^") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < pattern.length) {
    let c = pattern[i]!;
    if (c === "]" && !first) return { re: `[${negate ? "^" : ""}${body}]`, end: i + 1 };
    first = false;
    if (c === "[" && pattern[i + 1] === ":") {
      const close = pattern.indexOf(":]", i + 2);
      const cls = close >= 0 ? CLASSES[pattern.slice(i + 2, close)] : undefined;
      if (cls !== undefined) {
        body += cls;
        i = close + 2;
        continue;
      }
    }
    if (c === "\\" && i + 1 < pattern.length) c = pattern[++i]!;
    i++;
    if (pattern[i] === "-" && i + 1 < pattern.length && pattern[i + 1] !== "]") {
      let hi = pattern[i + 1]!;
      i += 2;
      if (hi === "\\" && i < pattern.length) hi = pattern[i++]!;
      // A reversed range matches nothing (a RegExp would reject it).
      if (c <= hi) body += `${classChar(c)}-${classChar(hi)}`;
    } else body += classChar(c);
  }
  return undefined;
}

const compiled = new Map<string, RegExp>();

/** fnmatch(pattern, name, FNM_PERIOD) for one path component, compiled to a RegExp. */
function componentRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re !== undefined) return re;
  let src = "";
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "*") {
      src += "[^]*";
      i++;
    } else if (c === "?") {
      src += "[^]";
      i++;
    } else if (c === "[" && bracketToRegex(pattern, i) !== undefined) {
      const b = bracketToRegex(pattern, i)!;
      src += b.re;
      i = b.end;
    } else {
      let lit = c;
      if (c === "\\" && i + 1 < pattern.length) lit = pattern[++i]!;
      src += lit.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      i++;
    }
  }
  re = new RegExp(`^${src}$`, "u");
  compiled.set(pattern, re);
  return re;
}

/** fnmatch(pattern, name, FNM_PERIOD) for one path component. */
export function matchComponent(pattern: string, name: string): boolean {
  // A leading dot is only matched by a literal dot.
  if (name.startsWith(".") && !(pattern.startsWith(".") || pattern.startsWith("\\."))) return false;
  return componentRegex(pattern).test(name);
}

/** `p` as the system would open it from `cwd` (no textual folding of `..` or trailing
 * slashes: symlinks and "file/" must behave as they do for glibc). */
function fromCwd(cwd: string, p: string): string {
  return p.startsWith("/") ? p : `${cwd}/${p}`;
}

function statIsDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Directory entries including `.` and `..` (GNU's directory cache lists them too). */
function readEntries(dir: string): string[] {
  try {
    return [".", "..", ...fs.readdirSync(dir)];
  } catch {
    return [];
  }
}

/** glob_in_dir: the names in `dir` that match the single component `pattern`. */
function globInDir(pattern: string, dir: string, onlyDirs: boolean, cwd: string): string[] {
  const abs = fromCwd(cwd, dir);
  if (!hasWildcard(pattern)) {
    const name = unescape(pattern);
    // lstat(dir/name): a dangling symlink exists; "dir/" + "" exists only for directories.
    return lexists(`${abs}/${name}`) ? [name] : [];
  }
  const out: string[] = [];
  for (const entry of readEntries(abs)) {
    if (!matchComponent(pattern, entry)) continue;
    if (onlyDirs && !statIsDir(`${abs}/${entry}`)) continue;
    out.push(entry);
  }
  return out;
}

/** Joins a directory and a name the way glibc's prefix_array does ("/" is not doubled). */
function prefix(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

function globRec(pattern: string, cwd: string, onlyDirs: boolean, mark: boolean): string[] {
  if (pattern.endsWith("/")) onlyDirs = true;
  const slash = pattern.lastIndexOf("/");
  let dirname: string;
  let filename: string;
  let dirlen: number;
  if (slash < 0) {
    dirname = ".";
    filename = pattern;
    dirlen = 0;
  } else if (slash === 0) {
    dirname = "/";
    filename = pattern.slice(1);
    dirlen = 1;
  } else {
    dirname = pattern.slice(0, slash);
    filename = pattern.slice(slash + 1);
    dirlen = slash;
    // "pattern/": expand "pattern", marking directories with a slash.
    if (filename === "" && dirlen > 1) return globRec(dirname, cwd, onlyDirs, true);
  }
  let results: string[] = [];
  if (hasWildcard(dirname)) {
    for (const dir of globRec(dirname, cwd, true, false)) {
      for (const name of globInDir(filename, dir, onlyDirs, cwd)) results.push(prefix(dir, name));
    }
  } else {
    const dir = dirlen > 0 ? unescape(dirname) : ".";
    const names = globInDir(filename, dir, onlyDirs, cwd);
    results = dirlen > 0 ? names.map((n) => prefix(dir, n)) : names;
  }
  if (mark) results = results.map((r) => (statIsDir(fromCwd(cwd, r)) ? `${r}/` : r));
  return results.sort(compareBytes);
}

/** The existing files matching one glob word, sorted; relative names are resolved against
 * `cwd` but returned as written. */
export function globWord(pattern: string, cwd: string): string[] {
  if (pattern === "") return [];
  return globRec(pattern, cwd, false, false);
}
