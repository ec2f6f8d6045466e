#!/usr/bin/env node
// The command-line comparison of issue 12: `tmake --checksum` (native, and the JS fallback with
// TMAKE_NATIVE=0) against md5sum (one process, and `xargs -P2`), `openssl md5` and b3sum, on the
// same generated files, in one run. Every contender runs once per round, rounds repeated
// (--runs), in turn, so load on the machine falls on all of them alike; the median wall time is
// reported with the spread (min-max), as MB/s, and as a ratio to the peer (md5sum sequential for
// MD5, b3sum for BLAKE3). Digests are compared before any time is printed.
//
//   node benchmarks/hash/tools.mjs [--big-mb 2048] [--count 1000] [--small-mb 2] [--runs 3] [--dir D] [--keep]
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomFillSync } from "node:crypto";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tmake = path.join(root, "dist/cli/main.js");

const opts = { bigMb: 2048, count: 1000, smallMb: 2, runs: 3, dir: os.tmpdir(), keep: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--big-mb") opts.bigMb = Number(argv[++i]);
  else if (a === "--count") opts.count = Number(argv[++i]);
  else if (a === "--small-mb") opts.smallMb = Number(argv[++i]);
  else if (a === "--runs") opts.runs = Number(argv[++i]);
  else if (a === "--dir") opts.dir = argv[++i];
  else if (a === "--keep") opts.keep = true;
  else throw new Error(`unknown option ${a}`);
}

/** Sizes are multiplied out, never shifted: 2048 << 20 overflows JS's 32-bit shifts. */
const MiB = 1024 * 1024;

const has = (cmd) => spawnSync("/bin/sh", ["-c", `command -v ${cmd}`]).status === 0;

function writeRandom(file, bytes) {
  const block = Buffer.alloc(4 << 20);
  randomFillSync(block);
  const fd = openSync(file, "w");
  for (let done = 0, n = 0; done < bytes; n++) {
    block.writeUInt32LE(n, 0);
    const len = Math.min(block.length, bytes - done);
    writeSync(fd, block, 0, len);
    done += len;
  }
  closeSync(fd);
}

const dir = mkdtempSync(path.join(opts.dir, "tmake-hash-tools-"));
const big = path.join(dir, "big.bin");
writeRandom(big, opts.bigMb * MiB);
mkdirSync(path.join(dir, "small"));
const smallList = path.join(dir, "small.list");
const smalls = [];
for (let i = 0; i < opts.count; i++) {
  const f = path.join(dir, "small", `f${i}.bin`);
  writeRandom(f, opts.smallMb * MiB);
  smalls.push(f);
}
writeFileSync(smallList, smalls.map((f) => path.relative(dir, f)).join("\n") + "\n");
// Warm the page cache.
spawnSync("/bin/sh", ["-c", `cat '${big}' small/* >/dev/null`], { cwd: dir });

const node = process.execPath;
/** name, algorithm, shell command for the big file, for the small files (null: not run). */
const contenders = [
  ["tmake --checksum (native)", "md5", `${node} ${tmake} --checksum BIG`, `${node} ${tmake} --checksum SMALL`],
  ["tmake --checksum (TMAKE_NATIVE=0)", "md5", `TMAKE_NATIVE=0 ${node} ${tmake} --checksum BIG`, `TMAKE_NATIVE=0 ${node} ${tmake} --checksum SMALL`],
  ["md5sum", "md5", "md5sum BIG", "md5sum SMALL"],
  ["xargs -P2 md5sum", "md5", null, "xargs -P2 -n 50 md5sum <small.list"],
  ...(has("openssl") ? [["openssl md5", "md5", "openssl md5 -r BIG", "openssl md5 -r SMALL"]] : []),
  [
    "tmake --checksum --hash-algo blake3 (native)",
    "blake3",
    `${node} ${tmake} --checksum --hash-algo blake3 BIG`,
    `${node} ${tmake} --checksum --hash-algo blake3 SMALL`,
  ],
  [
    "tmake --checksum --hash-algo blake3 (TMAKE_NATIVE=0)",
    "blake3",
    `TMAKE_NATIVE=0 ${node} ${tmake} --checksum --hash-algo blake3 BIG`,
    `TMAKE_NATIVE=0 ${node} ${tmake} --checksum --hash-algo blake3 SMALL`,
  ],
  ...(has("b3sum")
    ? [
        ["b3sum", "blake3", "b3sum BIG", "b3sum SMALL"],
        ["xargs -P2 b3sum", "blake3", null, "xargs -P2 -n 50 b3sum <small.list"],
      ]
    : []),
];

/** Digest per file name, from md5sum-like output (openssl -r prints `HEX *NAME`). */
function digests(out) {
  const m = new Map();
  for (const line of out.split("\n")) {
    const r = /^\\?([0-9a-f]+) [ *](.*)$/.exec(line);
    if (r) m.set(path.basename(r[2]), r[1]);
  }
  return m;
}

const workloads = [
  { name: `1 x ${opts.bigMb} MiB`, bytes: opts.bigMb * MiB, pick: (c) => c[2]?.replace("BIG", "big.bin") },
  { name: `${opts.count} x ${opts.smallMb} MiB`, bytes: opts.count * opts.smallMb * MiB, pick: (c) => c[3]?.replace("SMALL", "small/*") },
];

const rows = [];
for (const w of workloads) {
  const times = new Map();
  const answers = new Map();
  for (let r = 0; r < opts.runs; r++) {
    for (const c of contenders) {
      const cmd = w.pick(c);
      if (!cmd) continue;
      const t0 = process.hrtime.bigint();
      const res = spawnSync("/bin/sh", ["-c", cmd], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 0) throw new Error(`${cmd}: ${res.stderr}`);
      (times.get(c[0]) ?? times.set(c[0], []).get(c[0])).push(ms);
      answers.set(c[0], digests(res.stdout));
    }
  }
  // Same digests from every contender of an algorithm.
  for (const algo of ["md5", "blake3"]) {
    const group = contenders.filter((c) => c[1] === algo && answers.has(c[0]));
    const first = group[0] && answers.get(group[0][0]);
    for (const c of group) {
      const a = answers.get(c[0]);
      for (const [k, v] of first) if (a.get(k) !== v) throw new Error(`${c[0]} disagrees on ${k}`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const c of contenders) {
    const xs = times.get(c[0]);
    if (!xs) continue;
    const peer = c[1] === "md5" ? "md5sum" : "b3sum";
    const peerMs = times.get(peer) ? median(times.get(peer)) : undefined;
    const m = median(xs);
    rows.push({
      workload: w.name,
      tool: c[0],
      ms: m,
      min: Math.min(...xs),
      max: Math.max(...xs),
      mbs: w.bytes / 1e6 / (m / 1000),
      ratio: peerMs ? peerMs / m : undefined,
    });
  }
}

console.log(`| workload | tool | median (ms) | spread (ms) | MB/s | peer time / this time |`);
console.log(`|---|---|---:|---:|---:|---:|`);
for (const r of rows)
  console.log(
    `| ${r.workload} | ${r.tool} | ${r.ms.toFixed(0)} | ${r.min.toFixed(0)}-${r.max.toFixed(0)} | ${r.mbs.toFixed(0)} | ${r.ratio === undefined ? "" : r.ratio.toFixed(2)} |`,
  );
console.log(
  `\n${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} at the end; ${opts.runs} runs each, median kept.`,
);
if (!opts.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
