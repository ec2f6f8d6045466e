// The job stage against GNU make: each case is one target's recipe. GNU make runs it from a
// Makefile; tmake's runJob gets the commands GNU would hand to its job stage (the same lines,
// unexpanded because the cases use no variables). Both must print the same, exit the same
// way and leave the same files.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normalise } from "./helpers/diff.js";

interface JobCase {
  commands: string[];
  target?: string;
  oneShell?: boolean;
  deleteOnError?: boolean;
  /** Prerequisites in the Makefile (so GNU runs a recipe for an existing target). */
  prereqs?: string;
  /** .PRECIOUS (keep). */
  precious?: boolean;
  shell?: string;
  shellFlags?: string;
  /** make's -n / -s / -i. */
  dryRun?: boolean;
  silent?: boolean;
  ignoreErrors?: boolean;
  setup?: string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const jobModule = path.join(repoRoot, "dist/job/index.js");
const runModule = path.join(repoRoot, "dist/run-context.js");

// Runs one JobSpec given as JSON and exits as make would: 0, or 2 after a failed recipe.
const driver = `
import { runJob } from ${JSON.stringify(jobModule)};
import { RunContext } from ${JSON.stringify(runModule)};
const spec = JSON.parse(process.argv[1]);
spec.run = new RunContext();
spec.recursiveLines = new Set(spec.recursiveLines);
spec.env = process.env;
spec.cwd = process.cwd();
const result = await runJob(spec);
process.exit(result.ok ? 0 : 2);
`;

/** The Makefile GNU make reads for a case, and the line each command starts on. */
function makefileFor(c: JobCase): { text: string; lines: number[] } {
  const head: string[] = [];
  if (c.oneShell) head.push(".ONESHELL:");
  if (c.deleteOnError) head.push(".DELETE_ON_ERROR:");
  if (c.precious) head.push(`.PRECIOUS: ${c.target ?? "t"}`);
  if (c.shell) head.push(`SHELL=${c.shell}`);
  if (c.shellFlags !== undefined) head.push(`.SHELLFLAGS=${c.shellFlags}`);
  head.push(`${c.target ?? "t"}:${c.prereqs ? ` ${c.prereqs}` : ""}`);
  const lines: number[] = [];
  let next = head.length + 1;
  const body = c.commands.map((cmd) => {
    lines.push(next);
    next += cmd.split("\n").length;
    // A continued line starts with the recipe tab, which make's reader removes again.
    return `\t${cmd.replace(/\$/g, "$$$$").replace(/\\\n/g, "\\\n\t")}`;
  });
  return { text: [...head, ...body, ""].join("\n"), lines };
}

function specFor(c: JobCase, lines: number[]): object {
  return {
    target: c.target ?? "t",
    loc: { file: "Makefile", line: lines[0] ?? 0 },
    commands: c.commands.map((text, i) => ({ text, loc: { file: "Makefile", line: lines[i] } })),
    shell: c.shell ?? "/bin/sh",
    shellFlags: c.shellFlags ?? "-c",
    oneShell: c.oneShell ?? false,
    silent: c.silent ?? false,
    runSilent: c.silent ?? false,
    ignoreErrors: c.ignoreErrors ?? false,
    dryRun: c.dryRun ?? false,
    recursiveLines: [],
    deleteOnError: c.deleteOnError ?? false,
    keep: c.precious ?? false,
  };
}

function freshDir(c: JobCase, makefile: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-job-"));
  fs.writeFileSync(path.join(dir, "Makefile"), makefile);
  for (const cmd of c.setup ?? []) spawnSync("/bin/sh", ["-c", cmd], { cwd: dir });
  return dir;
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    if (f !== "Makefile" && f !== ".tmake") out[f] = fs.readFileSync(path.join(dir, f), "utf8");
  }
  return out;
}

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), LC_ALL: "C" };

function gnuArgs(c: JobCase): string[] {
  return [...(c.dryRun ? ["-n"] : []), ...(c.silent ? ["-s"] : []), ...(c.ignoreErrors ? ["-i"] : [])];
}

