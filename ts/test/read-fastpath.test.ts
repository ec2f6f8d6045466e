// The reader's fast paths (evaluate.ts fastLine, the recipe-line and comment shortcuts, and
// expandOnce's direct expansion) must read every line exactly as the general parser does.
// Each makefile here is read twice, with and without the fast paths, and the whole Database
// (rules, locations, target/pattern variables, variables, default goal, output, errors) must
// come out the same; a few cases also pin the expected result, so both cannot be wrong alike.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MakeError } from "../src/messages.js";
import type { Database } from "../src/read/database.js";
import { Evaluator } from "../src/read/evaluate.js";
import { defaultReadOptions, readMakefiles } from "../src/read/index.js";

interface Snapshot {
  db?: unknown;
  error?: string;
  output: string;
}

function dump(db: Database): unknown {
  const vars: Record<string, unknown> = {};
  for (const name of db.globals.localNames()) {
    const v = db.globals.getLocal(name)!;
    if (v.origin === "default" || v.origin === "environment") continue;
    vars[name] = { value: v.value, flavor: v.flavor, origin: v.origin, exported: v.exported, private: v.private, loc: v.loc && `${v.loc.file}:${v.loc.line}` };
  }
  return {
    rules: db.rules.map((r) => ({
      loc: `${r.loc.file}:${r.loc.line}`,
      targets: r.targetList(),
      doubleColon: r.doubleColon,
      grouped: r.grouped,
      prereqs: r.prereqList(),
      orderOnly: r.orderOnlyList(),
      recipe: r.recipeLines().map((l) => `${l.loc.file}:${l.loc.line}:${l.text}`),
      recipeLoc: `${r.recipeLoc.file}:${r.recipeLoc.line}`,
      hasRecipe: r.hasRecipe,
      secondExpansion: r.secondExpansion,
      staticPattern: r.staticPattern,
      rawPrereqs: r.rawPrereqs,
      targetGoal: r.targetGoal,
      depsGoal: r.depsGoal,
      gnuTwin: r.gnuTwin,
      fallback: r.fallback,
    })),
    targetVars: [...db.targetVars].map(([t, list]) => [t, list.map((a) => ({ ...a, loc: `${a.loc.file}:${a.loc.line}` }))]),
    patternVars: db.patternVars.map((p) => ({ pattern: p.pattern, assignments: p.assignments.map((a) => ({ ...a, loc: `${a.loc.file}:${a.loc.line}` })) })),
    vpaths: db.vpaths,
    includes: db.includes,
    vars,
    exportAll: db.expander.exportAll,
  };
}

function readWith(fast: boolean, dir: string, env: Record<string, string>, warn: boolean): Snapshot {
  let output = "";
  const sink = { stdout: (t: string) => void (output += t), stderr: (t: string) => void (output += t) };
  Evaluator.fastPaths = fast;
  try {
    const db = readMakefiles(defaultReadOptions({ cwd: dir, env: { PATH: "/usr/bin:/bin", ...env }, output: sink, warnUndefinedVariables: warn }));
    return { db: dump(db), output };
  } catch (e) {
    if (!(e instanceof MakeError)) throw e;
    return { error: `${e.loc ? `${e.loc.file}:${e.loc.line}: ` : ""}${e.message}`, output };
  } finally {
    Evaluator.fastPaths = true;
  }
}

function both(text: string, files: Record<string, string> = {}, env: Record<string, string> = {}): Snapshot {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-fast-"));
  fs.writeFileSync(path.join(dir, "Makefile"), text);
  for (const [n, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), t);
  }
  // With and without --warn-undefined-variables (the fast path leaves warnings to the
  // general code).
  expect(readWith(true, dir, env, false)).toEqual(readWith(false, dir, env, false));
  const fast = readWith(true, dir, env, true);
  expect(fast).toEqual(readWith(false, dir, env, true));
  return fast;
}

afterEach(() => {
  Evaluator.fastPaths = true;
});

