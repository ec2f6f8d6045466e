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

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JsBackend } from "./js-backend.js";
import { NativeBackend, assertNativeBinding } from "./native-backend.js";
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
          napi?: { binaryName?: string; packageName?: string };
        };
        if (pkg.name === "tmake") {
          return {
            root: dir,
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

function choose(): Chosen {
  const js = (source: string, attempts: string[]): Chosen => ({
    backend: new JsBackend(),
    description: { name: "js", source, attempts },
  });
  const native = (binding: unknown, source: string, attempts: string[]): Chosen => {
    assertNativeBinding(binding);
    return { backend: new NativeBackend(binding, source), description: { name: "native", source, attempts } };
  };

  if (process.env.TMAKE_NATIVE === "0") return js("TMAKE_NATIVE=0", []);

  const pkg = findPackage();
  const require = createRequire(pkg.root ? path.join(pkg.root, "package.json") : import.meta.url);

  const explicit = process.env.TMAKE_NATIVE_PATH;
  if (explicit) {
    const file = path.resolve(explicit);
    try {
      return native(require(file), file, []);
    } catch (err) {
      const reason = firstLine(err);
      process.stderr.write(
        `tmake: warning: cannot load the native backend from TMAKE_NATIVE_PATH=${explicit}: ${reason}; using the JS backend\n`,
      );
      return js("TMAKE_NATIVE_PATH failed to load", [`${file}: ${reason}`]);
    }
  }

  const attempts: string[] = [];
  const triple = platformTriple();

  if (pkg.root) {
    const local = path.join(pkg.root, `${pkg.binaryName}.${triple}.node`);
    if (existsSync(local)) {
      try {
        return native(require(local), local, attempts);
      } catch (err) {
        attempts.push(`${local}: ${firstLine(err)}`);
      }
    } else {
      attempts.push(`${local}: not built`);
    }
  }

  const platformPackage = `${pkg.packageName}-${triple}`;
  try {
    return native(require(platformPackage), platformPackage, attempts);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    attempts.push(`${platformPackage}: ${code === "MODULE_NOT_FOUND" ? "not installed" : firstLine(err)}`);
  }

  return js("no native binary for this platform", attempts);
}
