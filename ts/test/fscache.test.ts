// What the file-system cache answers must be what a stat would answer at that point of the
// build, whether a directory's listing was read (or read ahead) or not: the rule search's
// decisions rest on it (search-determinism.test.ts runs whole builds both ways).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FsCache } from "../src/remake/fscache.js";
import type { PendingListing } from "../src/native/types.js";

function tree(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "tmake-fscache-"));
}

/** A cache over `dir` whose listings read ahead are read at once, when asked to start (the
 * earliest a thread could read them), and handed over when taken. */
function cacheIn(dir: string): FsCache {
  return new FsCache(dir, {
    warn: () => undefined,
    statBatch: () => Promise.reject(new Error("not used")),
    startListing: (d): PendingListing => {
      const names = fs.readdirSync(d);
      return { done: () => true, take: () => names };
    },
  });
}

describe("the file-system cache answers as a stat would", () => {
  it("a symbolic link to nothing is missing, though its directory's listing holds it", () => {
    const dir = tree();
    fs.symlinkSync("nowhere/x", path.join(dir, "dangling.c"));
    fs.writeFileSync(path.join(dir, "real.c"), "");
    const c = cacheIn(dir);
    c.listing(".");
    expect(c.exists("dangling.c")).toBe(false);
    expect(c.exists("real.c")).toBe(true);
    expect(c.exists("absent.c")).toBe(false);
  });

  it("a file the build made while its directory was read ahead is seen", () => {
    const dir = tree();
    const c = cacheIn(dir);
    c.prefetchListing(".");
    // The read ran before the recipe wrote its target; the target is invalidated at its end.
    fs.writeFileSync(path.join(dir, "made.o"), "");
    c.invalidate("made.o");
    expect(c.exists("made.o")).toBe(true);
    expect(c.listing(".")!.names).toContain("made.o");
  });

  it("a directory that is not there, or a file, lists as empty", () => {
    const dir = tree();
    const c = cacheIn(dir);
    expect(c.listing("out")?.names).toEqual([]);
    expect(c.exists("out/x.o")).toBe(false);
    fs.writeFileSync(path.join(dir, "file"), "");
    expect(c.listing("file")?.names).toEqual([]);
  });
});
