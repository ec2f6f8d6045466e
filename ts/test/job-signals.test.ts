// A recipe killed by a signal leaves no target, against GNU make through the real CLI: GNU's
// reap_children deletes the files the recipe changed (delete_child_targets), unless they are
// precious or phony, directories, or untouched; the error was ignored (-i, `-`, .IGNORE); and
// it says so after the failure (`*** [Makefile:2: x] Killed`, `*** Deleting file 'x'`).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normalise, outcome, runBoth, tmakeMain, type Scenario } from "./helpers/diff.js";

function expectSame(s: Scenario): ReturnType<typeof runBoth> {
  const both = runBoth(s);
  for (const r of [both.gnu, both.tmake]) r.stdout = r.stdout.split(r.dir).join("<dir>");
  expect(outcome(both.tmake)).toEqual(outcome(both.gnu));
  return both;
}

/** A shell loop that waits (up to ~5 s) for file $1 to exist (written into a makefile: `$$`). */
const waitFor = (file: string): string => `n=0; while [ ! -e ${file} ] && [ $$n -lt 250 ]; do sleep 0.02; n=$$((n+1)); done`;
/** The same, for file $1 to be gone. */
const waitGone = (file: string): string => `n=0; while [ -e ${file} ] && [ $$n -lt 250 ]; do sleep 0.02; n=$$((n+1)); done`;

/** A makefile whose target x is written and then killed by `signal`. */
const killed = (signal: string, head = ""): string => `${head}x:\n\techo part > $@; kill -${signal} $$$$\n`;

describe("a recipe killed by a signal", () => {
  // SIGINT and SIGHUP here reach the recipe alone, not make: only the recipe is interrupted.
  const signals = [
    ["9", "Killed"],
    ["TERM", "Terminated"],
    ["SEGV", "Segmentation fault"],
    ["KILL", "Killed"],
    ["INT", "Interrupt"],
    ["HUP", "Hangup"],
    ["PIPE", "Broken pipe"],
  ] as const;
  for (const [signal, text] of signals) {
    it(`SIG${signal}: the half-written target is deleted after the failure is said`, () => {
      const { tmake } = expectSame({ makefile: killed(signal) });
      expect(tmake.status).toBe(2);
      expect(tmake.stderr).toBe(`make: *** [Makefile:2: x] ${text}\nmake: *** Deleting file 'x'\n`);
      expect(tmake.files).toEqual({ Makefile: killed(signal) });
    });
  }

  it("a signal that kills a program the shell started is the shell's exit status, not a signal: the target stays", () => {
    const makefile = "x:\n\techo part > $@; sh -c 'kill -SEGV $$$$'\n";
    const { tmake } = expectSame({ makefile });
    expect(tmake.stderr).toContain("[Makefile:2: x] Error 139");
    expect(tmake.files.x).toBe("part\n");
  });

  it("a program started without a shell (`sh -c '...'`: shell syntax inside single quotes is text) dies of its own signal", () => {
    const makefile = "x:\n\techo part > $@\n\tsh -c 'kill -SEGV $$$$'\n";
    const { tmake } = expectSame({ makefile });
    expect(tmake.stderr).toBe("make: *** [Makefile:3: x] Segmentation fault\nmake: *** Deleting file 'x'\n");
  });

  it("a later line of the recipe killed: the target an earlier line wrote is deleted", () => {
    const { tmake } = expectSame({ makefile: "x:\n\techo part > $@\n\tkill -TERM $$$$\n" });
    expect(tmake.stderr).toBe("make: *** [Makefile:3: x] Terminated\nmake: *** Deleting file 'x'\n");
  });

  it("a target the recipe did not touch stays; one it rewrote, even with an older time, goes", () => {
    const setup = ["echo old > x", "touch -d 2000-01-01 x", "touch dep"];
    const { tmake } = expectSame({ makefile: "x: dep\n\tkill -9 $$$$\n", setup });
    expect(tmake.files.x).toBe("old\n");
    const older = expectSame({ makefile: "x: dep\n\ttouch -d 1999-01-01 $@; kill -9 $$$$\n", setup }).tmake;
    expect(older.files.x).toBeUndefined();
    expect(older.stderr).toContain("Deleting file 'x'");
  });

  it("a directory is never deleted", () => {
    const { tmake } = expectSame({ makefile: "d:\n\tmkdir -p $@; touch $@/f; kill -9 $$$$\n" });
    expect(tmake.files["d/f"]).toBe("");
    expect(tmake.stderr).toBe("make: *** [Makefile:2: d] Killed\n");
  });

  it("a missing target the recipe did not create: nothing to say", () => {
    const { tmake } = expectSame({ makefile: "x:\n\tkill -9 $$$$\n" });
    expect(tmake.stderr).toBe("make: *** [Makefile:2: x] Killed\n");
  });
});

