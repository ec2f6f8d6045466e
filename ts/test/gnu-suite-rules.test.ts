// Differential tests for rule kinds and special targets, from the behaviours GNU Make's own test
// suite checks (features/double_colon, grouped_targets, patternrules, statipattrules,
// suffixrules, targetvars; targets/POSIX, SECONDARY; variables/EXTRA_PREREQS, LIBPATTERNS):
// GNU make and tmake run the same makefile in twin directories and must agree on stdout,
// stderr, exit status and the files left.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";
import { OLD, MID } from "./helpers/fixtures.js";

function same(scenario: Scenario): void {
  const { gnu, tmake } = runBoth(scenario);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

const cases: Record<string, Record<string, Scenario>> = {
  "double-colon rules": {
    // Each entry is judged by the time the target had before any entry ran.
    "every entry of a missing target runs": {
      makefile: ".PHONY: all\nall: result\nresult:: one\n\t@echo $^ >>$@\n\t@echo $^\nresult:: two\n\t@echo $^ >>$@\n\t@echo $^\n",
      setup: ["touch one two"],
    },
    "an entry that touches the target does not stop the next": {
      makefile:
        "result :: 01\n\t@echo update\n\t@touch $@\nresult :: 02\n\t@echo update\n\t@touch $@\nresult :: 03\n\t@echo update\n\t@touch $@\n01 02 03:\n\t@touch 01 02 03\n",
    },
    "only the out-of-date entry runs": {
      makefile: "foo:: f1.h ; @echo foo FIRST\nfoo:: f2.h ; @echo foo SECOND\nf1.h f2.h: ; @echo $@\n",
      setup: [`${OLD} f2.h`, `${MID} foo`],
      args: ["foo"],
    },
    "as a prerequisite, the entries count as one file with the newest time": {
      makefile: "all: r\n\t@echo all\nr:: a\n\t@touch r; echo first\nr:: b\n\t@echo second\n",
      setup: [`${OLD} b`, `${MID} all`, "touch a"],
    },
    "an entry depending on its own target: one circular message": {
      makefile: "d :: ; @echo ok\nd :: d ; @echo oops\n",
      args: ["d"],
    },
    "a default goal whose name holds a blank": { makefile: "a\\ xb :: ; @echo one\na\\ xb :: ; @echo two\n" },
  },
  "grouped targets": {
    "grouped targets must provide a recipe": { makefile: ".PHONY: M a b\nM: a b\na b&:\n" },
    "grouped double-colon rules: each group's recipe once": {
      makefile: ".PHONY: M a b c d e f g h\nM: a b c d e\na b c&:: ; @echo X\nc d e&:: ; @echo Y\nf g h&:: ; @echo Z\n",
    },
    "grouped double-colon rules: other members are made": {
      makefile: ".PHONY: M a b c d e f g h\nM: f g h\na b c&:: ; @echo X\nc d e&:: ; @echo Y\nf g h&:: ; @echo Z\n",
    },
    "grouped double-colon rules: a shared member runs both groups": {
      makefile: ".PHONY: M a b c d e f g h\nM: c\na b c&:: ; @echo X\nc d e&:: ; @echo Y\nf g h&:: ; @echo Z\n",
    },
  },
  "pattern and static pattern rules": {
    "a recipe-less pattern rule cancels the suffix rule it duplicates": {
      makefile: "CWEAVE := :\n%.tex : %.w\n%.tex : %.w %.ch\n",
      setup: ["touch foo.w foo.ch"],
      args: ["foo.tex"],
    },
    "a static pattern may match with an empty stem": {
      makefile: ".DEFAULT: ; @echo $@\nfoo: foo%: % %.x % % % y.% % ; @echo $@\n",
    },
    "a static pattern rule without prerequisites": { makefile: "foo.x bar.x: %.x : ; @echo $@\n\n" },
    "a recipe from .DEFAULT has $< equal to $@": { makefile: "all: foo\n\t@echo all $<\n.DEFAULT:\n\t@echo default [$@] [$<]\n" },
  },
  "suffix rules": {
    "a suffix rule with prerequisites: warned, both an ordinary target and a rule": {
      makefile: ".SUFFIXES:\n.SUFFIXES: .biz .baz\n\n.baz.biz: foo.bar ; @echo make $@ from $<\n",
      setup: ["touch foo.bar foo.baz"],
      args: [".baz.biz", "foo.biz"],
    },
    "under .POSIX a suffix rule with prerequisites is no rule": {
      makefile: ".SUFFIXES:\n.SUFFIXES: .biz .baz\n.POSIX:\n.baz.biz: foo.bar ; @echo make $@ from $<\n",
      setup: ["touch foo.bar foo.baz"],
      args: ["foo.biz"],
    },
    "under .POSIX the suffix rule target is still made": {
      makefile: ".SUFFIXES:\n.SUFFIXES: .biz .baz\n.POSIX:\n.baz.biz: foo.bar ; @echo make $@ from $<\n",
      setup: ["touch foo.bar"],
      args: [".baz.biz"],
    },
    "a suffix rule with prerequisites ignores them as a rule": {
      makefile: ".SUFFIXES:\n.SUFFIXES: .biz .baz\n.baz.biz: foo.bar ; @echo make $@ from $<\n",
      setup: [`${OLD} foo.baz`, `${MID} foo.biz`, "touch foo.bar"],
      args: ["foo.biz"],
    },
  },
  "target-specific variables": {
    "a variable name is expanded among the target's own variables": {
      makefile:
        'FOO = foo\nfour:FOO=x\nfour:VAR$(FOO)=ok\nfour: ; @echo "$(FOO) $(VAR$(FOO)) $(VAR) $(VARx) $(VARfoo)"\nfive six: VAR$(FOO)=good\nfive six: ; @echo "$@ $(VARx) $(VARfoo)"\nfive: FOO = x\n',
      args: ["four", "five", "six"],
    },
    "a target-specific value of an exported variable is exported": {
      makefile: "export FOO = foo\nexport BAR = bar\nnine: ; @echo $(FOO) $(BAR) $$FOO $$BAR\nnine: FOO = wallace\n",
      args: ["nine"],
    },
    "a pattern-specific value of an exported variable is exported": {
      makefile: "export FOO = foo\n%.x: FOO = pat\na.x: ; @echo $$FOO\n",
      args: ["a.x"],
    },
    "a target-specific PATH is the recipe's PATH": {
      makefile: "all: PATH := sd\nall: ; foobar.sh >/dev/null\n",
      setup: ["mkdir sd", "printf 'exit 0\\n' > sd/foobar.sh", "chmod 755 sd/foobar.sh"],
    },
    "an environment variable redefined in the makefile stays exported": {
      makefile: 'FOO = bar\nall: ; @echo "[$$FOO]"\n',
      env: { FOO: "env" },
    },
  },
  ".POSIX": {
    "the shell runs with -e": { makefile: ".POSIX:\nall: ; @false; true\n" },
    "a .SHELLFLAGS the makefile set stays": { makefile: ".SHELLFLAGS = -xc\n.POSIX:\nall: ; @false; true\n" },
    // ARFLAGS is left out: Debian's make (the one installed) sets -rvU where GNU's sources and
    // test suite (targets/POSIX) say -rv, which tmake follows.
    "POSIX defaults for the built-in variables": {
      makefile: ".POSIX:\nall:\n\t@echo 'AR=$(AR) CC=$(CC) CFLAGS=$(CFLAGS) FC=$(FC) FFLAGS=$(FFLAGS) SCCSGETFLAGS=$(SCCSGETFLAGS) $(origin CC)'\n",
    },
    "the environment's values win over POSIX defaults": {
      makefile: ".POSIX:\nall:\n\t@echo 'ARFLAGS=$(ARFLAGS) CC=$(CC) CFLAGS=$(CFLAGS)'\n",
      env: { ARFLAGS: "xx-a", CC: "xx-cc", CFLAGS: "xx-c" },
    },
  },
  ".SECONDARY": {
    "without prerequisites every file is secondary: a missing one is not remade": {
      makefile: ".SECONDARY:\n\nfinal: intermediate\nintermediate: source\n\nfinal intermediate source: ; echo $< > $@\n",
      setup: [`${OLD} source`, "touch final"],
    },
  },
  "intermediate files are removed in the order of GNU's file table": {
    // GNU walks its hash table, so `rm` names them in hash order, not in the order made.
    "two chains (targets/SECONDARY's Savannah bug #15919)": {
      makefile: "%.c : %.b ; cp $< $@\n%.b : %.a ; cp $< $@\nall : 1.c 2.c\n2.a: 1.c\n",
      setup: ["touch 1.a 2.a"],
      args: ["-rR"],
    },
    "fifteen names, one in a directory and one not ASCII, with built-in rules": {
      makefile: "%.c : %.b ; @cp $< $@\n%.b : %.a ; @cp $< $@\nall : $(patsubst %.a,%.c,$(wildcard *.a sub/*.a))\n",
      setup: ["mkdir sub", "touch alpha.a beta.a gamma.a delta.a x1.a x2.a x3.a foo.a bar.a baz.a qux.a sub/dir.a longer-name-here.a zz9.a \u00fc.a"],
    },
    "300 chains and the built-in names: the table has grown past its first 1024 slots": {
      makefile: "%.c : %.b ; @cp $< $@\n%.b : %.a ; @cp $< $@\nall : $(patsubst %.a,%.c,$(wildcard *.a))\n",
      setup: ["for i in $(seq 1 300); do : > n$i.a; done"],
    },
  },
  ".EXTRA_PREREQS": {
    "global: made first, in no automatic variable": {
      makefile: ".EXTRA_PREREQS = tick tack\n.PHONY: all\nall: ; @echo ${.EXTRA_PREREQS}/$@/$</$^/$?/$+/$|/$*/\ntick tack: ; @echo $@\n",
    },
    "global: added to pattern rules": {
      makefile: ".EXTRA_PREREQS = tick tack\na%: ; @echo ${.EXTRA_PREREQS}/$@/$</$^/$?/$+/$|/$*/\ntick tack: ; @echo $@\n",
      args: ["all"],
    },
    "target-specific": {
      makefile: ".PHONY: all\nall: ; @echo ${.EXTRA_PREREQS}/$@/$</$^/$?/$+/$|/$*/\nall: .EXTRA_PREREQS = tick tack\ntick tack: ; @echo $@\n",
    },
    "target-specific, after the target's own prerequisites": {
      makefile:
        "DEPENDENCY_ONLY_PREREQUISITES = ho hey\nOTHER_PREREQUISITES := foo bar baz\ntarget: .EXTRA_PREREQS := hi ${DEPENDENCY_ONLY_PREREQUISITES}\ntarget: ${OTHER_PREREQUISITES} ; @echo ${.EXTRA_PREREQS} $^\n.PHONY: target ${DEPENDENCY_ONLY_PREREQUISITES} ${OTHER_PREREQUISITES}\n${DEPENDENCY_ONLY_PREREQUISITES} ${OTHER_PREREQUISITES}: ; @echo $@\n",
      setup: ["touch hi"],
    },
    "target-specific on a target made by a pattern rule": {
      makefile:
        "all: target.dst\nDEPENDENCY_ONLY_PREREQUISITES = ho hey\ntarget.dst: .EXTRA_PREREQS := hi ${DEPENDENCY_ONLY_PREREQUISITES}\n%.dst: %.src ; @echo ${.EXTRA_PREREQS} $^\n.PHONY: ${DEPENDENCY_ONLY_PREREQUISITES} target.src\n${DEPENDENCY_ONLY_PREREQUISITES} target.src: ; @echo $@\n",
      setup: ["touch hi"],
    },
    "target-specific replaces global; other targets get the global ones": {
      makefile:
        ".EXTRA_PREREQS = tick tack\nDEPENDENCY_ONLY_PREREQUISITES = ho hey\nOTHER_PREREQUISITES := foo bar baz\ntarget: .EXTRA_PREREQS := hi ${DEPENDENCY_ONLY_PREREQUISITES}\ntarget: ${OTHER_PREREQUISITES} ; @echo ${.EXTRA_PREREQS} $^\n.PHONY: target ${DEPENDENCY_ONLY_PREREQUISITES} ${OTHER_PREREQUISITES} ${.EXTRA_PREREQS}\n${DEPENDENCY_ONLY_PREREQUISITES} ${OTHER_PREREQUISITES} ${.EXTRA_PREREQS}: ; @echo $@\n",
      setup: ["touch hi"],
    },
    "a target with other target-specific variables gets none": {
      makefile: ".EXTRA_PREREQS = tick\nall: X = 1\nall: ; @echo all $(X)\ntick: ; @echo tick\nother: ; @echo other\n",
      args: ["all", "other"],
    },
    "a newer extra prerequisite remakes the target": {
      makefile: ".EXTRA_PREREQS = dep\nout: in ; @echo remade $@ from $^\n",
      setup: [`${OLD} in`, `${MID} out`, "touch dep"],
    },
    "missing: no rule to make it": { makefile: ".EXTRA_PREREQS = tick tack\n.PHONY: all\nall: ; @echo ${.EXTRA_PREREQS} $^\n" },
    "missing, -k": { makefile: ".EXTRA_PREREQS = tick tack\n.PHONY: all\nall: ; @echo ${.EXTRA_PREREQS} $^\n", args: ["-k"] },
    "target-specific missing, -k": { makefile: "all: .EXTRA_PREREQS = tick tack\n.PHONY: all\nall: ; @echo ${.EXTRA_PREREQS} $^\n", args: ["-k"] },
    "wildcards are globbed": {
      makefile: ".EXTRA_PREREQS = *ck\n.PHONY: all tick tack\nall: ; @echo ${.EXTRA_PREREQS} $^\ntick tack: ; @echo $@\n",
      setup: ["touch tick tack"],
    },
    "wildcards in pattern rules": {
      makefile: ".PHONY: tick tack\na%: ; @echo ${.EXTRA_PREREQS} $^\n.EXTRA_PREREQS = *ck\ntick tack: ; @echo $@\n",
      setup: ["touch tick tack"],
      args: ["all"],
    },
  },
  ".LIBPATTERNS": {
    "-lNAME found in the current directory": {
      makefile: '.LIBPATTERNS = mtest_%.a\nall: -lfoo ; @echo "build $@ from $<"\n',
      setup: ["touch mtest_foo.a"],
    },
    "a word without % is warned about and skipped": {
      makefile: '.LIBPATTERNS = mtest_foo.a mtest_%.a\nall: -lfoo ; @echo "build $@ from $<"\n',
      setup: ["touch mtest_foo.a"],
    },
    "-lNAME found by vpath": {
      makefile: 'vpath %.a libs\nall: -lbar ; @echo "build $@ from $<"\n',
      setup: ["mkdir libs", "touch libs/libbar.a"],
    },
    "-lNAME found by VPATH, the earliest directory wins over pattern order": {
      makefile: 'VPATH = one two\nall: -lbar ; @echo "build $@ from $<"\n',
      setup: ["mkdir one two", "touch two/libbar.so one/libbar.a"],
    },
    "-lNAME in the system directories": { makefile: 'all: -lc -lm ; @echo "$^"\n' },
    "-lNAME not found": { makefile: 'all: -lno_such_library_here ; @echo "$^"\n' },
  },
  "-B and -W with makefiles that are remade": {
    "-B: $? lists every prerequisite": { makefile: "x.a: x.b ; @echo $?\n", setup: [`${OLD} x.b`, "touch x.a"], args: ["-B"] },
    "-B remakes an included makefile once, not after the restart": {
      makefile: "all: ; @:\n$(info MAKE_RESTARTS=$(MAKE_RESTARTS))\ninclude foo.x\nfoo.x: ; @touch $@\n",
      args: ["-B"],
    },
    "-W remakes an included makefile once, not after the restart": {
      makefile:
        'all: baz.x ; @:\ninclude foo.x\nfoo.x: bar.x\n\t@echo "\\$$(info restarts=\\$$(MAKE_RESTARTS))" > $@\n\t@echo "touch $@"\nbar.x: ; echo >> $@\nbaz.x: bar.x ; @echo "touch $@"\n',
      setup: ["touch bar.x"],
      args: ["-W", "bar.x"],
    },
  },
};

for (const [group, scenarios] of Object.entries(cases)) {
  describe(`${group}: GNU make and tmake agree`, () => {
    for (const [name, scenario] of Object.entries(scenarios)) it(name, () => same(scenario));
  });
}
