// The reader on biomake's language additions: multi-wildcard rules, {goal}s (also across
// lines), prolog blocks, and the rule that unbound variables are only wildcards in targets.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultReadOptions, readMakefiles, type Rule } from "../src/read/index.js";

/** A rule's recipe lines as `LINE:TEXT`. */
const recipeOf = (r: Rule): string[] => r.recipeLines().map((l) => `${l.loc.line}:${l.text}`);

function read(text: string) {
  const dir = fs.mkdtempSync("/tmp/tmake-readbio-");
  fs.writeFileSync(path.join(dir, "Makefile"), text);
  return readMakefiles(defaultReadOptions({ cwd: dir, env: { PATH: "/usr/bin:/bin" } }));
}

describe("biomake syntax", () => {
  it("reads target and deps goals, including a goal spanning lines", () => {
    const db = read(
      "prolog\nvalid(a).\nendprolog\n" +
        "h_$X { valid(X) }:\n\techo $X\n" +
        "d_$X: { valid(X) }\n\techo $X\n" +
        "b_$X_$Y { valid(X) } : { valid(Y) }\n\techo $X $Y\n" +
        "m_$X_$Y: { valid(X),\n\t\t   valid(Y) }\n\techo $X $Y >$@\n" +
        "plain: { A = VAR }\n\techo $A\n",
    );
    expect(db.prolog).toEqual([{ text: "valid(a).", loc: { file: "Makefile", line: 1 } }]);
    const summary = db.rules.map((r) => [r.targetList(), r.targetGoal, r.depsGoal, r.rawPrereqs, r.recipeLines().map((x) => x.text)]);
    expect(summary).toEqual([
      [["h_$X"], "valid(X)", undefined, "", ["echo $X"]],
      [["d_$X"], undefined, "valid(X)", "", ["echo $X"]],
      [["b_$X_$Y"], "valid(X)", "valid(Y)", "", ["echo $X $Y"]],
      [["m_$X_$Y"], undefined, "valid(X),\n\t\t   valid(Y)", "", ["echo $X $Y >$@"]],
      [["plain"], undefined, "A = VAR", undefined, ["echo $A"]],
    ]);
    expect(db.rules[4]!.loc.line).toBe(13);
  });

  it("keeps unbound variables as wildcards only in targets", () => {
    const db = read("EXT = fa\nout-$X.$(EXT): in-$X.$(EXT) $(UNBOUND)\n\tcat $< > $@\nV := [$(X)]\n");
    expect([db.rules[0]!.targetList(), db.rules[0]!.prereqList(), db.rules[0]!.orderOnlyList()]).toEqual([["out-$X.fa"], [], []]);
    expect(db.rules[0]!.rawPrereqs).toBe("in-$X.$(EXT) $(UNBOUND)");
    expect(db.expander.valueOf("V", db.globals)).toBe("[]");
    expect(db.expander.valueOf(".DEFAULT_GOAL", db.globals)).toBe("");
  });

  it("records the GNU reading of a multi-wildcard rule as an explicit twin", () => {
    // The recipes use the unset variables, so they are wildcards too (read/wildcards.ts).
    const db = read("bindir = /usr/bin\n$(DESTDIR)$(bindir)/prog: prog $(EXTRA)\n\tinstall $< $(DESTDIR)$@\n$A.x:\n\techo $A 1\n$A.x:\n\techo $A 2\n");
    const summary = db.rules.map((r) => [r.targetList(), r.prereqList(), r.rawPrereqs, r.gnuTwin, recipeOf(r)]);
    expect(summary).toEqual([
      [["$(DESTDIR)/usr/bin/prog"], [], "prog $(EXTRA)", false, ["3:install $< $(DESTDIR)$@"]],
      [["/usr/bin/prog"], ["prog"], undefined, true, ["3:install $< $(DESTDIR)$@"]],
      [["$A.x"], [], "", false, ["5:echo $A 1"]],
      [[".x"], [], undefined, true, ["5:echo $A 1"]],
      [["$A.x"], [], "", false, ["7:echo $A 2"]],
    ]);
  });

  it("reads an unset variable that the rule's line writes but nothing uses again as a fallback wildcard too", () => {
    const db = read(
      "bindir = /usr/bin\n$(DESTDIR)$(bindir)/prog$(SUFFIX): prog $(EXTRA)\n\tinstall $< $@\n$A.x:\n\techo 1\nP = p$(NOT_SET)\n$(P).y:\n\techo 2\n",
    );
    const summary = db.rules.map((r) => [r.targetList(), r.prereqList(), r.rawPrereqs, r.gnuTwin, r.fallback, recipeOf(r)]);
    expect(summary).toEqual([
      // The biomake reading, tried only where GNU's reading has no rule, then GNU's.
      [["$(DESTDIR)/usr/bin/prog$(SUFFIX)"], [], "prog $(EXTRA)", false, true, ["3:install $< $@"]],
      [["/usr/bin/prog"], ["prog"], undefined, true, false, ["3:install $< $@"]],
      [["$A.x"], [], "", false, true, ["5:echo 1"]],
      [[".x"], [], undefined, true, false, ["5:echo 1"]],
      // Only in a variable's value (redis's `$(REDIS_CLI_NAME)`): GNU's empty text only.
      [["p.y"], [], undefined, false, false, ["8:echo 2"]],
    ]);
    expect(db.expander.valueOf(".DEFAULT_GOAL", db.globals)).toBe("/usr/bin/prog");
  });

  it("reads a wildcard used only through a variable of the recipe or the prerequisites", () => {
    const db = read("CMD = echo $X\nIN = in-$Y\nout-$X:\n\t$(CMD)\nres-$Y: $(IN)\n");
    expect(db.rules.filter((r) => r.rawPrereqs !== undefined).map((r) => r.targetList())).toEqual([["out-$X"], ["res-$Y"]]);
  });

  it("keeps GNU's forms whatever an unset variable in the targets expands to", () => {
    const db = read("OBJS = a.o $(NOT_SET)\n$(OBJS): %.o: %.c\n\techo $(NOT_SET) $<\nb$X:: b.in\n\techo $X\nc$X d$X &: e\n\techo $X\n$(NOT_SET)\n");
    const summary = db.rules.map((r) => [r.targetList(), r.prereqList(), r.staticPattern, r.doubleColon, r.grouped, r.rawPrereqs]);
    expect(summary).toEqual([
      [["a.o"], ["%.c"], "%.o", false, false, undefined],
      [["b"], ["b.in"], undefined, true, false, undefined],
      [["c", "d"], ["e"], undefined, false, true, undefined],
    ]);
  });
});

