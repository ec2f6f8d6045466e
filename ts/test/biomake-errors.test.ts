// Biomake's goals and $(bagof) fail loudly: a malformed goal is a makefile error at its line,
// an error inside $(bagof) stops make as an error in a GNU function does, and Prolog's
// messages quote a file name once. Through the real command line.
import { describe, expect, it } from "vitest";
import { runTmakeIn } from "./helpers/biomake-oracle.js";

/** tmake's exit status and standard error for a makefile (and goal). */
function fails(makefile: string, args: string[] = [], files: Record<string, string> = {}): [number | null, string] {
  const r = runTmakeIn({ Makefile: makefile, ...files }, args);
  return [r.status, r.stderr];
}

describe("a malformed goal is a makefile error, never a prerequisite", () => {
  const recipe = "\ttouch $@\n";
  const cases: [string, string, string][] = [
    ["an unbalanced '{'", "out-$X: in-$X { foo(X)\n", "Makefile:1: *** unterminated biomake goal: '{' without '}'.  Stop.\n"],
    ["an unbalanced '{' in a target goal", "all: ; @:\nout-$X { foo(X): in-$X\n", "Makefile:2: *** unterminated biomake goal: '{' without '}'.  Stop.\n"],
    ["a '}' without '{'", "out-$X: in-$X foo(X) }\n", "Makefile:1: *** '}' without '{' (a biomake goal is written {...}).  Stop.\n"],
    ["a '}' closing a word", "out-$X: in-$X foo(X)}\n", "Makefile:1: *** '}' without '{' (a biomake goal is written {...}).  Stop.\n"],
    ["biomake's README's trailing comma", "out-$X: in-$X { true },\n", "Makefile:1: *** extraneous text after biomake goal {true}: ','.  Stop.\n"],
    [
      "a trailing comma on a goal spanning lines",
      "out-$X: in-$X { true,\n    true },\n",
      "Makefile:1: *** extraneous text after biomake goal {true, true}: ','.  Stop.\n",
    ],
    ["a prerequisite after a deps goal", "out-$X: { true } in-$X\n", "Makefile:1: *** extraneous text after biomake goal {true}: 'in-$X'.  Stop.\n"],
    ["two deps goals", "out-$X: in-$X { true } { true }\n", "Makefile:1: *** extraneous text after biomake goal {true}: '{ true }'.  Stop.\n"],
    ["a target goal not followed by the colon", "out-$X { true } more: in-$X\n", "Makefile:1: *** extraneous text after biomake goal {true}: 'more'.  Stop.\n"],
    ["a target goal without a colon", "out-$X { true }\n", "Makefile:1: *** missing ':' after biomake goal {true}.  Stop.\n"],
  ];
  for (const [what, line, message] of cases) {
    it(what, () => {
      expect(fails(line + recipe, ["out-a"], { "in-a": "" })).toEqual([2, message]);
    });
  }

  it("a malformed goal in a branch not taken is not read", () => {
    const r = runTmakeIn({ Makefile: "ifdef NEVER\nout-$X: in-$X { foo(X)\nendif\nall:\n\t@echo ok\n" }, []);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "ok\n", ""]);
  });

  it("well-formed goals with a recipe after ';' and a comment still read", () => {
    const r = runTmakeIn({ Makefile: "out-$X: in-$X { true } ; @echo $@ # done\nres-$X { true } : in-$X # c\n\t@echo $@\n", "in-a": "" }, ["out-a", "res-a"]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "out-a\nres-a\n", ""]);
  });
});

describe("$(bagof) fails loudly", () => {
  const prolog = "prolog\nfoo(1).\nendprolog\n";

  it("an unknown predicate stops make, while reading", () => {
    expect(fails(prolog + "all: $(bagof X,nosuch(X))\n\t@echo [$^]\n")).toEqual([
      2,
      "Makefile:4: *** $(bagof X,nosuch(X)): Unknown procedure: nosuch/1.  Stop.\n",
    ]);
  });

  it("a syntax error stops make, while expanding a recipe", () => {
    const r = runTmakeIn({ Makefile: prolog + "all:\n\t@echo [$(bagof X,(foo(X),))]\n\t@touch done\n" }, []);
    expect([r.status, r.stdout, r.stderr]).toEqual([2, "", "Makefile:5: *** $(bagof X,(foo(X),)): Syntax error: Unexpected ',' before ')'.  Stop.\n"]);
    expect(r.files["done"]).toBeUndefined();
  });

  it("an error in a multi-wildcard rule's prerequisites stops make once the wildcards are bound", () => {
    const r = runTmakeIn({ Makefile: prolog + "out-$X: $(bagof F,nosuch($X,F))\n\ttouch $@\n" }, ["out-a"]);
    expect([r.status, r.stderr]).toEqual([2, "Makefile:4: *** $(bagof F,nosuch(a,F)): Unknown procedure: nosuch/2.  Stop.\n"]);
  });

  it("no solutions is the empty text", () => {
    const r = runTmakeIn({ Makefile: prolog + "all:\n\t@echo [$(bagof X,(foo(X),X>1))]\n" }, []);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "[]\n", ""]);
  });
});

describe("Prolog's messages quote a name once", () => {
  it("a file a goal cannot open", () => {
    const r = runTmakeIn({ Makefile: "out-$X: in-$X { read_file_to_string('no such.txt',S,[]) }\n\ttouch $@\n", "in-a": "" }, ["out-a"]);
    expect([r.status, r.stderr]).toEqual([
      2,
      "Makefile:1: *** Prolog goal { read_file_to_string('no such.txt',S,[]) }: source_sink 'no such.txt' does not exist.  Stop.\n",
    ]);
  });

  it("a file name that needs no quotes", () => {
    const r = runTmakeIn({ Makefile: "out-$X: in-$X { open(missing,read,_) }\n\ttouch $@\n", "in-a": "" }, ["out-a"]);
    expect(r.stderr).toContain("source_sink 'missing' does not exist");
  });
});
