// Unit tests for the built-in functions (ts/src/expand/functions), run through a small fake
// FunctionContext with a tiny expander of its own. Expected values were taken from GNU Make
// 4.3; every group also runs some cases through the installed GNU `make` live and compares,
// so a wrong literal expectation cannot hide.
import { RunContext } from "../src/run-context.js";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MakeError } from "../src/messages.js";
import { foldShellOutput } from "../src/expand/functions/effects.js";
import { builtinFunctions, invokeBuiltin, substitutionRef } from "../src/expand/functions/index.js";
import { formatFloat } from "../src/expand/functions/biomake.js";
import type { FunctionContext } from "../src/expand/functions/types.js";

interface FakeVar {
  value: string;
  flavor: "recursive" | "simple";
  origin: string;
}

/** A minimal stand-in for the language helper's expander: `$$`, `$x`, `$(VAR)`, `${VAR}`,
 * computed names, `$(VAR:a=b)` and `$(fn args)` calls dispatched to the real function table. */
class FakeContext implements FunctionContext {
  readonly scopes: Map<string, FakeVar>[] = [new Map()];
  readonly infos: string[] = [];
  readonly warnings: string[] = [];
  readonly evals: string[] = [];
  loc = { file: "Makefile", line: 1 };
  readonly run = new RunContext();

  constructor(
    readonly cwd: string = process.cwd(),
    vars: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(vars)) this.define(k, v, "recursive", "file");
  }

  define(name: string, value: string, flavor: FakeVar["flavor"] = "recursive", origin = "file"): void {
    this.scopes[0]!.set(name, { value, flavor, origin });
  }

  lookup(name: string): FakeVar | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  expandVariable(name: string): string {
    const v = this.lookup(name);
    if (v === undefined) return "";
    return v.flavor === "recursive" ? this.expand(v.value) : v.value;
  }

  withLocals<T>(vars: Record<string, string>, body: () => T): T {
    const scope = new Map<string, FakeVar>();
    for (const [k, v] of Object.entries(vars)) scope.set(k, { value: v, flavor: "simple", origin: "automatic" });
    this.scopes.push(scope);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  evalText(text: string): void {
    this.evals.push(text);
    const m = /^(\S+)\s*=\s*(.*)$/.exec(text);
    if (m) this.define(m[1]!, m[2]!);
  }

  shell(command: string): { stdout: string; status: number } {
    const r = spawnSync("/bin/sh", ["-c", command], { cwd: this.cwd, encoding: "utf8" });
    return { stdout: r.stdout, status: r.status ?? 128 + (os.constants.signals[r.signal!] ?? 0) };
  }

  warn(message: string): void {
    this.warnings.push(`${this.loc.file}:${this.loc.line}: ${message}`);
  }

  info(message: string): void {
    this.infos.push(message);
  }

  fatal(message: string): never {
    throw new MakeError(message, this.loc);
  }

  setGlobal(name: string, value: string): void {
    this.scopes[0]!.set(name, { value, flavor: "simple", origin: "override" });
  }

  expand(text: string): string {
    let out = "";
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c !== "$") {
        out += c;
        i++;
        continue;
      }
      const open = text[i + 1];
      if (open === undefined) {
        out += "$";
        break;
      }
      if (open !== "(" && open !== "{") {
        out += open === "$" ? "$" : this.expandVariable(open);
        i += 2;
        continue;
      }
      const close = open === "(" ? ")" : "}";
      let depth = 0;
      let j = i + 2;
      for (; j < text.length; j++) {
        if (text[j] === open) depth++;
        else if (text[j] === close && depth-- === 0) break;
      }
      out += this.reference(text.slice(i + 2, j), open, close);
      i = j + 1;
    }
    return out;
  }

  private reference(inner: string, open: string, close: string): string {
    const fm = /^([a-z-]+)(?:[ \t]|$)/.exec(inner);
    const fn = fm ? builtinFunctions.get(fm[1]!) : undefined;
    if (fm && fn) {
      let rest = inner.slice(fm[0].length);
      rest = rest.replace(/^[ \t]+/, "");
      const args: string[] = [];
      let depth = 0;
      let start = 0;
      for (let k = 0; k < rest.length; k++) {
        if (fn.maxArgs > 0 && args.length === fn.maxArgs - 1) break;
        if (rest[k] === open) depth++;
        else if (rest[k] === close) depth--;
        else if (rest[k] === "," && depth === 0) {
          args.push(rest.slice(start, k));
          start = k + 1;
        }
      }
      args.push(rest.slice(start));
      return invokeBuiltin(fm[1]!, fn, fn.expandArgs ? args.map((a) => this.expand(a)) : args, this);
    }
    const name = this.expand(inner);
    const colon = name.indexOf(":");
    const eq = name.indexOf("=", colon);
    if (colon >= 0 && eq > colon) {
      return substitutionRef(this.expandVariable(name.slice(0, colon)), name.slice(colon + 1, eq), name.slice(eq + 1));
    }
    return this.expandVariable(name);
  }
}

