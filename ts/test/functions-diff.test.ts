// Differential tests: GNU make and tmake run the same makefiles exercising every built-in
// function, and must agree on stdout, stderr, exit status and the files left behind.
import { describe, expect, it } from "vitest";
import { outcome, runBoth, type Scenario } from "./helpers/diff.js";

function same(s: Scenario): void {
  const { gnu, tmake } = runBoth(s);
  expect(outcome(tmake)).toEqual(outcome(gnu));
}

/** A makefile printing each expression between brackets, one per line, at read time. */
function printing(exprs: string[], prelude = ""): string {
  return `${prelude}\n${exprs.map((e) => `$(info [${e}])`).join("\n")}\nall:;@:\n`;
}

describe("functions: GNU make vs tmake", () => {
  it("text functions", () => {
    same({
      makefile: printing(
        [
          "$(subst ee,EE,feet on the street)",
          "$(subst ,x,abc)",
          "$(patsubst %.c,%.o,a.c b.d  e.c)",
          "$(patsubst %.c,,a.c b c.c d)",
          "$(patsubst a,b,x   a  a )",
          "$(patsubst a\\%%,X%,a%b a\\%c)",
          "$(x:.c=.o)",
          "$(x:%.c=%)",
          "$(strip  a   b$(tab)c  )",
          "$(findstring b c,ab c)",
          "$(filter %.c a%,$(x) abc)",
          "$(filter-out %.c,$(x))",
          "$(sort b a  c a B)",
          "$(word 2,$(x))",
          "$(wordlist 2,3,a  b   c  d)",
          "$(words $(x))",
          "$(firstword $(x))",
          "$(lastword $(x))",
        ],
        "x = a.c  b.h   c.c\ntab := $(subst x,\t,x)",
      ),
    });
  });

  it("substitution reference with an empty replacement leaves no blanks (GNU's patsubst)", () => {
    same({ makefile: printing(["$(x:%.c=)", "$(x:.c=)", "$(patsubst %.c,,$(x))"], "x = a.c  b.h   c.c") });
  });

  it("file name functions", () => {
    same({
      files: { "a.c": "", "b.c": "", "B.c": "", ".hid": "", "d1/x.c": "", "d2/y.c": "", "sp ace": "" },
      setup: ["ln -s nowhere dangling", "ln -s d1 ldir"],
      makefile: printing([
        "$(dir a/b/c d/ e . /x /)",
        "$(notdir a/b/c d/ e . /x /)",
        "$(suffix a.b/c d.e/f.g h.i.j k .l)",
        "$(basename a.b/c d.e/f.g h.i.j k .l)",
        "$(addprefix p-,a  b)$(addsuffix .x,a  b)",
        "$(join a b c,1 2)",
        "$(wildcard *.c)",
        "$(wildcard .* */ d*// */*.c dangling sp\\ ace nothere)",
        "$(notdir $(realpath ldir d1/../a.c dangling))",
        "$(abspath /usr/share/../lib /etc//hosts)",
        "$(patsubst $(CURDIR)/%,%,$(abspath a ./b/../c))",
      ]),
    });
  });

  it("conditionals, foreach and call", () => {
    same({
      makefile: printing(
        [
          "$(if $(sp),yes,no)$(if ,yes,no)$(if a , b , c )",
          "$(or , $(sp),x)$(or ,,)$(and a,b, c )$(and a,,c)",
          "$(and $(info evaluated)x,$(info also)$(empty),$(info never))",
          "$(foreach x , a b  c , <$x>)$x",
          "$(foreach v,1,$(origin v) $(flavor v))",
          "$(call f,a,b)",
          "$(call h)",
          "$(strip $(call reverse,a b c d))",
          "$(call words,a b c)$(call undefinedvar,a)",
          "$(call s,A,B)",
        ],
        [
          "sp := $(subst x, ,x)",
          "x = outer",
          "f = <$0|$1|$2|$3>",
          "g = $(call f,a)",
          "h = $(call f,x,y,z) $(call g,q,r)",
          "reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1)))) $(firstword $(1))",
          "s := $$1-$$2",
        ].join("\n"),
      ),
    });
  });

  it("value, origin, flavor, eval", () => {
    same({
      env: { FROMENV: "e" },
      args: ["CMD=c"],
      makefile: printing(
        [
          "$(value F)",
          "$(origin F) $(origin S) $(origin CC) $(origin FROMENV) $(origin CMD) $(origin O) $(origin nope)",
          "$(flavor F) $(flavor S) $(flavor nope)",
          "$(eval E = evaluated)$(E)",
        ],
        "F = $(S) x\nS := 1\noverride O = 1\n$(foreach n,1 2,$(eval v$n := $n))\n$(info $(v1)$(v2))",
      ),
    });
  });

  it("shell, info, warning and file", () => {
    same({
      makefile: [
        "$(info [$(shell printf 'a\\nb\\n\\n')] [$(.SHELLSTATUS)])",
        "$(info [$(shell exit 3)] [$(.SHELLSTATUS)] [$(shell )] [$(.SHELLSTATUS)])",
        "x != printf 'a\\nb\\n\\n\\n'",
        "$(info [$(x)])",
        "$(warning careful  )",
        "$(file >out,first)",
        "$(file >>out,second)",
        "$(info [$(file <out)] [$(file <missing)])",
        "all:",
        "\t@echo $(words $(shell ls))",
        "",
      ].join("\n"),
    });
  });

  it("call and eval generate rules", () => {
    same({
      makefile: [
        "all: a b",
        "\t@echo all: $^",
        "define tmpl",
        "$(1): $(1).src ; @echo building $$@ from $$< with $(2)",
        "$(1).src: ; @echo source $$@",
        "endef",
        "$(foreach t,a b,$(eval $(call tmpl,$(t),flag-$(t))))",
        "",
      ].join("\n"),
    });
  });

  it("functions in recipes see automatic variables", () => {
    same({
      files: { "src/x.c": "", "src/y.c": "" },
      makefile: [
        "objs := $(patsubst src/%.c,out/%.o,$(wildcard src/*.c))",
        "all: $(objs)",
        "\t@echo $(words $^) $(notdir $^) $(sort $(dir $^))",
        "out/%.o: src/%.c",
        "\t@echo $(basename $(@F)) $(suffix $<) $(if $(filter %.c,$<),c,other) $(foreach p,$^,[$p])",
        "",
      ].join("\n"),
    });
  });

  it("errors stop the read with GNU's message", () => {
    for (const expr of [
      "$(word 0,a)",
      "$(word x,a)",
      "$(wordlist 1, 2a,a)",
      "$(wordlist 0,2,a)",
      "$(error stop here)",
      "$(file <out,x)",
      "$(file xx)",
      "$(file >)",
      "$(call word,2)",
    ]) {
      same({ makefile: `$(info before)\nx := ${expr}\n$(info after)\nall:;@:\n` });
    }
  });

  it('$(error) text ending in a period still gets GNU\'s ".  Stop."', () => {
    same({ makefile: "$(error ends with a dot.)\nall:;@:\n" });
  });

  it("errors inside a recipe", () => {
    same({ makefile: "all:\n\t@echo start\n\t@echo $(error in recipe)\n" });
    same({ makefile: "all:\n\t@echo $(warning w)$(info i) done\n" });
  });
});
