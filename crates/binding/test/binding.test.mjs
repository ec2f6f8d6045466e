// Checks the built binding (tmake.<platform>.node in the package root, or TMAKE_NATIVE_PATH)
// through Node, the way ts/src/native/native-backend.ts calls it.
// Run: node --test crates/binding/test/  (after `npm run build:native`)

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function platformTriple() {
  const { platform, arch } = process;
  if (platform === "linux") {
    const musl = !process.report?.getReport()?.header?.glibcVersionRuntime;
    return `linux-${arch}-${musl ? "musl" : "gnu"}`;
  }
  if (platform === "win32") return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

const file = process.env.TMAKE_NATIVE_PATH ?? path.join(root, `tmake.${platformTriple()}.node`);
const binding = createRequire(import.meta.url)(file);

const dir = mkdtempSync(path.join(tmpdir(), "tmake-binding-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("nativeVersion is the package's version, which the crates' workspace gives", () => {
  // The loader uses a binary only when these agree (ts/src/native/index.ts).
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  assert.equal(binding.nativeVersion(), pkg.version);
  const workspace = readFileSync(path.join(root, "Cargo.toml"), "utf8");
  assert.match(workspace, new RegExp(`^version = "${pkg.version.replace(/\./g, "\\.")}"$`, "m"));
});

test("the committed declarations are the ones napi generated for this build", (t) => {
  // scripts/build-native.mjs has napi write them to target/napi/binding.ts; the TypeScript code
  // imports the committed copy, which a clone without Rust compiles against.
  const fresh = path.join(root, "target/napi/binding.ts");
  if (!existsSync(fresh)) {
    t.skip(`${fresh} is missing: the binary was not built here (npm run build:native)`);
    return;
  }
  const committed = path.join(root, "ts/src/native/binding.ts");
  assert.ok(
    readFileSync(committed, "utf8") === readFileSync(fresh, "utf8"),
    `${path.relative(root, committed)} does not declare the binding as built: run \`npm run build:native -- --update-dts\` and commit it`,
  );
});

test("pattern set: size, info, and every split in biomake's order", () => {
  const set = new binding.NativePatternSet(["%.o", "align-$X-$Y", "$(OUT)/%.${EXT}", "all"]);
  assert.equal(set.size, 4);
  assert.deepEqual(set.info(2), { source: "$(OUT)/%.${EXT}", wildcards: ["OUT", "%", "EXT"] });
  assert.deepEqual(set.matchBatch(["align-a-b-c", "foo.o", "d/x.y.z", "all", "none"]), [
    [
      { pattern: 1, bindings: ["a", "b-c"] },
      { pattern: 1, bindings: ["a-b", "c"] },
    ],
    [{ pattern: 0, bindings: ["foo"] }],
    [
      { pattern: 2, bindings: ["d", "x", "y.z"] },
      { pattern: 2, bindings: ["d", "x.y", "z"] },
    ],
    [{ pattern: 3, bindings: [] }],
    [],
  ]);
  assert.throws(() => set.info(4), /pattern index 4 out of range/);
});

test("bad patterns throw an Error naming the pattern", () => {
  assert.throws(() => new binding.NativePatternSet(["ok-%", "a%b%"]), {
    name: "Error",
    message: /^bad target pattern 'a%b%': more than one '%'/,
  });
  assert.throws(() => new binding.NativePatternSet(["x$(NAME"]), /unterminated wildcard reference/);
});

test("a large batch crosses once and keeps input order", () => {
  const patterns = Array.from({ length: 500 }, (_, i) => `%.e${i}`);
  const set = new binding.NativePatternSet(patterns);
  const names = Array.from({ length: 5000 }, (_, i) => `f${i}.e${i % 500}`);
  const found = set.matchBatch(names);
  assert.equal(found.length, names.length);
  found.forEach((cands, i) => assert.deepEqual(cands, [{ pattern: i % 500, bindings: [`f${i}`] }]));
});

/** Rebuilds matchBatch's shape from matchJoined's buffers (as documented on JoinedMatches). */
function unpack(set, joined, packed) {
  const out = [];
  let c = 0;
  let b = 0;
  for (const count of packed.counts) {
    const row = [];
    for (let k = 0; k < count; k++) {
      const pattern = packed.patterns[c++];
      const bindings = set.info(pattern).wildcards.map(() => {
        const text = joined.slice(packed.spans[2 * b], packed.spans[2 * b + 1]);
        b++;
        return text;
      });
      row.push({ pattern, bindings });
    }
    out.push(row);
  }
  assert.equal(c, packed.patterns.length);
  assert.equal(2 * b, packed.spans.length);
  return out;
}

test("matchJoined carries exactly matchBatch's candidates", () => {
  const set = new binding.NativePatternSet(["$X-$Y", "%.o", "lit", "$(A)$(A)"]);
  // Astral characters (two UTF-16 units each) check that the offsets are JS string indices.
  const names = ["é-日本-𝄞x", "𝄞-b-c", "a.o", "lit", "", "nothing", "𝄞𝄞", "x-y.o"];
  const joined = names.join("\0");
  const packed = set.matchJoined(joined);
  assert.ok(packed.counts instanceof Uint32Array && packed.spans instanceof Uint32Array);
  assert.deepEqual(Array.from(packed.counts), [2, 2, 1, 1, 0, 0, 1, 2]);
  assert.deepEqual(unpack(set, joined, packed), set.matchBatch(names));
  assert.deepEqual(set.matchBatch(["𝄞-b-c"])[0], [
    { pattern: 0, bindings: ["𝄞", "b-c"] },
    { pattern: 0, bindings: ["𝄞-b", "c"] },
  ]);
  // A large batch keeps its order.
  const many = Array.from({ length: 3000 }, (_, i) => `s${i % 97}-é${i}.o`);
  const manyJoined = many.join("\0");
  assert.deepEqual(unpack(set, manyJoined, set.matchJoined(manyJoined)), set.matchBatch(many));
});

test("hashFiles matches md5sum and b3sum-known digests, per-file errors, input order", async () => {
  const small = path.join(dir, "abc");
  const empty = path.join(dir, "empty");
  const big = path.join(dir, "big");
  writeFileSync(small, "abc");
  writeFileSync(empty, "");
  writeFileSync(big, Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a));
  mkdirSync(path.join(dir, "sub"));
  const paths = [big, path.join(dir, "missing"), empty, path.join(dir, "sub"), small];
  const md5sum = (p) => execFileSync("md5sum", [p], { encoding: "utf8" }).split(" ")[0];

  const md5 = await binding.hashFiles(paths, "md5");
  assert.deepEqual(md5, [
    { path: big, hex: md5sum(big), size: 3 * 1024 * 1024 + 17 },
    { path: paths[1], error: "ENOENT: no such file or directory" },
    { path: empty, hex: "d41d8cd98f00b204e9800998ecf8427e", size: 0 },
    { path: paths[3], error: "EISDIR: illegal operation on a directory" },
    { path: small, hex: "900150983cd24fb0d6963f7d28e17f72", size: 3 },
  ]);

  const blake3 = await binding.hashFiles([small, empty], "blake3");
  assert.deepEqual(blake3, [
    { path: small, hex: "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85", size: 3 },
    { path: empty, hex: "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", size: 0 },
  ]);
});