// ---------------------------------------------------------------------------------------
// Live GNU make

interface GnuResult {
  /** What `$(info <<<EXPR>>>)` printed between the markers, or undefined on failure. */
  value?: string;
  /** GNU's fatal message without "FILE:LINE: *** " and ".  Stop.". */
  fatal?: string;
  stdout: string;
  stderr: string;
}

/** Runs GNU make on a makefile that defines `vars` (recursive) and `simple` (:=) and prints
 * EXPR between markers. */
function gnu(expr: string, opts: { vars?: Record<string, string>; simple?: Record<string, string>; cwd?: string } = {}): GnuResult {
  const dir = opts.cwd ?? fs.mkdtempSync(path.join(os.tmpdir(), "tmake-fn-"));
  const mk = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tmake-fnmk-")), "Makefile");
  const lines = [
    ...Object.entries(opts.vars ?? {}).map(([k, v]) => `${k} = ${v}`),
    ...Object.entries(opts.simple ?? {}).map(([k, v]) => `${k} := ${v}`),
    `$(info <<<${expr}>>>)`,
    "all:;@:",
  ];
  fs.writeFileSync(mk, `${lines.join("\n")}\n`);
  const r = spawnSync("make", ["-s", "-f", mk], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME, LC_ALL: "C" } });
  const m = /<<<([\s\S]*)>>>\n/.exec(r.stdout);
  const f = /^\S*: \*\*\* ([\s\S]*)\. {2}Stop\.\n$/m.exec(r.stderr);
  return { value: m?.[1], fatal: f?.[1], stdout: r.stdout, stderr: r.stderr };
}

/** Our result for EXPR in the same setting: the value, or the fatal message. */
function ours(
  expr: string,
  opts: { vars?: Record<string, string>; simple?: Record<string, string>; cwd?: string } = {},
): { value?: string; fatal?: string; ctx: FakeContext } {
  const ctx = new FakeContext(opts.cwd, opts.vars);
  for (const [k, v] of Object.entries(opts.simple ?? {})) ctx.define(k, ctx.expand(v), "simple");
  try {
    return { value: ctx.expand(expr), ctx };
  } catch (e) {
    if (e instanceof MakeError) return { fatal: e.message, ctx };
    throw e;
  }
}

/** Evaluates EXPR both ways and expects the same value or the same fatal message. */
function expectSameAsGnu(expr: string, opts: Parameters<typeof gnu>[1] = {}): void {
  const g = gnu(expr, opts);
  const o = ours(expr, opts);
  expect(g.value !== undefined || g.fatal !== undefined, `GNU make ran: ${g.stderr}`).toBe(true);
  expect({ expr, value: o.value, fatal: o.fatal }).toEqual({ expr, value: g.value, fatal: g.fatal });
}

function value(expr: string, vars: Record<string, string> = {}, cwd?: string): string {
  return new FakeContext(cwd, vars).expand(expr);
}

function fatal(expr: string, vars: Record<string, string> = {}): string {
  try {
    value(expr, vars);
  } catch (e) {
    if (e instanceof MakeError) return e.message;
    throw e;
  }
  throw new Error(`no error from ${expr}`);
}

const TAB = "\t";

// ---------------------------------------------------------------------------------------

