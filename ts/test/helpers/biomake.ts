// The real biomake, as the oracle for biomake syntax: a scenario runs under biomake and under
// tmake in twin directories, and the tests compare what both leave behind (files, and a log
// the recipes append to, which says which commands ran in what order). biomake's progress
// lines are not compared. Biomake needs SWI-Prolog (Debian's swi-prolog-nox, which .ci/run
// installs); without it, or without the checkout at ../shared/reference/biomake, the tests
// that need it are skipped and say why.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot, runTmake, type RunResult, type Scenario } from "./diff.js";

/** Where the reference biomake is looked for: $TMAKE_BIOMAKE, else beside the repository. */
export const biomakeBin = process.env.TMAKE_BIOMAKE ?? path.resolve(repoRoot, "../shared/reference/biomake/bin/biomake");

/** Why the real biomake cannot run here, or undefined when it can. */
export function biomakeMissing(): string | undefined {
  if (!fs.existsSync(biomakeBin)) return `no biomake at ${biomakeBin} (set TMAKE_BIOMAKE)`;
  if (spawnSync("swipl", ["--version"], { encoding: "utf8" }).status !== 0) return "swipl is not installed (apt-get install swi-prolog-nox)";
  return undefined;
}

/** Runs the scenario under the real biomake. */
export function runBiomake(s: Scenario): RunResult {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "tmake-biomake-"));
  if (s.makefile !== undefined) fs.writeFileSync(path.join(dir, "Makefile"), s.makefile);
  for (const [name, text] of Object.entries(s.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  for (const cmd of s.setup ?? []) spawnSync("/bin/sh", ["-c", cmd], { cwd: dir });
  const r = spawnSync(biomakeBin, s.args ?? [], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LC_ALL: "C" },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: snapshotFiles(dir), dir };
}

function snapshotFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // biomake's own state (.biomake/) is not a file the makefile made.
      if (e.isDirectory()) {
        if (e.name !== ".biomake" && e.name !== ".tmake") walk(p);
      } else if (e.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** Runs the scenario under both; tmake's files are compared with biomake's state folder left
 * out as well. */
export function runBiomakeAndTmake(s: Scenario): { biomake: RunResult; tmake: RunResult } {
  const tm = runTmake(s);
  tm.files = snapshotFiles(tm.dir);
  return { biomake: runBiomake(s), tmake: tm };
}
