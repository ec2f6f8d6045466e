// -p / --print-data-base: the database in GNU Make's layout (print_data_base in main.c, with
// print_variable_data_base, print_dir_data_base, print_rule_data_base, print_file_data_base
// and print_vpath_data_base): the variables, the pattern-specific values, the implicit rules,
// the files and the vpath search paths, each section under GNU's heading and with GNU's comment
// lines, so that what reads GNU's database reads tmake's (bash-completion lists the targets of
// `make -npq`).
//
// It prints what the makefiles say, read from the Database: a file's rules, prerequisites,
// recipe, target-specific variables and special-target marks. GNU's lines about the state a
// build left a file in (implicit rule search done or not, modification time, updated or not)
// are not printed, nor GNU's hash-table and string-cache statistics. Files are listed in the
// order the makefiles first name them (GNU's order is its hash table's).
//
// biomake's multi-wildcard rules are listed after GNU's implicit rules, as written; a file the
// makefiles name that such a rule matches is listed as a target (with the rule's recipe and the
// wildcards' values), so it is offered for completion as GNU's explicit targets are.
import { loadBackend } from "../native/index.js";
import type { Variable } from "../expand/variables.js";
import type { Assignment, Database, RecipeLine, Rule } from "../read/database.js";
import type { Loc } from "../messages.js";
import { RuleSet, splitPattern, suffixList } from "../implicit/ruleset.js";
import { globalExtraPrereqs } from "./extra-prereqs.js";
import { collectSpecials } from "./specials.js";

export interface PrintOptions {
  /** The first comment lines (GNU prints its version; tmake names itself). */
  header: string[];
  /** -r: the built-in rules and suffixes are not there. */
  noBuiltinRules: boolean;
  cwd: string;
  /** The time the database is printed at (the two timestamp lines). */
  now?: Date;
}

