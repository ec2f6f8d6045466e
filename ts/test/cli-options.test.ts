// The command line as one table (ts/src/cli/switches.ts): what a sub-make gets in MAKEFLAGS
// while the makefiles are remade, $(MAKE) as one word, --help listing every switch, and the
// operating-system errors said as GNU says them. Differential against GNU make where GNU has
// the case, through the real CLI otherwise.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { outcome, runBoth, runTmake, tmakeMain } from "./helpers/diff.js";
import { switches } from "../src/cli/switches.js";

describe("MAKEFLAGS while the makefiles are remade (GNU's define_makeflags(1, 1))", () => {
  // samtools' `include $(HTSDIR)/htslib_static.mk`, made by `$(MAKE)` in htslib: the sub-make
  // must really write the file under -n, -q and -t, so those are left out of its MAKEFLAGS.
  const files = {
    Makefile: "include inc.mk\nall:\n\t@echo all MAKEFLAGS=[$(MAKEFLAGS)] X=$(X)\ninc.mk:\n\t@$(MAKE) --no-print-directory -f sub.mk inc.mk\n",
    "sub.mk": "inc.mk:\n\t@echo sub MAKEFLAGS=[$(MAKEFLAGS)]\n\techo X=1 > $@\n",
  };
  for (const args of [["-n"], ["-q"], ["-t"], ["-nk"], ["-n", "-s"], []]) {
    it(`tmake ${args.join(" ")}`, () => {
      const { gnu, tmake } = runBoth({ files, args });
      expect(outcome(tmake)).toEqual(outcome(gnu));
      expect(tmake.files["inc.mk"]).toBe("X=1\n");
    });
  }
});

