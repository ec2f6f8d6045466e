#!/usr/bin/env -S node --stack-size=4000 --max-semi-space-size=8
// The `tmake` command: GNU Make's command line over tmake's stages.
//
// The larger V8 stack (4000 KB, well inside the 8 MB main-thread stack of Linux and macOS) lets
// deeply recursive $(call)s go about 5,000 levels deep instead of about 1,200, closer to GNU's.
// A young generation of at most 8 MB (V8's default is 16) takes 10-15 MB off the peak memory of
// a null build over 100k files at no measurable cost in time (flags set at run time come too
// late to change it). $(MAKE) runs a sub-make with at least the same node flags (see
// make-command.ts).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadBackend } from "../native/index.js";
import { readMakefiles } from "../read/index.js";
import { build, remakeMakefiles } from "../remake/index.js";
import { makeCommand } from "./make-command.js";
import { packageVersion, runTmake } from "./run.js";

const here = fileURLToPath(import.meta.url);

const status = await runTmake(
  process.argv.slice(2),
  {
    env: process.env,
    makeCommand: makeCommand(here),
    version: packageVersion(path.dirname(here)),
    backendName: () => loadBackend().name,
    selfCommand: [process.execPath, ...process.execArgv, here],
  },
  { readMakefiles, remakeMakefiles, build },
);
process.exit(status);
