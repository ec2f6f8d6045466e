#!/usr/bin/env node
// Runs the scale benchmark: tmake vs GNU make (with and without -r) vs biomake (when installed),
// wall time and peak memory from /usr/bin/time -v, for a dry run (-n on a clean tree), a full
// build, and a null build (everything up to date); and tmake's null build with content hashes
// (-H, every record present and valid) against its own null build by timestamps.
//
//   node run.mjs [--tmake "node dist/cli/main.js"] [--sizes files:1000,pairs:100]
//                [--phases dry,full,null,hnull] [--runs 3] [--json out.json]
//                [--before "path/to/other/dist/cli/main.js"]
//
// hnull (tmake only): the records are written once with `tmake -H -t` (no recipe runs); after
// 2 s (so that what a run sees may be kept: the racy rule) two `tmake -H` runs keep their
// findings (.tmake/verified), then `tmake` and `tmake -H` run alternately --runs times each on
// the same tree; both are reported (median and fastest), and their ratio. That no file was
// read again is checked: the digest cache must not change during the measured runs.
//
// With --before, tmake is measured against another tmake (an earlier commit's build) instead
// of its peers: the two run alternately, run after run, and the table gives after/before.
//
// Dry runs and null builds are repeated --runs times and the fastest run is kept (the machine
// may be shared; the minimum is the least disturbed measurement); its peak memory is reported
// with it. A full build runs once per tool (it is what makes the tree for the null build).
import { spawnSync } from "node:child_process";
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
// The command as installed runs it: through its #! line, with the node flags that line gives.
const tmake = opt("--tmake", path.join(root, "dist/cli/main.js"));
const sizes = opt("--sizes", "files:1000,files:10000,files:100000,pairs:100,pairs:300").split(",");
const phases = opt("--phases", "dry,full,null").split(",");
const runs = Number(opt("--runs", "3"));
const jsonOut = opt("--json", undefined);
const before = opt("--before", undefined);
const haveBiomake = spawnSync("sh", ["-c", "command -v biomake"]).status === 0;
if (!fs.existsSync("/usr/bin/time")) {
  console.error("needs /usr/bin/time (apt-get install time)");
  process.exit(2);
}

function measureOnce(cmd, cwd) {
  const r = spawnSync("/usr/bin/time", ["-v", "sh", "-c", `${cmd} >/dev/null 2>stderr.log`], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const secs = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const status = /Exit status: (\d+)/.exec(r.stderr)?.[1];
  // CPU time (user + system): on a shared machine it moves less with the load than wall time.
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const cpu = user && sys ? Number(user[1]) + Number(sys[1]) : NaN;
  return { secs, cpu, rssMb: rss ? Number(rss[1]) / 1024 : NaN, status: Number(status) };
}

/** The median of some times. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** hnull: tmake's null build with content hashes against its null build by timestamps, run
 * alternately on the same tree (see the file comment). */
function hashedNull(dir) {
  const setup = measureOnce(`${tmake} -H -t`, dir);
  if (setup.status !== 0) return { error: `tmake -H -t exited ${setup.status}` };
  spawnSync("sleep", ["2.1"]);
  measureOnce(`${tmake} -H`, dir);
  measureOnce(`${tmake} -H`, dir);
  const cache = () => fs.readFileSync(path.join(dir, ".tmake/digests"), "utf8");
  const before = cache();
  const plain = [];
  const hashed = [];
  for (let i = 0; i < runs; i++) {
    plain.push(measureOnce(`${tmake}`, dir));
    hashed.push(measureOnce(`${tmake} -H`, dir));
  }
  if (cache() !== before) console.error("tmake -H: the digest cache changed during the null builds (a file was read again)");
  const summary = (ms) => ({
    secs: Math.min(...ms.map((m) => m.secs)),
    median: median(ms.map((m) => m.secs)),
    all: ms.map((m) => m.secs),
    rssMb: Math.min(...ms.map((m) => m.rssMb)),
    status: Math.max(...ms.map((m) => m.status)),
  });
  return { mtime: summary(plain), hashed: summary(hashed) };
}

/** The fastest of `n` runs; `before` restores the tree before each. */
function measure(cmd, cwd, n, before) {
  let best;
  for (let i = 0; i < n; i++) {
    before?.();
    const m = measureOnce(cmd, cwd);
    if (!best || m.secs < best.secs) best = m;
  }
  return best;
}

function tools() {
  if (before !== undefined)
    return [
      { name: "tmake", cmd: (extra) => `${tmake} ${extra}` },
      { name: "tmake before", cmd: (extra) => `${before} ${extra}` },
    ];
  const t = [
    { name: "tmake", cmd: (extra) => `${tmake} ${extra}` },
    { name: "make", cmd: (extra) => `make -f Makefile.gnu ${extra}` },
    { name: "make -r", cmd: (extra) => `make -r -f Makefile.gnu ${extra}` },
  ];
  if (haveBiomake) t.push({ name: "biomake", cmd: (extra) => `biomake ${extra}` });
  return t;
}

function clean(dir, kind) {
  if (kind === "files") {
    fs.rmSync(path.join(dir, "out"), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "out"));
  } else for (const f of fs.readdirSync(dir)) if (f.startsWith("align-")) fs.rmSync(path.join(dir, f));
}

