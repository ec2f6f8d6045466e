#!/usr/bin/env node
// Parse benchmark: GNU make vs tmake reading the same large generated makefile.
//
//   node benchmarks/parse/bench.mjs [RULES=100000] [RUNS=9]
//
// Runs whole processes, the variants interleaved run by run (so a busy machine slows them
// alike), and prints the median and the minimum wall time of each with its ratio to GNU's
// `make -q` (below 1 means tmake is faster):
//   gnu -q       make -q -f Makefile nonexistent-goal   (reads everything, then fails at once)
//   gnu -n -p    make -n -p -f Makefile nonexistent-goal > /dev/null   (also prints its database)
//   tmake read   node benchmarks/parse/read-only.mjs Makefile   (readMakefiles only)
//   tmake -q     node dist/cli/main.js -q -f Makefile nonexistent-goal   (read + build setup)
// The read-only script also reports the time inside readMakefiles (no Node start-up and
// module loading). Needs `npm run build:ts`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const rules = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 9);
const dir = `/tmp/tmake-parse-bench-${rules}`;
const makefile = path.join(dir, "Makefile");
if (!fs.existsSync(makefile)) spawnSync(process.execPath, [path.join(here, "generate.mjs"), String(rules), makefile], { stdio: "inherit" });
const cli = path.join(root, "dist/cli/main.js");

const variants = [
  { name: "gnu make -q", cmd: "make", args: ["-q", "-f", "Makefile", "nonexistent-goal"] },
  { name: "gnu make -n -p", cmd: "make", args: ["-n", "-p", "-f", "Makefile", "nonexistent-goal"] },
  { name: "tmake readMakefiles", cmd: process.execPath, args: [path.join(here, "read-only.mjs"), makefile], inner: true },
];
if (fs.existsSync(cli)) variants.push({ name: "tmake -q", cmd: process.execPath, args: [cli, "-q", "-f", "Makefile", "nonexistent-goal"] });

for (const v of variants) {
  v.times = [];
  v.inner = v.inner ? [] : undefined;
}
for (let i = 0; i < runs; i++) {
  for (const v of variants) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(v.cmd, v.args, { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
    v.times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.error) throw r.error;
    if (v.inner) v.inner.push(JSON.parse(r.stdout).readMs);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
const gnu = variants[0];
const size = (fs.statSync(makefile).size / 1e6).toFixed(1);
console.log(`makefile: ${rules} rules, ${size} MB; ${runs} interleaved runs; wall time of the whole process`);
console.log(`${"".padEnd(22)}${"median".padStart(8)}${"ratio".padStart(7)}${"min".padStart(8)}${"ratio".padStart(7)}`);
for (const v of variants) {
  const m = median(v.times);
  const lo = min(v.times);
  console.log(
    `${v.name.padEnd(22)}${m.toFixed(0).padStart(6)}ms${(m / median(gnu.times)).toFixed(2).padStart(7)}${lo.toFixed(0).padStart(6)}ms${(lo / min(gnu.times)).toFixed(2).padStart(7)}`,
  );
  if (v.inner) console.log(`${"  (inside readMakefiles)".padEnd(22)}${median(v.inner).toFixed(0).padStart(6)}ms${"".padStart(7)}${min(v.inner).toFixed(0).padStart(6)}ms`);
}
