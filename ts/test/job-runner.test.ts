// The job-runner seam (docs/architecture.md, "Job runners"): a build hands every recipe to the
// runner in force, the scheduler takes its concurrency from the runner's slots, a failure
// without -k tells the runner that the make is dying, and the result says how the recipe
// ended. The runner here is a batch-style one: it writes the recipe's steps into one script
// and runs that with one shell, as a Slurm runner would submit it, so the test also shows that
// plan.ts gives a batch runner what it needs. Each build runs in a process of its own (the
// runner and the interrupt handlers are per process).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/diff.js";

const dist = (p: string): string => JSON.stringify(path.join(repoRoot, "dist", p));

// Builds the goals of the Makefile in the current directory with a runner that runs each
// recipe as one script, and prints one JSON line: what the runner saw and returned.
const driver = `
import { spawn } from "node:child_process";
import { readMakefiles, defaultReadOptions, build, defaultBuildOptions, RunContext } from ${dist("index.js")};
import { setJobRunner, localRunner } from ${dist("job/index.js")};
import { argvFor, echoes, ignoresErrors, runs, stepsOf } from ${dist("job/plan.js")};
import { JobSlots } from ${dist("job/slots.js")};
const [goals, jobs, keepGoing, limit] = JSON.parse(process.argv[1]);
const seen = { specs: [], results: [], dying: 0, inFlight: 0, maxInFlight: 0, slotLimits: [] };
const q = (s) => "'" + s.replace(/'/g, "'\\\\''") + "'";
const run = new RunContext();
setJobRunner(run, {
  name: "script",
  // Its own concurrency, whatever -j says: at most limit recipes in flight.
  slots: (limits) => { seen.slotLimits.push(limits.jobs); return new JobSlots({ jobs: limit }); },
  dying: () => { seen.dying++; },
  async run(spec) {
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    seen.specs.push({ target: spec.target, also: (spec.alsoMake ?? []).map((a) => a.name), keep: spec.keep });
    // One script: each step in turn, stopping at the first failure that is not ignored; the
    // script's exit status names the step (as a batch job's exit-status file would).
    const steps = stepsOf(spec);
    let script = "";
    steps.forEach((step, i) => {
      if (echoes(step, spec)) script += "printf '%s\\\\n' " + q(step.body) + "\\n";
      if (!runs(step, spec)) return;
      const run = argvFor(step.body, spec).map(q).join(" ");
      script += ignoresErrors(step, spec) ? run + "\\n" : run + " || exit " + (100 + i) + "\\n";
    });
    const started = Date.now();
    const status = await new Promise((resolve) => spawn("/bin/sh", ["-c", script], { cwd: spec.cwd, stdio: "inherit" }).on("exit", (c) => resolve(c)));
    seen.inFlight--;
    const failedStep = status >= 100 ? steps[status - 100] : undefined;
    const result = failedStep
      ? { ok: false, status: 1, failed: { command: failedStep.body, loc: failedStep.loc }, durationMs: Date.now() - started, deleted: [] }
      : { ok: true, durationMs: Date.now() - started };
    if (failedStep) process.stderr.write("script: *** [" + failedStep.loc.file + ":" + failedStep.loc.line + ": " + spec.target + "] Error 1\\n");
    seen.results.push({ target: spec.target, ok: result.ok, failed: result.failed });
    return result;
  },
});
const cwd = process.cwd();
const db = readMakefiles(defaultReadOptions({ cwd, run }));
const status = await build(db, defaultBuildOptions({ cwd, goals, jobs, keepGoing, run }));
seen.localName = localRunner.name;
process.stdout.write("\\n" + JSON.stringify({ status, ...seen }) + "\\n");
`;

interface Seen {
  status: number;
  specs: { target: string; also: string[]; keep: boolean }[];
  results: { target: string; ok: boolean; failed?: { command: string; loc: { file: string; line: number } } }[];
  dying: number;
  maxInFlight: number;
  slotLimits: number[];
  localName: string;
}

function buildWith(makefile: string, goals: string[], jobs: number, keepGoing: boolean, limit: number): { seen: Seen; stdout: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-runner-"));
  fs.writeFileSync(path.join(dir, "Makefile"), makefile);
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", driver, JSON.stringify([goals, jobs, keepGoing, limit])], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
  });
  const lines = r.stdout.trimEnd().split("\n");
  return {
    seen: JSON.parse(lines.pop()!) as Seen,
    stdout: lines.filter(Boolean).join("\n"),
    files: fs
      .readdirSync(dir)
      .filter((f) => f !== ".tmake")
      .sort(),
  };
}

describe("a runner in place of the local shell", () => {
  const makefile = ["all: a b c", "a b c:", "\t@sleep 0.2", "\techo $@ > $@", ""].join("\n");

  it("gets every recipe, echoes and runs it through the plan, and bounds the concurrency with its own slots", () => {
    const { seen, stdout, files } = buildWith(makefile, [], 4, false, 1);
    expect(seen.status).toBe(0);
    expect(seen.localName).toBe("local");
    expect(seen.specs.map((s) => s.target)).toEqual(["a", "b", "c"]);
    expect(seen.slotLimits).toEqual([4]); // the scheduler asked the runner, with -j4's limits
    expect(seen.maxInFlight).toBe(1); // and the runner's limit held
    expect(stdout.split("\n")).toEqual(["echo a > a", "echo b > b", "echo c > c"]);
    expect(files).toEqual(["Makefile", "a", "b", "c"]);
  });

  it("runs as many recipes at once as its own slots allow", () => {
    const { seen } = buildWith(makefile, [], 4, false, 3);
    expect(seen.maxInFlight).toBe(3);
  });

  it("serial builds (-j1) go through it too", () => {
    const { seen, files } = buildWith(makefile, ["b"], 1, false, 1);
    expect(seen.specs.map((s) => s.target)).toEqual(["b"]);
    expect(files).toEqual(["Makefile", "b"]);
  });

  it("a failure without -k: the runner is told the make is dying; the result names the failing line", () => {
    const failing = ["all: bad good", "bad:", "\techo one", "\tfalse", "\techo never", "good:", "\t@sleep 0.5; touch $@", ""].join("\n");
    const { seen, files } = buildWith(failing, [], 2, false, 2);
    expect(seen.status).toBe(2);
    expect(seen.dying).toBe(1);
    expect(seen.results.find((r) => r.target === "bad")).toEqual({
      target: "bad",
      ok: false,
      failed: { command: "false", loc: { file: "Makefile", line: 4 } },
    });
    expect(files).toContain("good"); // a recipe already running ends
  });

  it("-k: no dying, the rest is built", () => {
    const failing = ["all: bad good", "bad: ; false", "good: ; touch $@", ""].join("\n");
    const { seen, files } = buildWith(failing, [], 1, true, 1);
    expect(seen.status).toBe(2);
    expect(seen.dying).toBe(0);
    expect(files).toContain("good");
  });

  it("sees the rule's other targets in GNU's order, and whether the target is kept", () => {
    const { seen } = buildWith(".PRECIOUS: x\nx y z &: ; touch x y z\n", ["x"], 1, false, 1);
    expect(seen.specs).toEqual([{ target: "x", also: ["z", "y"], keep: true }]);
  });
});
