// Content hashes instead of timestamps (-H, --hash-algo, --checksum), through the real CLI.
// Each scenario runs tmake several times in one directory, changing files in between.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tmakeMain } from "./helpers/diff.js";
import { biomakeBin, biomakeMissing } from "./helpers/biomake.js";

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** A directory with a Makefile, and tmake run in it as often as needed. */
class Tree {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-hash-"));
  constructor(makefile: string, files: Record<string, string> = {}) {
    this.write("Makefile", makefile);
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }
  write(name: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, name), text);
  }
  read(name: string): string | undefined {
    try {
      return fs.readFileSync(path.join(this.dir, name), "utf8");
    } catch {
      return undefined;
    }
  }
  exists(name: string): boolean {
    return fs.existsSync(path.join(this.dir, name));
  }
  sh(cmd: string): void {
    const r = spawnSync("/bin/sh", ["-c", cmd], { cwd: this.dir });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  }
  /** More environment for every run. */
  env: Record<string, string> = {};
  tmake(...args: string[]): Run {
    const r = spawnSync(process.execPath, [tmakeMain, ...args], {
      cwd: this.dir,
      encoding: "utf8",
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", ...this.env },
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  }
}

/** The makefile of biomake's MD5 cases: two sources made by one rule, one target from both. */
const HELLO = "hello_world: hello world\n\tcat $^ >$@\n\nhello world:\n\techo $@ >$@\n";

/** A target copied from a source; the log says when the recipe ran. */
const COPY = "out: in\n\techo ran >>log; cp in out\n";

describe("-H: biomake's MD5 mode", () => {
  it("writes biomake's records, byte for byte", () => {
    const t = new Tree(HELLO);
    const r = t.tmake("-H", "hello_world");
    expect(r.status).toBe(0);
    expect(t.read(".biomake/md5/hello")).toBe(
      'md5_hash("hello",6,"b1946ac92492d2347c6235b4d2611184").\nmd5_valid("hello",6,"b1946ac92492d2347c6235b4d2611184",X).\n',
    );
    expect(t.read(".biomake/md5/hello_world")).toBe(
      'md5_hash("hello_world",12,"0f723ae7f9bf07744445e93ac5595156").\n' +
        'md5_valid("hello_world",12,"0f723ae7f9bf07744445e93ac5595156",X) :-\n' +
        '  md5_check("hello",6,"b1946ac92492d2347c6235b4d2611184",X),\n' +
        '  md5_check("world",6,"591785b794601e212b260e25925636fd",X).\n',
    );
    // No temporary file is left beside the records.
    expect(fs.readdirSync(path.join(t.dir, ".biomake/md5")).sort()).toEqual(["hello", "hello_world", "world"]);
    expect(t.tmake("-H", "hello_world").stdout).toBe("tmake: 'hello_world' is up to date.\n");
  });

  it("does not rebuild a target after a touch of an unchanged prerequisite (timestamps do)", () => {
    const t = new Tree(COPY, { in: "data\n" });
    expect(t.tmake("-H").status).toBe(0);
    t.sh("sleep 0.05; touch in");
    expect(t.tmake("-H").stdout).toBe("tmake: 'out' is up to date.\n");
    expect(t.read("log")).toBe("ran\n");
    // Without -H the touch alone remakes it: the test above can fail.
    t.tmake();
    expect(t.read("log")).toBe("ran\nran\n");
  });

  it("rebuilds after a same-size content change within the same second, even with the old time restored", () => {
    const t = new Tree(COPY, { in: "aaaa\n" });
    t.sh("cp -p in stamp");
    expect(t.tmake("-H").status).toBe(0);
    // The digest cache has just seen `in`; change it with its size, inode and time unchanged.
    t.sh("printf 'bbbb\\n' >in && touch -r stamp in");
    const r = t.tmake("-H");
    expect(r.stdout).toContain("cp in out");
    expect(t.read("out")).toBe("bbbb\n");
    expect(t.read("log")).toBe("ran\nran\n");
  });

  it("rebuilds when a prerequisite's content changes, and says why with -d", () => {
    const t = new Tree(COPY, { in: "one\n" });
    t.tmake("-H");
    t.write("in", "two\n");
    const r = t.tmake("-H", "-d");
    expect(r.stdout).toContain("% Target out does not have an up-to-date checksum - rebuild required");
    expect(t.read("out")).toBe("two\n");
  });

  it("--debug=why gives each decision's reason: which file changed content, from what digest to what", () => {
    const short = (text: string): string => `${createHash("md5").update(text).digest("hex").slice(0, 8)}…`;
    const t = new Tree("all: b\n\tcat b >all\nb: a\n\tcat a >b\n", { a: "one\n" });
    expect(t.tmake("-H").status).toBe(0);
    t.write("a", "two\n");
    let out = t.tmake("-H", "--debug=why").stdout;
    expect(out).toContain(` Must remake target 'b': prerequisite 'a' changed content (md5 ${short("one\n")} → ${short("two\n")}).\n`);
    expect(out).toContain(`Must remake target 'all': prerequisite 'b' changed content (md5 ${short("one\n")} → ${short("two\n")}), remade in this run.\n`);
    t.sh("touch a b");
    out = t.tmake("-H", "--debug=why").stdout;
    expect(out).toContain(" No need to remake target 'b'.\n");
    expect(out).toContain("No need to remake target 'all'.\n");
    t.write("all", "edited\n");
    out = t.tmake("-H", "--debug=why").stdout;
    expect(out).toContain(`Must remake target 'all': 'all' changed content since it was built (md5 ${short("two\n")} → ${short("edited\n")}).\n`);
    t.sh("rm .biomake/md5/all");
    expect(t.tmake("-H", "--debug=why").stdout).toContain("Must remake target 'all': 'all' has no md5 record.\n");
    // Timestamps say it in their own words.
    t.sh("sleep 0.01; touch a");
    expect(t.tmake("--debug=why").stdout).toContain(" Must remake target 'b': prerequisite 'a' is newer than 'b'.\n");
  });

  it("a prerequisite remade with the same content does not remake its dependents", () => {
    const t = new Tree("all: b\n\techo all >>log; cat b >all\nb: a\n\techo b >>log; cut -c1 a >b\n", { a: "x1\n" });
    t.tmake("-H");
    t.write("a", "x2\n");
    t.tmake("-H");
    // b was remade (a changed) but holds what it held: all is not remade.
    expect(t.read("log")).toBe("b\nall\nb\n");
  });

  it("leaves no record for a target whose recipe was killed", async () => {
    // The recipe's shell becomes the sleep (exec), whose pid it leaves in `pid`.
    const t = new Tree("out: in\n\techo $$$$ >pid; touch started; exec sleep 20\n", { in: "x\n" });
    // A record from an earlier build must not survive the recipe that replaces the target.
    t.write("out", "old\n");
    t.write(".biomake/md5/out", 'md5_hash("out",4,"d5eaa3c8e5cb4eaa4bfbc3f4fa1e1e1a").\n');
    const child = spawn(process.execPath, [tmakeMain, "-H", "-B"], { cwd: t.dir, stdio: "ignore" });
    for (let i = 0; i < 200 && !t.exists("started"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(t.exists("started")).toBe(true);
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    process.kill(Number(t.read("pid")), "SIGKILL");
    expect(t.exists(".biomake/md5/out")).toBe(false);
    // The next run remakes it (the test's sleep is cut short by a quicker makefile).
    t.write("Makefile", "out: in\n\tcp in out\n");
    expect(t.tmake("-H").stdout).toContain("cp in out");
    expect(t.exists(".biomake/md5/out")).toBe(true);
  });

  it("treats a corrupt or foreign record as missing, with a warning", () => {
    const t = new Tree(COPY, { in: "x\n" });
    t.tmake("-H");
    t.write(".biomake/md5/out", 'md5_hash("out",2,');
    let r = t.tmake("-H");
    expect(r.stderr).toMatch(/^tmake: warning: \.biomake\/md5\/out: not a md5 record of 'out' \(.*\); treated as missing$/m);
    expect(t.read("log")).toBe("ran\nran\n");
    expect(t.read(".biomake/md5/out")).toMatch(/^md5_hash\("out",2,"401b30e3b8b5d629635a5c613cdb7919"\)\./);
    // A record of another file, in this target's place.
    t.write(".biomake/md5/out", 'md5_hash("other",2,"401b30e3b8b5d629635a5c613cdb7919").\nmd5_valid("other",2,"401b30e3b8b5d629635a5c613cdb7919",X).\n');
    r = t.tmake("-H");
    expect(r.stderr).toContain("it is the record of 'other'");
    expect(t.read("log")).toBe("ran\nran\nran\n");
  });

  it("-t -H writes records without running recipes; -n -H runs nothing and writes nothing", () => {
    const t = new Tree(COPY, { in: "x\n", out: "stale\n" });
    expect(t.tmake("-H", "-n").stdout).toBe("echo ran >>log; cp in out\n");
    expect(t.exists(".biomake")).toBe(false);
    expect(t.tmake("-H", "-t").stdout).toBe("touch out\n");
    expect(t.read("log")).toBeUndefined();
    expect(t.read(".biomake/md5/out")).toContain('md5_check("in",2,');
    expect(t.tmake("-H").stdout).toBe("tmake: 'out' is up to date.\n");
  });

  it("-W, -B and -o keep their GNU meanings under -H", () => {
    const t = new Tree(COPY, { in: "x\n" });
    t.tmake("-H");
    expect(t.tmake("-H", "-W", "in").stdout).toContain("cp in out");
    expect(t.tmake("-H", "-B").stdout).toContain("cp in out");
    t.write("in", "changed\n");
    expect(t.tmake("-H", "-o", "in").stdout).toBe("tmake: 'out' is up to date.\n");
    expect(t.tmake("-H", "-o", "out").stdout).toBe("tmake: 'out' is up to date.\n");
    expect(t.tmake("-H", "-q").status).toBe(1);
  });

  it("-j: dependents wait for the records of what they need", () => {
    const mk = ".SECONDARY:\nall: c1 c2 c3\nc%: m%\n\tcat $< >$@\nm%: s%\n\tcat $< >$@\n";
    const t = new Tree(mk, { s1: "1\n", s2: "2\n", s3: "3\n" });
    expect(t.tmake("-H", "-j3").status).toBe(0);
    for (const n of ["c1", "c2", "c3", "m1", "m2", "m3"]) expect(t.read(`.biomake/md5/${n}`)).toMatch(/^md5_hash/);
    expect(t.tmake("-H", "-j3").stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    t.write("s2", "two\n");
    expect(t.tmake("-H", "-j3").stdout).toBe("cat s2 >m2\ncat m2 >c2\n");
  });

  it("an intermediate file deleted by the last run is made again, but what needs it is judged by content", () => {
    const t = new Tree("all: c1\nc%: m%\n\tcat $< >$@\nm%: s%\n\tcat $< >$@\n", { s1: "1\n" });
    t.tmake("-H");
    expect(t.exists("m1")).toBe(false);
    for (const j of [[], ["-j2"]]) expect(t.tmake("-H", ...j).stdout).toBe("cat s1 >m1\nrm m1\n");
    t.write("s1", "2\n");
    expect(t.tmake("-H").stdout).toBe("cat s1 >m1\ncat m1 >c1\nrm m1\n");
  });

  it("--debug md5 prints biomake's md5 lines", () => {
    const t = new Tree(COPY, { in: "x\n" });
    const r = t.tmake("-H", "--debug", "md5");
    expect(r.stdout).toContain("% updating MD5 hash file for out <-- [in]");
    expect(r.stdout).toContain('%  md5_hash("out",2,"401b30e3b8b5d629635a5c613cdb7919").');
    expect(t.tmake("-H", "--debug", "md5").stdout).toContain("% Checking MD5 hash validity for out <-- [in]");
  });

  it("keeps a digest cache in .tmake/ for files without records, and --no-md5-cache reads them again", () => {
    const t = new Tree(COPY, { in: "x\n" });
    t.sh("touch -d '2020-01-01' in");
    t.tmake("-H");
    const cache = t.read(".tmake/digests") ?? "";
    expect(cache.split("\n")[0]).toBe("tmake-digests 1");
    expect(cache).toContain(' 401b30e3b8b5d629635a5c613cdb7919 - "in"');
    const wrong = cache.replace("401b30e3b8b5d629635a5c613cdb7919", "0123456789abcdef0123456789abcdef");
    // --no-md5-cache reads the file, whatever the cache says...
    t.write(".tmake/digests", wrong);
    expect(t.tmake("-H", "--no-md5-cache").stdout).toBe("tmake: 'out' is up to date.\n");
    // ...while without it the cache is trusted: a different digest in it is believed (the
    // file's identity matches it).
    t.write(".tmake/digests", wrong);
    expect(t.tmake("-H").stdout).toContain("cp in out");
  });
});

describe("-H over many targets: records read ahead, proofs kept between runs", () => {
  // As benchmarks/scale's tree: one pattern rule, `all` over every output (enough of them for
  // the walk to fetch their facts ahead). Sources differ in content and size.
  const N = 80;
  const MANY = "SRCS := $(wildcard src/*.fa)\nall: $(patsubst src/%.fa,out/%.aln,$(SRCS))\nout/%.aln: src/%.fa\n\techo $@ >>log; cp $< $@\n";
  const sources = (): Record<string, string> => ({
    "out/.keep": "",
    ...Object.fromEntries(Array.from({ length: N }, (_, i) => [`src/f${i}.fa`, `>f${i}\n${"ACGT".repeat(i)}\n`])),
  });
  /** Every file made a minute old, so that what a run sees of it may be kept (the racy rule). */
  const age = (t: Tree): void => t.sh(`find . -type f -exec touch -d @${Math.floor(Date.now() / 1000) - 60} {} +`);
  const log = (t: Tree): string => {
    const text = t.read("log") ?? "";
    t.sh("rm -f log");
    return text;
  };

  it("a null build proves every target from its record and keeps the proofs; the next uses them; a change remakes its target only", () => {
    const t = new Tree(MANY, sources());
    expect(t.tmake("-H").status).toBe(0);
    expect(log(t).split("\n").filter(Boolean)).toHaveLength(N);
    age(t);
    // The sources' digests are read again (their times changed), then kept.
    expect(t.tmake("-H").stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    expect(t.exists(".tmake/verified")).toBe(false);
    // Now every digest is in the cache: the records prove every target, and the proofs are kept.
    const digests = fs.statSync(path.join(t.dir, ".tmake/digests")).mtimeMs;
    expect(t.tmake("-H").stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    const proofs = (t.read(".tmake/verified") ?? "").split("\n").filter(Boolean);
    expect(proofs[0]).toBe("tmake-verified 1 md5 timestamp");
    expect(proofs).toHaveLength(N + 1);
    expect(proofs.find((l) => l.startsWith('"out/f3.aln"\t'))).toMatch(/^"out\/f3\.aln"\t\S+ \S+ \S+\t17 [0-9a-f]{32}\t\["src\/f3\.fa"\]$/);
    // The next run reads no file again and keeps what it found.
    expect(t.tmake("-H").stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    expect(fs.statSync(path.join(t.dir, ".tmake/digests")).mtimeMs).toBe(digests);
    expect(log(t)).toBe("");
    // A touch changes nothing; a content change remakes that target only.
    t.sh("touch src/f5.fa");
    t.write("src/f7.fa", ">f7\nchanged\n");
    expect(t.tmake("-H").stdout).toBe("echo out/f7.aln >>log; cp src/f7.fa out/f7.aln\n");
    expect(log(t)).toBe("out/f7.aln\n");
    expect(t.read(".tmake/verified")).not.toContain('"out/f7.aln"\t');
  });

  it("decides as the plain path does (TMAKE_SHORTCUTS=0), on both backends", () => {
    const envs: Record<string, string>[] = [{}, { TMAKE_SHORTCUTS: "0" }, { TMAKE_NATIVE: "0" }];
    const trees = envs.map((env) => {
      const t = new Tree(MANY, sources());
      t.env = env;
      return t;
    });
    const steps: [string, (t: Tree) => void][] = [
      ["build", () => undefined],
      ["aged", age],
      ["null", () => undefined],
      ["null again", () => undefined],
      ["a source changed, another touched", (t) => (t.write("src/f1.fa", ">f1\nTGCA\n"), t.sh("touch src/f2.fa"))],
      ["a target changed", (t) => t.write("out/f3.aln", "edited\n")],
      ["a record corrupt", (t) => t.write("out/.biomake/md5/f4.aln", "md5_hash(\n")],
      ["a record gone", (t) => t.sh("rm out/.biomake/md5/f5.aln")],
      ["a record of another target", (t) => t.sh("cp out/.biomake/md5/f7.aln out/.biomake/md5/f6.aln")],
      ["a record older than its target", (t) => t.sh("touch -d '2000-01-01' out/.biomake/md5/f8.aln")],
      ["a source with a record of its own", (t) => t.sh("mkdir -p src/.biomake/md5 && cp out/.biomake/md5/f9.aln src/.biomake/md5/f9.fa")],
      ["aged again", age],
      ["null after all that", () => undefined],
      ["a source gone", (t) => t.sh("rm src/f10.fa")],
    ];
    const seen = new Map<string, { stdout: string; stderr: string; status: number | null; log: string }>();
    for (const [what, change] of steps) {
      const runs = trees.map((t) => {
        change(t);
        const r = t.tmake("-H");
        return { what, stdout: r.stdout, stderr: r.stderr.replaceAll(t.dir, "DIR"), status: r.status, log: log(t) };
      });
      expect(runs[1], what).toEqual(runs[0]);
      expect(runs[2], what).toEqual(runs[0]);
      seen.set(what, runs[0]!);
    }
    // What the three agreed on is what it should be.
    expect(seen.get("build")!.log.split("\n").filter(Boolean)).toHaveLength(N);
    expect(seen.get("null again")!.stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    expect(seen.get("a source changed, another touched")!.log).toBe("out/f1.aln\n");
    expect(seen.get("a target changed")!.log).toBe("out/f3.aln\n");
    expect(seen.get("a record corrupt")!.log).toBe("out/f4.aln\n");
    expect(seen.get("a record corrupt")!.stderr).toContain("out/.biomake/md5/f4.aln: not a md5 record");
    expect(seen.get("a record gone")!.log).toBe("out/f5.aln\n");
    expect(seen.get("a record of another target")!.log).toBe("out/f6.aln\n");
    expect(seen.get("null after all that")!.stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    // The records and the targets left are the same too.
    const files = (t: Tree): string[] =>
      fs
        .readdirSync(path.join(t.dir, "out/.biomake/md5"))
        .sort()
        .map((f) => `${f}: ${t.read(`out/.biomake/md5/${f}`)}`);
    expect(files(trees[1]!)).toEqual(files(trees[0]!));
    expect(files(trees[2]!)).toEqual(files(trees[0]!));
  });

  it("--hash-algo blake3 keeps its own proofs", () => {
    const t = new Tree(MANY, sources());
    t.tmake("-H", "--hash-algo", "blake3");
    age(t);
    t.tmake("-H", "--hash-algo", "blake3");
    expect(t.tmake("-H", "--hash-algo", "blake3").stdout).toBe("tmake: Nothing to be done for 'all'.\n");
    expect((t.read(".tmake/verified") ?? "").split("\n")[0]).toBe("tmake-verified 1 blake3 timestamp");
    t.write("src/f2.fa", ">f2\nchanged\n");
    expect(t.tmake("-H", "--hash-algo", "blake3").stdout).toBe("echo out/f2.aln >>log; cp src/f2.fa out/f2.aln\n");
  });
});

describe("sub-makes", () => {
  /** A makefile whose one recipe runs a sub-make for COPY's target. */
  const RECURSIVE = "top:\n\t@$(MAKE) -s -f sub.mk out\n.PHONY: top\n";

  it("a $(MAKE) under -H decides by content too: -H and its companions go down in MAKEFLAGS", () => {
    const t = new Tree(RECURSIVE, { "sub.mk": COPY, in: "x\n" });
    expect(t.tmake("-s", "-H").status).toBe(0);
    expect(t.read("log")).toBe("ran\n");
    expect(t.exists(".biomake/md5/out")).toBe(true);
    t.sh("sleep 0.05; touch in");
    expect(t.tmake("-s", "-H").status).toBe(0);
    expect(t.read("log")).toBe("ran\n");
    // Without -H the sub-make goes by times.
    expect(t.tmake("-s").status).toBe(0);
    expect(t.read("log")).toBe("ran\nran\n");
  });

  it("MAKEFLAGS carries -H, -M, --no-md5-cache and --hash-algo, and a sub-make reads them back", () => {
    const t = new Tree('top:\n\t@echo "[$(MAKEFLAGS)]"\n\t@$(MAKE) -f sub.mk out\n.PHONY: top\n', { "sub.mk": COPY, in: "x\n" });
    const r = t.tmake("-s", "-H", "-M", "--no-md5-cache", "--hash-algo", "blake3");
    expect(r.stdout).toBe("[sHM --no-md5-cache --hash-algo=blake3]\n");
    expect(t.read(".tmake/records/out")?.split("\n")[0]).toBe("tmake-record 1 blake3");
    expect(t.tmake("-s", "-H").stdout).toBe("[sH]\n");
  });
});

describe("--hash-algo blake3", () => {
  it("makes the same decisions with tmake's own records, which name their algorithm", () => {
    const t = new Tree(COPY, { in: "x\n" });
    expect(t.tmake("--hash-algo", "blake3").status).toBe(0);
    expect(t.exists(".biomake")).toBe(false);
    const record = t.read(".tmake/records/out") ?? "";
    expect(record.split("\n")[0]).toBe("tmake-record 1 blake3");
    expect(record).toMatch(/^target 2 [0-9a-f]{64} "out"$/m);
    expect(record).toMatch(/^prereq 2 [0-9a-f]{64} "in"$/m);
    t.sh("sleep 0.05; touch in");
    expect(t.tmake("--hash-algo", "blake3").stdout).toBe("tmake: 'out' is up to date.\n");
    t.write("in", "y\n");
    expect(t.tmake("-H", "--hash-algo", "blake3").stdout).toContain("cp in out");
    expect(t.read("log")).toBe("ran\nran\n");
  });

  it("refuses an unknown algorithm", () => {
    const t = new Tree(COPY, { in: "x\n" });
    const r = t.tmake("--hash-algo", "sha1");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown hash algorithm 'sha1'");
  });
});

describe("records shared with the real biomake", () => {
  const missing = biomakeMissing();
  it.skipIf(missing !== undefined)(`biomake reads tmake's records and tmake reads biomake's${missing ? ` (skipped: ${missing})` : ""}`, () => {
    const biomake = (t: Tree, ...args: string[]): Run => {
      const r = spawnSync(biomakeBin, args, {
        cwd: t.dir,
        encoding: "utf8",
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), LC_ALL: "C" },
      });
      return { stdout: r.stdout, stderr: r.stderr, status: r.status };
    };
    // tmake builds, biomake finds everything up to date; a content change is seen by both.
    const a = new Tree(HELLO);
    a.tmake("-H", "hello_world");
    expect(biomake(a, "-H", "hello_world").stdout).toContain("hello_world is up to date");
    a.write("world", "dolly\n");
    const rebuilt = biomake(a, "-H", "hello_world");
    expect(rebuilt.stdout).toContain("echo world >world");
    expect(a.tmake("-H", "hello_world").stdout).toBe("tmake: 'hello_world' is up to date.\n");
    // biomake builds, tmake finds everything up to date and rebuilds on a change.
    const b = new Tree(HELLO);
    biomake(b, "-H", "hello_world");
    expect(b.tmake("-H", "hello_world").stdout).toBe("tmake: 'hello_world' is up to date.\n");
    b.sh("sleep 1; echo changed >hello");
    expect(b.tmake("-H", "hello_world").stdout).toBe("echo hello >hello\n");
    expect(biomake(b, "-H", "hello_world").stdout).toContain("hello_world is up to date");
  });
});

describe("--checksum", () => {
  const names = ["plain", "with space", "back\\slash", "two\\\\back", "cr\rx"];
  const make = (): Tree => {
    const t = new Tree("");
    names.forEach((n, i) => t.write(n, `content ${i}\n`.repeat(i + 1)));
    return t;
  };
  const tool = (t: Tree, cmd: string): Run => {
    const r = spawnSync(cmd, names, { cwd: t.dir, encoding: "utf8" });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  };
  const has = (cmd: string): boolean => spawnSync(cmd, ["--version"]).status === 0;

  it.skipIf(!has("md5sum"))("prints md5sum's lines", () => {
    const t = make();
    const ours = t.tmake("--checksum", ...names);
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(tool(t, "md5sum").stdout);
    expect(ours.stdout).toContain("\\");
  });

  it.skipIf(!has("b3sum"))("prints b3sum's lines with --hash-algo blake3 (skipped without b3sum)", () => {
    const t = make();
    const ours = t.tmake("--checksum", "--hash-algo", "blake3", ...names);
    expect(ours.stdout).toBe(tool(t, "b3sum").stdout);
  });

  it("says a file it cannot read, prints the others and exits 1", () => {
    const t = make();
    const r = t.tmake("--checksum", "plain", "nothere");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^[0-9a-f]{32} {2}plain\n$/);
    expect(r.stderr).toBe("tmake: nothere: No such file or directory\n");
  });
});
