#!/usr/bin/env node
// The cluster benchmark (issue 14): on the real Slurm of scripts/cluster/start-slurm.sh, the
// time from start to all done for JOBS one-second jobs in LEVELS levels, tmake -Q slurm against
// a plain shell loop of `sbatch --dependency=afterok:` calls for the same graph (the scheduler
// is the floor: the loop does nothing but submit), as a ratio; and the submission rate of each,
// in jobs per second.
//
//   node benchmarks/cluster/run.mjs [--jobs 500] [--levels 5] [--seconds 1]
//                                   [--tmake "node dist/cli/main.js"] [--json out.json]
//
// The graph: level 1 has JOBS/LEVELS jobs with no prerequisite; job i of each later level
// waits for jobs i and i+1 (mod the width) of the level before. Every job sleeps SECONDS and
// writes its target. "All done" is, for tmake, when it exits (it has seen every job's end);
// for the loop, the end time Slurm gives its last job (squeue %e, whole seconds, rounded up),
// which is never later than anyone could know it: the ratio favours the loop.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const jobs = Number(opt("--jobs", "500"));
const levels = Number(opt("--levels", "5"));
const seconds = Number(opt("--seconds", "1"));
const tmake = opt("--tmake", `node ${path.join(here, "../../dist/cli/main.js")}`);
const width = Math.floor(jobs / levels);

if (spawnSync("sh", ["-c", "sinfo -h -o %t | grep -q -E '^(idle|mix|alloc)'"]).status !== 0) {
  console.error("cluster benchmark: Slurm is not running (scripts/cluster/start-slurm.sh)");
  process.exit(2);
}

const name = (level, i) => `j${level}_${i}`;
const prereqs = (level, i) => (level === 1 ? [] : [name(level - 1, i), name(level - 1, (i + 1) % width)]);
const recipe = `sleep ${seconds}; echo $@ > $@`;

const tree = (kind) => fs.mkdtempSync(path.join(os.tmpdir(), `tmake-bench-${kind}-`));

/** Slurm's end times (seconds since the epoch) of the jobs named `jobName`. */
function endTimes(jobName) {
  const out = execFileSync("squeue", ["-h", "-t", "all", "-n", jobName, "-o", "%e"], { encoding: "utf8" });
  return out
    .split("\n")
    .filter(Boolean)
    .map((t) => Date.parse(t) / 1000); // local time, as squeue prints it
}

function waitEmpty(jobName) {
  for (;;) {
    const left = execFileSync("squeue", ["-h", "-t", "pending,running,completing", "-n", jobName, "-o", "%i"], { encoding: "utf8" }).trim();
    if (left === "") return;
    spawnSync("sleep", ["0.5"]);
  }
}

// ---- tmake ----
const tdir = tree("tmake");
const targets = [];
let mk = "";
for (let level = 1; level <= levels; level++)
  for (let i = 0; i < width; i++) {
    targets.push(name(level, i));
    mk += `${name(level, i)}: ${prereqs(level, i).join(" ")}\n\t${recipe}\n`;
  }
fs.writeFileSync(path.join(tdir, "Makefile"), `all: ${targets.filter((t) => t.startsWith(`j${levels}_`)).join(" ")}\n${mk}`);
const t0 = Date.now();
const run = spawnSync("sh", ["-c", `${tmake} -Q slurm --queue-max-jobs ${jobs + 10} > out.log 2> err.log`], { cwd: tdir });
const tmakeSeconds = (Date.now() - t0) / 1000;
if (run.status !== 0) {
  console.error(`tmake failed (${run.status}): ${fs.readFileSync(path.join(tdir, "err.log"), "utf8").slice(0, 2000)}`);
  process.exit(1);
}
const log = fs.readFileSync(path.join(tdir, "out.log"), "utf8");
const submittedLines = log.split("\n").filter((l) => / submitted for /.test(l)).length;
// The submission phase ends with the last job's script, written just before its sbatch.
const runDir = fs.readdirSync(path.join(tdir, ".tmake/queue")).find((d) => d !== "jobs.tsv");
const scriptTimes = fs
  .readdirSync(path.join(tdir, ".tmake/queue", runDir))
  .filter((f) => f.endsWith(".sh"))
  .map((f) => fs.statSync(path.join(tdir, ".tmake/queue", runDir, f)).mtimeMs);
const tmakeSubmitSeconds = (Math.max(...scriptTimes) - t0) / 1000;

// ---- the shell loop ----
const ldir = tree("loop");
const jobName = `loop-${process.pid}`;
let script = "#!/bin/sh\nset -e\n";
for (let level = 1; level <= levels; level++)
  for (let i = 0; i < width; i++) {
    const t = name(level, i);
    const deps = prereqs(level, i).map((p) => `$${p}`);
    fs.writeFileSync(path.join(ldir, `${t}.sh`), `#!/bin/sh\nsleep ${seconds}; echo ${t} > ${t}\n`);
    script += `${t}=$(sbatch --parsable -J ${jobName} -o /dev/null${deps.length ? ` --dependency=afterok:${deps.join(":")}` : ""} ${t}.sh)\n`;
  }
fs.writeFileSync(path.join(ldir, "submit.sh"), script, { mode: 0o755 });
const l0 = Date.now();
const loop = spawnSync("sh", ["submit.sh"], { cwd: ldir });
const loopSubmitSeconds = (Date.now() - l0) / 1000;
if (loop.status !== 0) {
  console.error(`the sbatch loop failed: ${loop.stderr}`);
  process.exit(1);
}
waitEmpty(jobName);
const loopEnd = Math.max(...endTimes(jobName)) + 1;
const loopSeconds = loopEnd - l0 / 1000;

const result = {
  jobs: width * levels,
  levels,
  seconds,
  cpus: os.cpus().length,
  tmake: { totalSeconds: tmakeSeconds, submitSeconds: tmakeSubmitSeconds, submitRate: submittedLines / tmakeSubmitSeconds },
  loop: { totalSeconds: loopSeconds, submitSeconds: loopSubmitSeconds, submitRate: (width * levels) / loopSubmitSeconds },
};
result.ratio = tmakeSeconds / loopSeconds;
console.log(`${result.jobs} jobs of ${seconds} s in ${levels} levels on a one-node Slurm with ${result.cpus} CPUs`);
console.log(
  `  tmake -Q slurm   all done in ${tmakeSeconds.toFixed(1)} s; submitted in ${tmakeSubmitSeconds.toFixed(1)} s (${result.tmake.submitRate.toFixed(1)} jobs/s)`,
);
console.log(
  `  sbatch loop      all done in ${loopSeconds.toFixed(1)} s; submitted in ${loopSubmitSeconds.toFixed(1)} s (${result.loop.submitRate.toFixed(1)} jobs/s)`,
);
console.log(`  ratio (tmake / loop): ${result.ratio.toFixed(3)}`);
const json = opt("--json");
if (json) fs.writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
