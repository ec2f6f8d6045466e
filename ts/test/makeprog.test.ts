// biomake's Makeprog syntax (a build specification in Prolog: -p FILE, a default Makeprog or
// Makespec.pro, -P STRING) and its -T translation of makefiles, run end to end through the CLI
// (node dist/cli/main.js) in fresh directories.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runTmake, type RunResult, type Scenario } from "./helpers/diff.js";

const CONFORMANCE = "/work/shared/conformance/biomake/t";

/** Runs tmake; `files` become the directory's files (Makeprog, Makefile, ...). */
function tmake(files: Record<string, string>, args: string[] = [], extra: Partial<Scenario> = {}): RunResult {
  return runTmake({ files, args, ...extra });
}

describe("Makeprog rules", () => {
  it("reads ./Makeprog when no file is named: the first plain target is the default goal", () => {
    const r = tmake({
      Makeprog: "% a comment\n'hello' <-- ['world'], 'echo $< > $@'.\n'world' <-- [], 'echo made $@ > $@'.\n",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.files.world).toBe("made world\n");
    expect(r.files.hello).toBe("world\n");
    expect(r.stdout).toBe("echo made world > world\necho world > hello\n");
  });

  it("reads -p FILE: wildcards named in lower case, variables assigned with =", () => {
    const spec = "'$a.pltest' <-- [], 'echo $a >$@'.\nXyz = \"an upper-case variable\".\n'upper' <-- [], 'echo $(Xyz) >$@'.\n";
    const a = tmake({ spec }, ["-p", "spec", "low.pltest", "upper"]);
    expect(a.stderr).toBe("");
    expect(a.files["low.pltest"]).toBe("low\n");
    expect(a.files.upper).toBe("an upper-case variable\n");
  });

  it("lists of deps and recipe lines, pattern rules and multi-wildcard rules with goals", () => {
    const Makeprog = [
      "sp(mouse). sp(human).",
      "pair(X,Y) :- sp(X), sp(Y), X @< Y.",
      "'%.upper' <-- '%.txt', 'tr a-z A-Z < $< > $@'.",
      "'$X-$Y.pair' <-- ['$X.upper', '$Y.upper'], {pair(X,Y)},",
      "   ['cat $^ > $@', 'echo $X and $Y >> $@'].",
    ].join("\n");
    const files = { Makeprog, "human.txt": "h\n", "mouse.txt": "m\n", "dog.txt": "d\n" };
    const ok = tmake(files, ["human-mouse.pair"]);
    expect(ok.stderr).toBe("");
    expect(ok.files["human-mouse.pair"]).toBe("H\nM\nhuman and mouse\n");
    // The deps goal fails for an unknown species (and for the unordered pair).
    const no = tmake(files, ["dog-mouse.pair"]);
    expect(no.status).toBe(2);
    expect(no.stderr).toBe("tmake: *** No rule to make target 'dog-mouse.pair': the deps goal {pair(X,Y)} of rule Makeprog:4 failed for it.  Stop.\n");
    expect(no.files["dog-mouse.pair"]).toBeUndefined();
  });

  it("prerequisites bound by a target goal (biomake's Makespec.pro)", () => {
    const r = tmake({ "Makespec.pro": fs.readFileSync(path.join(CONFORMANCE, "init/prolog/Makespec.pro"), "utf8") });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const ref = path.join(CONFORMANCE, "ref/prolog");
    for (const f of fs.readdirSync(ref)) expect(r.files[f]).toBe(fs.readFileSync(path.join(ref, f), "utf8"));
    expect(Object.keys(r.files).sort()).toEqual(fs.readdirSync(ref).sort());
    // The goal's own output, once, before the recipes (findall's order: sp/1 gives zebrafish
    // first, then the mammals).
    expect(r.stdout.split("\n")[0]).toBe("DEPS=[t([mouse,-,zebrafish,.pair]),t([human,-,zebrafish,.pair]),t([human,-,mouse,.pair])]");
  });

  it("a target goal that fails leaves the rule out; the next rule for the target is used", () => {
    const r = tmake({
      Makeprog: "'t', {fail} <-- X, 'echo no > $@'.\n't', {X = ['d']} <-- X, 'echo $^ > $@'.\n'd' <-- [], 'touch d'.\n",
    });
    expect(r.stderr).toBe("");
    expect(r.files.t).toBe("d\n");
  });

  it("a target goal binding prerequisites sees TARGET and the makefile's variables", () => {
    const r = tmake({
      Makeprog: "Files = 'a.x b.x'.\nall, {split_string(Files, \" \", \"\", L), format(\"~w~n\", [TARGET])} <-- L.\n'%.x' <-- [], 'echo $* > $@'.\n",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("all\necho a > a.x\necho b > b.x\n");
    expect(r.files["b.x"]).toBe("b\n");
  });

  it("$ in a goal is Prolog's, not make's", () => {
    const r = tmake({ Makeprog: "'$X.ok' <-- [], {atom_length('$$', 2), X \\== 'no'}, 'echo $X > $@'.\n" }, ["yes.ok"]);
    expect(r.stderr).toBe("");
    expect(r.files["yes.ok"]).toBe("yes\n");
  });

  it("other terms are Prolog for the goals: directives, facts, rules, DCG rules", () => {
    const Makeprog = [
      ":- dynamic seen/1.",
      "greeting --> [hello], who.",
      "who --> [world].",
      "who --> [prolog].",
      "'$X.ok' <-- [], {atomic_list_concat(Ws, '_', X), phrase(greeting, Ws)}, 'echo $X > $@'.",
    ].join("\n");
    const ok = tmake({ Makeprog }, ["hello_prolog.ok"]);
    expect(ok.stderr).toBe("");
    expect(ok.files["hello_prolog.ok"]).toBe("hello_prolog\n");
    const no = tmake({ Makeprog }, ["hello_there.ok"]);
    expect(no.stderr).toBe(
      "tmake: *** No rule to make target 'hello_there.ok': the deps goal {atomic_list_concat(Ws,'_',X),phrase(greeting,Ws)} of rule Makeprog:5 failed for it.  Stop.\n",
    );
  });

  it("names with # and option(...) terms for special targets", () => {
    const r = tmake({
      Makeprog: "all <-- ['a#b', clean].\n'a#b' <-- [], 'echo x > \"$@\"'.\nclean <-- [], 'echo cleaned'.\noption(phony_targets([clean])).\n",
      clean: "",
    });
    expect(r.stderr).toBe("");
    expect(r.files["a#b"]).toBe("x\n");
    expect(r.stdout).toContain("cleaned\n"); // phony: made although the file exists
  });
});

describe("Makeprog variables", () => {
  it("=, :=, ?=, += and =* keep GNU's meanings", () => {
    const Makeprog = [
      "Lazy = '$(Later)'.",
      "Now := '[$(Later)]'.",
      "Later = later.",
      "Def ?= default.",
      "Later ?= ignored.",
      "List = a.",
      "List += [b, c].",
      "Shell =* 'echo from shell'.",
      "out <-- [], 'echo $(Lazy) $(Now) $(Def) $(Later) $(List) $(Shell) > $@'.",
    ].join("\n");
    const r = tmake({ Makeprog });
    expect(r.stderr).toBe("");
    expect(r.files.out).toBe("later [] default later a b c from shell\n");
  });

  it("Var := Pattern, {Goal} concatenates the pattern for every solution", () => {
    const r = tmake({ Makeprog: "sp(mouse). sp(human).\nAll := '$S.fa ', {sp(S)}.\nout <-- [], 'echo $(All)> $@'.\n" });
    expect(r.stderr).toBe("");
    expect(r.files.out).toBe("mouse.fa human.fa\n");
  });

  it("export(Var) puts a variable in the recipes' environment (biomake's Makespec.env2)", () => {
    const spec = fs.readFileSync(path.join(CONFORMANCE, "init/Makespec.env2"), "utf8");
    const r = tmake({ "Makespec.env2": spec }, ["-p", "Makespec.env2", "envtest3", "envtest4"]);
    expect(r.stderr).toBe("");
    expect(r.files.envtest3).toBe("hello\n");
    expect(r.files.envtest4).toBe("world\n");
    const unexported = tmake({ Makeprog: "V = hidden.\nout <-- [], 'echo [$$V] > $@'.\n" });
    expect(unexported.files.out).toBe("[]\n");
  });

  it("command-line variables outrank Makeprog assignments", () => {
    const r = tmake({ Makeprog: "V = file.\nout <-- [], 'echo $(V) > $@'.\n" }, ["V=cmdline"]);
    expect(r.files.out).toBe("cmdline\n");
  });
});

describe("-P STRING", () => {
  it("adds Makeprog text before the Makeprog", () => {
    const r = tmake({ Makeprog: "'$X.out' <-- [], {ok(X)}, 'echo $X > $@'.\n" }, ["-P", "ok(fine)", "-P", "V = 'from -P'.", "fine.out"]);
    expect(r.stderr).toBe("");
    expect(r.files["fine.out"]).toBe("fine\n");
  });

  it("evaluates Makeprog text with a makefile (biomake's cmdline_eval2)", () => {
    const makefile = "N = expected\nrun%:\n\techo $(N) $(C) $(E) > $@\n";
    const r = tmake({ Makefile: makefile }, ["C=mediocre.", "--eval-prolog", "E=deserving.", "run1"]);
    expect(r.stderr).toBe("");
    expect(r.files.run1).toBe("expected mediocre. deserving\n");
  });

  it("gives rules and clauses to a makefile's goals", () => {
    const makefile = "x_$X: { ok(X) }\n\techo $X > $@\n";
    const r = tmake({ Makefile: makefile }, ["-P", "ok(yes).", "-P", "extra <-- [], 'echo extra > $@'.", "x_yes", "extra"]);
    expect(r.stderr).toBe("");
    expect(r.files.x_yes).toBe("yes\n");
    expect(r.files.extra).toBe("extra\n");
  });
});

describe("errors", () => {
  it("a Prolog syntax error stops the run at its line", () => {
    const r = tmake({ Makeprog: "ok <-- [], 'true'.\n\nfoo(X :- bar.\n" });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("Makeprog:3: *** Syntax error: Operator expected.  Stop.\n");
  });

  it("a rule part that is not text, an unbound variable, a clause Prolog refuses", () => {
    const notText = tmake({ spec: "ok <-- [].\n'a' <-- foo(b), 'true'.\n" }, ["-p", "spec"]);
    expect(notText.status).toBe(2);
    expect(notText.stderr).toBe("spec:2: *** foo(b) is not a text (use a quoted atom, a string or a list of them).  Stop.\n");
    const unbound = tmake({ Makeprog: "a <-- [], Cmd.\n" });
    expect(unbound.stderr).toBe("Makeprog:1: *** unbound Prolog variable Cmd in the recipe of a Makeprog rule.  Stop.\n");
    const refused = tmake({ Makeprog: "a <-- [], true.\n\natom_length(x, 1).\n" });
    expect(refused.status).toBe(2);
    // Prolog's `name' quotes are make's 'name' (logic/engine.ts, makeQuotes).
    expect(refused.stderr).toBe("Makeprog:3: *** Prolog: No permission to modify static procedure 'atom_length/2'.  Stop.\n");
  });

  it("-p needs a Makeprog that exists; -P text has no location", () => {
    const missing = tmake({}, ["-p", "nosuch.pro"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("tmake: *** nosuch.pro: No such file or directory.  Stop.\n");
    const bad = tmake({ Makefile: "all:\n\ttrue\n" }, ["-P", "a <-- ."]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^tmake: \*\*\* Syntax error: .* {2}Stop\.\n$/);
  });

  it("`-p FILE` is biomake's when FILE holds a Makeprog rule or is named like one; otherwise -p is GNU's", () => {
    const spec = { spec: "which <-- [], 'echo makeprog > $@'.\n", Makefile: "which:\n\techo makefile > $@\nall:\n\t@echo all\n" };
    // An existing file that holds a Makeprog rule, found after -C too.
    expect(tmake(spec, ["-p", "spec", "which"]).files.which).toBe("makeprog\n");
    const sub = tmake(Object.fromEntries(Object.entries(spec).map(([k, v]) => [`d/${k}`, v])), ["-C", "d", "-p", "spec", "which"]);
    expect(sub.files["d/which"]).toBe("makeprog\n");
    // A word that is not a Makeprog is a goal, and -p prints the database (GNU's -p).
    const gnu = tmake(spec, ["-p", "all"]);
    expect(gnu.status).toBe(0);
    expect(gnu.stdout.split("\n")[0]).toBe("all");
    expect(gnu.stdout).toContain("\n# Files\n");
    expect(gnu.stdout).toMatch(/\n# Finished Make data base on .*\n$/);
    // The makefile itself is not a Makeprog: `-p Makefile` is -p and the goal Makefile.
    expect(tmake(spec, ["-p", "Makefile"]).stdout).toContain("\n# Make data base, printed on ");
    // Bundled, last or before an option, -p is always GNU's.
    for (const args of [
      ["-pn", "which"],
      ["which", "-p"],
      ["-p", "-n", "which"],
      ["-np", "spec"],
    ]) {
      const r = tmake(spec, args);
      expect(r.stdout, args.join(" ")).toContain("# Make data base, printed on ");
      expect(r.files.which, args.join(" ")).not.toBe("makeprog\n");
    }
    // The long names are biomake's alone.
    expect(tmake(spec, ["--prog", "spec", "which"]).files.which).toBe("makeprog\n");
    expect(tmake(spec, ["--print-data-base", "all"]).stdout).toContain("# Variables\n");
  });
});

describe("default file", () => {
  const both = { Makeprog: "which <-- [], 'echo makeprog > $@'.\n", Makefile: "which:\n\techo makefile > $@\n" };

  it("a Makeprog is looked for before the makefiles, as biomake does; -f names a makefile", () => {
    expect(tmake(both).files.which).toBe("makeprog\n");
    expect(tmake(both, ["-f", "Makefile"]).files.which).toBe("makefile\n");
    const lower = tmake({ "makespec.pro": "which <-- [], 'echo makespec > $@'.\n", GNUmakefile: "which:\n\techo gnu > $@\n" });
    expect(lower.files.which).toBe("makespec\n");
    expect(tmake({ Makefile: both.Makefile }).files.which).toBe("makefile\n");
  });
});

describe("-T FILE (translation to Makeprog syntax)", () => {
  it("writes biomake's translation of its Makefile.translate", () => {
    const makefile = fs.readFileSync(path.join(CONFORMANCE, "init/Makefile.translate"), "utf8");
    const r = tmake({ "Makefile.translate": makefile }, ["-f", "Makefile.translate", "-T", "Makefile.translated", "Makefile.translated"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.files["Makefile.translated"]).toBe(fs.readFileSync(path.join(CONFORMANCE, "ref/Makefile.translated"), "utf8"));
  });

  it("translates the branch a conditional takes, included files in place, prolog blocks clause by clause", () => {
    const Makefile = [
      "prolog",
      "sp(X) :- member(X, [a, b]).",
      "endprolog",
      "ifeq ($(MODE),fast)",
      "OPT = -O3",
      "else",
      "OPT = -O0",
      "endif",
      "include inc.mk",
      "define TWO",
      "one",
      "two",
      "endef",
      "export OPT",
      "out_$X: in_$X { sp(X) }",
      "\tcc $(OPT) $< > $@",
      "\t@echo done",
      ".PHONY: all",
      ".SILENT:",
      "",
    ].join("\n");
    const r = tmake({ Makefile, "inc.mk": "INC := yes # comment\n" }, ["-T", "out.pro", "MODE=fast"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(""); // translating is the whole task when no goal is named
    expect(r.files["out.pro"]).toBe(
      [
        "MAKEFILE_LIST += 'Makefile'.",
        "MAKECMDGOALS = ''.",
        "sp(X):-member(X,[a,b]).",
        'OPT = "-O3".',
        "MAKEFILE_LIST += 'inc.mk'.",
        'INC := "yes ".',
        'TWO = "one\\ntwo".',
        "export(OPT).",
        '"out_$X" <-- "in_$X", {sp(X)}, ["cc $(OPT) $< > $@","@echo done"].',
        "option(phony_targets([all])).",
        "option(silent(true)).",
        "",
      ].join("\n"),
    );
  });

  it("the translation builds what the makefile builds", () => {
    const Makefile = "N = 3\nall: a.out b.out\n%.out: %.in\n\techo $(N) > $@\n\tcat $< >> $@\n";
    const files = { Makefile, "a.in": "A\n", "b.in": "B\n" };
    const t = tmake(files, ["-T", "spec.pro"]);
    expect(t.status).toBe(0);
    const viaMakefile = tmake(files);
    const viaMakeprog = tmake({ ...files, "spec.pro": t.files["spec.pro"]! }, ["-p", "spec.pro"]);
    expect(viaMakeprog.stderr).toBe("");
    expect(viaMakeprog.stdout).toBe(viaMakefile.stdout);
    expect(viaMakeprog.files["a.out"]).toBe("3\nA\n");
    expect(viaMakeprog.files["b.out"]).toBe(viaMakefile.files["b.out"]);
  });

  it("refuses a variable Prolog cannot name, as biomake does", () => {
    const r = tmake({ Makefile: "objects = a.o\nall:\n" }, ["-T", "out.pro"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "Makefile:1: *** cannot translate the variable 'objects' to Prolog: a Prolog variable name starts with an upper-case letter or '_' and holds only letters, digits and '_'.  Stop.\n",
    );
    expect(r.files["out.pro"]).toBeUndefined();
  });
});
