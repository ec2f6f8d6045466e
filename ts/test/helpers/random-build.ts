// Random makefiles and trees from a seed, for the determinism test (search-determinism.test.ts):
// GNU `%` rules (chains, terminal `::` rules, match-anything rules, several targets, second
// expansion, cancelled rules), biomake multi-wildcard rules (one and two wildcards, with and
// without a directory), static pattern rules, explicit rules, vpath, files present or missing,
// a subdirectory present or missing, some inputs newer than the outputs made from them.
// Every recipe writes its targets and nothing else (the contract the shortcuts rely on).
import fs from "node:fs";
import path from "node:path";

/** A small, fast, seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomBuild {
  makefile: string;
  /** Relative path -> content, and whether the file is newer than the rest. */
  files: { path: string; content: string; newer: boolean }[];
  /** Symbolic links to nothing (a listing holds them, a stat does not find them). */
  dangling?: string[];
  /** Directories to create (empty ones included). */
  dirs: string[];
}

const STEMS = ["a", "b", "c", "s1", "s2", "s3", "x.y", "p-q", "long_name", "m"];
/** Suffixes no built-in rule knows, and (now and then one of) suffixes built-in rules make. */
const EXTS = [".a", ".b", ".v", ".gz", ".txt", ".fa", ".bam", ".vcf", ".bed"];
const BUILTIN_EXTS = [".c", ".o", ".y"];

/** A build for `seed`. The suffixes form a small pipeline: a few are sources (files have
 * them), the others are made from earlier ones by rules of every kind, so chains and pruning
 * (shapes no file has) both get exercised. */