// Lines near the edges of what the fast paths accept, in small makefiles.
const CASES: Record<string, string> = {
  plainRules: "all: a b c\na: b\n\t@echo $@\n\t@echo two\nb c:\n\n\t@echo after blank\n",
  comments: "# top\nall: a # trailing\n# between\n\t@echo recipe\n\t# shell comment\na: ; @:\n",
  targetVars: "all: X = 1\nall: Y := $(X) 2\nall: override Z += 3\n%.o: P = p\nall: export E = e\nall:: D = d\na:b = c\n",
  assignmentOps: "A = 1\nB := $(A) 2\nC ::= $(B)\nD ?= d\nD ?= e\nE += e\nE += f\nF != echo hi\nG.x-y/z = g\nH=h\nI  =  spaced  \nJ = has # comment\n",
  notAssignments: "a+b = 1\nexport K = k\noverride L = l\nprivate M = m\nexport N\nunexport N\nO:= o\nP::= p\nQ:::= q\n",
  directivesFirst: "export a: b\nall: ; @:\n",
  overrideRule: "override a: b\nprivate c: d\n",
  orderOnly: "all: a | b c\nx: | y\nz: p | q | r\nw: p |q\n",
  patternsAndStatic: "%.o: %.c\n\t@echo $<\nobjs = a.o b.o\n$(objs): %.o: %.c\na.o b.o: %.o: %.c ; @:\n",
  mixedImplicit: "a.o %.x: b\n",
  doubleColonAndGrouped: "a:: b\na:: c\nx y &: z\n",
  references: "D = dir\nall: $(D)/a ${D}/b $D $$x $(D:r=x) $(subst a,b,aaa) $(@D) $(undefined)\n",
  referencesInTargets: "D = dir\n$(D)/t: x\n${D}/u: y\n",
  dotSlashAndSpecial: ".PHONY: all\n./x: ./y\nall: ./x\n.SUFFIXES:\n.DEFAULT_GOAL := x\n",
  quoting: "a\\ b: c\\ d e\\:f\nx: y\\\\z\n",
  wildcards: "all: *.c sub/*.h\n",
  recipePrefix: ".RECIPEPREFIX = >\nall:\n> @echo one\n\t@echo not a recipe? \n",
  recipePrefixComputed: "P = >\n.RECIPEPREFIX = $(P)\nall:\n> @echo one\n",
  tabsBeforeRule: "\tA = 1\n",
  recipeBeforeTarget: "\t@echo orphan\n",
  eightSpaces: "all:\n        @echo spaces\n",
  emptyTargets: ": a\n\t@echo swallowed\nall: ; @:\n",
  conditionals: "ifeq (a,a)\nall: x\n\t@echo yes\nelse\nall: y\n\t@echo no\nendif\nifdef UNDEF\nz: w\nendif\n",
  recipeAcrossConditional: "all:\nifeq (1,1)\n\t@echo in\nendif\n\t@echo out\n",
  continuations: "all: a \\\n  b\n\t@echo one \\\n\ttwo\nV = x \\\n  y\n",
  secondExpansion: ".SECONDEXPANSION:\nall: $$(X) plain\nX = x\n",
  biomake: "align-$X-$Y: $X.fa $Y.fa\n\t@echo $@\nout/$(Sample).txt: in/$(Sample).txt\n",
  goals: "t {a(X)}: d\nu: v {b(Y)}\n",
  // A rule whose reading waits for its recipe is settled when the next line starts, adding
  // the biomake reading's names to the pool while the fast path holds that line's names.
  pendingWildcardThenPlain: "$R.v: in.txt\n\tcp $< $@\nb: c | d\n$S.w: in.txt\n\techo $S > $@\nx: X = 1\n",
  semicolons: "all: a; @echo x\nb: c ;\nd: e ; @echo $(f)\n",
  crlf: "all: a\r\n\t@echo crlf\r\nV = x\r\n",
  evalAndInfo: "$(info reading)\n$(eval e: f)\nX = $(warning w)\nall: $(X)\n",
  defaultGoalFromVariable: "G = first\n.DEFAULT_GOAL = $(G)\nsecond: ; @:\n",
  exportAllTarget: ".EXPORT_ALL_VARIABLES:\nA = 1\n",
  archiveMember: "lib.a(x.o): x.o\n",
  keywordTargets: "include: x\nvpath: y\ndefine: z\nprolog: p\n",
  braces: "all: ${X} {notagoal}\n",
  spacesAroundColon: "a : b\nc :b\n",
  valuesWithBlanks: "X = a  b\nY := \tc\nall: pre$(X)post $(Y)$(Y) $(X)\n",
  valueMakesOrderOnly: "BAR = |\nall: a $(BAR) b | c\n",
  valueWithColon: "X = c:d\nall: $(X)\n",
  valueWithSemicolon: "X = a;echo hi\nall: $(X)\n",
  recursiveValues: "P = plain\nQ = $(P)2\nR = $(info effect)r\nall: $(P) $(Q) $(R)\n",
  dotAndGlobFromValues: "H = .hidden ./x *.c\nall: $(H)\n",
  dollarsInPrereqs: "all: a$$b $$c\n",
  singleCharReferences: "x = ex\nall: $x $@ $(x)$x\n",
  undefinedReferences: "all: a$(NOPE)b $(NOPE) c\n",
  computedAndFunctions: "N = x\nx = y\nall: $($(N)) $(N:x=z) $(words a b)\n",
  multiplePatternTargets: "%.a %.b: %.c\n",
  emptyPrereqs: "a:\nb: $(EMPTY)\nc: | $(EMPTY)\n",
  // What sends a rule line to the general code only after its colon, found by the
  // prerequisites' reader, with and without a reference before it.
  lateGeneralChars: "V = v\na: b #c\nd: $(V) e#f\ng: h {i(X)}\nj: $(V) {k(Y)}\nl: m $${n}\no: p=q\nr: $(V) s = t\nu: w\\ x\ny: $(V);@:\n",
  plainTargetVars:
    "a: X=1\na: X == 2\na b: Y+=y\nc: Z != echo hi\n%.o: W ?= w\nd: V :=  $(X) \t\ne: export = 1\nf: U::=1\ng: T = v # c\nh: S = v ; w\ni: R = {x}\nj: Q = \\q\n",
  recipeAfterTargetVar: "a: X = 1\n\t@echo orphan\n",
  repeatedRecipes: "a:\n\t@echo same\nb:\n\t@echo same\n\t@echo same\nc: ; @echo same\nd:\n\t@echo same\n",
};

