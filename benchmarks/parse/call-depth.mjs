#!/usr/bin/env node
// How deep a recursive user function ($(call)) can go before the JS stack runs out, in fresh
// tmake processes, next to GNU make on the same makefile (its limit is its C stack):
//
//   node benchmarks/parse/call-depth.mjs [NODE_FLAGS...]     e.g. --stack-size=6000
//
// The makefile counts a list of N words down one word per $(call) level. Each probe is a
// fresh process, as a real run is (cold code uses bigger interpreter frames). Needs
// `npm run build:ts`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, "../../dist/cli/main.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-call-depth-"));
fs.writeFileSync(
  path.join(dir, "Makefile"),
  "L := $(shell seq 1 $(N))\nf = $(if $1,$(call f,$(wordlist 2,100000,$1)),done)\n$(info $(call f,$(L)))\nall: ;@:\n",
);

function reaches(cmd, args, n) {
  const r = spawnSync(cmd, [...args, "-s", `N=${n}`], { cwd: dir, encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() === "done";
}

function deepest(cmd, args, hi) {
  let lo = 0;
  while (lo < hi) {
    const m = Math.ceil((lo + hi) / 2);
    if (reaches(cmd, args, m)) lo = m;
    else hi = m - 1;
  }
  return lo;
}

const flags = process.argv.slice(2);
console.log(`GNU make:              ${deepest("make", [], 20000)} levels`);
console.log(`tmake${flags.length ? ` (node ${flags.join(" ")})` : ""}: ${deepest(process.execPath, [...flags, cli], 20000)} levels`);
