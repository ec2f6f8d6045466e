// Differential tests of the read phase: GNU make and tmake's reader on the same makefile must
// print the same $(info)/$(warning) text and the same fatal errors (see read-gnu-helper.ts).
import { describe, expect, it } from "vitest";
import { gnuRead, tmakeRead, type ReadCase } from "./read-gnu-helper.js";

function same(c: ReadCase | string): void {
  const rc = typeof c === "string" ? { makefile: c } : c;
  const g = gnuRead(rc);
  const t = tmakeRead(rc);
  expect(t).toEqual(g);
}

const cases: Record<string, Record<string, ReadCase | string>> = {
  "assignment flavours": {
    recursive: "B = 1\nA = $(B)\nB = 2\n$(info [$(A)])\n",
    simple: "B = 1\nA := $(B)\nB = 2\n$(info [$(A)])\n",
    posixSimple: "B = 1\nA ::= $(B)\nB = 2\n$(info [$(A)] $(flavor A))\n",
    conditional: "A ?= 1\nA ?= 2\n$(info [$(A)] $(flavor A))\nCC ?= gcc\n$(info [$(CC)])\n",
    appendRecursive: "A = $(B)\nA += x\nB = b\n$(info [$(A)] $(flavor A))\n",
    appendSimple: "B = 1\nA := $(B)\nA += $(B) $$\nB = 2\n$(info [$(A)] $(flavor A))\n",
    appendNew: "A += x\n$(info [$(A)] $(flavor A))\nE :=\nE += y\n$(info [$(E)])\nF = f\nF +=\n$(info [$(F)])\n",
    shell:
      "A != echo a; echo b\n$(info [$(A)] $(flavor A) $(.SHELLSTATUS))\nB != printf 'x\\n\\n\\n'\n$(info [$(B)])\nC != exit 3\n$(info [$(C)] $(.SHELLSTATUS))\n",
    spaces: "A =    lead and trail   \n$(info [$(A)])\nB=x#c\n$(info [$(B)])\nC = a \\\n   b \\\n  c\n$(info [$(C)])\n",
    computedNames: "x = y\n$(x)_v = 1\n$(info [$(y_v)])\nn = A B\n$(firstword $(n)) = 3\n$(info [$(A)])\n",
    weirdNames: "a-b = 1\na.b = 2\n$(info [$(a-b)] [$(a.b)])\nifdef = 3\n$(info [$(ifdef)])\nexport = 4\n$(info [$(export)])\n",
    override: "override A = 1\nA = 2\n$(info [$(A)] $(origin A))\noverride A += 3\n$(info [$(A)])\n",
    commandLine: { makefile: "A = file\nA += more\nB := $(A)\n$(info [$(A)] $(origin A) [$(B)] $(origin B))\n", vars: ["A=cmd", "B:=x"] },
    commandLineOverride: { makefile: "override A = file\n$(info [$(A)] $(origin A))\noverride C += c\n$(info [$(C)])\n", vars: ["A=cmd", "C=c0"] },
    environment: { makefile: "$(info [$(FOO)] $(origin FOO))\nFOO = file\n$(info [$(FOO)] $(origin FOO))\n", env: { FOO: "env" } },
    environmentOverride: {
      makefile: "FOO = file\n$(info [$(FOO)] $(origin FOO))\noverride FOO = o\n$(info [$(FOO)] $(origin FOO))\n",
      env: { FOO: "env" },
      envOverrides: true,
    },
    undefine: "A = 1\nundefine A\n$(info [$(A)] $(origin A))\noverride B = 2\nundefine B\n$(info [$(B)])\noverride undefine B\n$(info [$(B)] $(origin B))\n",
    emptyName: "= 1\n",
    shellOutputDollar: "A != echo '$$HOME'\n$(info [$(value A)])\n",
    selfReference: "A = $(A)\n$(info $(A))\n",
    selfReferenceIndirect: "A = $(B)\nB = $(A)\nX = 1\n$(info $(A))\n",
  },
  define: {
    basic: "define A\none $(B)\n  two\nendef\nB = b\n$(info [$(A)] $(flavor A))\n",
    simple: "B = b\ndefine A :=\n$(B)\nendef\nB = c\n$(info [$(A)] $(flavor A))\n",
    append: "A = a\ndefine A +=\nmore\nendef\n$(info [$(A)])\n",
    conditional: "A = a\ndefine A ?=\nno\nendef\ndefine C ?=\nyes\nendef\n$(info [$(A)] [$(C)])\n",
    nested: "define OUTER\ndefine INNER\nx\nendef\nendef\n$(info [$(OUTER)])\n",
    comments: "define A # comment\n# kept\nline\nendef # trailing\n$(info [$(A)])\n",
    override: "override define A\nx\nendef\nA = y\n$(info [$(A)])\n",
    exportDefine: "export define A\nx\nendef\n$(info [$(A)] $(origin A))\n",
    empty: "define A\nendef\n$(info [$(A)] $(origin A))\n",
    continuations: "define A\na \\\nb\nendef\n$(info [$(A)])\n",
    extraneous: "define A = x\nv\nendef\n$(info [$(A)])\n",
    endefExtra: "define A\nv\nendef junk\n$(info [$(A)])\n",
    unterminated: "define A\nfoo\n",
    evalDefine:
      "define RULE\n$(1)_x = $(2)\nendef\n$(eval $(call RULE,a,1))\n$(foreach n,b c,$(eval $(call RULE,$(n),$(n)$(n))))\n$(info [$(a_x)] [$(b_x)] [$(c_x)])\n",
  },
  conditionals: {
    ifeqForms:
      "A = x\nifeq ($(A),x)\n$(info 1)\nendif\nifeq '$(A)' 'x'\n$(info 2)\nendif\nifeq \"$(A)\" \"x\"\n$(info 3)\nendif\nifeq '$(A)' \"x\"\n$(info 4)\nendif\nifneq ($(A),y)\n$(info 5)\nendif\n",
    ifeqSpaces:
      "A = x\nifeq ( $(A),x)\n$(info no1)\nelse\n$(info yes1)\nendif\nifeq ($(A) , x )\n$(info no2)\nelse\n$(info yes2)\nendif\nifeq ($(A) ,x)\n$(info yes3)\nendif\n",
    ifeqParens: "ifeq ($(subst a,b,a),b)\n$(info yes)\nendif\nifeq ((a),(a))\n$(info parens)\nendif\n",
    ifdef:
      "A = 1\nB =\nC = $(B)\nifdef A\n$(info A)\nendif\nifdef B\n$(info B)\nendif\nifdef C\n$(info C)\nendif\nifndef D\n$(info D)\nendif\nN = A\nifdef $(N)\n$(info computed)\nendif\n",
    elseChains: "A = 2\nifeq ($(A),1)\n$(info one)\nelse ifeq ($(A),2)\n$(info two)\nelse ifeq ($(A),2)\n$(info two again)\nelse\n$(info other)\nendif\n",
    elseIfdef: "ifdef NOPE\n$(info a)\nelse ifndef NOPE\n$(info b)\nendif\n",
    nested: "A = 1\nifeq ($(A),1)\nifeq ($(B),)\n$(info inner)\nelse\n$(info wrong)\nendif\nelse\nifeq (x,x)\n$(info wrong2)\nendif\nendif\n",
    ignoredSyntax: "ifeq (a,b)\nifeq junk\nendif\n$(error not reached)\nfoo bar baz\nendif\n$(info ok)\n",
    ignoredDefine: "ifeq (a,b)\ndefine X\nendif\nendef\nendif\n$(info ok [$(X)])\n",
    invalid: "ifeq a b\nendif\n",
    invalidIfdef: "ifdef A B\nendif\n",
    missingEndif: "ifeq (a,a)\nA = 1\n",
    extraneousEndif: "endif\n",
    extraneousElse: "else\n",
    doubleElse: "ifeq (a,a)\nelse\nelse\nendif\n",
    extraText: "ifeq (a,a) junk\n$(info body)\nendif junk\n",
    elseJunk: "ifeq (a,b)\nelse junk\n$(info else body)\nendif\n",
    directivesAsVars: "ifeq = 1\nendif = 2\n$(info [$(ifeq)] [$(endif)])\n",
    tabbed: "\tifeq (a,a)\n$(info tabbed)\n\tendif\n",
  },
  include: {
    basic: { makefile: "include a.mk\n$(info [$(A)] [$(MAKEFILE_LIST)])\n", files: { "a.mk": "A = from a\n" } },
    several: {
      makefile: "include a.mk b.mk\n$(info [$(MAKEFILE_LIST)])\n",
      files: { "a.mk": "A = 1\n", "b.mk": "B = 2\n$(info in b [$(lastword $(MAKEFILE_LIST))])\n" },
    },
    optional: "-include nope.mk\nsinclude nope2.mk\n$(info [$(MAKEFILE_LIST)])\n",
    computed: { makefile: "F = a\ninclude $(F).mk\n$(info [$(A)])\n", files: { "a.mk": "A = 1\n" } },
    glob: { makefile: "include *.mk\n$(info [$(MAKEFILE_LIST)])\n", files: { "b.mk": "", "a.mk": "" } },
    includeDir: { makefile: "include inc.mk\n$(info [$(MAKEFILE_LIST)])\n", files: { "d/inc.mk": "X = 1\n" }, includeDirs: ["d"] },
    conditionalScope: { makefile: "include a.mk\n", files: { "a.mk": "ifeq (1,1)\nA = 1\n" } },
    endifAcross: { makefile: "ifeq (1,1)\ninclude a.mk\n", files: { "a.mk": "endif\n" } },
    emptyInclude: "include\ninclude $(EMPTY)\n$(info ok)\n",
  },
  "rules and variables": {
    defaultGoal: "$(info [$(.DEFAULT_GOAL)])\n.PHONY: x\n%.o: %.c\n.hidden: \nfirst second: dep\n$(info [$(.DEFAULT_GOAL)])\nlater:\n",
    defaultGoalSet: ".DEFAULT_GOAL := b\na:\nb:\n$(info [$(.DEFAULT_GOAL)])\n",
    defaultGoalSlash: "./.x/y:\n$(info [$(.DEFAULT_GOAL)])\n",
    targetVars: "foo: A = 1\nfoo: B := $(A)\n$(info [$(A)] [$(B)])\n",
    ruleFromVariable: "R = a: b\n$(R) c\n$(info [$(.DEFAULT_GOAL)])\n",
    emptyExpansion: "E =\n$(E)\n$(E) $(E)\n$(info ok)\n",
    missingSeparator: "foo\n",
    missingSeparatorTab: "        foo\n",
    recipeFirst: "\techo hi\n",
    recipeAfterAssignment: "all:\nA = 1\n\techo hi\n",
    recipeAfterExpansion: "all:\n$(info x)\n\techo hi\n",
    tabbedAssignment: "\tA = 1\n$(info [$(A)])\n",
    missingRuleBeforeRecipe: "; echo hi\n",
    noTargetRule: ": foo\n\techo ignored\n$(info ok)\n",
    staticNoPercent: "a b: c: d\n",
    mixedNormalFirst: "a %.o: b\n$(info [$(.DEFAULT_GOAL)])\n",
    semicolonInExpansion: "R = a: ; echo hi\n$(R)\n$(info [$(.DEFAULT_GOAL)])\n",
    escapedHash: "A = a\\#b\nB = $(subst #,x,a#b)\n$(info [$(A)] [$(B)])\n",
    recipePrefix: ".RECIPEPREFIX = >\nall:\n> @echo hi\n$(info [$(.RECIPEPREFIX)])\n",
    secondExpansion: ".SECONDEXPANSION:\nall: $$(x)\n$(info ok)\n",
  },
  expansion: {
    substitutionRefs: "A = a.c b.c c.h\n$(info $(A:.c=.o) $(A:%.c=%.o) $(A:%=x%) $(A:.c=))\n",
    nested: "x = y\ny = z\nz = w\n$(info $($($(x))) ${x} $x)\n",
    dollars: "$(info $$ $$$$ a$)\n",
    spaceRef: "A = x$ y\n$(info [$(A)])\n",
    unknownFunction: "$(info [$(foo bar)])\n",
    unterminatedRef: "A = $(foo\n$(info $(A))\n",
    unterminatedCall: "$(info $(subst a,b,c)\n",
    insufficientArgs: "$(info $(word 2))\n",
    insufficientArgsInVar: "W = $(word 2)\n\n$(info $(W))\n",
    braces: "A = 1\n$(info ${A} ${subst 1,2,${A}} $(subst {,x,a{b))\n",
    commaSplit: "$(info $(subst $(comma),x,a,b))\ncomma := ,\n$(info $(subst $(comma),x,a,b))\n",
    automaticForms: "$(info [$(@D)] [$(@F)] [$(<D)])\n",
    variables: "A := 1\n$(info $(filter A CURDIR MAKEFILE_LIST,$(.VARIABLES)))\n",
    origins:
      "A = 1\n$(info $(origin A) $(origin CC) $(origin PATH) $(origin MAKE) $(origin CURDIR) $(origin nope) $(origin MAKELEVEL) $(origin .DEFAULT_GOAL) $(origin SHELL) $(origin MAKEFLAGS))\n",
    flavors: "A = 1\nB := 2\n$(info $(flavor A) $(flavor B) $(flavor C) $(flavor CC) $(flavor MAKE))\n",
    specials:
      "$(info [$(SHELL)] [$(.SHELLFLAGS)] [$(MAKELEVEL)] [$(.RECIPEPREFIX)] [$(MAKECMDGOALS)] [$(filter target-specific order-only second-expansion else-if undefine oneshell grouped-target,$(.FEATURES))])\n",
    defaults: "$(info $(CC) [$(CFLAGS)] $(RM) $(COMPILE.c) $(AR) $(ARFLAGS) $(YACC) $(MAKEINFO))\n",
    warning: "$(warning hello)\nW = $(warning in var)\n\nX := $(W)\n",
    error: "$(error boom)\n",
    errorInVar: "E = $(error boom)\n\nX := $(E)\n",
    callRecursion: "reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))\n$(info [$(strip $(call reverse,a b c))])\n",
    foreachScope: "x = outer\n$(info $(foreach x,1 2,$(x)) $(x))\n",
    shellFunction: "$(info [$(shell echo a; echo b)] $(.SHELLSTATUS))\n",
    lineNumbers: "A = 1 \\\n  2 \\\n  3\n$(warning here)\n\n$(warning \\\n  there)\n",
  },
  exports: {
    exportNames: "export A B\nA = 1\n$(info [$(A)] $(origin B) [$(B)])\nunexport A\n",
    exportAll: "export\n$(info ok)\nunexport\n",
  },
};

for (const [group, table] of Object.entries(cases)) {
  describe(group, () => {
    for (const [name, c] of Object.entries(table)) it(name, () => same(c));
  });
}
