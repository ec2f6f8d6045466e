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
};

describe("GNU Make 4.3 divergences, fixed", () => {
  for (const [name, s] of Object.entries(cases)) {
    it(name, () => {
      const { gnu, tmake } = runBoth(s);
      expect(outcome(tmake)).toEqual(outcome(gnu));
    });
  }
});
