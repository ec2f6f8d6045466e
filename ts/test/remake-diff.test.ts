// Differential tests of the remake and implicit stages: GNU make and tmake run the same makefile
// in twin directories; stdout, stderr, exit status and the files left must all agree.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, tmakeMain, type RunResult, type Scenario } from "./helpers/diff.js";
import { OLD, MID, NEW } from "./helpers/fixtures.js";

const cases: Record<string, Scenario> = {
  // ---- explicit rules -----------------------------------------------------------------
  "prerequisites of several rules merge, the recipe rule's first": { makefile: "a: x\na: y\n\t@echo $^ / $<\na: z\nx y z:\n\t@echo $@\n" },
  "a second recipe overrides the first, with GNU's warnings": { makefile: "a: x\n\t@echo one $^\na: y\n\t@echo two $^\nx y:;\n" },
  "several targets share a rule but are made one by one": { makefile: "a b: c\n\t@echo $@\n", files: { c: "" }, args: ["a", "b"] },
  "up to date goal": { makefile: "all: ;\n", setup: ["touch all"] },
  "recipe that expands to nothing is still 'up to date'": { makefile: "all:\n\t$(info hi)\n" },
  "nothing to be done for a recipe-less goal": { makefile: "all: b\nb:\n\t@echo b\n", setup: ["touch b", "touch all"] },
  "no targets": { makefile: "" },
  "the same goal twice": { makefile: "a:\n\t@echo a\n", args: ["a", "a"] },
  // ---- double-colon, static pattern, order-only, grouped ------------------------------
  "double-colon rules are independent": { makefile: "all:: \n\t@echo one\nall:: b\n\t@echo two\n", setup: ["touch b"] },
  "double-colon rule made after its prerequisite": { makefile: "all::\n\t@echo one\nall:: b\n\t@echo two\nb:\n\ttouch b\n" },
  "static pattern rule": { makefile: "objs = a.o b.o\nall: $(objs)\n$(objs): %.o: %.c\n\t@echo $@ from $< stem $*\n", setup: ["touch a.c b.c"] },
  "order-only prerequisite that is missing": { makefile: "all: a | d\n\t@echo all $^ / $|\na:\n\ttouch a\nd:\n\tmkdir d\n", setup: ["touch all"] },
  "order-only prerequisite newer than the target": {
    makefile: "all: a | d\n\t@echo all\na:\n\ttouch a\n",
    setup: [`${OLD} a`, `${MID} all`, "mkdir d", `${NEW} d`],
  },
  "grouped targets run the recipe once": { makefile: "all: x y\nx y &: s\n\t@echo making $@; touch x y\n", files: { s: "" } },
  // ---- implicit rules -------------------------------------------------------------------
  "built-in %.o: %.c under -n": { makefile: "all: a.o\n", setup: ["touch a.c"], args: ["-n"] },
  "-r turns built-in rules off": { makefile: "all: a.o\n", setup: ["touch a.c"], args: ["-r"] },
  "a chain deletes its intermediate file": { makefile: "all: foo.z\n%.z: %.y\n\tcp $< $@\n%.y: %.x\n\tcp $< $@\n", files: { "foo.x": "x\n" } },
  "chain under -n prints the rm too": { makefile: "all: foo.z\n%.z: %.y\n\tcp $< $@\n%.y: %.x\n\tcp $< $@\n", files: { "foo.x": "x\n" }, args: ["-n"] },
  "an intermediate shared by an up-to-date and a stale target": {
    makefile: "all: b.z a.z\na.z: x.y\n\t@echo a.z from $<\nb.z: x.y\n\t@echo b.z from $<\n%.y: %.x\n\tcp $< $@\n",
    setup: ["echo x > x.x", `${MID} x.x`, `${NEW} a.z`, `${OLD} b.z`],
  },
  "an intermediate shared, the up-to-date target first": {
    makefile: "all: a.z b.z\na.z: x.y\n\t@echo a.z from $<\nb.z: x.y\n\t@echo b.z from $<\n%.y: %.x\n\tcp $< $@\n",
    setup: ["echo x > x.x", `${MID} x.x`, `${NEW} a.z`, `${OLD} b.z`],
  },
  ".SECONDARY keeps intermediates": { makefile: "all: foo.z\n%.z: %.y\n\tcp $< $@\n%.y: %.x\n\tcp $< $@\n.SECONDARY:\n", files: { "foo.x": "x\n" } },
  ".PRECIOUS pattern keeps intermediates": { makefile: "all: foo.z\n%.z: %.y\n\tcp $< $@\n%.y: %.x\n\tcp $< $@\n.PRECIOUS: %.y\n", files: { "foo.x": "x\n" } },
  ".INTERMEDIATE on an explicit file": { makefile: "foo.z: foo.y\n\tcp $< $@\nfoo.y: foo.x\n\tcp $< $@\n.INTERMEDIATE: foo.y\n", files: { "foo.x": "x\n" } },
  "a mentioned prerequisite 'ought to exist' (4.3)": { makefile: "all: foo.x\n%.x: %.y\n\t@echo build $@ from $<\nother: foo.y\n" },
  "slashless pattern matches the file part; directory goes back on": {
    makefile: "all: lib/a.o\n%.o: %.c\n\t@echo $@ $< $*\n",
    setup: ["mkdir lib", "touch lib/a.c"],
  },
  "directory prepended to a prerequisite with a slash": {
    makefile: "all: lib/a.o\n%.o: src/%.c\n\t@echo $@ $< $*\n",
    setup: ["mkdir -p lib/src", "touch lib/src/a.c"],
  },
  "pattern with a directory matches the whole name": {
    makefile: "all: lib/a.o\nlib/%.o: src/%.c\n\t@echo $@ $< $*\n",
    setup: ["mkdir lib src", "touch src/a.c"],
  },
  "shortest stem wins": { makefile: "all: a.x\n%.x: %.y\n\t@echo long\n%.x: a%.y\n\t@echo short $*\n", setup: ["touch a.y aa.y"] },
  "later identical pattern rule replaces the earlier": { makefile: "all: b.o\n%.o: %.c\n\t@echo one\n%.o: %.c\n\t@echo two\n", setup: ["touch b.c"] },
  "match-anything rule": { makefile: "all: foo\n%: %.c\n\t@echo any $@\n", setup: ["touch foo.c"] },
  "specific rule disables non-terminal match-anything": { makefile: "all: a.b\n%:\n\t@echo any $@\n%.b:\n\t@echo specific $@\n" },
  "terminal match-anything rule": { makefile: "all: x.y\n%:: %.src\n\tcp $< $@\n", setup: ["touch x.y.src"] },
  "old-style suffix rule with .SUFFIXES": { makefile: ".SUFFIXES: .q .r\n.q.r:\n\t@echo $@ from $<\nall: a.r\n", setup: ["touch a.q"] },
  "implicit deps come before explicit ones": { makefile: "a.o:\n%.o: %.c\n\t@echo $@ $^ $<\nb.o: dep\nb.c dep:\n\ttouch $@\n", args: ["b.o"] },
  // GNU reads a directory once (its directory cache): a file a recipe made on the side, not as
  // a target, is not seen by the rule search, however many names were searched there before.
  "a source a recipe made on the side is not found by the rule search": { makefile: "all: gen prog\ngen: ; @touch prog.c\n.PHONY: all gen\n" },
  "nor after many searches in its directory": {
    makefile:
      "all: gen $(foreach i,1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35,f$(i).txt) prog\ngen: ; @touch prog.c\n.PHONY: all gen\n",
    setup: ["touch " + Array.from({ length: 35 }, (_, i) => `f${i + 1}.txt`).join(" ")],
  },
  "vpath directive": { makefile: "vpath %.c src\nall: a.o\na.o: a.c\n\t@echo $@ from $<\n", setup: ["mkdir src", "touch src/a.c"] },
  "VPATH with a pattern rule": { makefile: "VPATH = src\nall: a.o\n%.o: %.c\n\t@echo $@ from $^\n", setup: ["mkdir src", "touch src/a.c"] },
  ".SECONDEXPANSION": { makefile: ".SECONDEXPANSION:\nDEPS = a b\nall: $$(DEPS)\n\t@echo $^\na b:\n\t@echo $@\n" },
  ".DEFAULT recipe": { makefile: "all: foo\n.DEFAULT:\n\t@echo default for $@\n" },
  ".DEFAULT_GOAL": { makefile: ".DEFAULT_GOAL := b\na:\n\t@echo a\nb:\n\t@echo b\n" },
  // ---- automatic and target-specific variables ---------------------------------------
  "$? lists the changed prerequisites": { makefile: "all: a b c\n\t@echo $?\nb c:\n\ttouch $@\n", setup: [`${OLD} a`, `${MID} all`] },
  "$* of an explicit rule strips a known suffix": { makefile: ".SUFFIXES: .x\nfoo.x bar:\n\t@echo [$*]\n", args: ["foo.x", "bar"] },
  "$+ keeps duplicates, $^ does not": { makefile: "all: a a b\n\t@echo $+ / $^\na b:;\n" },
  "target-specific variables are inherited": { makefile: "X = g\nall: a\n\t@echo all $(X)\nall: X = t\na:\n\t@echo a $(X)\n" },
  "private target-specific variables are not": { makefile: "X = g\nall: a\n\t@echo all $(X)\nall: private X = t\na:\n\t@echo a $(X)\n" },
  "pattern-specific variables": { makefile: "X = g\nall: a.o\n\t@echo all $(X)\n%.o: X += p\na.o:\n\t@echo a $(X)\n" },
  // ---- special targets ------------------------------------------------------------------
  ".SILENT for all": { makefile: ".SILENT:\nall:\n\techo hi\n" },
  ".SILENT for one target": { makefile: ".SILENT: all\nall: b\n\techo hi\nb:\n\techo b\n" },
  "a prerequisite below a plain file does not exist": { makefile: "all: f/x\n\t@echo $@\n", files: { f: "" } },
  "a symbolic link loop: stat's error is said, the file counts as missing": {
    makefile: "all: a\n\t@echo all\na:\n\t@echo made a\n",
    setup: ["ln -s a b", "ln -s b a"],
  },
  // 99 prerequisites: their times are fetched in one batch (Mtimes.prefetchDepTimes); a recipe
  // that runs before p50 is looked at changes it, and GNU sees the new time.
  "many prerequisites: a file changed by an earlier recipe is seen changed": {
    makefile: `P := $(addprefix p,$(shell seq 1 99))\nall: $(P)\n\t@echo rebuilt all\np1: | p0\np0:\n\ttouch p50\n`,
    setup: [`for i in $(seq 1 99); do ${OLD} p$i; done`, `${MID} all`],
  },
  "many prerequisites, up to date": {
    makefile: `P := $(addprefix p,$(shell seq 1 99))\nall: $(P)\n\t@echo rebuilt all\n`,
    setup: [`for i in $(seq 1 99); do ${OLD} p$i; done`, `${MID} all`],
  },
  "many prerequisites, one newer": {
    makefile: `P := $(addprefix p,$(shell seq 1 99))\nall: $(P)\n\t@echo rebuilt all $?\n`,
    setup: [`for i in $(seq 1 99); do ${OLD} p$i; done`, `${MID} all`, `${NEW} p77`],
  },
  "-s: no 'up to date' message": { makefile: "all:;$(info $(words x y))\n", args: ["-s"] },
  "-s: no 'Nothing to be done' message": { makefile: "all:\n", args: ["-s"] },
  ".SILENT without prerequisites: no 'up to date' message": { makefile: ".SILENT:\nall: ;\n", setup: ["touch all"] },
  ".SILENT for one target still says 'Nothing to be done'": { makefile: ".SILENT: all\nall:\n" },
  "-s: an ignored error is not reported": { makefile: "all:\n\t-false\n\techo next\n", args: ["-s"] },
  "-s -t: no 'touch' echo": { makefile: "all: a\na:\n\techo a\n", args: ["-s", "-t"] },
  "-s: no 'rm' of intermediate files": { makefile: "all: foo.z\n%.z: %.y\n\tcp $< $@\n%.y: %.x\n\tcp $< $@\n", files: { "foo.x": "x\n" }, args: ["-s"] },
  ".IGNORE": { makefile: ".IGNORE:\nall:\n\tfalse\n\techo after\n" },
  ".ONESHELL": { makefile: ".ONESHELL:\nall:\n\t@a=1\n\techo $$a\n" },
  ".DELETE_ON_ERROR": { makefile: ".DELETE_ON_ERROR:\nall:\n\techo x > $@; false\n" },
  ".PHONY with a file of that name": { makefile: ".PHONY: clean\nclean:\n\t@echo cleaning\n", setup: ["touch clean"] },
  // ---- mtimes and options --------------------------------------------------------------
  "newer prerequisite remakes": { makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n", files: { a: "a\n", b: "b\n" }, setup: [`${OLD} t`, `${MID} a`, `${OLD} b`] },
  "-n": { makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n", files: { a: "a\n", b: "b\n" }, setup: [`${OLD} t`, `${MID} a`, `${OLD} b`], args: ["-n"] },
  "-t touches only what is out of date": {
    makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n",
    files: { a: "a\n", b: "b\n" },
    setup: [`${OLD} t`, `${MID} a`, `${OLD} b`],
    args: ["-t"],
  },
  "-t runs + lines": { makefile: "all:\n\t+echo plus\n\techo y\n", args: ["-t"] },
  "-q not up to date": {
    makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n",
    files: { a: "a\n", b: "b\n" },
    setup: [`${OLD} t`, `${MID} a`, `${OLD} b`],
    args: ["-q"],
  },
  "-q up to date": { makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n", files: { a: "a\n", b: "b\n" }, setup: [`${NEW} t`, `${MID} a`, `${OLD} b`], args: ["-q"] },
  "-W pretends a file is new": {
    makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n",
    files: { a: "a\n", b: "b\n" },
    setup: [`${NEW} t`, `${MID} a`, `${OLD} b`],
    args: ["-W", "b"],
  },
  "-o never remakes a file": {
    makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n",
    files: { a: "a\n", b: "b\n" },
    setup: [`${MID} t`, `${OLD} a`, `${NEW} b`],
    args: ["-o", "a"],
  },
  "-B remakes everything": {
    makefile: "t: a\n\tcp a t\na: b\n\tcp b a\n",
    files: { a: "a\n", b: "b\n" },
    setup: [`${NEW} t`, `${MID} a`, `${OLD} b`],
    args: ["-B"],
  },
  "a remade prerequisite whose mtime did not change": {
    makefile: "t: a\n\ttouch t\na: b\n\t@echo not changing a\n",
    files: { a: "", b: "" },
    setup: [`${NEW} t`, `${MID} a`, "touch b"],
  },
  // ---- recipe lines into commands ----------------------------------------------------------
  "a backslash-newline continues the command": { makefile: "all:\n\techo a \\\n\tb\n\techo c\n" },
  "a backslash-newline inside quotes reaches the shell": { makefile: "all: ; @(echo 'hello \\\n\tworld'; echo \"hello \\\n    world\")\n" },
  "a variable with newlines gives one command per line": { makefile: "define two\necho one\necho two\nendef\nall:\n\t@$(two)\n" },
  "two backslashes before a newline end the command": { makefile: "define two\necho one \\\\\necho two\nendef\nall:\n\t$(two)\n" },
  "circular dependency dropped": { makefile: "a: b\n\t@echo a\nb: a\n\t@echo b\n" },
  // ---- remaking makefiles (one file table for makefiles and goals) ----------------------
  "a prerequisite of an optional include is optional too": { makefile: "-include inc.mk\nall:\n\t@echo all\ninc.mk: missing\n\t@echo making inc.mk\n" },
  "an optional include that failed silently is reported when a goal needs it": { makefile: "-include missing.mk\nall: missing.mk\n\t@echo all\n" },
  "a goal's prerequisite that failed under an optional include names the real culprit": {
    makefile: "-include inc.mk\nall: inc.mk\n\t@echo all\ninc.mk: missing\n\t@echo making inc.mk\n",
  },
  "a file made while remaking the makefiles is up to date for the goals": {
    makefile: "all:\n\t@echo all\nMakefile: dep\n\t@echo remaking Makefile\ndep:\n\t@echo making dep\n",
    args: ["dep"],
  },
  // ---- failures ------------------------------------------------------------------------
  "no rule to make a goal": { makefile: "all:\n", args: ["nothing"] },
  "no rule to make a prerequisite": { makefile: "all: missing\n" },
  "no rule, -k": { makefile: "all: t1 t2\nt1: nope\n\t@echo t1\nt2:\n\t@echo t2\n", args: ["-k"] },
  "stop at the first error": { makefile: "all: a b\na:\n\tfalse\nb:\n\t@echo b\n" },
  "-k keeps going with what does not depend on the failure": { makefile: "all: t1 t2\nt1: bad\n\t@echo t1\nt2:\n\t@echo t2\nbad:\n\texit 3\n", args: ["-k"] },
  "-k with a failing pattern prerequisite": { makefile: "%.o: %.c ; @echo $@\nall: x.o y.o\n", setup: ["touch x.c"], args: ["-k"] },
};

describe("remake: GNU make and tmake agree", () => {
  for (const [name, scenario] of Object.entries(cases)) {
    it(name, () => {
      const { gnu, tmake } = runBoth(scenario);
      expect(outcome(tmake)).toEqual(outcome(gnu));
    });
  }
});

describe("remake: $(MAKE) lines under -n", () => {
  // $(MAKE) legitimately differs (GNU: `make`; tmake: node and its script), and each run has its
  // own directory: normalise both, then everything else must agree. The sub-make's output only
  // appears if the $(MAKE) line really ran under -n, and no file may be created.
  // $(MAKE) of `node dist/cli/main.js` is the script (see cli/make-command.ts).
  const tmakeCommand = tmakeMain;
  const normalised = (r: RunResult): ReturnType<typeof outcome> => {
    const o = outcome(r);
    const fix = (t: string): string => t.split(tmakeCommand).join("make").split(r.dir).join("<dir>");
    return { ...o, stdout: fix(o.stdout), stderr: fix(o.stderr) };
  };
  const scenario: Scenario = {
    makefile: "all:\n\t$(MAKE) -f sub.mk sub\n\techo y > top\n",
    files: { "sub.mk": "sub:\n\techo from sub > made\n\t@echo sub ran\n" },
    args: ["-n"],
  };
  it("the $(MAKE) line runs and its sub-make prints, nothing else runs", () => {
    const { gnu, tmake } = runBoth(scenario);
    expect(gnu.stdout).toContain("echo from sub > made");
    expect(normalised(tmake)).toEqual(normalised(gnu));
  });
  it("a silenced $(MAKE) line still runs under -n", () => {
    const { gnu, tmake } = runBoth({ ...scenario, makefile: "all:\n\t@$(MAKE) -s -f sub.mk sub\n\techo y > top\n" });
    expect(gnu.stdout).toContain("echo sub ran");
    expect(normalised(tmake)).toEqual(normalised(gnu));
  });
});
