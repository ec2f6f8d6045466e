#!/usr/bin/env -S node --stack-size=4000 --max-semi-space-size=8
// The `tmake` command: GNU Make's command line over tmake's stages.
//
// The larger V8 stack (4000 KB, well inside the 8 MB main-thread stack of Linux and macOS) lets
// deeply recursive $(call)s go about 5,000 levels deep instead of about 1,200, closer to GNU's.
// A young generation of at most 8 MB (V8's default is 16) takes 10-15 MB off the peak memory of
// a null build over 100k files at no measurable cost in time (flags set at run time come too
// late to change it). $(MAKE) passes the same node flags on to sub-makes.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadBackend } from "../native/index.js";
import { readMakefiles } from "../read/index.js";
import { build, remakeMakefiles } from "../remake/index.js";
import { packageVersion, runTmake } from "./run.js";

const here = fileURLToPath(import.meta.url);

/** Single-quotes a word for the shell when it needs quoting. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** $(MAKE): GNU's is the program it was started as. When this script was started the way its
 * own `#!` line starts it (as the installed `tmake` command is), $(MAKE) is the script itself,
 * one executable path as tools that run $(MAKE) without a shell expect; otherwise it is node
 * with this process's flags and the script, so a sub-make gets those flags too. */
function makeCommand(): string {
  const script = process.argv[1];
  if (process.platform !== "win32" && script !== undefined && startedByItsShebang(script)) return shellQuote(path.resolve(script));
  return [process.execPath, ...process.execArgv, here].map(shellQuote).join(" ");
}

function startedByItsShebang(script: string): boolean {
  try {
    fs.accessSync(script, fs.constants.X_OK);
    const fd = fs.openSync(script, "r");
    const head = Buffer.alloc(200);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const line = head.toString("utf8", 0, n).split("\n", 1)[0]!;
    const m = /^#!\S*\benv(?: -S)? node((?: \S+)*)\s*$/.exec(line);
    return m !== null && m[1]!.trim() === process.execArgv.join(" ");
  } catch {
    return false;
  }
}

const status = await runTmake(
  process.argv.slice(2),
  {
    env: process.env,
    makeCommand: makeCommand(),
    version: packageVersion(path.dirname(here)),
    backendName: () => loadBackend().name,
  },
  { readMakefiles, remakeMakefiles, build },
);
process.exit(status);
