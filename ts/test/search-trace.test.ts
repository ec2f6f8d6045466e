// The trace of the rule search: --debug=i prints GNU's implicit-rule lines word for word and
// indented as GNU indents them (compared with GNU make 4.3 on `%` rules and the built-in
// rules), --debug=why prints tmake's own account of every candidate, multi-wildcard rules and
// goals included. -d keeps biomake's report (remake-debug.test.ts).
import { describe, expect, it } from "vitest";
import { runGnu, runTmake, type Scenario } from "./helpers/diff.js";

/** The lines of GNU's implicit-rule trace (DB_IMPLICIT) in an output. */
function implicitLines(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => /^ *(Looking for|Trying|Avoiding|Found an implicit|Found prerequisite|No implicit|Rejecting|Stem too|Using default)/.test(l));
}

const cases: Record<string, Scenario> = {
  "built-in rules, in the makefile's directory and in another": {
    makefile: "all: foo.o sub/bar.o\n",
    files: { "foo.c": "", "sub/bar.c": "" },
  },
  "a chain, with a terminal rule tried first": {
    makefile: "all: a.x\n%.x:: %.y\n\tcp $< $@\n%.x: %.z\n\tcp $< $@\n%.z: %.w\n\tcp $< $@\n",
    files: { "a.w": "" },
  },
  "a prerequisite found by vpath": {
    makefile: "vpath %.c src\nall: foo.o\n",
    files: { "src/foo.c": "" },
  },
  "a rule prerequisite (no stem in it)": {
    makefile: "all: prog\nprog: main.o\n\t$(CC) -o $@ $^\n%.o: %.c common.h\n\t$(CC) -c $<\n",
    files: { "main.c": "", "common.h": "" },
  },
  "an intermediate that fails, rejected as impossible within the search": {
    makefile: "all: x.out y.out\n%.out: %.mid\n\tcp $< $@\n%.mid: %.in\n\tcp $< $@\n%:: RCS/%,v\n\tco $@\n",
    files: { "x.in": "" },
  },
  "the .DEFAULT recipe": {
    makefile: ".DEFAULT:\n\techo default $@\nall: foo.q\n",
  },
  "rule recursion avoided": {
    makefile: "all: a.q\n%.b: %.a\n\tcat $< > $@\n%.a: %.b.b\n\tcat $< > $@\n%.q: %.b\n\tcat $< > $@\n",
    files: { "a.b.a": "" },
  },
};

describe("--debug=i prints GNU's implicit-rule trace", () => {
  for (const [name, s] of Object.entries(cases))
    for (const extra of [[], ["-r"]])
      it(`${name}${extra.length ? " (-r)" : ""}`, () => {
        const run: Scenario = { ...s, args: ["-n", "-k", "--debug=i", ...extra] };
        const gnu = implicitLines(runGnu(run).stdout);
        const tm = implicitLines(runTmake(run).stdout);
        expect(gnu.length).toBeGreaterThan(0);
        expect(tm).toEqual(gnu);
      });

  it("--debug=a and --debug=m,i trace the makefiles' search too, as GNU does", () => {
    for (const words of ["a", "m,i"]) {
      const run: Scenario = { ...cases["a rule prerequisite (no stem in it)"], args: ["-n", `--debug=${words}`] };
      const gnu = implicitLines(runGnu(run).stdout);
      expect(gnu).toContain("  Looking for an implicit rule for 'Makefile'.");
      expect(implicitLines(runTmake(run).stdout)).toEqual(gnu);
    }
  });

  it("prints no biomake report and changes nothing the build does", () => {
    const s = cases["a chain, with a terminal rule tried first"]!;
    const traced = runTmake({ ...s, args: ["--debug=i"] });
    const plain = runTmake({ ...s, args: [] });
    expect(traced.stdout.split("\n").filter((l) => !implicitLines(l).length)).toEqual(plain.stdout.split("\n"));
    expect(traced.stdout).not.toMatch(/^% /m);
    expect(traced.files).toEqual(plain.files);
  });
});

describe("a failed intermediate is searched again (GNU remembers it as impossible)", () => {
  // While `a.b` is searched, `%.b: %.a` is in use, so `a.b.b` (which only that rule makes) fails
  // there. GNU then rejects `a.b.b` for `a.c` too, whose search could make it from `a.b.a`;
  // tmake decides each search on its own, so it makes `a.c` whichever way it runs.
  const s: Scenario = {
    makefile: "all: a.b a.c\n%.b: %.a\n\tcat $< > $@\n%.a: %.b.b\n\tcat $< > $@\n%.c: %.b.b\n\tcat $< > $@\n",
    files: { "a.b.a": "a\n" },
    args: ["-r", "-k"],
  };

  it("GNU says no rule for a.c; tmake makes it, with and without its shortcuts", () => {
    expect(runGnu(s).stderr).toContain("No rule to make target 'a.c'");
    for (const env of [{}, { TMAKE_SHORTCUTS: "0" }, { TMAKE_NATIVE: "0" }] as Record<string, string>[]) {
      const r = runTmake({ ...s, env });
      expect(r.stdout).toBe("cat a.b.a > a.b.b\ncat a.b.b > a.c\nrm a.b.b\n");
      expect(r.stderr).toBe("tmake: *** No rule to make target 'a.b', needed by 'all'.\ntmake: Target 'all' not remade because of errors.\n");
      expect(r.files["a.c"]).toBe("a\n");
    }
  });
});

