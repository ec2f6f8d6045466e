// Differential tests (GNU make vs tmake, whole runs) for the language behaviours that GNU
// Make's own test suite checks in features/escape, features/export, features/utf8,
// functions/{eval,foreach,origin,shell}, misc/{bs-nl,general3,general4,close_stdout},
// variables/{define,private,undefine,GNUMAKEFLAGS,MAKEFLAGS} and
// options/warn-undefined-variables. Each case is a makefile whose outcome (stdout, stderr,
// exit status, files) must be GNU's.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalise, outcome, runBoth, tmakeMain, type Scenario } from "./helpers/diff.js";

function same(s: Scenario | string): void {
  const { gnu, tmake } = runBoth(typeof s === "string" ? { makefile: s } : s);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

const escapes: Record<string, Scenario | string> = {
  // A colon quoted in a target is unquoted once, when the rule's colon is looked for;
  // prerequisites are unquoted the same way, so each name matches its rule.
  escapedColonsInNames: "foo: foo\\:bar foo\\\\\\:bar foo\\\\\\\\\\:bar\nfoo foo\\:bar foo\\\\\\:bar foo\\\\\\\\\\:bar: ; : '$@'\n",
  // .DEFAULT_GOAL holds "foo bar": a known target of that name, not two goals.
  defaultGoalWithEscapedBlank: 'foo\\ bar: ; @echo "touch ($@)"\n',
  // An unset variable in a target: GNU's reading makes `foo` the default goal.
  defaultGoalFromUnsetPrefix: '$(path)foo : ; @echo "touch ($@)"\n\nfoo\\ bar: ; @echo "touch ($@)"\n',
};

const variables: Record<string, Scenario | string> = {
  // Under -e an environment variable says "environment" until a makefile tries to set it.
  originUnderDashE: {
    makefile: "FOO = file\nall: ; @echo $(origin MAKETEST) $(origin FOO) $(FOO)\n",
    env: { MAKETEST: "1", FOO: "env" },
    args: ["-e"],
  },
  environmentRedefinedStaysExported: { makefile: "FOO = foo\nall: ; @echo [$$FOO]\n", env: { FOO: "1" } },
  commandLineVariableExported: { makefile: "all: ; @echo [$$X]\n", args: ["X=1"] },
  targetValueOfEnvironmentVariableExported: { makefile: "all: FOO = t\nall: ; @echo [$$FOO]\n", env: { FOO: "env" } },
  // A makefile's PATH replaces the environment's for recipes (PATH came from the environment,
  // so it stays exported).
  pathFromMakefileReachesRecipes: {
    makefile: "PATH := sd\nall: ; foobar.sh >/dev/null\n",
    setup: ["mkdir sd && printf 'exit 0\\n' > sd/foobar.sh && chmod +x sd/foobar.sh"],
  },
  privateNotInheritedThroughChain:
    "DEFS = FOO\nall: bar1\nbar1: private DEFS += 1\nbar3: private DEFS += 3\nbar1: bar2\nbar2: bar3\nbar1 bar2 bar3: ; @echo '$@: $(DEFS)'\n",
  privatePatternSpecific:
    "IA = global\nPA = global\nPS = global\nb%: IA += b%\nb%: private PA += b%\nb%: private PS = b%\nbar: all\n" +
    "bar: IA += bar\nbar: private PA += bar\nbar: private PS = bar\na%: IA += a%\na%: private PA += a%\na%: private PS = a%\n" +
    "all: IA += all\nall: private PA += all\nall: private PS = all\n\n" +
    "bar all: ; @echo '$@: IA=$(IA)'; echo '$@: PA=$(PA)'; echo '$@: PS=$(PS)'\n",
  // features/targetvars: a target's variable name is expanded with that target's variables.
  targetVariableNameSeesTargetValues: 'FOO = foo\nfour:FOO=x\nfour:VAR$(FOO)=ok\nfour: ; @echo "$(FOO) $(VAR$(FOO)) $(VAR) $(VARx)"\n',
  defineWithComputedName: {
    makefile:
      "FOO = foo\nNAME = def\ndef =\nifdef BOGUS\n define  $(subst e,e,$(NAME))     =\n  ifeq (1,1)\n   FOO = bar\n  endif\n endef\nendif\n\n$(eval $(def))\nall: ; @echo $(FOO)\n",
    args: ["BOGUS=1"],
  },
  defineWithEmptyName: "NAME =\ndefine $(NAME)  =\nouch\nendef\nall: ; @echo ouch\n",
  utf8ByteOrderMark: "\ufeffall: ; @echo $@\n",
  // targets/POSIX: .POSIX gives POSIX's defaults (and -ec) unless something else set them.
  // ARFLAGS is left out: Debian's make patches its .POSIX value to -rvU (upstream: -rv).
  posixDefaults: { makefile: ".POSIX:\nall: ; @echo '$(CC) $(CFLAGS) $(FC) $(FFLAGS) $(SCCSGETFLAGS) $(.SHELLFLAGS) $(LEX)'\n", env: { FC: "env-fc" } },
  posixRecipesStopAtFailure: ".POSIX:\nall: ; @false; true\n",
};

const evaluation: Record<string, Scenario | string> = {
  // $(eval) reads with the caller's variables: the loop variable, $(call)'s arguments.
  foreachEvalSeesLoopVariable:
    '.PHONY: all target\nall: target\n\nx := BAD\n\ndefine mktarget\ntarget: x := $(x)\ntarget: ; @echo "$(x)"\nendef\n\nx := GLOBAL\n\n$(foreach x,FOREACH,$(eval $(value mktarget)))\n',
  callEvalSeesArguments: "define undef\n$(eval undefine $$1)\nendef\n\na := a\n$(call undef,a)\n$(info $(flavor a))\n\nall: ;@:\n",
  evalDefinitionsStayGlobal: "$(foreach y,a b,$(eval Y := $$y))\n$(foreach x,X,$(eval x := inner))\nall: ; @echo [$(Y)] [$(x)] $(origin x)\n",
  rulesCannotBeDefinedInRecipes: "deps: ; $(eval deps: foo)\n",
  shellMissingProgram: "$(shell ./basdfdfsed where)\nall: ; @echo $(.SHELLSTATUS)\n",
  warnUndefinedVariables: {
    makefile: "EMPTY =\nEREF = $(EMPTY)\nUREF = $(UNDEFINED)\n\nSEREF := $(EREF)\nSUREF := $(UREF)\n\nall: ; @echo ref $(EREF) $(UREF)\n",
    args: ["--warn-undefined-variables"],
  },
};

const continuations: Record<string, Scenario | string> = {
  // Under .POSIX the blanks before a backslash-newline stay.
  posixKeepsBlanks: "\n.POSIX:\nx = y\nvar = he  \\\nllo\nvar:;@echo '|$(var)|'\n",
  posixOneSpaceEach: "\n.POSIX:\nx = y\nvar = he\\\n\\\n\\\n    llo\nvar:;@echo '|$(var)|'\n",
  // Inside a reference in a recipe a backslash-newline is one space before expansion.
  recipeReferenceContinuations: '\nf = echo $(1)\nt:; @$(call f,"a \\\n            b"); \\\n        $(call f,"a \\\n            b")\n',
  recipeForeachContinuations: "\nall:;@:$(foreach \\\n\r  a \t\\\n , b\t \\\n c \r ,$(info  \\\n  $a  \r  )  \\\n    )\n",
  // A continuation on the last line (CRLF) of an included file continues into nothing.
  continuationAtEndOfFile: {
    makefile: "include inc.mk\ndefine BAR\nall: ; @echo $(FOO) bar\nendef\n$(eval $(BAR))\n",
    files: { "inc.mk": "FOO = foo \\\r\n" },
  },
  // .SHELLFLAGS is split as the shell would split it.
  quotedShellFlags: "\nslow: SHELL := echo hi\nslow: .SHELLFLAGS := 'ho;ho'\nslow:; @foo bar\n",
};

const flags: Record<string, Scenario | string> = {
  gnumakeflagsRead: { makefile: "all: ; @echo $(MAKEFLAGS)\n", env: { GNUMAKEFLAGS: "-e -r -R" } },
  gnumakeflagsEmptiedForRecipes: { makefile: "all: ; @echo [$$GNUMAKEFLAGS] [$(MAKEFLAGS)]\n", env: { GNUMAKEFLAGS: "-k" } },
  traceAndLongFlags: { makefile: "\nall: ; @echo $(MAKEFLAGS)\n", args: ["--no-print-directory", "-e", "-r", "-R", "--trace"] },
  traceSaysWhy: {
    makefile: "all: a b\na: ; @echo making $@\nb: ; @touch $@\n",
    setup: ["touch a.in"],
    args: ["--trace"],
  },
  warnUndefinedInMakeflags: { makefile: "all: ; @echo [$(MAKEFLAGS)] $(X)\n", args: ["--warn-undefined-variables"] },
};

for (const [title, table] of Object.entries({ escapes, variables, evaluation, continuations, flags })) {
  describe(`GNU suite, language: ${title}`, () => {
    for (const [name, s] of Object.entries(table)) it(name, () => same(s));
  });
}

describe("GNU suite, language: a closed standard output", () => {
  // misc/close_stdout: output that cannot be written fails the run (status 1) with GNU's message.
  function toFull(command: string, makefile: string): { stderr: string; status: number | null } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-full-"));
    fs.writeFileSync(path.join(dir, "Makefile"), makefile);
    const r = spawnSync("/bin/sh", ["-c", `${command} > /dev/full`], { cwd: dir, encoding: "utf8", timeout: 30_000 });
    return { stderr: normalise(r.stderr), status: r.status };
  }
  const cases = {
    info: "$(info hello)\nall: ; @:\n",
    echoedRecipe: "all: ; true\n",
  };
  for (const [name, makefile] of Object.entries(cases)) {
    it(name, () => {
      const gnu = toFull("make", makefile);
      const tm = toFull(`'${process.execPath}' '${tmakeMain}'`, makefile);
      expect(tm).toEqual(gnu);
      expect(gnu.status).toBe(1);
    });
  }
});
