// biomake's -N / --no-dependencies: each goal is remade by its own recipe when it is out of date
// against its prerequisites as they are on disk; no prerequisite is updated, and a missing one
// without a rule is no error (it makes the goal out of date, as in biomake's rebuild test).
//
// GNU has no -N, but it has an exact equivalent to compare with: the same makefile where each
// prerequisite's rule is replaced by an empty one (`dep: ;`). GNU then never makes a
// prerequisite, a missing one counts as just remade (so the goal is remade), an existing one is
// compared by time. Where that holds, the tests run GNU on the stubbed makefile.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalise, outcome, runGnu, runTmake, type RunResult, type Scenario } from "./helpers/diff.js";
import { OLD, MID, NEW, chain } from "./helpers/fixtures.js";

/** `chain` as GNU sees it under the equivalence: final's prerequisite has an empty rule. */
const chainStubbed = ["final: middle", "\tcat middle > final", "middle: ;", ""].join("\n");

/** tmake with `-N` on `s`, GNU without it on the stubbed makefile; program names normalised. */
function againstStubbed(s: Scenario, stubbed: string, args: string[]): { gnu: RunResult; tmake: RunResult } {
  const gnu = runGnu({ ...s, makefile: stubbed, args });
  const tmake = runTmake({ ...s, args: ["-N", ...args] });
  tmake.stdout = normalise(tmake.stdout);
  tmake.stderr = normalise(tmake.stderr);
  // The stubbed makefile differs by design; compare everything else.
  delete gnu.files.Makefile;
  delete tmake.files.Makefile;
  return { gnu, tmake };
}

describe("-N against GNU on the makefile with its prerequisites' rules emptied", () => {
  const setups: [string, string[], Record<string, string>][] = [
    ["middle newer than final", [`${OLD} source`, `${NEW} middle`, `${MID} final`], { source: "s\n", middle: "m\n", final: "f\n" }],
    ["source newer than middle, final newest", [`${NEW} source`, `${OLD} middle`, `${MID} final`], { source: "s\n", middle: "m\n", final: "f\n" }],
    ["everything up to date", [`${OLD} source`, `${MID} middle`, `${NEW} final`], { source: "s\n", middle: "m\n", final: "f\n" }],
    ["final missing", [`${NEW} source`, `${OLD} middle`], { source: "s\n", middle: "m\n" }],
    ["middle missing", [`${OLD} source`, `${MID} final`], { source: "s\n", final: "f\n" }],
  ];
  for (const [name, setup, files] of setups) {
    it(`${name}: same output, status and files`, () => {
      const { gnu, tmake } = againstStubbed({ makefile: chain, files, setup }, chainStubbed, ["final"]);
      expect(outcome(tmake)).toEqual(outcome(gnu));
      // The prerequisite is never remade, whatever its own prerequisite says.
      expect(tmake.files.middle).toBe(files.middle);
    });
  }

  it("-n, -q and -t give what GNU gives on the stubbed makefile", () => {
    const s: Scenario = { makefile: chain, files: { source: "s\n", middle: "m\n", final: "f\n" }, setup: [`${NEW} source`, `${MID} middle`, `${OLD} final`] };
    for (const flag of ["-n", "-q", "-t"]) {
      const { gnu, tmake } = againstStubbed(s, chainStubbed, [flag, "final"]);
      expect(outcome(tmake)).toEqual(outcome(gnu));
    }
  });
});

