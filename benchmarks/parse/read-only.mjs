#!/usr/bin/env node
// Reads a makefile with tmake's reader (no build) and prints how long it took:
//   node benchmarks/parse/read-only.mjs MAKEFILE [READER_MODULE]
// READER_MODULE is the module to load readMakefiles from: by default dist/read/index.js (the
// library's unbundled modules); bench.mjs passes the reader bundled into one file, as the CLI
// ships. Needs `npm run build:ts` first.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const module = process.argv[3] ? path.resolve(process.argv[3]) : path.join(here, "../../dist/read/index.js");
const { readMakefiles, defaultReadOptions } = await import(pathToFileURL(module).href);
const file = path.resolve(process.argv[2] ?? "/tmp/tmake-parse-bench/Makefile");
const t0 = performance.now();
const db = readMakefiles(defaultReadOptions({ cwd: path.dirname(file), makefiles: [path.basename(file)], goals: ["all"] }));
const ms = performance.now() - t0;
console.log(JSON.stringify({ rules: db.rules.length, readMs: Math.round(ms) }));
