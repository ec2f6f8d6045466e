// biomake's report of the build (`% Checking dependencies: ...`), printed only with -d/--debug,
// in the format of biomake's README example (x.foo -> x.bar -> x.baz).
import { describe, expect, it } from "vitest";
import { runTmake, type Scenario } from "./helpers/diff.js";

const chain: Scenario = {
  makefile: "%.bar: %.foo\n\tcat $< > $@\n%.baz: %.bar\n\tcat $< > $@\n",
  files: { "x.foo": "x\n" },
  args: ["x.baz"],
};

describe("biomake's build report", () => {
  it("is not printed by default", () => {
    const r = runTmake(chain);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("cat x.foo > x.bar\ncat x.bar > x.baz\nrm x.bar\n");
    expect(r.stdout + r.stderr).not.toMatch(/^%|materialized|Checking dependencies/m);
  });

  it("-d reports each target at its depth, as in biomake's README", () => {
    const r = runTmake({ ...chain, args: ["-d", "x.baz"] });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        "% Checking dependencies: x.baz <-- [x.bar]",
        "%  Checking dependencies: x.bar <-- [x.foo]",
        "%   Nothing to be done for x.foo",
        "%  Target x.bar not materialized - build required",
        "cat x.foo > x.bar",
        "%  x.bar built",
        "% Target x.baz not materialized - build required",
        "cat x.bar > x.baz",
        "% x.baz built",
        "rm x.bar",
        "",
      ].join("\n"),
    );
    expect(r.files["x.baz"]).toBe("x\n");
  });

  it("-d says why an existing target is remade, and when it is up to date", () => {
    const mk = "all: a b\n\t@echo all\na:\n\t@echo a\nb:\n";
    const stale = runTmake({ makefile: mk, files: { b: "" }, setup: ["touch -d '2020-01-01' all"], args: ["-d"] });
    expect(stale.stdout).toBe(
      [
        "% Checking dependencies: all <-- [a,b]",
        "%  Checking dependencies: a <-- []",
        "%  Target a not materialized - build required",
        "a",
        "%  a built",
        "%  Nothing to be done for b",
        "% Target all has rebuilt dependency a - rebuild required",
        "all",
        "% all built",
        "",
      ].join("\n"),
    );
    const older = runTmake({ makefile: "all: b\n\t@echo all\n", files: { b: "" }, setup: ["touch -d '2020-01-01' all"], args: ["-d"] });
    expect(older.stdout).toContain("% Target all built before dependency b - rebuild required\nall\n% all built\n");
    const fresh = runTmake({
      makefile: "all: b\n\t@echo all\n",
      files: { b: "", all: "" },
      setup: ["touch -d '2020-01-01' b"],
      args: ["--debug=verbose", "all"],
    });
    expect(fresh.stdout).toContain("% all is up to date\n");
  });
});
