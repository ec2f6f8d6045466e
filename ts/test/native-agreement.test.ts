// Both backends (the napi-rs binary and the JS fallback) against the same cases: every case's
// expected value is written out below and both must produce it, and on bulk inputs the native
// backend's results must equal the JS backend's exactly.
//
// The native half runs when a binary loads (`npm run build:native`); otherwise it says so and
// only the JS backend is checked. TMAKE_REQUIRE_NATIVE=1 (set by the release workflow) turns a
// missing binary into a failure.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBackend, loadBackend } from "../src/native/index.js";
import { JsBackend } from "../src/native/js-backend.js";
import { platformTriple } from "../src/native/platform.js";
import type { Backend, Candidate, HashAlgorithm } from "../src/native/types.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const packageVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
const distIndex = path.join(repoRoot, "dist/native/index.js");
const localBinary = path.join(repoRoot, `tmake.${platformTriple()}.node`);

// The backend the loader picks in this process, unless the environment forces JS.
const loaded = process.env.TMAKE_NATIVE === "0" ? undefined : loadBackend();
const native: Backend | undefined = loaded?.name === "native" ? loaded : undefined;
if (!native) {
  const why = describeBackend();
  const message = `native backend not loaded (${why.source}${why.attempts.length ? `: ${why.attempts.join("; ")}` : ""})`;
  if (process.env.TMAKE_REQUIRE_NATIVE === "1") throw new Error(`TMAKE_REQUIRE_NATIVE=1 but ${message}`);
  console.warn(`native-agreement: ${message}; checking the JS backend only (run \`npm run build:native\`).`);
}

const backends: Backend[] = [new JsBackend(), ...(native ? [native] : [])];

/** Candidates as [pattern, ...bindings] rows, for compact expectations. */
function rows(found: Candidate[]): Array<[number, ...string[]]> {
  return found.map((c) => [c.pattern, ...c.bindings]);
}