describe("what keeps the target", () => {
  it(".PRECIOUS, by name and by pattern", () => {
    expect(expectSame({ makefile: killed("9", ".PRECIOUS: x\n") }).tmake.files.x).toBe("part\n");
    const pattern = ".PRECIOUS: %.o\n%.o:\n\techo part > $@; kill -9 $$$$\n";
    expect(expectSame({ makefile: pattern, args: ["a.o"] }).tmake.files["a.o"]).toBe("part\n");
  });

  it(".PHONY", () => {
    expect(expectSame({ makefile: killed("TERM", ".PHONY: x\n") }).tmake.files.x).toBe("part\n");
  });

  it("-i: the failure is ignored, nothing is deleted", () => {
    const { tmake } = expectSame({ makefile: "all: x y\n" + killed("9") + "y:\n\techo y > $@\n", args: ["-i"] });
    expect(tmake.status).toBe(0);
    expect(tmake.stderr).toBe("make: [Makefile:3: x] Killed (ignored)\n");
    expect(tmake.files.x).toBe("part\n");
  });

  it("a `-` line and .IGNORE", () => {
    expect(expectSame({ makefile: "x:\n\t-echo part > $@; kill -SEGV $$$$\n\techo more >> $@\n" }).tmake.files.x).toBe("part\nmore\n");
    expect(expectSame({ makefile: killed("TERM", ".IGNORE: x\n") }).tmake.files.x).toBe("part\n");
  });
});

describe("with other options", () => {
  it(".DELETE_ON_ERROR: deleted once, said once", () => {
    const { tmake } = expectSame({ makefile: killed("9", ".DELETE_ON_ERROR:\n") });
    expect(tmake.stderr).toBe("make: *** [Makefile:3: x] Killed\nmake: *** Deleting file 'x'\n");
  });

  it(".DELETE_ON_ERROR with .PRECIOUS keeps it", () => {
    expect(expectSame({ makefile: killed("9", ".DELETE_ON_ERROR:\n.PRECIOUS: x\n") }).tmake.files.x).toBe("part\n");
  });

  it("-n and -t: a `+` line runs, and a signal that kills it deletes the target all the same", () => {
    const makefile = "x:\n\t+echo part > $@; kill -9 $$$$\n\techo more\n";
    for (const flag of ["-n", "-t"]) expect(expectSame({ makefile, args: [flag] }).tmake.stderr).toContain("Deleting file 'x'");
  });

  it("-k: deleted, and the rest goes on", () => {
    const makefile = "all: x y\n" + killed("9") + "y:\n\techo y > $@\n";
    const { tmake } = expectSame({ makefile, args: ["-k"] });
    expect(tmake.stderr).toBe("make: *** [Makefile:3: x] Killed\nmake: *** Deleting file 'x'\nmake: Target 'all' not remade because of errors.\n");
    expect(tmake.files.y).toBe("y\n");
  });

  // x is killed once y runs, and y goes on until x has been deleted (and a little longer, for
  // make to say that it waits): the order of the messages is then GNU's, not the machine's.
  const parallel =
    [
      "all: x y",
      `x:\n\t@${waitFor("y.started")}; echo part > $@; touch x.dying; kill -9 $$$$`,
      `y:\n\t@touch y.started; ${waitFor("x.dying")}; ${waitGone("x")}; sleep 0.3; echo y; echo y > $@`,
    ].join("\n") + "\n";

  it("-j2: deleted at once, then make waits for the other job", () => {
    const { tmake } = expectSame({ makefile: parallel, args: ["-j2"] });
    expect(tmake.stderr).toBe("make: *** [Makefile:3: x] Killed\nmake: *** Deleting file 'x'\nmake: *** Waiting for unfinished jobs....\n");
    expect(tmake.files.x).toBeUndefined();
    expect(tmake.files.y).toBe("y\n");
  });

  it("-j2 -k", () => {
    const { tmake } = expectSame({ makefile: parallel, args: ["-j2", "-k"] });
    expect(tmake.stderr).toBe("make: *** [Makefile:3: x] Killed\nmake: *** Deleting file 'x'\nmake: Target 'all' not remade because of errors.\n");
  });

  it("-j2 -O: the deletion is said before the job's held output", () => {
    for (const sync of ["-Otarget", "-Oline"]) {
      const { tmake } = expectSame({ makefile: parallel.replace("\t@", "\t"), args: ["-j2", sync] });
      expect(tmake.stderr.indexOf("Deleting file 'x'")).toBeLessThan(tmake.stderr.indexOf("] Killed"));
    }
  });
});

