// Biomake's multi-wildcard rules and rule precedence, run in-process on the real reader and build.
// Prolog goals are evaluated by a tiny stand-in that understands only the goal forms biomake's
// precedence and dep-chain makefiles use, so the ordering logic can be checked before the
// Prolog stage exists.
import { RunContext } from "../src/run-context.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { readMakefiles, defaultReadOptions } from "../src/read/index.js";
import { build } from "../src/remake/index.js";
import type { BuildOptions } from "../src/remake/options.js";
import type { GoalContext, GoalEvaluator } from "../src/implicit/goals.js";
import { loadBackend } from "../src/native/index.js";

const conformance = "/work/shared/conformance/biomake/t/init";

function options(cwd: string, goals: string[], extra: Partial<BuildOptions> = {}): BuildOptions {
  return {
    goals,
    dryRun: false,
    touch: false,
    question: false,
    keepGoing: false,
    silent: true,
    ignoreErrors: false,
    alwaysMake: false,
    assumeNew: [],
    assumeOld: [],
    noDependencies: false,
    oneShell: false,
    noBuiltinRules: false,
    debug: [],
    jobs: 1,
    cwd,
    run: new RunContext(),
    ...extra,
  };
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tmake-bm-"));
  for (const [n, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.writeFileSync(path.join(dir, n), t);
  }
  return dir;
}

async function run(dir: string, makefile: string, goals: string[], extra: Partial<BuildOptions> = {}): Promise<number> {
  const db = readMakefiles(defaultReadOptions({ makefiles: [makefile], cwd: dir, goals }));
  return build(db, options(dir, goals, extra));
}

/** Understands `V = 'atom'`, `atom_concat(P,S,V)` with `_` or quoted atoms, and `,`. */
const miniProlog: GoalEvaluator = {
  test(goal: string, ctx: GoalContext): boolean {
    const parts = goal.split(/,(?![^(]*\))/).map((s) => s.trim());
    return parts.every((g) => {
      const val = (t: string): string | undefined => {
        t = t.trim();
        if (t === "_") return undefined;
        const q = /^'(.*)'$/.exec(t);
        if (q) return q[1];
        return ctx.bindings.get(t);
      };
      let m = /^(\w+)\s*=\s*'(.*)'$/.exec(g);
      if (m) return ctx.bindings.get(m[1]!) === m[2];
      m = /^atom_concat\((.*),(.*),(.*)\)$/.exec(g);
      if (m) {
        const whole = val(m[3]!)!;
        const pre = val(m[1]!);
        const suf = val(m[2]!);
        return (pre === undefined || whole.startsWith(pre)) && (suf === undefined || whole.endsWith(suf));
      }
      throw new Error(`test evaluator cannot read goal ${g}`);
    });
  },
};

describe("biomake rule precedence (t/init/Makefile.precedence, t/ref)", () => {
  const cases: [string, string][] = [
    ["rule_precedence_generic", "generic is generic"],
    ["rule_precedence_specific1", "specific1 is specific1"],
    ["rule_precedence_specific2", "specific2 is specific2"],
    ["rule_precedence_specific3", "specific3 is specific3"],
    ["rule_precedence_somewhat_specific", "somewhat_specific is somewhat specific"],
    ["rule_precedence_even_more_control", "even_more_control is a control"],
    ["rule_precedence_even_more_specific", "even_more_specific is even more specific"],
  ];
  for (const [target, want] of cases) {
    it(target, async () => {
      const dir = tempDir({ "Makefile.precedence": fs.readFileSync(path.join(conformance, "Makefile.precedence"), "utf8") });
      expect(await run(dir, "Makefile.precedence", [target], { goalEvaluator: miniProlog })).toBe(0);
      expect(fs.readFileSync(path.join(dir, target), "utf8")).toBe(`${want}\n`);
    });
  }

  it("dep_chain: a failed deps goal moves on to the next rule after building its deps", async () => {
    const text = fs.readFileSync(path.join(conformance, "Makefile.depchain"), "utf8");
    const dir = tempDir({ "Makefile.depchain": text });
    expect(await run(dir, "Makefile.depchain", ["dep_chain_one_step"], { goalEvaluator: miniProlog })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "dep_chain_one_step"), "utf8")).toBe("This is dep3\n");
    expect(await run(dir, "Makefile.depchain", ["dep_chain_two_step"], { goalEvaluator: miniProlog })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "dep_chain_two_step"), "utf8")).toBe("This is dep2\n");
  });

  it("without a Prolog evaluator a rule with a goal is an error, not a match", async () => {
    const dir = tempDir({ "Makefile.precedence": fs.readFileSync(path.join(conformance, "Makefile.precedence"), "utf8") });
    expect(await run(dir, "Makefile.precedence", ["rule_precedence_specific1"])).toBe(2);
    expect(fs.existsSync(path.join(dir, "rule_precedence_specific1"))).toBe(false);
  });
});

