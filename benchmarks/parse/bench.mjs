#!/usr/bin/env node
// Parse benchmark: GNU make vs tmake reading the same large generated makefile.
//
//   node benchmarks/parse/bench.mjs [RULES=100000] [RUNS=9] [--node-flags="FLAGS"] [--no-gnu-p]
//
// Runs whole processes, the variants interleaved run by run (so a busy machine slows them
// alike), and prints the median and the minimum wall time of each with its ratio to GNU's
// `make -q` (below 1 means tmake is faster), and the median CPU time of the process (user +
// system of all its threads: V8's collector also works on helper threads; Linux counts it in
// 10 ms ticks):
//   gnu -q       make -q -f Makefile nonexistent-goal   (reads everything, then fails at once)
//   gnu -n -p    make -n -p -f Makefile nonexistent-goal > /dev/null   (also prints its database)
//   tmake read   node benchmarks/parse/read-only.mjs Makefile BUNDLE   (readMakefiles only,
//                loaded from the reader bundled into one file, as the CLI is bundled)
//   tmake -q     node dist/cli/main.js -q -f Makefile nonexistent-goal   (read + build setup)
// The read-only script also reports the time inside readMakefiles (no Node start-up and
// module loading). --node-flags passes Node/V8 flags to both tmake processes (for example
// --node-flags="--max-semi-space-size=1"); --no-gnu-p leaves out the slow `make -n -p` row.
// Needs `npm run build:ts`.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const option = (name) => process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const rules = Number(positional[0] ?? 100_000);
const runs = Number(positional[1] ?? 9);
const nodeFlags = (option("node-flags")?.replace(/^--node-flags=?/, "") ?? "").split(" ").filter((f) => f !== "");
const dir = `/tmp/tmake-parse-bench-${rules}`;
const makefile = path.join(dir, "Makefile");
if (!fs.existsSync(makefile)) spawnSync(process.execPath, [path.join(here, "generate.mjs"), String(rules), makefile], { stdio: "inherit" });
const cli = path.join(root, "dist/cli/main.js");

// The reader in one file, bundled the way scripts/bundle-cli.mjs bundles the CLI (loading the
// library's ~30 separate modules instead costs another 15-30 ms).
const bundle = path.join(dir, "read-bundle.mjs");
await build({
  entryPoints: [path.join(root, "dist/read/index.js")],
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["swipl-wasm", "hash-wasm", "execa"],
  banner: { js: 'import { createRequire as __tmakeCreateRequire } from "node:module"; const require = __tmakeCreateRequire(import.meta.url);' },
  logLevel: "warning",
});

const variants = [{ name: "gnu make -q", cmd: "make", args: ["-q", "-f", "Makefile", "nonexistent-goal"] }];
if (!option("no-gnu-p")) variants.push({ name: "gnu make -n -p", cmd: "make", args: ["-n", "-p", "-f", "Makefile", "nonexistent-goal"] });
variants.push({ name: "tmake readMakefiles", cmd: process.execPath, args: [...nodeFlags, path.join(here, "read-only.mjs"), makefile, bundle], inner: true });
if (fs.existsSync(cli)) variants.push({ name: "tmake -q", cmd: process.execPath, args: [...nodeFlags, cli, "-q", "-f", "Makefile", "nonexistent-goal"] });

/** CPU time of the children this process has waited for, in ms (Linux: /proc/self/stat
 * cutime + cstime, in clock ticks of 10 ms). */
function childrenCpuMs() {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of the whole line (cutime, cstime) are 13 and 14 after the command name.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

for (const v of variants) {
  v.times = [];
  v.cpu = [];
  v.inner = v.inner ? [] : undefined;
}
for (let i = 0; i < runs; i++) {
  for (const v of variants) {
    const cpu0 = childrenCpuMs();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(v.cmd, v.args, { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
    v.times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    v.cpu.push(childrenCpuMs() - cpu0);
    if (r.error) throw r.error;
    if (v.inner) v.inner.push(JSON.parse(r.stdout).readMs);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
const gnu = variants[0];
const size = (fs.statSync(makefile).size / 1e6).toFixed(1);
console.log(`makefile: ${rules} rules, ${size} MB; ${runs} interleaved runs; whole process${nodeFlags.length ? `; tmake with ${nodeFlags.join(" ")}` : ""}`);
console.log(
  `${"".padEnd(24)}${"median".padStart(8)}${"ratio".padStart(7)}${"min".padStart(8)}${"ratio".padStart(7)}${"cpu".padStart(8)}${"ratio".padStart(7)}`,
);
const row = (name, ms, ratio, lo, loRatio, cpu, cpuRatio) => console.log(`${name.padEnd(24)}${ms}${ratio}${lo}${loRatio}${cpu}${cpuRatio}`);
for (const v of variants) {
  const m = median(v.times);
  const lo = min(v.times);
  const c = median(v.cpu);
  row(
    v.name,
    `${m.toFixed(0).padStart(6)}ms`,
    (m / median(gnu.times)).toFixed(2).padStart(7),
    `${lo.toFixed(0).padStart(6)}ms`,
    (lo / min(gnu.times)).toFixed(2).padStart(7),
    `${c.toFixed(0).padStart(6)}ms`,
    (c / median(gnu.cpu)).toFixed(2).padStart(7),
  );
  if (v.inner)
    row("  (inside readMakefiles)", `${median(v.inner).toFixed(0).padStart(6)}ms`, "".padStart(7), `${min(v.inner).toFixed(0).padStart(6)}ms`, "", "", "");
}
