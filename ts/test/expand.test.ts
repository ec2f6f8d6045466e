// Unit tests of the Expander API the build stages use: expand (with automatic variables in a
// child scope), expandPattern (biomake named wildcards), assign (every operator, origins,
// target scopes), environmentFor (what recipes get).
import { describe, expect, it } from "vitest";
import { MakeError } from "../src/messages.js";
import { AUTOMATIC_DF_VARIABLES } from "../src/expand/defaults.js";
import { Expander, VarScope } from "../src/expand/expander.js";
import type { Assignment, AssignOp } from "../src/read/database.js";

const loc = { file: "Makefile", line: 1 };

function setup(env: Record<string, string> = {}) {
  const out: string[] = [];
  const ex = new Expander({ env, cwd: "/tmp", output: { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t) } });
  const g = new VarScope();
  const def = (name: string, value: string, flavor: "recursive" | "simple" = "recursive") => g.set({ name, value, flavor, origin: "file" });
  return { ex, g, def, out };
}

function a(name: string, op: AssignOp, value: string, extra: Partial<Assignment> = {}): Assignment {
  return { name, op, value, override: false, private: false, loc, ...extra };
}

describe("expand", () => {
  it("expands references, functions and substitution references", () => {
    const { ex, g, def } = setup();
    def("A", "a.c b.c");
    def("R", "$(A:.c=.o)");
    expect(ex.expand("$(R) ${A} $(words $(A)) $$x $(A:%.c=%)", g)).toBe("a.o b.o a.c b.c 2 $x a b");
  });

  it("sees automatic variables in a child scope, with their D/F forms", () => {
    const { ex, g } = setup();
    // The D/F forms are global variables (GNU's define_automatic_variables), as the reader
    // installs them.
    for (const [name, value] of AUTOMATIC_DF_VARIABLES) g.set({ name, value, flavor: "recursive", origin: "automatic" });
    const t = new VarScope(g);
    t.set({ name: "@", value: "dir/sub/out.o", flavor: "simple", origin: "automatic" });
    t.set({ name: "^", value: "a/x.c y.c", flavor: "simple", origin: "automatic" });
    expect(ex.expand("$@ $(@D) $(@F) [$(^D)] [$(^F)]", t)).toBe("dir/sub/out.o dir/sub out.o [a .] [x.c y.c]");
  });

  it("reports GNU's errors with the location", () => {
    const { ex, g, def } = setup();
    def("L", "$(L)");
    expect(() => ex.expand("$(L)", g, loc)).toThrow(/Recursive variable 'L' references itself/);
    expect(() => ex.expand("$(word 1)", g, loc)).toThrow(MakeError);
    expect(() => ex.expand("$(foo", g, loc)).toThrow("unterminated variable reference");
  });

  it("treats an unknown function name as a variable name", () => {
    const { ex, g } = setup();
    g.set({ name: "foo bar", value: "spaced", flavor: "simple", origin: "file" });
    expect(ex.expand("[$(foo bar)] [$(nofunc x)]", g)).toBe("[spaced] []");
  });
});

describe("expandPattern", () => {
  it("keeps undefined plain variables as named wildcards and escapes literal dollars", () => {
    const { ex, g, def } = setup();
    def("EXT", "fa");
    expect(ex.expandPattern("align-$X-$(Sample).$(EXT)", g)).toBe("align-$X-$(Sample).fa");
    expect(ex.expandPattern("cost$$", g)).toBe("cost$$");
    expect(ex.expandPattern("$(addsuffix .x,a b)", g)).toBe("a.x b.x");
  });
});

describe("assign", () => {
  it("implements each operator", () => {
    const { ex, g, def } = setup();
    def("B", "1");
    ex.assign(g, a("R", "=", "$(B)"), "file");
    ex.assign(g, a("S", ":=", "$(B)"), "file");
    ex.assign(g, a("T", ":::=", "$(B) $$x"), "file");
    ex.assign(g, a("C", "?=", "first"), "file");
    ex.assign(g, a("C", "?=", "second"), "file");
    ex.assign(g, a("R", "+=", "$(B)"), "file");
    ex.assign(g, a("S", "+=", "$(B)"), "file");
    ex.assign(g, a("P", "!=", "echo hi; echo there"), "file");
    def("B", "2");
    expect(ex.expand("$(R)|$(S)|$(T)|$(C)|$(P)", g)).toBe("2 2|1 1|1 $x|first|hi there");
    expect(g.get("R")!.flavor).toBe("recursive");
    expect(g.get("S")!.flavor).toBe("simple");
    expect(g.get("T")!.flavor).toBe("recursive");
    expect(ex.expand("$(.SHELLSTATUS)", g)).toBe("0");
  });

  it("follows origin precedence and override", () => {
    const { ex, g } = setup();
    ex.assign(g, a("X", "=", "cmd"), "command line");
    ex.assign(g, a("X", "=", "file"), "file");
    expect(g.get("X")!.value).toBe("cmd");
    ex.assign(g, a("X", "=", "forced", { override: true }), "file");
    expect(g.get("X")).toMatchObject({ value: "forced", origin: "override" });
  });

  it("appends to the inherited value in a target scope, and lets command-line values win", () => {
    const { ex, g } = setup();
    ex.assign(g, a("CFLAGS", "=", "-O2"), "file");
    ex.assign(g, a("MODE", "=", "cmd"), "command line");
    const t = new VarScope(g);
    ex.assign(t, a("CFLAGS", "+=", "-g"), "file");
    ex.assign(t, a("MODE", "=", "target"), "file");
    expect(ex.expand("$(CFLAGS) $(MODE)", t)).toBe("-O2 -g cmd");
    expect(ex.expand("$(CFLAGS)", g)).toBe("-O2");
  });

  it("hides private variables from inner scopes", () => {
    const { ex, g } = setup();
    const t = new VarScope(g);
    ex.assign(t, a("P", "=", "secret", { private: true }), "file");
    const dep = new VarScope(t);
    expect(ex.expand("[$(P)]", t)).toBe("[secret]");
    expect(ex.expand("[$(P)]", dep)).toBe("[]");
  });
});

describe("environmentFor", () => {
  it("exports environment and exported variables, not plain file ones", () => {
    const { ex, g } = setup({ SHELL: "/bin/bash" });
    g.set({ name: "HOME", value: "/home/x", flavor: "recursive", origin: "environment" });
    g.set({ name: "PLAIN", value: "no", flavor: "recursive", origin: "file" });
    g.set({ name: "EXP", value: "$(PLAIN)-yes", flavor: "recursive", origin: "file", exported: true });
    g.set({ name: "GONE", value: "x", flavor: "recursive", origin: "environment", exported: false });
    g.set({ name: "SHELL", value: "/bin/sh", flavor: "simple", origin: "file" });
    const env = ex.environmentFor(g);
    expect(env).toMatchObject({ HOME: "/home/x", EXP: "no-yes", MAKELEVEL: "1", SHELL: "/bin/bash" });
    expect(env.PLAIN).toBeUndefined();
    expect(env.GONE).toBeUndefined();
    ex.exportAll = true;
    expect(ex.environmentFor(g).PLAIN).toBe("no");
  });
});
