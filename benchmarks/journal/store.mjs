#!/usr/bin/env node
// The journal's store, measured: the append-only log tmake uses (one checksummed JSON line per
// record, one write() each, as ts/src/journal/store.ts writes them) against SQLite, the other
// candidate, through Python's sqlite3 module (the same C library, 3.40, that rusqlite's
// `bundled` feature would compile into the native binding; the binding's own call overhead,
// about a microsecond, is left out). A build of 10,000 targets writes about 30,000 records
// (decision, start, end); each must be in the store, for a reader and for a kill -9, before
// the next step of the build, so every SQLite insert is its own transaction.
//
//   node benchmarks/journal/store.mjs [--records 30000] [--dir /tmp]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const n = Number(opt("--records", "30000"));
const base = fs.mkdtempSync(path.join(opt("--dir", os.tmpdir()), "tmake-store-"));

function fnv32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The i-th record of a build: a decision, a start with its recipe and variables, an end. */
function record(i) {
  const t = `out/f${Math.floor(i / 3)}.aln`;
  const at = 1796379084077 + i;
  switch (i % 3) {
    case 0:
      return { k: "stale", t, at, kind: "missing", why: "does not exist" };
    case 1:
      return { k: "start", t, at, loc: "Makefile:5", recipe: [`cp src/f${Math.floor(i / 3)}.fa ${t}`], hash: "2a314c42ef158b2f", vars: {} };
    default:
      return { k: "end", t, at, ok: true, ms: 4 };
  }
}

const records = Array.from({ length: n }, (_, i) => record(i));
const results = [];

// ---- the append-only log ----
{
  const file = path.join(base, "run.log");
  const fd = fs.openSync(file, "a");
  const t0 = process.hrtime.bigint();
  for (const r of records) {
    const json = JSON.stringify(r);
    fs.writeSync(fd, `${json}\t${fnv32(json)}\n`);
  }
  const t1 = process.hrtime.bigint();
  fs.closeSync(fd);
  const t2 = process.hrtime.bigint();
  const text = fs.readFileSync(file, "utf8");
  let count = 0;
  for (const line of text.split("\n")) {
    const tab = line.lastIndexOf("\t");
    if (tab < 0 || fnv32(line.slice(0, tab)) !== line.slice(tab + 1)) continue;
    JSON.parse(line.slice(0, tab));
    count++;
  }
  const t3 = process.hrtime.bigint();
  if (count !== n) throw new Error(`read ${count} of ${n}`);
  results.push({ store: "append-only log (tmake)", write: Number(t1 - t0) / 1e6, read: Number(t3 - t2) / 1e6, bytes: fs.statSync(file).size });
}

// ---- SQLite, through python3 ----
const py = `
import json, sqlite3, sys, time, os
path, mode, sync = sys.argv[1], sys.argv[2], sys.argv[3]
recs = [json.loads(l) for l in sys.stdin]
db = sqlite3.connect(path, isolation_level=None)
db.execute("pragma journal_mode=" + mode)
db.execute("pragma synchronous=" + sync)
db.execute("create table rec(run integer, k text, t text, at integer, body text)")
t0 = time.perf_counter()
for r in recs:
    db.execute("insert into rec values(1, ?, ?, ?, ?)", (r["k"], r["t"], r["at"], json.dumps(r)))
t1 = time.perf_counter()
db.close()
t2 = time.perf_counter()
db = sqlite3.connect(path)
rows = [json.loads(b) for (b,) in db.execute("select body from rec order by rowid")]
t3 = time.perf_counter()
assert len(rows) == len(recs)
size = sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
print(json.dumps({"write": (t1 - t0) * 1000, "read": (t3 - t2) * 1000, "bytes": size}))
`;
const input = records.map((r) => JSON.stringify(r)).join("\n");
for (const [mode, sync] of [
  ["wal", "normal"],
  ["wal", "full"],
  ["delete", "normal"],
  ["delete", "full"],
]) {
  const db = path.join(base, `j-${mode}-${sync}.db`);
  const r = spawnSync("python3", ["-c", py, db, mode, sync], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    results.push({ store: `SQLite ${mode}/${sync}`, error: r.stderr.trim().split("\n").pop() });
    continue;
  }
  results.push({ store: `SQLite journal_mode=${mode}, synchronous=${sync}`, ...JSON.parse(r.stdout) });
}

fs.rmSync(base, { recursive: true, force: true });
console.log(`${n} records (${os.cpus().length} cores, ${os.platform()}, file system of ${opt("--dir", os.tmpdir())})\n`);
console.log("| store | write all | per record | read all back | size |");
console.log("|---|---|---|---|---|");
for (const r of results) {
  if (r.error) console.log(`| ${r.store} | ${r.error} | | | |`);
  else
    console.log(
      `| ${r.store} | ${r.write.toFixed(0)} ms | ${((r.write * 1000) / n).toFixed(1)} µs | ${r.read.toFixed(0)} ms | ${(r.bytes / 1e6).toFixed(1)} MB |`,
    );
}
