// Chooses the backend once per process: the napi-rs binary when one loads, else the JS fallback.
//
// Where the binary is looked for, in order:
//   1. TMAKE_NATIVE_PATH, an explicit .node file. If it fails to load, one warning line goes to
//      stderr and the JS backend is used (the user asked for that file, so no other binary is
//      silently substituted for it).
//   2. The local build in the package root, <binaryName>.<platform>.node, which
//      `npm run build:native` (napi build --platform) leaves there.
//   3. The per-platform package <packageName>-<platform> (e.g. @tmake/native-linux-x64-gnu),
//      an optionalDependency of the published package.
// TMAKE_NATIVE=0 skips all three.
//
// A binary is used only when its version (nativeVersion(), the crates' workspace version) is
// the package's: a binary built from other sources may lack an export or give one another
// meaning, so it is never called. A mismatch is not an error, since the JS backend gives the same
// answers (ts/test/native-agreement.test.ts), only slower; but a build that silently got slower
// would go unexplained, so when no binary is used because of its version, one warning line on
// stderr says which binary and how to get a matching one.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JsBackend } from "./js-backend.js";
import { NativeBackend, type NativeBinding } from "./native-backend.js";
import { platformTriple } from "./platform.js";
import type { Backend } from "./types.js";

export type { Backend, Candidate, FileHash, HashAlgorithm, PatternInfo, PatternSet } from "./types.js";

/** Defaults matching the "napi" section of package.json, used if that file cannot be read. */
const DEFAULT_BINARY_NAME = "tmake";
const DEFAULT_PACKAGE_NAME = "@tmake/native";

/** How the backend was chosen, for `--version` and debugging. */
export interface BackendDescription {
  name: "native" | "js";
  /** The file or package the binary came from; for js, why no binary was used. */
  source: string;
  /** Every place tried without success, with the reason. */
  attempts: string[];
}

interface Chosen {
  backend: Backend;
  description: BackendDescription;
}

let chosen: Chosen | undefined;

/** The backend for this process (chosen on first call, then cached). */
export function loadBackend(): Backend {
  chosen ??= choose();
  return chosen.backend;
}

/** "native" or "js": which backend loadBackend() returns. */
export function backendName(): "native" | "js" {
  return loadBackend().name;
}

/** Which backend was chosen, from where, and what was tried first. */
export function describeBackend(): BackendDescription {
  chosen ??= choose();
  return { ...chosen.description, attempts: chosen.description.attempts.slice() };
}

interface PackageInfo {
  /** Folder holding tmake's package.json, if found. */
  root?: string;
  /** Its version: every binary must give this one. */
  version?: string;
  binaryName: string;
  packageName: string;
}

/** Finds tmake's own package root by walking up from this module (ts/src/native when run from
 * source, dist/native when built, node_modules/tmake/dist/native when installed). */
function findPackage(): PackageInfo {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
          name?: string;
          version?: string;
          napi?: { binaryName?: string; packageName?: string };
        };
        if (pkg.name === "tmake") {
          return {
            root: dir,
            version: pkg.version,
            binaryName: pkg.napi?.binaryName ?? DEFAULT_BINARY_NAME,
            packageName: pkg.napi?.packageName ?? DEFAULT_PACKAGE_NAME,
          };
        }
      } catch {
        // An unreadable package.json on the way up is not ours; keep walking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { binaryName: DEFAULT_BINARY_NAME, packageName: DEFAULT_PACKAGE_NAME };
    dir = parent;
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n", 1)[0]!.trim();
}

/** A loaded module that is not a binding tmake may call: not ours, or built from another
 * version (then `version` says which). */
class UnusableBinary extends Error {
  constructor(
    message: string,
    readonly version?: string,
  ) {
    super(message);
  }
}

/** Returns `mod` as the binding when it is one and its version is `expected`; throws
 * UnusableBinary otherwise. */
