#!/usr/bin/env node
// Hashing benchmark: tmake's native backend against the usual command-line peers, on the same
// files in one run. See README.md beside this file.
//
//   node benchmarks/hash/bench.mjs [--big-mb N] [--count N] [--small-kb N] [--runs N] [--dir D] [--keep]
//
// Workloads: one big file (--big-mb) and many small files (--count x --small-kb).
// Contenders per workload:
//   md5     md5sum (coreutils)        vs tmake native md5     (+ the JS fallback, node:crypto)
//   blake3  b3sum (if on PATH)        vs tmake native blake3
// Every contender hashes the same files; digests are cross-checked before any time is reported.
// Times are the best of --runs runs with a warm page cache (the files are read once first), so
// the numbers compare hashing and I/O-call overhead, not the disk.

import { spawnSync } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// ---------- options ----------
function parseArgs(argv) {
  const opts = { bigMb: 256, count: 200, smallKb: 1024, runs: 3, dir: undefined, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === "--big-mb") opts.bigMb = num();
    else if (a === "--count") opts.count = num();
    else if (a === "--small-kb") opts.smallKb = num();
    else if (a === "--runs") opts.runs = Math.max(1, num());
    else if (a === "--dir") opts.dir = argv[++i];
    else if (a === "--keep") opts.keep = true;
    else if (a === "--help" || a === "-h") {
      console.log("usage: node benchmarks/hash/bench.mjs [--big-mb 256] [--count 200] [--small-kb 1024] [--runs 3] [--dir D] [--keep]");
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

// ---------- the native binding ----------
function platformTriple() {
  const { platform, arch } = process;
  if (platform === "linux") {
    const glibc = process.report?.getReport()?.header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? "gnu" : "musl"}`;
  }
  if (platform === "win32") return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function loadNative() {
  const file = process.env.TMAKE_NATIVE_PATH ?? path.join(root, `tmake.${platformTriple()}.node`);
  if (!existsSync(file)) {
    throw new Error(`no native binding at ${file}: run \`npm run build:native\` first (or set TMAKE_NATIVE_PATH)`);
  }
  return { binding: createRequire(import.meta.url)(file), file };
}

// ---------- test files ----------
/** Writes `bytes` of random data (a 4 MiB random block, with its first 8 bytes changed per
 * block so no two blocks are equal). */
function writeRandomFile(file, bytes, block) {
  const fd = openSync(file, "w");
  try {
    let written = 0;
    let n = 0;
    while (written < bytes) {
      block.writeBigUInt64LE(BigInt(n++), 0);
      const len = Math.min(block.length, bytes - written);
      writeSync(fd, block, 0, len);
      written += len;
    }
  } finally {
    closeSync(fd);
  }
}

function makeFiles(dir, opts) {
  const block = randomFillSync(Buffer.alloc(4 << 20));
  const big = path.join(dir, "big.bin");
  writeRandomFile(big, Math.round(opts.bigMb * 1024 * 1024), block);
  const smallDir = path.join(dir, "small");
  mkdirSync(smallDir);
  const small = [];
  for (let i = 0; i < opts.count; i++) {
    const f = path.join(smallDir, `f${String(i).padStart(5, "0")}.bin`);
    randomFillSync(block, 0, 64);
    writeRandomFile(f, Math.round(opts.smallKb * 1024), block);
    small.push(f);
  }
  return { big: [big], small };
}

