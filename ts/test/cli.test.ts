// The command line against GNU make: the same makefile and arguments in twin directories must
// give the same output, messages, exit status and files. Where tmake's syntax differs on
// purpose (biomake's -D, --target, -m; tmake's own --version), the GNU run uses GNU's
// spelling of the same request.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalise, outcome, runBoth, runGnu, runTmake, tmakeMain, type RunResult, type Scenario } from "./helpers/diff.js";
import { OLD, MID, NEW, chain } from "./helpers/fixtures.js";

/** Outcome with each run's own directory written as <dir> (the twins live in different places). */
function seen(r: RunResult) {
  const o = outcome(r);
  const dir = fs.realpathSync(r.dir);
  const strip = (t: string) => t.split(dir).join("<dir>").split(r.dir).join("<dir>");
  return { ...o, stdout: strip(o.stdout), stderr: strip(o.stderr) };
}

function expectSame(s: Scenario): ReturnType<typeof seen> {
  const { gnu, tmake } = runBoth(s);
  const g = seen(gnu);
  expect(seen(tmake)).toEqual(g);
  return g;
}

/** Runs GNU with `gnuArgs` and tmake with `tmakeArgs` on the same scenario. */
function expectSameAs(s: Scenario, tmakeArgs: string[], gnuArgs: string[]): ReturnType<typeof seen> {
  const gnu = runGnu({ ...s, args: gnuArgs });
  const tm = runTmake({ ...s, args: tmakeArgs });
  for (const r of [gnu, tm]) {
    r.stdout = normalise(r.stdout);
    r.stderr = normalise(r.stderr);
  }
  const g = seen(gnu);
  expect(seen(tm)).toEqual(g);
  return g;
}

describe("three rules with an up-to-date middle target (issue 2)", () => {
  it("rebuilds only the final target when it is older than the middle one", () => {
    const r = expectSame({
      makefile: chain,
      files: { source: "s\n", middle: "m\n", final: "f\n" },
      setup: [`${OLD} source`, `${NEW} middle`, `${MID} final`],
    });
    expect(r.stdout).toBe("cat middle > final\n");
    expect(r.files.final).toBe("m\n");
  });

  it("rebuilds middle and final when the source is newer", () => {
    const r = expectSame({
      makefile: chain,
      files: { source: "s\n", middle: "m\n", final: "f\n" },
      setup: [`${NEW} source`, `${MID} middle`, `${MID} final`],
    });
    expect(r.stdout).toBe("cat source > middle\ncat middle > final\n");
  });

  it("rebuilds nothing when everything is up to date", () => {
    const r = expectSame({
      makefile: chain,
      files: { source: "s\n", middle: "m\n", final: "f\n" },
      setup: [`${OLD} source`, `${MID} middle`, `${NEW} final`],
    });
    expect(r.stdout).toBe("make: 'final' is up to date.\n");
  });

  it("builds everything from nothing", () => {
    expectSame({ makefile: chain });
  });

  it("-B rebuilds all three, -q says stale or not, -t touches", () => {
    const upToDate = { makefile: chain, files: { source: "s\n", middle: "m\n", final: "f\n" }, setup: [`${OLD} source`, `${MID} middle`, `${NEW} final`] };
    expectSame({ ...upToDate, args: ["-B"] });
    expect(expectSame({ ...upToDate, args: ["-q"] }).status).toBe(0);
    expect(expectSame({ ...upToDate, setup: [`${NEW} source`, `${MID} middle`, `${MID} final`], args: ["-q"] }).status).toBe(1);
    expectSame({ ...upToDate, setup: [`${NEW} source`, `${MID} middle`, `${MID} final`], args: ["-t"] });
  });

  it("-W pretends a file is new; -o keeps a file and what depends only on it", () => {
    const upToDate = { makefile: chain, files: { source: "s\n", middle: "m\n", final: "f\n" }, setup: [`${OLD} source`, `${MID} middle`, `${NEW} final`] };
    expectSame({ ...upToDate, args: ["-W", "source"] });
    expectSame({ ...upToDate, args: ["--what-if=middle", "-n"] });
    expectSame({ ...upToDate, setup: [`${NEW} source`, `${MID} middle`, `${OLD} final`], args: ["-o", "middle"] });
    expectSame({ ...upToDate, setup: [`${NEW} source`, `${MID} middle`, `${OLD} final`], args: ["--assume-old=middle"] });
  });
});

