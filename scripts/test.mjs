#!/usr/bin/env node
// `npm test`: the whole suite, in the order a failure is cheapest to find.
//   1. cargo fmt --all --check  (Rust formatting; when cargo and rustfmt are installed)
//   2. cargo clippy --workspace --all-targets -- -D warnings  (when cargo and clippy are)
//   3. cargo test --workspace   (only when a Rust toolchain is installed)
//   4. depcruise ts/src         (the stage order of docs/architecture.md, no import cycles)
//   5. npm run lint             (ESLint, tsc over the tests, Prettier --check)
//   6. npm run build            (native binding when cargo is present, then TypeScript)
//   7. node --test crates/binding/test   (the napi binding as Node sees it; needs step 6's .node)
//   8. vitest run               (extra arguments to `npm test -- ...` are passed to vitest)
// A step whose tool is missing is skipped with a line saying so: without Rust, tmake runs on
// its JS fallback backend, and that is what the remaining steps test.
// Output streams through; the first failing step ends the run with its exit status.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const isWindows = process.platform === "win32";

/** Whether `cargo ARGS` runs (`--version`, or a subcommand's, e.g. `fmt --version`). */
function cargoRuns(...args) {
  return spawnSync("cargo", args, { stdio: "ignore" }).status === 0;
}
const hasCargo = cargoRuns("--version");

/** Runs one step with inherited stdio; exits the process if it fails. */
function step(title, command, args) {
  console.log(`\n=== ${title}: ${[command, ...args].join(" ")}`);
  // npm and npx are .cmd shims on Windows, which only a shell can start.
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: isWindows });
  if (run.error) {
    console.error(`test: could not start ${command}: ${run.error.message}`);
    process.exit(1);
  }
  if (run.status !== 0) {
    const why = run.signal ? `signal ${run.signal}` : `exit status ${run.status}`;
    console.error(`test: ${title} failed (${why})`);
    process.exit(run.status || 1);
  }
}

if (hasCargo) {
  // rustfmt and clippy are rustup components that a minimal toolchain leaves out.
  if (cargoRuns("fmt", "--version")) step("rust format", "cargo", ["fmt", "--all", "--check"]);
  else console.log("test: rustfmt is not installed (rustup component add rustfmt); skipping cargo fmt --check.");
  if (cargoRuns("clippy", "--version")) {
    step("rust lints", "cargo", ["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]);
  } else {
    console.log("test: clippy is not installed (rustup component add clippy); skipping cargo clippy.");
  }
  step("rust tests", "cargo", ["test", "--workspace"]);
} else {
  console.log("test: cargo is not on PATH; skipping the Rust lints and tests (the JS fallback backend is tested below).");
}
// The stage order of docs/architecture.md, and no import cycles (.dependency-cruiser.cjs).
step("layering", "npx", ["depcruise", "ts/src", "--config", ".dependency-cruiser.cjs"]);
// ESLint (typescript-eslint), the tests type-checked too, and Prettier's formatting.
step("typescript lints", "npm", ["run", "lint"]);
step("build", "npm", ["run", "build"]);
if (hasCargo) step("binding tests", process.execPath, ["--test", "crates/binding/test/"]);
step("typescript tests", "npx", ["vitest", "run", ...process.argv.slice(2)]);
