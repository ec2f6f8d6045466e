// biomake's queue engines through the real CLI (ts/src/job/queue): -Q test (each recipe as a
// job script, here), -Q poolq (-j), and -Q pbs against the scripted PBS stand-in of
// scripts/cluster/pbs-standin (PBS's formats, jobs run here in the background): full-width
// submission with PBS's dependencies, job ids printed, per-rule QsubArgs/QsubHeader, -k with a
// failing job, submission errors. The real Slurm and Grid Engine are tested in
// cluster-*.test.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runTmake, tmakeMain } from "./helpers/diff.js";

/** The queue's files in the state folder of a run's directory (.tmake/queue/...): path to text. */
function queueFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(path.join(dir, ".tmake", "queue"));
  return out;
}

/** The files of a run, without the state folder. */
function withoutState(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([k]) => !k.startsWith(".tmake/")));
}

describe("-Q test: each recipe as a job script, run here one by one", () => {
  const makefile = "all: a b\n\t@echo all from $^\na b:\n\techo $@ > $@\n";

  it("builds what the plain local build builds, with the same output", () => {
    const plain = runTmake({ makefile, args: ["all"] });
    const queued = runTmake({ makefile, args: ["-Q", "test", "all"] });
    expect(queued.status).toBe(0);
    expect(queued.stdout).toBe(plain.stdout);
    expect(queued.stderr).toBe(plain.stderr);
    expect(withoutState(queued.files)).toEqual(plain.files);
  });

  it("leaves each job's script in .tmake/queue/<run id>/", () => {
    const r = runTmake({ makefile, args: ["-Q", "test", "all"] });
    const scripts = Object.keys(queueFiles(r.dir)).filter((f) => /^\.tmake\/queue\/[^/]+\/\d+\.sh$/.test(f));
    expect(scripts).toHaveLength(3);
    const a = Object.entries(queueFiles(r.dir)).find(([k, v]) => k.endsWith(".sh") && v.includes("the recipe of a "))![1];
    expect(a).toMatch(/^#!\/bin\/sh\n/);
    expect(a).toContain("printf '%s\\n' 'echo a > a'\n");
  });

  it("reports a failing line GNU's way, and an ignored one", () => {
    const r = runTmake({ makefile: "t:\n\t-false\n\t@echo between\n\texit 3\n\techo never\n", args: ["-Q", "test"] });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("false\nbetween\nexit 3\n");
    expect(r.stderr).toBe("tmake: [Makefile:2: t] Error 1 (ignored)\ntmake: *** [Makefile:4: t] Error 3\n");
  });

  it("refuses an unknown engine with exit 2", () => {
    const r = runTmake({ makefile, args: ["-Q", "lsf", "all"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("tmake: *** unknown queue engine 'lsf' (known: poolq, test, sge, pbs, slurm).  Stop.\n");
    expect(r.files).toEqual({ Makefile: makefile });
  });
});

describe("-Q poolq: the local pool", () => {
  const makefile = "all:\n\t@echo '$(filter -j%,$(MAKEFLAGS))'\n";
  it("runs biomake's 4 jobs at once without -j, and -j N with it", () => {
    expect(runTmake({ makefile, args: ["-Q", "poolq"] }).stdout).toBe("-j4\n");
    expect(runTmake({ makefile, args: ["-Q", "poolq", "-j", "2"] }).stdout).toBe("-j2\n");
    expect(runTmake({ makefile, args: ["-j", "3", "-Q", "poolq"] }).stdout).toBe("-j3\n");
  });
});

const standin = path.join(repoRoot, "scripts/cluster/pbs-standin");

/** A directory with qsub/qstat/qdel wrappers around the PBS stand-in that log their
 * arguments, and the stand-in's state folder. */
function pbsBin(): { bin: string; state: string; log: () => string[] } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-pbs-"));
  for (const tool of ["qsub", "qstat", "qdel"]) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${bin}/log\nexec ${standin}/${tool} "$@"\n`, { mode: 0o755 });
  }
  const log = (): string[] => {
    try {
      return fs.readFileSync(path.join(bin, "log"), "utf8").trim().split("\n");
    } catch {
      return [];
    }
  };
  return { bin, state: path.join(bin, "state"), log };
}

function runPbs(makefile: string, args: string[], files: Record<string, string> = {}): ReturnType<typeof runTmake> & { log: string[]; qstat: string } {
  const { bin, state, log } = pbsBin();
  const r = runTmake({
    makefile,
    files,
    args: ["-Q", "pbs", "--qsub-exec", path.join(bin, "qsub"), "--qdel-exec", path.join(bin, "qdel"), ...args],
    env: { PBS_STANDIN_DIR: state },
  });
  const qstat = spawnSync(path.join(standin, "qstat"), [], { env: { ...process.env, PBS_STANDIN_DIR: state }, encoding: "utf8" }).stdout;
  return { ...r, log: log(), qstat };
}

describe("-Q pbs, with the PBS stand-in (scripts/cluster/pbs-standin)", () => {
  const graph = "all: b c\n\tcat b c > all\nb: a\n\tcat a a > b\nc:\n\techo c > c\na:\n\techo a > a\n";

  it("submits the whole graph at once, chained by PBS's dependencies, and waits for it", () => {
    const r = runPbs(graph, ["all"]);
    expect(r.status).toBe(0);
    expect(r.files.all).toBe("a\na\nc\n");
    // Each job id is printed at submission.
    const ids = [...r.stdout.matchAll(/^tmake: pbs job (\S+) submitted for '(\w+)'$/gm)].map((m) => [m[2], m[1]]);
    expect(ids.map(([t]) => t).sort()).toEqual(["a", "all", "b", "c"]);
    const id = Object.fromEntries(ids) as Record<string, string>;
    // b's job waits for a's, all's for b's (and for c's, unless tmake knew it had finished:
    // a finished job is never waited for).
    const submitted = (target: string): string => {
      const script = Object.entries(queueFiles(r.dir)).find(([k, v]) => k.endsWith(".sh") && v.includes(`the recipe of ${target} `))![0];
      return r.log.find((l) => l.startsWith("qsub ") && l.endsWith(`/${path.basename(script)}`))!;
    };
    expect(submitted("a")).not.toContain("depend=");
    expect(submitted("b")).toContain(`-W depend=afterok:${id.a} `);
    expect(submitted("all")).toMatch(new RegExp(`-W depend=afterok:${id.b}(:${id.c})? `));
    // One status query a cycle for the run, not one a job.
    expect(r.log.filter((l) => l.startsWith("qstat ")).every((l) => l === "qstat ")).toBe(true);
    // The recipes' echo lines come with their jobs' logs.
    expect(r.stdout).toContain("cat b c > all\n");
  });

  it("under -k builds the independent branch and cancels what depends on a failing job", () => {
    const makefile = "all: after other\nafter: fail\n\ttouch after\nfail:\n\tsleep 0.3; false\nother:\n\techo other > other\n";
    const r = runPbs(makefile, ["-k"]);
    expect(r.status).toBe(2);
    expect(r.files.other).toBe("other\n");
    expect(r.files.after).toBeUndefined();
    expect(r.stderr).toContain("tmake: *** [Makefile:5: fail] Error 1\n");
    expect(r.stderr).toContain("tmake: Target 'all' not remade because of errors.\n");
    // Nothing is left waiting in the queue.
    expect(r.qstat).not.toMatch(/ [QRH] batch/);
  });

  it("passes QsubArgs and QsubHeader from target- and pattern-specific variables", () => {
    const makefile = "all: x.bam y.txt\n%.bam: QsubArgs = -l mem=16gb\ny.txt: QsubHeader = echo header ran > header.log\n%.bam %.txt:\n\techo $@ > $@\n";
    const r = runPbs(makefile, []);
    expect(r.status).toBe(0);
    const submits = r.log.filter((l) => l.startsWith("qsub "));
    expect(submits.filter((l) => l.includes("-l mem=16gb"))).toHaveLength(1);
    const script = Object.entries(queueFiles(r.dir)).find(([k, v]) => k.endsWith(".sh") && v.includes("the recipe of y.txt"))![1];
    expect(script).toContain("# Header from QsubHeader variable\necho header ran > header.log\n");
    expect(r.files["header.log"]).toBe("header ran\n");
  });

  it("retries a failed submission, then fails the target with the scheduler's words", () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-badqsub-"));
    fs.writeFileSync(path.join(bin, "qsub"), `#!/bin/sh\necho try >> ${bin}/tries\necho "qsub: Bad UID for job execution" >&2\nexit 1\n`, { mode: 0o755 });
    const r = runTmake({
      makefile: "t:\n\ttouch t\n",
      args: ["-Q", "pbs", "--qsub-exec", path.join(bin, "qsub"), "--queue-submit-retries", "1"],
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("tmake: *** [Makefile:2: t] submission failed: qsub: Bad UID for job execution\n");
    expect(fs.readFileSync(path.join(bin, "tries"), "utf8")).toBe("try\ntry\n");
  });

  it("runs tmake itself on the worker with --qsub-use-tmake", () => {
    const r = runPbs("V = from-makefile\nt: d\n\techo $(V) $^ > $@\nd:\n\techo d > d\n", ["--qsub-use-tmake", "V=cmdline"]);
    expect(r.status).toBe(0);
    expect(r.files.t).toBe("cmdline d\n");
    const script = Object.entries(queueFiles(r.dir)).find(([k, v]) => k.endsWith(".sh") && v.includes("the recipe of t "))![1];
    expect(script).toContain(`${tmakeMain} V=cmdline -N t\n`);
  });
});

describe("-Q pbs: arrays, --detach and reattaching (PBS stand-in)", () => {
  it("--array-jobs submits the recipes of one rule that wait for the same jobs as one array", () => {
    const makefile = "all: $(foreach i,1 2 3 4,o$(i))\n\tcat $^ > $@\no%: i%\n\tcat $< $< > $@\ni%:\n\techo $@ > $@\n";
    const r = runPbs(makefile, ["--array-jobs"]);
    expect(r.status).toBe(0);
    expect(r.files.all).toBe("i1\ni1\ni2\ni2\ni3\ni3\ni4\ni4\n");
    // i1..i4 wait for nothing: one array of 4 tasks, each task a job id of its own.
    const ids = [...r.stdout.matchAll(/^tmake: pbs job (\S+) submitted for 'i(\d)'$/gm)].map((m) => m[1]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids.map((id) => id.replace(/\[\d+\]/, "[]")))).toHaveProperty("size", 1);
    const arrays = r.log.filter((l) => l.startsWith("qsub ") && /array-\d+\.sh$/.test(l));
    expect(arrays).toHaveLength(1);
    const script = Object.entries(queueFiles(r.dir)).find(([k]) => /array-\d+\.sh$/.test(k))![1];
    expect(script).toContain("#PBS -J 0-3\n");
  });

  it("--detach submits and exits; the next run waits for the queued jobs instead of submitting them again", () => {
    const { bin, state, log } = pbsBin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-detach-"));
    fs.writeFileSync(path.join(dir, "Makefile"), "all: b\n\tcat b > all\nb: a\n\tsleep 1; cat a a > b\na:\n\tsleep 1; echo a > a\n");
    const tmake = (...args: string[]): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, [tmakeMain, "-Q", "pbs", "--qsub-exec", path.join(bin, "qsub"), ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, PBS_STANDIN_DIR: state },
      });
    const first = tmake("--detach");
    expect(first.status).toBe(0);
    expect(String(first.stdout).match(/submitted for/g)).toHaveLength(3);
    expect(fs.existsSync(path.join(dir, "all"))).toBe(false);
    const second = tmake();
    expect(second.status).toBe(0);
    expect(String(second.stdout)).toMatch(/^tmake: pbs job 1\.standin of run \S+ is still in the queue for 'a': waiting for it$/m);
    expect(String(second.stdout)).not.toContain("submitted for");
    expect(fs.readFileSync(path.join(dir, "all"), "utf8")).toBe("a\na\n");
    expect(log().filter((l) => l.startsWith("qsub "))).toHaveLength(3);
    // The build journal has each target's job.
    const explain = spawnSync(process.execPath, [tmakeMain, "--explain", "b"], { cwd: dir, encoding: "utf8" });
    expect(explain.stdout).toMatch(/^ {2}queue job: pbs job 2\.standin \(run \d+\), succeeded at /m);
  });
});