test("hashFiles takes the algorithm as a string enum and refuses any other value at the call", () => {
  assert.throws(() => binding.hashFiles([], "sha1"), /HashAlgorithm/);
  assert.throws(() => binding.hashFiles([], "MD5"), /HashAlgorithm/);
  assert.throws(() => binding.hashFiles([], 1), /HashAlgorithm/);
});

test("hashFiles runs off the main thread", async () => {
  // While a large batch hashes, the event loop keeps turning.
  const big = path.join(dir, "big2");
  writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 1));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const [result] = await binding.hashFiles([big], "md5");
  clearInterval(timer);
  assert.equal(result.size, 64 * 1024 * 1024);
  assert.ok(ticks > 0, "the event loop never ran while hashing");
});

test("statMtimesJoined: Node's mtimeMs per NUL-separated path, -1 when missing, in one promise", async () => {
  const f = path.join(dir, "timed.txt");
  writeFileSync(f, "x");
  const when = new Date("2020-02-03T04:05:06.789Z");
  utimesSync(f, when, when);
  const got = await binding.statMtimesJoined([f, path.join(dir, "absent"), path.join(f, "below"), f].join("\0"));
  assert.ok(got instanceof Float64Array);
  assert.deepEqual([...got], [when.getTime(), -1, -1, when.getTime()]);
  // As for matchJoined, an empty string is one (empty, missing) path.
  assert.deepEqual([...(await binding.statMtimesJoined(""))], [-1]);
});

test("DirectoryListing reads a directory on its own thread, each entry followed by a NUL", () => {
  const listed = path.join(dir, "listed");
  mkdirSync(listed);
  for (const n of ["b", "a", "é"]) writeFileSync(path.join(listed, n), "");
  const read = new binding.DirectoryListing(listed);
  while (!read.done()) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  const joined = read.take();
  assert.equal(read.done(), false);
  assert.ok(joined.endsWith("\0"));
  assert.deepEqual(joined.slice(0, -1).split("\0").sort(), ["a", "b", "é"]);
  assert.equal(read.take(), null);
  assert.equal(new binding.DirectoryListing(path.join(dir, "nowhere")).take(), null);
});
