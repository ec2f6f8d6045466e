// Differential tests (GNU make vs tmake, whole runs): line syntax — continuations, comments,
// recipes, single-line rules, rules computed by expansion, define/endef, include, $(eval).
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";

function same(s: Scenario | string): void {
  const { gnu, tmake } = runBoth(typeof s === "string" ? { makefile: s } : s);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

const table: Record<string, Scenario | string> = {
  valueContinuation: "A = one \\\n    two\\\n  three\nall: ; @echo [$(A)]\n",
  oddEvenBackslashes: "A = x\\\\\nB = y\\\\\\\n  z\nall: ; @printf '%s\\n' '[$(A)]' '[$(B)]'\n",
  recipeContinuation: "all:\n\t@echo one \\\n\ttwo \\\n  three\n\t@echo 'in \\\n\tquotes'\n",
  prereqContinuation: "all: a \\\n  b\n\t@echo $^\na b: ; @:\n",
  comments: "# leading comment\nA = 1 # trailing\nB = 2\\#3\n# comment \\\n  continued\nall: ; @echo [$(A)] [$(B)] # not a comment for the shell? it is\n",
  commentInsideRecipeBlock: "all:\n\t@echo one\n# a makefile comment\n\n\t@echo two\n\t# a shell comment line\n",
  hashInFunction: "all: ; @echo $(subst #,H,a#b)\n",
  singleLineRules: "all: dep ; @echo all $^\ndep: ; @echo dep\n",
  semicolonRecipeAndMore: "all: ; @echo one\n\t@echo two\n",
  emptyRecipe: "all: dep ;\ndep: ; @echo dep\n",
  doubleColon: "all:: ; @echo one\nall:: ; @echo two\n",
  orderOnly: "all: a | b ; @echo [$^] [$|]\na b: ; @:\n",
  staticPattern: "all: x.out y.out\nx.out y.out: %.out: %.in ; @echo $@ from $<\nx.in y.in: ; @:\n",
  multipleTargets: "all: a b\na b: ; @echo making $@\n",
  groupedTargets: "all: a\na b &: ; @echo grouped $@\n",
  escapedColonTarget: "all: a\\:b\na\\:b: ; @echo [$@]\n",
  ruleFromVariable: "RULE = all: dep1\n$(RULE) dep2 ; @echo [$^]\ndep1 dep2: ; @:\n",
  ruleWithSemicolonFromVariable: "R = all: ; @echo from var\n$(R)\n",
  emptyExpansionLines: "E =\n$(E)\n  $(E)  \nall: ; @echo ok\n",
  targetSpecificWithSemicolon: "all: X = a ; b\nall: ; @echo '[$(X)]'\n",
  wildcardPrereqs: { makefile: "all: *.src ; @echo $^\n", files: { "b.src": "", "a.src": "" } },
  dotSlash: "all: ./dep ; @echo [$^]\ndep: ; @echo dep\n",
  secondExpansion: ".SECONDEXPANSION:\nP = late\nall: $$(P) ; @echo [$^]\nlate: ; @echo late\nP = late\n",
  defineFlavours: "B = b\ndefine R\nrec $(B)\nendef\ndefine S :=\nsimple $(B)\nendef\ndefine A +=\nappended\nendef\nB = c\nall: ; @echo '$(R)' '$(S)' '$(A)'\n",
  defineNested: "define OUTER\ndefine INNER\nx\nendef\nendef\nall: ; @echo '$(subst $(newline), | ,$(OUTER))'\ndefine newline\n\n\nendef\n",
  defineRecipe: "define CMDS\n@echo first\n@echo second\nendef\nall: ; $(CMDS)\n",
  defineEval: "define RULE\n$(1): ; @echo rule $(1) $(2)\nendef\n$(eval $(call RULE,all,x))\n",
  evalConditional: "$(eval ifeq (1,1)\nX = yes\nendif)\nall: ; @echo [$(X)]\n",
  evalForeachRules: "T = a b c\n$(foreach t,$(T),$(eval $(t): ; @echo made $(t)))\nall: $(T)\n.DEFAULT_GOAL := all\n",
  include: { makefile: "include a.mk\nall: ; @echo $(A) [$(MAKEFILE_LIST)]\n", files: { "a.mk": "A = from a\n" } },
  includeDir: { makefile: "include a.mk\nall: ; @echo $(A)\n", files: { "inc/a.mk": "A = found\n" }, args: ["-I", "inc"] },
  optionalInclude: "-include nope.mk\nsinclude nope2.mk\nall: ; @echo ok\n",
  includeRemade: "include gen.mk\nall: ; @echo [$(G)]\ngen.mk: ; @echo 'G = generated' > $@\n",
  missingInclude: "include nope.mk\nall: ; @echo x\n",
  recipeAfterInclude: { makefile: "all:\ninclude a.mk\n\t@echo x\n", files: { "a.mk": "" } },
  undefinedVariableInTarget: "bindir = out/bin\ninstall: $(DESTDIR)$(bindir)/prog\n$(DESTDIR)$(bindir)/prog: ; @echo installing $@\n",
  makefilesVariable: {
    makefile: "all: ; @echo all [$(EXTRA)] [$(MAKEFILE_LIST)]\n",
    files: { "extra.mk": "first: ; @echo from extra\nEXTRA = yes\n" },
    env: { MAKEFILES: "extra.mk missing.mk" },
  },
  vpathDirective: { makefile: "vpath %.src dir\nall: a.src ; @echo [$^]\n", files: { "dir/a.src": "" } },
  vpathVariable: { makefile: "VPATH = dir\nall: a.src ; @echo [$^]\n", files: { "dir/a.src": "" } },
};

describe("makefile syntax (GNU make vs tmake)", () => {
  for (const [name, s] of Object.entries(table)) it(name, () => same(s));
});