function both(c: JobCase) {
  const { text, lines } = makefileFor(c);
  const run = (cmd: string, args: string[]) => {
    const dir = freshDir(c, text);
    const r = spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8", timeout: 30_000 });
    return { stdout: normalise(r.stdout), stderr: normalise(r.stderr), status: r.status, files: files(dir) };
  };
  const gnu = run("make", gnuArgs(c));
  const tmake = run(process.execPath, ["--input-type=module", "-e", driver, JSON.stringify(specFor(c, lines))]);
  return { gnu, tmake };
}

function expectSame(c: JobCase): ReturnType<typeof both>["gnu"] {
  const { gnu, tmake } = both(c);
  expect(tmake).toEqual(gnu);
  return gnu;
}

describe("echo and prefixes", () => {
  it("echoes each command before it runs, except @ lines", () => {
    const r = expectSame({ commands: ["echo a", "@echo b", "echo c > t"] });
    expect(r.stdout).toBe("echo a\na\nb\necho c > t\n");
  });

  it("accepts @ - + in any order with blanks between them", () => {
    const r = expectSame({ commands: ["  @ - exit 3", "-@+ exit 4", "+ @echo x", "@  -  echo padded >t"] });
    expect(r.stderr).toContain("[Makefile:2: t] Error 3 (ignored)");
  });

  it("skips commands that are empty after their prefixes", () => {
    expectSame({ commands: ["@", "  ", "-", "echo x", " :"] });
  });

  it("keeps backslash-newlines for the shell and echoes them", () => {
    const r = expectSame({ commands: ["echo a \\\n\tb", "echo 'p\\\nq'", '@echo "x\\\ny"'] });
    expect(r.stdout).toContain("echo a \\\n");
  });

  it("-s and @ silence the echo", () => {
    expectSame({ commands: ["echo a", "@echo b"], silent: true });
  });
});

describe("-n", () => {
  it("prints every command, @ ones too, and runs only + lines", () => {
    const r = expectSame({ commands: ["@echo a", "echo b > t", "+echo c", "+@echo d"], dryRun: true });
    expect(r.files).toEqual({});
    expect(r.stdout).toBe("echo a\necho b > t\necho c\nc\necho d\nd\n");
  });

  it("prints even under -s", () => {
    expectSame({ commands: ["@echo a", "echo b"], dryRun: true, silent: true });
  });
});

describe("failures", () => {
  it("stops at the first failing command and names its line", () => {
    const r = expectSame({ commands: ["echo a", "false", "echo never"] });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("make: *** [Makefile:3: t] Error 1\n");
  });

  it("reports the exit status", () => {
    expectSame({ commands: ["exit 42"] });
  });

  it("reports ignored errors and goes on (- and -i)", () => {
    expectSame({ commands: ["-exit 3", "echo after"] });
    expectSame({ commands: ["exit 3", "echo after", "false"], ignoreErrors: true });
  });

  it("names the signal that killed a command", () => {
    expectSame({ commands: ["kill -9 $$"] });
    expectSame({ commands: ["kill -TERM $$"] });
    expectSame({ commands: ["kill -SEGV $$"] });
    expectSame({ commands: ["kill -USR1 $$"] });
    expectSame({ commands: ["-kill -HUP $$", "echo on"] });
  });

  it("numbers lines as GNU does: first recipe line + index of the recipe line", () => {
    // GNU counts recipe lines, not physical lines: after a continued line its numbers lag.
    const r = expectSame({ commands: ["echo a \\\nb", "true", "exit 5"] });
    expect(r.stderr).toBe("make: *** [Makefile:4: t] Error 5\n");
  });
});