describe("$(MAKE)", () => {
  const makefile = "all:;@echo '$(MAKE)'; test -x '$(MAKE)' && echo executable; $(MAKE) -s -f sub.mk\n";
  const sub = "all:;@echo sub-make ran\n";

  /** A fresh directory with the makefiles; XDG_CACHE_HOME points into it, so that generated
   * scripts land there. */
  function dir(): { dir: string; env: NodeJS.ProcessEnv } {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-make-var-"));
    fs.writeFileSync(path.join(d, "Makefile"), makefile);
    fs.writeFileSync(path.join(d, "sub.mk"), sub);
    return { dir: d, env: { ...process.env, XDG_CACHE_HOME: path.join(d, "cache"), MAKEFLAGS: "", MAKELEVEL: "" } };
  }

  /** What the make printed: $(MAKE), whether it is executable, and that the sub-make ran. */
  function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string[] {
    const r = spawnSync(command, args, { cwd, env, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout.trimEnd().split("\n");
  }

  it.skipIf(process.platform === "win32")("is the command itself when started by its #! line", () => {
    const { dir: d, env } = dir();
    expect(run(tmakeMain, [], d, env)).toEqual([tmakeMain, "executable", "sub-make ran"]);
  });

  it.skipIf(process.platform === "win32")("is the script when node starts it with no flags or some of its own (a wrapper script)", () => {
    const { dir: d, env } = dir();
    expect(run(process.execPath, [tmakeMain], d, env)).toEqual([tmakeMain, "executable", "sub-make ran"]);
    expect(run(process.execPath, ["--stack-size=4000", tmakeMain], d, env)).toEqual([tmakeMain, "executable", "sub-make ran"]);
    // Through a wrapper script, as GNU's test suite runs a make it is pointed at.
    const wrapper = path.join(d, "tmake-wrapper");
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' --stack-size=4000 '${tmakeMain}' "$@"\n`, { mode: 0o755 });
    expect(run(wrapper, [], d, env)).toEqual([tmakeMain, "executable", "sub-make ran"]);
  });

  it.skipIf(process.platform === "win32")("is the path it was started by: an npx-style symlink", () => {
    const { dir: d, env } = dir();
    const bin = path.join(d, "node_modules", ".bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(tmakeMain, path.join(bin, "tmake"));
    expect(run(path.join(bin, "tmake"), [], d, env)).toEqual([path.join(bin, "tmake"), "executable", "sub-make ran"]);
    // Found on the PATH, as `npx tmake` and npm scripts run it.
    const viaPath = { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ""}` };
    expect(run("tmake", [], d, viaPath)).toEqual([path.join(bin, "tmake"), "executable", "sub-make ran"]);
  });

  it.skipIf(process.platform === "win32")("with node flags of its own, is one generated script that passes them on", () => {
    const { dir: d, env } = dir();
    const lines = run(process.execPath, ["--max-old-space-size=900", tmakeMain], d, env);
    expect(lines.slice(1)).toEqual(["executable", "sub-make ran"]);
    const made = lines[0]!;
    expect(made).not.toContain(" ");
    expect(path.basename(made)).toBe("tmake");
    expect(made.startsWith(path.join(d, "cache", "tmake", "bin"))).toBe(true);
    expect(fs.readFileSync(made, "utf8")).toContain(`exec ${process.execPath} --max-old-space-size=900 ${tmakeMain} "$@"`);
    // The same flags give the same script again.
    expect(run(process.execPath, ["--max-old-space-size=900", tmakeMain], d, env)[0]).toBe(made);
    // Where no private directory can be made, the command itself, in several words.
    const blocked = path.join(d, "file");
    fs.writeFileSync(blocked, "");
    const noCache = { ...env, XDG_CACHE_HOME: blocked, HOME: blocked, TMPDIR: blocked };
    expect(run(process.execPath, ["--max-old-space-size=900", tmakeMain], d, noCache)[0]).toBe(`${process.execPath} --max-old-space-size=900 ${tmakeMain}`);
  });
});

describe("--help", () => {
  const help = runTmake({ args: ["--help"] }).stdout;

  it("names every switch tmake accepts, each long name and letter", () => {
    for (const s of switches) {
      if (s.letter !== undefined) expect(help, s.letter).toMatch(new RegExp(`(^|[ ,])-${s.letter}\\b`, "m"));
      for (const l of s.long) expect(help, l).toContain(`--${l}`);
    }
    expect(help).toMatch(/^ {2}-Q ENGINE, --queue-engine=ENGINE\n/m);
  });

  it("says where tmake's meaning differs from GNU's or biomake's", () => {
    const line = (name: string): string => {
      const at = help.indexOf(name);
      return help.slice(at, help.indexOf("\n  -", at + 1)).replace(/\s+/g, " ");
    };
    expect(line("-d  ")).toContain("GNU's -d");
    expect(line("--trace  ")).toContain("biomake's --trace PREDICATE is not supported");
    expect(line("-m STRING")).toContain("GNU ignores -m");
    expect(line("  -p FILE")).toContain("otherwise -p is GNU's --print-data-base");
    expect(line("-Q ENGINE")).toContain("poolq (here, -j N at once, 4 without -j)");
    expect(line("--no-md5-cache")).toContain("tmake's -C is GNU's -C DIR");
  });

  it("reads as GNU's: usage, then `-x ARG, --long=ARG` names and their help from column 31", () => {
    const lines = help.split("\n");
    expect(lines[0]).toBe("Usage: tmake [options] [target] ...");
    expect(lines[1]).toBe("Options:");
    expect(lines).toContain("  -B, --always-make           Unconditionally make all targets.");
    expect(lines).toContain("  -C DIRECTORY, --directory=DIRECTORY");
    expect(lines).toContain("  -j [N], --jobs[=N]          Allow N jobs at once; infinite jobs with no arg.");
    // A line that bash-completion's _parse_help takes for options starts with a switch.
    for (const l of lines.filter((l) => /^\s*-/.test(l))) expect(l, l).toMatch(/^ {2}--?[A-Za-z]/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(79);
  });
});

describe("operating-system errors, said as GNU says them", () => {
  const same = (s: Parameters<typeof runBoth>[0]): void => {
    const { gnu, tmake } = runBoth(s);
    expect(outcome(tmake)).toEqual(outcome(gnu));
  };

  it("include DIR, -include DIR and -f DIR stop the make: 'DIR: Is a directory'", () => {
    same({ makefile: "include d\nall:;@echo hi\n", setup: ["mkdir d"] });
    same({ makefile: "all:;@echo hi\n-include d\n", setup: ["mkdir d"] });
    same({ makefile: "all:;@echo hi\n", setup: ["mkdir d"], args: ["-f", "d"] });
    // Found through -I, as GNU opens it there too.
    same({ makefile: "include d\nall:;@echo hi\n", setup: ["mkdir -p inc/d"], args: ["-I", "inc"] });
  });

  it("-C names a file or nothing", () => {
    same({ makefile: "all:;@echo hi\n", setup: ["touch afile"], args: ["-C", "afile"] });
    same({ makefile: "all:;@echo hi\n", args: ["-C", "nodir"] });
  });

  it("-t on a target in a missing directory: GNU's 'touch: open:' line, exit 2, -k goes on", () => {
    const makefile = "all: nodir/x y\nnodir/x: ; echo hi\ny: ; touch y\n";
    same({ makefile, args: ["-t"] });
    same({ makefile, args: ["-t", "-k"] });
  });

  describe("makefiles read from a stream", () => {
    /** Runs `make ARGS` through bash (for `<(...)`) in a fresh directory, `stdin` on a pipe
     * (a socket, as Node would give, cannot be opened as /dev/stdin). */
    const viaBash = (make: string, args: string, stdin: string): { stdout: string; stderr: string; status: number | null } => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-stream-"));
      fs.writeFileSync(path.join(dir, "..", `${path.basename(dir)}.in`), stdin);
      const r = spawnSync("bash", ["-c", `cat ../${path.basename(dir)}.in | ${make} ${args}`], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, MAKEFLAGS: "", MAKELEVEL: "" },
      });
      return { stdout: r.stdout, stderr: r.stderr.replace(/^tmake/gm, "make"), status: r.status };
    };
    const tm = `'${process.execPath}' '${tmakeMain}'`;
    for (const args of ["-f -", "-f /dev/stdin", "-f <(printf 'all:;@echo from a pipe\\n')", "-f - -f <(printf 'b:;@echo b\\n') all b"]) {
      it(args, () => {
        const stdin = "all:;@echo from stdin\n";
        const gnu = viaBash("make", args, stdin);
        expect(viaBash(tm, args, stdin)).toEqual(gnu);
        expect(gnu.status).toBe(0);
      });
    }
  });

  it("a makefile that cannot be read gives the reason; it is then missing, as GNU has it", () => {
    // Reading is refused to everyone but root: as root, run both makes as nobody.
    const asNobody = process.getuid?.() === 0;
    const setpriv = spawnSync("setpriv", ["--version"]).status === 0;
    if (asNobody && !setpriv) {
      console.log("skipped: running as root without setpriv, so no file is unreadable");
      return;
    }
    const wrap = (cmd: string[]): string[] => (asNobody ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...cmd] : cmd);
    const cases: [string, string[]][] = [
      ["include unr.mk\nall:;@echo top\n", []],
      ["-include unr.mk\nall:;@echo top\n", []],
      ["all:;@echo top\n", ["-f", "unr.mk"]],
      ["all:;@echo top\n", ["-k", "-f", "unr.mk"]],
      ["include unr.mk\nall:;@echo top\n", ["-k"]],
    ];
    for (const [makefile, args] of cases) {
      const results = [["make"], [process.execPath, tmakeMain]].map((cmd) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-unreadable-"));
        fs.chmodSync(dir, 0o777);
        fs.writeFileSync(path.join(dir, "Makefile"), makefile, { mode: 0o644 });
        fs.writeFileSync(path.join(dir, "unr.mk"), "all:;@echo unread\n", { mode: 0o000 });
        fs.chmodSync(path.join(dir, "unr.mk"), 0o000);
        const full = wrap([...cmd, ...args]);
        const r = spawnSync(full[0]!, full.slice(1), { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" } });
        return { stdout: r.stdout, stderr: r.stderr.replace(/^tmake/gm, "make"), status: r.status };
      });
      expect(results[1], `${makefile} ${args.join(" ")}`).toEqual(results[0]);
    }
  });

  describe("NUL bytes", () => {
    it("in a makefile: the rest of the line is lost, as GNU's fgets loses it", () => {
      same({ makefile: "all:\n\techo a\0b\n\0foo\n" });
      same({ makefile: "all:\n\techo a\0b\n\techo c\n\techo d\n" });
      same({ makefile: "a = 1 \\\n  2\n\0x\nall:;@echo ok $(a)\n" });
    });

    it("in $(shell) output and in a command: a C string ends there", () => {
      same({ makefile: 'X := $(shell printf "a\\0b")\nall:\n\techo $(X) > out\n\t@echo $(shell printf "x\\0y")\n' });
      // Node's own words for it never reach the user.
      const r = runTmake({ makefile: 'all:\n\t@echo "$(shell printf "x\\0y")" $(shell printf "p\\0q")\n' });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("x p\n");
    });
  });

  it("a $(call) that never ends is a makefile error, not Node's stack overflow", () => {
    for (const makefile of ["f = $(call f,$1)\nall: ; @echo $(call f,x)\n", "f = $(call f,$1)\nX := $(call f,x)\nall: ; @echo hi\n"]) {
      const r = runTmake({ makefile });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("Makefile:1: *** Recursive call of 'f' nested too deeply (does the recursion end?).  Stop.\n");
    }
  });
});
