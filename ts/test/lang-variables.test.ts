// Differential tests (GNU make vs tmake, whole runs): variables. Each makefile prints what it
// computed from a recipe, so stdout, stderr and the exit status are compared.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";

function same(s: Scenario | string): void {
  const { gnu, tmake } = runBoth(typeof s === "string" ? { makefile: s } : s);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

const table: Record<string, Scenario | string> = {
  recursiveVsSimple: "B = 1\nR = $(B)\nS := $(B)\nB = 2\nall: ; @echo $(R) $(S)\n",
  appendKeepsFlavour: "B = 1\nR = $(B)\nR += x\nS := $(B)\nS += $(B)\nB = 2\nall: ; @echo [$(R)] [$(S)]\n",
  conditionalAssign: "A ?= 1\nA ?= 2\nCC ?= gcc\nall: ; @echo $(A) $(CC) $(origin CC)\n",
  shellAssign: "A != echo one; echo two\nall: ; @echo [$(A)] $(flavor A)\n",
  posixAssign: "B = 1\nA ::= $(B)\nB = 2\nall: ; @echo $(A) $(flavor A)\n",
  substitutionRefs: "S = a.c b.c d.h\nall: ; @echo $(S:.c=.o) / $(S:%.c=obj/%.o) / $(S:=.bak)\n",
  computedNames: "k = v\nv_1 = one\nN = 1\nall: ; @echo $($(k)_$(N)) $(v_$(N))\n",
  nestedExpansion: "x = y\ny = z\nz = w\nall: ; @echo $($($(x))) ${x} $x\n",
  dollarEscapes: "A = $$HOME is not expanded\nall: ; @echo '$(A)' '$$$$'\n",
  commandLine: { makefile: "A = file\nB := $(A)\nall: ; @echo $(A) $(B) $(origin A)\n", args: ["A=cmd"] },
  commandLineSimple: { makefile: "all: ; @echo [$(A)] $(flavor A)\n", args: ["A:=x y"] },
  commandLineVsOverride: { makefile: "override A = file\nall: ; @echo $(A) $(origin A)\n", args: ["A=cmd"] },
  commandLineAppend: { makefile: "A += more\noverride B += more\nall: ; @echo [$(A)] [$(B)]\n", args: ["A=cmd", "B=cmd"] },
  environment: { makefile: "all: ; @echo [$(FOO)] $(origin FOO)\n", env: { FOO: "from env" } },
  environmentOverridden: { makefile: "FOO = file\nall: ; @echo [$(FOO)] $(origin FOO)\n", env: { FOO: "env" } },
  environmentDashE: { makefile: "FOO = file\nall: ; @echo [$(FOO)] $(origin FOO)\n", env: { FOO: "env" }, args: ["-e"] },
  shellNotFromEnvironment: { makefile: "all: ; @echo $(SHELL) $(origin SHELL)\n", env: { SHELL: "/bin/bash" } },
  exportedToRecipe: "export A = 1\nB = 2\nexport B\nC = 3\nall: ; @echo [$$A] [$$B] [$$C]\n",
  exportAll: "export\nA = 1\nall: ; @echo [$$A]\n",
  exportAllTarget: ".EXPORT_ALL_VARIABLES:\nA = 1\nall: ; @echo [$$A]\n",
  unexportEnvironment: { makefile: "unexport FOO\nall: ; @echo [$$FOO]\n", env: { FOO: "env" } },
  exportRecursiveExpanded: "export A = $(B)\nB = late\nall: ; @echo [$$A]\n",
  targetSpecific: "X = global\nall: X = target\nall: dep ; @echo all $(X)\ndep: ; @echo dep $(X)\nother: ; @echo other $(X)\n",
  targetSpecificAppend: "X = g\nall: X += t\nall: dep ; @echo all [$(X)]\ndep: ; @echo dep [$(X)]\n",
  targetSpecificSimpleAtReadTime: "B = early\nall: X := $(B)\nB = late\nall: ; @echo [$(X)]\n",
  patternSpecific: "X = g\n%.o: X = pattern\nall: a.o ; @echo all $(X)\na.o: ; @echo $@ $(X)\n",
  privateTargetVar: "all: private X = p\nall: dep ; @echo all [$(X)]\ndep: ; @echo dep [$(X)]\n",
  privateGlobal: "private X = p\n$(info read [$(X)])\nall: ; @echo recipe [$(X)]\n",
  targetVarOverridesCommandLine: { makefile: "all: X = t\nall: ; @echo [$(X)]\n", args: ["X=cmd"] },
  targetVarOverride: { makefile: "all: override X = t\nall: ; @echo [$(X)]\n", args: ["X=cmd"] },
  automaticForms: "all: sub/a.x b/c.y ; @echo [$@] [$<] [$^] [$(<D)] [$(<F)] [$(^D)] [$(^F)] [$(@D)]\nsub/a.x b/c.y: ; @:\n",
  undefine: "A = 1\nundefine A\nall: ; @echo [$(A)] $(origin A)\n",
  specialVariables: "all: ; @echo [$(MAKELEVEL)] [$(.DEFAULT_GOAL)] [$(MAKECMDGOALS)] [$(MAKEFILE_LIST)] [$(.RECIPEPREFIX)] [$(.SHELLFLAGS)]\n",
  makeCmdGoals: { makefile: "a b: ; @echo $@ [$(MAKECMDGOALS)]\n", args: ["a", "b"] },
  defaultGoalVariable: ".DEFAULT_GOAL = second\nfirst: ; @echo first\nsecond: ; @echo second\n",
  defaultGoalSkipsSpecialAndPatterns: ".PHONY: x\n%.o: ; @echo pattern\n.hidden: ; @echo hidden\nreal: ; @echo real\n",
  curdir: "all: ; @test '$(CURDIR)' = \"$$(pwd)\" && echo same\n",
  builtinVariables: "all: ; @echo $(CC) $(RM) [$(CFLAGS)] $(origin CC)\n",
  noBuiltinVariables: { makefile: "all: ; @echo [$(CC)] [$(RM)] $(origin CC)\n", args: ["-R"] },
  recursiveSelfReference: "A = $(A) x\nall: ; @echo $(A)\n",
  appendSelfIsFine: "A = x\nA += $(A)\nall: ; @echo [$(A)]\n",
  valueFunction: "A = $(B) and $$x\nall: ; @echo '$(value A)'\n",
  flavorOrigin: "A = 1\nB := 2\nall: ; @echo $(flavor A) $(flavor B) $(flavor C) $(origin A) $(origin C) $(origin MAKE) $(origin @)\n",
  variablesList: "ZZZ_MINE = 1\nall: ; @echo $(filter ZZZ_%,$(.VARIABLES))\n",
  recipePrefix: ".RECIPEPREFIX = >\nall:\n> @echo prefixed [$(.RECIPEPREFIX)]\n",
  recipePrefixComputed: "GT := >\n.RECIPEPREFIX := $(GT)\nall:\n> @echo computed\n",
  shellStatus: "A != exit 3\nall: ; @echo [$(A)] $(.SHELLSTATUS)\n",
  evalAssignments: "$(eval A = 1)\n$(foreach v,x y,$(eval $(v)_var = $(v)$(v)))\nall: ; @echo $(A) $(x_var) $(y_var)\n",
  evalInRecipe: "all: ; @echo $(eval B = late)[$(B)]\n",
  multiLineDefine: "define LINES\n@echo one\n@echo two\nendef\nall: ; $(LINES)\n",
};

describe("variables (GNU make vs tmake)", () => {
  for (const [name, s] of Object.entries(table)) it(name, () => same(s));
});
