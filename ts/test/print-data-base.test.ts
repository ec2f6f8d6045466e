// -p / --print-data-base in GNU's format (ts/src/remake/database-print.ts): the same sections in
// the same order, the same variable definitions with their origin lines, the same file blocks
// (targets, prerequisites, marks, recipes) as GNU make prints for the same makefile; and
// bash-completion's make completion, which parses `make -npq`, lists tmake's targets, biomake's
// multi-wildcard ones included.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBoth, runTmake, tmakeMain, type RunResult } from "./helpers/diff.js";

/** The headings of the database's sections, in order. */
const SECTIONS = ["# Variables", "# Pattern-specific Variable Values", "# Directories", "# Implicit Rules", "# Files", "# VPATH Search Paths"];

interface Database {
  sections: string[];
  /** Section heading -> its text. */
  text: Map<string, string>;
}

/** Cuts the database out of a run's output (between GNU's first and last lines). */
function database(stdout: string): Database {
  const start = stdout.search(/^# Make data base, printed on /m);
  const end = stdout.search(/^# Finished Make data base on /m);
  expect(start, "the database's first line").toBeGreaterThanOrEqual(0);
  expect(end, "the database's last line").toBeGreaterThan(start);
  const body = stdout.slice(start, end);
  const sections = body.split("\n").filter((l) => SECTIONS.includes(l));
  const text = new Map<string, string>();
  sections.forEach((s, i) => {
    const from = body.indexOf(`\n${s}\n`) + s.length + 2;
    const to = i + 1 < sections.length ? body.indexOf(`\n${sections[i + 1]}\n`) : body.length;
    text.set(s, body.slice(from, to));
  });
  return { sections, text };
}

/** The variables that the makefile or the command line defined: origin line and definition. */
function makefileVariables(db: Database): string[] {
  const lines = db.text.get("# Variables")!.split("\n");
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (/^# (makefile|command line|'override' directive)( private)? \(from /.test(l) || l === "# command line") {
      let def = lines[i + 1]!;
      if (def.startsWith("define ")) def = lines.slice(i + 1, lines.indexOf("endef", i) + 1).join("\n");
      out.push(`${l}\n${def}`);
    }
  });
  return out.sort();
}

/** The file blocks by their rule line: each block's lines, without GNU's lines about the
 * build's state of the file, which tmake does not print (see database-print.ts). A block's
 * target-specific variables (origin line and definition) come first, sorted: GNU lists them in
 * its hash table's order. */
function fileBlocks(db: Database): Map<string, string> {
  const state =
    /^# {2}(Implicit rule search has|Modification time never|File has|File does not exist|Last modified|Successfully updated|Needs to be updated|Command line target|File is very old)/;
  const origin = /^# (makefile|'override' directive|command line|environment|default|automatic)/;
  const blocks = new Map<string, string>();
  for (const block of db.text.get("# Files")!.split("\n\n")) {
    const lines = block.split("\n").filter((l) => l !== "" && !state.test(l) && !/^# (files hash-table|Load=|variable set)/.test(l));
    const vars: string[] = [];
    const rest: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (origin.test(lines[i]!)) vars.push(`${lines[i]}\n${lines[++i]}`);
      else rest.push(lines[i]!);
    }
    const head = rest.find((l) => !l.startsWith("#") && !l.startsWith("\t"));
    if (head === undefined) continue;
    blocks.set(head, [...vars.sort(), ...rest].join("\n"));
  }
  return blocks;
}

const example = [
  "CC = gcc",
  "X := 1 $(CC) $$HOME",
  "override O = ov",
  "define MULTI",
  "line1",
  "line2",
  "endef",
  "E ?= e",
  "E += more",
  ".PHONY: all clean",
  "all: foo.o bar | dir",
  "\t@echo $@",
  "foo.o: CFLAGS += -g",
  "foo.o: private P := pv",
  "%.z: V = pat",
  "%.x: %.y",
  "\tcp $< $@",
  "vpath %.c src",
  "VPATH = v1:v2",
  "clean:; rm -f *.o",
  "a b &: c",
  "\ttouch a b",
  "d::",
  "\techo d",
  "d:: e",
  "\techo d2",
  "objs = p.o q.o",
  "$(objs): %.o: %.c",
  "\tcc -c $<",
  ".PRECIOUS: foo.o",
  ".SECONDARY: sec",
  ".INTERMEDIATE: inter",
  ".SUFFIXES: .q .r",
  ".q.r:",
  "\tqr $<",
  "dir:",
  "\tmkdir -p dir",
  "inter: ; touch $@",
  "",
].join("\n");

