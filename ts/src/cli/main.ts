#!/usr/bin/env -S node --stack-size=4000
// The `tmake` command: GNU Make's command line over tmake's stages.
//
// The larger V8 stack (4000 KB, well inside the 8 MB main-thread stack of Linux and macOS) lets
// deeply recursive $(call)s go about 5,000 levels deep instead of about 1,200, closer to GNU's.
// $(MAKE) passes the same node flags on to sub-makes.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadBackend } from "../native/index.js";
import { missingIncludeError, readMakefiles } from "../read/index.js";
import { build, remakeMakefiles } from "../remake/index.js";
import { packageVersion, runTmake } from "./run.js";

const here = fileURLToPath(import.meta.url);

/** Single-quotes a word for the shell when it needs quoting. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const status = await runTmake(
  process.argv.slice(2),
  {
    env: process.env,
    makeCommand: [process.execPath, ...process.execArgv, here].map(shellQuote).join(" "),
    version: packageVersion(path.dirname(here)),
    backendName: () => loadBackend().name,
  },
  { readMakefiles, remakeMakefiles, missingIncludeError, build },
);
process.exit(status);
