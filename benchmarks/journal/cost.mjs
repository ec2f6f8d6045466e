#!/usr/bin/env node
// What the build journal costs: the same builds with the journal on (the default) and with
// --no-journal, run alternately on the same trees, the fastest of --runs kept for each (the
// machine is shared; the minimum is the least disturbed run), wall time and peak memory from
// /usr/bin/time -v.
//
//   - null build and dry run (-n) on benchmarks/scale's `files N` tree (N = 100,000);
//   - full build of `files M` (M = 10,000 one-line recipes, `cp $< $@`), serially and with -j2
//     (--full-jobs).
//
//   node benchmarks/journal/cost.mjs [--tmake dist/cli/main.js] [--files 100000] [--full 10000]
//                                    [--runs 5] [--full-runs 2] [--full-jobs 1,2]
//                                    [--phases null,dry,full]
import { spawnSync } from "node:child_process";
import { timeV } from "../lib/time-v.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const tmake = opt("--tmake", path.join(root, "dist/cli/main.js"));
const files = Number(opt("--files", "100000"));
const full = Number(opt("--full", "10000"));
const runs = Number(opt("--runs", "5"));
const fullRuns = Number(opt("--full-runs", "2"));
const phases = opt("--phases", "null,dry,full").split(",");
const fullJobs = opt("--full-jobs", "1,2").split(",").map(Number);

/** One run of `cmd` (timeV); a failing build stops the benchmark. */
function measureOnce(cmd, cwd) {
  const m = timeV(cmd, cwd);
  if (m.status !== 0) throw new Error(`${cmd} in ${cwd}: exit ${m.status}: ${fs.readFileSync(path.join(cwd, "stderr.log"), "utf8")}`);
  return m;
}

function tree(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tmake-journal-cost-${n}-`));
  spawnSync(process.execPath, [path.join(root, "benchmarks/scale/generate.mjs"), "files", String(n), dir], { stdio: "inherit" });
  return dir;
}

function cleanOut(dir) {
  fs.rmSync(path.join(dir, "out"), { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "out"));
}

/** Every output made, newer than its source, without running the recipes. */
function fillOut(dir) {
  cleanOut(dir);
  for (const f of fs.readdirSync(path.join(dir, "src"))) fs.copyFileSync(path.join(dir, "src", f), path.join(dir, "out", f.replace(/\.fa$/, ".aln")));
}

/** Alternately with and without the journal, `n` times; `reset` before each run. */
function alternate(dir, extra, n, reset) {
  const best = { on: undefined, off: undefined };
  for (let i = 0; i < n; i++)
    for (const [k, flag] of [
      ["on", ""],
      ["off", "--no-journal"],
    ]) {
      reset?.();
      const m = measureOnce(`${tmake} ${extra} ${flag}`, dir);
      const cpu = Math.min(m.cpu, best[k]?.cpu ?? Infinity);
      if (!best[k] || m.secs < best[k].secs) best[k] = m;
      best[k].cpu = cpu;
    }
  return best;
}

const rows = [];
if (phases.includes("null") || phases.includes("dry")) {
  const dir = tree(files);
  if (phases.includes("null")) {
    fillOut(dir);
    // A journal that has seen runs before (their logs folded into its summary).
    for (let i = 0; i < 3; i++) measureOnce(tmake, dir);
    rows.push({ what: `null build, files:${files}`, ...alternate(dir, "", runs) });
  }
  if (phases.includes("dry")) rows.push({ what: `dry run (-n), files:${files}`, ...alternate(dir, "-n", runs, () => cleanOut(dir)) });
  fs.rmSync(dir, { recursive: true, force: true });
}
if (phases.includes("full")) {
  const dir = tree(full);
  for (const j of fullJobs)
    rows.push({
      what: `full build${j > 1 ? ` -j${j}` : ""}, files:${full} (${full} one-line recipes)`,
      ...alternate(dir, j > 1 ? `-j${j}` : "", fullRuns, () => cleanOut(dir)),
    });
  const journal = path.join(dir, ".tmake/journal");
  const size = (d) =>
    fs.existsSync(d)
      ? fs
          .readdirSync(d, { withFileTypes: true })
          .reduce((n, e) => n + (e.isDirectory() ? size(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0)
      : 0;
  console.error(`journal after the full builds: ${(size(journal) / 1e6).toFixed(1)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Wall time is the fastest run's; CPU time (user + system, the build's processes together) the
// least of any run, which the other work on a shared machine disturbs less.
const fmt = (m) => `${m.secs.toFixed(2)} s (CPU ${m.cpu.toFixed(2)} s), ${m.rssMb.toFixed(0)} MB`;
console.log("| build | --no-journal | journal on | on / off: wall, CPU, memory |");
console.log("|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.what} | ${fmt(r.off)} | ${fmt(r.on)} | ${(r.on.secs / r.off.secs).toFixed(3)}x, ${(r.on.cpu / r.off.cpu).toFixed(3)}x, ${(r.on.rssMb / r.off.rssMb).toFixed(2)}x |`,
  );
