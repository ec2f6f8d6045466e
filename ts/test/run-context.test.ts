// A run owns its program name, MAKELEVEL, output streams, jobserver and Prolog session: two
// builds in one process, running at the same time with different names, each say only their
// own name, in every message (a recipe's failure, a signal's deletion, "No rule to make target",
// -k's "not remade"), and write only to their own streams.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/diff.js";

const dist = (p: string): string => JSON.stringify(path.join(repoRoot, "dist", p));

// Builds the same makefile in two directories at once, with runs named alpha and beta whose
// messages are captured; prints what each run said.
const driver = `
import { readMakefiles, defaultReadOptions, build, defaultBuildOptions, RunContext } from ${dist("index.js")};
const [dirA, dirB] = JSON.parse(process.argv[1]);
const runs = [["alpha", dirA], ["beta", dirB]].map(([name, cwd]) => {
  const said = { out: "", err: "" };
  const run = new RunContext(name, name === "beta" ? 2 : 0, (t) => void (said.out += t), (t) => void (said.err += t));
  return { name, cwd, run, said };
});
const statuses = await Promise.all(runs.map(async ({ cwd, run }) => {
  const db = readMakefiles(defaultReadOptions({ cwd, run }));
  return build(db, defaultBuildOptions({ cwd, goals: ["all"], keepGoing: true, jobs: 2, run }));
}));
process.stdout.write("\\n" + JSON.stringify(runs.map((r, i) => ({ name: r.name, status: statuses[i], ...r.said }))) + "\\n");
`;

const makefile = [
  "all: ok fail missing killed",
  "ok:",
  "\techo ok > $@",
  "fail:",
  "\t@sleep 0.2; exit 3",
  "missing: nothere",
  "killed:",
  "\t@touch $@; kill -9 $$$$",
  "",
].join("\n");

describe("a run's context", () => {
  it("two builds at once, named alpha and beta[2], each say their own name everywhere", () => {
    const dirs = ["a", "b"].map((n) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tmake-run-${n}-`));
      fs.writeFileSync(path.join(dir, "Makefile"), makefile);
      return dir;
    });
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", driver, JSON.stringify(dirs)], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    const runs = JSON.parse(r.stdout.trim().split("\n").pop()!) as { name: string; status: number; out: string; err: string }[];
    for (const { name, status, out, err } of runs) {
      const prefix = name === "beta" ? "beta[2]" : "alpha";
      expect(status).toBe(2);
      expect(out).toBe("echo ok > ok\n");
      const lines = err.split("\n").filter(Boolean).sort();
      expect(lines).toEqual(
        [
          `${prefix}: *** [Makefile:5: fail] Error 3`,
          `${prefix}: *** No rule to make target 'nothere', needed by 'missing'.`,
          `${prefix}: *** [Makefile:8: killed] Killed`,
          `${prefix}: *** Deleting file 'killed'`,
          `${prefix}: Target 'all' not remade because of errors.`,
        ].sort(),
      );
    }
    for (const dir of dirs)
      expect(
        fs
          .readdirSync(dir)
          .filter((f) => f !== ".tmake")
          .sort(),
      ).toEqual(["Makefile", "ok"]);
  });
});