describe("the database in GNU's format", () => {
  const both = (args: string[]): { gnu: RunResult; tmake: RunResult } => runBoth({ makefile: example, args, setup: ["touch c"] });

  it("has GNU's sections, in GNU's order, between GNU's first and last lines", () => {
    const { gnu, tmake } = both(["-pnq", "-r", "-R", "CMD=cl"]);
    expect(tmake.status).toBe(gnu.status);
    expect(tmake.stderr).toBe(gnu.stderr);
    expect(database(tmake.stdout).sections).toEqual(database(gnu.stdout).sections);
    expect(database(tmake.stdout).sections).toEqual(SECTIONS);
    expect(tmake.stdout).toMatch(/^# tmake \S+, compatible with GNU Make 4\.3\n/);
  });

  it("prints the makefile's and the command line's variables as GNU does", () => {
    const { gnu, tmake } = both(["-pnq", "-r", "-R", "CMD=cl"]);
    expect(makefileVariables(database(tmake.stdout))).toEqual(
      makefileVariables(database(gnu.stdout)).filter((v) => !/^(MAKEFLAGS|GNUMAKEFLAGS|SHELL|CURDIR|\.DEFAULT_GOAL|MAKEFILE_LIST) /m.test(v.split("\n")[1]!)),
    );
    // Those GNU defines itself, tmake too (their values are its own).
    for (const name of ["MAKEFLAGS", "CURDIR", ".DEFAULT_GOAL", "MAKEFILE_LIST"])
      expect(tmake.stdout).toMatch(new RegExp(`^${name.replace(".", "\\.")} :?= `, "m"));
  });

  it("prints each file GNU prints, with the same rule, marks and recipe", () => {
    const { gnu, tmake } = both(["-pnq", "-r", "-R"]);
    const g = fileBlocks(database(gnu.stdout));
    const t = fileBlocks(database(tmake.stdout));
    expect([...t.keys()].sort()).toEqual([...g.keys()].sort());
    for (const [head, block] of g) expect(t.get(head), head).toBe(block);
  });

  it("prints the implicit rules, the pattern-specific values and the vpath search paths as GNU", () => {
    for (const args of [["-pnq", "-r", "-R"], ["-pnq"]]) {
      const { gnu, tmake } = both(args);
      for (const s of ["# Implicit Rules", "# Pattern-specific Variable Values", "# VPATH Search Paths"]) {
        const strip = (text: string): string =>
          text.replace(/^# (variable set hash-table stats|Load=|strcache|current buf|hash-table stats).*\n/gm, "").replace(/\n+$/, "");
        // GNU 4.3 prints a pattern-specific value as `:=` whatever its flavour; tmake as written.
        // tmake has no archive members, so no `(%): %` rule.
        const gnuText = strip(database(gnu.stdout).text.get(s)!)
          .replace("# V := pat", "# V = pat")
          .replace("(%): %\n#  recipe to execute (built-in):\n\t$(AR) $(ARFLAGS) $@ $<\n\n", "")
          .replace("# 95 implicit rules, 5 (5.3%) terminal.", "# 94 implicit rules, 5 (5.3%) terminal.");
        expect(strip(database(tmake.stdout).text.get(s)!), `${args.join(" ")} ${s}`).toBe(gnuText);
      }
    }
  });

  it("-p alone builds, then prints the database, also after an error; p is in MAKEFLAGS", () => {
    const makefile = "all: ; @echo built $(MAKEFLAGS)\nbad: ; @false\n";
    const { gnu, tmake } = runBoth({ makefile, args: ["-p"] });
    expect(tmake.stdout.split("\n")[0]).toBe("built p");
    expect(gnu.stdout.split("\n")[0]).toBe("built p");
    const failed = runBoth({ makefile, args: ["-p", "bad"] });
    expect(failed.tmake.status).toBe(2);
    expect(failed.tmake.stderr).toBe(failed.gnu.stderr);
    expect(database(failed.tmake.stdout).sections).toEqual(SECTIONS);
  });

  it("with -C the directory lines are comments of the database, as GNU's", () => {
    // (GNU 4.3 says "Entering directory" only once something is printed: the recipe's echo.)
    const { gnu, tmake } = runBoth({ files: { "sub/Makefile": "all: ; @echo hi\n" }, args: ["-p", "-C", "sub"] });
    const lines = (r: RunResult): string[] =>
      r.stdout
        .split("\n")
        .filter((l) => /directory '/.test(l))
        .map((l) => l.replace(/'.*'/, "DIR"));
    expect(lines(tmake)).toEqual(lines(gnu));
    expect(lines(tmake)).toEqual(["# make: Entering directory DIR", "# make: Leaving directory DIR"]);
  });

  it("lists the files a biomake rule matches as targets, with the wildcards' values", () => {
    const r = runTmake({
      makefile: "all: align-h-m.bam report.txt\nalign-$X-$Y.bam: $X.fa $Y.fa\n\tcat $^ > $@\nreport.txt:\n\techo r > $@\n",
      args: ["-npq"],
    });
    const files = fileBlocks(database(r.stdout));
    expect(files.get("align-h-m.bam:")).toBe(
      "align-h-m.bam:\n#  Matched by biomake's rule (from 'Makefile', line 2) with X=h Y=m.\n#  recipe to execute (from 'Makefile', line 3):\n\tcat $^ > $@",
    );
    expect(database(r.stdout).text.get("# Implicit Rules")).toContain(
      "align-$X-$Y.bam: $X.fa $Y.fa\n#  biomake multi-wildcard rule (from 'Makefile', line 2).\n",
    );
  });
});

describe("bash-completion's make completion", () => {
  const completion = "/usr/share/bash-completion/completions/make";
  const available = fs.existsSync(completion) && fs.existsSync("/usr/share/bash-completion/bash_completion");
  if (!available) console.log(`skipped: bash-completion is not installed (${completion}; apt-get install bash-completion)`);

  /** What _make offers for `COMMAND WORDS...` (the last word being completed) in `dir`. */
  function complete(command: string, words: string[], dir: string): string[] {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-bc-bin-"));
    fs.symlinkSync(tmakeMain, path.join(bin, "tmake"));
    const script = [
      "source /usr/share/bash-completion/bash_completion",
      `source ${completion}`,
      'COMP_WORDS=("$@")',
      "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))",
      'COMP_LINE="${COMP_WORDS[*]}"',
      "COMP_POINT=${#COMP_LINE}",
      "COMP_TYPE=9",
      '_make "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
      "printf '%s\\n' \"${COMPREPLY[@]}\"",
    ].join("\n");
    const r = spawnSync("bash", ["-c", script, "complete", command, ...words], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, MAKEFLAGS: "", MAKELEVEL: "" },
    });
    expect(r.status).toBe(0);
    return r.stdout
      .split("\n")
      .filter((l) => l !== "")
      .sort();
  }

  function dirWith(makefile: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-bc-"));
    fs.writeFileSync(path.join(dir, "Makefile"), makefile);
    return dir;
  }

  it.skipIf(!available)("lists the same targets for tmake as for make", () => {
    const dir = dirWith(example);
    fs.writeFileSync(path.join(dir, "c"), "");
    const gnu = complete("make", [""], dir);
    expect(gnu).toContain("clean");
    expect(complete("tmake", [""], dir)).toEqual(gnu);
    expect(complete("tmake", ["cl"], dir)).toEqual(complete("make", ["cl"], dir));
  });

  it.skipIf(!available)("lists multi-wildcard targets the makefile names", () => {
    const dir = dirWith("all: align-h-m.bam align-h-z.bam report.txt\nalign-$X-$Y.bam: $X.fa $Y.fa\n\tcat $^ > $@\nreport.txt:\n\techo r > $@\n");
    const offered = complete("tmake", ["al"], dir);
    expect(offered).toContain("align-h-m.bam");
    expect(offered).toContain("align-h-z.bam");
    expect(offered).toContain("all");
  });

  it.skipIf(!available)("completes tmake's options from its --help", () => {
    const dir = dirWith("all:\n");
    const offered = complete("tmake", ["--pri"], dir);
    expect(offered).toEqual(["--print-data-base", "--print-directory"]);
    expect(complete("tmake", ["--queue-e"], dir)).toEqual(["--queue-engine="]);
    expect(complete("tmake", ["--queue-s"], dir)).toEqual(["--queue-status-wait=", "--queue-submit-rate=", "--queue-submit-retries="]);
  });
});
