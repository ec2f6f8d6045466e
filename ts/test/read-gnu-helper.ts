// Compares what GNU make prints while READING a makefile ($(info), $(warning), errors) with
// what tmake's reader prints, without needing the CLI: GNU runs with a no-op goal added by
// --eval (evaluated before the makefile, so it changes neither .DEFAULT_GOAL nor
// MAKEFILE_LIST), tmake's reader runs in-process with its output captured.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatFatal, MakeError } from "../src/messages.js";
import { RunContext } from "../src/run-context.js";
import { defaultReadOptions, readMakefiles } from "../src/read/index.js";
import type { AssignOp } from "../src/read/database.js";

export interface ReadOutcome {
  stdout: string;
  stderr: string;
  status: number;
}

export interface ReadCase {
  makefile: string;
  files?: Record<string, string>;
  /** Command-line variable assignments, `NAME=value` / `NAME:=value`. */
  vars?: string[];
  env?: Record<string, string>;
  /** -e */
  envOverrides?: boolean;
  includeDirs?: string[];
  goals?: string[];
}

const NOOP = "__tmake_read_noop__";

function prepare(c: ReadCase): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-readcmp-"));
  fs.writeFileSync(path.join(dir, "Makefile"), c.makefile);
  for (const [n, t] of Object.entries(c.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), t);
  }
  return dir;
}

function baseEnv(c: ReadCase): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", ...c.env };
}

export function gnuRead(c: ReadCase): ReadOutcome {
  const dir = prepare(c);
  const args = ["--no-print-directory", "--eval", `${NOOP}: ; @:`, "-f", "Makefile"];
  if (c.envOverrides) args.push("-e");
  for (const d of c.includeDirs ?? []) args.push("-I", d);
  args.push(...(c.vars ?? []));
  args.push(...(c.goals ?? [NOOP]));
  const r = spawnSync("make", args, { cwd: dir, env: baseEnv(c), encoding: "utf8" });
  // With real goals GNU would go on to build them; only the reading part is compared, so
  // goals are only used for MAKECMDGOALS via a no-op: callers keep goals to NOOP-compatible.
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

function parseVar(s: string): { name: string; op: AssignOp; value: string } {
  const m = /^([^:+?!=]*?)(:::=|::=|:=|\+=|\?=|!=|=)(.*)$/s.exec(s)!;
  return { name: m[1]!.trim(), op: m[2] as AssignOp, value: m[3]! };
}

export function tmakeRead(c: ReadCase): ReadOutcome {
  const dir = prepare(c);
  let stdout = "";
  let stderr = "";
  try {
    readMakefiles(
      defaultReadOptions({
        cwd: dir,
        makefiles: ["Makefile"],
        env: baseEnv(c),
        environmentOverrides: c.envOverrides ?? false,
        includeDirs: c.includeDirs ?? [],
        commandLine: (c.vars ?? []).map(parseVar),
        goals: c.goals ?? [NOOP],
        evalStrings: [`${NOOP}: ; @:`],
        output: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
        run: new RunContext("make"),
      }),
    );
    return { stdout, stderr, status: 0 };
  } catch (e) {
    if (!(e instanceof MakeError)) throw e;
    return { stdout, stderr: stderr + formatFatal(e, "make") + "\n", status: e.status };
  }
}