/** C's ctime() without its newline: "Fri Dec  4 07:04:48 2026". */
function ctime(d: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

/** GNU's "(from 'Makefile', line 3)". */
const from = (loc: Loc | undefined): string => (loc === undefined ? "" : ` (from '${loc.file}', line ${loc.line})`);

/** How GNU names a variable's origin in the database. */
const ORIGIN_NAMES: Record<string, string> = {
  default: "default",
  environment: "environment",
  "environment override": "environment override",
  file: "makefile",
  "command line": "command line",
  override: "'override' directive",
  automatic: "automatic",
};

/** GNU's print_variable: the origin comment, then the definition as a makefile would write it
 * (`define` for a multi-line recursive value, `$(subst ,,  )` for a value of blanks only, `$`
 * doubled in a simple value). `prefix` starts the definition line (a target's name). */
function variableLines(v: Variable, prefix = "", commentPrefix = ""): string[] {
  const origin = `# ${ORIGIN_NAMES[v.origin] ?? v.origin}${v.private ? " private" : ""}${from(v.loc)}`;
  if (v.flavor === "recursive" && v.value.includes("\n")) return [origin, `${prefix}define ${v.name}`, v.value, "endef"];
  const op = v.flavor === "recursive" ? "=" : ":=";
  let value = v.flavor === "simple" ? v.value.replace(/\$/g, "$$$$") : v.value;
  if (value !== "" && value.trim() === "") value = `$(subst ,,${value})`;
  return [origin, `${commentPrefix}${prefix}${v.name} ${op} ${value}`];
}

/** A target- or pattern-specific assignment as written. */
function assignmentLines(a: Assignment, prefix: string, commentPrefix = ""): string[] {
  const op = a.op === "::=" || a.op === ":::=" ? ":=" : a.op;
  const origin = `# ${a.override ? "'override' directive" : "makefile"}${a.private ? " private" : ""}${from(a.loc)}`;
  return [origin, `${commentPrefix}${prefix}${a.name} ${op} ${a.value}`];
}

/** GNU's "#  recipe to execute (from 'Makefile', line 5):" and the lines, tab first. */
function recipeLines(lines: RecipeLine[], loc: Loc | undefined, builtin: boolean): string[] {
  if (lines.length === 0) return [];
  const head = builtin ? "#  recipe to execute (built-in):" : `#  recipe to execute${from(loc)}:`;
  return [head, ...lines.map((l) => `\t${l.text}`)];
}

/** What the makefiles say about one file: its rules, marks and variables. */
interface FileEntry {
  name: string;
  /** Prerequisites and order-only prerequisites of its single-colon rules, merged as GNU does. */
  deps: string[];
  orderOnly: string[];
  recipe?: { lines: RecipeLine[]; loc: Loc };
  /** The rules naming it as a target (single-colon); 0 means "Not a target". */
  targetOf: number;
  /** Each `::` rule's entry. */
  doubleColon: { deps: string[]; orderOnly: string[]; recipe?: { lines: RecipeLine[]; loc: Loc } }[];
  stem?: string;
  alsoMakes: string[];
  /** A biomake rule matches it: the rule and the wildcards' values. */
  biomake?: { rule: Rule; bindings: string };
  /** A target of GNU's reading of a biomake rule (see Rule.gnuTwin). */
  twin?: boolean;
}

/** The files the makefiles name, in the order they first name them, with their rules. */
function collectFiles(db: Database, goals: readonly string[]): Map<string, FileEntry> {
  const files = new Map<string, FileEntry>();
  const enter = (name: string): FileEntry => {
    let f = files.get(name);
    if (f === undefined) files.set(name, (f = { name, deps: [], orderOnly: [], targetOf: 0, doubleColon: [], alsoMakes: [] }));
    return f;
  };
  const add = (into: string[], names: string[]): void => {
    for (const n of names) if (!into.includes(n)) into.push(n);
  };
  for (const r of db.rules) {
    if (r.rawPrereqs !== undefined) continue; // biomake's: see biomakeMatches
    const targets = r.targetList();
    if (r.patternRule) continue; // implicit rules
    const recipe = r.hasRecipe ? { lines: r.recipeLines(), loc: r.recipeLoc } : undefined;
    for (const t of targets) {
      const f = enter(t);
      let deps = r.prereqList();
      let orderOnly = r.orderOnlyList();
      if (r.staticPattern !== undefined) {
        const p = splitPattern(r.staticPattern);
        const fits = t.length >= p.prefix.length + p.suffix.length && t.startsWith(p.prefix) && t.endsWith(p.suffix);
        if (!fits) continue;
        f.stem = t.slice(p.prefix.length, t.length - p.suffix.length);
        const put = (w: string): string => w.replace("%", f.stem!);
        deps = deps.map(put);
        orderOnly = orderOnly.map(put);
      }
      if (r.doubleColon) f.doubleColon.push({ deps, orderOnly, recipe });
      else {
        f.targetOf++;
        add(f.deps, deps);
        add(f.orderOnly, orderOnly);
        if (recipe !== undefined) f.recipe = recipe;
      }
      // GNU's also_make of a grouped target: the whole group, last target first.
      if (r.grouped) add(f.alsoMakes, [...targets].reverse());
      if (r.gnuTwin) f.twin = true;
      for (const d of [...deps, ...orderOnly]) enter(d);
    }
  }
  for (const name of db.targetVars.keys()) enter(name);
  // GNU enters the goals, the makefiles (to remake them) and .DEFAULT.
  for (const name of [...goals, ...db.makefiles.filter((m) => m !== "-"), ".DEFAULT"]) enter(name);
  return files;
}

/** Marks the files that are not targets of a GNU rule but that a biomake rule matches. */
function biomakeMatches(db: Database, files: Map<string, FileEntry>): void {
  const rules = db.rules.filter((r) => r.rawPrereqs !== undefined);
  if (rules.length === 0) return;
  const patterns: { rule: Rule; pattern: string }[] = rules.flatMap((rule) => rule.targetList().map((pattern) => ({ rule, pattern })));
  const set = loadBackend().compilePatterns(patterns.map((p) => p.pattern));
  const names = [...files.values()].filter((f) => f.targetOf === 0 && f.doubleColon.length === 0).map((f) => f.name);
  set.matchBatch(names).forEach((candidates, i) => {
    const first = candidates[0];
    if (first === undefined) return;
    const wildcards = set.info(first.pattern).wildcards;
    const bindings = wildcards.map((w, k) => `${w}=${first.bindings[k]}`).join(" ");
    files.get(names[i]!)!.biomake = { rule: patterns[first.pattern]!.rule, bindings };
  });
}

/** The sections of GNU's print_data_base, as lines. `goals` are the goals the build was asked
 * for (GNU has entered them in its file table). */
export function databaseText(db: Database, goals: readonly string[], opts: PrintOptions): string {
  const now = opts.now ?? new Date();
  const out: string[] = [...opts.header, "", `# Make data base, printed on ${ctime(now)}`];

  // Variables.
  out.push("", "# Variables", "");
  for (const name of db.globals.localNames()) {
    const v = db.globals.getLocal(name);
    if (v !== undefined) out.push(...variableLines(v));
  }

  // Pattern-specific variable values.
  out.push("", "# Pattern-specific Variable Values", "");
  let patternValues = 0;
  for (const p of db.patternVars) {
    out.push(`${p.pattern} :`);
    for (const a of p.assignments) out.push(...assignmentLines(a, "", "# "));
    out.push("");
    patternValues += p.assignments.length;
  }
  out.push(patternValues === 0 ? "# No pattern-specific variable values." : `# ${patternValues} pattern-specific variable values`);

  // Directories: tmake's directory cache is the build's, not kept in GNU's form.
  out.push("", "# Directories", "", "# tmake keeps no directory table in GNU's form.");

  // Implicit rules: GNU's, in search order, then biomake's multi-wildcard rules.
  out.push("", "# Implicit Rules", "");
  const specials = collectSpecials(db);
  const suffixes = suffixList(db.rules, !opts.noBuiltinRules);
  // Targets that may be suffix rules (".c.o:", ".c:"): the rule set takes those that the
  // final suffix list makes suffix rules, as GNU's convert_to_pattern does.
  const suffixRules = new Map<string, { recipe: RecipeLine[]; loc: Loc }>();
  for (const r of db.rules) {
    if (r.targetCount !== 1 || !r.hasRecipe || r.rawPrereqs !== undefined) continue;
    const t = r.names[r.start]!;
    if (t.startsWith(".")) suffixRules.set(t, { recipe: r.recipeLines(), loc: r.recipeLoc });
  }
  const userPatterns = db.rules.filter((r) => r.patternRule);
  const ruleSet = new RuleSet(userPatterns, suffixRules, suffixes, !opts.noBuiltinRules, globalExtraPrereqs(db, opts.cwd));
  let terminal = 0;
  for (const r of ruleSet.rules) {
    const sep = r.terminal ? "::" : ":";
    const deps = [...r.prereqs, ...(r.orderOnly.length > 0 ? ["|", ...r.orderOnly] : [])];
    out.push(`${r.targets.join(" ")}${sep}${deps.length > 0 ? ` ${deps.join(" ")}` : ""}`);
    out.push(...recipeLines(r.recipe, r.recipeRef.loc, r.builtin && r.loc.file === "<builtin>"), "");
    if (r.terminal) terminal++;
  }
  const biomakeRules = db.rules.filter((r) => r.rawPrereqs !== undefined);
  for (const r of biomakeRules) {
    out.push(`${r.targetList().join(" ")}:${r.rawPrereqs!.trim() === "" ? "" : ` ${r.rawPrereqs!.trim()}`}`);
    out.push(
      `#  biomake multi-wildcard rule${from(r.loc)}${r.targetGoal ? `, target goal {${r.targetGoal}}` : ""}${r.depsGoal ? `, deps goal {${r.depsGoal}}` : ""}.`,
    );
    out.push(...recipeLines(r.recipeLines(), r.recipeLoc, false), "");
  }
  const n = ruleSet.rules.length;
  out.push(`# ${n} implicit rules, ${terminal} (${n === 0 ? "0.0" : ((terminal * 100) / n).toFixed(1)}%) terminal.`);
  if (biomakeRules.length > 0) out.push(`# ${biomakeRules.length} biomake multi-wildcard rules.`);

  // Files.
  out.push("# Files", "");
  const files = collectFiles(db, goals);
  if (suffixes.length > 0 && !files.has(".SUFFIXES")) {
    // GNU enters .SUFFIXES with the default suffixes.
    files.set(".SUFFIXES", { name: ".SUFFIXES", deps: suffixes, orderOnly: [], targetOf: 1, doubleColon: [], alsoMakes: [] });
  }
  biomakeMatches(db, files);
  for (const f of files.values()) {
    for (const a of db.targetVars.get(f.name) ?? []) out.push(...assignmentLines(a, `${f.name}: `));
    const marks: string[] = [];
    if (specials.phony.has(f.name)) marks.push("#  Phony target (prerequisite of .PHONY).");
    if (goals.includes(f.name)) marks.push("#  Command line target.");
    if (f.stem !== undefined) marks.push(`#  Implicit/static pattern stem: '${f.stem}'`);
    if (specials.intermediate.has(f.name) || specials.secondary.has(f.name)) marks.push("#  File is an intermediate prerequisite.");
    if (f.alsoMakes.length > 0) marks.push(`#  Also makes: ${f.alsoMakes.join(" ")}`);
    if (specials.precious.has(f.name)) marks.push("#  Precious file (prerequisite of .PRECIOUS).");
    if (f.twin) marks.push("#  GNU's reading of a biomake multi-wildcard rule (its wildcards empty).");
    const depsText = (deps: string[], orderOnly: string[]): string =>
      [...deps, ...(orderOnly.length > 0 ? ["|", ...orderOnly] : [])].map((d) => ` ${d}`).join("");
    if (f.doubleColon.length > 0) {
      for (const e of f.doubleColon) {
        out.push(`${f.name}::${depsText(e.deps, e.orderOnly)}`, ...marks);
        if (e.recipe) out.push(...recipeLines(e.recipe.lines, e.recipe.loc, false));
        out.push("");
      }
      continue;
    }
    if (f.biomake !== undefined) {
      const r = f.biomake.rule;
      out.push(`${f.name}:`, ...marks, `#  Matched by biomake's rule${from(r.loc)} with ${f.biomake.bindings}.`);
      out.push(...recipeLines(r.recipeLines(), r.recipeLoc, false), "");
      continue;
    }
    if (f.targetOf === 0) out.push("# Not a target:");
    out.push(`${f.name}:${depsText(f.deps, f.orderOnly)}`, ...marks);
    if (f.recipe) out.push(...recipeLines(f.recipe.lines, f.recipe.loc, false));
    out.push("");
  }

  // VPATH search paths: what the vpath directives leave, then VPATH.
  out.push("# VPATH Search Paths", "");
  let vpaths: { pattern: string; dirs: string[] }[] = [];
  for (const v of db.vpaths) {
    if (v.pattern === "") vpaths = [];
    else if (v.dirs.length === 0) vpaths = vpaths.filter((o) => o.pattern !== v.pattern);
    else vpaths.push(v);
  }
  for (const v of vpaths) out.push(`vpath ${v.pattern} ${v.dirs.join(":")}`);
  out.push("", vpaths.length === 0 ? "# No 'vpath' search paths." : `# ${vpaths.length} 'vpath' search paths.`, "");
  const general = db.expander
    .valueOf("VPATH", db.globals)
    .split(/[\s:]+/)
    .filter((d) => d !== "");
  if (general.length === 0) out.push("# No general ('VPATH' variable) search path.");
  else out.push("# General ('VPATH' variable) search path:", `# ${general.join(":")}`);
  out.push("", `# Finished Make data base on ${ctime(now)}`, "");
  return out.join("\n");
}
