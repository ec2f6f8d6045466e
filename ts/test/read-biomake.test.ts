// The reader on biomake's language additions: multi-wildcard rules, {goal}s (also across
// lines), prolog blocks, and the rule that unbound variables are only wildcards in targets.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultReadOptions, readMakefiles } from "../src/read/index.js";

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
    const summary = db.rules.map((r) => [r.targets, r.targetGoal, r.depsGoal, r.rawPrereqs, r.recipe.map((x) => x.text)]);
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
    expect(db.rules[0]).toMatchObject({ targets: ["out-$X.fa"], prereqs: [], rawPrereqs: "in-$X.$(EXT) $(UNBOUND)" });
    expect(db.expander.valueOf("V", db.globals)).toBe("[]");
    expect(db.expander.valueOf(".DEFAULT_GOAL", db.globals)).toBe("");
  });

  it("records the GNU reading of a multi-wildcard rule as an explicit twin", () => {
    const db = read("bindir = /usr/bin\n$(DESTDIR)$(bindir)/prog: prog $(EXTRA)\n\tinstall $< $@\n$A.x:\n\techo 1\n$A.x:\n\techo 2\n");
    const summary = db.rules.map((r) => [r.targets, r.prereqs, r.rawPrereqs, r.gnuTwin, r.recipe.length]);
    expect(summary).toEqual([
      [["$(DESTDIR)/usr/bin/prog"], [], "prog $(EXTRA)", undefined, 1],
      [["/usr/bin/prog"], ["prog"], undefined, true, 1],
      [["$A.x"], [], "", undefined, 1],
      [[".x"], [], undefined, true, 1],
      [["$A.x"], [], "", undefined, 1],
    ]);
    expect(db.rules[1]!.recipe).toBe(db.rules[0]!.recipe);
  });
});
