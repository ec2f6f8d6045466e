// Biomake's meaning where only biomake syntax reaches it, and goals that explain themselves:
//  - files made by multi-wildcard rules are never deleted as intermediates (biomake deletes
//    nothing), while GNU `%` chains keep GNU's deletion;
//  - "No rule to make target" names the goal that ruled the rule out;
//  - under -n a deps goal is not run against a prerequisite the dry run would have made.
// Compared with the real biomake where it runs here (see helpers/biomake.ts).
import { describe, expect, it } from "vitest";
import { outcome, runBoth, runTmake } from "./helpers/diff.js";
import { biomakeMissing, runBiomakeAndTmake } from "./helpers/biomake.js";

const missing = biomakeMissing();
if (missing !== undefined) console.log(`biomake-goals.test: differential cases against biomake skipped: ${missing}`);
const withBiomake = missing === undefined ? it : it.skip;

/** A multi-wildcard rule makes the input of a GNU `%` rule (issue 10's reduced case), with a
 * log of the commands run. */
const chainThroughWildcard = ["all: a.v.gz b.v.gz", "$R.v: in.txt", "\techo $@ >> log; cp $< $@", "%.v.gz: %.v", "\techo $@ >> log; cp $< $@", ""].join("\n");

describe("intermediate files at the boundary of biomake and GNU syntax", () => {
  it("keeps what a multi-wildcard rule made, on a first build and when it is missing later", () => {
    const first = runTmake({ makefile: chainThroughWildcard, files: { "in.txt": "x\n" } });
    expect(first.status).toBe(0);
    expect(first.stdout).not.toMatch(/^rm /m);
    expect(Object.keys(first.files).sort()).toEqual(["Makefile", "a.v", "a.v.gz", "b.v", "b.v.gz", "in.txt", "log"]);
    // Missing later: a prerequisite like any other, so it is made again (biomake's meaning).
    const again = runTmake({
      makefile: chainThroughWildcard,
      files: { "in.txt": "x\n", "a.v.gz": "x\n", "b.v": "x\n", "b.v.gz": "x\n" },
      setup: ["touch -d '2020-01-01' in.txt b.v"],
    });
    expect(again.status).toBe(0);
    expect(again.files.log).toBe("a.v\na.v.gz\n");
  });

  withBiomake("leaves the same files and runs the same commands as biomake", () => {
    const { biomake, tmake } = runBiomakeAndTmake({ makefile: chainThroughWildcard, files: { "in.txt": "x\n" } });
    expect(biomake.status).toBe(0);
    expect(tmake.files).toEqual(biomake.files);
  });

  it("deletes the intermediates of a GNU % chain as GNU does", () => {
    const mk = "all: a.v.gz\n%.v: %.txt\n\tcp $< $@\n%.v.gz: %.v\n\tcp $< $@\n";
    const { gnu, tmake } = runBoth({ makefile: mk, files: { "a.txt": "x\n" } });
    expect(tmake.stdout).toContain("rm a.v\n");
    expect(outcome(tmake)).toEqual(outcome(gnu));
  });
});

const sizeGoal = [
  "prolog",
  "big_enough(F) :- size_file(F, S), S > 10.",
  "endprolog",
  "",
  "all: out-a.txt out-b.txt",
  "",
  "in-a.txt: seed.txt",
  "\techo hello world, this is long > $@",
  "in-b.txt: seed.txt",
  "\techo hi > $@",
  "out-$X.txt: in-$X.txt {DEPS=[F], big_enough(F)}",
  "\tcp $< $@",
  "",
].join("\n");

