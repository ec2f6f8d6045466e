// End to end on a real Slurm and a real Grid Engine (issue 14): the one-node clusters that
// scripts/cluster/start-slurm.sh and start-sge.sh start (.ci/run starts both before npm test).
// Where a scheduler is not running, its tests are skipped and say so.
//
// Each checks, through the real CLI and the real scheduler: a graph of 22 jobs over 4 levels
// (every output, and no job started before its prerequisites' jobs ended, from the times the
// jobs write), -k with a failing job (independent branches built, dependents cancelled, nothing
// left in the queue), Ctrl-C (every job cancelled, half-written targets deleted, the queue
// empty), kill -9 and a second run that reattaches instead of resubmitting, -H with the
// hashes checked on the worker, and --array-jobs.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tmakeMain } from "./helpers/diff.js";

interface Scheduler {
  engine: "slurm" | "sge";
  /** Why its tests are skipped, or undefined when it runs. */
  missing: string | undefined;
  /** The run's jobs the queue still holds, pending or running (job names start tmake-). */
  queued(): string[];
}

const sh = (cmd: string): { status: number | null; stdout: string } => {
  const r = spawnSync("/bin/sh", ["-c", cmd], { encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout ?? "" };
};

const slurm: Scheduler = {
  engine: "slurm",
  missing: (() => {
    if (sh("command -v sbatch && command -v squeue").status !== 0) return "Slurm is not installed (scripts/cluster/start-slurm.sh needs slurm-wlm)";
    const state = sh("sinfo -h -o %t 2>/dev/null").stdout.trim();
    return /^(idle|mix|alloc)/.test(state) ? undefined : `Slurm is not running (sinfo: '${state}'; start it with scripts/cluster/start-slurm.sh)`;
  })(),
  queued: () =>
    sh("squeue -h -t pending,running,completing -o '%j %i %T'")
      .stdout.split("\n")
      .filter((l) => l.startsWith("tmake-")),
};

const sge: Scheduler = {
  engine: "sge",
  missing: (() => {
    if (sh("command -v qsub && command -v qstat && command -v qconf").status !== 0)
      return "Grid Engine is not installed (scripts/cluster/start-sge.sh needs gridengine-*)";
    return sh("qstat -f -q all.q 2>/dev/null | grep -q '^all.q@'").status === 0
      ? undefined
      : "Grid Engine is not running (start it with scripts/cluster/start-sge.sh)";
  })(),
  queued: () =>
    sh("qstat -u '*'")
      .stdout.split("\n")
      .filter((l) => / tmake-/.test(l)),
};

/** A work directory holding `makefile`. */
function workDir(makefile: string): string {
  // A real cluster's workers see the submission's directory on a shared file system; the one
  // node here sees the machine's own.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-cluster-"));
  fs.writeFileSync(path.join(dir, "Makefile"), makefile);
  return dir;
}

function tmake(engine: string, dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [tmakeMain, "-Q", engine, ...args], { cwd: dir, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Waits until `test` holds (polling), at most `ms`. */
async function until(test: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return test();
}

/** The queue holds none of tmake's jobs any more. A job that has written its exit status (and
 * so has ended for tmake) may still show for a moment while the scheduler reaps it (SGE). */
async function emptied(s: Scheduler): Promise<void> {
  await until(() => s.queued().length === 0, 30_000);
  expect(s.queued()).toEqual([]);
}

/** 12 leaves, 6 pairs of them, 3 pairs of pairs, and all: 22 jobs over 4 levels. */
const deps: Record<string, string[]> = { all: ["t1", "t2", "t3"] };
for (let i = 1; i <= 3; i++) deps[`t${i}`] = [`m${2 * i - 1}`, `m${2 * i}`];
for (let i = 1; i <= 6; i++) deps[`m${i}`] = [`l${2 * i - 1}`, `l${2 * i}`];

/** Each job writes when it started and ended into NAME.time. */
const stamped = (body: string): string => `\techo "start $$(date +%s.%N)" > $@.time; ${body}; echo "end $$(date +%s.%N)" >> $@.time\n`;
const graph =
  Object.entries(deps)
    .map(([t, ds]) => `${t}: ${ds.join(" ")}\n${stamped("cat $^ > $@")}`)
    .join("") + Array.from({ length: 12 }, (_, i) => `l${i + 1}:\n${stamped("echo $@ > $@")}`).join("");

function times(dir: string, target: string): { start: number; end: number } {
  const text = fs.readFileSync(path.join(dir, `${target}.time`), "utf8");
  return { start: Number(/^start (\S+)/m.exec(text)![1]), end: Number(/^end (\S+)/m.exec(text)![1]) };
}

describe.each([slurm, sge])("on a real $engine", (s) => {
  if (s.missing !== undefined) {
    console.log(`cluster tests on ${s.engine} skipped: ${s.missing}`);
    it.skip(`(skipped: ${s.missing})`, () => {});
    return;
  }

  it("builds a graph of 22 jobs over 4 levels, each job after its prerequisites' jobs", { timeout: 300_000 }, async () => {
    const dir = workDir(graph);
    const r = tmake(s.engine, dir, []);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^tmake: \w+ job \S+ submitted for '\w+'$/gm)).toHaveLength(22);
    const leaves = (t: string): string[] => (deps[t] === undefined ? [t] : deps[t].flatMap(leaves));
    expect(fs.readFileSync(path.join(dir, "all"), "utf8")).toBe(
      leaves("all")
        .map((l) => `${l}\n`)
        .join(""),
    );
    for (const [t, ds] of Object.entries(deps)) {
      const started = times(dir, t).start;
      for (const d of ds) expect(started, `${t} started before ${d} ended`).toBeGreaterThanOrEqual(times(dir, d).end);
    }
    await emptied(s);
  });

  it("under -k builds the independent branches, cancels the failing job's dependents and leaves nothing queued", { timeout: 300_000 }, async () => {
    const makefile =
      "all: top other\ntop: mid\n\tcat mid > top\nmid: bad\n\tcat bad > mid\nbad:\n\tsleep 1; echo half > bad; exit 3\nother: o1 o2\n\tcat o1 o2 > other\no1 o2:\n\techo $@ > $@\n";
    const dir = workDir(makefile);
    const r = tmake(s.engine, dir, ["-k"]);
    expect(r.status).toBe(2);
    expect(fs.readFileSync(path.join(dir, "other"), "utf8")).toBe("o1\no2\n");
    for (const f of ["mid", "top", "all"]) expect(fs.existsSync(path.join(dir, f)), f).toBe(false);
    expect(r.stderr).toContain("tmake: *** [Makefile:7: bad] Error 3\n");
    expect(r.stderr).toContain("tmake: Target 'all' not remade because of errors.\n");
    await emptied(s);
  });

  it("Ctrl-C cancels every job of the run, deletes half-written targets and leaves the queue empty", { timeout: 300_000 }, async () => {
    const makefile = "all: a b c\na b c:\n\techo partial > $@; sleep 60; echo done >> $@\n";
    const dir = workDir(makefile);
    const child = spawn(process.execPath, [tmakeMain, "-Q", s.engine], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    // Wait until a job has started writing its target.
    expect(await until(() => ["a", "b", "c"].some((f) => fs.existsSync(path.join(dir, f))), 60_000)).toBe(true);
    child.kill("SIGINT");
    expect(await exited).toBe("SIGINT");
    expect(stdout.match(/submitted for/g)).toHaveLength(3);
    expect(stderr).toMatch(/^tmake: \*\*\* Cancelling 3 \w+ jobs$/m);
    for (const f of ["a", "b", "c"]) expect(fs.existsSync(path.join(dir, f)), f).toBe(false);
    expect(stderr).toMatch(/^tmake: \*\*\* Deleting file '[abc]'$/m);
    await emptied(s);
  });

  it("after kill -9, a second run waits for the jobs still queued instead of submitting them again", { timeout: 300_000 }, async () => {
    const makefile = "all: b\n\tcat b > all\nb: a\n\tsleep 2; cat a a > b\na:\n\tsleep 2; echo a > a\n";
    const dir = workDir(makefile);
    const child = spawn(process.execPath, [tmakeMain, "-Q", s.engine], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    expect(await until(() => (stdout.match(/submitted for/g) ?? []).length === 3, 60_000)).toBe(true);
    child.kill("SIGKILL");
    await exited;
    const again = tmake(s.engine, dir, []);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain("submitted for");
    expect(again.stdout).toMatch(/is still in the queue for 'all': waiting for it/);
    expect(fs.readFileSync(path.join(dir, "all"), "utf8")).toBe("a\na\n");
    await emptied(s);
  });

  it("-H: a job whose prerequisites are still queued checks the content hashes on the worker", { timeout: 300_000 }, async () => {
    const dir = workDir("top: leaf\n\techo ran >> top.count; cat leaf > top\nleaf: src\n\tcut -c1 src > leaf\n");
    fs.writeFileSync(path.join(dir, "src"), "abc\n");
    expect(tmake(s.engine, dir, ["-H"]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "top.count"), "utf8")).toBe("ran\n");
    // src changes, leaf is remade with the same content: top's job runs tmake -N top on the
    // worker, which finds its prerequisites' hashes unchanged and runs nothing.
    fs.writeFileSync(path.join(dir, "src"), "axyz\n");
    const r = tmake(s.engine, dir, ["-H"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/submitted for 'top'/);
    expect(r.stdout).toMatch(/^tmake\[1\]: 'top' is up to date\.$/m);
    expect(fs.readFileSync(path.join(dir, "top.count"), "utf8")).toBe("ran\n");
    // Another change that leaf passes on: the worker remakes top.
    fs.writeFileSync(path.join(dir, "src"), "bxyz\n");
    expect(tmake(s.engine, dir, ["-H"]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "top.count"), "utf8")).toBe("ran\nran\n");
    expect(fs.readFileSync(path.join(dir, "top"), "utf8")).toBe("b\n");
    await emptied(s);
  });

  it("--array-jobs submits a rule's independent recipes as one array job", { timeout: 300_000 }, async () => {
    const makefile = "all: $(foreach i,1 2 3 4 5 6,x$(i))\n\tcat $^ > $@\nx%:\n\techo $@ > $@\n";
    const dir = workDir(makefile);
    const r = tmake(s.engine, dir, ["--array-jobs"]);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "all"), "utf8")).toBe("x1\nx2\nx3\nx4\nx5\nx6\n");
    const ids = [...r.stdout.matchAll(/^tmake: \w+ job (\S+) submitted for 'x\d'$/gm)].map((m) => m[1]!);
    expect(ids).toHaveLength(6);
    // Tasks of one array: 123_0 ... (Slurm), 45.1 ... (SGE).
    expect(new Set(ids.map((id) => id.replace(/[_.]\d+$/, "")))).toHaveProperty("size", 1);
    await emptied(s);
  });
});
