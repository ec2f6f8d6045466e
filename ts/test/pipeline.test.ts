// The example pipeline examples/variants (samples x references: GNU `%` rules next to
// multi-wildcard rules, a target goal, a deps goal with a fallback rule, $(bagof)), run as a
// user runs it: a full build, a null build, a changed input, -n, -q, -k with a failing step,
// -j2, each checked for the exact commands run and the files left; the real biomake leaves the
// same files and runs the same commands in the same order; then 50 builds under -j2 on a
// loaded machine, on both backends, all decide the same.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tmakeMain } from "./helpers/diff.js";
import { biomakeBin, biomakeMissing } from "./helpers/biomake.js";

const example = path.join(repoRoot, "examples/variants");
const missing = biomakeMissing();
if (missing !== undefined) console.log(`pipeline.test: the comparison with biomake is skipped: ${missing}`);

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** A fresh copy of the example. */
function copy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-pipeline-"));
  fs.cpSync(example, dir, { recursive: true });
  return dir;
}

function tmake(dir: string, args: string[] = [], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [tmakeMain, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), LC_ALL: "C", ...env },
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Every file under `dir` with its content. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".biomake" && e.name !== ".tmake") walk(p);
      } else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

const lines = (s: string): string[] => s.split("\n").filter((l) => l !== "");

/** The commands a full build runs, in the serial order (which is biomake's too). */
const fullBuild = [
  "sed 's/N//g' reads/s1.fq > s1.trimmed.fq",
  "grep -v '>' refs/hg.fa | tr -d '\\n' | wc -c > refs/hg.idx",
  "grep -v '^@' s1.trimmed.fq | sort > align/s1-hg.bam",
  "wc -l < align/s1-hg.bam > align/s1-hg.bam.bai",
  `awk '{ print "s1", "hg", NR, $0 }' align/s1-hg.bam > calls/s1-hg.vcf`,
  "grep -v '>' refs/mm.fa | tr -d '\\n' | wc -c > refs/mm.idx",
  "grep -v '^@' s1.trimmed.fq | sort > align/s1-mm.bam",
  "wc -l < align/s1-mm.bam > align/s1-mm.bam.bai",
  `awk '{ print "s1", "mm", NR, $0 }' align/s1-mm.bam > calls/s1-mm.vcf`,
  "sed 's/N//g' reads/s2.fq > s2.trimmed.fq",
  "grep -v '^@' s2.trimmed.fq | sort > align/s2-hg.bam",
  "wc -l < align/s2-hg.bam > align/s2-hg.bam.bai",
  `awk '{ print "s2", "hg", NR, $0 }' align/s2-hg.bam > calls/s2-hg.vcf`,
  "grep -v '^@' s2.trimmed.fq | sort > align/s2-mm.bam",
  "wc -l < align/s2-mm.bam > align/s2-mm.bam.bai",
  `awk '{ print "s2", "mm", NR, $0 }' align/s2-mm.bam > calls/s2-mm.vcf`,
  "sed 's/N//g' reads/s3.fq > s3.trimmed.fq",
  "grep -v '^@' s3.trimmed.fq | sort > align/s3-hg.bam",
  "wc -l < align/s3-hg.bam > align/s3-hg.bam.bai",
  'echo "s3 hg no reads" > calls/s3-hg.vcf',
  "grep -v '^@' s3.trimmed.fq | sort > align/s3-mm.bam",
  "wc -l < align/s3-mm.bam > align/s3-mm.bam.bai",
  'echo "s3 mm no reads" > calls/s3-mm.vcf',
  "cat calls/s1-hg.vcf calls/s1-mm.vcf calls/s2-hg.vcf calls/s2-mm.vcf calls/s3-hg.vcf calls/s3-mm.vcf > summary.txt",
];

/** What a changed reads/s2.fq makes run again. */
const afterS2Changed = fullBuild.filter((c) => /s2|summary/.test(c));

const summary = "s1 hg 1 ACGTACGT\ns1 hg 2 GGGTTTA\ns1 mm 1 ACGTACGT\ns1 mm 2 GGGTTTA\ns2 hg 1 TTTTACGA\ns2 mm 1 TTTTACGA\ns3 hg no reads\ns3 mm no reads\n";

/** Makes reads/s2.fq newer than everything built from it. */
function changeS2(dir: string): void {
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(dir, "reads/s2.fq"), later, later);
}

