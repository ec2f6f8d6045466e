// The build journal through the real command: what a run records, that a kill -9 at any
// instant loses no record that was complete, that a target left incomplete is remade with a
// message, the build lock (two runs, a dead holder, a recursive make in the same tree).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tmakeMain } from "./helpers/diff.js";

interface Rec {
  k: string;
  t?: string;
  run?: number;
  ok?: boolean;
  [key: string]: unknown;
}

/** FNV-1a 32 as the journal writes it (the test's own reading of the documented format). */
function fnv32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The records of one journal file: whole lines whose checksum holds; `bad` counts the others
 * (`lastBad`: only the last line was not whole). */
function decode(file: string): { records: Rec[]; bad: number; badBeforeEnd: number } {
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n");
  const tail = lines.pop()!; // after the last newline: a torn line, or ""
  const records: Rec[] = [];
  let bad = tail === "" ? 0 : 1;
  let badBeforeEnd = 0;
  for (const line of lines) {
    const tab = line.lastIndexOf("\t");
    if (tab < 0 || fnv32(line.slice(0, tab)) !== line.slice(tab + 1)) {
      bad++;
      badBeforeEnd++;
      continue;
    }
    records.push(JSON.parse(line.slice(0, tab)) as Rec);
  }
  return { records, bad, badBeforeEnd };
}

/** For each target, the newest run that recorded its recipe's end, over the whole journal (the
 * compacted targets file and every log); and the lines that were not whole records, other than
 * the last line of a log. */
