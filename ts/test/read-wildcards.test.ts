// An unset variable in a rule's targets: GNU's empty text, and a biomake named wildcard only
// when the rule uses it again (ts/src/read/wildcards.ts has the rule). The GNU side is checked
// against GNU make on reduced shapes of real makefiles (git's and redis's), the biomake side
// against the real biomake; both through the real command line.
import { describe, expect, it } from "vitest";
import { outcome, runBoth } from "./helpers/diff.js";
import { findBiomake, runIn, runTmakeIn } from "./helpers/biomake-oracle.js";

/** GNU make and tmake on the same files and arguments: everything a user sees is the same. */
function sameAsGnu(makefile: string, files: Record<string, string>, args: string[]): void {
  const { gnu, tmake } = runBoth({ makefile, files, args });
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

describe("GNU makefiles keep GNU's meaning (against GNU make)", () => {
  // redis's src/Makefile: `redis-benchmark$(PROG_SUFFIX): $(REDIS_BENCHMARK_OBJ)` and
  // `-include $(DEP)`, where DEP names redis-benchmark.d. Read as a wildcard, PROG_SUFFIX made
  // the link rule match redis-benchmark.d, which tmake then remade (compiling, for real, under
  // -n, as included makefiles are remade).
  const redis = [
    "PROG = prog$(PROG_SUFFIX)",
    "OBJ = main.o prog.o",
    "all: $(PROG)",
    "$(PROG): $(OBJ)",
    "\techo link $@ from $^ >> ran.log",
    "-include $(OBJ:%.o=%.d)",
    "%.o: %.c",
    "\techo compile $< >> ran.log",
    "",
  ].join("\n");
  const sources = { "main.c": "", "prog.c": "" };

  it("redis: a program named with an unset suffix, its objects' .d files included (-n)", () => {
    sameAsGnu(redis, sources, ["-n"]);
  });

  it("redis: the same makefile built", () => {
    sameAsGnu(redis, sources, []);
  });

  // git's Makefile: `OBJECTS += $(REFTABLE_TEST_OBJS)` (never set) and the static pattern rule
  // `$(OBJECTS): %.o: %.c ...`, which gave "No rule to make target '%.o:'".
  it("git: an object list with an unset variable in a static pattern rule and a plain rule", () => {
    const git = [
      "OBJECTS =",
      "OBJECTS += a.o b.o",
      "OBJECTS += $(REFTABLE_TEST_OBJS)",
      "all: $(OBJECTS)",
      "$(OBJECTS): %.o: %.c flags",
      "\techo cc $< >> ran.log; touch $@",
      "$(OBJECTS): lib.h",
      "",
    ].join("\n");
    sameAsGnu(git, { "a.c": "", "b.c": "", flags: "", "lib.h": "" }, []);
    sameAsGnu(git, { "a.c": "", "b.c": "", flags: "", "lib.h": "" }, ["-n"]);
  });

  // git's `git$X: git.o ...` and `$(BUILT_INS): git$X` (X is ".exe" on Windows, unset here):
  // the second rule uses X again, so it is also read as biomake's, beside GNU's reading.
  it("git: git$X and the built-ins linked to it", () => {
    const git = [
      "BUILT_INS = git-add$X git-am$X",
      "all: git$X $(BUILT_INS)",
      "git$X: git.o",
      "\techo link $@ >> ran.log; touch $@",
      "$(BUILT_INS): git$X",
      "\techo ln $< $@ >> ran.log; touch $@",
      "%.o: %.c",
      "\techo cc $< >> ran.log; touch $@",
      "",
    ].join("\n");
    sameAsGnu(git, { "git.c": "" }, []);
    sameAsGnu(git, { "git.c": "" }, ["-n", "git-am"]);
  });

  it("a line holding only an unset variable is nothing", () => {
    sameAsGnu("$(NOT_SET)\n$(NOT_SET) $X\nall: ; @echo ok\n", {}, []);
  });

  it("an install rule whose recipe names $(DESTDIR) again, with an order-only directory", () => {
    const install = [
      "bindir = inst/bin",
      "install: $(DESTDIR)$(bindir)/prog",
      "$(DESTDIR)$(bindir)/prog: prog | $(DESTDIR)$(bindir)",
      "\tcp prog $(DESTDIR)$(bindir)/prog",
      "$(DESTDIR)$(bindir):",
      "\tmkdir -p $(DESTDIR)$(bindir)",
      "",
    ].join("\n");
    sameAsGnu(install, { prog: "binary\n" }, []);
    sameAsGnu(install, { prog: "binary\n" }, ["-n"]);
  });

  it("double-colon and grouped rules with unset variables keep GNU's forms", () => {
    const mk = [
      "all: b c",
      "b$X:: in",
      "\techo one $X >> ran.log",
      "b$X:: in",
      "\techo two $X >> ran.log",
      "c$X d$X &: in",
      "\techo group $X >> ran.log; touch c d",
      "",
    ].join("\n");
    sameAsGnu(mk, { in: "" }, []);
  });

  it("a target-specific variable on targets with an unset variable", () => {
    sameAsGnu("all: a.o\nOBJS = a.o $(NOT_SET)\n$(OBJS): FLAGS += -g\na.o:\n\t@echo [$(FLAGS)]\n", {}, []);
  });

  it("braces in a target-specific variable's value are not a goal", () => {
    sameAsGnu("all: t u\nt: V = a {x}\nu: W = }\nt u:\n\t@echo '$(V)$(W)'\n", {}, []);
  });
});

const biomake = findBiomake();
if ("missing" in biomake) console.log(`skipping the differential tests against biomake: ${biomake.missing}`);
const biomakePath = "path" in biomake ? biomake.path : "";

/** biomake and tmake on the same files and goal: the same files left (recipes log what they
 * run into ran.log, so that includes the commands, in order). */
function sameAsBiomake(files: Record<string, string>, args: string[]): void {
  const theirs = runIn([biomakePath], files, args);
  const ours = runTmakeIn(files, args);
  expect(ours.files).toEqual(theirs.files);
}

describe.skipIf("missing" in biomake)("biomake's wildcards (against the real biomake)", () => {
  it("a wildcard used only in the recipe", () => {
    sameAsBiomake({ Makefile: "$A.$B.foo:\n\techo b= $B a= $A >$@\n" }, ["x.y.foo"]);
  });

  it("a wildcard used through a variable of the recipe", () => {
    sameAsBiomake({ Makefile: "CMD = echo $X > $@\nout-$X:\n\t$(CMD)\n" }, ["out-a"]);
  });

  it("alternatives for the same targets, the first one wins", () => {
    sameAsBiomake({ Makefile: "all: r_one\nr_$A:\n\techo $A first >$@\nr_$A:\n\techo $A second >$@\n" }, ["all"]);
  });

  it("$(bagof) in a multi-wildcard rule's prerequisites, evaluated once the wildcards are bound", () => {
    const files = {
      Makefile: [
        "prolog",
        "part(a,1).",
        "part(a,2).",
        "part(b,3).",
        "endprolog",
        "all: out-a out-b",
        "out-$X: $(bagof F,(part($X,N),atom_concat(in,N,F)))",
        "\techo $@ from $^ >> ran.log; touch $@",
        "in%:",
        "\techo make $@ >> ran.log; touch $@",
        "",
      ].join("\n"),
    };
    sameAsBiomake(files, ["all"]);
    // No evaluation with the wildcards unbound: no "Syntax error" from `part(,N)`.
    expect(runTmakeIn(files, ["all"]).stderr).toBe("");
  });

  // A wildcard written in the rule's line but used nowhere else: biomake reads `B.$X` as a
  // pattern, and so does tmake, as a fallback rule tried only for names GNU's reading has no
  // rule for; GNU's reading (the target `B.`) stays, for GNU makefiles that name programs this
  // way (git's `git$X`).
  it("a wildcard that nothing else uses makes a fallback rule, next to GNU's reading", () => {
    const files = { Makefile: "B.$X: in\n\techo made $@ >> ran.log; touch $@\n", in: "" };
    sameAsBiomake(files, ["B.a"]);
    expect(runTmakeIn(files, ["B.a"]).files["ran.log"]).toBe("made B.a\n");
    expect(runTmakeIn(files, ["B."]).files["ran.log"]).toBe("made B.\n");
  });
});