describe("examples/variants, as a user runs it", () => {
  let built: string;
  let reference: Record<string, string>;

  beforeAll(() => {
    built = copy();
    const r = tmake(built);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual(fullBuild);
    reference = files(built);
    expect(reference["summary.txt"]).toBe(summary);
  });

  it("a full build runs every step once and leaves every output (no intermediate deleted)", () => {
    for (const f of ["s1.trimmed.fq", "refs/hg.idx", "align/s3-mm.bam", "align/s2-hg.bam.bai", "calls/s3-hg.vcf"]) expect(reference).toHaveProperty([f]);
  });

  it.skipIf(missing !== undefined)("biomake leaves the same files and runs the same commands, in the same order", () => {
    const dir = copy();
    const r = spawnSync(biomakeBin, [], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(0);
    const commands = lines(r.stdout)
      .filter((l) => !l.startsWith("Target "))
      .map((l) => l.trim());
    expect(commands).toEqual(fullBuild);
    expect(files(dir)).toEqual(reference);
  });

  it("a null build runs nothing", () => {
    const r = tmake(built);
    expect(r).toEqual({ stdout: "tmake: Nothing to be done for 'all'.\n", stderr: "", status: 0 });
    expect(tmake(built, ["-q"]).status).toBe(0);
  });

  it("a changed input: -q says so every time, -n and the build run exactly its dependents", () => {
    const dir = copy();
    fs.cpSync(built, dir, { recursive: true, preserveTimestamps: true });
    changeS2(dir);
    for (let i = 0; i < 20; i++) expect(tmake(dir, ["-q"], { TMAKE_NATIVE: i % 2 === 0 ? "1" : "0" }).status).toBe(1);
    const dry = tmake(dir, ["-n"]);
    expect(dry.status).toBe(0);
    expect(lines(dry.stdout).filter((l) => !l.startsWith("mkdir"))).toEqual(afterS2Changed);
    const before = files(dir);
    const real = tmake(dir);
    expect(real.status).toBe(0);
    expect(lines(real.stdout)).toEqual(afterS2Changed);
    expect(files(dir)).toEqual({ ...before, ...reference });
    expect(tmake(dir, ["-q"]).status).toBe(0);
  });

  it("-k with a failing step builds everything that does not need it, and exits 2", () => {
    const dir = copy();
    // A bad input: the trimmer cannot read a directory.
    fs.rmSync(path.join(dir, "reads/s2.fq"));
    fs.mkdirSync(path.join(dir, "reads/s2.fq"));
    const r = tmake(dir, ["-k"]);
    expect(r.status).toBe(2);
    expect(lines(r.stdout)).toEqual(fullBuild.filter((c) => !/s2.*(bam|vcf)|summary/.test(c)));
    expect(r.stderr).toMatch(
      /^sed: .*reads\/s2\.fq.*\ntmake: \*\*\* \[Makefile:\d+: s2\.trimmed\.fq\] Error \d+\ntmake: \*\*\* Deleting file 's2\.trimmed\.fq'\ntmake: Target 'all' not remade because of errors\.\n$/,
    );
    const left = files(dir);
    for (const f of ["calls/s1-hg.vcf", "calls/s3-mm.vcf"]) expect(left[f]).toBe(reference[f]);
    for (const f of ["s2.trimmed.fq", "align/s2-hg.bam", "calls/s2-mm.vcf", "summary.txt"]) expect(left).not.toHaveProperty([f]);
  });

  it("-j2 runs the same commands and leaves the same files", () => {
    const dir = copy();
    const r = tmake(dir, ["-j2"]);
    expect(r.status).toBe(0);
    expect(lines(r.stdout).sort()).toEqual([...fullBuild].sort());
    expect(files(dir)).toEqual(reference);
  });
});

describe("examples/variants, 50 builds under -j2 on a loaded machine", () => {
  const load: ChildProcess[] = [];
  beforeAll(() => {
    for (let i = 0; i < 2; i++) load.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  });
  afterAll(() => {
    for (const p of load) p.kill("SIGKILL");
  });

  it("every run decides the same, on both backends", () => {
    const runs = Number(process.env.TMAKE_PIPELINE_RUNS ?? 50);
    const serial = copy();
    expect(tmake(serial).status).toBe(0);
    const reference = files(serial);
    const full = new Set<string>();
    const changed = new Set<string>();
    for (let i = 0; i < runs; i++) {
      const dir = copy();
      const env = { TMAKE_NATIVE: i % 2 === 0 ? "1" : "0" };
      const r = tmake(dir, ["-j2"], env);
      full.add(JSON.stringify([r.status, lines(r.stdout).sort(), files(dir)]));
      // Every fifth run, a changed input after it.
      if (i % 5 === 0) {
        changeS2(dir);
        const again = tmake(dir, ["-j2"], env);
        changed.add(JSON.stringify([again.status, lines(again.stdout).sort(), files(dir)]));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect([...full]).toEqual([JSON.stringify([0, [...fullBuild].sort(), reference])]);
    if (runs > 0) expect([...changed]).toEqual([JSON.stringify([0, [...afterS2Changed].sort(), reference])]);
  }, 600_000);
});