describe("text functions", () => {
  it("subst replaces every occurrence, keeping spacing", () => {
    expect(value("$(subst bcd,xyz,abcdefg bcd)")).toBe("axyzefg xyz");
    expect(value("$(subst ee,EE,feet on the street)")).toBe("fEEt on the strEEt");
    expect(value("$(subst ,x,abc)")).toBe("abcx");
    expect(value("$(subst a,,a  b  a)")).toBe("  b  ");
  });

  it("patsubst with and without %", () => {
    expect(value("$(patsubst %.c,%.o,a.c b.d e.c f.c)")).toBe("a.o b.d e.o f.o");
    expect(value("$(patsubst %.c,,a.c b c.c d)")).toBe("b d");
    expect(value("$(patsubst %.c,%,a.c b c.c d)")).toBe("a b c d");
    expect(value("$(patsubst a,b,x   a  a)")).toBe("x   b  b");
    expect(value("$(patsubst ,x,a b )")).toBe("a b x");
    expect(value("$(patsubst ,x,)")).toBe("x");
    expect(value("$(patsubst a%,%,a b)")).toBe(" b");
    expect(value("$(patsubst  %.c , %.o ,  a.c   b.c  )")).toBe("a.c b.c");
  });

  it("patsubst handles backslash-quoted %", () => {
    expect(value("$(patsubst a\\%%,X%,a%b a\\%c)")).toBe("Xb a\\%c");
    expect(value("$(patsubst a\\\\%,X%,a\\b)")).toBe("Xb");
    expect(value("$(patsubst a\\\\\\%%,X%,a\\%b)")).toBe("Xb");
    expect(value("$(filter a\\%b,a%b ab)")).toBe("a%b");
  });

  it("substitution references", () => {
    const vars = { x: "a%b a\\%b ab", FEAR: "Fear is the mind killer" };
    expect(value("$(FEAR:killer=thriller)", vars)).toBe("Fear is the mind thriller");
    expect(value("$(FEAR:r=RRR)", vars)).toBe("FeaRRR is the mind killeRRR");
    expect(value("$(x:\\%b=Q)", vars)).toBe("aQ a\\Q ab");
    expect(value("$(x:a\\%b=Q\\%)", vars)).toBe("Q\\% a\\%b ab");
    expect(value("$(x:b=)", vars)).toBe("a% a\\% a");
    expect(value("$(x:%=<%>)", vars)).toBe("<a%b> <a\\%b> <ab>");
  });

  it("strip, findstring, filter, filter-out, sort", () => {
    expect(value(`$(strip  a  ${TAB} b${TAB}c  )`)).toBe("a b c");
    expect(value("$(strip this   string    has    lots      of redundant      space)")).toBe("this string has lots of redundant space");
    expect(value("$(findstring rabbit,fox cow rabbit duck)")).toBe("rabbit");
    expect(value("$(findstring rabbit,fox cow duck)")).toBe("");
    expect(value("$(findstring b c,ab c)")).toBe("b c");
    expect(value("$(findstring ,abc)")).toBe("");
    expect(value("$(filter %.c,rabbit.c fox.h cow.c duck.cpp)")).toBe("rabbit.c cow.c");
    expect(value("$(filter-out %.c,rabbit.c fox.h cow.c duck.cpp)")).toBe("fox.h duck.cpp");
    expect(value("$(filter %.c %.h,a.c b.h c.o a.c)")).toBe("a.c b.h a.c");
    expect(value("$(filter-out a b,a b c a d)")).toBe("c d");
    expect(value("$(sort b a  c a B)")).toBe("B a b c");
    expect(value("$(sort rabbit cow duck fox duck elephant)")).toBe("cow duck elephant fox rabbit");
    expect(value("$(sort )")).toBe("");
  });

  it("word, wordlist, words, firstword, lastword", () => {
    expect(value("$(word 2,a b c)")).toBe("b");
    expect(value("$(word  3 ,a b c)")).toBe("c");
    expect(value("$(word 4,a b c)")).toBe("");
    expect(value("$(word 99999999999,a)")).toBe("");
    expect(value("$(word 2, a  b  )")).toBe("b");
    expect(value("$(wordlist 3,5,He who controls the spice controls the universe)")).toBe("controls the spice");
    expect(value("$(wordlist 2,3,a  b   c  d)")).toBe("b   c");
    expect(value("$(wordlist 2,9,a  b   c  d  )")).toBe("b   c  d");
    expect(value("$(wordlist 2,1,a b c)")).toBe("");
    expect(value("$(wordlist 2,0,a b c)")).toBe("");
    expect(value("$(words a b  c)")).toBe("3");
    expect(value(`$(words a${TAB}b\n)`)).toBe("2");
    expect(value("$(words )")).toBe("0");
    expect(value("$(firstword  x y)")).toBe("x");
    expect(value("$(firstword )")).toBe("");
    expect(value("$(lastword a b c )")).toBe("c");
  });

  it("numeric argument errors use GNU 4.3's wording", () => {
    expect(fatal("$(word 0,a)")).toBe("first argument to 'word' function must be greater than 0");
    expect(fatal("$(word x,a)")).toBe("non-numeric first argument to 'word' function: 'x'");
    expect(fatal("$(word , a)")).toBe("non-numeric first argument to 'word' function: ''");
    expect(fatal("$(word -1,a)")).toBe("non-numeric first argument to 'word' function: '-1'");
    expect(fatal("$(word 1x ,a)")).toBe("non-numeric first argument to 'word' function: '1x '");
    expect(fatal("$(wordlist x,2,a)")).toBe("non-numeric first argument to 'wordlist' function: 'x'");
    expect(fatal("$(wordlist 1,y ,a)")).toBe("non-numeric second argument to 'wordlist' function: 'y '");
    expect(fatal("$(wordlist 0,2,a)")).toBe("invalid first argument to 'wordlist' function: '0'");
  });

  it("agrees with GNU make (live)", () => {
    const vars = { S: "hello world", FEAR: "Fear is the mind killer", x: "a.c  b.h   c.c" };
    for (const expr of [
      "$(subst a,,a  b  a)",
      "$(patsubst %.c,%.o,$(x))",
      "$(patsubst %.c,,a.c b c.c d)",
      "$(patsubst a,b,x   a  a )",
      "$(patsubst ,x,a b )",
      "$(patsubst a%,%,a b)",
      "$(x:.c=.o)",
      "$(x:%.c=%)",
      "$(filter %.c a%,$(x) abc)",
      "$(filter-out %.c,$(x))",
      "$(sort b a c a B aa a)",
      "$(wordlist 2,3,$(x))",
      "$(wordlist 1,2,  a  b  c)",
      "$(word 2,$(FEAR))",
      "$(lastword $(S))",
      "$(strip $(x)  )",
      "$(word 0,a)",
      "$(word 3x,a)",
      "$(wordlist 1, 2a,a)",
      "$(wordlist 0,1,a)",
    ]) {
      expectSameAsGnu(expr, { vars });
    }
  });
});