describe("fast paths read like the general parser", () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      both(text, { "x.c": "", "y.c": "", "sub/z.h": "" });
    });
  }

  it("the same for a larger generated makefile", () => {
    const parts: string[] = ["CC = cc\nOBJ := obj\n"];
    for (let i = 0; i < 300; i++) {
      parts.push(`t${i}: t${2 * i + 1} $(OBJ)/f${i}.o | d${i % 7}\n\t$(CC) -o $@ $^\n`);
      if (i % 5 === 0) parts.push(`V${i} := v $(OBJ)\nt${i}: E = ${i}\n`);
      if (i % 50 === 0) parts.push(`ifdef V${i}\nS += ${i}\nendif\n`);
    }
    both(parts.join(""));
  });
});

describe("fast paths give GNU's reading", () => {
  it("splits normal and order-only prerequisites", () => {
    const s = both("z: p | q | r\n");
    const rules = (s.db as { rules: { prereqs: string[]; orderOnly: string[] }[] }).rules;
    expect(rules[0]!.prereqs).toEqual(["p"]);
    expect(rules[0]!.orderOnly).toEqual(["q", "r"]);
  });

  it("reads a target-specific variable after the colon", () => {
    const s = both("all: X = 1 2\n");
    const tv = (s.db as { targetVars: [string, { name: string; value: string }[]][] }).targetVars;
    expect(tv[0]![0]).toBe("all");
    expect(tv[0]![1][0]).toMatchObject({ name: "X", value: "1 2" });
  });

  it("keeps a directive keyword first as a directive", () => {
    const s = both("export a: b\n");
    const vars = (s.db as { vars: Record<string, { exported?: boolean }> }).vars;
    expect(vars["a:"]?.exported).toBe(true);
    expect((s.db as { rules: unknown[] }).rules).toEqual([]);
  });

  it("expands plain references in prerequisites, warning about undefined ones", () => {
    const s = both("D = dir\nall: $(D)/a ${D}/b $$c $(nope)\n");
    const rules = (s.db as { rules: { prereqs: string[] }[] }).rules;
    expect(rules[0]!.prereqs).toEqual(["dir/a", "dir/b", "$c"]);
    expect(s.output).toBe("Makefile:2: warning: undefined variable 'nope'\n");
  });
});