describe("every target the recipe makes", () => {
  const grouped = "a b c d &:\n\ttouch a b c d; kill -9 $$$$\n";

  it("grouped targets: the target, then the others in GNU's order", () => {
    for (const goal of ["a", "c"]) {
      const { tmake } = expectSame({ makefile: grouped, args: [goal] });
      expect(Object.keys(tmake.files)).toEqual(["Makefile"]);
    }
    expect(expectSame({ makefile: grouped, args: ["b"] }).tmake.stderr).toBe(
      "make: *** [Makefile:2: b] Killed\nmake: *** Deleting file 'b'\nmake: *** [b] Deleting file 'd'\nmake: *** [b] Deleting file 'c'\nmake: *** [b] Deleting file 'a'\n",
    );
  });

  it("multi-target pattern rules", () => {
    const makefile = "%.p %.q %.r %.s:\n\ttouch $*.p $*.q $*.r $*.s; kill -TERM $$$$\n";
    for (const goal of ["z.p", "z.r"]) expectSame({ makefile, args: [goal] });
    expect(expectSame({ makefile, args: ["-k", "y.q", "z.s"] }).tmake.files).toEqual({ Makefile: makefile });
  });

  it("another target of the rule that make never looked at is deleted even when untouched (GNU 4.3)", () => {
    const setup = ["echo old > b", "echo old > z.q", "touch -d 2000-01-01 b z.q"];
    const makefile = "a b &:\n\ttouch a; kill -9 $$$$\n%.p %.q:\n\ttouch $*.p; kill -9 $$$$\n";
    const { tmake } = expectSame({ makefile, setup, args: ["-k", "a", "z.p"] });
    expect(tmake.stderr).toContain("[a] Deleting file 'b'");
    expect(tmake.files).toEqual({ Makefile: makefile });
  });

  it("a precious or phony one stays, whichever target the recipe ran for", () => {
    const makefile = ".PRECIOUS: c a\n.PHONY: d\n" + grouped;
    for (const goal of ["a", "b"]) expectSame({ makefile, args: [goal] });
    const pattern = ".PRECIOUS: %.q\n%.p %.q:\n\ttouch $*.p $*.q; kill -9 $$$$\n";
    expectSame({ makefile: pattern, args: ["z.q"] });
  });

  it(".DELETE_ON_ERROR deletes them all after an error", () => {
    expectSame({ makefile: ".DELETE_ON_ERROR:\na b &:\n\ttouch a b; exit 1\n", args: ["b"] });
  });
});