describe("commands without a shell", () => {
  it("reports a missing program as GNU does (no shell involved)", () => {
    const r = expectSame({ commands: ["nosuchprogram-tmake a b"] });
    expect(r.stderr).toContain("nosuchprogram-tmake: No such file or directory");
  });

  it("reports a missing program through the shell when the line needs one", () => {
    expectSame({ commands: ["nosuchprogram-tmake a b;"] });
  });

  it("reports a file that cannot be executed", () => {
    expectSame({ commands: ["./Makefile"] });
  });

  it("runs /bin/echo, not the shell's builtin, for a simple line; quotes still group words", () => {
    expectSame({ commands: ["echo -e x", "echo -e 'a  b' c\\ d"] });
  });

  it("starts the program itself when shell syntax is only inside single quotes (as GNU)", () => {
    const r = expectSame({ commands: ["echo -e 'a  $HOME;b|c'", "printf '%s|' 'x y' \\$HOME ''", "sh -c 'exit 3'"] });
    // /bin/echo, not dash's builtin (which would print the -e).
    expect(r.stdout).toContain("\na  $HOME;b|c\n");
    expect(r.stderr).toBe("make: *** [Makefile:4: t] Error 3\n");
  });

  it("uses the shell for builtins and assignments", () => {
    expectSame({ commands: ["cd /", "X=1 printenv X", "exit 0"] });
  });

  it("uses the shell when SHELL is not /bin/sh", () => {
    expectSame({ shell: "/bin/bash", commands: ["nosuchprogram-tmake"] });
    expectSame({ shell: "/bin/sh -x", commands: ["echo hi", "echo a; echo b"] });
  });

  it("honours .SHELLFLAGS", () => {
    expectSame({ shellFlags: "-ec", commands: ["false; echo not reached"] });
    expectSame({ shellFlags: "-e -c", commands: ["echo $-"] });
    expectSame({ shellFlags: "", commands: ["echo hi"] });
  });
});

describe(".ONESHELL", () => {
  it("runs the recipe as one script; later lines lose their prefixes", () => {
    expectSame({ oneShell: true, commands: ["@echo a", "@-echo b", "  -echo c; false", "echo d"] });
  });

  it("takes the first line's prefixes for the whole recipe", () => {
    expectSame({ oneShell: true, commands: ["echo 1", "@false", "echo 2"] });
    expectSame({ oneShell: true, commands: ["-@echo x", "exit 3"] });
  });

  it("keeps continued lines as they are", () => {
    expectSame({ oneShell: true, commands: ["echo a \\\n  @b \\\n-c", "  @echo d"] });
  });

  it("reports a failure at the first line", () => {
    expectSame({ oneShell: true, commands: ["echo 1", "exit 3", "echo 2"] });
  });

  it("prints the script under -n", () => {
    expectSame({ oneShell: true, dryRun: true, commands: ["@echo a", "  @echo b"] });
  });

  it("keeps the prefixes of later lines for a shell that is not POSIX", () => {
    expectSame({ oneShell: true, shell: "/usr/bin/python3", shellFlags: "-c", commands: ["@print(1)", "@print(2)"] });
  });
});

describe(".DELETE_ON_ERROR", () => {
  it("deletes a target the failed recipe wrote", () => {
    const r = expectSame({ deleteOnError: true, commands: ["echo x > t; exit 1"] });
    expect(r.stderr).toContain("Deleting file 't'");
    expect(r.files).toEqual({});
  });

  it("deletes a target written with an old time", () => {
    expectSame({ deleteOnError: true, commands: ["touch -d 2000-01-01 t; exit 1"] });
  });

  it("deletes after a signal", () => {
    expectSame({ deleteOnError: true, commands: ["echo x > t; kill -9 $$"] });
  });

  it("keeps a target the recipe did not touch", () => {
    const r = expectSame({ deleteOnError: true, setup: ["echo old > t", "touch -d 2000-01-01 t", "touch dep"], prereqs: "dep", commands: ["exit 1"] });
    expect(r.files).toEqual({ dep: "", t: "old\n" });
  });

  it("keeps the target when the error was ignored", () => {
    expectSame({ deleteOnError: true, commands: ["-echo x > t; exit 1"] });
  });
});

