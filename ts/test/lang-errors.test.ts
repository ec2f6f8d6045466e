// Differential tests (GNU make vs tmake, whole runs): malformed makefiles. Both must print
// GNU's `FILE:LINE: *** message.  Stop.` on stderr and exit 2.
import { describe, expect, it } from "vitest";
import { outcome, runBoth } from "./helpers/diff.js";

function same(makefile: string): void {
  const { gnu, tmake } = runBoth({ makefile });
  expect(outcome(tmake)).toEqual(outcome(gnu));
  expect(gnu.status).not.toBe(0);
}

const table: Record<string, string> = {
  missingSeparator: "all: ; @echo x\nfoo\n",
  missingSeparatorAfterContinuation: "A = 1 \\\n  2 \\\n  3\nfoo\n",
  missingSeparatorEightSpaces: "all:\n        echo x\n",
  recipeCommencesBeforeFirstTarget: "\techo x\nall: ; @echo y\n",
  recipeAfterAssignment: "all:\nA = 1\n\techo x\n",
  missingRuleBeforeRecipe: "; echo x\n",
  unterminatedVariableReference: "A := $(B\nall: ; @echo x\n",
  unterminatedVariableInRecipe: "all: ; @echo $(B\n",
  unterminatedCall: "A := $(subst a,b,c\nall: ; @echo x\n",
  insufficientArguments: "A := $(word 1)\nall: ; @echo x\n",
  insufficientArgumentsInRecipe: "all: ; @echo $(wordlist 1,2)\n",
  recursiveVariable: "A = $(B)\nB = $(A)\nall: ; @echo $(A)\n",
  invalidConditional: "ifeq (a,b\nendif\nall: ; @echo x\n",
  missingEndif: "ifdef A\nall: ; @echo x\n",
  extraneousEndif: "endif\nall: ; @echo x\n",
  extraneousElse: "else\n",
  onlyOneElse: "ifdef A\nelse\nelse\nendif\n",
  unterminatedDefine: "all: ; @echo x\ndefine A\nfoo\n",
  emptyVariableName: "all: ; @echo x\n = value\n",
  emptyDefineName: "define\nendef\n",
  targetPatternWithoutPercent: "a b: c: d\n",
  // `%.o a: b` ("mixed implicit and normal rules") is not here: tmake reads it as biomake
  // does (see below and read-biomake.test.ts).
  errorFunction: "A = 1\n$(error stopped at $(A))\n",
  errorFunctionInRecipe: "all:\n\t@echo before\n\t@echo $(error in recipe)\n",
  noTargets: "A = 1\n",
};

describe("makefile errors (GNU make vs tmake)", () => {
  for (const [name, makefile] of Object.entries(table)) it(name, () => same(makefile));
});

describe("lines GNU 4.3 rejects and biomake reads (tmake reads them as biomake does)", () => {
  it("a rule mixing pattern and normal targets makes each target on its own", () => {
    const makefile = "goal% makecmdgoals:\n\t@echo made $@ from [$(MAKECMDGOALS)]\n";
    const { gnu, tmake } = runBoth({ makefile, args: ["goalX", "makecmdgoals"] });
    expect(gnu.status).toBe(2);
    expect(gnu.stderr).toContain("Makefile:1: *** mixed implicit and normal rules.  Stop.");
    expect(tmake.stderr).toBe("");
    expect(tmake.stdout).toBe("made goalX from [goalX makecmdgoals]\nmade makecmdgoals from [goalX makecmdgoals]\n");
    expect(tmake.status).toBe(0);
  });
});
