// Differential tests of command-line options and their effect on the build, from what GNU
// Make's own suite checks (options/dash-B, dash-W, dash-k, dash-n, dash-q, symlinks,
// variables/MAKEFLAGS and GNUMAKEFLAGS for --trace): GNU make and tmake run the same makefile in
// twin directories; stdout, stderr, exit status and the files left must all agree.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";
import { OLD, MID, NEW } from "./helpers/fixtures.js";

/** Sets the time of a symbolic link itself, not of the file it points to. */
const LINK_NEW = "touch -h -d '2023-01-01 00:00'";
const LINK_OLD = "touch -h -d '2019-01-01 00:00'";

const restartingMakefile = "all: ; @:\n$(info MAKE_RESTARTS=$(MAKE_RESTARTS))\ninclude foo.x\nfoo.x: ; @touch $@\n";

const cases: Record<string, Scenario> = {
  // ---- -B ---------------------------------------------------------------------------------
  "-B remakes the makefiles only before the first restart": { makefile: restartingMakefile, args: ["-B"] },
  "-B still applies to the goals after a restart": {
    makefile: "all: blah.x ; @echo $@\n$(info MAKE_RESTARTS=$(MAKE_RESTARTS))\ninclude foo.x\nfoo.x: ; @touch $@\nblah.x: ; @echo $@\n",
    setup: ["touch blah.x"],
    args: ["-B"],
  },
  "-B puts every prerequisite in $?": { makefile: "x.a: x.b y.b ; @echo $?\n", setup: [`${OLD} x.b y.b`, `${NEW} x.a`], args: ["-B"] },
  // ---- -l, -O (serial runs: they change nothing but MAKEFLAGS) ------------------------------
  "-l and -O are handed on in MAKEFLAGS, in GNU's order": {
    makefile: 'all: ; @echo "[$(filter-out --jobserver%,$(MAKEFLAGS))]"\n',
    args: ["-j1", "-O", "-l", "3", "-I", "inc", "-k"],
    setup: ["mkdir inc"],
  },
  "-l takes a decimal number from the next word; a bare -l is no limit": {
    makefile: 'all: ; @echo "[$(MAKEFLAGS)]"\n',
    args: ["-l", "2.5", "--output-sync=line"],
  },
  "a bare -l and -Onone": { makefile: 'all: ; @echo "[$(MAKEFLAGS)]"\n', args: ["-Onone", "-l"] },
  "-O takes its type only attached: the next word is a goal": { makefile: "all: ; @echo all\nline: ; @echo line\n", args: ["-O", "line"] },
  "-O with an unknown type": { makefile: "all: ; @echo all\n", args: ["-Oxyz"] },
  // ---- -W ---------------------------------------------------------------------------------
  "-W applies to the makefiles only before the first restart": {
    makefile:
      'all: baz.x ; @:\ninclude foo.x\nfoo.x: bar.x\n\t@echo "\\$$(info restarts=\\$$(MAKE_RESTARTS))" > $@\n\t@echo "touch $@"\nbar.x: ; echo >> $@\nbaz.x: bar.x ; @echo "touch $@"\n',
    setup: ["echo > bar.x", `${MID} bar.x`, "echo '$(info restarts=$(MAKE_RESTARTS))' > foo.x", `${NEW} foo.x`, `${NEW} baz.x`],
    args: ["-W", "bar.x"],
  },
  "-W names a file that VPATH finds": {
    makefile: "y: x ; @echo cp $< $@\n",
    setup: ["mkdir x-dir", `${OLD} x-dir/x`, `${NEW} y`],
    args: ["-W", "x-dir/x", "VPATH=x-dir"],
  },
  "-W ./dir/file matches what VPATH finds": {
    makefile: "y: x ; @echo cp $< $@\n",
    setup: ["mkdir x-dir", `${OLD} x-dir/x`, `${NEW} y`],
    args: ["-W", "./x-dir/x", "VPATH=x-dir"],
  },
  "-W dir/file matches what VPATH=./dir finds": {
    makefile: "y: x ; @echo cp $< $@\n",
    setup: ["mkdir x-dir", `${OLD} x-dir/x`, `${NEW} y`],
    args: ["-W", "x-dir/x", "VPATH=./x-dir"],
  },
  // ---- -n, -q and lines that become `+` or empty once expanded ----------------------------
  "-n: a `+` from the expansion runs the line and the target is looked at again": {
    makefile: ".SUFFIXES:\nBAR =     # nothing\nFOO = +$(BAR)\na: b; echo > $@\nb: c; $(FOO)\n",
    setup: [`${OLD} b`, `${MID} a`, `${NEW} c`],
    args: ["-n"],
  },
  "-q: a command of blanks and backslash-newlines is nothing to do": {
    makefile: "five: ; \\\n $(.XY)\nsix: ; \\\n $(.XY)\n\t$(.XY)\n",
    args: ["-q", "five", "six"],
  },
  "-q: a real command after an empty one is something to do": { makefile: "seven: ; \\\n $(.XY)\n\t: foo\n\t$(.XY)\n", args: ["-q", "seven"] },
  "an empty continued command is neither echoed nor run": { makefile: "five: ; \\\n $(.XY)\nseven: ; \\\n $(.XY)\n\t: foo\n", args: ["five", "seven"] },
  // ---- -k and makefiles that cannot be remade ---------------------------------------------
  "-k: an include with no way to make it fails, the goals are made, exit 2": {
    makefile: "all: ; @echo hi\ninclude ifile\nifile: no-such-file; @false\n",
    args: ["-k"],
  },
  "-k: an include whose recipe fails": { makefile: "all: ; @echo hi\ninclude ifile\nifile: ; @false\n", args: ["-k"] },
  "without -k a failed include recipe ends the run, the include named first": { makefile: "all: ; @echo hi\ninclude ifile\nifile: ; @false\n" },
  "-k: an include with no rule at all": { makefile: "all: ; @echo hi\ninclude ifile\n", args: ["-k"] },
  "-k: a -f makefile that does not exist": { args: ["-k", "-f", "nonexist.mk"] },
  "an optional include whose recipe fails is silent": { makefile: "all: ; @echo hi\n-include ifile\nifile: ; @false\n" },
  "an include whose rule does not make it is left out": { makefile: "all: ; @echo hi\ninclude ifile\nifile: ; @:\n" },
  "-q leaves the exit status at 1 after a failed makefile under -k": {
    makefile: "all: ; @echo hi\ninclude ifile\nifile: ; @false\n",
    args: ["-k", "-q"],
  },
  "the last include is remade first, and the first failure ends the run": {
    makefile: ".PHONY: default\ndefault:; @echo DONE\ninc1:; echo > $@\ninclude inc1\ninclude inc2\ninc2:; echo > $@\n",
  },
  "an include with no rule stops the run before an earlier one is made": {
    makefile: ".PHONY: default\ndefault:; @echo DONE\ninc1:; echo > $@\ninclude inc1\ninclude inc2\n",
  },
  "MAKE_RESTARTS is not exported to recipes": {
    makefile: 'all: ; @echo "[$$MAKE_RESTARTS] [$(MAKE_RESTARTS)]"\ninclude inc.mk\ninc.mk: ; @touch $@\n',
  },
  // ---- -L ---------------------------------------------------------------------------------
  "without -L a symlink has the time of the file it points to": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: [`${OLD} dep`, `${MID} targ`, "ln -s dep sym", `${LINK_NEW} sym`],
  },
  "-L: a symlink newer than the target makes it out of date": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: [`${OLD} dep`, `${MID} targ`, "ln -s dep sym", `${LINK_NEW} sym`],
    args: ["-L"],
  },
  "-L: the file pointed to still counts when newer than the links": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: [`${NEW} dep`, `${MID} targ`, "ln -s dep sym", `${LINK_OLD} sym`],
    args: ["--check-symlink-times"],
  },
  "-L: a newer link in the middle of a chain counts": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: [`${OLD} dep1`, `${MID} targ`, "ln -s dep1 dep", `${LINK_NEW} dep`, "ln -s ./dep sym", `${LINK_OLD} sym`],
    args: ["-L"],
  },
  "-L: everything older than the target": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: [`${OLD} dep1`, `${NEW} targ`, "ln -s dep1 dep", `${LINK_OLD} dep`, "ln -s dep sym", `${LINK_OLD} sym`],
    args: ["-L"],
  },
  "a symlink to nothing is missing without -L": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: ["ln -s nothing-here sym"],
  },
  "-L: a symlink to nothing has its own time": {
    makefile: "targ: sym ; @echo make $@ from $<\n",
    setup: ["ln -s nothing-here sym"],
    args: ["-L"],
  },
  "-L is handed on in MAKEFLAGS": { makefile: "all: ; @echo $(MAKEFLAGS)\n", args: ["-L", "-k"] },
  // ---- --trace ----------------------------------------------------------------------------
  "--trace says why each target is remade and echoes `@` lines": {
    makefile: "all: a b\n\t@echo all\na: c\n\t@touch $@\nb:\n\t-@false\nc:\n\ttouch c\n",
    setup: [`${OLD} c`],
    args: ["--trace"],
  },
  "--trace with a missing target, a newer prerequisite, -s": {
    makefile: "all: a b\n\t@echo all\na: c\n\t@touch $@\nb:\n\t-@false\nc:\n\ttouch c\n",
    setup: [`${NEW} c`, `${OLD} a`],
    args: ["--trace", "-s"],
  },
  "--trace under -n": { makefile: "all: a\n\t@echo all\na:\n\t@touch $@\n", args: ["--trace", "-n"] },
  "--trace names a built-in rule <builtin>": { makefile: "all: x.o\n", setup: ["touch x.c"], args: ["--trace", "-n"] },
  "--trace is handed on in MAKEFLAGS after the letters": {
    makefile: "all: ; @echo $(MAKEFLAGS)\n",
    args: ["--no-print-directory", "-e", "-r", "-R", "--trace"],
  },
  "--warn-undefined-variables warns, and is handed on in MAKEFLAGS": {
    makefile: "X := $(NOPE)\nall: ; @echo [$(ALSO_NOPE)] $(MAKEFLAGS)\n",
    args: ["--warn-undefined-variables"],
  },
  "GNUMAKEFLAGS gives flags, and is emptied for recipes": {
    makefile: "all: ; @echo $(MAKEFLAGS); echo GNUMAKEFLAGS = $$GNUMAKEFLAGS\n",
    env: { GNUMAKEFLAGS: "--no-print-directory -e -r -R --trace" },
  },
};

describe("command-line options against GNU make (GNU's options/* scripts)", () => {
  for (const [name, s] of Object.entries(cases)) {
    it(name, () => {
      const { gnu, tmake } = runBoth(s);
      expect(outcome(tmake)).toEqual(outcome(gnu));
    });
  }
});