describe("multi-wildcard rules", () => {
  it("binds every wildcard into prerequisites and recipe", async () => {
    const dir = tempDir({
      Makefile: "align-$X-$Y: $X.fa $Y.fa\n\tcat $X.fa $Y.fa > $@\n",
      "mouse.fa": "M\n",
      "human.fa": "H\n",
    });
    expect(await run(dir, "Makefile", ["align-mouse-human"])).toBe(0);
    expect(fs.readFileSync(path.join(dir, "align-mouse-human"), "utf8")).toBe("M\nH\n");
  });

  it("tries each split of the name until one has a theoretical path to its prerequisites", async () => {
    // align-a-b-c splits as (a, b-c) first, then (a-b, c); only a-b.fa and c.fa exist.
    const dir = tempDir({ Makefile: "align-$X-$Y: $X.fa $Y.fa\n\techo $X + $Y > $@\n", "a-b.fa": "", "c.fa": "" });
    expect(await run(dir, "Makefile", ["align-a-b-c"])).toBe(0);
    expect(fs.readFileSync(path.join(dir, "align-a-b-c"), "utf8")).toBe("a-b + c\n");
  });

  it("follows a chain through GNU pattern rules and other wildcard rules (multiple.wildcards.baz)", async () => {
    const dir = tempDir({ Makefile: fs.readFileSync(path.join(conformance, "Makefile"), "utf8") });
    expect(await run(dir, "Makefile", ["multiple.wildcards.baz"])).toBe(0);
    expect(fs.readFileSync(path.join(dir, "multiple.wildcards.baz"), "utf8")).toBe(
      fs.readFileSync(path.join(conformance, "../ref/multiple.wildcards.baz"), "utf8"),
    );
  });

  it("matches the names the build will search in one batch each, not one call per name", async () => {
    const species = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const pairs = species.flatMap((x) => species.filter((y) => y !== x).map((y) => `align-${x}-${y}`));
    const dir = tempDir({ Makefile: `all: ${pairs.join(" ")}\nalign-$X-$Y: $X.fa $Y.fa\n\tcat $^ > $@\n` });
    // A null build: every target is newer than its prerequisites.
    for (const s of species) fs.writeFileSync(path.join(dir, `${s}.fa`), "");
    for (const p of pairs) fs.writeFileSync(path.join(dir, p), "");
    for (const s of species) fs.utimesSync(path.join(dir, `${s}.fa`), 1_600_000_000, 1_600_000_000);
    const backend = loadBackend();
    const compile = backend.compilePatterns.bind(backend);
    const pairCalls: number[] = [];
    const spy = vi.spyOn(backend, "compilePatterns").mockImplementation((patterns) => {
      const set = compile(patterns);
      const match = set.matchBatch.bind(set);
      set.matchBatch = (names) => {
        const n = names.filter((name) => name.startsWith("align-")).length;
        if (n > 0) pairCalls.push(n);
        return match(names);
      };
      return set;
    });
    try {
      expect(await run(dir, "Makefile", [])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    // 1,560 names fit one batch; each is matched once.
    expect(pairCalls).toEqual([pairs.length]);
  });

  it("rejects a rule whose prerequisite has no theoretical path, and says there is no rule", async () => {
    const dir = tempDir({ Makefile: "out-$X: $X.in\n\tcp $< $@\n" });
    expect(await run(dir, "Makefile", ["out-zzz"])).toBe(2);
    expect(fs.existsSync(path.join(dir, "out-zzz"))).toBe(false);
  });
});

describe("variables bound by goals (GoalEvaluator.evaluate)", () => {
  /** Binds the variables of `A = B` conjuncts, B a bound name or a quoted atom; records calls. */
  const seen: { kind: string; bindings: Record<string, string> }[] = [];
  const binder: GoalEvaluator = {
    test: (goal, ctx) => binder.evaluate!(goal, ctx).ok,
    evaluate(goal: string, ctx: GoalContext) {
      seen.push({ kind: ctx.kind, bindings: Object.fromEntries(ctx.bindings) });
      const bound = new Map<string, string>();
      for (const part of goal.split(",").map((s) => s.trim())) {
        const m = /^(\w+)\s*=\s*(?:'(.*)'|(\w+))$/.exec(part);
        if (!m) throw new Error(`test evaluator cannot read goal ${part}`);
        const value = m[2] ?? ctx.bindings.get(m[3]!) ?? bound.get(m[3]!) ?? (m[3] === "DEPS" ? ctx.deps?.join(" ") : undefined);
        if (value === undefined) return { ok: false, bindings: new Map() };
        bound.set(m[1]!, value);
      }
      return { ok: true, bindings: bound };
    },
  };

  it("a target goal's variables reach the prerequisites, the deps goal and the recipe", async () => {
    seen.length = 0;
    const dir = tempDir({
      Makefile: "all: out-mouse\nout-$X {Y = X, Z = 'txt'}: $X.$Z {W = Y}\n\techo $X $Y $Z $W > $@\n",
      "mouse.txt": "",
    });
    expect(await run(dir, "Makefile", ["all"], { goalEvaluator: binder })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "out-mouse"), "utf8")).toBe("mouse mouse txt mouse\n");
    const deps = seen.find((s) => s.kind === "deps");
    expect(deps?.bindings).toEqual({ X: "mouse", Y: "mouse", Z: "txt" });
  });

  it("a deps goal's variables reach the recipe only", async () => {
    const dir = tempDir({ Makefile: "all: out-fly\nout-$X: $X.src {F = DEPS}\n\techo [$F] > $@\n", "fly.src": "" });
    expect(await run(dir, "Makefile", ["all"], { goalEvaluator: binder })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "out-fly"), "utf8")).toBe("[fly.src]\n");
  });

  it("a bound value with blanks, a lone `|` or nothing in it is cut into words as the text would be", async () => {
    const dir = tempDir({
      Makefile: [
        "all: two-x bar-x none-x",
        "two-$X {P = 'a.in b.in'}: $P",
        "\techo [$^] > $@",
        "bar-$X {B = '|'}: a.in $B b.in",
        "\techo [$^] [$|] > $@",
        "none-$X {E = ''}: $E a.in",
        "\techo [$^] > $@",
        "",
      ].join("\n"),
      "a.in": "",
      "b.in": "",
    });
    expect(await run(dir, "Makefile", ["all"], { goalEvaluator: binder })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "two-x"), "utf8")).toBe("[a.in b.in]\n");
    expect(fs.readFileSync(path.join(dir, "bar-x"), "utf8")).toBe("[a.in] [b.in]\n");
    expect(fs.readFileSync(path.join(dir, "none-x"), "utf8")).toBe("[a.in]\n");
  });

  it("a failing target goal sends the search on to the next rule", async () => {
    const dir = tempDir({ Makefile: "all: out-bee\nout-$X {X = Q}: $X.src\n\techo first > $@\nout-$X: $X.src\n\techo second > $@\n", "bee.src": "" });
    expect(await run(dir, "Makefile", ["all"], { goalEvaluator: binder })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "out-bee"), "utf8")).toBe("second\n");
  });
});