describe.each(backends.map((b) => [b.name, b] as const))("matcher (%s backend)", (_name, backend) => {
  const match = (patterns: string[], name: string) => rows(backend.compilePatterns(patterns).matchBatch([name])[0]!);

  it("binds GNU's % stem, one or more characters", () => {
    expect(match(["%.o"], "foo.o")).toEqual([[0, "foo"]]);
    expect(match(["lib%.a"], "libm.a")).toEqual([[0, "m"]]);
    expect(match(["%.o"], ".o")).toEqual([]);
    expect(match(["a%b"], "ab")).toEqual([]);
  });

  it("binds $X, $(NAME) and ${NAME} wildcards", () => {
    const set = backend.compilePatterns(["align-$X-$(LONG)-${Z}.out", "$X.$(X).${X}"]);
    expect(set.size).toBe(2);
    expect(set.info(0)).toEqual({ source: "align-$X-$(LONG)-${Z}.out", wildcards: ["X", "LONG", "Z"] });
    expect(set.info(1)).toEqual({ source: "$X.$(X).${X}", wildcards: ["X"] });
    expect(rows(set.matchBatch(["align-a-bb-c.out"])[0]!)).toEqual([[0, "a", "bb", "c"]]);
    expect(rows(set.matchBatch(["q.q.q"])[0]!)).toEqual([[1, "q"]]);
  });

  it("makes a repeated name bind the same text", () => {
    expect(match(["$(A)-$(A)"], "ab-ab")).toEqual([[0, "ab"]]);
    expect(match(["$(A)-$(A)"], "ab-ac")).toEqual([]);
    // X="a" leaves ".a.a" unmatched; only X="a.a" works.
    expect(match(["$X.$X"], "a.a.a.a")).toEqual([[0, "a.a"]]);
  });

  it("returns every split, first wildcard shortest first, last varying fastest", () => {
    expect(match(["align-$X-$Y"], "align-a-b-c")).toEqual([
      [0, "a", "b-c"],
      [0, "a-b", "c"],
    ]);
    expect(match(["$A$B$C"], "abcd")).toEqual([
      [0, "a", "b", "cd"],
      [0, "a", "bc", "d"],
      [0, "ab", "c", "d"],
    ]);
    const set = backend.compilePatterns(["$D/%.$(EXT)"]);
    expect(set.info(0).wildcards).toEqual(["D", "%", "EXT"]);
    expect(rows(set.matchBatch(["x/y/z.tar.gz"])[0]!)).toEqual([
      [0, "x", "y/z", "tar.gz"],
      [0, "x", "y/z.tar", "gz"],
      [0, "x/y", "z", "tar.gz"],
      [0, "x/y", "z.tar", "gz"],
    ]);
  });

  it("lists candidates of several patterns in compiled order", () => {
    const set = backend.compilePatterns(["%.o", "$X.$Y", "lib%.o", "all", "%.c"]);
    expect(rows(set.matchBatch(["libm.o"])[0]!)).toEqual([
      [0, "libm"],
      [1, "libm", "o"],
      [2, "m"],
    ]);
    expect(rows(set.matchBatch(["all"])[0]!)).toEqual([[3]]);
  });

  it("finds nothing for a name no pattern fits", () => {
    const set = backend.compilePatterns(["%.o", "align-$X-$Y", "all"]);
    expect(set.matchBatch(["bar.c", "align--", "al", ""])).toEqual([[], [], [], []]);
  });

  it("treats $$ as a literal dollar", () => {
    expect(match(["cost$$%"], "cost$5")).toEqual([[0, "5"]]);
    expect(match(["$$X"], "$X")).toEqual([[0]]);
    expect(match(["$$X"], "aX")).toEqual([]);
  });

  it("binds whole characters, never half of one", () => {
    expect(match(["é$é-$(größe)ü"], "éaé-bü")).toEqual([[0, "aé", "b"]]);
    expect(match(["$X$Y"], "😀a😀")).toEqual([
      [0, "😀", "a😀"],
      [0, "😀a", "😀"],
    ]);
    expect(match(["%"], "😀")).toEqual([[0, "😀"]]);
  });

  it("answers a batch in the order of the names", () => {
    const set = backend.compilePatterns(["%.o", "$X-$Y"]);
    const names = ["a.o", "nothing", "p-q", "b-c.o", "a.o"];
    expect(set.matchBatch(names).map(rows)).toEqual([
      [[0, "a"]],
      [],
      [[1, "p", "q"]],
      [
        [0, "b-c"],
        [1, "b", "c.o"],
      ],
      [[0, "a"]],
    ]);
    expect(set.matchBatch([])).toEqual([]);
  });

  it("rejects bad patterns with the same message", () => {
    const bad: Array<[string, string]> = [
      ["", "the pattern is empty"],
      ["%a%", "more than one '%' (the second is at offset 2); a pattern has at most one stem"],
      ["é%é%", "more than one '%' (the second is at offset 5); a pattern has at most one stem"],
      ["x$(NAME", "unterminated wildcard reference '$(' at offset 1 (missing ')')"],
      ["${NAME)", "unterminated wildcard reference '${' at offset 0 (missing '}')"],
      ["a$()", "empty wildcard name in '$()' at offset 1"],
      [
        "$(subst a,b,c)",
        "'$(subst a,b,c)' at offset 0 is not a wildcard name (names contain no '$', brackets or whitespace; " +
          "function calls must be expanded before matching)",
      ],
      ["a$", "'$' at the end of the pattern (write '$$' for a literal '$')"],
      ["a$ b", "'$' followed by whitespace at offset 1 (write '$$' for a literal '$')"],
    ];
    for (const [pattern, reason] of bad) {
      expect(() => backend.compilePatterns(["%.o", pattern]), pattern).toThrow(new Error(`bad target pattern '${pattern}': ${reason}`));
    }
  });

  it("refuses an out-of-range pattern index", () => {
    expect(() => backend.compilePatterns(["%.o"]).info(1)).toThrow(new Error("pattern index 1 out of range (size 1)"));
  });
});

