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
    expect(line("-Q ENGINE")).toContain("only 'test'");
    expect(line("-H, --md5-hash")).toContain("not supported yet");
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