// ---------- contenders ----------
function hasCommand(cmd) {
  return spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Runs `cmd files...` (in batches to stay under the argument limit) and parses
 * "<hex>  <path>" lines. */
function runCli(cmd, files) {
  const out = new Map();
  for (let i = 0; i < files.length; i += 2000) {
    const batch = files.slice(i, i + 2000);
    const r = spawnSync(cmd, batch, { encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    for (const line of r.stdout.split("\n")) {
      const m = /^([0-9a-f]+) [ *](.*)$/.exec(line);
      if (m) out.set(m[2], m[1]);
    }
  }
  return files.map((f) => out.get(f));
}

async function runNative(binding, files, algorithm) {
  const results = await binding.hashFiles(files, algorithm);
  return results.map((r) => {
    if (r.error) throw new Error(`${r.path}: ${r.error}`);
    return r.hex;
  });
}

/** node:crypto MD5, streamed in 1 MiB chunks, 4 files at a time: what tmake's JS fallback does. */
async function runJsMd5(files) {
  const hashOne = (file) =>
    new Promise((resolve, reject) => {
      const h = createHash("md5");
      createReadStream(file, { highWaterMark: 1 << 20 })
        .on("data", (c) => h.update(c))
        .on("error", reject)
        .on("end", () => resolve(h.digest("hex")));
    });
  const out = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = await hashOne(files[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, worker));
  return out;
}

async function best(runs, fn) {
  let bestMs = Infinity;
  let digests;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    digests = await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    bestMs = Math.min(bestMs, ms);
  }
  return { ms: bestMs, digests };
}

function warm(files) {
  // Read everything once so every contender starts with the same (warm) page cache.
  for (let i = 0; i < files.length; i += 2000) spawnSync("cat", files.slice(i, i + 2000), { stdio: ["ignore", "ignore", "inherit"] });
}

// ---------- main ----------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { binding, file: nativeFile } = loadNative();
  const haveMd5sum = hasCommand("md5sum");
  const haveB3sum = hasCommand("b3sum");

  const dir = opts.dir
    ? (mkdirSync(opts.dir, { recursive: true }), mkdtempSync(path.join(opts.dir, "tmake-hash-")))
    : mkdtempSync(path.join(os.tmpdir(), "tmake-hash-"));
  console.log(`# tmake hash benchmark`);
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}, node ${process.version}, native ${binding.nativeVersion()} (${path.relative(root, nativeFile)})`,
  );
  console.log(`peers: md5sum ${haveMd5sum ? "yes" : "NOT FOUND"}, b3sum ${haveB3sum ? "yes" : "NOT FOUND (apt-get install b3sum)"}`);
  console.log(`files in ${dir}: 1 x ${opts.bigMb} MiB, ${opts.count} x ${opts.smallKb} KiB; best of ${opts.runs} runs, warm cache\n`);

  try {
    const sets = makeFiles(dir, opts);
    const rows = [];
    for (const [label, files] of [
      [`1 x ${opts.bigMb} MiB`, sets.big],
      [`${opts.count} x ${opts.smallKb} KiB`, sets.small],
    ]) {
      if (files.length === 0) continue;
      warm(files);
      const mib = files.length * (label.startsWith("1 x") ? opts.bigMb : opts.smallKb / 1024);
      const add = (algorithm, tool, r, reference) => {
        if (reference && r.digests.some((d, i) => d !== reference[i])) {
          throw new Error(`${tool} disagrees with the peer on ${label}`);
        }
        rows.push({ workload: label, algorithm, tool, ms: r.ms, mibs: mib / (r.ms / 1000) });
      };

      // MD5
      const nativeMd5 = await best(opts.runs, () => runNative(binding, files, "md5"));
      let md5Peer;
      if (haveMd5sum) {
        md5Peer = await best(opts.runs, async () => runCli("md5sum", files));
        add("md5", "md5sum", md5Peer);
      }
      add("md5", "tmake native", nativeMd5, md5Peer?.digests);
      add("md5", "JS (node:crypto)", await best(opts.runs, () => runJsMd5(files)), nativeMd5.digests);

      // BLAKE3
      const nativeB3 = await best(opts.runs, () => runNative(binding, files, "blake3"));
      let b3Peer;
      if (haveB3sum) {
        b3Peer = await best(opts.runs, async () => runCli("b3sum", files));
        add("blake3", "b3sum", b3Peer);
      }
      add("blake3", "tmake native", nativeB3, b3Peer?.digests);
    }

    // Report: each row with its speed relative to the peer of its workload and algorithm.
    const peerOf = { md5: "md5sum", blake3: "b3sum" };
    console.log("| workload | algorithm | tool | time (ms) | MiB/s | peer time / this time |");
    console.log("|---|---|---|---:|---:|---:|");
    for (const r of rows) {
      const peer = rows.find((p) => p.workload === r.workload && p.algorithm === r.algorithm && p.tool === peerOf[r.algorithm]);
      const ratio = peer ? (peer.ms / r.ms).toFixed(2) : "n/a";
      console.log(`| ${r.workload} | ${r.algorithm} | ${r.tool} | ${r.ms.toFixed(1)} | ${r.mibs.toFixed(0)} | ${ratio} |`);
    }
    console.log("\n(ratio > 1: faster than the peer; all digests cross-checked)");
  } finally {
    if (opts.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
