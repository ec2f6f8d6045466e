// $(MAKE): one word, the path of an executable that runs this same tmake. GNU's is the program
// as it was started (argv[0]); tools and makefiles run it without a shell, test it with
// `test -x`, or take it for the make program (GNU's own test suite does). tmake runs as
// `node [flags] main.js`, so the word is:
//   - the script as it was started (process.argv[1]: the installed `tmake`, an npx symlink, or
//     dist/cli/main.js itself) when it is executable and its own `#!` line gives a sub-make at
//     least the node flags this process has (started through it, or as `node main.js` by a
//     wrapper script, which leaves tmake's own flags out);
//   - otherwise a small generated script that runs node with this process's flags and the
//     script (kept in a private directory of the user's, named by what it holds, and made
//     once);
//   - and only when no such script can be written (or on Windows), the command itself: node,
//     its flags and the script, several words.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { shellQuote } from "../base/shell-words.js";

/** The node flags of a `#!/usr/bin/env -S node FLAGS` line at the top of `script`, or
 * undefined when the script is not an executable file started that way. */
function shebangFlags(script: string): string[] | undefined {
  try {
    fs.accessSync(script, fs.constants.X_OK);
    const fd = fs.openSync(script, "r");
    const head = Buffer.alloc(200);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const line = head.toString("utf8", 0, n).split("\n", 1)[0]!;
    const m = /^#!\S*\benv(?: -S)? node((?: \S+)*)\s*$/.exec(line);
    return m === null ? undefined : m[1]!.trim().split(/\s+/).filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Whether `a` and `b` are the same file (a symlink and its target are). */
function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** A private directory of this user's for generated scripts: the cache directory, else one in
 * the temporary directory that only this user can write (checked, not trusted). */
function privateDir(env: Record<string, string | undefined>): string | undefined {
  const candidates: string[] = [];
  const cache = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, ".cache") : undefined);
  if (cache) candidates.push(path.join(cache, "tmake", "bin"));
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (uid !== undefined) candidates.push(path.join(os.tmpdir(), `tmake-${uid}`, "bin"));
  // The directory and its parent must be this user's, and closed to writes by others.
  const mine = (d: string): boolean => {
    const st = fs.lstatSync(d);
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  };
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (mine(dir) && mine(path.dirname(dir))) return dir;
    } catch {
      // Try the next place.
    }
  }
  return undefined;
}

/** 64 bits of FNV-1a over `text`, in hex: a name for a generated script (node:crypto would
 * cost every run its loading time). */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The path of a script that runs `words` with the arguments it is given; made once (its
 * name is a digest of its text), or undefined when it cannot be written. */
function generatedScript(words: string[], env: Record<string, string | undefined>): string | undefined {
  const text = `#!/bin/sh\n# Made by tmake: $(MAKE) of a tmake started with these node flags.\nexec ${words.map(shellQuote).join(" ")} "$@"\n`;
  const dir = privateDir(env);
  if (dir === undefined) return undefined;
  const file = path.join(dir, digest(text), "tmake");
  try {
    if (fs.readFileSync(file, "utf8") === text) return file;
  } catch {
    // Not made yet.
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, text, { mode: 0o700 });
    fs.renameSync(tmp, file);
    return file;
  } catch {
    return undefined;
  }
}

/** $(MAKE) for this process, started as `node [execArgv] script` where `main` is the path of
 * tmake's command module (see above). */
export function makeCommand(main: string, env: Record<string, string | undefined> = process.env): string {
  const started = process.argv[1];
  const script = started !== undefined && sameFile(started, main) ? path.resolve(started) : main;
  const command = [process.execPath, ...process.execArgv, script];
  if (process.platform === "win32") return command.map(shellQuote).join(" ");
  const flags = shebangFlags(script);
  if (flags !== undefined && process.execArgv.every((f) => flags.includes(f))) return shellQuote(script);
  const generated = generatedScript(command, env);
  return generated !== undefined ? shellQuote(generated) : command.map(shellQuote).join(" ");
}
