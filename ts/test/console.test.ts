// The journal's console through the real command: --status, --explain, --failed, --log, --stats
// and --clean after a build and from a second process while one runs, the selection language
// (and --select as goals), --json, exit codes, the rerun triggers, --console on its input.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tmakeMain } from "./helpers/diff.js";

function tmake(dir: string, args: string[], input?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [tmakeMain, ...args], { cwd: dir, encoding: "utf8", input, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const MAKEFILE = `all: out/a.txt out/b.txt out/c.txt report
out/%.txt: src/%.in ; @mkdir -p out; cp $< $@
out/c.txt: src/c.in ; @echo "compiling c"; echo "error: c.in:1: bad input" >&2; echo more; exit 3
report: out/a.txt out/b.txt out/c.txt ; cat $^ > $@
`;

/** A tree where out/c.txt fails, built once with -k. */
function failedTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-console-"));
  fs.writeFileSync(path.join(dir, "Makefile"), MAKEFILE);
  fs.mkdirSync(path.join(dir, "src"));
  for (const x of ["a", "b", "c"]) fs.writeFileSync(path.join(dir, "src", `${x}.in`), `${x}\n`);
  fs.writeFileSync(path.join(dir, "hand-made.txt"), "mine\n");
  expect(tmake(dir, ["-k"]).status).toBe(2);
  return dir;
}

/** A --status table's lines as [state, target, rest]. */
const rows = (text: string): string[][] =>
  text
    .trimEnd()
    .split("\n")
    .slice(0, -1)
    .map((l) => {
      const [state, target, ...rest] = l.split(/\s{2,}/);
      return [state!, target!, rest.join("  ")];
    });

describe("--status", () => {
  it("gives each target of the goals' graph with its state, and a summary", () => {
    const dir = failedTree();
    const r = tmake(dir, ["--status"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[lines.length - 1]).toBe("2 done, 1 failed, 2 blocked, 0 running, 0 to do");
    expect(rows(r.stdout).map(([s, t]) => `${s} ${t}`)).toEqual(["blocked all", "done out/a.txt", "done out/b.txt", "failed out/c.txt", "blocked report"]);
    expect(rows(r.stdout).find(([, t]) => t === "out/c.txt")![2]).toMatch(/^\d+ms {2}\d\d:\d\d:\d\d {2}Error 3 at Makefile:3 \(run 1\)$/);
    expect(rows(r.stdout).find(([, t]) => t === "report")![2]).toBe("needs 'out/c.txt' (failed)");
    // Columns are aligned: every state column is as wide as the widest.
    const starts = lines.slice(0, -1).map((l) => l.indexOf(l.split(/\s+/)[1]!));
    expect(new Set(starts).size).toBe(1);
  });

  it("selects with names, globs, states, rules, in, not and except, and says what it cannot read", () => {
    const dir = failedTree();
    const names = (args: string[]): string[] => rows(tmake(dir, ["--status", ...args]).stdout).map(([, t]) => t!);
    expect(names(["failed", "blocked"])).toEqual(["all", "out/c.txt", "report"]);
    expect(names(["out/*", "except", "failed"])).toEqual(["out/a.txt", "out/b.txt"]);
    expect(names(["in", "report", "except", "out/*"])).toEqual(["report"]);
    expect(names(["not", "(out/* all)"])).toEqual(["report"]);
    expect(names(["rule:out/%.txt"])).toEqual(["out/a.txt", "out/b.txt"]);
    expect(names(["rule:Makefile:3"])).toEqual(["out/c.txt"]);
    expect(names(["state:done"])).toEqual(["out/a.txt", "out/b.txt"]);
    // An empty selection exits 1; input it cannot read, 2 with one line.
    expect(tmake(dir, ["--status", "running"])).toMatchObject({ status: 1, stdout: "0 done, 0 failed, 0 blocked, 0 running, 0 to do\n" });
    expect(tmake(dir, ["--status", "state:faild"])).toMatchObject({
      status: 2,
      stderr: "tmake: unknown state 'faild' (known: done, failed, blocked, running, stale, todo)\n",
    });
    expect(tmake(dir, ["--status", "nosuch"])).toMatchObject({ status: 2, stderr: "tmake: no target 'nosuch' in the goals' graph or the journal\n" });
    expect(tmake(dir, ["--status", "(failed"])).toMatchObject({ status: 2, stderr: "tmake: '(' without ')'\n" });
    expect(tmake(dir, ["--status", "failed", "except"])).toMatchObject({ status: 2, stderr: "tmake: a selection is missing\n" });
  });

  it("gives the same data as JSON", () => {
    const dir = failedTree();
    const r = tmake(dir, ["--status", "--json", "out/*"]);
    const data = JSON.parse(r.stdout) as {
      targets: { target: string; state: string; run: number | null; reason: string | null }[];
      summary: Record<string, number>;
    };
    expect(data.summary).toEqual({ done: 2, failed: 1, blocked: 0, running: 0, todo: 0 });
    expect(data.targets.map((t) => [t.target, t.state, t.run])).toEqual([
      ["out/a.txt", "done", 1],
      ["out/b.txt", "done", 1],
      ["out/c.txt", "failed", 1],
    ]);
  });

  it("says what was never built, and what is stale since", () => {
    const dir = failedTree();
    fs.writeFileSync(path.join(dir, "src/a.in"), "a2\n");
    fs.utimesSync(path.join(dir, "src/a.in"), new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    expect(tmake(dir, ["--status", "--no-journal"])).toMatchObject({ status: 2, stdout: "", stderr: "tmake: no build journal: --no-journal\n" });
    const s = rows(tmake(dir, ["--status", "out/a.txt"]).stdout);
    expect(s).toEqual([["stale", "out/a.txt", expect.stringMatching(/prerequisite 'src\/a\.in' is newer than 'out\/a\.txt'$/)]]);
  });
});

describe("--explain, --failed, --log, --stats", () => {
  it("--explain says why, compares every signal with the last run, and shows a failure", () => {
    const dir = failedTree();
    const r = tmake(dir, ["--explain", "out/c.txt", "out/a.txt"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        [
          "^out/c\\.txt: will be remade: 'out/c\\.txt' does not exist",
          "  mtime: the file does not exist",
          "  recipe: unchanged since run 1",
          "  variables: none used",
          "  last run: run 1, failed at \\d\\d:\\d\\d:\\d\\d after \\d+ms",
          '  failed: exit status 3 at Makefile:3: echo "compiling c"; echo "error: c\\.in:1: bad input" >&2; echo more; exit 3',
          "  output \\(last lines\\):",
          "    compiling c",
          "    more",
          "    error: c\\.in:1: bad input",
          "    tmake: \\*\\*\\* \\[Makefile:3: out/c\\.txt\\] Error 3",
          "out/a\\.txt: up to date: nothing it needs changed",
          "  mtime: no prerequisite is newer \\(\\d\\d:\\d\\d:\\d\\d\\)",
          "  recipe: unchanged since run 1",
          "  variables: none used",
          "  last run: run 1, succeeded at \\d\\d:\\d\\d:\\d\\d after \\d+ms\n$",
        ].join("\n"),
      ),
    );
    // Standard output and error were two files here: each stream's lines in their order.
    expect(tmake(dir, ["--explain", "nosuch"])).toMatchObject({ status: 2, stderr: "tmake: no target 'nosuch' in the makefiles or the journal\n" });
  });

  it("--failed gives each failure's first error line; --log the recorded output", () => {
    const dir = failedTree();
    expect(tmake(dir, ["--failed"])).toMatchObject({ status: 0, stdout: "out/c.txt  Error 3 at Makefile:3  error: c.in:1: bad input [+3 lines]\n" });
    const log = tmake(dir, ["--log", "out/c.txt"]);
    expect(log.status).toBe(0);
    // Standard output and error as they came (two files here: each stream in its order).
    expect(log.stdout).toBe("compiling c\nmore\nerror: c.in:1: bad input\ntmake: *** [Makefile:3: out/c.txt] Error 3\n");
    expect(tmake(dir, ["--log", "report"])).toMatchObject({ status: 1, stdout: "report: no recorded run\n" });
    expect(tmake(dir, ["--failed", "out/a.txt"])).toMatchObject({ status: 1, stdout: "" });
  });

  it("--stats counts per rule and in all", () => {
    const dir = failedTree();
    const r = tmake(dir, ["--stats"]);
    expect(r.stdout.split("\n").map((l) => l.split(/\s+/).join(" "))).toEqual([
      "rule done failed blocked running to do",
      "(no recipe) 0 0 1 0 0",
      "out/%.txt 2 0 0 0 0",
      "Makefile:3 0 1 0 0 0",
      "Makefile:4 0 0 1 0 0",
      "total 2 1 2 0 0",
      "",
    ]);
  });

  it("--clean deletes only the files the journal says tmake built", () => {
    const dir = failedTree();
    // A file the makefile names but tmake did not make, and one it never names.
    fs.writeFileSync(path.join(dir, "report"), "by hand\n");
    const r = tmake(dir, ["--clean"]);
    expect(r).toMatchObject({ status: 0, stdout: "rm out/a.txt\nrm out/b.txt\n" });
    expect(fs.readdirSync(path.join(dir, "out"))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, "report"), "utf8")).toBe("by hand\n");
    expect(fs.existsSync(path.join(dir, "hand-made.txt"))).toBe(true);
    for (const x of ["a", "b", "c"]) expect(fs.existsSync(path.join(dir, "src", `${x}.in`))).toBe(true);
  });

  it("says that there is no journal, or that it is damaged", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-console-"));
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @:\n");
    expect(tmake(dir, ["--failed"])).toMatchObject({ status: 2, stderr: `tmake: no build journal in ${fs.realpathSync(dir)}\n` });
    expect(tmake(dir, []).status).toBe(0);
    fs.appendFileSync(path.join(dir, ".tmake/journal/runs/00000001.log"), "garbage\n{}\t00000000\n");
    expect(tmake(dir, ["--status"])).toMatchObject({
      status: 2,
      stderr: `tmake: the journal's log of run 1 is damaged: ${fs.realpathSync(dir)}/.tmake/journal/runs/00000001.log\n`,
    });
  });

  it("a console option is no goal: a target named status is still made by `tmake status`", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-console-"));
    fs.writeFileSync(path.join(dir, "Makefile"), "status: ; @echo making status\n");
    expect(tmake(dir, ["status"]).stdout).toBe("making status\n");
  });
});