describe("biomake readings of lines GNU 4.3 rejects", () => {
  it("reads a line mixing pattern and normal targets as a pattern rule and an explicit rule", () => {
    const db = read("first: ; @:\ngoal% makecmdgoals other: dep | oo\n\techo $(MAKECMDGOALS) >$@\n\techo two\n");
    const [, pattern, explicit] = db.rules;
    const parts = (r: Rule) => [r.targetList(), r.prereqList(), r.orderOnlyList(), r.hasRecipe];
    expect(parts(pattern!)).toEqual([["goal%"], ["dep"], ["oo"], true]);
    expect(parts(explicit!)).toEqual([["makecmdgoals", "other"], ["dep"], ["oo"], true]);
    expect(recipeOf(explicit!)).toEqual(["3:echo $(MAKECMDGOALS) >$@", "4:echo two"]);
    expect(recipeOf(pattern!)).toEqual(recipeOf(explicit!));
    expect(db.expander.valueOf(".DEFAULT_GOAL", db.globals)).toBe("first");
  });

  it("lets the normal half of a mixed line give the default goal", () => {
    const db = read("a% b: c\n");
    expect(db.expander.valueOf(".DEFAULT_GOAL", db.globals)).toBe("b");
  });

  it("keeps GNU's reading when the normal target comes first (explicit, with GNU's warning)", () => {
    const dir = fs.mkdtempSync("/tmp/tmake-readbio-");
    fs.writeFileSync(path.join(dir, "Makefile"), "b a%: c\n");
    let err = "";
    const db = readMakefiles(defaultReadOptions({ cwd: dir, env: {}, output: { stdout: () => {}, stderr: (t) => void (err += t) } }));
    expect(db.rules.map((r) => r.targetList())).toEqual([["b", "a%"]]);
    expect(err).toBe("Makefile:1: *** mixed implicit and normal rules: deprecated syntax\n");
  });
});

describe("include beside the including makefile (biomake)", () => {
  function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync("/tmp/tmake-readbio-");
    for (const [n, t] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
      fs.writeFileSync(path.join(dir, n), t);
    }
    return dir;
  }

  it("finds a relative include beside the makefile that includes it when GNU's search does not", () => {
    const dir = tree({
      Makefile: "include dir1/Makefile\n",
      "dir1/Makefile": "include dir2/Makefile\n",
      "dir1/dir2/Makefile": "X = found\nt: ; @:\n",
    });
    const db = readMakefiles(defaultReadOptions({ cwd: dir, env: {} }));
    expect(db.expander.valueOf("X", db.globals)).toBe("found");
    expect(db.makefiles).toEqual(["Makefile", "dir1/Makefile", "dir1/dir2/Makefile"]);
    expect(db.includes.map((i) => [i.name, i.path, i.fallback])).toEqual([
      ["dir1/Makefile", "dir1/Makefile", undefined],
      ["dir2/Makefile", "dir1/dir2/Makefile", true],
    ]);
  });

  it("prefers GNU's file (current directory, then -I) over the one beside the includer", () => {
    const dir = tree({
      Makefile: "include dir1/Makefile\n",
      "dir1/Makefile": "include dir2/Makefile\ninclude inc.mk\n",
      "dir1/dir2/Makefile": "X = beside\n",
      "dir2/Makefile": "X = cwd\n",
      "dir1/inc.mk": "Y = beside\n",
      "incdir/inc.mk": "Y = incdir\n",
    });
    const db = readMakefiles(defaultReadOptions({ cwd: dir, env: {}, includeDirs: ["incdir"] }));
    expect(db.expander.valueOf("X", db.globals)).toBe("cwd");
    expect(db.expander.valueOf("Y", db.globals)).toBe("incdir");
    expect(db.includes.some((i) => i.fallback)).toBe(false);
  });

  it("still records a file found nowhere as missing", () => {
    const dir = tree({ Makefile: "include dir1/Makefile\n", "dir1/Makefile": "-include nope.mk\ninclude gone.mk\n" });
    const db = readMakefiles(defaultReadOptions({ cwd: dir, env: {} }));
    expect(db.includes.filter((i) => i.path === undefined).map((i) => [i.name, i.optional])).toEqual([
      ["nope.mk", true],
      ["gone.mk", false],
    ]);
  });
});