// ---------------------------------------------------------------------------------------------
// Hashing. Digests below were computed with coreutils md5sum and b3sum on the same bytes.

/** The multi-MB file: byte i is (7i + i/2048) mod 256, over 5 MiB + 4099 bytes (an odd size, so
 * the last chunk is partial whatever the reader's chunk size). */
const BIG_SIZE = 5 * 1024 * 1024 + 4099;
function bigFileBytes(): Buffer {
  const b = Buffer.alloc(BIG_SIZE);
  for (let i = 0; i < BIG_SIZE; i++) b[i] = (i * 7 + (i >>> 11)) & 255;
  return b;
}

const SMALL_TEXT = "all: hello\n\thello world\n";

const KNOWN: Record<"empty" | "small" | "big", { size: number } & Record<HashAlgorithm, string>> = {
  empty: {
    size: 0,
    md5: "d41d8cd98f00b204e9800998ecf8427e",
    blake3: "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
  },
  small: {
    size: 24,
    md5: "aa03647039ca431a4027fa107f34d8b6",
    blake3: "f8225c9843f99ebb75c832009455cebe8a31a55e1861f110bb5f8c4acf6a55ce",
  },
  big: {
    size: BIG_SIZE,
    md5: "0b82711d011baccf83796ac82f7daa2e",
    blake3: "877e12fa5852bba93d0bd181793ba4d4af6188d750636cf177b6220cb8364f35",
  },
};

let dir = "";
const file = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-native-"));
  fs.writeFileSync(file("empty.txt"), "");
  fs.writeFileSync(file("small.txt"), SMALL_TEXT);
  fs.writeFileSync(file("big.bin"), bigFileBytes());
  fs.mkdirSync(file("subdir"));
  for (let i = 0; i < 40; i++) fs.writeFileSync(file(`many-${i}.txt`), `file ${i}\n`.repeat(i * 37));
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(backends.map((b) => [b.name, b] as const))("statMtimes (%s backend)", (_name, backend) => {
  it("gives Node's mtimeMs, -1 for a missing path or one below a file, in order", async () => {
    const when = new Date("2021-03-04T05:06:07.250Z");
    fs.utimesSync(file("small.txt"), when, when);
    const got = await backend.statMtimes([file("small.txt"), file("no-such-file"), file("small.txt/below"), file("subdir"), file("small.txt")]);
    expect(got).toBeInstanceOf(Float64Array);
    expect([...got]).toEqual([when.getTime(), -1, -1, fs.statSync(file("subdir")).mtimeMs, when.getTime()]);
  });

  it("gives one time per path, none for no paths and -1 for an empty one", async () => {
    expect([...(await backend.statMtimes([]))]).toEqual([]);
    expect([...(await backend.statMtimes([""]))]).toEqual([-1]);
    expect([...(await backend.statMtimes(["", file("empty.txt"), ""]))]).toEqual([-1, fs.statSync(file("empty.txt")).mtimeMs, -1]);
  });

  it("agrees with fs.statSync to the fraction of a millisecond", async () => {
    const paths = Array.from({ length: 40 }, (_, i) => file(`many-${i}.txt`));
    const got = await backend.statMtimes(paths);
    expect([...got]).toEqual(paths.map((p) => fs.statSync(p).mtimeMs));
  });

  it.skipIf(process.platform === "win32")("gives NaN for a stat that fails otherwise (a symbolic link loop)", async () => {
    fs.symlinkSync(file("loop-a"), file("loop-b"));
    fs.symlinkSync(file("loop-b"), file("loop-a"));
    const got = await backend.statMtimes([file("loop-a"), file("empty.txt")]);
    fs.rmSync(file("loop-a"));
    fs.rmSync(file("loop-b"));
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[1]).toBe(fs.statSync(file("empty.txt")).mtimeMs);
  });
});