describe("while a build runs", () => {
  it("--status, --explain, --failed, --log and --stats answer from a second process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-console-live-"));
    fs.writeFileSync(
      path.join(dir, "Makefile"),
      "all: fast bad slow\nfast: ; @echo fast > $@\nbad: ; @echo oops >&2; exit 4\nslow: ; @touch started; sleep 30; touch $@\n",
    );
    const child = spawn(process.execPath, [tmakeMain, "-k"], { cwd: dir, detached: true, stdio: "ignore" });
    try {
      for (let i = 0; i < 500 && !fs.existsSync(path.join(dir, "started")); i++) await new Promise((r) => setTimeout(r, 20));
      const st = rows(tmake(dir, ["--status"]).stdout);
      expect(st.map(([s, t]) => `${s} ${t}`)).toEqual(["blocked all", "done fast", "failed bad", "running slow"]);
      expect(st.find(([, t]) => t === "slow")![2]).toMatch(/^run 1, since \d\d:\d\d:\d\d$/);
      expect(tmake(dir, ["--explain", "slow"]).stdout).toMatch(/^slow: being made by run 1 \(since \d\d:\d\d:\d\d\)\n/);
      expect(tmake(dir, ["--failed"]).stdout).toBe("bad  Error 4 at Makefile:3  oops [+1 lines]\n");
      expect(tmake(dir, ["--log", "bad"]).stdout).toBe("oops\ntmake: *** [Makefile:3: bad] Error 4\n");
      expect(tmake(dir, ["--stats", "--json"]).stdout).toContain('"running": 1');
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
  }, 60_000);
});