describe("a deps goal that fails", () => {
  it("is named in 'No rule to make target'", () => {
    const r = runTmake({ makefile: sizeGoal, files: { "seed.txt": "" } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("echo hello world, this is long > in-a.txt\ncp in-a.txt out-a.txt\necho hi > in-b.txt\n");
    expect(r.stderr).toBe(
      "tmake: *** No rule to make target 'out-b.txt', needed by 'all': the deps goal {DEPS=[F], big_enough(F)} of rule Makefile:11 failed for it.  Stop.\n",
    );
  });

  it("under -k, the other targets are made and the goal is said", () => {
    const r = runTmake({ makefile: sizeGoal, files: { "seed.txt": "" }, args: ["-k"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "*** No rule to make target 'out-b.txt', needed by 'all': the deps goal {DEPS=[F], big_enough(F)} of rule Makefile:11 failed for it.\n",
    );
    expect(r.files["out-a.txt"]).toBe("hello world, this is long\n");
  });

  it("is named when the target goal of an explicit rule rules it out", () => {
    const mk = "prolog\nok(no).\nendprolog\nall: x\nx {ok(yes)}:\n\ttouch $@\n";
    const r = runTmake({ makefile: mk });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("tmake: *** No rule to make target 'x', needed by 'all': the target goal {ok(yes)} of rule Makefile:5 failed for it.  Stop.\n");
  });
});

describe("a deps goal on intermediate prerequisites under -j", () => {
  // The prerequisites are made by pattern rules (intermediate): their recipes start when the
  // goal is about to be tested, and under -j the goal must wait for them (it once looked at
  // files not made yet: "file 'nonempty_x' does not exist", one run in three).
  const mk = [
    "size_%: % { DEPS = [F], size_file(F,0) }",
    "\techo $F is empty > $@",
    "size_%: % { DEPS = [F], size_file(F,S), S > 0 }",
    "\techo $F has $S bytes > $@",
    "nonempty_%:",
    "\techo hello > $@",
    "empty_%:",
    "\ttouch $@",
    "",
  ].join("\n");
  it("tests the goal once they are made, every time", () => {
    for (let i = 0; i < 6; i++) {
      const r = runTmake({ makefile: mk, args: ["-j4", "size_nonempty_x", "size_empty_y"] });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.files.size_nonempty_x).toBe("nonempty_x has 6 bytes\n");
      expect(r.files.size_empty_y).toBe("empty_y is empty\n");
    }
  });
});

describe("a dry run of a pipeline with deps goals", () => {
  it("assumes a deps goal holds when a prerequisite would be made first, and says so", () => {
    const r = runTmake({ makefile: sizeGoal, files: { "seed.txt": "" }, args: ["-n"] });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("echo hello world, this is long > in-a.txt\ncp in-a.txt out-a.txt\necho hi > in-b.txt\ncp in-b.txt out-b.txt\n");
    expect(r.stderr).toBe(
      "Makefile:11: deps goal {DEPS=[F], big_enough(F)} of 'out-a.txt' not tested: 'in-a.txt' would be made first (assumed to succeed under -n)\n" +
        "Makefile:11: deps goal {DEPS=[F], big_enough(F)} of 'out-b.txt' not tested: 'in-b.txt' would be made first (assumed to succeed under -n)\n",
    );
    expect(Object.keys(r.files).sort()).toEqual(["Makefile", "seed.txt"]);
  });

  it("tests the goal on prerequisites that are already there", () => {
    const r = runTmake({
      makefile: sizeGoal,
      files: { "seed.txt": "", "in-a.txt": "hello world, long enough\n", "in-b.txt": "hi\n" },
      setup: ["touch -d '2020-01-01' seed.txt"],
      args: ["-n", "-k"],
    });
    expect(r.stdout).toBe("cp in-a.txt out-a.txt\n");
    expect(r.stderr).toContain(
      "No rule to make target 'out-b.txt', needed by 'all': the deps goal {DEPS=[F], big_enough(F)} of rule Makefile:11 failed for it.",
    );
    expect(r.stderr).not.toContain("not tested");
  });

  // biomake itself runs the goal against the missing file under -n: it stops with an
  // existence error ("out-a.txt FAILED"). tmake assumes the goal holds, on purpose.
  withBiomake("differs from biomake, which fails on the missing file", () => {
    const { biomake } = runBiomakeAndTmake({ makefile: sizeGoal, files: { "seed.txt": "" }, args: ["-n"] });
    expect(biomake.stdout + biomake.stderr).toMatch(/existence_error|FAILED/);
  });
});