describe("an interrupt deletes every target of the running recipe", () => {
  /** Runs `cmd` in a fresh directory holding `makefile`, waits until the recipe has written
   * `started`, sends SIGINT to the whole process group (a terminal's Ctrl-C) and waits for the
   * end. Output goes to files: a pipe would stay open as long as any orphan holds it. */
  async function ctrlC(cmd: string[], makefile: string): Promise<{ stderr: string; signal: NodeJS.Signals | null; files: string[] }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-sig-int-"));
    fs.writeFileSync(path.join(dir, "Makefile"), makefile);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-sig-out-"));
    const stdoutFd = fs.openSync(path.join(out, "stdout"), "w");
    const stderrFd = fs.openSync(path.join(out, "stderr"), "w");
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" };
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: dir, detached: true, stdio: ["ignore", stdoutFd, stderrFd], env });
    fs.closeSync(stdoutFd);
    fs.closeSync(stderrFd);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    for (let i = 0; i < 500 && !fs.existsSync(path.join(dir, "started")); i++) await new Promise((r) => setTimeout(r, 20));
    process.kill(-child.pid!, "SIGINT");
    const signal = await ended;
    return {
      stderr: normalise(fs.readFileSync(path.join(out, "stderr"), "utf8")),
      signal,
      files: fs
        .readdirSync(dir)
        .filter((f) => f !== ".tmake")
        .sort(),
    };
  }

  it("grouped targets: the target, then the others (as GNU)", async () => {
    const makefile = "a b c &:\n\ttouch a b c; touch started; sleep 30\n";
    const gnu = await ctrlC(["make", "b"], makefile);
    const tm = await ctrlC([process.execPath, tmakeMain, "b"], makefile);
    expect(tm).toEqual(gnu);
    expect(tm.stderr).toBe(
      "make: *** Deleting file 'b'\nmake: *** [b] Deleting file 'c'\nmake: *** [b] Deleting file 'a'\nmake: *** [Makefile:2: b] Interrupt\n",
    );
    expect(tm.files).toEqual(["Makefile", "started"]);
    expect(tm.signal).toBe("SIGINT");
  });
});

describe("the job stage alone", () => {
  // Another file of the rule whose time make had looked at is compared with that time, as the
  // target is. GNU gets there when the grouped partners were found up to date before the
  // target was remade (`all: b c a`); tmake's walk does not run the recipe then (it takes the
  // partners' state for the target's), so the job stage gets the same knowledge directly.
  it("another target of the rule whose time make knew stays when the recipe left it alone", () => {
    const jobModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../dist/job/index.js");
    const runModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../dist/run-context.js");
    const driver = `
import { runJob } from ${JSON.stringify(jobModule)};
import { RunContext } from ${JSON.stringify(runModule)};
const spec = JSON.parse(process.argv[1]);
spec.run = new RunContext();
spec.recursiveLines = new Set();
spec.env = process.env;
spec.cwd = process.cwd();
const result = await runJob(spec);
process.exit(result.ok ? 0 : 2);
`;
    const makefile = "all: b c a\na b c &: dep\n\ttouch a c; kill -9 $$$$\n";
    const spec = {
      target: "a",
      loc: { file: "Makefile", line: 3 },
      commands: [{ text: "touch a c; kill -9 $$", loc: { file: "Makefile", line: 3 } }],
      shell: "/bin/sh",
      shellFlags: "-c",
      oneShell: false,
      silent: false,
      runSilent: false,
      ignoreErrors: false,
      dryRun: false,
      deleteOnError: false,
      keep: false,
      alsoMake: [
        { name: "c", keep: false, known: true },
        { name: "b", keep: false, known: true },
      ],
    };
    const run = (cmd: string, args: string[]) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-sig-"));
      fs.writeFileSync(path.join(dir, "Makefile"), makefile);
      for (const f of ["b", "c", "dep"]) fs.writeFileSync(path.join(dir, f), `${f}\n`);
      const when = (f: string, d: string) => fs.utimesSync(path.join(dir, f), new Date(d), new Date(d));
      when("dep", "1999-01-01");
      when("b", "2000-01-01");
      when("c", "2000-01-01");
      const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" } });
      return {
        stderr: normalise(r.stderr),
        status: r.status,
        files: fs
          .readdirSync(dir)
          .filter((f) => f !== ".tmake")
          .sort(),
      };
    };
    const gnu = run("make", []);
    const tmake = run(process.execPath, ["--input-type=module", "-e", driver, JSON.stringify(spec)]);
    expect(tmake).toEqual(gnu);
    expect(tmake.stderr).toBe("make: *** [Makefile:3: a] Killed\nmake: *** Deleting file 'a'\nmake: *** [a] Deleting file 'c'\n");
    expect(tmake.files).toEqual(["Makefile", "b", "dep"]);
  });
});
