// Unit tests of the reader: parse + evaluate small makefiles and look at the Database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MakeError } from "../src/messages.js";
import { defaultReadOptions, readMakefiles } from "../src/read/index.js";
import type { ReadOptions } from "../src/read/database.js";

function read(text: string, extra: Partial<ReadOptions> = {}, files: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-read-"));
  fs.writeFileSync(path.join(dir, "Makefile"), text);
  for (const [n, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), t);
  }
  const out: string[] = [];
  const db = readMakefiles(defaultReadOptions({ cwd: dir, env: { PATH: "/usr/bin:/bin" }, ...extra }));
  db.expander.output = { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t) };
  const v = (name: string) => db.expander.valueOf(name, db.globals);
  return { db, v, dir };
}

function fails(text: string): MakeError {
  try {
    read(text);
  } catch (e) {
    if (e instanceof MakeError) return e;
    throw e;
  }
  throw new Error("expected a MakeError");
}

describe("assignments", () => {
  it("handles each flavour", () => {
    const { v } = read("A = $(B)\nB = b\nC := $(B)x\nD ?= d\nD ?= e\nE = 1\nE += 2\nF := f\nF += $(B)\nG != echo hi; echo there\nH ::= $(B)\n");
    expect(v("A")).toBe("b");
    expect(v("C")).toBe("bx");
    expect(v("D")).toBe("d");
    expect(v("E")).toBe("1 2");
    expect(v("F")).toBe("f b");
    expect(v("G")).toBe("hi there");
    expect(v("H")).toBe("b");
  });

  it("keeps trailing spaces and strips leading ones", () => {
    const { v } = read("X =   a b   # comment\n");
    expect(v("X")).toBe("a b   ");
  });

  it("lets command-line values win over the makefile unless override", () => {
    const { v, db } = read("X = file\noverride Y = file\n", {
      commandLine: [
        { name: "X", op: "=", value: "cmd" },
        { name: "Y", op: "=", value: "cmd" },
      ],
    });
    expect(v("X")).toBe("cmd");
    expect(v("Y")).toBe("file");
    expect(db.globals.get("X")!.origin).toBe("command line");
    expect(db.globals.get("Y")!.origin).toBe("override");
  });

  it("reads define with every flavour", () => {
    const { v } = read("B = b\ndefine X\nline1 $(B)\nline2\nendef\ndefine Y :=\n$(B)\nendef\ndefine Z +=\nmore\nendef\nZ = z\n");
    expect(v("X")).toBe("line1 b\nline2");
    expect(v("Y")).toBe("b");
  });
});

describe("rules", () => {
  it("records targets, prerequisites, order-only and recipes", () => {
    const { db, v } = read("all: a b | c\n\techo $@\n\n# comment\n\techo two\nx: ; echo one\n");
    const [all, x] = db.rules;
    expect([all!.targetList(), all!.prereqList(), all!.orderOnlyList()]).toEqual([["all"], ["a", "b"], ["c"]]);
    expect(all!.recipeLines().map((r) => `${r.loc.line}:${r.text}`)).toEqual(["2:echo $@", "5:echo two"]);
    expect(all!.recipeLoc).toMatchObject({ file: "Makefile", line: 2 });
    expect(x!.recipeLines().map((r) => `${r.loc.line}:${r.text}`)).toEqual(["6: echo one"]);
    expect(x!.recipeLoc).toMatchObject({ file: "Makefile", line: 6 });
    expect(v(".DEFAULT_GOAL")).toBe("all");
  });

  it("keeps biomake multi-wildcard prerequisites raw", () => {
    const { db } = read("align-$X-$Y: $X.fa $(Y).fa\n\tcat $^ > $@\n");
    expect([db.rules[0]!.targetList(), db.rules[0]!.prereqList(), db.rules[0]!.orderOnlyList()]).toEqual([["align-$X-$Y"], [], []]);
    expect(db.rules[0]!.rawPrereqs).toBe("$X.fa $(Y).fa");
  });

  it("records target- and pattern-specific variables", () => {
    const { db } = read("B = 1\nfoo: X = $(B)\nfoo: Y := $(B)\n%.o: CFLAGS += -g\n");
    expect(db.targetVars.get("foo")!.map((a) => [a.name, a.op, a.value])).toEqual([
      ["X", "=", "$(B)"],
      ["Y", ":=", "1"],
    ]);
    expect(db.patternVars[0]!.pattern).toBe("%.o");
  });
});

describe("errors", () => {
  it("reports GNU's messages at the physical line", () => {
    expect(fails("x = 1\\\n  2\nfoo\n").loc).toEqual({ file: "Makefile", line: 3 });
    expect(fails("x = 1\\\n  2\nfoo\n").message).toBe("missing separator");
    expect(fails("ifeq (a,b)\n").message).toBe("missing 'endif'");
    expect(fails("endif\n").message).toBe("extraneous 'endif'");
    expect(fails("define X\nfoo\n").message).toBe("missing 'endef', unterminated 'define'");
    expect(fails("\techo hi\n").message).toBe("recipe commences before first target");
    expect(fails("$(info $(x)\n").message).toBe("unterminated call to function 'info': missing ')'");
  });
});
