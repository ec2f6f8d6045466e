#!/usr/bin/env node
// `npm run build:native`: builds the napi-rs binding (crates/binding) in release mode into the
// package root as tmake.<platform>.node, where ts/src/native/index.ts looks for a local build.
// Without a Rust toolchain there is nothing to build: say so and succeed, since tmake then runs
// on its JS fallback backend.
//
// napi also writes the binding's TypeScript declarations (`napi build --dts`), generated from the
// #[napi] items, to target/napi/binding.ts. The copy the TypeScript code imports is
// ts/src/native/binding.ts, committed, so that a clone without Rust type-checks too. This script
// never rewrites that copy on its own: crates/binding/test (run by `npm test`) fails while the
// two differ, and `npm run build:native -- --update-dts` copies the fresh declarations over.
// Other arguments go to `napi build` (the release workflow passes --target and cross flags).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Where napi writes the declarations (relative to the package root, napi's --output-dir). */
const GENERATED_DTS = "target/napi/binding.ts";
/** The committed declarations that ts/src/native imports. */
const COMMITTED_DTS = "ts/src/native/binding.ts";

/** The generated file's first lines (napi's --dts-header, in place of its default). */
const DTS_HEADER = `// What the napi-rs binding (crates/binding) exports, as \`napi build --dts\` declares it from the
// #[napi] items. Generated: do not edit. \`npm run build:native -- --update-dts\` rewrites it, and
// crates/binding/test checks it against every native build.
/* eslint-disable */
`;

function hasCargo() {
  const probe = spawnSync("cargo", ["--version"], { stdio: "ignore" });
  return probe.status === 0;
}

function readOrNull(file) {
  try {
    return fs.readFileSync(path.join(root, file), "utf8");
  } catch {
    return null;
  }
}

function main() {
  const napiArgs = process.argv.slice(2).filter((a) => a !== "--update-dts");
  const updateDts = napiArgs.length < process.argv.length - 2;

  if (!hasCargo()) {
    console.log("build:native: cargo is not on PATH; skipping the native build (tmake will use its JS fallback backend).");
    if (updateDts) {
      console.error(`build:native: --update-dts needs a native build; ${COMMITTED_DTS} is left as it is.`);
      return 1;
    }
    return 0;
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
    // TypeScript loader picks the binary).
    "--no-js",
    "--dts",
    GENERATED_DTS,
    "--dts-header",
    DTS_HEADER,
    // String enums (HashAlgorithm) are declared as unions of their strings, which is what
    // crosses; no runtime enum object is declared that the TypeScript side would have to import.
    "--no-const-enum",
    ...napiArgs,
  ];
  console.log(
    `build:native: napi ${args
      .slice(1)
      .map((a) => (a === DTS_HEADER ? "<header>" : a))
      .join(" ")}`,
  );
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (run.error) {
    console.error(`build:native: could not run the napi CLI: ${run.error.message}`);
    return 1;
  }
  if (run.status !== 0) return run.status ?? 1;

  const fresh = readOrNull(GENERATED_DTS);
  if (fresh === null) {
    console.error(`build:native: napi wrote no declarations to ${GENERATED_DTS}`);
    return 1;
  }
  if (fresh === readOrNull(COMMITTED_DTS)) return 0;
  if (updateDts) {
    fs.writeFileSync(path.join(root, COMMITTED_DTS), fresh);
    console.log(`build:native: ${COMMITTED_DTS} now declares the binding just built; commit it with the Rust change.`);
    return 0;
  }
  console.warn(
    `build:native: warning: ${COMMITTED_DTS} does not declare the binding just built (${GENERATED_DTS} differs); ` +
      "run `npm run build:native -- --update-dts` and commit it.",
  );
  return 0;
}

process.exitCode = main();