describe.each(backends.map((b) => [b.name, b] as const))("startListing (%s backend)", (_name, backend) => {
  it("gives readdirSync's entries (order aside), null for a directory that cannot be read", () => {
    const listing = backend.startListing(dir);
    // Made after the read started: the listing may or may not hold it, so it is compared
    // against what the directory held before and after.
    fs.writeFileSync(file("late.txt"), "");
    const got = listing.take()!.sort();
    fs.rmSync(file("late.txt"));
    const before = fs.readdirSync(dir).sort();
    expect(got.filter((n) => n !== "late.txt")).toEqual(before);
    expect(got).toContain("subdir");
    expect(backend.startListing(file("subdir")).take()).toEqual([]);
    expect(backend.startListing(file("no-such-dir")).take()).toBeNull();
    expect(backend.startListing(file("small.txt")).take()).toBeNull();
  });

  it("reads thousands of entries, names with any characters", () => {
    const big = file("listing-many");
    fs.mkdirSync(big, { recursive: true });
    const names = [...Array.from({ length: 3000 }, (_, i) => `f${i}.fa`), "é 日本 😀", "a\tb", "-x"];
    for (const n of names) fs.writeFileSync(path.join(big, n), "");
    expect(backend.startListing(big).take()!.sort()).toEqual([...names].sort());
  });
});

describe.each(backends.map((b) => [b.name, b] as const))("hasher (%s backend)", (_name, backend) => {
  it.each(["md5", "blake3"] as const)("digests empty, small and multi-MB files (%s)", async (algorithm) => {
    const got = await backend.hashFiles([file("empty.txt"), file("small.txt"), file("big.bin")], algorithm);
    expect(got).toEqual([
      { path: file("empty.txt"), hex: KNOWN.empty[algorithm], size: KNOWN.empty.size },
      { path: file("small.txt"), hex: KNOWN.small[algorithm], size: KNOWN.small.size },
      { path: file("big.bin"), hex: KNOWN.big[algorithm], size: KNOWN.big.size },
    ]);
  });

  it.each(["md5", "blake3"] as const)("reports a missing file without failing the batch (%s)", async (algorithm) => {
    const got = await backend.hashFiles([file("small.txt"), file("no-such-file"), file("empty.txt")], algorithm);
    expect(got).toEqual([
      { path: file("small.txt"), hex: KNOWN.small[algorithm], size: KNOWN.small.size },
      { path: file("no-such-file"), error: "ENOENT: no such file or directory" },
      { path: file("empty.txt"), hex: KNOWN.empty[algorithm], size: 0 },
    ]);
  });

  it.skipIf(process.platform === "win32")("reports a directory as an error", async () => {
    const [got] = await backend.hashFiles([file("subdir")], "md5");
    expect(got).toEqual({ path: file("subdir"), error: "EISDIR: illegal operation on a directory" });
  });

  it("keeps the order of the paths, duplicates included", async () => {
    const paths = [file("big.bin"), file("small.txt"), file("big.bin"), file("empty.txt")];
    const got = await backend.hashFiles(paths, "md5");
    expect(got.map((h) => [h.path, h.hex])).toEqual([
      [file("big.bin"), KNOWN.big.md5],
      [file("small.txt"), KNOWN.small.md5],
      [file("big.bin"), KNOWN.big.md5],
      [file("empty.txt"), KNOWN.empty.md5],
    ]);
    expect(await backend.hashFiles([], "blake3")).toEqual([]);
  });

  it("rejects an unknown algorithm", async () => {
    await expect(backend.hashFiles([file("small.txt")], "sha1" as HashAlgorithm)).rejects.toThrow("unknown hash algorithm: sha1 (expected md5 or blake3)");
  });
});

// ---------------------------------------------------------------------------------------------
// Bulk agreement: the native backend must give exactly what the JS backend gives.

