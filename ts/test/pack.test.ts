// The package as a user meets it: the per-platform packages in npm/ are what napi-rs's release
// tooling expects, and a packed tmake plus its linux-x64-gnu binary package install into an
// empty folder where `npx tmake` runs on the native backend and builds a Makefile.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectLibc, platformTriple, type Libc } from "../src/native/platform.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const rootManifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  version: string;
  napi: { binaryName: string; packageName: string; targets: string[] };
};
const { binaryName, packageName, targets } = rootManifest.napi;
const napiCli = path.join(repoRoot, "node_modules/@napi-rs/cli/dist/cli.js");

interface PlatformManifest {
  name: string;
  version: string;
  os: string[];
  cpu: string[];
  libc?: string[];
  main: string;
  files: string[];
}

function readManifest(dir: string): PlatformManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PlatformManifest;
}

function platformDirs(npmDir: string): string[] {
  return fs
    .readdirSync(npmDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** process.env without npm's per-run variables (npm_config_prefix and friends would point a
 * nested npm at this repository) and without the backend switches. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    if (k === "INIT_CWD" || k === "TMAKE_NATIVE" || k === "TMAKE_NATIVE_PATH") continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(extraEnv), encoding: "utf8", timeout: 240_000 });
  if (r.error) throw r.error;
  return r;
}

