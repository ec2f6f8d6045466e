#!/usr/bin/env node
// `npm run build:native`: builds the napi-rs binding (crates/binding) in release mode into the
// package root as tmake.<platform>.node, where ts/src/native/index.ts looks for a local build.
// Without a Rust toolchain there is nothing to build: say so and succeed, since tmake then runs
// on its JS fallback backend.

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function hasCargo() {
  const probe = spawnSync("cargo", ["--version"], { stdio: "ignore" });
  return probe.status === 0;
}

if (!hasCargo()) {
  console.log("build:native: cargo is not on PATH; skipping the native build (tmake will use its JS fallback backend).");
  process.exit(0);
}

// Run the napi CLI from our own devDependencies with this same node, so no shell or npx is
// needed (and Windows behaves like everywhere else).
const require = createRequire(path.join(root, "package.json"));
const cliPackage = require.resolve("@napi-rs/cli/package.json");
const { bin } = require(cliPackage);
const cli = path.join(path.dirname(cliPackage), typeof bin === "string" ? bin : bin.napi);

const args = [
  cli,
  "build",
  "--platform",
  "--release",
  "--manifest-path",
  "crates/binding/Cargo.toml",
  "--output-dir",
  ".",
  // Only the .node file belongs in the package root; the generated loader is not used (the
  // TypeScript loader picks the binary) and the type declarations go under target/ for reference.
  "--no-js",
  "--dts",
  "target/napi/tmake-binding.d.ts",
  ...process.argv.slice(2),
];
console.log(`build:native: napi ${args.slice(1).join(" ")}`);
const run = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
if (run.error) {
  console.error(`build:native: could not run the napi CLI: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