describe("recipes through the whole pipeline", () => {
  it("echoes commands, hides @ lines", () => {
    expectSame({ makefile: "all:\n\techo a\n\t@echo b\n" });
  });

  it("prefixes with blanks between them, also from a foreach (biomake padded_modifier)", () => {
    expectSame({ makefile: "X=a b c d\nall: p f\np:\n\t  @echo Should be silent >$@\nf:\n\t$(foreach o, $(X), @echo $o ) >$@\n" });
  });

  it("@ before a variable applies to every line it expands to", () => {
    expectSame({ makefile: "define X\necho a\n-false\necho b\nendef\nall:\n\t@$(X)\n\techo end\n" });
  });

  it("reports an ignored error and goes on", () => {
    expectSame({ makefile: "all:\n\t-false\n\techo after\n" });
  });

  it("stops at a failure with GNU's message and status 2", () => {
    const r = expectSame({ makefile: "all:\n\techo a\n\tfalse\n\techo never\n" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("make: *** [Makefile:3: all] Error 1\n");
  });

  it("numbers recipe lines as GNU does after continuations and comments", () => {
    expectSame({ makefile: "all:\n\techo a \\\n\tb\n# comment\n\n\texit 3\n" });
  });

  it("-i ignores every error", () => {
    expectSame({ makefile: "all:\n\tfalse\n\techo after\n", args: ["-i"] });
  });

  it("-k goes on with other goals; -S turns it off again", () => {
    const mk = "all: bad good\nbad:\n\tfalse\ngood:\n\techo good\n";
    expectSame({ makefile: mk, args: ["-k"] });
    expectSame({ makefile: mk, args: ["-k", "-S"] });
    expectSame({ makefile: mk, args: ["-kS"] });
    expectSame({ makefile: mk });
  });

  it("-n prints without running, -s runs without printing", () => {
    const mk = "all:\n\t@echo a > a\n\techo b\n\t+echo c\n";
    expectSame({ makefile: mk, args: ["-n"] });
    expectSame({ makefile: mk, args: ["--dry-run"] });
    expectSame({ makefile: mk, args: ["--recon"] });
    expectSame({ makefile: mk, args: ["-s"] });
    expectSame({ makefile: mk, args: ["--quiet"] });
  });

  it(".DELETE_ON_ERROR removes the half-made target", () => {
    expectSame({ makefile: ".DELETE_ON_ERROR:\nt:\n\techo x > $@; exit 1\n" });
  });

  it("a missing program is reported without a shell", () => {
    expectSame({ makefile: "all:\n\tnosuchprogram-tmake x\n" });
  });

  it("names the signal that killed a recipe", () => {
    expectSame({ makefile: "all:\n\tkill -9 $$$$\n" });
  });
});

describe("command-line variables", () => {
  const mk = "X = file\nY := $(X)\nall:\n\t@echo X=$(X) Y=$(Y) Z=$(Z) origin=$(origin X)\n";

  it("override the makefile's assignments", () => {
    expectSame({ makefile: mk, args: ["X=cmd"] });
    expectSame({ makefile: mk, args: ["X:=cmd", "Z=z"] });
    expectSame({ makefile: mk, args: ["X=a b", "X+=c"] });
    expectSame({ makefile: mk, args: [" X = spaced "] });
  });

  it("may come before, between or after goals and options", () => {
    const two = "a:\n\t@echo a $(V)\nb:\n\t@echo b $(V)\n";
    expectSame({ makefile: two, args: ["V=1", "a", "-s", "b"] });
    expectSame({ makefile: two, args: ["b", "V=2", "a"] });
  });

  it("a word with a blank in the name is a goal, as in GNU", () => {
    expectSame({ makefile: mk, args: ["A B=1"] });
  });

  it("-D VAR VAL (biomake) is VAR=VAL", () => {
    expectSameAs({ makefile: mk }, ["-D", "X", "from d"], ["X=from d"]);
    expectSameAs({ makefile: mk }, ["--define", "Z", "zz", "X=x"], ["Z=zz", "X=x"]);
  });

  it("-e lets the environment override the makefile", () => {
    expectSame({ makefile: mk, env: { X: "env" }, args: ["-e"] });
    expectSame({ makefile: mk, env: { X: "env" } });
  });

  it("--eval / -E, and biomake's -m, evaluate makefile text", () => {
    expectSame({ makefile: mk, args: ["--eval", "Z=evaluated"] });
    expectSame({ makefile: mk, args: ["-E", "X=evaluated"] });
    expectSameAs({ makefile: mk }, ["-m", "Z=evaluated"], ["--eval=Z=evaluated"]);
  });
});

describe("MAKEFLAGS", () => {
  const show = "all:\n\t@echo '[$(MAKEFLAGS)]'\n";

  it("holds the flags and command-line variables as GNU writes them", () => {
    expectSame({ makefile: show, args: ["-k", "-s", "X=1"] });
    expectSame({ makefile: show, args: ["-Bkis", "-n", "-r", "-R", "-e"] });
    expectSame({ makefile: show, args: ["-I", "inc", "-I", "a b", "X=1", "Y=a b"], setup: ["mkdir inc 'a b'"] });
    expectSame({ makefile: show, args: ["--no-print-directory", "-j1"] });
    expectSame({ makefile: show, args: ["--eval=Q=1", "--eval", "R = 2"] });
    expectSame({ makefile: show, args: ["--eval=X=$(Y)", "W=$$x", "V=$(Y)", "-I", "d$x"], setup: ["mkdir 'd$x'"] });
  });

  it("is read from the environment, flags and variables", () => {
    expectSame({ makefile: "all: bad good\nbad:\n\tfalse\ngood:\n\techo good $(V)\n", env: { MAKEFLAGS: "k -- V=1" } });
    expectSame({ makefile: show, env: { MAKEFLAGS: "s" } });
    expectSame({ makefile: show, env: { MAKEFLAGS: " -I/tmp --no-print-directory" } });
  });

  it("set in the makefile takes effect", () => {
    expectSame({ makefile: "MAKEFLAGS += -s\nall:\n\techo hi\n" });
    expectSame({ makefile: "MAKEFLAGS += -B\nall:\n\techo hi\n", setup: ["touch all"] });
  });

  it("reaches a recursive make, which announces its directory", () => {
    expectSame({
      makefile: "all:\n\t@$(MAKE) -C sub V=1\n",
      files: { "sub/Makefile": "all:\n\t@echo sub $(V) '[$(MAKEFLAGS)]' $(MAKELEVEL)\n" },
      args: ["-k"],
    });
  });

  it("a failing recursive make fails the parent", () => {
    expectSame({
      makefile: "all:\n\t@$(MAKE) -s -C sub\n\techo never\n",
      files: { "sub/Makefile": "all:\n\tfalse\n" },
    });
  });
});

describe("-C, -f, -w", () => {
  const files = { "sub/Makefile": "all:\n\t@echo in sub\n", "sub/other.mk": "all:\n\t@echo other\n" };

  it("-C changes directory first and announces it", () => {
    expectSame({ files, args: ["-C", "sub"] });
    expectSame({ files, args: ["-Csub"] });
    expectSame({ files, args: ["--directory=sub", "-f", "other.mk"] });
  });

  it("-C is cumulative", () => {
    expectSame({ files: { "a/b/Makefile": "all:\n\t@echo in a/b\n" }, args: ["-C", "a", "-C", "b"] });
  });

  it("-C with -s or --no-print-directory stays quiet", () => {
    expectSame({ files, args: ["-s", "-C", "sub"] });
    expectSame({ files, args: ["-C", "sub", "--no-print-directory"] });
  });

  it("-C to a missing directory", () => {
    expectSame({ files, args: ["-C", "nowhere"] });
  });

  it("-w announces the directory", () => {
    expectSame({ makefile: "all:\n\t@echo hi\n", args: ["-w"] });
  });

  it("-f reads the named makefiles in order", () => {
    expectSame({ files: { "one.mk": "X=1\n", "two.mk": "all:\n\t@echo $(X) $(MAKEFILE_LIST)\n" }, args: ["-f", "one.mk", "--file=two.mk"] });
    expectSame({ files: { "two.mk": "all:\n\t@echo two\n" }, args: ["--makefile", "two.mk"] });
  });

  it("-f with a missing file", () => {
    expectSame({ makefile: "all:\n\t@echo hi\n", args: ["-f", "nonexistent.mk"] });
  });

  it("no makefile at all", () => {
    expectSame({});
    expectSame({ args: ["goal"] });
  });

  it("-I searches include directories", () => {
    expectSame({ makefile: "include inc.mk\nall:\n\t@echo $(X)\n", files: { "d/inc.mk": "X=included\n" }, args: ["-I", "d"] });
  });
});

describe("option syntax", () => {
  const two = "a:\n\t@echo a\nb:\n\t@echo b\n";

  it("bundles short flags and mixes options with goals in any order", () => {
    expectSame({ makefile: two, args: ["b", "-sk", "a"] });
    expectSame({ makefile: "a:\n\techo a\n", args: ["-Bn", "a"] });
    expectSame({ makefile: "a:\n\techo a\n", args: ["-nfMakefile", "a"] });
    expectSame({ makefile: two, args: ["-", "b"] });
  });

  it("abbreviated long options", () => {
    expectSame({ makefile: two, args: ["--just", "a"] });
    expectSame({ makefile: two, args: ["--no-print", "-C", "."] });
  });

  it("-- ends the options; --target names a goal that looks like an option", () => {
    const weird = "-w:\n\t@echo dash-w\n";
    expectSame({ makefile: weird, args: ["--", "-w"] });
    expectSameAs({ makefile: weird }, ["--target", "-w"], ["--", "-w"]);
  });

  it("-j N is accepted; a word after -j that is not a number is a goal", () => {
    expectSame({ makefile: two, args: ["-j", "1", "b"] });
    expectSame({ makefile: two, args: ["-j", "b"] });
  });

  it("unknown options are refused with GNU's message and status 2", () => {
    for (const [args, first] of [
      [["-x"], "make: invalid option -- 'x'"],
      [["-kZ"], "make: invalid option -- 'Z'"],
      [["--frobnicate"], "make: unrecognized option '--frobnicate'"],
      [["-f"], "make: option requires an argument -- 'f'"],
      [["--file"], "make: option '--file' requires an argument"],
      [["--touch=yes"], "make: option '--touch' doesn't allow an argument"],
      [["--debug="], "make: the '--debug' option requires a non-empty string argument"],
      [["-j", "0"], "make: the '-j' option requires a positive integer argument"],
    ] as const) {
      const { gnu, tmake } = runBoth({ makefile: two, args: [...args] });
      expect(tmake.status).toBe(2);
      expect(gnu.status).toBe(2);
      expect(tmake.stderr.split("\n")[0]).toBe(first);
      expect(gnu.stderr.split("\n")[0]).toBe(first);
      expect(tmake.stderr.split("\n")[1]).toMatch(/^Usage: (t?make) \[options\] \[target\] \.\.\.$/);
      expect(tmake.stdout).toBe("");
    }
  });

  it("options of features not built yet are refused by name", () => {
    const r = runTmake({ makefile: two, args: ["-y", "a"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("tmake: *** option '-y' is not supported yet.  Stop.\n");
    expect(r.stdout).toBe("");
  });

  it("--no-backtrace is accepted", () => {
    expectSameAs({ makefile: "all:\n\tfalse\n" }, ["--no-backtrace"], []);
  });

  it("--version names tmake's version and backend", () => {
    const r = runTmake({ args: ["--version"] });
    const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(tmakeMain), "../../package.json"), "utf8")) as { version: string }).version;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^tmake ${version.replace(/\./g, "\\.")}\nbackend: (native|js)\n$`));
    expect(runTmake({ args: ["-v"] }).stdout).toBe(r.stdout);
  });

  it("--help prints the usage and every option on stdout", () => {
    const r = runTmake({ args: ["--help"] });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Usage: tmake [options] [target] ...");
    for (const flag of ["--always-make", "--directory", "--file", "--keep-going", "--just-print", "--what-if", "--define", "--target", "--no-dependencies"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it("an empty variable name is a fatal error", () => {
    expectSame({ makefile: two, args: ["=x"] });
  });
});

describe("interrupts through the CLI", () => {
  /** Runs `cmd` on the makefile, waits for its recipe to touch `started`, sends `signal` (to
   * the whole process group, as a terminal's Ctrl-C does, or to make alone), and reports how
   * make ended, what it said on stderr and which files are left. */
  async function interrupted(cmd: string[], mk: string, files: Record<string, string>, signal: NodeJS.Signals, to: "group" | "make") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-cli-int-"));
    fs.writeFileSync(path.join(dir, "Makefile"), mk);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const out = path.join(dir, "..", `${path.basename(dir)}.err`);
    const errFd = fs.openSync(out, "w");
    const child = spawn(cmd[0]!, cmd.slice(1), {
      cwd: dir,
      detached: true,
      stdio: ["ignore", "ignore", errFd],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
    });
    fs.closeSync(errFd);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
    while (!fs.existsSync(path.join(dir, "started"))) await new Promise((r) => setTimeout(r, 20));
    // `started` appears while `touch` is still running: let the recipe reach its `sleep`, so
    // the signal never lands between two commands (on a loaded machine it once did).
    await new Promise((r) => setTimeout(r, 500));
    process.kill(to === "group" ? -child.pid! : child.pid!, signal);
    const died = await ended;
    return {
      signal: died,
      stderr: normalise(fs.readFileSync(out, "utf8")),
      files: fs
        .readdirSync(dir)
        .filter((f) => f !== ".tmake")
        .sort(),
    };
  }

  it("Ctrl-C deletes the half-written target and dies of SIGINT, as GNU", async () => {
    const mk = "t:\n\techo part > $@; touch started; sleep 30; echo done >> $@\n";
    const gnu = await interrupted(["make"], mk, {}, "SIGINT", "group");
    const tm = await interrupted([process.execPath, tmakeMain], mk, {}, "SIGINT", "group");
    expect(tm).toEqual(gnu);
    expect(tm).toEqual({ signal: "SIGINT", stderr: "make: *** Deleting file 't'\nmake: *** [Makefile:2: t] Interrupt\n", files: ["Makefile", "started"] });
  });

  it("SIGTERM also deletes the intermediate files made so far, as GNU", async () => {
    const mk = "all: x.out\n%.out: %.mid\n\ttouch started; sleep 30; cat $< > $@\n%.mid: %.src\n\tcp $< $@\n";
    // To make alone (GNU passes SIGTERM on to its recipe); a signal to the whole group races
    // GNU's own reaping of the recipe ("wait: No child processes").
    const gnu = await interrupted(["make"], mk, { "x.src": "s\n" }, "SIGTERM", "make");
    const tm = await interrupted([process.execPath, tmakeMain], mk, { "x.src": "s\n" }, "SIGTERM", "make");
    expect(tm).toEqual(gnu);
    expect(tm.files).toEqual(["Makefile", "started", "x.src"]);
    expect(tm.stderr).toContain("make: *** Deleting intermediate file 'x.mid'\n");
  });
});

describe("the example pipeline", () => {
  it("builds, is then up to date, rebuilds what a changed input affects, and cleans up", () => {
    const example = path.resolve(path.dirname(tmakeMain), "../../examples/align");
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-example-"));
    fs.cpSync(example, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
    const tm = (...args: string[]) => spawnSync(process.execPath, [tmakeMain, "-C", work, ...args], { encoding: "utf8" });
    const first = tm("all");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const summary = fs.readFileSync(path.join(work, "out/summary.txt"), "utf8").split("\n");
    expect(summary).toContain("human mouse 92/120 76.7%");
    expect(summary).toContain("fly 120 bases");
    expect(summary.filter((l) => / \d+\/\d+ /.test(l))).toHaveLength(6);
    expect(tm("all").stdout).toContain("Nothing to be done for 'all'.");
    spawnSync("touch", [path.join(work, "seqs/fly.fa")]);
    const again = tm("all")
      .stdout.split("\n")
      .filter((l) => l.startsWith("awk"));
    expect(again).toHaveLength(5); // fly.len and the four pairs with fly
    expect(tm("clean").status).toBe(0);
    expect(fs.existsSync(path.join(work, "out"))).toBe(false);
  });
});

describe("the installed command's node flags", () => {
  it("let a $(call) recurse 3000 levels deep, as GNU make does", () => {
    // npm runs dist/cli/main.js through its shebang; run it the same way.
    const shebang = fs.readFileSync(tmakeMain, "utf8").split("\n")[0]!;
    const [, ...words] = shebang.replace(/^#!\s*/, "").split(/\s+/); // "/usr/bin/env -S node flags..."
    const nodeFlags = words.slice(words.indexOf("node") + 1);
    const makefile =
      "count = $(if $(word $(1),$(L)),$(call count,$(words x $(wordlist 1,$(1),$(L)))),$(1))\nL := $(shell seq 3000)\nall:;@echo $(call count,1)\n";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-deep-"));
    fs.writeFileSync(path.join(dir, "Makefile"), makefile);
    const r = spawnSync(process.execPath, [...nodeFlags, tmakeMain], { cwd: dir, encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: "3001\n", stderr: "" });
    expect(runGnu({ makefile }).stdout).toBe("3001\n");
  });
  it.skipIf(process.platform === "win32")("make $(MAKE) the command itself, one executable path, when started by its shebang", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-make-var-"));
    fs.writeFileSync(path.join(dir, "Makefile"), "all:;@echo '$(MAKE)'; test -x '$(MAKE)' && echo executable\n");
    const direct = spawnSync(tmakeMain, [], { cwd: dir, encoding: "utf8" });
    expect({ status: direct.status, stdout: direct.stdout }).toEqual({ status: 0, stdout: `${tmakeMain}\nexecutable\n` });
    // Started with other node flags, $(MAKE) passes them on through a generated script: see
    // cli-options.test.ts.
  });
});
