#!/usr/bin/env node
// Parse benchmark: GNU make vs tmake reading the same large generated makefile.
//
//   node benchmarks/parse/bench.mjs [RULES=100000] [RUNS=5]
//
// Measures the wall time of whole processes, median of RUNS:
//   gnu        make -q -f Makefile nonexistent-goal  (reads everything, then fails at once)
//   tmake-read node benchmarks/parse/read-only.mjs Makefile  (readMakefiles only)
//   tmake-cli  node dist/cli/main.js -q -f Makefile nonexistent-goal  (when the CLI exists)
// and prints each ratio tmake/gnu (below 1 means tmake is faster). Needs `npm run build:ts`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const rules = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
const dir = `/tmp/tmake-parse-bench-${rules}`;
const makefile = path.join(dir, "Makefile");
if (!fs.existsSync(makefile)) spawnSync(process.execPath, [path.join(here, "generate.mjs"), String(rules), makefile], { stdio: "inherit" });

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.error) throw r.error;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const size = (fs.statSync(makefile).size / 1e6).toFixed(1);
const gnu = median("make", ["-q", "-f", "Makefile", "nonexistent-goal"]);
const read = median(process.execPath, [path.join(here, "read-only.mjs"), makefile]);
console.log(`makefile: ${rules} rules, ${size} MB; median of ${runs} runs`);
console.log(`gnu make -q        ${gnu.toFixed(0)} ms`);
console.log(`tmake readMakefiles ${read.toFixed(0)} ms  ratio ${(read / gnu).toFixed(2)}`);
const cli = path.join(root, "dist/cli/main.js");
if (fs.existsSync(cli)) {
  const t = median(process.execPath, [cli, "-q", "-f", "Makefile", "nonexistent-goal"]);
  console.log(`tmake -q            ${t.toFixed(0)} ms  ratio ${(t / gnu).toFixed(2)}`);
}