describe("--select and --console", () => {
  it("--select makes a selection the goals: what failed last time is made again", () => {
    const dir = failedTree();
    fs.writeFileSync(path.join(dir, "Makefile"), MAKEFILE.replace("exit 3", "touch $@"));
    const r = tmake(dir, ["--select", "failed"]);
    expect(r).toMatchObject({ status: 0, stdout: "compiling c\nmore\n" });
    expect(tmake(dir, ["--select", "failed"])).toMatchObject({ status: 1, stdout: "tmake: Nothing to be done: 'failed' selects no target.\n" });
    expect(tmake(dir, ["--select", "state:bogus"])).toMatchObject({
      status: 2,
      stderr: "tmake: *** --select: unknown state 'bogus' (known: done, failed, blocked, running, stale, todo).  Stop.\n",
    });
  });

  it("--console reads commands from its input", () => {
    const dir = failedTree();
    const r = tmake(dir, ["--console"], "status failed\nfailed\nbogus\nlog out/c.txt\nquit\n");
    expect(r.stdout).toMatch(
      /^failed {2}out\/c\.txt {2}\d+ms {2}\d\d:\d\d:\d\d {2}Error 3 at Makefile:3 \(run 1\)\n0 done, 1 failed, 0 blocked, 0 running, 0 to do\nout\/c\.txt {2}Error 3 at Makefile:3 {2}error: c\.in:1: bad input \[\+3 lines\]\ncompiling c\n/,
    );
    expect(r.stderr).toBe("tmake: unknown console command 'bogus' (help lists them)\n");
    expect(fs.readFileSync(path.join(dir, ".tmake/journal/console-history"), "utf8")).toBe("status failed\nfailed\nbogus\nlog out/c.txt\nquit\n");
    // `make` builds the selection in a run of its own.
    fs.writeFileSync(path.join(dir, "Makefile"), MAKEFILE.replace("exit 3", "touch $@"));
    const m = tmake(dir, ["--console"], "make failed\nstatus failed\n");
    expect(m.stdout).toMatch(/compiling c\nmore\n0 done, 0 failed, 0 blocked, 0 running, 0 to do\n$/);
  });
});