describe("-N: what is and is not made", () => {
  it("a stale prerequisite is not remade, and the goal judged against it as it is", () => {
    // Without -N, source being newest remakes middle and then final.
    const files = { source: "s\n", middle: "m\n", final: "f\n" };
    const setup = [`${NEW} source`, `${OLD} middle`, `${MID} final`];
    const plain = runTmake({ makefile: chain, files, setup, args: ["final"] });
    expect(plain.stdout).toBe("cat source > middle\ncat middle > final\n");
    const r = runTmake({ makefile: chain, files, setup, args: ["-N", "final"] });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("tmake: 'final' is up to date.\n");
    expect(r.files).toEqual({ Makefile: chain, ...files });
  });

  it("a missing prerequisite without a rule is no error: the goal is remade, with $< and $^ as usual", () => {
    const makefile = "out: absent.txt here.txt\n\techo '<$<> ^$^> ?$?' > out\n";
    const first = runTmake({ makefile, files: { "here.txt": "h\n" }, args: ["-N", "out"] });
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: "" });
    expect(first.files.out).toBe("<absent.txt> ^absent.txt here.txt> ?absent.txt here.txt\n");
    // The prerequisite is still missing on the next run, so the goal is out of date again
    // (biomake: "unbuilt dependency"); GNU without -N stops with "No rule to make target".
    const again = runTmake({ makefile, files: { "here.txt": "h\n", out: "o\n" }, setup: [`${OLD} here.txt`, `${NEW} out`], args: ["-N", "out"] });
    expect(again.stdout).toBe("echo '<absent.txt> ^absent.txt here.txt> ?absent.txt' > out\n");
    const gnu = runGnu({ makefile, files: { "here.txt": "h\n" }, args: ["out"] });
    expect(gnu.status).toBe(2);
    expect(gnu.stderr).toContain("No rule to make target 'absent.txt', needed by 'out'");
  });

  it("$? names only the prerequisites newer than the goal", () => {
    const makefile = "out: a b c\n\t@echo 'new: $?'\n";
    const r = runTmake({ makefile, files: { a: "", b: "", c: "", out: "" }, setup: [`${OLD} a`, `${NEW} b`, `${OLD} c`, `${MID} out`], args: ["-N"] });
    expect(r.stdout).toBe("new: b\n");
  });

  it("a prerequisite's own recipe never runs, even when the goal is remade", () => {
    const makefile = "all: dep\n\t@echo goal-ran\ndep:\n\t@echo dep-ran; touch dep\n";
    const r = runTmake({ makefile, args: ["-N"] });
    expect(r.stdout).toBe("goal-ran\n");
    expect(r.files.dep).toBeUndefined();
  });

  it("a phony prerequisite is not run; as a file that does not exist it keeps the goal out of date", () => {
    const makefile = ".PHONY: prep\nout: prep\n\t@echo making out; touch out\nprep:\n\t@echo preparing\n";
    const r = runTmake({ makefile, files: { out: "" }, args: ["-N", "out"] });
    expect(r.stdout).toBe("making out\n");
  });

  it("an order-only prerequisite is not made and does not make the goal out of date", () => {
    const makefile = "out: in | dir\n\t@echo making out; touch out\ndir:\n\tmkdir dir\n";
    const upToDate = runTmake({ makefile, files: { in: "", out: "" }, setup: [`${OLD} in`, `${NEW} out`], args: ["-N", "out"] });
    expect(upToDate.stdout).toBe("tmake: 'out' is up to date.\n");
    const stale = runTmake({ makefile, files: { in: "" }, args: ["-N", "out"] });
    expect(stale.stdout).toBe("making out\n");
    expect(fs.existsSync(path.join(stale.dir, "dir"))).toBe(false);
  });

  it("-B remakes the goal but still not its prerequisites", () => {
    const r = runTmake({
      makefile: chain,
      files: { source: "s\n", middle: "m\n", final: "f\n" },
      setup: [`${OLD} source`, `${MID} middle`, `${NEW} final`],
      args: ["-N", "-B", "final"],
    });
    expect(r.stdout).toBe("cat middle > final\n");
    expect(r.files.middle).toBe("m\n");
  });

  it("-W on a prerequisite remakes the goal without remaking the prerequisite", () => {
    const r = runTmake({
      makefile: chain,
      files: { source: "s\n", middle: "m\n", final: "f\n" },
      setup: [`${OLD} source`, `${MID} middle`, `${NEW} final`],
      args: ["-N", "-W", "middle", "final"],
    });
    expect(r.stdout).toBe("cat middle > final\n");
    expect(r.files.final).toBe("m\n");
  });

  it("-n prints only the goal's recipe and changes nothing", () => {
    const r = runTmake({ makefile: chain, args: ["--no-dependencies", "-n", "final"] });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: "cat middle > final\n", stderr: "" });
    expect(r.files).toEqual({ Makefile: chain });
  });

  it("-q says whether the goal alone is up to date", () => {
    const files = { source: "s\n", middle: "m\n", final: "f\n" };
    // middle is out of date against source, final is not against middle.
    const setup = [`${NEW} source`, `${OLD} middle`, `${MID} final`];
    expect(runTmake({ makefile: chain, files, setup, args: ["-q", "final"] }).status).toBe(1);
    expect(runTmake({ makefile: chain, files, setup, args: ["-N", "-q", "final"] }).status).toBe(0);
    expect(runTmake({ makefile: chain, files, setup: [`${OLD} source`, `${NEW} middle`, `${MID} final`], args: ["-N", "-q", "final"] }).status).toBe(1);
  });

  it("each goal named is made; a later goal sees an earlier one as just made", () => {
    const makefile = "a: b\n\t@echo making a; touch a\nb: c\n\t@echo making b; touch b\n";
    const r = runTmake({ makefile, files: { a: "", b: "" }, setup: [`${OLD} b`, `${NEW} a`], args: ["-N", "b", "a"] });
    expect(r.stdout).toBe("making b\nmaking a\n");
  });

  it("multi-wildcard rules bind as usual; the prerequisites they name are taken as they are", () => {
    const makefile = "align-$X-$Y: $X.fa $Y.fa\n\tcat $^ > $@\n%.fa: %.raw\n\tcp $< $@\n";
    const files = { "h.raw": "new h\n", "m.raw": "new m\n", "h.fa": "old h\n", "m.fa": "old m\n" };
    const setup = [`${OLD} h.fa m.fa`, `${NEW} h.raw m.raw`];
    const r = runTmake({ makefile, files, setup, args: ["-N", "align-h-m"] });
    expect(r.stdout).toBe("cat h.fa m.fa > align-h-m\n");
    expect(r.files["align-h-m"]).toBe("old h\nold m\n");
    const plain = runTmake({ makefile, files, setup, args: ["align-h-m"] });
    expect(plain.files["align-h-m"]).toBe("new h\nnew m\n");
  });

  it("the makefiles are still remade with their prerequisites", () => {
    // -N is about the goals; an included file is made whole first, as without -N.
    const makefile = ["include inc.mk", "all:", "\t@echo X=$(X)", "inc.mk: gen", '\techo "X = from-$$(cat gen)" > inc.mk', "gen:", "\techo g > gen", ""].join(
      "\n",
    );
    const gnu = runGnu({ makefile, args: ["all"] });
    const tmake = runTmake({ makefile, args: ["-N", "all"] });
    tmake.stdout = normalise(tmake.stdout);
    tmake.stderr = normalise(tmake.stderr);
    expect(outcome(tmake)).toEqual(outcome(gnu));
    expect(tmake.stdout).toContain("X=from-g\n");
  });

  it("is not handed on to a recursive make in MAKEFLAGS", () => {
    const makefile = "all:\n\t@echo 'flags=[$(MAKEFLAGS)]'\n\t@$(MAKE) --no-print-directory sub\nsub: dep\n\t@echo sub-made\ndep:\n\t@echo dep-made\n";
    const r = runTmake({ makefile, args: ["-N", "-k", "all"] });
    expect(r.status).toBe(0);
    // The sub-make makes `sub` whole: its prerequisite's recipe runs there.
    expect(r.stdout).toBe("flags=[k]\ndep-made\nsub-made\n");
  });
});
