// Differential tests (GNU make vs tmake, whole runs): conditional directives.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";

function same(s: Scenario | string): void {
  const { gnu, tmake } = runBoth(typeof s === "string" ? { makefile: s } : s);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

const table: Record<string, Scenario | string> = {
  ifeqParens: "A = x\nifeq ($(A),x)\nR = yes\nelse\nR = no\nendif\nall: ; @echo $(R)\n",
  ifeqSingleQuotes: "A = x\nifeq '$(A)' 'x'\nR = yes\nendif\nall: ; @echo [$(R)]\n",
  ifeqDoubleQuotes: 'A = x\nifeq "$(A)" "x"\nR = yes\nendif\nall: ; @echo [$(R)]\n',
  ifeqMixedQuotes: "ifeq 'a' \"a\"\nR = yes\nendif\nall: ; @echo [$(R)]\n",
  ifneq: "ifneq (a,b)\nR = differ\nendif\nall: ; @echo [$(R)]\n",
  ifeqStripsInnerSpaceOnlyAfterFirst:
    "ifeq ( a,a)\nR1 = eq\nelse\nR1 = ne\nendif\nifeq (a ,a)\nR2 = eq\nendif\nifeq (a, a )\nR3 = eq\nelse\nR3 = ne\nendif\nall: ; @echo $(R1) $(R2) $(R3)\n",
  ifeqEmpty: "ifeq (,$(EMPTY))\nR = empty\nendif\nifeq ($(shell echo),)\nS = empty too\nendif\nall: ; @echo [$(R)] [$(S)]\n",
  ifeqNestedParens: "ifeq ($(subst x,(y),x),(y))\nR = parens\nendif\nall: ; @echo [$(R)]\n",
  ifdefValues: "A = 1\nB =\nC = $(B)\nifdef A\nR += A\nendif\nifdef B\nR += B\nendif\nifdef C\nR += C\nendif\nifndef D\nR += D\nendif\nall: ; @echo [$(R)]\n",
  ifdefComputed: "A = 1\nN = A\nifdef $(N)\nR = computed\nendif\nall: ; @echo [$(R)]\n",
  ifdefEnvironment: { makefile: "ifdef FOO\nR = env\nendif\nall: ; @echo [$(R)]\n", env: { FOO: "1" } },
  elseIfChain: "A = 3\nifeq ($(A),1)\nR = one\nelse ifeq ($(A),2)\nR = two\nelse ifdef A\nR = defined\nelse\nR = other\nendif\nall: ; @echo $(R)\n",
  elseIfTakenOnce: "ifeq (1,1)\nR = first\nelse ifeq (1,1)\nR = second\nendif\nall: ; @echo $(R)\n",
  nested: "A = 1\nB = 2\nifeq ($(A),1)\n  ifeq ($(B),3)\n    R = no\n  else\n    R = yes\n  endif\nelse\n  R = outer-no\nendif\nall: ; @echo $(R)\n",
  ignoredBranchIsNotRead: "ifeq (a,b)\n$(error never)\nthis is not make syntax\nifdef X Y\nendif\nendif\nall: ; @echo fine\n",
  conditionalsInRecipe: "A = 1\nall:\n\t@echo start\nifeq ($(A),1)\n\t@echo one\nelse\n\t@echo other\nendif\n\t@echo end\n",
  conditionalAroundRule: "ifeq (1,1)\nall: ; @echo yes\nelse\nall: ; @echo no\nendif\n",
  commentsOnDirectives: "ifeq (a,a) # comment\nR = yes\nelse # comment\nR = no\nendif # comment\nall: ; @echo $(R)\n",
  extraneousTextWarnings: "ifeq (a,a) junk\nR = yes\nendif junk\nall: ; @echo $(R)\n",
  elseJunk: "ifeq (a,b)\nelse junk\nR = else\nendif\nall: ; @echo [$(R)]\n",
  directiveNamesAsVariables: "ifeq = 1\nelse = 2\nendif = 3\nall: ; @echo $(ifeq) $(else) $(endif)\n",
  includeInConditional: { makefile: "ifeq (1,1)\ninclude a.mk\nelse\ninclude b.mk\nendif\nall: ; @echo $(G)\n", files: { "a.mk": "G = from a\n" } },
  commandLineInConditional: { makefile: "ifeq ($(MODE),fast)\nR = fast\nelse\nR = slow\nendif\nall: ; @echo $(R)\n", args: ["MODE=fast"] },
  invalidSyntax: "ifeq a b\nendif\nall: ; @echo x\n",
  ifdefTwoWords: "ifdef A B\nendif\nall: ; @echo x\n",
  missingEndif: "ifeq (a,a)\nall: ; @echo x\n",
  extraneousEndif: "all: ; @echo x\nendif\n",
  extraneousElse: "else\nall: ; @echo x\n",
  twoElses: "ifeq (a,a)\nelse\nelse\nendif\nall: ; @echo x\n",
  missingEndifInInclude: { makefile: "include a.mk\nendif\nall: ; @echo x\n", files: { "a.mk": "ifeq (1,1)\n" } },
};

describe("conditionals (GNU make vs tmake)", () => {
  for (const [name, s] of Object.entries(table)) it(name, () => same(s));
});