// ---------------------------------------------------------------------------------------

describe("file name functions", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-fnglob-"));
    for (const d of ["d1/sub", "d2", ".hd"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
    for (const f of ["a.c", "b.c", "c.h", ".hid", "d1/x.c", "d2/y.c", "d1/sub/z.c", "sp ace", "st*r", "B.c", "x-y", "a]b"]) {
      fs.writeFileSync(path.join(dir, f), "");
    }
    fs.symlinkSync("nowhere", path.join(dir, "dangling"));
    fs.symlinkSync("a.c", path.join(dir, "lfile"));
    fs.symlinkSync("d1", path.join(dir, "ldir"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("dir, notdir, suffix, basename", () => {
    const list = "a/b/c d/ e . /x /";
    expect(value(`$(dir ${list})`)).toBe("a/b/ d/ ./ ./ / /");
    expect(value(`$(notdir ${list})`)).toBe("c  e . x ");
    expect(value("$(suffix a.b/c d.e/f.g h.i.j k .l a/.b)")).toBe(".g .j .l .b");
    expect(value("$(basename a.b/c d.e/f.g h.i.j k .l a/.b /)")).toBe("a.b/c d.e/f h.i k  a/ /");
    expect(value("$(dir a/bc/def/g hij/k/l m/n/o/p/q)")).toBe("a/bc/def/ hij/k/ m/n/o/p/");
    expect(value("$(basename punk.rock classical.music thrash.metal)")).toBe("punk classical thrash");
  });

  it("addprefix, addsuffix, join", () => {
    expect(value("$(addprefix p-,a  b)")).toBe("p-a p-b");
    expect(value("$(addsuffix  x , a b )")).toBe("ax  bx ");
    expect(value("$(addprefix soap ,dish opera bar)")).toBe("soap dish soap opera soap bar");
    expect(value("$(join a b c,1 2)")).toBe("a1 b2 c");
    expect(value("$(join a,1 2 3)")).toBe("a1 2 3");
    expect(value("$(join inter super D,national star J)")).toBe("international superstar DJ");
    expect(value("$(join ,)")).toBe("");
  });

  it("abspath and realpath", () => {
    expect(value("$(abspath /usr/share/../lib /etc//hosts /this/file/does/not/exist)")).toBe("/usr/lib /etc/hosts /this/file/does/not/exist");
    expect(value("$(abspath a ../b ./c/../d / /.. x//y/ .)", {}, "/tmp/fx/w")).toBe("/tmp/fx/w/a /tmp/fx/b /tmp/fx/w/d / / /tmp/fx/w/x/y /tmp/fx/w");
    const real = fs.realpathSync(dir);
    expect(value("$(realpath . d1/../a.c ldir lfile dangling nothere a.c/)", {}, dir)).toBe(`${real} ${real}/a.c ${real}/d1 ${real}/a.c`);
    expect(value("$(realpath /this/file/does/not/exist)")).toBe("");
  });

  it("wildcard: sorting per word, hidden files, directories, escapes", () => {
    const w = (p: string): string => value(`$(wildcard ${p})`, {}, dir);
    expect(w("*.c")).toBe("B.c a.c b.c");
    expect(w("*.c *.c a.c")).toBe("B.c a.c b.c B.c a.c b.c a.c");
    expect(w(".*")).toBe(". .. .hd .hid");
    expect(w("*/")).toBe("d1/ d2/ ldir/");
    expect(w("d*/")).toBe("d1/ d2/");
    expect(w("*//")).toBe("d1// d2// ldir//");
    expect(w("d*//")).toBe("d1/ d2/");
    expect(w("a.c/ lfile/ dangling/ d1/")).toBe("a.c lfile dangling d1/");
    expect(w("*/*.c")).toBe("d1/x.c d2/y.c ldir/x.c");
    expect(w("*/*/")).toBe("d1/sub/ ldir/sub/");
    expect(w("./*.c")).toBe("./B.c ./a.c ./b.c");
    expect(w(".//a.c nothere")).toBe(".//a.c");
    expect(w("dangling [ab].c [!a].c [^a].c [!]].c []a].c [\\]a].c")).toBe("dangling a.c b.c B.c b.c B.c b.c B.c a.c b.c a.c a.c");
    expect(w("{a,b}.c [a *.")).toBe("");
    expect(w("sp\\ ace st\\*r st*r \\a.c")).toBe("sp ace st*r st*r a.c");
    expect(w("[[:lower:]].c ?.?")).toBe("a.c b.c B.c a.c b.c c.h");
    expect(w("./ . / */. d?/..")).toBe("./ . / d1/. d2/. ldir/. d1/.. d2/..");
    expect(w("~")).toBe(process.env.HOME);
  });

  it("agrees with GNU make (live)", () => {
    for (const expr of [
      "$(dir a/b/c d/ e . /x /)",
      "$(notdir a/b/c d/ e . /x /)",
      "$(suffix a.b/c d.e/f.g h.i.j k .l a/.b)",
      "$(basename a.b/c d.e/f.g h.i.j k .l a/.b /)",
      "$(join a b c,1 2)",
      "$(addsuffix .x,a  b)",
      "$(abspath a ../b ./c/../d / /.. x//y/ .)",
      "$(realpath . d1/../a.c ldir lfile dangling nothere a.c/)",
      "$(wildcard *.c .* */ d*/ *// d*// a.c/ lfile/ dangling/ d1/ */*.c */*/)",
      "$(wildcard ./*.c .//a.c [ab].c [!a].c [!]].c []a].c [\\]a].c {a,b}.c [a *.)",
      "$(wildcard sp\\ ace st\\*r \\a.c [[:lower:]].c ?.? ./ . / */. d?/.. ~ ~/)",
      "$(wildcard $(addsuffix /*,d1 d2))",
      "$(wildcard d1//*.c */../a.c [d]1/x.c [z-a].c [a-]* *[]]* [[:punct:]]* *[[:punct:]]* *\\ a[)",
    ]) {
      expectSameAsGnu(expr, { cwd: dir });
    }
  });
});

// ---------------------------------------------------------------------------------------

describe("conditionals, intcmp, foreach, let", () => {
  const sp = { sp: "$(subst x, ,x)" };

  it("if strips the condition before expanding it", () => {
    expect(value("$(if $(sp),yes,no)", sp)).toBe("yes");
    expect(value("$(if  ,yes,no)")).toBe("no");
    expect(value("$(if a,yes)")).toBe("yes");
    expect(value("$(if ,yes)")).toBe("");
    expect(value("$(if a , b , c )")).toBe(" b ");
    expect(value("$(if $(empty),$(info no),ok)")).toBe("ok");
  });

  it("or and and short-circuit", () => {
    expect(value("$(or , $(sp),x)", sp)).toBe(" ");
    expect(value("$(or ,,)")).toBe("");
    expect(value("$(or  a ,b)")).toBe("a");
    expect(value("$(and a,b, c )")).toBe("c");
    expect(value("$(and a,,c)")).toBe("");
    expect(value("$(and a, ,c)")).toBe("");
    const ctx = new FakeContext();
    expect(ctx.expand("$(and $(info one)x,$(info two),$(info three)y)")).toBe("");
    expect(ctx.infos).toEqual(["one", "two"]);
    const ctx2 = new FakeContext();
    expect(ctx2.expand("$(or $(info one),x,$(info never))")).toBe("x");
    expect(ctx2.infos).toEqual(["one"]);
  });

  it("intcmp (GNU 4.4)", () => {
    expect(value("$(intcmp -10,-10)")).toBe("-10");
    expect(value("$(intcmp -10,0)")).toBe("");
    expect(value("$(intcmp 007, +7)")).toBe("7");
    expect(value("$(intcmp -0,0)")).toBe("0");
    expect(value("$(intcmp 1,2,lt)")).toBe("lt");
    expect(value("$(intcmp 2,1,lt)")).toBe("");
    expect(value("$(intcmp 2,2,lt)")).toBe("");
    expect(value("$(intcmp -10,1000000000,lt,ge)")).toBe("lt");
    expect(value("$(intcmp 0,0,lt,ge)")).toBe("ge");
    expect(value("$(intcmp 5,0,lt,ge)")).toBe("ge");
    expect(value("$(intcmp 5,0,lt,eq,)")).toBe("");
    expect(value("$(intcmp 0,5,lt,eq,gt)")).toBe("lt");
    expect(value("$(intcmp 5,5,lt,eq,gt)")).toBe("eq");
    expect(value("$(intcmp 5,0,lt,eq,gt,more)")).toBe("gt,more");
    expect(value("$(intcmp -5,-3,lt,eq,gt)")).toBe("lt");
    expect(value("$(intcmp 99999999999999999999999,99999999999999999999998,lt,eq,gt)")).toBe("gt");
    expect(fatal("$(intcmp 12a,1,foo)")).toBe("non-numeric first argument to 'intcmp' function: '12a'");
    expect(fatal("$(intcmp 0,,foo)")).toBe("non-numeric second argument to 'intcmp' function: empty value");
    expect(fatal("$(intcmp 1, - ,foo)")).toBe("non-numeric second argument to 'intcmp' function: ' - '");
    expect(fatal("$(intcmp 1)")).toBe("insufficient number of arguments (1) to function 'intcmp'");
    const ctx = new FakeContext();
    expect(ctx.expand("$(intcmp 1,2,$(info lt)a,$(info eq)b,$(info gt)c)")).toBe("a");
    expect(ctx.infos).toEqual(["lt"]);
  });

  it("foreach binds a simple automatic variable and restores the outer one", () => {
    expect(value("$(foreach x , a b  c , <$x>)")).toBe(" <a>  <b>  <c>");
    expect(value("$(foreach x,,y)")).toBe("");
    expect(value("$(foreach x y,a b,$x)")).toBe("a b");
    expect(value("$(foreach thing,Life Death Tax,$(thing) is constant.)")).toBe("Life is constant. Death is constant. Tax is constant.");
    const vars = { x: "outer" };
    expect(value("[$(foreach x,1 2,$x)] [$x] [$(foreach v,1,$(origin v) $(flavor v))]", vars)).toBe("[1 2] [outer] [automatic simple]");
    expect(value("$(foreach suff,cake bat,$(addsuffix $(suff),fruit pan pat-a-))")).toBe("fruitcake pancake pat-a-cake fruitbat panbat pat-a-bat");
  });

  it("let (GNU 4.4) binds the rest of the list to the last variable", () => {
    expect(value("$(let a b c,1 2 3 4  5 ,[$a][$b][$c])")).toBe("[1][2][3 4  5 ]");
    expect(value("$(let a b c,  1,[$a][$b][$c])")).toBe("[1][][]");
    expect(value("$(let a,  x  y ,[$a])")).toBe("[x  y ]");
    expect(value("$(let ,x,[body])")).toBe("[body]");
    expect(value(`$(let a b,x${TAB}${TAB}y,[$a][$b])`)).toBe("[x][y]");
    expect(value("[$(let x,in,$x)] [$x]", { x: "out" })).toBe("[in] [out]");
  });

  it("agrees with GNU make (live)", () => {
    const vars = { sp: "$(subst x, ,x)", x: "outer", l: "a b  c" };
    for (const expr of [
      "$(if $(sp),yes,no)",
      "$(if  ,yes,no)[$(if a , b , c )][$(if ,a)]",
      "$(or , $(sp),x)[$(or ,,)][$(or  a ,b)]",
      "$(and a,b, c )[$(and a,,c)][$(and a, ,c)]",
      "$(foreach x , $(l) , <$x>)[$x]",
      "$(foreach x y,a b,$x)",
      "$(foreach v,1,$(origin v) $(flavor v))",
    ]) {
      expectSameAsGnu(expr, { vars });
    }
  });
});

// ---------------------------------------------------------------------------------------

describe("call, value, origin, flavor, eval", () => {
  const fvars = {
    f: "<$0|$1|$2|$3>",
    g: "$(call f,a)",
    h: "$(call f,x,y,z) $(call g,q,r)",
    reverse: "$(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1)))) $(firstword $(1))",
  };

  it("binds $(0) $(1) ... and hides outer arguments in nested calls", () => {
    expect(value("$(call f,a,b)", fvars)).toBe("<f|a|b|>");
    expect(value("$(call h)", fvars)).toBe("<f|x|y|z> <f|a||>");
    expect(value("$(call undefinedvar,a)", fvars)).toBe("");
    expect(value("$(call ,a)", fvars)).toBe("");
    expect(value("$(call  f ,a)", fvars)).toBe("<f|a||>");
    expect(value("$(strip $(call reverse,a b c d))", fvars)).toBe("d c b a");
  });

  it("calls built-ins by name and leaves simple variables unexpanded", () => {
    expect(value("$(call words,a b c)")).toBe("3");
    expect(value("$(call word,2,a b c,d)")).toBe("b");
    expect(value("$(call if,,a,b)")).toBe("b");
    expect(value("$(call words)")).toBe("");
    expect(fatal("$(call word,2)")).toBe("insufficient number of arguments (1) to function 'word'");
    const ctx = new FakeContext();
    ctx.define("s", "$1-$2", "simple");
    expect(ctx.expand("$(call s,A,B)")).toBe("$1-$2");
    ctx.define("e", "", "recursive");
    expect(ctx.expand("$(call e,A)")).toBe("");
  });

  it("value, origin, flavor", () => {
    const ctx = new FakeContext();
    ctx.define("F", "$(G) x");
    ctx.define("S", "1", "simple");
    ctx.define("CC", "cc", "recursive", "default");
    ctx.define("E", "e", "recursive", "environment");
    expect(ctx.expand("[$(value F)] [$(value  F)] [$(value F )] [$(value nope)]")).toBe("[$(G) x] [$(G) x] [] []");
    expect(ctx.expand("$(origin F) $(origin CC) $(origin E) $(origin nope) $(origin CC )")).toBe("file default environment undefined undefined");
    expect(ctx.expand("$(flavor F) $(flavor S) $(flavor nope)")).toBe("recursive simple undefined");
  });

  it("eval passes the expanded text on and expands to nothing", () => {
    const ctx = new FakeContext();
    ctx.define("N", "V");
    expect(ctx.expand("[$(eval $(N) = 1)]")).toBe("[]");
    expect(ctx.evals).toEqual(["V = 1"]);
    expect(ctx.expand("$(V)")).toBe("1");
  });

  it("agrees with GNU make (live)", () => {
    for (const expr of [
      "$(call f,a,b)",
      "$(call h)",
      "$(call undefinedvar,a)[$(call ,a)][$(call  f ,a)]",
      "$(strip $(call reverse,a b c d))",
      "$(call words,a b c)[$(call word,2,a b c,d)][$(call if,,a,b)]",
      "$(value f)[$(value f )][$(origin f)][$(origin undefinedvar)][$(flavor f)][$(flavor g )]",
    ]) {
      expectSameAsGnu(expr, { vars: fvars });
    }
    expectSameAsGnu("$(call s,A,B)", { simple: { s: "$$1-$$2" } });
  });
});

// ---------------------------------------------------------------------------------------

describe("shell, error, warning, info, file", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-fnfile-"));
    fs.mkdirSync(path.join(dir, "d1"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("folds newlines like GNU's fold_newlines", () => {
    expect(foldShellOutput("a\nb\n\n\n", true)).toBe("a b");
    expect(foldShellOutput("a\nb\n\n\n", false)).toBe("a b  ");
    expect(foldShellOutput("a\r\nb\r\n", true)).toBe("a b");
    expect(foldShellOutput("\n\na", true)).toBe("  a");
    expect(foldShellOutput("a  \n", true)).toBe("a  ");
    expect(foldShellOutput("a\r", true)).toBe("a\r");
  });

  it("shell sets .SHELLSTATUS, except for a blank command", () => {
    const ctx = new FakeContext(dir);
    expect(ctx.expand("[$(shell printf 'a\\nb\\n\\n')] [$(.SHELLSTATUS)]")).toBe("[a b] [0]");
    expect(ctx.expand("[$(shell exit 3)] [$(.SHELLSTATUS)] [$(origin .SHELLSTATUS)]")).toBe("[] [3] [override]");
    expect(ctx.expand("[$(shell )] [$(.SHELLSTATUS)]")).toBe("[] [3]");
    expect(ctx.expand("[$(shell kill -9 $$$$)] [$(.SHELLSTATUS)]")).toBe("[] [137]");
  });

  it("error, warning, info", () => {
    const ctx = new FakeContext();
    expect(ctx.expand("[$(warning  hello  )][$(info  hi  )]")).toBe("[][]");
    expect(ctx.warnings).toEqual(["Makefile:1: hello  "]);
    expect(ctx.infos).toEqual(["hi  "]);
    expect(fatal("$(error boom, and more)")).toBe("boom, and more");
  });

  it("file writes, appends and reads", () => {
    const ctx = new FakeContext(dir, { nl: "\n" });
    ctx.expand("$(file >out1,hello)$(file >>out1,world$(nl))$(file >out2)$(file >out3,)$(file > out4  x,a,b)");
    expect(fs.readFileSync(path.join(dir, "out1"), "utf8")).toBe("hello\nworld\n");
    expect(fs.readFileSync(path.join(dir, "out2"), "utf8")).toBe("");
    expect(fs.readFileSync(path.join(dir, "out3"), "utf8")).toBe("\n");
    expect(fs.readFileSync(path.join(dir, "out4  x"), "utf8")).toBe("a,b\n");
    fs.writeFileSync(path.join(dir, "crlf"), "a\n\r\n");
    expect(ctx.expand("[$(file <out1)][$(file < out1 )][$(file <nonexist)][$(file <out2)][$(file <out3)][$(file <crlf)]")).toBe("[hello\nworld][][][][][a\n]");
  });

  it("file errors", () => {
    const err = (e: string): string => {
      try {
        new FakeContext(dir).expand(e);
      } catch (x) {
        if (x instanceof MakeError) return x.message;
      }
      return "no error";
    };
    expect(err("$(file <out1,x)")).toBe("file: too many arguments");
    expect(err("$(file xout1)")).toBe("file: invalid file operation: xout1");
    expect(err("$(file >  )")).toBe("file: missing filename");
    expect(err("$(file <)")).toBe("file: missing filename");
    expect(err("$(file >/nonexist/x,a)")).toBe("open: /nonexist/x: No such file or directory");
    expect(err("$(file <d1)")).toBe("read: d1: Is a directory");
    expect(err("$(file >d1,a)")).toBe("open: d1: Is a directory");
  });

  it("agrees with GNU make (live)", () => {
    for (const expr of [
      "$(shell printf 'a\\nb\\n\\n\\n')[$(.SHELLSTATUS)]",
      "$(shell printf 'a\\r\\nb  \\r\\n')[$(shell exit 4)][$(.SHELLSTATUS)][$(shell )][$(.SHELLSTATUS)]",
      "$(file >f1,x)$(file >>f1,y)[$(file <f1)][$(file <nope)]",
      "$(file <f1,x)",
      "$(file xx yy ,a)",
      "$(file <d1)",
      "$(error a fatal, message)",
    ]) {
      expectSameAsGnu(expr, { cwd: dir });
    }
  });
});

// ---------------------------------------------------------------------------------------

describe("biomake arithmetic", () => {
  it("matches biomake's reference outputs", () => {
    expect(value("$(iota 10)")).toBe("1 2 3 4 5 6 7 8 9 10");
    expect(value("$(iota 3,6)")).toBe("3 4 5 6");
    expect(value("$(add 10,1 2 3)")).toBe("11 12 13");
    expect(value("$(multiply 3,2 4 6)")).toBe("6 12 18");
    expect(value("$(divide 2,1 3 8)")).toBe("0.5 1.5 4");
    expect(value("$(multiply 2,$(add 10,$(iota 3,6)))")).toBe("26 28 30 32");
  });

  it("keeps Prolog's number semantics", () => {
    expect(value("$(iota 0)")).toBe("");
    expect(value("$(iota 5,3)")).toBe("");
    expect(value("$(iota  2 , 4 )")).toBe("2 3 4");
    expect(value("$(add 1.5,1 -2)")).toBe("2.5 -0.5");
    expect(value("$(multiply 2.0,3)")).toBe("6.0");
    expect(value("$(divide 3,1 10)")).toBe("0.3333333333333333 3.3333333333333335");
    expect(value("$(multiply 99999999999999999999,10)")).toBe("999999999999999999990");
    expect(value("$(divide -4,8 -8)")).toBe("-2 2");
    expect(formatFloat(1e20)).toBe("1.0e20");
    expect(formatFloat(1e14)).toBe("100000000000000.0");
    expect(formatFloat(1e15)).toBe("1.0e15");
    expect(formatFloat(0.0001)).toBe("0.0001");
    expect(formatFloat(0.00001)).toBe("1.0e-5");
    expect(formatFloat(-1.25e-7)).toBe("-1.25e-7");
  });

  it("rejects bad numbers", () => {
    expect(fatal("$(add x,1)")).toBe("non-numeric first argument to 'add' function: 'x'");
    expect(fatal("$(multiply 2,1 b)")).toBe("non-numeric list element to 'multiply' function: 'b'");
    expect(fatal("$(divide 0,1)")).toBe("division by zero in 'divide' function");
    expect(fatal("$(iota a)")).toBe("non-numeric argument to 'iota' function: 'a'");
  });
});

describe("the function table", () => {
  it("has every GNU Make 4.4 function, biomake's arithmetic and biomake's $(bagof)", async () => {
    // $(bagof) is registered by the logic stage when it is loaded.
    await import("../src/logic/bagof.js");
    const gnu44 = [
      "abspath",
      "addprefix",
      "addsuffix",
      "and",
      "basename",
      "call",
      "dir",
      "error",
      "eval",
      "file",
      "filter",
      "filter-out",
      "findstring",
      "firstword",
      "flavor",
      "foreach",
      "if",
      "info",
      "intcmp",
      "join",
      "lastword",
      "let",
      "notdir",
      "or",
      "origin",
      "patsubst",
      "realpath",
      "shell",
      "sort",
      "strip",
      "subst",
      "suffix",
      "value",
      "warning",
      "wildcard",
      "word",
      "wordlist",
      "words",
    ];
    expect([...builtinFunctions.keys()].sort()).toEqual([...gnu44, "add", "divide", "iota", "multiply", "bagof"].sort());
  });

  it("declares GNU's argument counts and expansion", () => {
    const spec = (n: string): [number, number, boolean] => {
      const f = builtinFunctions.get(n)!;
      return [f.minArgs, f.maxArgs, f.expandArgs];
    };
    expect(spec("subst")).toEqual([3, 3, true]);
    expect(spec("if")).toEqual([2, 3, false]);
    expect(spec("or")).toEqual([1, 0, false]);
    expect(spec("foreach")).toEqual([3, 3, false]);
    expect(spec("let")).toEqual([3, 3, false]);
    expect(spec("intcmp")).toEqual([2, 5, false]);
    expect(spec("call")).toEqual([1, 0, true]);
    expect(spec("file")).toEqual([1, 2, true]);
    expect(spec("info")).toEqual([0, 1, true]);
  });
});