/** Runs a command that must succeed; its output goes into the failure message otherwise. */
function must(command: string, args: string[], cwd: string): string {
  const r = run(command, args, cwd);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** A command's stderr without npm's own "npm warn ..." lines (npx adds them for the machine's npm
 * configuration; they are not tmake's output). */
function ownStderr(r: SpawnSyncReturns<string>): string {
  return r.stderr
    .split("\n")
    .filter((line) => !line.startsWith("npm warn "))
    .join("\n")
    .trim();
}

describe("platform packages (npm/)", () => {
  const npmDir = path.join(repoRoot, "npm");
  const dirs = platformDirs(npmDir);

  it("has one folder per napi target", () => {
    expect(dirs).toHaveLength(targets.length);
  });

  it("names each package and binary as the loader looks for them", () => {
    for (const dir of dirs) {
      const m = readManifest(path.join(npmDir, dir));
      // The loader computes the folder name from os/cpu/libc, so a package installed on its own
      // platform is the one it requires.
      const libc = m.libc?.[0] as Libc | undefined;
      expect(platformTriple(m.os[0] as NodeJS.Platform, m.cpu[0], libc), dir).toBe(dir);
      expect(m.name).toBe(`${packageName}-${dir}`);
      expect(m.version).toBe(rootManifest.version);
      expect(m.main).toBe(`${binaryName}.${dir}.node`);
      expect(m.files).toEqual([m.main]);
    }
  });

  it("are all built, tested and published by the release workflow", () => {
    const workflow = fs.readFileSync(path.join(repoRoot, ".github/workflows/release.yml"), "utf8");
    const values = (key: string): string[] => [...workflow.matchAll(new RegExp(`^\\s+(?:- )?${key}: (\\S+)$`, "gm"))].map((m) => m[1]!);
    expect(values("target").sort()).toEqual([...targets].sort());
    // Each platform appears once in the build matrix and once in the test matrix.
    expect(values("platform").sort()).toEqual([...dirs, ...dirs].sort());
  });

  it("matches what `napi create-npm-dirs` generates from package.json", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-npmdirs-"));
    try {
      fs.copyFileSync(path.join(repoRoot, "package.json"), path.join(tmp, "package.json"));
      must(process.execPath, [napiCli, "create-npm-dirs", "--cwd", tmp], tmp);
      expect(platformDirs(path.join(tmp, "npm"))).toEqual(dirs);
      for (const dir of dirs) {
        expect(readManifest(path.join(npmDir, dir)), dir).toEqual(readManifest(path.join(tmp, "npm", dir)));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------

const PLATFORM = "linux-x64-gnu";
const localBinary = path.join(repoRoot, `${binaryName}.${PLATFORM}.node`);
const cliMain = path.join(repoRoot, "dist/cli/main.js");

function whyNotPack(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64" || detectLibc() !== "glibc") {
    return `runs on linux-x64 (glibc) only; this is ${platformTriple()}`;
  }
  if (!fs.existsSync(localBinary)) return `no native binary at ${localBinary} (run \`npm run build:native\`)`;
  if (!fs.existsSync(cliMain)) return `the CLI is not built (${cliMain} is missing)`;
  return undefined;
}

const skipPack = whyNotPack();
if (skipPack) console.warn(`pack test skipped: ${skipPack}`);

describe.skipIf(skipPack !== undefined)("packed and installed as a user would", () => {
  let work = "";
  let app = "";

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-pack-"));

    // Stage the release as the publish job does: the main package's files, npm/ with the
    // binaries moved in, then `napi pre-publish` writes the optionalDependencies. Only this
    // platform's binary can be built here; the other folders get placeholders so pre-publish's
    // checks pass, and they are never packed.
    const stage = path.join(work, "stage");
    fs.mkdirSync(stage);
    fs.copyFileSync(path.join(repoRoot, "package.json"), path.join(stage, "package.json"));
    for (const extra of ["README.md", "LICENSE"]) {
      if (fs.existsSync(path.join(repoRoot, extra))) fs.copyFileSync(path.join(repoRoot, extra), path.join(stage, extra));
    }
    fs.cpSync(path.join(repoRoot, "dist"), path.join(stage, "dist"), { recursive: true });
    fs.cpSync(path.join(repoRoot, "npm"), path.join(stage, "npm"), { recursive: true });
    for (const dir of platformDirs(path.join(stage, "npm"))) {
      const binary = path.join(stage, "npm", dir, `${binaryName}.${dir}.node`);
      if (dir === PLATFORM) fs.copyFileSync(localBinary, binary);
      else fs.writeFileSync(binary, `placeholder for ${dir}: not built on this machine\n`);
    }
    must(process.execPath, [napiCli, "pre-publish", "--cwd", stage, "-t", "npm", "--skip-optional-publish", "--no-gh-release"], stage);

    // `npm pack` as `npm publish` would; prepack (tsc) is skipped because dist/ is already built.
    const pack = (dir: string): string => {
      const out = must("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], dir);
      const [info] = JSON.parse(out) as Array<{ filename: string }>;
      return path.join(work, info!.filename);
    };
    const mainTgz = pack(stage);
    const platformTgz = pack(path.join(stage, "npm", PLATFORM));

    app = path.join(work, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "tmake-pack-app", version: "1.0.0", private: true }));
    must("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", mainTgz, platformTgz], app);
  }, 300_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("installs the binary as its own package, declared as an optional dependency", () => {
    const installed = path.join(app, "node_modules", rootManifest.name);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as {
      optionalDependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.optionalDependencies ?? {}).sort()).toEqual(platformDirs(path.join(repoRoot, "npm")).map((dir) => `${packageName}-${dir}`));
    expect(fs.existsSync(path.join(app, "node_modules", `${packageName}-${PLATFORM}`, `${binaryName}.${PLATFORM}.node`))).toBe(true);
    // The main package carries no binary of its own.
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name]));
    expect(walk(installed).filter((f) => f.endsWith(".node"))).toEqual([]);
  });

  it("`npx tmake --version` reports the native backend", () => {
    const r = run("npx", ["--no-install", "tmake", "--version"], app);
    expect(ownStderr(r)).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toContain(`tmake ${rootManifest.version}`);
    expect(lines).toContain("backend: native");
  });

  it("TMAKE_NATIVE=0 switches the installed tmake to the JS backend", () => {
    const r = run("npx", ["--no-install", "tmake", "--version"], app, { TMAKE_NATIVE: "0" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toContain("backend: js");
  });

  it("builds a Makefile with two rules", () => {
    const project = path.join(app, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Makefile"), "out.txt: mid.txt\n\tcat mid.txt mid.txt > $@\n\nmid.txt:\n\techo hello > $@\n");
    const r = run("npx", ["--no-install", "tmake"], project);
    expect(ownStderr(r)).toBe("");
    expect(r.status).toBe(0);
    // GNU Make echoes each recipe line before running it, prerequisites first.
    expect(r.stdout).toBe("echo hello > mid.txt\ncat mid.txt mid.txt > out.txt\n");
    expect(fs.readFileSync(path.join(project, "out.txt"), "utf8")).toBe("hello\nhello\n");
  });
});