describe("interrupts", () => {
  interface Outcome {
    stdout: string;
    stderr: string;
    signal: NodeJS.Signals | null;
    files: Record<string, string>;
  }

  /** Starts the recipe in its own process group, waits until it has written the target, sends
   * `signal` (to the whole group, as a terminal's Ctrl-C does, or to make alone), and waits for
   * the end. Output goes to files: a pipe would stay open as long as any orphan holds it. */
  async function interrupt(cmd: string, args: string[], c: JobCase, signal: NodeJS.Signals, group: boolean): Promise<Outcome> {
    const { text } = makefileFor(c);
    const dir = freshDir(c, text);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-job-out-"));
    const stdoutFd = fs.openSync(path.join(out, "stdout"), "w");
    const stderrFd = fs.openSync(path.join(out, "stderr"), "w");
    const child = spawn(cmd, args, { cwd: dir, env, detached: true, stdio: ["ignore", stdoutFd, stderrFd] });
    fs.closeSync(stdoutFd);
    fs.closeSync(stderrFd);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    while (!fs.existsSync(path.join(dir, "started"))) await new Promise((r) => setTimeout(r, 20));
    // `started` appears while `touch` still runs: let the recipe reach its `sleep` (a signal
    // between two commands makes GNU make itself say "wait: No child processes" under load).
    await new Promise((r) => setTimeout(r, 500));
    process.kill(group ? -child.pid! : child.pid!, signal);
    const sig = await ended;
    const read = (f: string) => normalise(fs.readFileSync(path.join(out, f), "utf8"));
    return { stdout: read("stdout"), stderr: read("stderr"), signal: sig, files: files(dir) };
  }

  const tmakeArgs = (c: JobCase) => {
    const { lines } = makefileFor(c);
    return ["--input-type=module", "-e", driver, JSON.stringify(specFor(c, lines))];
  };

  const writesAndWaits: JobCase = { commands: ["echo part > t; touch started; sleep 30; echo done >> t"] };

  it("Ctrl-C: deletes the half-written target, reports, dies of SIGINT (as GNU)", async () => {
    const gnu = await interrupt("make", [], writesAndWaits, "SIGINT", true);
    const tm = await interrupt(process.execPath, tmakeArgs(writesAndWaits), writesAndWaits, "SIGINT", true);
    expect(tm).toEqual(gnu);
    expect(tm.signal).toBe("SIGINT");
    expect(tm.stderr).toBe("make: *** Deleting file 't'\nmake: *** [Makefile:2: t] Interrupt\n");
    expect(tm.files).toEqual({ started: "" });
  });

  it("SIGTERM to tmake alone: kills the recipe, deletes the target, dies of SIGTERM (as GNU)", async () => {
    const gnu = await interrupt("make", [], writesAndWaits, "SIGTERM", false);
    const tm = await interrupt(process.execPath, tmakeArgs(writesAndWaits), writesAndWaits, "SIGTERM", false);
    expect(tm).toEqual(gnu);
    expect(tm.signal).toBe("SIGTERM");
  });

  it("SIGINT to tmake alone: no process of the recipe survives to write the deleted target", async () => {
    // The inner shell is a grandchild of tmake: GNU would leave it running, and it would write
    // to the target after the target was deleted.
    const c: JobCase = {
      commands: ["echo part > t; sh -c 'echo $$ > writer; touch started; sleep 30; echo done >> t'"],
    };
    const tm = await interrupt(process.execPath, tmakeArgs(c), c, "SIGINT", false);
    expect(tm.signal).toBe("SIGINT");
    expect(tm.stderr).toContain("make: *** Deleting file 't'\n");
    expect(tm.files.t).toBeUndefined();
    const writer = Number(tm.files.writer);
    expect(writer).toBeGreaterThan(0);
    // A killed process may linger a moment as a zombie before its new parent reaps it.
    let alive = true;
    for (let i = 0; i < 200 && alive; i++) {
      try {
        process.kill(writer, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });

  // GNU 4.3 itself sometimes answers these two with "wait: No child processes" when the
  // machine is busy, so they are checked against the output it gives otherwise.
  it("keeps a precious target", async () => {
    const c: JobCase = { ...writesAndWaits, precious: true };
    const tm = await interrupt(process.execPath, tmakeArgs(c), c, "SIGINT", true);
    expect(tm).toEqual({
      stdout: "echo part > t; touch started; sleep 30; echo done >> t\n",
      stderr: "make: *** [Makefile:3: t] Interrupt\n",
      signal: "SIGINT",
      files: { started: "", t: "part\n" },
    });
  });

  it("keeps a target the interrupted recipe had not modified", async () => {
    const c: JobCase = { setup: ["echo old > t", "touch -d 2000-01-01 t", "touch dep"], prereqs: "dep", commands: ["touch started; sleep 30"] };
    const tm = await interrupt(process.execPath, tmakeArgs(c), c, "SIGINT", true);
    expect(tm).toEqual({
      stdout: "touch started; sleep 30\n",
      stderr: "make: *** [Makefile:2: t] Interrupt\n",
      signal: "SIGINT",
      files: { dep: "", started: "", t: "old\n" },
    });
  });
});