describe("--debug=why shows every candidate of the search", () => {
  const pipeline: Scenario = {
    makefile: [
      "all: calls/s1.vcf calls/s9.vcf",
      "prolog",
      "big_enough(S) :- S \\== s9.",
      "endprolog",
      "calls/$S.vcf {big_enough(S)}: bams/$S.bam",
      "\tcp $< $@",
      "calls/%.vcf: bams/%.bam",
      "\techo fallback > $@",
      "bams/$S.bam: reads/$S.fq ref.fa",
      "\tcat $^ > $@",
      "",
    ].join("\n"),
    files: { "reads/s1.fq": "", "ref.fa": "", "calls/.keep": "", "bams/.keep": "" },
    args: ["-n", "-r", "--debug=why"],
  };

  it("the splits, the target goal's result, the theoretical paths, the rule chosen", () => {
    const r = runTmake(pipeline);
    const lines = r.stdout.split("\n").map((l) => l.trim());
    // s1: the multi-wildcard rule's goal holds and its prerequisite has a path.
    expect(lines).toContain("Searching a rule for 'calls/s1.vcf'.");
    expect(lines).toContain("multi-wildcard rule Makefile:5 'calls/$S.vcf' with S=s1: the target goal {big_enough(S)} holds.");
    expect(lines).toContain("Theoretical path to 'bams/s1.bam': yes, by multi-wildcard rule Makefile:9 'bams/$S.bam' with S=s1.");
    expect(lines).toContain("Rule for 'calls/s1.vcf': multi-wildcard rule Makefile:5 'calls/$S.vcf' with S=s1.");
    // s9: the goal fails; the GNU rule after it has a prerequisite with no path.
    expect(lines).toContain("multi-wildcard rule Makefile:5 'calls/$S.vcf' with S=s9: the target goal {big_enough(S)} failed.");
    expect(lines).toContain("multi-wildcard rule Makefile:9 'bams/$S.bam' with S=s9: prerequisite 'reads/s9.fq' has no theoretical path.");
    expect(lines).toContain(
      "pattern rule Makefile:7 'calls/%.vcf: bams/%.bam', stem 's9' (intermediates allowed): prerequisite 'bams/s9.bam' does not exist, is not mentioned and cannot be made.",
    );
    expect(lines).toContain("No rule for 'calls/s9.vcf'.");
    // In the order the search goes, and the build itself is unchanged.
    const at = (l: string): number => lines.indexOf(l);
    expect(at("Searching a rule for 'calls/s9.vcf'.")).toBeLessThan(at("No rule for 'calls/s9.vcf'."));
    expect(r.stderr).toBe("tmake: *** No rule to make target 'calls/s9.vcf', needed by 'all'.  Stop.\n");
    // (The build's own --debug=why lines, the decisions and their reasons, left out.)
    const decisions = /^ *(Must|No need to) remake target /;
    const build = r.stdout.split("\n").filter((l) => !decisions.test(l));
    expect(build.join("\n")).toContain("cat reads/s1.fq ref.fa > bams/s1.bam\ncp bams/s1.bam calls/s1.vcf\n");
    expect(r.stdout).not.toMatch(/^% /m);
  });

  it("every split of a name with two wildcards, and a deps goal that failed", () => {
    const r = runTmake({
      makefile: ["all: x-y-z.out", "$A-$B.out: $A.in $B.in", "\tcat $^ > $@", ""].join("\n"),
      files: { "x-y.in": "", "z.in": "" },
      args: ["-n", "-r", "--debug=why"],
    });
    const lines = r.stdout.split("\n").map((l) => l.trim());
    expect(lines).toContain("multi-wildcard rule Makefile:2 '$A-$B.out' with A=x B=y-z: prerequisite 'x.in' has no theoretical path.");
    expect(lines).toContain("multi-wildcard rule Makefile:2 '$A-$B.out' with A=x-y B=z: applies.");
    expect(lines).toContain("cat x-y.in z.in > x-y-z.out");

    const goal = runTmake({
      makefile: "all: r.out\n$X.out: $X.in {fail}\n\tcp $< $@\n%.out: %.in\n\techo gnu > $@\n",
      files: { "r.in": "" },
      args: ["-n", "-r", "--debug=why"],
    });
    const again = goal.stdout.split("\n").map((l) => l.trim());
    expect(again).toContain("multi-wildcard rule Makefile:2 '$X.out' with X=r: left out, its deps goal {fail} failed for this file.");
    expect(again).toContain("Rule for 'r.out': pattern rule Makefile:4 '%.out: %.in', stem 'r'.");
  });

  it("-d keeps biomake's report, without the search", () => {
    const r = runTmake({ ...pipeline, args: ["-n", "-r", "-d"] });
    expect(r.stdout).toMatch(/^% +Checking dependencies: calls\/s1\.vcf <-- \[bams\/s1\.bam\]$/m);
    expect(r.stdout).not.toContain("Searching a rule");
    expect(r.stdout).not.toContain("Looking for an implicit rule");
  });
});
