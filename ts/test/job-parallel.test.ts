// -j against GNU make: the same makefile run by both, compared on what a user sees. Recipes
// force an order with files (one waits for a file another writes, as GNU's own parallelism
// tests do), so what is compared is an order only parallel runs can produce: run one at a
// time, the waiting recipe would wait forever (each wait gives up after a few seconds and
// prints "timeout").
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalise, outcome, runBoth, tmakeMain, type Scenario } from "./helpers/diff.js";

/** A shell loop that waits (up to ~5 s) for file $1, then goes on; prints "timeout" if not. */
const waitFor = (file: string): string => `n=0; while [ ! -e ${file} ] && [ $$n -lt 250 ]; do sleep 0.02; n=$$((n+1)); done; [ -e ${file} ] || echo timeout`;

function expectSame(s: Scenario): ReturnType<typeof runBoth> {
  const both = runBoth(s);
  // Each ran in a directory of its own: its name in "Entering directory" is not compared.
  for (const r of [both.gnu, both.tmake]) r.stdout = r.stdout.split(r.dir).join("<dir>");
  expect(outcome(both.tmake)).toEqual(outcome(both.gnu));
  return both;
}

describe("-j runs recipes at once, in GNU's order", () => {
  it("starts the prerequisites together and the target after all of them", () => {
    const { tmake } = expectSame({
      makefile:
        ["all: a b c ; @echo all", `a: ; @${waitFor("B")}; echo a; touch A`, `b: ; @${waitFor("C")}; echo b; touch B`, "c: ; @echo c; touch C"].join("\n") +
        "\n",
      args: ["-j3"],
    });
    expect(tmake.stdout).toBe("c\nb\na\nall\n");
  });

  it("takes -j from the makefile's MAKEFLAGS, and the command line's over it", () => {
    const makefile = ["MAKEFLAGS += -j1", "all: a b", `a: ; @${waitFor("B")}; echo a`, "b: ; @echo b; touch B"].join("\n") + "\n";
    const { tmake } = expectSame({ makefile, args: ["-j2"] });
    expect(tmake.stdout).toBe("b\na\n");
    expectSame({ makefile: makefile.replace("-j1", "-j2") });
  });

  it("makes a file that several targets need once, without a circular dependency", () => {
    const { tmake } = expectSame({
      makefile: ["all: x y z", "x y z: shared ; @echo $@ after $$(cat shared) > $@", "shared: ; @sleep 0.3; echo made > $@; echo shared"].join("\n") + "\n",
      args: ["-j4"],
    });
    expect(tmake.stdout).toBe("shared\n");
    expect(tmake.files.z).toBe("z after made\n");
    expect(tmake.stderr).toBe("");
  });

  it("runs one recipe at a time under .NOTPARALLEL", () => {
    const { tmake } = expectSame({
      makefile: [".NOTPARALLEL:", "all: a b", "a: ; @sleep 0.2; echo a; touch A", `b: ; @[ -e A ] && echo b after a`].join("\n") + "\n",
      args: ["-j2"],
    });
    expect(tmake.stdout).toBe("a\nb after a\n");
  });

  it("gives standard input to one command at a time; the others read an empty input", () => {
    const { tmake } = expectSame({
      makefile: ["all: a b", "a: ; @sleep 0.5; cat; echo a", "b: ; @cat; echo b"].join("\n") + "\n",
      args: ["-j2"],
      stdin: "input\n",
    });
    expect(tmake.stdout).toBe("b\ninput\na\n");
  });

  it("starts no second job while the load is at or above -l", () => {
    // -l0: the load is never below 0, so one job at a time.
    const { tmake } = expectSame({
      makefile: ["all: a b", "a: ; @sleep 0.2; echo a; touch A", "b: ; @[ -e A ] && echo b after a"].join("\n") + "\n",
      args: ["-j2", "-l0"],
    });
    expect(tmake.stdout).toBe("a\nb after a\n");
  });
});

