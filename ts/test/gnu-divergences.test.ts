// Divergences from GNU Make 4.3 found by GNU's held-out cases, a review and builds of real
// projects' makefiles, each checked against the installed GNU make: stdout, stderr, exit
// status and the files left must agree.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";

const cases: Record<string, Scenario> = {
  // ---- vpath ------------------------------------------------------------------------------
  "`vpath PATTERN` with no directories clears that pattern's search paths": {
    makefile: "vpath %.c d1\nvpath %.c\nvpath %.c d2\nall: a.c b.c\n\t@echo $^\n",
    setup: ["mkdir d1 d2", "touch d1/a.c d2/b.c"],
  },
  "`vpath PATTERN` clears only that pattern": {
    makefile: "vpath %.c d1\nvpath %.h d1\nvpath %.c\nall: a.c a.h\n\t@echo $^\n",
    setup: ["mkdir d1", "touch d1/a.c d1/a.h"],
  },
  "a bare `vpath` clears every directive": {
    makefile: "vpath %.c d1\nvpath %.h d1\nvpath\nall: a.c a.h\n\t@echo $^\n",
    setup: ["mkdir d1", "touch d1/a.c d1/a.h"],
  },
  "a backslash-quoted % in a vpath pattern is a literal %": {
    makefile: "vpath a\\%.c d1\nall: a%.c\n\t@echo $^\n",
    setup: ["mkdir d1", "touch 'd1/a%.c'"],
  },
  "`.` and trailing slashes in a search path": {
    makefile: "VPATH = . d1/\nvpath %.h ./ d2/\nall: a.c b.h\n\t@echo $^\n",
    setup: ["mkdir d1 d2", "touch d1/a.c d2/b.h"],
  },
  // ---- grouped targets --------------------------------------------------------------------
  "a grouped partner found up to date does not mark the others done": {
    makefile: "all: b a\na b &: dep\n\t@echo making; touch a b\n",
    setup: ["touch -d '2020-01-01' dep", "touch b"],
  },
  "-t touches each grouped target": {
    makefile: "all: b a\na b &: dep\n\t@echo making; touch a b\n",
    setup: ["touch -d '2020-01-01' dep", "touch -d '2019-01-01' b"],
    args: ["-t"],
  },
  // ---- -q and recursive lines --------------------------------------------------------------
  "-q runs a `+` line, and its success is the answer": { makefile: "all:\n\t+@echo plus\n", args: ["-q"] },
  "-q runs `+` lines until the first other command, then says 'not up to date'": {
    makefile: "all:\n\t+@echo a\n\t+@echo b\n\techo c\n\t+@echo d\n",
    args: ["-q"],
  },
  "-q: a `+` line that exits 1 is the answer 'not up to date', said by nobody": { makefile: "all:\n\t+exit 1\n", args: ["-q"] },
  "-q: a `+` line that exits 2 is an error": { makefile: "all:\n\t+exit 2\n", args: ["-q"] },
  "-q -k: a `+` line's answer does not stop the other goals": { makefile: "all:\n\t+exit 1\nother:\n\techo o\n", args: ["-q", "-k", "all", "other"] },
  // ---- one name for a file, however many `./` it is spelt with -----------------------------
  "`./` and `.//` name the same file in rules, goals, -W, -o and second expansion": {
    makefile: ".SECONDEXPANSION:\nall: ./a .//b $$(addprefix .//./,c)\n\t@echo $^\n./a .//b c: .//d\n\t@echo $@ from $<\n",
    setup: ["touch -d '2020-01-01' d", "touch a b c"],
    args: ["-W", ".//./d", "-o", "./c", "./all"],
  },
  // ---- `\%` in target- and pattern-specific variables and in rule targets --------------------
  "a backslash-quoted % in a pattern rule's target is a literal %, the next one the stem": {
    makefile: "all: a%foo.x b%.z\na\\%%.x: %.y\n\t@echo stem=$* target=$@ dep=$<\nb\\%.z:\n\t@echo literal $@\n",
    setup: ["touch foo.y"],
  },
  "a backslash-quoted % makes a target-specific variable of a name holding %": {
    makefile: "a\\%b: V = tv\na\\%%: W = pv\nall: a%b a%x\na\\%b a\\%x:\n\t@echo $@ [$(V)] [$(W)]\n",
    args: ["-r"],
  },
  "a backslash-quoted % in an explicit rule's target names a file with %": {
    makefile: "all: x%y\nx\\%y:\n\t@echo $@\n",
    args: ["-r"],
  },
  "a pattern-specific variable's pattern with a quoted %: the longest pattern, quoting resolved, comes last": {
    makefile: "a\\%%: V = quoted\n%b: V = short\nall: a%b\na%b: ; @echo $@ [$(V)]\n",
    args: ["-r"],
  },
  "an escaped backslash before % keeps one backslash and the % is a pattern": {
    makefile: "a\\\\%: V = pv\nall: a\\b\na\\b: ; @printf '%s\\n' '$@' '[$(V)]'\n",
    args: ["-r"],
  },
  "a static pattern prerequisite with a quoted % only keeps its backslash": {
    makefile: "all: x.o\nx.o: %.o: %.c a\\%b\n\t@printf '%s\\n' '$^'\n%.c: ; @:\n",
    setup: ["touch 'a\\%b'"],
    args: ["-r"],
  },
  // ---- leading `./` ---------------------------------------------------------------------------
  "a static pattern rule whose target pattern starts with ./": {
    makefile: 'OBJS = ./a.o ./b.o\nall: $(OBJS)\n$(OBJS): ./%.o: %.c\n\t@echo "[$@] [$<] [$*] [$^]"\n',
    setup: ["touch a.c b.c"],
    args: ["-r"],
  },
  "a static pattern rule with .// in its target and prerequisite patterns": {
    makefile: 'OBJS = .//a.o ./b.o\nall: $(OBJS)\n$(OBJS): .//%.o: ./%.c\n\t@echo "[$@] [$<] [$*]"\n',
    setup: ["touch a.c b.c"],
    args: ["-r"],
  },
  "MAKEFILE_LIST names an included ./././foo.mk as foo.mk": {
    makefile: '-include ./././foo.mk\ninclude .//foo.mk\nall:\n\t@echo "[$(MAKEFILE_LIST)]"\n',
    files: { "foo.mk": "X = 1\n" },
  },
  "a missing -include ./name is remade and named without its ./": {
    makefile: "-include ./gen.mk\nall: ; @echo \"[$(MAKEFILE_LIST)] [$(X)]\"\ngen.mk: ; @echo 'X = made' > $@\n",
  },
  "goals on the command line lose their leading ./": {
    makefile: 'all: ; @echo "$@ [$(MAKECMDGOALS)]"\nx:\n',
    args: ["./all", ".//x"],
  },
  "-f ./Makefile is Makefile in MAKEFILE_LIST and in messages": {
    makefile: '$(warning here)\nall: ; @echo "[$(MAKEFILE_LIST)]"\n',
    args: ["-f", "./Makefile"],
  },
  "-I ./dir searches dir, and names what it finds dir/name": {
    makefile: 'include inc.mk\nall: ; @echo "[$(MAKEFILE_LIST)] [$(X)] [$(MAKEFLAGS)]"\n',
    files: { "d/inc.mk": "X = 1\n" },
    args: ["-I", "./d"],
  },
  "-o ./x and -W ./y name x and y": {
    makefile: "all: x y ; @echo $@\nx y: ; @echo $@\n",
    setup: ["touch all x y"],
    args: ["-o", "./x", "-W", ".//y"],
  },
  ".DEFAULT_GOAL naming ./t is t": {
    makefile: '.DEFAULT_GOAL := ./t\nt: ; @echo "[$@]"\n',
  },
  ".DEFAULT_GOAL naming .//u, a file no rule names, is u": {
    makefile: '.DEFAULT_GOAL := .//u\nt: ; @echo "[$@]"\n',
  },
  "a name of . and slashes alone is ./": {
    makefile: 'all: .// .///\n.// .///: ; @echo "[$@]"\n',
  },
  // ---- target-specific += ------------------------------------------------------------------------
  "`t: V += text` after a target-specific `V :=` is expanded at once": {
    makefile: 'X = before\nt: V := a\nt: V += $(X)\nX = after\nt: ; @echo "[$(V)]"\n',
  },
  "`t: V += text` after a target-specific `V +=` onto a global simple V waits": {
    makefile: 'X = before\nV := g\nt: V += x\nt: V += $(X)\nX = after\nt: ; @echo "[$(V)]"\n',
  },
  "`t: V += text` after a target-specific `V =` waits": {
    makefile: 'X = before\nt: V = a\nt: V += $(X)\nX = after\nt: ; @echo "[$(V)]"\n',
  },
  "a pattern-specific `+=` after `:=` waits for the build": {
    makefile: 'X = before\n%.x: V := a\n%.x: V += $(X)\nX = after\nt.x: ; @echo "[$(V)]"\n',
  },
  "a pattern-specific `:=` sees only the global variables": {
    makefile: 'A = g\n%.x: A = 1\n%.x: B := [$(A)]\nt.x: ; @echo "$(B)"\n',
  },
  "a pattern-specific `!=` runs when a target it matches is built": {
    makefile: 'A = early\n%.x: V != echo $(A)\nA = late\nt.x: ; @echo "$(V)"\n',
  },
  "a target-specific definition without export stops exporting the target's variable": {
    makefile: 't: export V = a\nt: V += b\nt: u ; @echo "[$$V]"\nu: export W := c\nu: W = d\nu: ; @echo "[$$W]"\n',
  },
  "a target-specific definition keeps the global variable's export mark": {
    makefile: 'export V = g\nt: V := a\nt: V += b\nt: ; @echo "[$$V]"\n',
  },
  // ---- ifdef -------------------------------------------------------------------------------------
  "`ifdef` on a name whose expansion starts with a blank is invalid syntax": {
    makefile: "S :=\nifdef $(S) V\nendif\nall: ; @echo ok\n",
  },
  "`ifdef` on a name whose expansion holds a blank is invalid syntax": {
    makefile: "N = a b\nifdef $(N)\nendif\nall: ; @echo ok\n",
  },
  "`ifdef` on a name with blanks after it is that name": {
    makefile: "V = 1\nS :=\nifdef V$(S) $(S)\n$(info yes)\nendif\nifdef $(S)\n$(info no)\nendif\nall: ; @echo ok\n",
  },
  // ---- $(@D) and $(@F) ---------------------------------------------------------------------------
  "$(value @D) and $(value @F) are GNU's definitions, automatic and recursive": {
    makefile:
      "$(info [$(value @D)] [$(value @F)] [$(value <D)] [$(value ^F)] [$(origin @D)] [$(flavor @F)] [$(@D)])\n" +
      "x/y: ; @printf '%s\\n' '$(value *D)' '$(value +F)' '$(@D) $(@F) $(*D)'\n",
  },
  "$(@D) is defined under -R, and a makefile cannot replace it (a target can)": {
    makefile: '@D = mine\nundefine @F\nall: x/y z/w\nx/y: ; @echo "[$(@D)] [$(@F)] [$(origin @D)]"\nz/w: @D = tv\nz/w: ; @echo "[$(@D)] [$(origin @D)]"\n',
    args: ["-R"],
  },
  // ---- messages GNU's record_files says when a rule ends -------------------------------------
  "'doesn't match the target pattern' is said when the rule is read, and the target's stem is its name": {
    makefile: "x.o y.c: %.c: a.h ; @echo $@ [$*] [$^]\n$(info read)\nall: x.o y.c\na.h: ; @:\n",
  },
  "'doesn't match the target pattern' waits for the rule's end": {
    makefile: "x.o: %.c:\nifeq ($(info in recipe),)\n\t@echo $@\nendif\n$(info after)\n",
  },
  "overriding recipe warnings are said while reading": {
    makefile: "a: ; @echo 1\na: ; @echo 2\n$(info read)\n",
  },
  "overriding recipes of special targets are warned about too": {
    makefile: ".DEFAULT: ; @echo 1\n.DEFAULT: ; @echo 2\n.PHONY: ; @echo p\n.PHONY: ; @echo q\n",
    args: ["x"],
  },
  "`.DEFAULT:` alone clears its recipe without a warning": {
    makefile: ".DEFAULT: ; @echo 1\n.DEFAULT:\n.DEFAULT: ; @echo 2\n",
    args: ["x"],
  },
  "a target named twice in a rule with a recipe": {
    makefile: "a b a: c; @echo $@ $+\nc: ; @:\n",
    args: ["a", "b"],
  },
  "a target named twice in a rule without a recipe says nothing": {
    makefile: "a b a: c\na b: ; @echo $@ $+\nc: ; @:\n",
    args: ["a", "b"],
  },
  "`:` after `::` for a target is fatal while reading": {
    makefile: "a:: ; @echo a\na: ; @echo b\n$(info hi)\n",
  },
  "`::` after `:` for a target is fatal while reading": {
    makefile: "a: ; @echo b\na:: ; @echo a\n$(info hi)\n",
  },
  "static pattern errors come in GNU's order": { makefile: "a: b c: d\n" },
  "a static pattern rule without a target pattern": { makefile: "a: : d\n" },
  "a static pattern rule whose first target is a pattern": { makefile: "a%: %.o: %.c\n$(info hi)\n" },
  // ---- pattern and normal targets mixed ---------------------------------------------------------
  "a normal target then a pattern: GNU warns, and the % target names a file": {
    makefile: "b a%: c\n\t@echo $@ $<\nc:\n\t@echo c\n",
    args: ["a%", "b"],
  },
  "the mixed-rules warning waits for the rule's end": {
    makefile: "b a%: c\nifeq ($(info hi),)\n\t@echo $@\nendif\nc: ; @:\n",
  },
  "a normal target then a pattern in a static pattern rule": {
    makefile: "x a%: %.o: %.c\n$(info hi)\n",
  },
  "a normal target then a quoted % is no mixed rule": {
    makefile: "b a\\%: c\n\t@echo $@ $<\nc: ; @:\n",
    args: ["a%", "b"],
  },
};

describe("GNU Make 4.3 divergences, fixed", () => {
  for (const [name, s] of Object.entries(cases)) {
    it(name, () => {
      const { gnu, tmake } = runBoth(s);
      expect(outcome(tmake)).toEqual(outcome(gnu));
    });
  }
});
