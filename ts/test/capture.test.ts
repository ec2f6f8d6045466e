// The recipe output the journal keeps (ts/src/job/capture.ts, pipes.ts, forwarder.ts), through
// the real command: under -j a failing target's output, both streams, its last 64 KB each, in
// --log and --explain; the terminal showing what it shows without recording (and what GNU make
// shows) for parallel jobs that answer each other through files; a process left in the
// background by a recipe, which neither delays tmake's exit nor loses its later output; what a
// recipe sees on its standard output.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalise, tmakeMain } from "./helpers/diff.js";

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function tmake(dir: string, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [tmakeMain, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const quote = (w: string): string => `'${w.replace(/'/g, "'\\''")}'`;

/** `cmd` with its standard output and error as one pipe (one stream, in the order written). */
function merged(dir: string, cmd: string[]): { out: string; status: number | null } {
  const r = spawnSync("sh", ["-c", `${cmd.map(quote).join(" ")} 2>&1`], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return { out: r.stdout, status: r.status };
}

interface Logged {
  target: string;
  ok: boolean;
  stdout: string;
  stderr: string;
  merged: boolean;
  dropped: [number, number];
}

/** A shell loop printing `n` numbered lines of 50 bytes to the standard output, and as many to
 * the standard error. */
function chatter(n: number): string {
  return `i=0; while [ $$i -lt ${n} ]; do printf 'out %05d ........................................\\n' $$i; printf 'err %05d ........................................\\n' $$i >&2; i=$$((i+1)); done`;
}

describe("the output of a failed target under -j", () => {
  for (const backend of ["native", "js"]) {
    it(`is kept, both streams, their last 64 KB each (${backend} backend)`, () => {
      const dir = tmp("tmake-capture-");
      // 2,000 lines of 50 bytes a stream: 100 KB each, more than the 64 KB kept.
      fs.writeFileSync(path.join(dir, "Makefile"), `all: big small\nbig: ; @${chatter(2000)}; exit 4\nsmall: ; @echo fine\n`);
      const env: Record<string, string> = backend === "js" ? { TMAKE_NATIVE: "0" } : {};
      const r = tmake(dir, ["-j2", "-k"], env);
      expect(r.status).toBe(2);
      // The terminal got every line (its streams kept apart: they are two pipes here).
      const outs = r.stdout.split("\n").filter((l) => l.startsWith("out "));
      expect(outs).toHaveLength(2000);
      expect(outs[1999]).toBe("out 01999 ........................................");
      expect(r.stderr.split("\n").filter((l) => l.startsWith("err "))).toHaveLength(2000);
      expect(r.stderr).toContain("tmake: *** [Makefile:2: big] Error 4\n");

      const log = JSON.parse(tmake(dir, ["--log", "--json", "big"], env).stdout) as Logged[];
      expect(log).toHaveLength(1);
      const big = log[0]!;
      expect(big).toMatchObject({ target: "big", ok: false, merged: false });
      for (const [text, name] of [
        [big.stdout, "out"],
        [big.stderr, "err"],
      ] as const) {
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
        expect(Buffer.byteLength(text)).toBeGreaterThan(60 * 1024);
        expect(text).toContain(`${name} 01999 ........................................\n`);
      }
      // The standard error ends with tmake's failure line, kept as the terminal showed it.
      expect(big.stderr.endsWith("tmake: *** [Makefile:2: big] Error 4\n")).toBe(true);
      expect(big.dropped[0]).toBeGreaterThan(30_000);
      expect(big.dropped[1]).toBeGreaterThan(30_000);
      const plain = tmake(dir, ["--log", "big"], env).stdout;
      expect(plain).toMatch(/^\[\.\.\. \d+ bytes before this were not kept\]\n/);
      expect(plain).toContain("out 01999 ........................................\n");

      const explain = tmake(dir, ["--explain", "big"], env).stdout;
      expect(explain).toContain("failed: exit status 4 at Makefile:2:");
      expect(explain).toContain("  output (last lines):\n");
      expect(explain).toContain("    err 01999 ........................................\n");
      expect(explain).toContain("    tmake: *** [Makefile:2: big] Error 4\n");
      // A success under -j is kept too (its end).
      const small = JSON.parse(tmake(dir, ["--log", "--json", "small"], env).stdout) as Logged[];
      expect(small[0]).toMatchObject({ ok: true, stdout: "fine\n" });
    }, 60_000);
  }
});

/** Jobs that answer each other through files (GNU's features/parallelism does the same with its
 * helper): each waits for a file another makes, then prints, on both streams; one fails, so
 * tmake's own failure line has its place among them. */
const PINGPONG = [
  "wait = while [ ! -f $(1) ]; do sleep 0.01; done",
  "all: a b c d",
  "a: ; @echo 'a: one'; touch ONE; $(call wait,THREE); echo 'a: saw three'; echo 'a: two' >&2; touch TWO",
  "b: ; @$(call wait,FOUR); echo 'b: saw four' >&2; echo 'b: three'; touch THREE",
  "c: ; @$(call wait,ONE); echo 'c: saw one'; echo 'c: four' >&2; touch FOUR",
  "d: ; @$(call wait,TWO); echo 'd: saw two'; echo 'd: fails' >&2; exit 3",
  "",
].join("\n");

describe("the terminal under -j with the output recorded", () => {
  it("shows what it shows without recording, and what GNU make shows, in the same order", () => {
    const dir = tmp("tmake-capture-order-");
    fs.writeFileSync(path.join(dir, "Makefile"), PINGPONG);
    const clean = (): void => {
      for (const f of ["ONE", "TWO", "THREE", "FOUR"]) fs.rmSync(path.join(dir, f), { force: true });
    };
    const gnu = merged(dir, ["make", "-k", "-j4"]);
    clean();
    expect(gnu.status).toBe(2);
    const expected = normalise(gnu.out);
    expect(expected).toBe(
      "a: one\nc: saw one\nc: four\nb: saw four\nb: three\na: saw three\na: two\nd: saw two\nd: fails\nmake: *** [Makefile:6: d] Error 3\nmake: Target 'all' not remade because of errors.\n",
    );
    for (let i = 0; i < 4; i++) {
      for (const args of [
        ["-k", "-j4"],
        ["-k", "-j4", "--no-record-output"],
      ]) {
        const r = merged(dir, [process.execPath, tmakeMain, ...args]);
        clean();
        expect(r.status).toBe(2);
        expect(normalise(r.out), args.join(" ")).toBe(expected);
      }
    }
    // And the journal kept each job's part.
    merged(dir, [process.execPath, tmakeMain, "-k", "-j4"]);
    const log = JSON.parse(tmake(dir, ["--log", "--json", "c", "d"]).stdout) as Logged[];
    expect(log.map((l) => l.stdout)).toEqual(["c: saw one\nc: four\n", "d: saw two\nd: fails\ntmake: *** [Makefile:6: d] Error 3\n"]);
  }, 120_000);

  it("puts each job's last line before tmake's message about its end", () => {
    const dir = tmp("tmake-capture-end-");
    const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
    // Every job prints a few lines on both streams and fails; under -k each failure line must
    // follow its job's last line.
    fs.writeFileSync(path.join(dir, "Makefile"), `all: ${names.join(" ")}\nt%: ; @for i in 1 2 3; do echo "$@ out $$i"; echo "$@ err $$i" >&2; done; exit 1\n`);
    for (const jobs of ["-j3", "-j12"]) {
      const r = merged(dir, [process.execPath, tmakeMain, "-k", jobs]);
      expect(r.status).toBe(2);
      const lines = r.out.split("\n");
      for (const t of names) {
        const last = lines.indexOf(`${t} err 3`);
        const fail = lines.indexOf(`tmake: *** [Makefile:2: ${t}] Error 1`);
        expect(last, `${t} in ${jobs}`).toBeGreaterThanOrEqual(0);
        expect(fail, `${t} in ${jobs}`).toBeGreaterThan(last);
        // A job's own lines keep their order (one pipe for both streams).
        const own = lines.filter((l) => l.startsWith(`${t} `));
        expect(own).toEqual([1, 2, 3].flatMap((i) => [`${t} out ${i}`, `${t} err ${i}`]));
      }
    }
  }, 60_000);
});

describe("a process a recipe leaves in the background", () => {
  for (const jobs of [[], ["-j2"]]) {
    it(`neither delays tmake's exit nor loses what it writes later (${jobs.join(" ") || "serially"})`, async () => {
      const dir = tmp("tmake-capture-bg-");
      fs.writeFileSync(path.join(dir, "Makefile"), "all: a b\na: ; @(sleep 3; echo late) & echo now\nb: ; @sleep 5 &\n");
      const t0 = Date.now();
      const child = spawn(process.execPath, [tmakeMain, ...jobs], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      const exited = new Promise<{ code: number | null; ms: number }>((resolve) => child.on("exit", (code) => resolve({ code, ms: Date.now() - t0 })));
      const closed = new Promise<void>((resolve) => child.stdout.on("close", () => resolve()));
      const { code, ms } = await exited;
      expect(code).toBe(0);
      // tmake does not wait for the background processes (3 s and 5 s).
      expect(ms).toBeLessThan(2500);
      expect(out).toBe("now\n");
      // What the process writes after tmake exited still reaches tmake's output, as it would
      // have reached the terminal under GNU make (which leaves it its own standard output).
      await closed;
      expect(out).toBe("now\nlate\n");
    }, 30_000);
  }
});

describe("what a recipe sees on its standard output", () => {
  const linux = fs.existsSync("/proc/self/fd/1");
  it.skipIf(!linux)("a pipe while its output is recorded, tmake's own with --no-record-output, a file under -O", () => {
    // (Skipped where there is no /proc to ask.)
    const dir = tmp("tmake-capture-fd-");
    fs.writeFileSync(
      path.join(dir, "Makefile"),
      "all: x y\nx y: ; @test -t 1 || echo not-a-tty; if test -p /dev/stdout; then echo pipe; elif test -f /dev/stdout; then echo file; fi; readlink /proc/$$$$/fd/1\n",
    );
    const seen = (args: string[]): string[] => {
      const r = spawnSync("sh", ["-c", `${[process.execPath, tmakeMain, ...args].map(quote).join(" ")} > out.txt`], { cwd: dir, encoding: "utf8" });
      expect(r.status).toBe(0);
      return fs.readFileSync(path.join(dir, "out.txt"), "utf8").trimEnd().split("\n");
    };
    const own = path.join(fs.realpathSync(dir), "out.txt");
    for (const args of [[], ["-j2"]]) {
      const lines = seen(args);
      expect(
        lines.filter((l) => l === "not-a-tty"),
        args.join(" "),
      ).toHaveLength(2);
      expect(
        lines.filter((l) => l === "pipe"),
        args.join(" "),
      ).toHaveLength(2);
    }
    const straight = seen(["-j2", "--no-record-output"]);
    expect(straight.filter((l) => l === "file")).toHaveLength(2);
    expect(straight.filter((l) => l === own)).toHaveLength(2);
    const held = seen(["-j2", "-Otarget"]);
    expect(held.filter((l) => l === "file")).toHaveLength(2);
    expect(held.filter((l) => /\/tmake-out-/.test(l))).toHaveLength(2);
  });

  it.skipIf(!fs.existsSync("/dev/stdout"))("may reopen it by name (/dev/stdout), as it may a pipe", () => {
    // (Skipped where there is no /dev/stdout.) Both makes write to a pipe here (Node's own
    // standard output for a child is a socket, which cannot be reopened by name).
    const dir = tmp("tmake-capture-devout-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @echo first; echo second > /dev/stdout; echo third\n");
    const piped = (cmd: string[]): string => spawnSync("sh", ["-c", `${cmd.map(quote).join(" ")} | cat`], { cwd: dir, encoding: "utf8" }).stdout;
    const gnu = piped(["make"]);
    expect(gnu).toBe("first\nsecond\nthird\n");
    for (const args of [[], ["-j2"]]) {
      expect(piped([process.execPath, tmakeMain, ...args])).toBe(gnu);
      const log = JSON.parse(tmake(dir, ["--log", "--json", "all"]).stdout) as Logged[];
      expect(log[0]!.stdout).toBe(gnu);
      fs.rmSync(path.join(dir, ".tmake"), { recursive: true });
    }
  });
});