describe("-j failures", () => {
  const makefile =
    [
      "all: bad slow1 slow2",
      // Fails once the other two have started; they finish (both lines) before make exits.
      `bad: ; @${waitFor("s1")}; ${waitFor("s2")}; echo bad; exit 3`,
      "slow1: ; @touch s1; sleep 1; echo slow1\n\t@echo slow1 again",
      "slow2: ; @touch s2; sleep 0.5; echo slow2",
    ].join("\n") + "\n";

  it("without -k: says it waits for the unfinished jobs, lets them end, exits 2", () => {
    const { tmake } = expectSame({ makefile, args: ["-j3"] });
    expect(tmake.status).toBe(2);
    expect(tmake.stderr).toBe("make: *** [Makefile:2: bad] Error 3\nmake: *** Waiting for unfinished jobs....\n");
    expect(tmake.stdout).toBe("bad\nslow2\nslow1\nslow1 again\n");
  });

  it("a fatal error while the makefiles are remade is said before the wait for the running recipes", () => {
    const { tmake } = expectSame({
      // The makefiles are tried last included first: a.mk's recipe is running when b.mk fails.
      makefile: ["include b.mk", "-include a.mk", "a.mk: ; @sleep 0.3; echo made a; touch a.mk", "all: ; @echo all"].join("\n") + "\n",
      args: ["-j2"],
    });
    expect(tmake.status).toBe(2);
    expect(tmake.stderr).toBe(
      "Makefile:1: b.mk: No such file or directory\nmake: *** No rule to make target 'b.mk'.  Stop.\nmake: *** Waiting for unfinished jobs....\n",
    );
    expect(tmake.stdout).toBe("made a\n");
  });

  it("with -k: goes on with what does not depend on the failure", () => {
    const { tmake } = expectSame({
      makefile:
        ["all: top other", "top: bad ok ; @echo top", "bad: ; @sleep 0.2; exit 1", "ok: ; @echo ok", "other: ; @sleep 0.6; echo other"].join("\n") + "\n",
      args: ["-j4", "-k"],
    });
    expect(tmake.status).toBe(2);
    expect(tmake.stdout).toBe("ok\nother\n");
    expect(tmake.stderr).toBe("make: *** [Makefile:3: bad] Error 1\nmake: Target 'all' not remade because of errors.\n");
  });
});

describe("-O / --output-sync", () => {
  // Two jobs whose lines would interleave: a starts, b runs whole, a ends. a lingers after b's
  // last command, so that b's end is seen first even by a make slow to reap its children (both
  // ending at once, the order of their pieces is up to the order the kernel reports them).
  const makefile =
    ["all: a b", `a: ; @echo a start; touch A; ${waitFor("B")}; sleep 0.3; echo a end`, `b: ; @${waitFor("A")}; echo b start; echo b end; touch B`].join("\n") +
    "\n";

  it("without it, lines of parallel jobs interleave", () => {
    const { tmake } = expectSame({ makefile, args: ["-j2"] });
    expect(tmake.stdout).toBe("a start\nb start\nb end\na end\n");
  });

  it("-O (target): each job's output in one piece", () => {
    const { tmake } = expectSame({ makefile, args: ["-j2", "-O"] });
    expect(tmake.stdout).toBe("b start\nb end\na start\na end\n");
  });

  it("--output-sync=line: each command's output in one piece, with the echo of the command", () => {
    const { tmake } = expectSame({
      makefile: ["all: a b", `a:\n\techo a1\n\t${waitFor("B")}; sleep 0.3; echo a2`, "b: ; @sleep 0.6; echo b; touch B"].join("\n") + "\n",
      args: ["-j2", "--output-sync=line"],
    });
    expect(tmake.stdout).toContain("echo a1\na1\n");
  });

  it("a sub-make announces its directory around each piece", () => {
    const { tmake } = expectSame({
      files: { "sub/Makefile": makefile },
      makefile: "all: ; @$(MAKE) -C sub\n",
      args: ["-j2", "-Otarget"],
    });
    expect(tmake.stdout.match(/Entering directory/g)).toHaveLength(2);
  });
});