describe("the console's make", () => {
  it("builds with the options, makefiles, directory and variables the console was started with", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-console-make-"));
    const proj = path.join(dir, "proj");
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, "build.mk"), 'all: a b\na b: ; @echo "$@ $(MSG) [$(MAKEFLAGS)]"; test -f ok-$@ && echo done > $@\n');
    // Both fail (no ok-a, no ok-b); -k makes the second be tried too.
    const first = tmake(dir, ["-C", "proj", "-f", "build.mk", "-k", "MSG=hello world"]);
    expect(first.status).toBe(2);
    expect(first.stdout).toContain("a hello world [");
    expect(first.stdout).toContain("b hello world [");
    fs.writeFileSync(path.join(proj, "ok-a"), "");
    fs.writeFileSync(path.join(proj, "ok-b"), "");
    // -kC bundles -k with -C: the -C goes (the build runs where the console is, `-C .` saying
    // so), the -k stays; -j2, -H and --hash-algo, -f and the variable are passed on.
    const r = tmake(
      dir,
      ["-kC", "proj", "-f", "build.mk", "-j2", "-H", "--hash-algo", "blake3", "MSG=hello world", "--console"],
      "make failed\nstatus\nquit\n",
    );
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines).toContain(`${tmakeMain} -C . -k -f build.mk -j2 -H --hash-algo blake3 'MSG=hello world' a b`);
    const said = lines.filter((l) => / hello world \[/.test(l));
    expect(said.map((l) => l.slice(0, 2)).sort()).toEqual(["a ", "b "]);
    for (const l of said) expect(l).toMatch(/\[k\S*H\S* -j2 .*--hash-algo=blake3/);
    // -H with blake3 keeps tmake's own records, in the build's directory.
    expect(fs.readdirSync(path.join(proj, ".tmake/records")).sort()).toEqual(["a", "b"]);
    // The console reads the journal again after its build: both are done now.
    expect(lines).toContain("2 done, 0 failed, 0 blocked, 0 running, 1 to do");
  });
});

describe("rerun triggers", () => {
  it("are off by default; --rerun-triggers and .RERUN_TRIGGERS turn them on; --explain tells either way", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-triggers-"));
    const mk = (flags: string, text = "built", head = ""): void =>
      fs.writeFileSync(path.join(dir, "Makefile"), `${head}FLAGS = ${flags}\nout: ; @echo ${text} $(FLAGS) > $@\n`);
    mk("-a");
    expect(tmake(dir, []).status).toBe(0);
    mk("-b");
    expect(tmake(dir, []).stdout).toBe("tmake: 'out' is up to date.\n");
    const ex = tmake(dir, ["--explain", "out"]).stdout;
    expect(ex).toContain("  variable 'FLAGS' changed ('-a' → '-b') since run 1 (not a trigger; add --rerun-triggers vars)\n");
    expect(ex).toContain("  recipe changed since run 1 (not a trigger; add --rerun-triggers recipe)\n");
    expect(tmake(dir, ["--rerun-triggers", "recipe"]).stdout).toBe("out: recipe changed since run 1; remaking\n");
    expect(fs.readFileSync(path.join(dir, "out"), "utf8")).toBe("built -b\n");
    mk("-c");
    expect(tmake(dir, ["--rerun-triggers=mtime,vars"]).stdout).toBe("out: variable 'FLAGS' changed ('-b' → '-c') since run 3; remaking\n");
    mk("-c", "made");
    expect(tmake(dir, ["--rerun-triggers=vars"]).stdout).toBe("tmake: 'out' is up to date.\n");
    mk("-c", "made", ".RERUN_TRIGGERS = recipe\n");
    expect(tmake(dir, []).stdout).toBe("out: recipe changed since run 4; remaking\n");
    expect(tmake(dir, []).stdout).toBe("tmake: 'out' is up to date.\n");
    // The command line says more than the makefile.
    mk("-c", "made again", ".RERUN_TRIGGERS = recipe\n");
    expect(tmake(dir, ["--rerun-triggers=mtime"]).stdout).toBe("tmake: 'out' is up to date.\n");
    expect(tmake(dir, ["--rerun-triggers", "bogus"])).toMatchObject({
      status: 2,
      stderr: "tmake: *** unknown rerun trigger 'bogus' (known: mtime, recipe, vars).  Stop.\n",
    });
  });
});
