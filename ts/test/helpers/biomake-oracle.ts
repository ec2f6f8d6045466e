// Running the real biomake (the oracle for biomake's syntax) beside tmake on the same files,
// for differential tests that compare what each left behind. biomake prints progress lines
// of its own, so the tests compare files (recipes that log what they run leave a log file),
// never output.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot, tmakeMain } from "./diff.js";

/** Where the reference biomake is: $BIOMAKE, beside the repository (../shared, as the lead's
 * checkout has it), or the shared folder of this machine. */
const CANDIDATES = [process.env.BIOMAKE, path.resolve(repoRoot, "../shared/reference/biomake/bin/biomake"), "/work/shared/reference/biomake/bin/biomake"];

/** The biomake script, or why the differential tests against it are skipped. */
export function findBiomake(): { path: string } | { missing: string } {
  const found = CANDIDATES.find((p) => p !== undefined && fs.existsSync(p));
  if (found === undefined) return { missing: "the reference biomake is not there (set BIOMAKE to bin/biomake)" };
  if (spawnSync("swipl", ["--version"], { encoding: "utf8" }).status !== 0) return { missing: "SWI-Prolog (swipl) is not installed" };
  return { path: found };
}

export interface OracleRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Relative path -> content of every file left in the directory. */
  files: Record<string, string>;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // biomake keeps its own state in .biomake/ (md5 and queue files).
      if (e.isDirectory()) {
        if (e.name !== ".biomake" && e.name !== ".tmake") walk(p);
      } else if (e.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** Runs `command args` in a fresh directory holding `files`. */
export function runIn(command: string[], files: Record<string, string>, args: string[]): OracleRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-oracle-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const r = spawnSync(command[0]!, [...command.slice(1), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LC_ALL: "C" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, files: snapshot(dir) };
}

/** tmake through its real command line. */
export function runTmakeIn(files: Record<string, string>, args: string[]): OracleRun {
  return runIn([process.execPath, tmakeMain], files, args);
}