describe("the jobserver", () => {
  it("a recursive make shares the parent's job slots (tmake and GNU parents and children alike)", () => {
    // The sub-make can run its two jobs at once only with a token from the parent: -j3 is the
    // parent's free slot, a token for `sub`... and one more for the sub-make's second job.
    const files = {
      "sub/Makefile": ["all: a b", `a: ; @${waitFor("B")}; echo a`, "b: ; @echo b; touch B"].join("\n") + "\n",
    };
    // `+`: the line is recursive whatever make it starts ($(SUB)).
    const makefile = 'SUB = $(MAKE)\nall: ; +@echo "$(findstring --jobserver-auth=,$(MAKEFLAGS))"; $(SUB) --no-print-directory -C sub\n';
    const { tmake } = expectSame({ files, makefile, args: ["-j3"] });
    expect(tmake.stdout).toBe("--jobserver-auth=\nb\na\n");
    // tmake under GNU make, and GNU make under tmake.
    const gnuParent = runBoth({ files, makefile, args: ["-j3", `SUB=${process.execPath} ${tmakeMain}`] }).gnu;
    expect(gnuParent.stdout).toBe("--jobserver-auth=\nb\na\n");
    expect(gnuParent.stderr).toBe("");
    const tmakeParent = runBoth({ files, makefile, args: ["-j3", "SUB=make"] }).tmake;
    expect(tmakeParent.stdout).toBe("--jobserver-auth=\nb\na\n");
    expect(tmakeParent.stderr).toBe("");
  });

  it("a sub-make the parent did not see as recursive runs one job at a time, with GNU's warning", () => {
    const { tmake } = expectSame({
      files: { "sub/Makefile": "all: ; @echo sub\n" },
      makefile: `all: ; @${process.execPath} ${tmakeMain} --no-print-directory -C sub`.replace(`${process.execPath} ${tmakeMain}`, "$(SUBMAKE)") + "\n",
      args: ["-j2", "SUBMAKE=make"],
    });
    expect(tmake.stderr).toBe("make[1]: warning: jobserver unavailable: using -j1.  Add '+' to parent make rule.\n");
  });

  it("-jN on a sub-make's command line starts a group of its own", () => {
    const { tmake } = expectSame({
      makefile: "all: ; @$(MAKE) --no-print-directory -j3 sub\nsub: ; @echo $(filter -j%,$(MAKEFLAGS))\n",
      args: ["-j2"],
    });
    expect(tmake.stderr).toBe("make[1]: warning: -j3 forced in submake: resetting jobserver mode.\n");
    expect(tmake.stdout).toBe("-j3\n");
  });
});

describe("interrupts under -j", () => {
  /** Runs `cmd` in `dir` with output to files, waits until both recipes have started, sends
   * SIGINT to the whole process group (a terminal's Ctrl-C) and waits for the end. */
  async function interrupt(cmd: string[], dir: string): Promise<{ stderr: string; signal: NodeJS.Signals | null; files: string[] }> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-par-out-"));
    const stdoutFd = fs.openSync(path.join(out, "stdout"), "w");
    const stderrFd = fs.openSync(path.join(out, "stderr"), "w");
    const child = spawn(cmd[0]!, cmd.slice(1), {
      cwd: dir,
      detached: true,
      stdio: ["ignore", stdoutFd, stderrFd],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
    });
    fs.closeSync(stdoutFd);
    fs.closeSync(stderrFd);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    for (let i = 0; i < 500 && !(fs.existsSync(path.join(dir, "started-x")) && fs.existsSync(path.join(dir, "started-y"))); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // Both shells reach their `sleep` (a signal between two commands ends a recipe otherwise,
    // which depends on the machine's load, for GNU make as for tmake).
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-child.pid!, "SIGINT");
    const signal = await ended;
    const stderr = normalise(fs.readFileSync(path.join(out, "stderr"), "utf8"));
    return {
      stderr,
      signal,
      files: fs
        .readdirSync(dir)
        .filter((f) => f !== ".tmake")
        .sort(),
    };
  }

  function fresh(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-par-int-"));
    fs.writeFileSync(path.join(dir, "Makefile"), "all: x y\nx y: ; @echo part > $@; touch started-$@; sleep 30; echo done >> $@\n");
    return dir;
  }

  it("Ctrl-C with two jobs running deletes both half-made targets and dies of SIGINT (as GNU)", async () => {
    let gnu = await interrupt(["make", "-j2"], fresh());
    // GNU make races with itself under load (its wait for a job it had reaped already: "wait:
    // No child processes.  Stop."): such a run is no reference, and GNU is run again.
    for (let i = 0; i < 3 && gnu.stderr.includes("No child processes"); i++) gnu = await interrupt(["make", "-j2"], fresh());
    const tm = await interrupt([process.execPath, tmakeMain, "-j2"], fresh());
    expect(tm.signal).toBe("SIGINT");
    expect(tm.files).toEqual(gnu.files);
    expect(tm.files).toEqual(["Makefile", "started-x", "started-y"]);
    const lines = (s: string) => s.split("\n").filter(Boolean).sort();
    expect(lines(tm.stderr)).toEqual(lines(gnu.stderr));
  });
});