describe.skipIf(!native)("native and JS backends agree on bulk input", () => {
  const js = new JsBackend();

  /** A deterministic spread of names: extensions, dashes, slashes, repeats, non-ASCII. */
  function names(count: number): string[] {
    const parts = ["a", "b", "ab", "x-y", "dir/", "é", "😀", ".", "-", "lib", "o", "c", "tar.gz"];
    const out: string[] = [];
    let seed = 12345;
    for (let i = 0; i < count; i++) {
      let name = "";
      const len = 1 + (i % 7);
      for (let j = 0; j < len; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        name += parts[seed % parts.length];
      }
      out.push(name);
    }
    return out;
  }

  it("matches thousands of names against a mixed pattern set identically", () => {
    // Over the native matcher's parallel threshold (1024), so its threaded path is compared too.
    const patterns = ["%.o", "lib%.a", "$X-$Y", "$A$B$C", "$D/%.$(EXT)", "$(N)-$(N)", "%ab", "a$Xb", "all", "é%😀"];
    const batch = names(3000);
    const fromNative = native!.compilePatterns(patterns).matchBatch(batch);
    const fromJs = js.compilePatterns(patterns).matchBatch(batch);
    expect(fromNative).toEqual(fromJs);
    // The comparison means something only if many names matched in several ways.
    expect(fromJs.filter((c) => c.length > 1).length).toBeGreaterThan(300);
  });

  it("unpacks the binding's flat answer into exactly its object answer", () => {
    // NativeBackend reads matchJoined; the binding's matchBatch builds the same objects in Rust.
    const binding = createRequire(import.meta.url)(describeBackend().source) as {
      NativePatternSet: new (p: string[]) => { matchBatch(n: string[]): Candidate[][] };
    };
    const patterns = ["$X-$Y", "é%😀", "$A$B", "%.o"];
    const batch = names(2000);
    expect(native!.compilePatterns(patterns).matchBatch(batch)).toEqual(new binding.NativePatternSet(patterns).matchBatch(batch));
  });

  it("hashes many files identically with both algorithms", async () => {
    const paths = [...Array.from({ length: 40 }, (_, i) => file(`many-${i}.txt`)), file("missing"), file("big.bin")];
    for (const algorithm of ["md5", "blake3"] as const) {
      expect(await native!.hashFiles(paths, algorithm)).toEqual(await js.hashFiles(paths, algorithm));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Backend selection, in fresh processes (the choice is made once per process).

/** process.env with `overrides` applied; an undefined value removes the variable. */
function envWith(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Imports the loader from `indexJs` in a new node process and reports its choice. */
function selectIn(overrides: Record<string, string | undefined>, indexJs = distIndex): { stdout: string; stderr: string; status: number | null } {
  const script = `import { describeBackend, backendName } from ${JSON.stringify(pathToFileURL(indexJs).href)};
const d = describeBackend();
console.log(JSON.stringify({ name: backendName(), source: d.source, attempts: d.attempts }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: envWith(overrides),
    encoding: "utf8",
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("backend selection", () => {
  const clean = { TMAKE_NATIVE: undefined, TMAKE_NATIVE_PATH: undefined };

  it("TMAKE_NATIVE=0 forces the JS backend", () => {
    const r = selectIn({ ...clean, TMAKE_NATIVE: "0" });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "js", source: "TMAKE_NATIVE=0" });
    expect(r.stderr).toBe("");
  });

  it("a TMAKE_NATIVE_PATH that does not exist warns once and falls back to JS", () => {
    const missing = path.join(os.tmpdir(), "tmake-no-such-binary.node");
    const r = selectIn({ ...clean, TMAKE_NATIVE_PATH: missing });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe("js");
    const lines = r.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tmake: warning: cannot load the native backend from TMAKE_NATIVE_PATH=.*tmake-no-such-binary\.node: .*; using the JS backend$/);
  });

  it("a TMAKE_NATIVE_PATH that is not the binding warns once and falls back to JS", () => {
    const fake = path.join(dir, "fake-binding.cjs");
    fs.writeFileSync(fake, "module.exports = { hashFiles() {} };\n");
    const r = selectIn({ ...clean, TMAKE_NATIVE_PATH: fake });
    expect(JSON.parse(r.stdout).name).toBe("js");
    expect(r.stderr.trim()).toBe(
      `tmake: warning: cannot load the native backend from TMAKE_NATIVE_PATH=${fake}: ` +
        "not a tmake native binding (it exports no nativeVersion); using the JS backend",
    );
  });

  it("a TMAKE_NATIVE_PATH binding of another version is not called: one warning, then JS", () => {
    // Every other export throws: the loader must ask for the version and nothing else.
    const other = path.join(dir, "other-version.cjs");
    fs.writeFileSync(
      other,
      'module.exports = new Proxy({ nativeVersion: () => "0.0.1-other" }, { get: (t, k) => t[k] ?? (() => { throw new Error("called " + String(k)); }) });\n',
    );
    const r = selectIn({ ...clean, TMAKE_NATIVE_PATH: other });
    expect(JSON.parse(r.stdout).name).toBe("js");
    expect(r.stderr.trim()).toBe(
      `tmake: warning: cannot load the native backend from TMAKE_NATIVE_PATH=${other}: ` +
        `it is version 0.0.1-other, tmake is version ${packageVersion}; using the JS backend`,
    );
  });

  it("the crates' version is the package's (the loader refuses a binary of any other)", () => {
    const workspace = fs.readFileSync(path.join(repoRoot, "Cargo.toml"), "utf8");
    expect(/^\[workspace\.package\][^[]*^version = "([^"]+)"$/m.exec(workspace)?.[1]).toBe(packageVersion);
  });

  it("without a binary the JS backend is chosen quietly, saying what was tried", () => {
    // Point the local-build lookup nowhere by running a copy of dist/native outside the repo.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-nobinary-"));
    try {
      for (const dir of ["dist/native", "dist/base"]) fs.cpSync(path.join(repoRoot, dir), path.join(copy, dir), { recursive: true });
      fs.writeFileSync(path.join(copy, "package.json"), JSON.stringify({ name: "tmake", type: "module" }));
      fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(copy, "node_modules"), "junction");
      const r = selectIn(clean, path.join(copy, "dist/native/index.js"));
      expect(r.stderr).toBe("");
      const d = JSON.parse(r.stdout);
      expect(d.name).toBe("js");
      expect(d.attempts).toEqual([`${path.join(copy, `tmake.${platformTriple()}.node`)}: not built`, `@tmake/native-${platformTriple()}: not installed`]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it.skipIf(!native || !fs.existsSync(localBinary))("a local build of another version warns once and falls back to JS", () => {
    // The package root of a copy says version 9.9.9; the binary next to it is this build's.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-stale-"));
    try {
      for (const dir of ["dist/native", "dist/base"]) fs.cpSync(path.join(repoRoot, dir), path.join(copy, dir), { recursive: true });
      fs.writeFileSync(path.join(copy, "package.json"), JSON.stringify({ name: "tmake", version: "9.9.9", type: "module" }));
      fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(copy, "node_modules"), "junction");
      const stale = path.join(copy, `tmake.${platformTriple()}.node`);
      fs.copyFileSync(localBinary, stale);
      const r = selectIn(clean, path.join(copy, "dist/native/index.js"));
      const d = JSON.parse(r.stdout);
      expect(d).toMatchObject({ name: "js", source: "native binary of another version" });
      expect(d.attempts).toEqual([`${stale}: it is version ${packageVersion}, tmake is version 9.9.9`, `@tmake/native-${platformTriple()}: not installed`]);
      expect(r.stderr).toBe(
        `tmake: warning: not using the native backend ${stale}: it is version ${packageVersion}, tmake is version 9.9.9 ` +
          "(rebuild it with `npm run build:native`); using the JS backend\n",
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it.skipIf(!native)("TMAKE_NATIVE_PATH loads the binary from anywhere", () => {
    const elsewhere = path.join(dir, "copied.node");
    fs.copyFileSync(localBinary, elsewhere);
    const r = selectIn({ ...clean, TMAKE_NATIVE_PATH: elsewhere });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "native", source: elsewhere });
  });

  it.skipIf(!native || !fs.existsSync(localBinary))("the local build in the package root is found by default", () => {
    const r = selectIn(clean);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "native", source: localBinary });
  });
});

describe.each(backends.map((b) => [b.name, b] as const))("statIdentities and readSmallFiles (%s backend)", (_name, backend) => {
  it("gives Node's bigint identity of regular files, nothing for the rest", async () => {
    const got = await backend.statIdentities([file("small.txt"), file("no-such-file"), file("subdir"), ""]);
    const st = fs.statSync(file("small.txt"), { bigint: true });
    expect(got).toEqual([
      { id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`, size: Number(st.size), mtimeMs: fs.statSync(file("small.txt")).mtimeMs },
      undefined,
      undefined,
      undefined,
    ]);
    expect(await backend.statIdentities([])).toEqual([]);
  });

  it("reads small files whole, with their times, and leaves out large, binary and missing ones", async () => {
    fs.writeFileSync(file("record.txt"), 'md5_hash("é",1,"x").\n');
    fs.writeFileSync(file("binary.bin"), Buffer.from([65, 0, 66]));
    const got = await backend.readSmallFiles([file("record.txt"), file("no-such-file"), file("binary.bin"), file("record.txt"), file("subdir")], 1000);
    const record = { text: 'md5_hash("é",1,"x").\n', mtimeMs: fs.statSync(file("record.txt")).mtimeMs };
    expect(got).toEqual([record, undefined, undefined, record, undefined]);
    expect(await backend.readSmallFiles([file("record.txt")], 5)).toEqual([undefined]);
  });
});