function endsByTarget(dir: string): { ends: Map<string, number>; corrupt: number } {
  const j = path.join(dir, ".tmake/journal");
  const ends = new Map<string, number>();
  let corrupt = 0;
  const note = (t: string, run: number): void => {
    if ((ends.get(t) ?? 0) < run) ends.set(t, run);
  };
  const targets = path.join(j, "targets");
  if (fs.existsSync(targets)) {
    const d = decode(targets);
    corrupt += d.bad;
    for (const r of d.records.slice(1)) {
      const end = r.end as Rec | undefined;
      if (end !== undefined) note(r.name as string, end.run!);
    }
  }
  const runs = path.join(j, "runs");
  for (const f of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
    let d: ReturnType<typeof decode>;
    try {
      d = decode(path.join(runs, f));
    } catch {
      continue; // folded away while we looked
    }
    corrupt += d.badBeforeEnd;
    const run = d.records[0]?.run;
    for (const r of d.records) if (r.k === "end" && run !== undefined) note(r.t!, run);
  }
  return { ends, corrupt };
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function tmake(dir: string, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [tmakeMain, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Starts tmake in its own process group (so that a kill reaches its recipes too). */
function start(dir: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; ended: Promise<number | null>; out: () => string } {
  let out = "";
  const child = spawn(process.execPath, [tmakeMain, ...args], { cwd: dir, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const ended = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, ended, out: () => out };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(test: () => boolean, ms = 20_000): Promise<void> {
  for (const t0 = Date.now(); !test();) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await sleep(20);
  }
}

describe("the journal's records", () => {
  it("records the run, each decision, the recipe with its variables, the end and the output of a failure", () => {
    const dir = tmp("tmake-journal-");
    fs.writeFileSync(path.join(dir, "Makefile"), "MSG = hello\nall: a b\na: ; @echo $(MSG) > $@\nb: a ; @echo to-out; echo to-err >&2; exit 3\n");
    const r = tmake(dir, ["-k"]);
    expect(r.status).toBe(2);
    const runs = fs.readdirSync(path.join(dir, ".tmake/journal/runs"));
    expect(runs).toEqual(["00000001.log"]);
    const { records, bad } = decode(path.join(dir, ".tmake/journal/runs", runs[0]!));
    expect(bad).toBe(0);
    expect(records[0]).toMatchObject({ k: "run", run: 1, pid: expect.any(Number), host: os.hostname(), argv: ["-k"], cwd: fs.realpathSync(dir) });
    expect(records.find((x) => x.k === "stale" && x.t === "a")).toMatchObject({ kind: "missing" });
    expect(records.find((x) => x.k === "start" && x.t === "a")).toMatchObject({ loc: "Makefile:3", recipe: [" @echo hello > a"], vars: { MSG: "hello" } });
    expect(records.find((x) => x.k === "end" && x.t === "a")).toMatchObject({ ok: true, ms: expect.any(Number) });
    const end = records.find((x) => x.k === "end" && x.t === "b")!;
    expect(end).toMatchObject({ ok: false, status: 3, loc: "Makefile:4", cmd: "echo to-out; echo to-err >&2; exit 3" });
    expect(`${end.out as string}${(end.err as string | undefined) ?? ""}`).toContain("to-out\n");
    expect(`${end.out as string}${(end.err as string | undefined) ?? ""}`).toContain("to-err\n");
    expect(records.find((x) => x.k === "blocked")).toMatchObject({ t: "all" });
    expect(records[records.length - 1]).toMatchObject({ k: "fin", status: 2 });
    // The terminal saw what GNU's would: the output, then the failure.
    expect(r.stdout).toBe("to-out\n");
    expect(r.stderr).toBe("to-err\ntmake: *** [Makefile:4: b] Error 3\ntmake: Target 'all' not remade because of errors.\n");
  });

  it("keeps the order of a recipe's standard output and error when they are one file", () => {
    const dir = tmp("tmake-journal-");
    const lines = Array.from({ length: 40 }, (_, i) => (i % 2 ? `echo e${i} >&2` : `echo o${i}`)).join("; ");
    fs.writeFileSync(path.join(dir, "Makefile"), `all: ; @${lines}\n`);
    const r = spawnSync("sh", ["-c", `${process.execPath} ${tmakeMain} 2>&1`], { cwd: dir, encoding: "utf8" });
    const expected = Array.from({ length: 40 }, (_, i) => `${i % 2 ? "e" : "o"}${i}\n`).join("");
    expect(r.stdout).toBe(expected);
    const gnu = spawnSync("sh", ["-c", "make 2>&1"], { cwd: dir, encoding: "utf8" });
    expect(r.stdout).toBe(gnu.stdout);
  });

  it("--no-journal keeps nothing; --no-record-output leaves the terminal to the recipe", () => {
    const dir = tmp("tmake-journal-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @test -t 1 || echo not-a-tty; readlink /proc/$$$$/fd/1 | grep -c tmake-pipe || true\n");
    expect(tmake(dir, ["--no-journal"]).status).toBe(0);
    expect(fs.existsSync(path.join(dir, ".tmake"))).toBe(false);
    // With the output recorded the command writes to a pipe of tmake's; without, to tmake's own.
    expect(tmake(dir, []).stdout).toBe("not-a-tty\n1\n");
    expect(tmake(dir, ["--no-record-output"]).stdout).toBe("not-a-tty\n0\n");
  });
});

describe("a journal that cannot be written", () => {
  it("leaves the build to go on, said once", () => {
    const dir = tmp("tmake-journal-ro-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @echo built\n");
    // A file where the state folder would be (root may write anywhere, so no permissions).
    fs.writeFileSync(path.join(dir, ".tmake"), "");
    const r = tmake(dir, []);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("built\n");
    expect(r.stderr).toMatch(/^tmake: no build journal here: ENOTDIR: not a directory, mkdir '.*\/\.tmake\/journal\/runs'\n$/);
  });
});

describe("a kill -9 at any instant", () => {
  it("leaves a journal the next run reads, with no record lost that was complete (50 kills)", async () => {
    const dir = tmp("tmake-journal-kill-");
    const n = 30;
    const names = Array.from({ length: n }, (_, i) => `t${i}`);
    fs.writeFileSync(path.join(dir, "Makefile"), `all: ${names.join(" ")}\nt%: ; @sleep 0.0$$(( $$$$ % 9 )); echo $@ > $@\n`);
    // Compaction after every 3 runs, so kills land in it too.
    const env = { TMAKE_JOURNAL_COMPACT: "3" };
    let seen = new Map<string, number>();
    let kills = 0;
    for (let round = 0; kills < 50; round++) {
      // Every fifth run a target is touched back to look older, so there is work each time.
      if (round % 5 === 4) for (const t of names.slice(0, 10)) fs.rmSync(path.join(dir, t), { force: true });
      const run = start(dir, ["-j4", "all"], env);
      await sleep(100 + Math.random() * 500);
      try {
        process.kill(-run.child.pid!, "SIGKILL");
        kills++;
      } catch {
        // It had ended already.
      }
      await run.ended;
      const now = endsByTarget(dir);
      expect(now.corrupt).toBe(0);
      for (const [t, r] of seen) expect(now.ends.get(t) ?? 0, `${t} lost its end of run ${r}`).toBeGreaterThanOrEqual(r);
      seen = now.ends;
    }
    // The next run reads it, finishes the work, and nothing is left incomplete.
    const last = tmake(dir, ["-j4", "all"], env);
    expect(last.status).toBe(0);
    for (const t of names) expect(fs.readFileSync(path.join(dir, t), "utf8")).toBe(`${t}\n`);
    const again = tmake(dir, ["all"], env);
    expect(again.stdout).toBe("tmake: Nothing to be done for 'all'.\n");
  }, 240_000);
});

describe("interrupted work", () => {
  it("is remade on the next run whatever its time, said once", async () => {
    const dir = tmp("tmake-journal-int-");
    fs.writeFileSync(path.join(dir, "in.sam"), "reads\n");
    fs.writeFileSync(path.join(dir, "Makefile"), "x.bam: in.sam ; @echo partial > $@; touch started; sleep 30; cat $< >> $@\n");
    const run = start(dir, []);
    await until(() => fs.existsSync(path.join(dir, "started")));
    process.kill(-run.child.pid!, "SIGKILL");
    await run.ended;
    // x.bam is newer than in.sam: mtime alone calls it up to date.
    expect(fs.statSync(path.join(dir, "x.bam")).mtimeMs).toBeGreaterThanOrEqual(fs.statSync(path.join(dir, "in.sam")).mtimeMs);
    fs.writeFileSync(path.join(dir, "Makefile"), "x.bam: in.sam ; @echo whole > $@; cat $< >> $@\n");
    const dry = tmake(dir, ["-n"]);
    expect(dry.stdout).toMatch(/^x\.bam: left incomplete by run 1 \(killed at \d\d:\d\d\); remaking\necho whole > x\.bam; cat in\.sam >> x\.bam\n$/);
    const r = tmake(dir, []);
    expect(r.stdout).toMatch(/^x\.bam: left incomplete by run 1 \(killed at \d\d:\d\d\); remaking\n$/);
    expect(fs.readFileSync(path.join(dir, "x.bam"), "utf8")).toBe("whole\nreads\n");
    expect(tmake(dir, []).stdout).toBe("tmake: 'x.bam' is up to date.\n");
  }, 60_000);

  it("with -k, retries the targets that failed last time", () => {
    const dir = tmp("tmake-journal-k-");
    fs.writeFileSync(path.join(dir, "Makefile"), "out: ; @touch $@; test -f ok\n");
    expect(tmake(dir, ["-k"]).status).toBe(2);
    // Without -k the failed target's file stands, as with GNU make.
    expect(tmake(dir, []).stdout).toBe("tmake: 'out' is up to date.\n");
    fs.writeFileSync(path.join(dir, "ok"), "");
    const r = tmake(dir, ["-k"]);
    expect(r.stdout).toBe("out: failed in run 1; retried (-k); remaking\n");
    expect(r.status).toBe(0);
    expect(tmake(dir, ["-k"]).stdout).toBe("tmake: 'out' is up to date.\n");
  });
});

describe("the build lock", () => {
  it("makes a second run wait for the first, and no target is built twice", async () => {
    const dir = tmp("tmake-journal-lock-");
    const names = ["a", "b", "c", "d"];
    fs.writeFileSync(path.join(dir, "Makefile"), `all: ${names.join(" ")}\n${names.join(" ")}: ; @echo $@ >> built; sleep 0.3; touch $@\n`);
    const first = start(dir, ["-j2"]);
    await until(() => fs.existsSync(path.join(dir, "built")));
    const second = start(dir, ["-j2"]);
    expect(await first.ended).toBe(0);
    expect(await second.ended).toBe(0);
    expect(second.out()).toMatch(
      /^tmake: waiting for the build lock of this tree, held by run 1 \(pid \d+ on .+, since \d\d:\d\d:\d\d\)\ntmake: Nothing to be done for 'all'\.\n$/,
    );
    expect(fs.readFileSync(path.join(dir, "built"), "utf8").split("\n").filter(Boolean).sort()).toEqual(names);
  }, 60_000);

  it("breaks a lock whose holder is dead, and one on another host whose heartbeat is old", () => {
    const dir = tmp("tmake-journal-dead-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @echo built\n");
    fs.mkdirSync(path.join(dir, ".tmake/journal"), { recursive: true });
    const gone = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
    const deadPid = Number(gone.stdout.trim());
    const lock = path.join(dir, ".tmake/journal/lock");
    fs.writeFileSync(lock, JSON.stringify({ run: 7, pid: deadPid, host: os.hostname(), since: Date.now() - 1000, beat: Date.now() }));
    const r = tmake(dir, []);
    expect(r.stdout).toBe("built\n");
    expect(fs.existsSync(lock)).toBe(false);
    const old = Date.now() - 10_000;
    fs.writeFileSync(lock, JSON.stringify({ run: 8, pid: 1, host: "elsewhere.invalid", since: old, beat: old }));
    const t0 = Date.now();
    expect(tmake(dir, [], { TMAKE_LOCK_TIMEOUT: "5" }).stdout).toBe("built\n");
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("waits for a holder on another host until its heartbeat is older than the timeout", () => {
    const dir = tmp("tmake-journal-host-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @echo built\n");
    fs.mkdirSync(path.join(dir, ".tmake/journal"), { recursive: true });
    const now = Date.now();
    fs.writeFileSync(path.join(dir, ".tmake/journal/lock"), JSON.stringify({ run: 3, pid: 1, host: "elsewhere.invalid", since: now, beat: now }));
    const t0 = Date.now();
    const r = tmake(dir, [], { TMAKE_LOCK_TIMEOUT: "2" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(r.stdout).toMatch(/^tmake: waiting for the build lock of this tree, held by run 3 \(pid 1 on elsewhere\.invalid, since \d\d:\d\d:\d\d\)\nbuilt\n$/);
  });

  it("lets a recursive make in the same tree join its parent's run", () => {
    const dir = tmp("tmake-journal-rec-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @$(MAKE) --no-print-directory inner\ninner: ; @echo inner built\n");
    const r = tmake(dir, []);
    expect(r.stdout).toBe("inner built\n");
    expect(r.status).toBe(0);
    const runs = fs.readdirSync(path.join(dir, ".tmake/journal/runs")).sort();
    const child = decode(path.join(dir, ".tmake/journal/runs", runs[1]!)).records[0]!;
    expect(child).toMatchObject({ k: "run", run: 2, parent: 1, level: 1 });
  });

  it("keeps a recursive make in a subdirectory in the tree's journal, with its names from the top", () => {
    const dir = tmp("tmake-journal-sub-");
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "Makefile"), "all: ; @$(MAKE) --no-print-directory -C sub\n");
    fs.writeFileSync(path.join(dir, "sub/Makefile"), "part: ; @touch $@\n");
    expect(tmake(dir, []).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "sub/.tmake"))).toBe(false);
    const runs = fs.readdirSync(path.join(dir, ".tmake/journal/runs")).sort();
    const records = decode(path.join(dir, ".tmake/journal/runs", runs[1]!)).records;
    expect(records.find((r) => r.k === "end")).toMatchObject({ t: "sub/part", ok: true });
    // A build started in the subdirectory later uses the tree's journal too.
    fs.rmSync(path.join(dir, "sub/part"));
    expect(tmake(path.join(dir, "sub"), []).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "sub/.tmake"))).toBe(false);
    expect(fs.readdirSync(path.join(dir, ".tmake/journal/runs")).length).toBe(3);
  });
});

describe("a machine that dies", () => {
  const strace = spawnSync("strace", ["-V"]).status === 0;
  // (Skipped where strace is not installed: the order of the system calls is what is tested.)
  it.skipIf(!strace)("finds each recipe named on disk before it ran: an fdatasync comes between an intent naming it and its first process", () => {
    const dir = tmp("tmake-journal-sync-");
    const names = ["a", "b", "c", "d", "e", "f"];
    fs.writeFileSync(path.join(dir, "Makefile"), `all: ${names.join(" ")}\n${names.join(" ")}: ; @echo made-$@ > $@\n`);
    const traced = (jobs: string): string[] => {
      for (const n of names) fs.rmSync(path.join(dir, n), { force: true });
      const trace = path.join(dir, `trace${jobs}`);
      const r = spawnSync("strace", ["-f", "-qq", "-o", trace, "-e", "trace=write,fdatasync,execve", "-s", "100000", process.execPath, tmakeMain, jobs], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, TMAKE_JOURNAL_SYNC: undefined },
      });
      expect(r.status).toBe(0);
      return fs.readFileSync(trace, "utf8").split("\n");
    };
    // The first build in the tree, then others (serially and under -j) with the order the
    // journal now knows.
    for (const jobs of ["-j1", "-j6", "-j1"]) {
      const lines = traced(jobs);
      const syncs = lines.map((l, i) => (/ fdatasync\(/.test(l) ? i : -1)).filter((i) => i >= 0);
      for (const t of names) {
        const intent = lines.findIndex((l) => l.includes('\\"k\\":\\"intent\\"') && l.includes(`\\"${t}\\"`));
        const exec = lines.findIndex((l) => l.includes(`execve("/bin/sh", ["/bin/sh", "-c", "echo made-${t} > ${t}"]`));
        expect(intent, `an intent naming ${t} (${jobs})`).toBeGreaterThanOrEqual(0);
        expect(exec, `${t}'s recipe (${jobs})`).toBeGreaterThan(intent);
        expect(
          syncs.some((s) => s > intent && s < exec),
          `an fdatasync between the intent naming ${t} and its recipe (${jobs})`,
        ).toBe(true);
      }
      // One intent names several recipes (the first build: the prerequisites of `all` after
      // the one starting; later ones: the order the journal knows): fewer syncs than recipes.
      expect(syncs.length, jobs).toBeLessThan(names.length);
    }
    // The last build synced once for the intent naming all six (and the log's folder).
    const last = traced("-j1").filter((l) => / fdatasync\(/.test(l));
    expect(last).toHaveLength(1);
  });

  it("names one-line recipes by the dozen in one intent, and a slow recipe only when it starts", () => {
    const dir = tmp("tmake-journal-intents-");
    const fast = (from: number) => Array.from({ length: 20 }, (_, i) => `f${from + i}`);
    const order = [...fast(1), "s1", ...fast(21), "s2", ...fast(41)];
    // s1 and s2 take longer than all the recipe time one intent may name (intents.ts, 2 s).
    fs.writeFileSync(path.join(dir, "Makefile"), `all: ${order.join(" ")}\nf%: ; @touch $@\ns%: ; @sleep 2.2; touch $@\n`);
    const intents = (run: number): string[][] =>
      decode(path.join(dir, `.tmake/journal/runs/0000000${run}.log`))
        .records.filter((r) => r.k === "intent")
        .map((r) => r.t as unknown as string[]);
    expect(tmake(dir, []).status).toBe(0);
    // The first build knows no durations: the first recipe is named alone, then its siblings
    // at this run's pace.
    const first = intents(1);
    expect(first[0]).toEqual(["f1"]);
    expect(first.flat().sort()).toEqual([...order].sort());
    for (const t of order) fs.rmSync(path.join(dir, t));
    // The next knows the order and how long each took: an intent stops before a slow recipe,
    // which then starts with its own.
    expect(tmake(dir, []).status).toBe(0);
    expect(intents(2)).toEqual([fast(1), ["s1", ...fast(21)], ["s2", ...fast(41)]]);
  }, 60_000);

  it("after a restart, remakes a target that lost what its recipe wrote, not one changed since", () => {
    const dir = tmp("tmake-journal-restart-");
    fs.writeFileSync(path.join(dir, "Makefile"), "all: a b c\na b c: ; @printf 'made %s\\n' $@ > $@\n");
    expect(tmake(dir, []).status).toBe(0);
    // a: cut short as a machine that went down leaves a new file (its name and time on disk, not
    // all its data); b: rewritten by hand since.
    const a = path.join(dir, "a");
    const st = fs.statSync(a);
    fs.truncateSync(a, 0);
    fs.utimesSync(a, st.atime, new Date(Math.floor(st.mtimeMs)));
    fs.writeFileSync(path.join(dir, "b"), "mine\n");
    // Without a restart, GNU's times decide.
    expect(tmake(dir, []).stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    // The machine restarted: the summary was written in another boot.
    const summary = path.join(dir, ".tmake/journal/summary");
    const rec = decode(summary).records[0]!;
    expect(rec.boot).toBeTypeOf("string");
    rec.boot = "another-boot";
    const json = JSON.stringify(rec);
    fs.writeFileSync(summary, `${json}\t${fnv32(json)}\n`);
    const r = tmake(dir, []);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^a: is not as run 1 left it at \d\d:\d\d \(the machine restarted since\); remaking\n/);
    expect(r.stdout).not.toContain("b: ");
    expect(r.stdout).not.toContain("c: ");
    expect(fs.readFileSync(a, "utf8")).toBe("made a\n");
    expect(fs.readFileSync(path.join(dir, "b"), "utf8")).toBe("mine\n");
    expect(tmake(dir, []).stdout).toBe("tmake: Nothing to be done for 'all'.\n");
  });

  it("remakes what a run that went down with the machine may have left incomplete, and only that", async () => {
    const dir = tmp("tmake-journal-down-");
    const names = Array.from({ length: 8 }, (_, i) => `t${i}`);
    fs.writeFileSync(
      path.join(dir, "Makefile"),
      `all: ${names.join(" ")}\nt%: ; @echo $@ > $@; if [ $@ = t3 ] && [ -f slow ]; then touch started; sleep 30; fi\n`,
    );
    // A first build: the journal learns the order.
    expect(tmake(dir, []).status).toBe(0);
    for (const t of names) fs.rmSync(path.join(dir, t));
    fs.writeFileSync(path.join(dir, "slow"), "");
    // The second is killed while t3 runs (t4... are named by the intent written before t1).
    const run = start(dir, []);
    await until(() => fs.existsSync(path.join(dir, "started")));
    process.kill(-run.child.pid!, "SIGKILL");
    await run.ended;
    fs.rmSync(path.join(dir, "started"));
    fs.rmSync(path.join(dir, "slow"));
    const log = path.join(dir, ".tmake/journal/runs/00000002.log");
    const whole = fs.readFileSync(log, "utf8");
    // Killed on a machine still up: its log is whole, only t3 is left incomplete.
    const up = tmake(dir, ["-n"]);
    expect(up.stdout).toContain("t3: left incomplete by run 2");
    expect(up.stdout).not.toContain("t4: ");
    // As if the machine had gone down: another boot, and the records after t3's start lost
    // (the disk had the log up to there).
    const kept: string[] = [];
    for (const l of whole.split("\n").filter(Boolean)) {
      const rec = JSON.parse(l.slice(0, l.lastIndexOf("\t"))) as Rec;
      if (rec.k === "run") rec.boot = "another-boot";
      const json = JSON.stringify(rec);
      kept.push(`${json}\t${fnv32(json)}`);
      if (rec.k === "start" && rec.t === "t3") break;
    }
    fs.writeFileSync(log, `${kept.join("\n")}\n`);
    // t0 to t2 ended on disk; t3 started; t4 to t7 were only announced by the intent synced
    // before t0 started, and may have started since, their start records lost: all remade.
    const down = tmake(dir, []);
    expect(down.status).toBe(0);
    for (const t of names.slice(3)) expect(down.stdout).toContain(`${t}: may have been left incomplete by run 2 (the machine went down after`);
    for (const t of names.slice(0, 3)) expect(down.stdout).not.toContain(`${t}: `);
    expect(tmake(dir, []).stdout).toBe("tmake: Nothing to be done for 'all'.\n");
  }, 60_000);
});
