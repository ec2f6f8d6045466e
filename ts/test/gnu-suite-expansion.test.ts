// Differential tests for what GNU Make's own suite checks in features/se_*, rule_glob, vpath*,
// include, recursion and variables/MAKE_RESTARTS: second expansion, globbing in rules, directory
// search, remaking included makefiles, and what a recursive make inherits. GNU make and tmake
// run the same makefile in twin directories; stdout, stderr, exit status and files must agree.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";
import { OLD } from "./helpers/fixtures.js";

function same(s: Scenario): void {
  const { gnu, tmake } = runBoth(s);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

const secondExpansion: Record<string, Scenario> = {
  "automatic variables of an explicit rule, in GNU's prerequisite order": {
    makefile: [
      ".SECONDEXPANSION:",
      ".DEFAULT: ; @echo '$@'",
      "foo: bar baz",
      "foo: biz | buz",
      "foo: $$@.1 $$<.2 $$(addsuffix .3,$$^) $$(addsuffix .4,$$+) $$|.5 $$*.6",
      "",
    ].join("\n"),
  },
  "a rule's expanded prerequisites stay where the rule put them; $< is empty before an unexpanded one": {
    makefile: [
      ".SECONDEXPANSION:",
      "x = X",
      "all: a",
      "all: $$(x) $$(info first $$^)",
      "all: b",
      "all: $$(info second $$^ / $$+ / [$$<]) c ; @echo '$^'",
      "a b c X: ; @:",
      "",
    ].join("\n"),
  },
  "explicit second expansion happens before the build: no variables from the parent": {
    makefile: [
      ".SECONDEXPANSION:",
      "all: foo",
      "all: X = bar",
      'foo: $$(X) $$(info expanding foo) ; @echo "[$^]"',
      "bar: ; @echo bar",
      "all: ; @echo all",
      "",
    ].join("\n"),
  },
  "target- and pattern-specific variables in an explicit second expansion": {
    makefile: ".SECONDEXPANSION:\n.DEFAULT: ; @echo '$@'\nfoo.x: $$a $$b\nfoo.x: a := bar\n%.x: b := baz\n",
  },
  "a target with `$$` in its name is a plain GNU target": {
    makefile: "foo$$bar: bar$$baz bar$$biz ; @echo '$@ : $^'\nbar$$baz: ;\n.DEFAULT: ; @echo '$@'\n",
  },
  "static pattern rule: `%` is read as $*, never expanded again": {
    makefile: ".SECONDEXPANSION:\nfoo$$bar: f%r: % $$*.1\n\t@echo '$*'\n\noo$$ba oo$$ba.1:\n\t@echo '$@'\n",
  },
  "`\\:` in a second expansion's text is a colon": {
    makefile: ".PHONY: foo.bar\n.SECONDEXPANSION:\nfoo: $$(@\\:%=%.bar); @echo '$^'\n",
  },
  "a rule defined by $(eval) in a second expansion stops make": {
    makefile: ".SECONDEXPANSION:\nproj1.exe : proj1.o $$(eval $$(test))\ndefine test\nproj1.o : proj1.c\nproj1.c: proj1.h\nendef\n",
  },
  "a rule defined by $(eval) in a recipe stops make": {
    makefile: "all: ; @echo hi $(eval x: y)\n",
  },
  "$(error) in a second expansion names no makefile": {
    makefile: ".SECONDEXPANSION:\nall: $$(error boom)\n",
  },
  "pattern rule: automatic variables come from the file's explicit prerequisites": {
    makefile: [
      ".SECONDEXPANSION:",
      ".DEFAULT: ; @echo '$@'",
      "foo.a: bar baz",
      "foo.a: biz | buz",
      "foo.%: 1.$$@ 2.$$< $$(addprefix 3.,$$^) $$(addprefix 4.,$$+) 5.$$| 6.$$* ; @:",
      "1.foo.a 2.bar 3.bar 3.baz 3.biz 4.bar 4.baz 4.biz 5.buz 6.a: ; @echo '$@'",
      "",
    ].join("\n"),
  },
  "pattern rule: the target's own variables, and $+ keeps duplicates": {
    makefile: "all : bar bar\nbar : ;\nq%x : ;\n.SECONDEXPANSION:\na%l: q1x $$+ q2x ; @echo '$+'\n",
  },
  "pattern rule matching a file part: `%` is $(*F) and each name gets the directory": {
    makefile: [
      ".SECONDEXPANSION:",
      "tmp/bar.o:",
      "tmp/foo/bar.c: ; @echo '$@'",
      "tmp/bar/bar.c: ; @echo '$@'",
      "foo.h: ; @echo '$@'",
      "%.o: $$(addsuffix /%.c,foo bar) foo.h ; @echo '$@: {$<} $^'",
      "",
    ].join("\n"),
  },
  "pattern rule: `|` inside an expansion starts the order-only prerequisites": {
    makefile: [
      ".SECONDEXPANSION:",
      "PREREQS=p1|p2",
      "P2=p2",
      "all : foo bar",
      "f%o: $$(PREREQS) ; @echo '$@' from '$^' and '$|'",
      "b%r: p1|$$(P2)   ; @echo '$@' from '$^' and '$|'",
      "p% : ; : $@",
      "",
    ].join("\n"),
  },
  "pattern rule: $* with a directory, expanded once": {
    makefile: ".SECONDEXPANSION:\n%x: $$(info $$*); @echo '$*'\n",
    args: ["q/ux"],
  },
  "pattern rule: a prerequisite that cannot be made makes the rule fail": {
    makefile: [
      ".SECONDEXPANSION:",
      "sim_base_rgg := just_a_name",
      "sim_base_src := a",
      "sim_base_f := a a a",
      "sim_%.f: $${sim_$$*_f} ; echo $@",
      "sim_%.src: $${sim_$$*_src} ; echo $@",
      "sim_%: $$(if $$(sim_$$*_src),sim_%.src) $$(if $$(sim_$$*_f),sim_%.f) $$(if $$(sim_$$*_rgg),$$(sim_$$*_rgg).s) ; echo $@",
      "",
    ].join("\n"),
    files: { a: "" },
    args: ["-s", "sim_base"],
  },
};

const prerequisiteWords: Record<string, Scenario> = {
  "`|` inside a word starts the order-only prerequisites": {
    makefile: "all: x.o y\ny: a|b ; @echo '$@ [$^] [$|]'\n%.o: %.c|b ; @echo '$@ [$^] [$|]'\na b x.c: ; @echo $@\n",
  },
  "a pattern rule's prerequisite is globbed": {
    makefile: ".PHONY: all\nall: a.four\n%.four : %.t* ; @echo $@: $(sort $^)\n",
    files: { "a.two": "", "a.three": "" },
  },
  "a pattern rule's prerequisite is globbed after a second expansion": {
    makefile: ".PHONY: all\nall: a.four\n.SECONDEXPANSION:\n%.four : $$(sort %.t*) ; @echo $@: $(sort $^)\n",
    files: { "a.two": "", "a.three": "" },
  },
};

const NEWER = "touch -d '2021-01-01 00:00'";

const directorySearch: Record<string, Scenario> = {
  "a name the makefile mentions in a vpath directory counts as found": {
    makefile: "vpath %.te vpath-d/\n.SECONDARY:\ndefault: vpath-d/a vpath-d/b\nvpath-d/a: fail.te\nvpath-d/b : fail.te\nvpath-d/fail.te:\n",
    setup: ["mkdir vpath-d"],
  },
  "a goal found under another target's name says nothing": {
    makefile: "vpath %.te vpath-d/\nvpath-d/fail.te:\n",
    setup: ["mkdir vpath-d"],
    args: ["fail.te"],
  },
  "GPATH: the found name is the file's name, also for implicit rule search": {
    makefile: [
      "VPATH = vp/",
      "GPATH = $(VPATH)",
      ".SUFFIXES: .a .b .c .d",
      ".PHONY: general",
      "%.a:",
      "%.b:",
      "%.c:",
      "%.d:",
      "%.a : %.b ; cat $^ > $@",
      "%.b : %.c ; cat $^ > $@",
      "%.c :: %.d ; cat $^ > $@",
      "general: foo.b",
      "foo.b: foo.c bar.c",
      "",
    ].join("\n"),
    setup: ["mkdir vp", `${OLD} vp/foo.d vp/bar.d vp/foo.c vp/bar.c`, `${NEWER} foo.b bar.d`],
    args: ["general"],
  },
  "-lNAME is found by .LIBPATTERNS through vpath, the earliest directive winning": {
    makefile: "vpath %.h b3\nvpath %.a a1\nvpath %.so b1\nvpath % a2 b2\nvpath % b3\nall: -l1 -lc -l2 -l3; @echo $^\n",
    setup: ["mkdir a1 b1 a2 b2 b3", "touch a1/lib1.a a1/libc.a b1/lib1.so a2/lib2.a b2/lib2.so lib3.a b3/lib3.so"],
  },
  ".LIBPATTERNS: an element without `%` is said and skipped": {
    makefile: '.LIBPATTERNS = mtest_foo.a mtest_%.a\nall: -lfoo ; @echo "build $@ from $<"\n',
    files: { "mtest_foo.a": "" },
  },
  "-lNAME in the standard library directories": {
    makefile: "all: -lc -lm; @echo $^\n",
  },
  "-lNAME made by a rule, then found as a known target: GNU's three lines": {
    makefile: ["foo: -lcat", ".SECONDEXPANSION:", "foo: $$@.o ;", "%.o: ; @true", "-l%: lib%.a ; @true", "libcat.a: ; @touch $@", ""].join("\n"),
  },
};

const remakingMakefiles: Record<string, Scenario> = {
  "included makefiles are remade in the reverse of reading order": {
    makefile: ".PHONY: default\ndefault:; @echo DONE\ninc1:; echo > $@\ninclude inc1\ninclude inc2\ninc2:; echo > $@\n",
  },
  "a missing include no rule makes stops make before the others are made": {
    makefile: ".PHONY: default\ndefault:; @echo DONE\ninc1:; echo > $@\ninclude inc1\ninclude inc2\n",
  },
  "-k: a missing include no rule makes is reported, and the run fails after the goals": {
    makefile: ".PHONY: default\ndefault:; @echo DONE\ninc1:; echo > $@\ninclude inc1\ninclude inc2\n",
    args: ["-k"],
  },
  "a failing prerequisite of a missing include: the include is named before the error": {
    makefile: "default:; @echo DEFAULT\ninclude inc1\ninc1: foo; echo > $@\nfoo:; exit 1\n",
  },
  "a prerequisite of a missing include that no rule makes": {
    makefile: "default:; @echo DEFAULT\ninclude inc1\ninc1: foo; echo > $@\n",
  },
  "an optional include's failing prerequisite is silent": {
    makefile: ".PHONY: all\nall:; @:\n-include foo\nfoo: bar; @:\nbar:; @exit 1\n",
  },
  "a missing include whose rule does not create it is simply not read": {
    makefile: "all: ; @echo all\ninclude inc1 inc2\ninc1: ; @echo making\ninc2: ; touch $@\n",
  },
  "the same include twice is made once": {
    makefile: "default:; @echo DEFAULT\ninclude inc1\ninc1:; echo > $@\ninclude inc1\n",
  },
  "a missing -f makefile is named at once, then made by a rule": {
    makefile: "all: ; @echo all\nnope: ; @echo making nope\n",
    args: ["-f", "Makefile", "-f", "nope"],
  },
  "a missing -f makefile that no rule makes": {
    makefile: "all: ; @echo all\n",
    args: ["-f", "Makefile", "-f", "nope"],
  },
  "MAKE_RESTARTS counts the re-reads and is not handed to a sub-make": {
    makefile: [
      "recurse:",
      "\t@echo recurse MAKE_RESTARTS=$$MAKE_RESTARTS",
      "\t@$(MAKE) --no-print-directory -f Makefile all",
      "all:",
      "\t@echo all MAKE_RESTARTS=$$MAKE_RESTARTS",
      "$(info MAKE_RESTARTS=$(MAKE_RESTARTS))",
      "include foo.x",
      'foo.x: ; @echo "include bar.x" > $@',
      "bar.x: ; @touch $@",
      "",
    ].join("\n"),
  },
};

const recursion: Record<string, Scenario> = {
  "MAKEOVERRIDES holds the command-line variables, a sub-make's own ones": {
    makefile: 'recur: all ; @$(MAKE) --no-print-directory -f Makefile a=AA all\nall: ; @echo "MAKEOVERRIDES = $(MAKEOVERRIDES)"\n',
    args: ["a=ZZ"],
  },
  "what a makefile adds to MAKEOVERRIDES reaches the sub-make": {
    makefile: [
      "ifeq ($(MAKELEVEL),0)",
      "MAKEOVERRIDES += FOO+=bar",
      "endif",
      ".PHONY: M R",
      "M: ; @$(MAKE) --no-print-directory -f Makefile R",
      "R: ; @echo '$(FOO)'",
      "",
    ].join("\n"),
  },
  "MAKEFLAGS while reading has the plain flags only; afterwards all of them": {
    makefile: "$(info read [$(MAKEFLAGS)] [$(MAKEOVERRIDES)])\nall: ; @echo '[$(MAKEFLAGS)] [$(value MAKEFLAGS)]'; env | grep '^MAKE[FO]' | sort\n",
    args: ["-k", "-I", "/tmp", "--no-print-directory", "a=Z$$Z x", "b:=2"],
  },
  "a makefile's MAKEFLAGS += -s joins the flags": {
    makefile: 'MAKEFLAGS += -s\n$(info [$(MAKEFLAGS)])\nall: ; @echo "[$(MAKEFLAGS)]"\n',
    args: ["-k", "a=1"],
  },
  "a variable from the environment goes to recipes unexpanded": {
    makefile: "all: ; @env | grep '^FOO='\n",
    env: { FOO: "$(BAR)", BAR: "x" },
  },
};

describe("second expansion (features/se_explicit, se_implicit, se_statpat)", () => {
  for (const [name, s] of Object.entries(secondExpansion)) it(name, () => same(s));
});

describe("prerequisite words (features/rule_glob)", () => {
  for (const [name, s] of Object.entries(prerequisiteWords)) it(name, () => same(s));
});

describe("directory search (features/vpath, vpath3, vpathgpath)", () => {
  for (const [name, s] of Object.entries(directorySearch)) it(name, () => same(s));
});

describe("remaking makefiles (features/include, variables/MAKE_RESTARTS)", () => {
  for (const [name, s] of Object.entries(remakingMakefiles)) it(name, () => same(s));
});

describe("recursion (features/recursion)", () => {
  for (const [name, s] of Object.entries(recursion)) it(name, () => same(s));
});
