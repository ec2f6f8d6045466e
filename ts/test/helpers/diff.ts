// Differential testing: run GNU make and tmake on the same makefile in twin temporary
// directories and compare what a user sees (stdout, stderr, exit status, files left behind).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const tmakeMain = path.join(repoRoot, "dist/cli/main.js");

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
  /** Relative path -> content of every file in the directory after the run. */
  files: Record<string, string>;
  dir: string;
}

export interface Scenario {
  /** The Makefile's text (written as ./Makefile unless `files` names it otherwise). */
  makefile?: string;
  /** Extra files to create before the run: path -> content. */
  files?: Record<string, string>;
  /** Shell commands run in the directory before the build (e.g. `touch -d ...`). */
  setup?: string[];
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // tmake's state folder (.tmake/: the journal) is no file the makefile made.
      if (e.isDirectory()) {
        if (e.name !== ".tmake") walk(p);
      } else if (e.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

function prepare(s: Scenario): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-diff-"));
  if (s.makefile !== undefined) fs.writeFileSync(path.join(dir, "Makefile"), s.makefile);
  for (const [name, text] of Object.entries(s.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  for (const cmd of s.setup ?? []) spawnSync("/bin/sh", ["-c", cmd], { cwd: dir });
  return dir;
}

function run(command: string[], s: Scenario): RunResult {
  const dir = prepare(s);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LC_ALL: "C", ...s.env };
  const r = spawnSync(command[0]!, [...command.slice(1), ...(s.args ?? [])], {
    cwd: dir,
    env,
    input: s.stdin ?? "",
    encoding: "utf8",
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: snapshot(dir), dir };
}

export function runGnu(s: Scenario): RunResult {
  return run(["make"], s);
}

export function runTmake(s: Scenario): RunResult {
  return run([process.execPath, tmakeMain], s);
}

/** GNU prints "make: ..." / "make[1]: ..."; tmake prints its own name. Normalise both to "make". */
export function normalise(text: string): string {
  return text.replace(/^tmake(\[\d+\])?:/gm, "make$1:").replace(/(^|\s)tmake(\[\d+\])?: /g, "$1make$2: ");
}

/** Runs both and returns them with program names normalised, ready for expect(...).toEqual. */
export function runBoth(s: Scenario): { gnu: RunResult; tmake: RunResult } {
  const gnu = runGnu(s);
  const tm = runTmake(s);
  for (const r of [gnu, tm]) {
    r.stdout = normalise(r.stdout);
    r.stderr = normalise(r.stderr);
  }
  return { gnu, tmake: tm };
}

/** The user-visible outcome of a run, for one toEqual between GNU make and tmake. */
export function outcome(r: RunResult): Pick<RunResult, "stdout" | "stderr" | "status" | "files"> {
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: r.files };
}
