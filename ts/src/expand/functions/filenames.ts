// Functions for file names (GNU manual 8.3): dir, notdir, suffix, basename, addsuffix,
// addprefix, join, wildcard, realpath, abspath.
import fs from "node:fs";
import os from "node:os";
import { globWord } from "./glob.js";
import type { FunctionContext, MakeFunction } from "./types.js";
import { isSpace, splitWords } from "../../base/words.js";

/** Applies `f` to each word and joins the non-null results with single spaces. */
function mapWords(text: string, f: (word: string) => string | null): string {
  const out: string[] = [];
  for (const w of splitWords(text)) {
    const r = f(w);
    if (r !== null) out.push(r);
  }
  return out.join(" ");
}

/** $(dir NAMES): everything up to and including the last slash, or "./". */
export function dirOf(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash >= 0 ? word.slice(0, slash + 1) : "./";
}

/** $(notdir NAMES): everything after the last slash (empty for "a/", and still a word). */
export function notdirOf(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

/** Index of the last `.` or `/` in `word`, whichever comes later (-1 if neither). */
function lastDotOrSlash(word: string): number {
  return Math.max(word.lastIndexOf("."), word.lastIndexOf("/"));
}

/** $(suffix NAMES): from the last `.` of the last component; words without one vanish. */
export function suffixOf(word: string): string | null {
  const i = lastDotOrSlash(word);
  return i >= 0 && word[i] === "." ? word.slice(i) : null;
}

/** $(basename NAMES): everything before the last `.` of the last component. */
export function basenameOf(word: string): string {
  const i = lastDotOrSlash(word);
  return i >= 0 && word[i] === "." ? word.slice(0, i) : word;
}

/** GNU's abspath(): `name` made absolute against `cwd`, with `.`, `..` and repeated slashes
 * resolved textually (no symlinks, the file need not exist). */
export function absolutePath(name: string, cwd: string): string {
  let out = name.startsWith("/") ? "/" : cwd;
  const rootLen = 1;
  for (const part of (name.startsWith("/") ? name.slice(1) : name).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > rootLen) out = out.slice(0, out.lastIndexOf("/")) || "/";
      continue;
    }
    out = out.endsWith("/") ? out + part : `${out}/${part}`;
  }
  return out;
}

/** The words of a $(wildcard) argument, as GNU's parse_file_seq reads them: separated by
 * blanks, where a backslash-quoted blank belongs to the word (an odd run of N backslashes
 * before a blank quotes it and keeps N/2 of them; an even run keeps N/2 and ends the word). */
export function globWords(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text[i])) i++;
    if (i >= text.length) break;
    let w = "";
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c !== " " && c !== "\t") {
        w += c;
        continue;
      }
      let n = 0;
      while (n < w.length && w[w.length - 1 - n] === "\\") n++;
      w = w.slice(0, w.length - n) + "\\".repeat(Math.floor(n / 2));
      if (n % 2 === 0) break;
      w += c;
    }
    words.push(w);
  }
  return words;
}

/** Home directory of `user` from /etc/passwd (what getpwnam() answers on most systems). */
function homeOfUser(user: string): string | undefined {
  try {
    for (const line of fs.readFileSync("/etc/passwd", "utf8").split("\n")) {
      const f = line.split(":");
      if (f[0] === user && f.length >= 6) return f[5];
    }
  } catch {
    // No passwd file: the name stays as written.
  }
  return undefined;
}

/** GNU's tilde_expand: `~` and `~/...` use $(HOME) (then the environment's HOME, then the
 * password entry); `~user/...` uses that user's home. Unknown users stay as written. */
export function expandTilde(word: string, ctx: FunctionContext): string {
  if (!word.startsWith("~")) return word;
  if (word.length === 1 || word[1] === "/") {
    let home = ctx.expand("$(HOME)");
    if (home === "") home = process.env.HOME ?? "";
    if (home === "") home = homeOfUser(os.userInfo().username) ?? "";
    return home === "" ? word : home + word.slice(1);
  }
  const slash = word.indexOf("/");
  const user = slash < 0 ? word.slice(1) : word.slice(1, slash);
  const home = homeOfUser(user);
  if (home === undefined) return word;
  return slash < 0 ? home : `${home}/${word.slice(slash + 1)}`;
}

const dir: MakeFunction = { minArgs: 0, maxArgs: 1, expandArgs: true, fn: ([t]) => mapWords(t!, dirOf) };
const notdir: MakeFunction = { minArgs: 0, maxArgs: 1, expandArgs: true, fn: ([t]) => mapWords(t!, notdirOf) };
const suffix: MakeFunction = { minArgs: 0, maxArgs: 1, expandArgs: true, fn: ([t]) => mapWords(t!, suffixOf) };
const basename: MakeFunction = { minArgs: 0, maxArgs: 1, expandArgs: true, fn: ([t]) => mapWords(t!, basenameOf) };

const addsuffix: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([s, t]) => mapWords(t!, (w) => w + s!),
};

const addprefix: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([p, t]) => mapWords(t!, (w) => p! + w),
};

/** $(join LIST1,LIST2): pairwise concatenation; the longer list's extra words pass through. */
const join: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn: ([a, b]) => {
    const xs = splitWords(a!);
    const ys = splitWords(b!);
    const out: string[] = [];
    for (let i = 0; i < Math.max(xs.length, ys.length); i++) out.push((xs[i] ?? "") + (ys[i] ?? ""));
    return out.join(" ");
  },
};

/** $(wildcard PATTERNS): each word's matches, sorted per word; duplicates across words kept. */
const wildcard: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([t], ctx) => {
    const out: string[] = [];
    for (const w of globWords(t!)) out.push(...globWord(expandTilde(w, ctx), ctx.cwd));
    return out.join(" ");
  },
};

/** $(realpath NAMES): canonical names (symlinks resolved) of the names that exist. */
const realpath: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([t], ctx) =>
    mapWords(t!, (w) => {
      try {
        // Joined by hand: path.resolve would drop a trailing slash and fold `..` textually,
        // where realpath(3) lets the file system decide.
        const resolved = fs.realpathSync.native(w.startsWith("/") ? w : `${ctx.cwd}/${w}`);
        fs.statSync(resolved);
        return resolved;
      } catch {
        return null;
      }
    }),
};

/** $(abspath NAMES) */
const abspath: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([t], ctx) => mapWords(t!, (w) => absolutePath(w, ctx.cwd)),
};

export const filenameFunctions: ReadonlyMap<string, MakeFunction> = new Map([
  ["dir", dir],
  ["notdir", notdir],
  ["suffix", suffix],
  ["basename", basename],
  ["addsuffix", addsuffix],
  ["addprefix", addprefix],
  ["join", join],
  ["wildcard", wildcard],
  ["realpath", realpath],
  ["abspath", abspath],
]);