/** --before: each phase of both tmakes, alternately, the fastest of `runs` kept for each. */
function compareAlternately(dir, kind) {
  const [after, earlier] = tools();
  const res = [{}, {}];
  const alternate = (phase, extra, reset) => {
    for (let i = 0; i < runs; i++)
      [after, earlier].forEach((tool, k) => {
        reset?.();
        const m = measureOnce(tool.cmd(extra), dir);
        const cpu = Math.min(m.cpu, res[k][phase]?.cpu ?? Infinity);
        if (!res[k][phase] || m.secs < res[k][phase].secs) res[k][phase] = m;
        // The least CPU time of the runs, kept apart from the fastest run's.
        res[k][phase].cpu = cpu;
      });
  };
  if (phases.includes("dry")) alternate("dry", "-n", () => clean(dir, kind));
  if (phases.includes("null")) {
    clean(dir, kind);
    measureOnce(after.cmd(""), dir);
    alternate("null", "");
  }
  return res;
}

const rows = [];
if (before !== undefined) {
  for (const size of sizes) {
    const [kind, nText] = size.split(":");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tmake-scale-${kind}-${nText}-`));
    spawnSync(process.execPath, [path.join(here, "generate.mjs"), kind, nText, dir], { stdio: "inherit" });
    const [a, b] = compareAlternately(dir, kind);
    rows.push({ size, tool: "tmake", ...a }, { size, tool: "tmake before", ...b });
    console.error(`${size} ${JSON.stringify({ after: a, before: b })}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const shown = phases.filter((p) => p !== "full");
  const fmt = (m) => (m ? `${m.secs.toFixed(2)} s (CPU ${m.cpu.toFixed(2)} s), ${m.rssMb.toFixed(0)} MB` : "-");
  console.log(`| size | ${shown.map((p) => `${p}: before | ${p}: after | ${p}: after/before (wall, CPU, memory)`).join(" | ")} |`);
  console.log(`|---|${shown.map(() => "---|---|---").join("|")}|`);
  for (const size of sizes) {
    const a = rows.find((r) => r.size === size && r.tool === "tmake");
    const b = rows.find((r) => r.size === size && r.tool === "tmake before");
    const cells = shown.map(
      (p) =>
        `${fmt(b[p])} | ${fmt(a[p])} | ${a[p] && b[p] ? `${(a[p].secs / b[p].secs).toFixed(2)}x, ${(a[p].cpu / b[p].cpu).toFixed(2)}x, ${(a[p].rssMb / b[p].rssMb).toFixed(2)}x` : "-"}`,
    );
    console.log(`| ${size} | ${cells.join(" | ")} |`);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
  process.exit(0);
}
for (const size of sizes) {
  const [kind, nText] = size.split(":");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tmake-scale-${kind}-${nText}-`));
  spawnSync(process.execPath, [path.join(here, "generate.mjs"), kind, nText, dir], { stdio: "inherit" });
  for (const tool of tools()) {
    // hnull alone measures tmake against itself.
    if (phases.every((p) => p === "hnull") && tool.name !== "tmake") continue;
    const res = {};
    if (phases.includes("dry")) res.dry = measure(tool.cmd("-n"), dir, runs, () => clean(dir, kind));
    if (phases.includes("full") || phases.includes("null")) {
      clean(dir, kind);
      const full = measureOnce(tool.cmd(""), dir);
      if (phases.includes("full")) res.full = full;
      if (phases.includes("null")) res.null = measure(tool.cmd(""), dir, runs);
    }
    if (phases.includes("hnull") && tool.name === "tmake") {
      if (!res.null) {
        clean(dir, kind);
        measureOnce(tool.cmd(""), dir);
      }
      const h = hashedNull(dir);
      res.hnull = h.hashed;
      res.hnullPlain = h.mtime;
      if (h.error) console.error(`${size} tmake -H: ${h.error}`);
    }
    rows.push({ size, tool: tool.name, ...res });
    console.error(`${size} ${tool.name} ${JSON.stringify(res)}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(rows, null, 2));

const fmt = (m) => (m ? `${m.secs.toFixed(2)} s, ${m.rssMb.toFixed(0)} MB${m.status ? ` (exit ${m.status})` : ""}` : "-");
if (phases.includes("hnull")) {
  console.log("tmake's null build with content hashes (-H, every record valid) and by timestamps, run alternately:");
  console.log("");
  console.log("| size | tmake (mtime): median, fastest | tmake -H: median, fastest | -H / mtime (median, fastest) | runs (s) |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    if (!r.hnull) continue;
    const [p, h] = [r.hnullPlain, r.hnull];
    console.log(
      `| ${r.size} | ${p.median.toFixed(2)} s, ${p.secs.toFixed(2)} s, ${p.rssMb.toFixed(0)} MB | ${h.median.toFixed(2)} s, ${h.secs.toFixed(2)} s, ${h.rssMb.toFixed(0)} MB | ${(h.median / p.median).toFixed(2)}x, ${(h.secs / p.secs).toFixed(2)}x | ${p.all.map((x) => x.toFixed(2)).join(" ")} / ${h.all.map((x) => x.toFixed(2)).join(" ")} |`,
    );
  }
  console.log("");
}
const shownPhases = phases.filter((p) => p !== "hnull");
if (shownPhases.length > 0) {
  console.log(`| size | tool | ${shownPhases.join(" | ")} |`);
  console.log(`|---|---|${shownPhases.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.size} | ${r.tool} | ${shownPhases.map((p) => fmt(r[p])).join(" | ")} |`);
  for (const peer of ["make -r", "make"]) {
    console.log("");
    console.log(`Ratios tmake / ${peer} (wall time, peak memory):`);
    console.log("");
    console.log(`| size | ${shownPhases.join(" | ")} |`);
    console.log(`|---|${shownPhases.map(() => "---").join("|")}|`);
    for (const size of sizes) {
      const t = rows.find((r) => r.size === size && r.tool === "tmake");
      const g = rows.find((r) => r.size === size && r.tool === peer);
      if (!t || !g) continue;
      const cell = (p) => (t[p] && g[p] ? `${(t[p].secs / g[p].secs).toFixed(2)}x, ${(t[p].rssMb / g[p].rssMb).toFixed(2)}x` : "-");
      console.log(`| ${size} | ${shownPhases.map(cell).join(" | ")} |`);
    }
  }
}
if (!haveBiomake) console.log("\nbiomake: not installed here (needs SWI-Prolog), so not measured.");