describe("goals on explicit and GNU pattern rules", () => {
  const binder: GoalEvaluator = {
    test: (goal, ctx) => binder.evaluate!(goal, ctx).ok,
    evaluate(goal: string, ctx: GoalContext) {
      const bound = new Map<string, string>();
      for (const part of goal.split(",").map((s) => s.trim())) {
        const m = /^(\w+)\s*=\s*(?:'(.*)'|(\w+))$/.exec(part);
        if (!m) throw new Error(`test evaluator cannot read goal ${part}`);
        const value = m[2] ?? ctx.bindings.get(m[3]!) ?? bound.get(m[3]!);
        if (value === undefined) return { ok: false, bindings: new Map() };
        bound.set(m[1]!, value);
      }
      return { ok: true, bindings: bound };
    },
  };

  it("an explicit rule's goals bind the recipe's variables", async () => {
    const dir = tempDir({ Makefile: "t {A = 'foo'}: {B = A}\n\techo $A $B > $@\n" });
    expect(await run(dir, "Makefile", ["t"], { goalEvaluator: binder })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "t"), "utf8")).toBe("foo foo\n");
  });

  it("pattern rules with goals are alternatives: a failed deps goal tries the next one", async () => {
    const dir = tempDir({
      Makefile: "%.out: %.in {Q = NOWHERE}\n\techo first > $@\n%.out: %.in {K = 'second'}\n\techo $K $* > $@\n",
      "x.in": "",
    });
    expect(await run(dir, "Makefile", ["x.out"], { goalEvaluator: binder })).toBe(0);
    expect(fs.readFileSync(path.join(dir, "x.out"), "utf8")).toBe("second x\n");
  });
});