describe.each(backends.map((b) => [b.name, b] as const))("readRecords and sameIdentities (%s backend)", (_name, backend) => {
  const H1 = "0123456789abcdef0123456789abcdef";
  const H2 = "fedcba9876543210fedcba9876543210";
  const biomake = (name: string, size: number, deps: [string, number, string][]): string =>
    `md5_hash("${name}",${size},"${H1}").\nmd5_valid("${name}",${size},"${H1}",X)` +
    (deps.length === 0 ? ".\n" : ` :-\n${deps.map(([n, s, h]) => `  md5_check("${n}",${s},"${h}",X)`).join(",\n")}.\n`);
  const id = (p: string): string => {
    const st = fs.statSync(p, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  };

  it("parses the canonical layouts, trusts a record by biomake's rule, and leaves the rest to the caller", async () => {
    const d = fs.mkdtempSync(path.join(dir, "records-"));
    const at = (n: string): string => path.join(d, n);
    fs.writeFileSync(at("t"), "hello");
    fs.writeFileSync(at("src a"), "abc");
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(at("t"), old, old);
    const records: Record<string, string> = {
      ok: biomake("t", 5, [
        ["src a", 3, H2],
        ["gone", 1, H1],
      ]),
      alone: biomake("t", 5, []),
      size: biomake("t", 4, []),
      other: biomake("u", 5, []),
      spaced: biomake("t", 5, []).replace(",5,", ", 5,"),
      escaped: 'md5_hash("t\\\\",5,"' + H1 + '").\nmd5_valid("t\\\\",5,"' + H1 + '",X).\n',
      cached: biomake("t", 5, []).replace(`md5_hash("t",5,"${H1}")`, `md5_hash("t",5,"${H2}")`),
    };
    for (const [n, text] of Object.entries(records)) fs.writeFileSync(at(`r.${n}`), text);
    const names = [...Object.keys(records), "none"];
    const got = await backend.readRecords(
      names.map((n) => ({ name: "t", path: at("t"), record: at(`r.${n}`) })),
      "md5",
      false,
      1 << 20,
      d,
    );
    expect([...got.verdicts]).toEqual([2, 2, 3, 1, 1, 1, 1, 0]);
    expect([...got.targetSizes]).toEqual([5, 5, 4, -1, -1, -1, -1, -1]);
    expect(got.targetHex).toBe(H1 + H1 + H1 + "-".repeat(32 * 5));
    expect([...got.prereqStart]).toEqual([0, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect([...got.prereqSizes]).toEqual([3, 1]);
    expect(got.prereqHex).toBe(H2 + H1);
    expect(got.fileNames).toEqual(["src a", "gone"]);
    expect([...got.prereqFiles]).toEqual([0, 1]);
    expect(got.fileIds).toEqual([id(at("src a")), ""]);
    expect([...got.fileSizes]).toEqual([3, -1]);
    expect(got.recordIds.slice(0, 3)).toEqual([id(at("r.ok")), id(at("r.alone")), id(at("r.size"))]);
    expect(got.targetIds.slice(0, 3)).toEqual([id(at("t")), id(at("t")), id(at("t"))]);
    expect(got.recordIds.slice(3)).toEqual(["", "", "", "", ""]);
    // A target newer than its record is not trusted, unless record times do not count (-M).
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(at("t"), later, later);
    const newer = (noTimestamp: boolean) => backend.readRecords([{ name: "t", path: at("t"), record: at("r.ok") }], "md5", noTimestamp, 1 << 20, d);
    expect([...(await newer(false)).verdicts]).toEqual([3]);
    expect([...(await newer(true)).verdicts]).toEqual([2]);
    // tmake's own layout.
    const h = "ab".repeat(32);
    fs.writeFileSync(at("r.tmake"), `tmake-record 1 blake3\ntarget 5 ${h} "t"\nprereq 3 ${h} "src a"\n`);
    const mine = await backend.readRecords([{ name: "t", path: at("t"), record: at("r.tmake") }], "blake3", true, 1 << 20, d);
    expect([...mine.verdicts]).toEqual([2]);
    expect(mine.fileNames).toEqual(["src a"]);
    expect([...(await backend.readRecords([{ name: "t", path: at("t"), record: at("r.ok") }], "blake3", true, 1 << 20, d)).verdicts]).toEqual([1]);
  });

  it("checks kept proofs against the identities of the files they name", async () => {
    const d = fs.mkdtempSync(path.join(dir, "proofs-"));
    const at = (n: string): string => path.join(d, n);
    for (const n of ["r", "t", "src a", "r2"]) fs.writeFileSync(at(n), n);
    const header = "tmake-verified 1 md5 timestamp";
    const lines = [
      header,
      `"t"\t${id(at("r"))} ${id(at("t"))} ${id(at("src a"))}\t5 ${H1}\t["src a"]`,
      `"u"\t${id(at("r2"))} ${id(at("t"))}\t1 ${H2}\t[]`,
      `"v"\t${id(at("r"))} ${id(at("t"))} ${id(at("src a"))}\t5 ${H1}\t["src a"]`,
      `"w\\"\t${id(at("r"))} ${id(at("t"))}\t5 ${H1}\t[]`,
      `"x"\t${id(at("r"))} ${id(at("t"))}\t+5 ${H1}\t[]`,
    ];
    fs.writeFileSync(at("verified"), `${lines.join("\n")}\n`);
    fs.writeFileSync(at("r2"), "changed");
    const reader = backend.openProofs(at("verified"), header);
    const target = (name: string, record: string) => ({ name, path: at("t"), record: at(record) });
    const got = await reader.check([target("t", "r"), target("u", "r2"), target("none", "r"), target("w\\", "r"), target("x", "r"), target("v", "r")], d);
    expect([...got.holds]).toEqual([1, 0, 0, 0, 0, 1]);
    expect([...got.sizes]).toEqual([5, -1, -1, -1, -1, 5]);
    expect(got.hex).toEqual([H1, "", "", "", "", H1]);
    expect([...got.depStart]).toEqual([0, 1, 1, 1, 1, 1, 2]);
    expect(got.deps).toEqual(["src a", "src a"]);
    expect([...got.depTimes]).toEqual([fs.statSync(at("src a")).mtimeMs, fs.statSync(at("src a")).mtimeMs]);
    // Another header: no proof.
    expect([...(await backend.openProofs(at("verified"), "tmake-verified 1 blake3 timestamp").check([target("t", "r")], d)).holds]).toEqual([0]);
  });
});
