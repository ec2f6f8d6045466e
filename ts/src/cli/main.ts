#!/usr/bin/env node
// The `tmake` command: GNU Make's command line over tmake's stages.
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
    makeCommand: `${shellQuote(process.execPath)} ${shellQuote(here)}`,
    version: packageVersion(path.dirname(here)),
    backendName: () => loadBackend().name,
  },
  { readMakefiles, remakeMakefiles, missingIncludeError, build },
);
process.exit(status);