describe("--flush", () => {
  it("cancels the recorded jobs of the targets under a directory, and builds nothing without goals", () => {
    const { bin, state, log } = pbsBin();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-flush-"));
    fs.mkdirSync(path.join(dir, "out"));
    fs.writeFileSync(path.join(dir, "Makefile"), "all: out/a out/b top\nout/a out/b top:\n\tsleep 30; touch $@\n");
    const tmake = (...args: string[]): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, [tmakeMain, "-Q", "pbs", "--qsub-exec", path.join(bin, "qsub"), ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, PBS_STANDIN_DIR: state },
      });
    expect(tmake("--detach").status).toBe(0);
    const r = tmake("--flush", "out");
    expect(r.status).toBe(0);
    expect(String(r.stdout)).toBe("tmake: 2 pbs jobs of 'out' cancelled\n");
    const cancelled = log().filter((l) => l.startsWith("qdel "));
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.split(" ").slice(1).sort()).toEqual(["1.standin", "2.standin"]);
    // top's job is still there; flush it too so that nothing is left running.
    expect(String(tmake("--flush", "top").stdout)).toBe("tmake: 1 pbs job of 'top' cancelled\n");
  });
});

describe("-Q slurm: what the scheduler did, told apart (stand-in sbatch and squeue)", () => {
  /** An sbatch that starts nothing (the job "half-writes" its target and is killed by the
   * scheduler) and an squeue that says `state` for it. */
  function slurmBin(state: string, reason = "None"): string {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-slurm-"));
    fs.writeFileSync(path.join(bin, "sbatch"), `#!/bin/sh\necho half > t\necho 77\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "squeue"), `#!/bin/sh\necho "77|${state}|${reason}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "scancel"), `#!/bin/sh\necho "$@" >> ${bin}/cancelled\n`, { mode: 0o755 });
    return bin;
  }

  for (const [state, words] of [
    ["OUT_OF_MEMORY", "Out of memory"],
    ["TIMEOUT", "Time limit reached"],
    ["NODE_FAIL", "Node failure"],
    ["PREEMPTED", "Preempted"],
    ["CANCELLED", "Cancelled"],
  ] as const) {
    it(`${state}: GNU's failure line says so, and the half-written target is deleted`, () => {
      const bin = slurmBin(state);
      const r = runTmake({ makefile: "t:\n\tbuild > t\n", args: ["-Q", "slurm", "--qsub-exec", path.join(bin, "sbatch"), "--queue-poll", "0.2"] });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`tmake: *** [Makefile:2: t] ${words} (slurm job 77)\ntmake: *** Deleting file 't'\n`);
      expect(r.files.t).toBeUndefined();
    });
  }

  it("a job held forever because a dependency failed is cancelled, not waited for", () => {
    const bin = slurmBin("PENDING", "DependencyNeverSatisfied");
    const r = runTmake({ makefile: "t:\n\tbuild > t\n", args: ["-Q", "slurm", "--qsub-exec", path.join(bin, "sbatch"), "--queue-poll", "0.2"] });
    expect(r.status).toBe(2);
    expect(fs.readFileSync(path.join(bin, "cancelled"), "utf8")).toBe("77\n");
  });
});
