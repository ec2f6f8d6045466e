// The parser alone: makefile text -> typed statements, nothing expanded.
import { describe, expect, it } from "vitest";
import { Parser, parseEqualityTest, parseVariableDefinition, splitFile } from "../src/read/parser.js";
import { collapseContinuations, findUnquoted, removeComments, splitFileNames } from "../src/read/text.js";

function parse(text: string) {
  return new Parser(splitFile(text), "Makefile").parse(0, "\t", false);
}

describe("parser", () => {
  it("classifies lines the way GNU does, without expanding", () => {
    const kinds = parse(
      "A := $(B) # c\nifdef X\nendif\nexport Y\nvpath %.c src\n-include x.mk\nt: d ; echo\n\techo $@\ndefine D\nbody\nendef\nundefine A\n$(RULE) more\n",
    ).map((s) => s.kind);
    expect(kinds).toEqual(["assignment", "if", "endif", "export", "vpath", "include", "rule", "recipe", "define", "undefine", "rule"]);
  });

  it("keeps assignment parts as written", () => {
    const [s] = parse("override export NAME$(X) +=   value  with  spaces  \n");
    expect(s).toMatchObject({ kind: "assignment", name: "NAME$(X)", op: "+=", value: "value  with  spaces  " });
    expect(s!.kind === "assignment" && s.modifiers).toEqual({ export: true, unexport: false, override: true, private: false });
  });

  it("records rule text, recipe after ';' and physical line numbers", () => {
    const stmts = parse("# c\na: b \\\n  c ; echo 'x;y'\n\tline2\n");
    expect(stmts[0]).toMatchObject({ kind: "rule", line: 2, text: "a: b c ", recipe: " echo 'x;y'" });
    expect(stmts[1]).toMatchObject({ kind: "recipe", line: 4, text: "line2" });
  });

  it("splits ifeq arguments with GNU's quirks", () => {
    expect(parseEqualityTest("ifeq", "( a , b )").test).toEqual({ type: "ifeq", left: " a", right: "b " });
    expect(parseEqualityTest("ifeq", "'a' \"b\"").test).toEqual({ type: "ifeq", left: "a", right: "b" });
    expect(parseEqualityTest("ifeq", "($(f a,b),c)").test).toEqual({ type: "ifeq", left: "$(f a,b)", right: "c" });
    expect(parseEqualityTest("ifeq", "a b").test.type).toBe("invalid");
  });

  it("finds variable definitions like GNU's parse_variable_definition", () => {
    expect(parseVariableDefinition("A ::= b", 0)).toMatchObject({ name: "A", op: "::=" });
    expect(parseVariableDefinition("A :::= b", 0)).toMatchObject({ name: "A", op: ":::=" });
    expect(parseVariableDefinition("$(x:a=b) = 1", 0)).toMatchObject({ name: "$(x:a=b)", op: "=" });
    expect(parseVariableDefinition("a b = 1", 0)).toBeNull();
    expect(parseVariableDefinition("t: x", 0)).toBeNull();
  });
});

describe("line text rules", () => {
  it("collapses continuations and removes comments", () => {
    expect(collapseContinuations("a  \\\n   b\\\\\\\n c")).toBe("a b\\ c");
    expect(removeComments("a \\# b # c")).toBe("a # b ");
    expect(removeComments("$(subst #,x,y) # c")).toBe("$(subst #,x,y) ");
    expect(findUnquoted("a\\\\:b", ":", false)).toEqual({ text: "a\\:b", index: 2 });
  });

  it("splits file names with quoted blanks and colons", () => {
    expect(splitFileNames("a\\ b c\\:d e\\\\f")).toEqual(["a b", "c:d", "e\\\\f"]);
  });
});