function checkedBinding(mod: unknown, expected: string | undefined): NativeBinding {
  const nativeVersion = (mod as { nativeVersion?: unknown } | null)?.nativeVersion;
  if (typeof nativeVersion !== "function") throw new UnusableBinary("not a tmake native binding (it exports no nativeVersion)");
  const version = String(nativeVersion());
  if (expected === undefined) throw new UnusableBinary(`it is version ${version}, and tmake's package.json gives no version`, version);
  if (version !== expected) throw new UnusableBinary(`it is version ${version}, tmake is version ${expected}`, version);
  return mod as NativeBinding;
}

function chosenJs(source: string, attempts: string[]): Chosen {
  return { backend: new JsBackend(), description: { name: "js", source, attempts } };
}

/** The native backend over `mod`, when checkedBinding accepts it (it throws otherwise). */
function chosenNative(mod: unknown, pkg: PackageInfo, source: string, attempts: string[]): Chosen {
  return {
    backend: new NativeBackend(checkedBinding(mod, pkg.version), source),
    description: { name: "native", source, attempts },
  };
}

function choose(): Chosen {
  if (process.env.TMAKE_NATIVE === "0") return chosenJs("TMAKE_NATIVE=0", []);
  const pkg = findPackage();
  const require = createRequire(pkg.root ? path.join(pkg.root, "package.json") : import.meta.url);
  const explicit = process.env.TMAKE_NATIVE_PATH;
  return explicit ? loadExplicit(explicit, pkg, require) : search(pkg, require);
}

/** TMAKE_NATIVE_PATH: that file or, with a warning, the JS backend. */
function loadExplicit(explicit: string, pkg: PackageInfo, require: NodeJS.Require): Chosen {
  const file = path.resolve(explicit);
  try {
    return chosenNative(require(file), pkg, file, []);
  } catch (err) {
    const reason = firstLine(err);
    process.stderr.write(`tmake: warning: cannot load the native backend from TMAKE_NATIVE_PATH=${explicit}: ${reason}; using the JS backend\n`);
    return chosenJs("TMAKE_NATIVE_PATH failed to load", [`${file}: ${reason}`]);
  }
}

/** The local build, then the platform package, then the JS backend (with a warning when a
 * binary was there but of another version). */
function search(pkg: PackageInfo, require: NodeJS.Require): Chosen {
  const attempts: string[] = [];
  /** The first binary refused for its version, and how to get a matching one. */
  let stale: { source: string; reason: string; remedy: string } | undefined;
  const tryLoad = (source: string, remedy: string): Chosen | undefined => {
    let mod: unknown;
    try {
      mod = require(source);
    } catch (err) {
      // (The local build is only required when its file exists.)
      const code = (err as NodeJS.ErrnoException).code;
      attempts.push(`${source}: ${code === "MODULE_NOT_FOUND" ? "not installed" : firstLine(err)}`);
      return undefined;
    }
    try {
      return chosenNative(mod, pkg, source, attempts);
    } catch (err) {
      const reason = firstLine(err);
      attempts.push(`${source}: ${reason}`);
      if (err instanceof UnusableBinary && err.version !== undefined) stale ??= { source, reason, remedy };
      return undefined;
    }
  };

  const triple = platformTriple();
  if (pkg.root) {
    const local = path.join(pkg.root, `${pkg.binaryName}.${triple}.node`);
    if (!existsSync(local)) attempts.push(`${local}: not built`);
    else {
      const found = tryLoad(local, "rebuild it with `npm run build:native`");
      if (found) return found;
    }
  }
  const platformPackage = `${pkg.packageName}-${triple}`;
  const found = tryLoad(platformPackage, `reinstall tmake, which depends on ${platformPackage} at its own version`);
  if (found) return found;

  if (!stale) return chosenJs("no native binary for this platform", attempts);
  process.stderr.write(`tmake: warning: not using the native backend ${stale.source}: ${stale.reason} (${stale.remedy}); using the JS backend\n`);
  return chosenJs("native binary of another version", attempts);
}