export function randomBuild(seed: number): RandomBuild {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number): boolean => r() < p;
  const some = <T>(xs: readonly T[], min: number, max: number): T[] => {
    const n = min + Math.floor(r() * (max - min + 1));
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
    return out;
  };
  const stems = some(STEMS, 3, 8);
  const exts = some(EXTS, 3, 7);
  if (chance(0.3)) exts.splice(Math.floor(r() * (exts.length + 1)), 0, pick(BUILTIN_EXTS));
  // A strict pipeline: only the first suffix has files and only the last is named by the goals,
  // so the ones in between are made and mentioned by nothing else (where pruning has work).
  const strict = chance(0.5);
  // No multi-wildcard rule at all (then failed intermediates are remembered, as in GNU).
  const gnuOnly = chance(0.25);
  const sources = strict ? exts.slice(0, 1) : exts.slice(0, 1 + Math.floor(r() * 2));
  const sub = chance(0.6);
  const recipe = "\tcat $^ /dev/null > $@";
  const lines: string[] = [];
  const goals = new Set<string>();
  const explicitTargets = new Set<string>();
  // Rules make each suffix from the one before it (a pipeline, every step by a rule of a random
  // kind), and a few more from any suffix to any other (cycles too).
  const steps: [string, string][] = [];
  for (let i = 0; i + 1 < exts.length; i++) {
    steps.push([exts[i]!, exts[i + 1]!]);
    if (chance(0.3)) steps.push([exts[i]!, exts[i + 1]!]);
  }
  if (!strict) for (let k = Math.floor(r() * 4); k > 0; k--) steps.push([pick(exts), pick(exts)]);
  for (const [e1, e2x] of steps) {
    const e2 = e2x === e1 ? `${e1}2` : e2x;
    let kind = r();
    if (gnuOnly && kind >= 0.41 && kind < 0.84) kind = r() * 0.41;
    if (kind < 0.28) {
      // A GNU pattern rule, maybe with a second prerequisite, a directory, or terminal.
      const dir = chance(strict ? 0.03 : 0.15) ? "sub/" : "";
      const second = chance(0.25) ? ` %${pick(exts)}` : chance(0.1) ? ` ${pick(stems)}${pick(exts)}` : "";
      const colon = chance(0.12) ? "::" : ":";
      lines.push(`${dir}%${e2}${colon} %${e1}${second}`, recipe);
    } else if (kind < 0.33) {
      // Match-anything, terminal or not.
      lines.push(`%${chance(0.5) ? "::" : ":"} %${e1}`, recipe);
    } else if (kind < 0.36) {
      // Two targets made by one recipe.
      lines.push(`%${e2} %${e2}x: %${e1}`, "\tfor t in $*" + e2 + " $*" + e2 + "x; do cat $^ /dev/null > $$t; done");
    } else if (kind < 0.38) {
      // A cancelled rule (no recipe).
      lines.push(`%${e2}: %${e1}`);
    } else if (kind < 0.41) {
      lines.push(".SECONDEXPANSION:", `%${e2}: $$*${e1}`, recipe);
    } else if (kind < 0.72) {
      // biomake, one wildcard, maybe with a prefix or a directory.
      const pre = strict && chance(0.8) ? "" : pick(["", "", "p-", "sub/"]);
      lines.push(`${pre}$X${e2}: $X${e1}`, recipe);
    } else if (kind < 0.84) {
      // biomake, two wildcards.
      lines.push(`$X-$Y${e2}: $X${e1} $Y${pick(exts)}`, recipe);
    } else if (kind < 0.89) {
      // A static pattern rule.
      const ts = some(stems, 1, 3).map((s) => s + e2);
      ts.forEach((t) => explicitTargets.add(t));
      lines.push(`${ts.join(" ")}: %${e2}: %${e1}`, recipe);
    } else if (kind < 0.97) {
      // An explicit rule, with or without a recipe.
      const t = pick(stems) + e2;
      if (explicitTargets.has(t)) continue;
      explicitTargets.add(t);
      const deps = some(stems, 0, 2).map((s) => s + e1);
      lines.push(`${t}: ${deps.join(" ")}`);
      if (chance(0.7)) lines.push(recipe);
    } else {
      lines.push(`vpath %${e1} sub`);
    }
  }
  // The goals: names of every kind, in this directory and in sub/, mostly of made suffixes.
  const goalCount = 10 + Math.floor(r() * 30);
  for (let k = 0; k < goalCount; k++) {
    const s = pick(stems);
    // Mostly the last suffixes, so that the ones in between are mentioned by no name.
    const e = strict ? exts[exts.length - 1]! : chance(0.7) ? exts[exts.length - 1 - Math.floor(r() * 2)]! : pick(exts);
    const form = strict ? r() * r() : r();
    goals.add(
      form < 0.55
        ? s + e + (chance(0.15) ? pick(exts) : "")
        : form < 0.7
          ? `sub/${s}${e}`
          : form < 0.8
            ? `p-${s}${e}`
            : form < 0.9
              ? `${s}-${pick(stems)}${e}`
              : s,
    );
  }
  const makefile = [".PHONY: all", `all: ${[...goals].join(" ")}`, ...lines, ""].join("\n");

  const files: RandomBuild["files"] = [];
  const dirs = sub ? ["sub"] : [];
  for (const s of stems)
    for (const e of exts) {
      const p = sources.includes(e) ? 0.7 : strict ? 0 : 0.04;
      if (chance(p)) files.push({ path: s + e, content: `${s}${e}\n`, newer: chance(0.3) });
      if (sub && chance(p / 3)) files.push({ path: `sub/${s}${e}`, content: `sub ${s}${e}\n`, newer: chance(0.3) });
    }
  const dangling = chance(0.3)
    ? some(stems, 1, 2)
        .map((s) => s + pick(exts))
        .filter((n) => !files.some((f) => f.path === n))
    : [];
  return { makefile, files, dirs, dangling };
}

/** Writes the build into `dir` (which exists), with `padding` extra files in each directory
 * (names no rule makes use of), and fixed modification times: the files at 2020, the newer
 * ones at 2022, the makefile at 2019. */
export function writeBuild(b: RandomBuild, dir: string, padding: number): void {
  for (const d of b.dirs) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, "Makefile"), b.makefile);
  const old = new Date("2020-01-01T00:00:00Z");
  const newer = new Date("2022-01-01T00:00:00Z");
  for (const f of b.files) {
    const p = path.join(dir, f.path);
    fs.writeFileSync(p, f.content);
    const t = f.newer ? newer : old;
    fs.utimesSync(p, t, t);
  }
  // Into a directory that is not there, so that a recipe writing the link fails instead of
  // making a file the link then points at (a change besides its target).
  for (const l of b.dangling ?? []) fs.symlinkSync(`nowhere/${l}`, path.join(dir, l));
  for (const d of ["", ...b.dirs])
    for (let i = 0; i < padding; i++) {
      const p = path.join(dir, d, `pad${i}.pad`);
      fs.writeFileSync(p, "");
      fs.utimesSync(p, old, old);
    }
  const mk = new Date("2019-01-01T00:00:00Z");
  fs.utimesSync(path.join(dir, "Makefile"), mk, mk);
}
