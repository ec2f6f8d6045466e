// The build proper: GNU's remake.c (update_file, update_file_1, check_dep, remake_file,
// notice_finished_file) over the file table, with implicit rule search and biomake rules from
// ts/src/implicit, recipes handed to the job stage as JobSpecs.
import fs from "node:fs";
import path from "node:path";
import { MakeError, type Loc } from "../errors.js";
import { VarScope } from "../expand/variables.js";
import { runJob, startsNoProcess } from "../job/index.js";
import type { JobResult, JobSpec, RecipeCommand } from "../job/types.js";
import { loadBackend } from "../native/index.js";
import type { Assignment, Database, RecipeLine, Rule } from "../read/database.js";
import { collapseReferenceContinuations } from "../read/text.js";
import { runGoal, unsupportedGoals, type GoalEvaluator } from "../implicit/goals.js";
import { RuleSet, isPatternTarget, suffixList } from "../implicit/ruleset.js";
import { ImplicitSearch, type BiomakeRule, type Found } from "../implicit/search.js";
import { isSearchTraceWord, searchTraceFor } from "../implicit/trace.js";
import { Bindings } from "../implicit/bindings.js";
import { BUILTIN_SUFFIX_RULES, DEFAULT_SUFFIXES } from "../implicit/builtin.js";
import { CommandState, Dep, dropShadowedOrderOnly, FileNode, FileTable, NO_DEPS, recipeOf, Status, type PendingExpansion, type Recipe } from "./files.js";
import type { Scheduler } from "../job/scheduler.js";
import { globWord, hasWildcard } from "../expand/functions/glob.js";
import { FsCache, NEW, NONEXISTENT, OLD } from "./fscache.js";
import type { BuildOptions } from "./options.js";
import { SPECIAL_TARGETS, collectSpecials, type Specials } from "./specials.js";
import { VpathSearch } from "./vpath.js";
import { LibrarySearch, isLibraryName } from "./libsearch.js";
import { inGnuTableOrder } from "./gnu-file-order.js";
import { addExtraPrereqs, globalExtraPrereqs } from "./extra-prereqs.js";
import { writeErr, writeOut } from "../output.js";
import { isEmptyCommand } from "../job/prefixes.js";

const NO_BINDINGS = new Bindings([], []);

/** GNU's file table drops a leading `./` from names (`-W ./x`, a VPATH of `./dir`). */
function withoutDotSlash(name: string): string {
  while (name.startsWith("./") && name.length > 2) name = name.slice(2).replace(/^\/+(?=.)/, "");
  return name;
}

/** Fewer prerequisites than this are stat'ed one by one when looked at: a batch's round trip
 * through the thread pool costs more than a few direct calls. */
const PREFETCH_MIN = 64;

/** A step of the update: yields the promises it waits for (running recipes), returns T. */
type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** Runs a Step to its end, waiting for each promise it yields and handing back the result. */
async function drive<T>(step: Step<T>): Promise<T> {
  let r = step.next();
  while (!r.done) {
    let value: unknown;
    try {
      value = await r.value;
    } catch (e) {
      r = step.throw(e);
      continue;
    }
    r = step.next(value);
  }
  return r.value;
}

/** -j: the file's recipe, or a prerequisite's, is still running (for a `::` file, any
 * entry's): GNU's test of command_state after check_dep. */
function busy(f: FileNode): boolean {
  const entries = f.owner.dcEntries;
  if (entries === undefined) return f.commandState !== CommandState.NotStarted;
  for (const e of entries) if (e.commandState !== CommandState.NotStarted) return true;
  return false;
}

/** GNU's set_command_state: the file's grouped targets share a later state. */
function setCommandState(file: FileNode, state: CommandState): void {
  file.commandState = state;
  for (const a of file.alsoMake) if (state > a.commandState) a.commandState = state;
}

/** testDepsGoal's answer when a failed deps goal gave the file another rule to try. */
const RULE_REPLACED = -1;

/** Ends the run at once (GNU's fatal()): printed as `prog: *** message.  Stop.`. */
export class FatalStop extends Error {}

const wordsOf = (s: string): string[] => s.split(/\s+/).filter((w) => w !== "");

function substituteStem(word: string, stem: string): string {
  const i = word.indexOf("%");
  return i < 0 ? word : word.slice(0, i) + stem + word.slice(i + 1);
}

/** The stem of a static pattern rule's target: GNU's pattern_matches, where (unlike implicit
 * rules and pattern-specific variables) the stem may be empty. */
function staticStem(pattern: string, name: string): string | undefined {
  const i = pattern.indexOf("%");
  const pre = pattern.slice(0, i);
  const suf = pattern.slice(i + 1);
  if (name.length < pre.length + suf.length || !name.startsWith(pre) || !name.endsWith(suf)) return undefined;
  return name.slice(pre.length, name.length - suf.length);
}

function matchPercent(pattern: string, name: string): string | undefined {
  const i = pattern.indexOf("%");
  if (i < 0) return pattern === name ? "" : undefined;
  const pre = pattern.slice(0, i);
  const suf = pattern.slice(i + 1);
  if (name.length < pre.length + suf.length + 1 || !name.startsWith(pre) || !name.endsWith(suf)) return undefined;
  return name.slice(pre.length, name.length - suf.length);
}

/** GNU's split of an expanded recipe line into commands: at each newline, unless an odd number
 * of backslashes precede it (a backslash-newline continues the command; the shell gets both). */
export function splitCommands(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", nl + 1)) {
    let backslashes = 0;
    for (let i = nl - 1; i >= start && text.charCodeAt(i) === 92; i--) backslashes++;
    if (backslashes % 2 === 1) continue;
    out.push(text.slice(start, nl));
    start = nl + 1;
  }
  out.push(text.slice(start));
  return out;
}

const RECURSIVE_RE = /\$\(MAKE\)|\$\{MAKE\}/;

function isBiomakeRule(r: Rule): boolean {
  return r.rawPrereqs !== undefined;
}

/** What a prerequisite waiting for its second expansion points at until it is expanded. */
const SECOND_EXPANSION = new FileNode("");

/** Databases whose "overriding recipe" warnings were printed. GNU prints them once per read of
 * the makefiles; tmake builds a file table from the same database twice (remaking makefiles,
 * then the goals), so only the first table prints them. */
const warnedDatabases = new WeakSet<Database>();

export interface EngineOptions extends BuildOptions {
  /** Set while remaking makefiles: failures of "don't care" files are silent. */
  rebuildingMakefiles?: boolean;
  /** Called before a failure is reported while the makefiles are remade (GNU's
   * show_goal_error: the included makefile in progress is said to be missing first). */
  showGoalError?: () => void;
}

export class Engine {
  readonly files = new FileTable();
  readonly fs: FsCache;
  readonly specials: Specials;
  readonly vpath: VpathSearch;
  /** `-lNAME` prerequisites (.LIBPATTERNS). */
  private readonly libraries: LibrarySearch;
  readonly search: ImplicitSearch;
  readonly suffixes: string[];
  private readonly goalsEval: GoalEvaluator;
  private readonly patternVars: { pattern: string; assignments: Database["patternVars"][number]["assignments"] }[];
  /** Nodes given order-only prerequisites while the table is built. */
  private orderOnlyNodes: FileNode[] = [];
  /** .SECONDEXPANSION: the prerequisites still to expand (placeholders in their nodes' lists,
   * where GNU keeps them, so the results land in the same order), and the nodes holding them. */
  private readonly secondDeps = new Map<Dep, PendingExpansion>();
  private readonly secondNodes = new Set<FileNode>();
  /** GNU's commands_started: how many commands were started (or touched) so far. */
  commandsStarted = 0;
  /** -j (set by the goal chain while it runs): recipes start in the background and the walk
   * goes on; undefined while recipes run one at a time. */
  jobs: Scheduler | undefined = undefined;
  /** Recipes that really ran (not under -n), so a batch of times fetched meanwhile is dropped. */
  private recipesRun = 0;
  /** Nodes whose mtime came from a batch (prefetchDepTimes), until a recipe runs. */
  private aheadNodes: FileNode[] = [];
  /** Some recipe failed or some target could not be made. */
  private readonly prog: string;
  private readonly out: (s: string) => void;
  private readonly err: (s: string) => void;

  constructor(
    readonly db: Database,
    /** Options of the phase in progress (remaking makefiles, then the goals, share an engine). */
    public opts: EngineOptions,
  ) {
    this.fs = new FsCache(opts.cwd, {
      warn: (text) => this.error(text),
      statBatch: (paths) => loadBackend().statMtimes(paths),
      startListing: (dir) => loadBackend().startListing(dir),
      checkSymlinks: opts.checkSymlinks === true,
    });
    this.specials = collectSpecials(db);
    // The makefiles' directory is where the first searches happen (for the makefiles
    // themselves): its listing is read in the background while the file table is built.
    this.fs.prefetchListing(".");
    this.vpath = new VpathSearch(db, this.fs, (n) => this.files.lookup(n));
    this.libraries = new LibrarySearch(db, this.fs, this.vpath, (text) => this.error(text));
    this.prog = opts.makelevel > 0 ? `${opts.programName}[${opts.makelevel}]` : opts.programName;
    this.out = writeOut;
    this.err = writeErr;
    this.goalsEval = opts.goalEvaluator ?? unsupportedGoals;
    this.suffixes = suffixList(db.rules, !opts.noBuiltinRules);
    this.patternVars = db.patternVars
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.pattern.length - b.pattern.length || a.i - b.i);

    const userPatterns: Rule[] = [];
    const biomake: BiomakeRule[] = [];
    const suffixCandidates = new Map<string, { recipe: RecipeLine[]; loc: Loc }>();
    this.buildTable(userPatterns, biomake, suffixCandidates);
    const ruleSet = new RuleSet(userPatterns, suffixCandidates, this.suffixes, !opts.noBuiltinRules, globalExtraPrereqs(db, opts.cwd));
    this.search = new ImplicitSearch(ruleSet, biomake, (p) => loadBackend().compilePatterns(p), {
      mentioned: (n) => this.files.lookup(n) !== undefined,
      exists: (n) => {
        // A name in the table may have handed its time over to its node (FsCache.takeMtime).
        const t = this.files.lookup(n)?.mtime;
        return t !== undefined && t !== NEW && t !== OLD ? t !== NONEXISTENT : this.fs.exists(n);
      },
      vpath: (n) => this.vpath.search(n),
      explicit: (n) => {
        const f = this.files.lookup(n);
        if (!f || !f.isTarget) return undefined;
        const entries = f.dcEntries ?? [f];
        return {
          prereqs: entries.flatMap((e) => e.deps.filter((d) => !d.orderOnly).map((d) => d.file.name)),
          hasRecipe: entries.some((e) => e.recipe !== undefined),
          phony: f.phony,
        };
      },
      expander: db.expander,
      globals: db.globals,
      goals: this.goalsEval,
      listing: (d) => this.fs.listing(d),
      prefetchListing: (d) => this.fs.prefetchListing(d),
      listingReady: (d) => this.fs.listingReady(d),
      mentionedIn: (d) => this.files.mentionedIn(d),
      vpathActive: this.vpath.active,
      secondExpansionScope: (name, stem, top) => this.implicitSecondScope(name, stem, top),
      glob: (word) => this.globNames(word),
      trace: searchTraceFor(opts.debug, this.out, () => this.opts.rebuildingMakefiles === true),
      depthOf: (n) => {
        // GNU's depth of the file being updated: update_file_1 and check_dep each add one, so
        // a prerequisite is two deeper than its parent, an intermediate one (no update_file_1
        // of its own) one deeper; the makefiles are updated from depth 1.
        let depth = this.opts.rebuildingMakefiles ? 2 : 1;
        let f = this.files.lookup(n);
        for (let hops = 0; f?.parent !== undefined && f.parent !== f && hops < 100000; hops++, f = f.parent.owner)
          depth += f.intermediate && !f.phony ? 1 : 2;
        return depth;
      },
    });
    this.files.onEnter = (n, dirLength) => this.search.noteMentioned(n, dirLength);
    this.markAssumedNew(opts.assumeNew);
    for (const name of opts.assumeOld) {
      // For a `::` target GNU sets these on the first entry (the one its file table holds).
      const o = this.files.enter(withoutDotSlash(name));
      const f = o.dcEntries?.[0] ?? o;
      f.mtime = OLD;
      f.updated = true;
      f.status = Status.Success;
    }
    // GNU's snap_deps: from here on a rule read by $(eval) is an error, and the prerequisites
    // waiting for a second expansion are expanded, every one of them, before anything is built.
    db.rulesClosed = true;
    this.expandSecondDeps();
  }

  /** -W: these files are infinitely new (GNU's NEW_MTIME). Also called after a restart, when
   * the makefiles were remade without them (see remakeMakefiles). */
  markAssumedNew(names: readonly string[]): void {
    for (const name of names) {
      const o = this.files.enter(withoutDotSlash(name));
      (o.dcEntries?.[0] ?? o).mtime = NEW;
    }
  }

  // ---- reading the database into the file table ------------------------------------------

  private buildTable(userPatterns: Rule[], biomake: BiomakeRule[], suffixCandidates: Map<string, { recipe: RecipeLine[]; loc: Loc }>): void {
    const sp = this.specials;
    // With biomake rules, every name the makefiles mention is matched against them in one batch
    // (see pendingNames), so remember the nodes as they are made.
    this.files.trackNew = this.db.rules.some(isBiomakeRule);
    for (const r of this.db.rules) {
      if (isBiomakeRule(r)) {
        biomake.push({ rule: r, order: biomake.length });
        continue;
      }
      if (r.staticPattern === undefined && r.someTarget(isPatternTarget)) {
        userPatterns.push(r);
        continue;
      }
      const names = r.names;
      if (r.someTarget((t) => SPECIAL_TARGETS.has(t))) {
        for (let i = r.prereqStart; i < r.end; i++) this.files.enter(names[i]!);
        continue;
      }
      // Suffix rules (".c.o:", ".c:") are ordinary targets too (GNU); suffixRules() below
      // converts them.
      const recipe = recipeOf(r);
      const group: FileNode[] = [];
      for (let i = r.start; i < r.prereqStart; i++) {
        const t = names[i]!;
        let stem: string | undefined;
        if (r.staticPattern !== undefined) {
          stem = staticStem(r.staticPattern, t);
          if (stem === undefined) this.err(`${r.loc.file}:${r.loc.line}: target '${t}' doesn't match the target pattern\n`);
        }
        // A `::` rule's group holds its own entries (GNU's also_make of a `&::` rule).
        group.push(this.addExplicit(t, r, recipe, stem, r.staticPattern === undefined || stem !== undefined));
      }
      if (r.grouped && group.length > 1) for (const g of group) g.alsoMake = group.filter((o) => o !== g);
    }
    for (const n of sp.phony) {
      const f = this.files.enter(n);
      f.phony = true;
      f.isTarget = true;
      f.mtime = NONEXISTENT;
    }
    for (const n of sp.precious) this.files.enter(n).precious = true;
    for (const n of sp.intermediate) this.files.enter(n).intermediate = true;
    for (const n of sp.secondary) {
      const f = this.files.enter(n);
      f.intermediate = true;
      f.secondary = true;
    }
    for (const n of sp.notIntermediate) this.files.enter(n).notIntermediate = true;
    // `.SECONDARY:` without prerequisites: every file known now is intermediate (and, through
    // allSecondary, never deleted), as GNU's snap_file does.
    if (sp.allSecondary) for (const f of this.files.all()) f.intermediate = true;
    addExtraPrereqs(this.db, this.files, this.opts.cwd);
    this.suffixRules(suffixCandidates);
    // Order-only prerequisites that are also normal ones are normal (GNU).
    for (const e of this.orderOnlyNodes) e.deps = dropShadowedOrderOnly(e.deps);
    this.orderOnlyNodes = [];
    warnedDatabases.add(this.db);
  }

  /** GNU's convert_to_pattern: a target named by one known suffix (`.c`) or two (`.c.o`) that
   * has a recipe is also a suffix rule. A two-suffix one with prerequisites stays an ordinary
   * target only under .POSIX; otherwise GNU warns and converts it without them. A target left
   * out here is entered with no recipe, so it hides the built-in rule of the same name. */
  private suffixRules(into: Map<string, { recipe: RecipeLine[]; loc: Loc }>): void {
    const warn = !warnedDatabases.has(this.db);
    for (const s of this.suffixes) {
      const single = this.files.lookup(s);
      if (single?.recipe !== undefined) into.set(s, { recipe: single.recipe.lines, loc: single.recipe.loc });
      for (const s2 of this.suffixes) {
        if (s2 === s) continue;
        const f = this.files.lookup(s + s2);
        if (f?.recipe === undefined) continue;
        if (f.deps.length > 0) {
          if (this.specials.posix) {
            into.set(s + s2, { recipe: [], loc: f.recipe.loc });
            continue;
          }
          if (warn) this.err(`${f.recipe.loc.file}:${f.recipe.loc.line}: warning: ignoring prerequisites on suffix rule definition\n`);
        }
        into.set(s + s2, { recipe: f.recipe.lines, loc: f.recipe.loc });
      }
    }
  }

  /** Enters target `name` of rule `r` (with `recipe`, the rule's); its prerequisites are the
   * rule's, with `stem` substituted for a static pattern rule (GNU drops names an empty stem
   * leaves empty), or none when `withPrereqs` is false (a target that does not match the static
   * pattern). Returns the node the rule made (a `::` rule's entry). */
  private addExplicit(name: string, r: Rule, recipe: Recipe | undefined, stem: string | undefined, withPrereqs: boolean): FileNode {
    const owner = this.files.enter(name);
    if (r.doubleColon !== owner.doubleColon && owner.isTarget) {
      throw new MakeError(`target file '${name}' has both : and :: entries`, r.loc);
    }
    owner.isTarget = true;
    let node = owner;
    if (r.doubleColon) {
      owner.doubleColon = true;
      node = new FileNode(name);
      node.dcOwner = owner;
      node.doubleColon = true;
      node.isTarget = true;
      owner.dcEntries = [...(owner.dcEntries ?? []), node];
    }
    // An exact-size list: most nodes keep it as their prerequisites.
    const names = r.names;
    let deps: Dep[] = withPrereqs ? new Array<Dep>(r.end - r.prereqStart) : [];
    if (withPrereqs) {
      let empty = false;
      for (let i = r.prereqStart; i < r.end; i++) {
        const p = stem === undefined ? names[i]! : substituteStem(names[i]!, stem);
        if (p === "") empty = true;
        else deps[i - r.prereqStart] = new Dep(this.files.enter(p), i >= r.orderOnlyStart);
      }
      if (empty) deps = deps.filter((d) => d !== undefined);
      if (r.orderOnlyStart < r.end) this.orderOnlyNodes.push(node);
      if (r.secondExpansion !== undefined) {
        // A placeholder where GNU keeps the text, so the names it expands to land in order.
        const d = new Dep(SECOND_EXPANSION, false);
        this.secondDeps.set(d, { text: r.secondExpansion, stem, loc: r.loc });
        this.secondNodes.add(node);
        deps.push(d);
      }
    }
    if (recipe !== undefined) {
      if (node.recipe && !r.doubleColon && !warnedDatabases.has(this.db)) {
        this.err(`${recipe.loc.file}:${recipe.loc.line}: warning: overriding recipe for target '${name}'\n`);
        this.err(`${node.recipe.loc.file}:${node.recipe.loc.line}: warning: ignoring old recipe for target '${name}'\n`);
      }
      node.recipe = recipe;
      node.deps = node.deps.length === 0 ? deps : deps.concat(node.deps);
    } else {
      node.appendDeps(deps);
    }
    if (stem !== undefined) node.stem = stem;
    // Biomake goals on an explicit rule: the target goal is tested when the file is first
    // updated, the deps goal after its prerequisites; what they bind, the recipe sees.
    if (r.targetGoal !== undefined || r.depsGoal !== undefined) {
      node.bindings ??= NO_BINDINGS;
      if (r.targetGoal !== undefined) node.targetGoal = { goal: r.targetGoal, loc: r.loc };
      if (r.depsGoal !== undefined) node.depsGoal = { goal: r.depsGoal, loc: r.loc };
    }
    return node;
  }

  // ---- the default goal ------------------------------------------------------------------

  defaultGoal(): string | undefined {
    const v = this.db.globals.get(".DEFAULT_GOAL");
    if (v !== undefined) {
      const text = v.flavor === "simple" ? v.value : this.db.expander.expand(v.value, this.db.globals);
      // GNU looks the whole value up as a file first: a target whose name holds a blank
      // (`a\ b:` makes `a b`) is one goal.
      if (text !== "" && this.files.lookup(text) !== undefined) return text;
      const words = wordsOf(text);
      if (words.length > 1) throw new MakeError(".DEFAULT_GOAL contains more than one target");
      if (words.length === 1) return words[0];
      return undefined;
    }
    for (const r of this.db.rules) {
      if (isBiomakeRule(r)) continue;
      if (r.staticPattern === undefined && r.someTarget(isPatternTarget)) continue;
      for (const t of r.targetList()) {
        if (t.startsWith(".") && !t.includes("/")) continue;
        return t;
      }
    }
    return undefined;
  }

  // ---- messages --------------------------------------------------------------------------

  message(text: string): void {
    this.out(`${this.prog}: ${text}\n`);
  }

  error(text: string): void {
    this.err(`${this.prog}: ${text}\n`);
  }

  fatal(text: string): never {
    throw new FatalStop(`${this.prog}: *** ${text}.  Stop.`);
  }

  /** GNU's run_silent: -s, or .SILENT without prerequisites. No recipe echo, and no
   * "Nothing to be done", "touch", "rm" or "(ignored)" messages either. */
  get runSilent(): boolean {
    return this.opts.silent || this.specials.allSilent;
  }

  // ---- modification times ----------------------------------------------------------------

  fileMtime(file: FileNode): number {
    let o = file.owner;
    if (o.renamed !== undefined) o = o.current;
    const entries = o.dcEntries;
    if (entries !== undefined) return this.entryMtime(file === o ? entries[0]! : file, entries);
    if (o.mtime !== undefined) {
      if (o.mtimeAhead) o.mtimeAhead = false;
      return o.mtime;
    }
    const t = this.statNode(o);
    o.mtime = t;
    return t;
  }

  /** The time of a node's name on disk; a missing name is looked for by directory search,
   * then, for `-lNAME`, as a library (GNU's f_mtime), and the node takes the name found. */
  private statNode(o: FileNode): number {
    let t = this.fs.takeMtime(o.name);
    if (t === NONEXISTENT && !o.ignoreVpath) {
      let found = this.vpath.active ? this.vpath.search(o.name) : undefined;
      if (found === undefined && isLibraryName(o.name)) found = this.libraries.search(o.name);
      if (found !== undefined) {
        // Found under a name the table holds, or in GPATH (where the new name is for good):
        // that node takes the file over. Otherwise the file keeps its name and is seen
        // under the one found ($@, $<) unless it is remade.
        const to = this.files.lookup(found) ?? (this.vpath.inGpath(found, o.name) ? this.files.enter(found) : undefined);
        if (to !== undefined && to !== o && this.renameFile(o, to)) {
          if (to.mtime === undefined) to.mtime = this.fs.takeMtime(to.name);
          return this.fileMtime(to);
        }
        o.vpathName = found;
        // GNU keeps the time -W or -o gave the name found (`-W x-dir/x` with VPATH=x-dir).
        const given = this.files.lookup(withoutDotSlash(found))?.mtime;
        t = given === NEW || given === OLD ? given : this.fs.mtime(found);
      }
    }
    return t;
  }

  /** The time of one entry of a `::` target. GNU keeps one per entry so that each entry is
   * judged by the time the file had before any entry ran: a time looked up is given to every
   * entry in the same state (updated or not) as the first, and once all of them are updated
   * they share the newest (see noticeFinished). Asked about the target as a whole (as a
   * prerequisite), the first entry answers. */
  private entryMtime(entry: FileNode, entries: FileNode[]): number {
    if (entry.mtime !== undefined) return entry.mtime;
    const t = this.statNode(entry.owner);
    const head = entries[0]!;
    for (const e of entries) if (e.updated === head.updated) e.mtime = t;
    return t;
  }

  /** GNU's rehash_file when the new name is already in the table: `to` takes `from` over (its
   * prerequisites after its own, its recipe unless it has one, which GNU says in three lines;
   * its flags), and from now on `from` stands for `to`. Not for `::` files (false). */
  private renameFile(from: FileNode, to: FileNode): boolean {
    if (from.dcEntries !== undefined || from.dcOwner !== undefined || to.dcEntries !== undefined || to.dcOwner !== undefined) return false;
    if (from.recipe !== undefined) {
      if (to.recipe === undefined) to.recipe = from.recipe;
      else if (to.recipe !== from.recipe) {
        const at = from.recipe.loc;
        const where = `${at.file}:${at.line}: `;
        const msg = (text: string): void => this.err(`${where}${text}\n`);
        if (to.recipe.loc.file !== "(built-in)") msg(`Recipe was specified for file '${from.name}' at ${to.recipe.loc.file}:${to.recipe.loc.line},`);
        else msg(`Recipe for file '${from.name}' was found by implicit rule search,`);
        msg(`but '${from.name}' is now considered the same file as '${to.name}'.`);
        msg(`Recipe for '${to.name}' will be ignored in favor of the one for '${from.name}'.`);
      }
    }
    to.appendDeps(from.deps);
    if (from.mtime !== undefined && (to.mtime === undefined || from.mtime > to.mtime)) to.mtime = from.mtime;
    if (from.precious) to.precious = true;
    if (from.triedImplicit) to.triedImplicit = true;
    if (from.updating) to.updating = true;
    if (from.updated) to.updated = true;
    if (from.isTarget) to.isTarget = true;
    if (from.cmdTarget) to.cmdTarget = true;
    if (from.phony) to.phony = true;
    if (from.ignoreVpath) to.ignoreVpath = true;
    from.renamed = to;
    return true;
  }

  /** A file with many prerequisites (`all` over a whole tree) has their times fetched in one
   * batch before they are looked at one by one; undefined when there are too few to pay. */
  private prefetchDepTimes(file: FileNode): Promise<void> | undefined {
    let count = file.deps.length;
    for (const a of file.alsoMake) count += a.deps.length;
    if (count < PREFETCH_MIN) return undefined;
    const nodes: FileNode[] = [];
    for (const af of [file, ...file.alsoMake])
      for (const d of af.deps) if (d.file.owner.mtime === undefined && d.file.owner.dcEntries === undefined) nodes.push(d.file.owner);
    if (nodes.length < PREFETCH_MIN) return undefined;
    const epoch = this.recipesRun;
    return this.fs.statMany(nodes.map((n) => n.name)).then((times) => {
      // A recipe ran while the batch was out: its answers may be old already.
      if (epoch !== this.recipesRun) return;
      const vpath = this.vpath.active;
      for (let i = 0; i < nodes.length; i++) {
        const o = nodes[i]!;
        const t = times[i]!;
        // Left to fileMtime(): a stat error (NaN, reported there), a name already looked at,
        // and a missing one that VPATH may find elsewhere.
        if (Number.isNaN(t) || o.mtime !== undefined || (t < 0 && (vpath || isLibraryName(o.name)) && !o.ignoreVpath)) continue;
        o.mtime = t < 0 ? NONEXISTENT : t;
        o.mtimeAhead = true;
        this.aheadNodes.push(o);
      }
    });
  }

  /** Batches of prerequisite times started before their target's update (fetchGoalTimesEarly). */
  private readonly timesAhead = new Map<FileNode, Promise<void>>();

  /** Starts fetching the times of the goals' prerequisites (the default goal's when there are
   * none) while the makefiles are remade, so the goals' update finds them fetched. The batch
   * is on the native backend's threads meanwhile; a recipe run before it is used voids it. */
  fetchGoalTimesEarly(goals: readonly string[]): void {
    let names = goals;
    if (names.length === 0) {
      try {
        const g = this.defaultGoal();
        names = g === undefined ? [] : [g];
      } catch {
        return; // said when the goals are updated
      }
    }
    for (const name of names) {
      const file = this.files.lookup(name);
      if (file === undefined || file.dcEntries !== undefined || this.timesAhead.has(file)) continue;
      const batch = this.prefetchDepTimes(file);
      if (batch === undefined) continue;
      // Never looked at if the makefiles change and are read again.
      batch.catch(() => undefined);
      this.timesAhead.set(file, batch);
    }
  }

  /** A recipe is about to run: it may change files whose times were fetched ahead of need and
   * not looked at yet, so those are forgotten (GNU takes a file's time when it first looks),
   * and directory listings still being read are taken as they stand before it. */
  private forgetTimesAhead(): void {
    this.recipesRun++;
    this.fs.settle();
    if (this.aheadNodes.length === 0) return;
    for (const o of this.aheadNodes)
      if (o.mtimeAhead) {
        o.mtimeAhead = false;
        o.mtime = undefined;
      }
    this.aheadNodes = [];
  }

  // ---- variables -------------------------------------------------------------------------

  /** The variable scope of a target: target- and pattern-specific values over its parent's. */
  scopeFor(file: FileNode): VarScope {
    const o = file.owner;
    if (o.scope) return o.scope;
    const parentScope = o.parent && o.parent !== o ? this.scopeFor(o.parent) : this.db.globals;
    const patterns = this.patternScopeFor(o.name, parentScope);
    const own = this.db.targetVars.get(o.name);
    if (patterns === undefined && !own) {
      o.scope = parentScope;
      return parentScope;
    }
    let scope = parentScope;
    o.ownScopes = [];
    if (patterns !== undefined) {
      scope = patterns;
      o.ownScopes.push(scope);
    }
    if (own) {
      // Over the target's own pattern-specific scope, whose private variables it sees.
      scope = new VarScope(scope, patterns !== undefined);
      o.ownScopes.push(scope);
      this.assignAll(scope, own);
    }
    for (const s of o.ownScopes) this.inheritExport(s);
    o.scope = scope;
    return scope;
  }

  /** The pattern-specific values that apply to `name`, in a scope over `parent`; undefined
   * when no pattern matches it. */
  private patternScopeFor(name: string, parent: VarScope): VarScope | undefined {
    const patterns = this.patternVars.filter((p) => matchPercent(p.pattern, name) !== undefined);
    if (patterns.length === 0) return undefined;
    const scope = new VarScope(parent);
    for (const p of patterns) this.assignAll(scope, p.assignments);
    return scope;
  }

  /** Target- or pattern-specific assignments, applied in order (`override` ones as such). */
  private assignAll(scope: VarScope, assignments: readonly Assignment[]): void {
    for (const a of assignments) this.db.expander.assign(scope, a, a.override ? "override" : "file");
  }

  /** GNU's target_environment: a target- or pattern-specific variable that says neither
   * export nor unexport is exported as the global variable of its name is. */
  private inheritExport(scope: VarScope): void {
    for (const n of scope.localNames()) {
      const v = scope.getLocal(n)!;
      if (v.exported !== undefined) continue;
      const g = this.db.globals.getLocal(n);
      if (g?.exported !== undefined) scope.set({ ...v, exported: g.exported });
    }
  }

  // ---- implicit rules --------------------------------------------------------------------

  /** GNU's try_implicit_rule: gives the file a recipe and prerequisites from an implicit rule. */
  tryImplicit(file: FileNode, exclude?: Set<string>): boolean {
    this.search.prefetch(this.pendingNames());
    // The file's own prerequisites are in the file table, which the search consults already.
    const found = this.search.find(file.name, undefined, exclude);
    if (!found) return false;
    this.applyFound(file, found, true);
    return true;
  }

  /** Names entered since the last batch that may need a wildcard match. */
  pendingNames(): string[] {
    if (!this.search.hasBiomakeRules) {
      this.files.takeNew();
      return [];
    }
    const names: string[] = [];
    for (const f of this.files.takeNew()) if (!f.recipe && !f.phony && !f.dcEntries) names.push(f.name);
    return names;
  }

  private applyFound(file: FileNode, found: Found, top: boolean): void {
    const deps: Dep[] = [];
    for (const fd of found.deps) {
      const existing = this.files.lookup(fd.name);
      const node = existing ?? this.files.enter(fd.name);
      if (fd.chain) {
        if (existing) node.secondary = true;
        this.applyFound(node, fd.chain, false);
        node.isTarget = true;
        if (!node.notIntermediate && !this.specials.allNotIntermediate) node.intermediate = true;
        node.triedImplicit = true;
        if (fd.pattern !== undefined && this.specials.preciousPatterns.has(fd.pattern)) node.precious = true;
      } else if (found.terminal) {
        node.triedImplicit = true;
      }
      deps.push(new Dep(node, fd.orderOnly, false, fd.noAuto === true));
    }
    file.deps = top ? [...deps, ...file.deps] : deps;
    file.recipe = found.hasRecipe ? found.recipe : undefined;
    file.stem = found.stem;
    file.patternTarget = found.targetPattern;
    file.bindings = found.bindings;
    file.depsGoal = found.depsGoal;
    file.implicitKey = found.key;
    if (this.specials.preciousPatterns.has(found.targetPattern)) file.precious = true;
    if (found.alsoMake.length > 0) {
      const group = [file, ...found.alsoMake.map((n) => this.files.enter(n))];
      for (const g of group) {
        if (g === file) continue;
        g.recipe = file.recipe;
        g.stem = file.stem;
        g.triedImplicit = true;
      }
      file.alsoMake = group.filter((g) => g !== file);
    }
  }

  // ---- second expansion (.SECONDEXPANSION) ------------------------------------------------

  /** GNU's expand_deps for every node with prerequisites to expand a second time, in the order
   * they were read: each placeholder is replaced, in place, by the names its text expands to. */
  private expandSecondDeps(): void {
    for (const node of this.secondNodes) {
      for (let i = 0; i < node.deps.length; i++) {
        const p = this.secondDeps.get(node.deps[i]!);
        if (p === undefined) continue;
        const added = this.expandSecond(node, p);
        node.deps = [...node.deps.slice(0, i), ...added, ...node.deps.slice(i + 1)];
        i += added.length - 1;
      }
    }
    this.secondNodes.clear();
    this.secondDeps.clear();
  }

  /** One prerequisite text of `node` expanded a second time: a static pattern rule's `%` are
   * read as `$*` first; the result splits into names at blanks, and a `|` starts the
   * order-only ones; normal names are globbed; a static pattern's stem replaces the first `%`
   * of each name, and a name that leaves nothing is dropped. */
  private expandSecond(node: FileNode, p: PendingExpansion): Dep[] {
    const scope = this.explicitSecondScope(node, p.stem);
    const text = p.stem !== undefined ? p.text.split("%").join("$*") : p.text;
    // GNU expands without a makefile location (its messages name no file).
    const expanded = this.db.expander.expand(text, scope);
    const deps: Dep[] = [];
    let orderOnly = false;
    const add = (word: string): void => {
      if (word === "") return;
      const names = !orderOnly && hasWildcard(word) ? this.globNames(word) : [word];
      for (let name of names) {
        if (p.stem !== undefined) name = substituteStem(name, p.stem);
        while (name.startsWith("./") && name.length > 2) name = name.slice(2);
        if (name !== "") deps.push(new Dep(this.files.enter(name), orderOnly));
      }
    };
    for (const w of wordsOf(expanded)) {
      const bar = orderOnly ? -1 : w.indexOf("|");
      if (bar < 0) {
        // GNU drops any further `|` words.
        if (w !== "|") add(w);
        continue;
      }
      add(w.slice(0, bar));
      orderOnly = true;
      add(w.slice(bar + 1));
    }
    return deps;
  }

  /** The variables of a second expansion of an explicit rule's prerequisites. GNU does it
   * before the build, so the target's parent is not known: the target's pattern- and
   * target-specific variables over the global ones, and the automatic variables from the
   * prerequisites known so far (the ones still to expand left out). */
  private explicitSecondScope(node: FileNode, stem: string | undefined): VarScope {
    const o = node.owner;
    let base = this.patternScopeFor(o.name, this.db.globals) ?? this.db.globals;
    const own = this.db.targetVars.get(o.name);
    if (own) {
      base = new VarScope(base);
      this.assignAll(base, own);
    }
    return this.secondAutomatic(base, o.name, stem ?? node.stem ?? this.suffixStem(o.name), node.deps);
  }

  /** The variables of a second expansion of a pattern rule's prerequisites (GNU's
   * pattern_search): for the file being searched, its own variables (it has a parent by now)
   * and automatic ones from its prerequisites; for an intermediate file, only the
   * pattern-specific variables. */
  private implicitSecondScope(name: string, stem: string, top: boolean): VarScope {
    const file = top ? this.files.lookup(name) : undefined;
    if (file !== undefined) return this.secondAutomatic(this.scopeFor(file), name, stem, file.deps);
    const base = this.patternScopeFor(name, this.db.globals) ?? this.db.globals;
    return this.secondAutomatic(base, name, stem, NO_DEPS);
  }

  /** GNU's set_file_variables for a second expansion: $@, $*, and $< $^ $+ $| from `deps`. */
  private secondAutomatic(parent: VarScope, name: string, stem: string, deps: Dep[]): VarScope {
    const scope = new VarScope(parent);
    const normal: string[] = [];
    const orderOnly: string[] = [];
    // $< is the first normal prerequisite, or nothing when that one is still to be expanded.
    let first: string | undefined;
    for (const d of deps) {
      if (!d.orderOnly) first ??= d.file.name;
      if (d.file === SECOND_EXPANSION) continue;
      (d.orderOnly ? orderOnly : normal).push(d.file.name);
    }
    const set = (n: string, v: string): void => scope.set({ name: n, value: v, flavor: "simple", origin: "automatic" });
    set("@", name);
    set("*", stem);
    set("%", "");
    set("?", this.opts.alwaysMake ? [...new Set(normal)].join(" ") : "");
    set("<", first ?? "");
    set("^", [...new Set(normal)].join(" "));
    set("+", normal.join(" "));
    set("|", [...new Set(orderOnly)].join(" "));
    return scope;
  }

  /** GNU globs prerequisite names: the existing files a word with wildcards matches, sorted, or
   * the word itself when none does. */
  private globNames(word: string): string[] {
    const names = globWord(word, this.opts.cwd);
    return names.length > 0 ? names : [word];
  }

  /** $* of an explicit rule's target: its name without the first known suffix it ends with. */
  private suffixStem(name: string): string {
    for (const s of this.suffixes) if (name.endsWith(s) && name.length > s.length) return name.slice(0, name.length - s.length);
    return "";
  }

  // ---- updating (GNU's remake.c) ---------------------------------------------------------

  /** Updates a file (GNU's update_file) and resolves to its status. */
  update(file: FileNode, depth = 0): Promise<Status> {
    return drive(this.updateFile(file, depth));
  }

  // The update functions are generators driven by drive(): they run synchronously until a
  // recipe has to run (the only thing that waits), and a null build over many files allocates
  // no promise per file, as async functions would.

  private *updateFile(file: FileNode, depth: number): Step<Status> {
    const owner = file.owner;
    const entries = owner.dcEntries;
    if (entries === undefined) return yield* this.updateFile1(owner, depth);
    let status = Status.Success;
    for (const f of entries) {
      const s = yield* this.updateFile1(f, depth);
      if (s !== Status.Success && !this.opts.keepGoing) return s;
      // -j: the next entry waits until this one's recipe is done (GNU).
      if (f.commandState !== CommandState.NotStarted) return Status.Success;
      if (s > status) status = s;
    }
    return status;
  }

  // updateFile1 is a generator made for every file the build looks at, and a generator holds
  // every register of its function: the parts that need not wait are methods of their own, so
  // that a null build over 100k files allocates small generators.

  private *updateFile1(file: FileNode, depth: number): Step<Status> {
    if (file.updated) return this.updatedStatus(file);
    // -j: its recipe is running; whoever needs it waits for a later pass.
    if (file.commandState === CommandState.Running) return Status.Success;
    file.noDiag = file.dontcare;
    // GNU's start_updating: a `::` entry marks the target as a whole, so an entry that
    // depends on its own target is a circular dependency.
    file.owner.updating = true;
    if (file.targetGoal !== undefined) this.testTargetGoal(file);
    const thisMtime = this.fileMtime(file);
    if (file.renamed !== undefined) {
      // Found under another node's name: that node is the one to update (GNU's check_renamed).
      file.updating = false;
      return yield* this.updateFile(file.current, depth);
    }
    const noexist = thisMtime === NONEXISTENT;
    let mustMake = noexist;
    this.findRecipe(file, depth);

    const early = this.timesAhead.get(file);
    if (early !== undefined) {
      this.timesAhead.delete(file);
      yield early;
    }
    // What an early batch did not give (all of it, if a recipe ran since it started).
    const ahead = this.prefetchDepTimes(file);
    if (ahead !== undefined) yield ahead;
    let depStatus = Status.Success;
    /** -j: some prerequisite's recipe is still running (GNU's `running`). */
    let running = false;
    for (;;) {
      depStatus = Status.Success;
      const also = file.alsoMake;
      for (let a = -1; a < also.length; a++) {
        const af = a < 0 ? file : also[a]!;
        for (let i = 0; i < af.deps.length; ) {
          const d = af.deps[i]!;
          const mtime = this.fileMtime(d.file);
          if (d.file.renamed !== undefined) d.file = d.file.current;
          if (d.file.owner.updating || d.file.updating) {
            this.error(`Circular ${af.name} <- ${d.file.name} dependency dropped.`);
            af.deps.splice(i, 1);
            continue;
          }
          if (this.opts.noDependencies) {
            if (this.outOfDateWithoutDeps(d, thisMtime)) mustMake = true;
            i++;
            continue;
          }
          const f = d.file;
          f.owner.parent = af;
          let r: number;
          if (f.phony || !f.intermediate) {
            // check_dep for a file that is not intermediate, inline: a prerequisite shared by
            // many targets is found updated here without starting a generator each time.
            let st: Status;
            if (f.updated && f.status <= Status.None && f.dcEntries === undefined) st = Status.Success;
            else {
              // While remaking the makefiles, a prerequisite of a "don't care" file is one too.
              const dontcare = f.dontcare;
              if (this.opts.rebuildingMakefiles) f.dontcare = af.dontcare;
              f.updating = true;
              st = f.dcEntries === undefined ? yield* this.updateFile1(f, depth + 1) : yield* this.updateFile(f, depth + 1);
              f.updating = false;
              if (this.opts.rebuildingMakefiles) f.dontcare = dontcare;
            }
            const m = this.fileMtime(f);
            r = st * 2 + (mustMake || m === NONEXISTENT || m > thisMtime ? 1 : 0);
          } else r = yield* this.checkDep(f, depth + 1, thisMtime, mustMake);
          depStatus = Math.max(depStatus, r >> 1);
          if (!d.orderOnly) mustMake = (r & 1) !== 0;
          if (this.jobs !== undefined && busy(d.file)) running = true;
          if (depStatus !== Status.Success && !this.opts.keepGoing) break;
          if (!running) d.changed = this.fileMtime(d.file) !== mtime || mtime === NONEXISTENT;
          i++;
        }
        if (depStatus !== Status.Success && !this.opts.keepGoing) break;
      }
      // Biomake: a deps goal that fails sends the search on to the next rule or split.
      if (depStatus === Status.Success && !running && file.depsGoal && file.bindings) {
        const goal = yield* this.testDepsGoal(file, depth);
        if (goal === RULE_REPLACED) continue;
        depStatus = goal;
      }
      break;
    }

    if (mustMake || this.opts.alwaysMake) {
      const r = yield* this.makeIntermediates(file, depth, depStatus, running);
      depStatus = r >> 1;
      if ((r & 1) !== 0) running = true;
    }
    file.owner.updating = false;
    if (running) {
      // -j: decided on in a later pass, once those recipes are done (GNU's cs_deps_running).
      setCommandState(file, CommandState.DepsRunning);
      return Status.Success;
    }
    if (file.commandState === CommandState.DepsRunning) file.commandState = CommandState.NotStarted;
    if (depStatus !== Status.Success) return this.depsFailed(file, depStatus, depth);
    if (!this.mustRemake(file, mustMake, thisMtime)) {
      this.upToDate(file, noexist, depth);
      return Status.Success;
    }
    const o = file.owner;
    if (o.vpathName !== undefined && !this.vpath.inGpath(o.vpathName, o.name)) {
      o.ignoreVpath = true;
    }
    if (this.debug && file.recipe !== undefined) this.report(depth, this.rebuildReason(file, thisMtime));
    yield* this.remakeFile(file);
    // -j: the recipe runs in the background; its end finishes the file (see executeRecipe).
    if ((file.commandState as CommandState) === CommandState.Running) return Status.Success;
    if (this.debug && file.ran && file.status === Status.Success && !this.opts.question) this.report(depth, `${file.name} built`);
    if (file.status === Status.Success) this.release(file);
    return file.status;
  }

  /** The status of a file already updated, as updateFile1 gives it. */
  private updatedStatus(file: FileNode): Status {
    if (file.status <= Status.None) return Status.Success;
    // Failed silently while remaking the makefiles: needed now, so say why (GNU).
    if (file.noDiag && !file.dontcare) this.complain(file);
    return file.status;
  }

  /** Biomake: the target goal of the explicit rule that makes the file, tested once. */
  private testTargetGoal(file: FileNode): void {
    const targetGoal = file.targetGoal!;
    file.targetGoal = undefined;
    const out = runGoal(this.goalsEval, targetGoal.goal, { kind: "target", target: file.name, bindings: (file.bindings ?? NO_BINDINGS).toMap(), loc: targetGoal.loc });
    if (out.ok) file.bindings = (file.bindings ?? NO_BINDINGS).with(out.bindings);
    else {
      // The rule does not apply (biomake): the file has no recipe from it.
      file.recipe = undefined;
      file.depsGoal = undefined;
      file.bindings = undefined;
    }
  }

  /** An implicit rule for a file without a recipe (GNU's try_implicit_rule, once), else the
   * .DEFAULT recipe for a file that is no target. */
  private findRecipe(file: FileNode, depth: number): void {
    if (!file.phony && !file.recipe && !file.triedImplicit) {
      this.tryImplicit(file);
      file.triedImplicit = true;
    }
    if (!file.recipe && !file.isTarget && this.specials.defaultRecipe) {
      file.recipe = this.specials.defaultRecipe;
      this.search.noteDefaultRecipe(file.name);
    }
    if (this.debug) this.announce(file, depth);
  }

  /** -N (biomake's no_deps): the prerequisite is neither updated nor searched for a rule, so
   * nothing below the goals is ever reached. biomake still tests the target against it: a
   * missing one, or one newer than the target, makes the target out of date (as a GNU
   * prerequisite with an empty rule would). Order-only ones do not count. */
  private outOfDateWithoutDeps(d: Dep, thisMtime: number): boolean {
    const m = this.fileMtime(d.file);
    d.changed = m === NONEXISTENT;
    return !d.orderOnly && (m === NONEXISTENT || m > thisMtime);
  }

  /** Biomake's deps goal, tested once every prerequisite is built (intermediate ones too: the
   * goal may look at them). What it binds, the recipe sees (`{ DEPS = [F], ... }`, $F); when it
   * fails the search goes on to the next rule or split: RULE_REPLACED when another was found,
   * else the status of the prerequisites (Failed when none). */
  private *testDepsGoal(file: FileNode, depth: number): Step<Status | typeof RULE_REPLACED> {
    let depStatus = Status.Success;
    for (const d of file.deps) {
      if (this.opts.noDependencies) break; // -N: the goal is tested on the files as they are
      if (!d.file.intermediate || d.file.updated) continue;
      d.file.owner.parent = file;
      const s = yield* this.updateFile(d.file, depth + 1);
      if (s > depStatus) depStatus = s;
    }
    if (depStatus !== Status.Success) return depStatus;
    const deps = file.deps.filter((d) => !d.orderOnly).map((d) => d.file.path);
    const out = runGoal(this.goalsEval, file.depsGoal!.goal, { kind: "deps", target: file.name, deps, bindings: file.bindings!.toMap(), loc: file.depsGoal!.loc });
    if (out.ok) {
      file.bindings = file.bindings!.with(out.bindings);
      return Status.Success;
    }
    const exclude = (file.excluded ??= new Set());
    exclude.add(file.implicitKey ?? "");
    file.deps = file.deps.filter((d) => d.explicit);
    file.recipe = undefined;
    file.depsGoal = undefined;
    file.bindings = undefined;
    return this.tryImplicit(file, exclude) ? RULE_REPLACED : Status.Success;
  }

  /** A file to be remade has its intermediate prerequisites made first (GNU). Returns the
   * status so far (`depStatus` and theirs) times two, plus one when some prerequisite's recipe
   * is still running (-j; `running` says whether one was before). */
  private *makeIntermediates(file: FileNode, depth: number, depStatus: Status, running: boolean): Step<number> {
    for (const d of file.deps) {
      if (this.opts.noDependencies) break; // -N: intermediate prerequisites are not made either
      if (!d.file.intermediate) continue;
      const mtime = this.fileMtime(d.file);
      d.file.owner.parent = file;
      const s = yield* this.updateFile(d.file, depth + 1);
      if (s > depStatus) depStatus = s;
      if (this.jobs !== undefined && busy(d.file)) running = true;
      if (depStatus !== Status.Success && !this.opts.keepGoing) break;
      if (!running) d.changed = (file.phony && file.recipe !== undefined) || this.fileMtime(d.file) !== mtime;
    }
    return depStatus * 2 + (running ? 1 : 0);
  }

  /** A prerequisite failed: so does the file, and a goal says so under -k. */
  private depsFailed(file: FileNode, depStatus: Status, depth: number): Status {
    file.status = depStatus;
    this.noticeFinished(file);
    if (depth === 0 && this.opts.keepGoing && !this.opts.dryRun && !this.opts.question) {
      this.error(`Target '${file.name}' not remade because of errors.`);
    }
    return depStatus;
  }

  /** GNU's decision, once the prerequisites are up to date, whether the file must be remade
   * (`mustMake` is what they said so far); marks the prerequisites that changed for $?. */
  private mustRemake(file: FileNode, mustMake: boolean, thisMtime: number): boolean {
    const noexist = thisMtime === NONEXISTENT;
    let depsChanged = false;
    for (const d of file.deps) {
      const dMtime = this.fileMtime(d.file);
      if (!d.orderOnly) {
        if (dMtime === NONEXISTENT && !d.file.intermediate) mustMake = true;
        depsChanged ||= d.changed;
      }
      d.changed ||= noexist || dMtime > thisMtime;
    }
    if (file.doubleColon && file.deps.length === 0) return true;
    if (!noexist && file.isTarget && !depsChanged && !file.recipe && !this.opts.alwaysMake) return false;
    if (!mustMake && file.recipe && this.opts.alwaysMake) return true;
    return mustMake;
  }

  /** The file need not be remade. Its status stays "none" (GNU), so -t does not touch it and
   * it is never deleted as an intermediate. */
  private upToDate(file: FileNode, noexist: boolean, depth: number): void {
    if (this.debug) {
      if (file.recipe !== undefined || file.deps.length > 0) this.report(depth, `${file.name} is up to date`);
      else if (!noexist) this.report(depth, `Nothing to be done for ${file.name}`);
    }
    this.noticeFinished(file);
    this.release(file);
  }

  /** A file that is done, and did not fail, is never looked at through its prerequisites or
   * wildcard bindings again: drop them, so a large build holds less as it goes. Not for a
   * failed file (GNU names the prerequisite that failed), nor an intermediate one (check_dep
   * walks its prerequisites for every target that needs it), nor grouped or `::` targets. */
  private release(file: FileNode): void {
    if (file.intermediate || file.alsoMake.length > 0 || file.dcOwner !== undefined) return;
    file.deps = NO_DEPS;
    file.bindings = undefined;
  }

  // ---- biomake's report of the build (-d / --debug) ---------------------------------------

  /** Whether to report the build as biomake does: only with -d / --debug, and not while
   * remaking the makefiles (biomake does not). */
  private get debug(): boolean {
    return this.opts.debug.some((w) => !isSearchTraceWord(w)) && !this.opts.rebuildingMakefiles;
  }

  /** Files whose "Checking dependencies" line was printed. */
  private readonly announced = new Set<FileNode>();

  /** biomake's "Checking dependencies: T <-- [D1,D2]", once per file with a rule. */
  private announce(file: FileNode, depth: number): void {
    if (this.announced.has(file) || (file.recipe === undefined && file.deps.length === 0)) return;
    this.announced.add(file);
    const names = file.deps.filter((d) => !d.orderOnly).map((d) => d.file.name);
    this.report(depth, `Checking dependencies: ${file.name} <-- [${names.join(",")}]`);
  }

  /** One line of biomake's report, indented by the depth of the target in the build. */
  private report(depth: number, text: string): void {
    this.out(`% ${" ".repeat(depth)}${text}\n`);
  }

  /** Why a file with a recipe is remade, in biomake's words. */
  private rebuildReason(file: FileNode, thisMtime: number): string {
    const normal = file.deps.filter((d) => !d.orderOnly);
    const assumedNew = normal.find((d) => this.opts.assumeNew.includes(d.file.name));
    if (assumedNew) return `Target ${file.name} has dependency ${assumedNew.file.name} marked as modified from the command-line - build required`;
    if (thisMtime === NONEXISTENT) return `Target ${file.name} not materialized - build required`;
    const rebuilt = normal.find((d) => d.file.ran);
    if (rebuilt) return `Target ${file.name} has rebuilt dependency ${rebuilt.file.name} - rebuild required`;
    const unbuilt = normal.find((d) => this.fileMtime(d.file) === NONEXISTENT);
    if (unbuilt) return `Target ${file.name} has unbuilt dependency ${unbuilt.file.name} - rebuild required`;
    const newer = normal.find((d) => this.fileMtime(d.file) > thisMtime);
    if (newer) return `Target ${file.name} built before dependency ${newer.file.name} - rebuild required`;
    if (this.opts.alwaysMake) return `Specified --always-make; rebuild required for target ${file.name}`;
    return `Target ${file.name} must be remade - build required`;
  }

  /** GNU's check_dep. `mustMake` is the caller's must_make so far; returns the status times two,
   * plus one when the caller must now be made (packed so the hot path allocates nothing). */
  private *checkDep(file: FileNode, depth: number, thisMtime: number, mustMake: boolean): Step<number> {
    let status = Status.Success;
    let mm = mustMake;
    file.updating = true;
    if (file.phony || !file.intermediate) {
      status = yield* this.updateFile(file, depth);
      const mtime = this.fileMtime(file);
      if (mtime === NONEXISTENT || mtime > thisMtime) mm = true;
    } else {
      if (!file.phony && !file.recipe && !file.triedImplicit) {
        this.tryImplicit(file);
        file.triedImplicit = true;
      }
      if (!file.recipe && !file.isTarget && this.specials.defaultRecipe) {
        file.recipe = this.specials.defaultRecipe;
        this.search.noteDefaultRecipe(file.name);
      }
      const mtime = this.fileMtime(file);
      if (file.renamed !== undefined) {
        // Directory search found it under another node's name, which took its flags (GNU's
        // check_renamed): go on with that node, so that is the one marked done below.
        file.updating = false;
        file = file.current;
      }
      if (mtime !== NONEXISTENT && mtime > thisMtime) mm = true;
      else {
        if (this.debug) this.announce(file, depth);
        // -j: looked at afresh unless its own recipe runs (GNU).
        let depsRunning = false;
        if (this.jobs !== undefined && file.commandState !== CommandState.Running) file.commandState = CommandState.NotStarted;
        for (let i = 0; i < file.deps.length; ) {
          const d = file.deps[i]!;
          if (d.file.owner.updating || d.file.updating) {
            this.error(`Circular ${file.name} <- ${d.file.name} dependency dropped.`);
            file.deps.splice(i, 1);
            continue;
          }
          d.file.owner.parent = file;
          const dontcare = d.file.dontcare;
          if (this.opts.rebuildingMakefiles) d.file.dontcare = file.dontcare;
          const r = yield* this.checkDep(d.file, depth + 1, thisMtime, mm);
          if (this.opts.rebuildingMakefiles) d.file.dontcare = dontcare;
          status = Math.max(status, r >> 1);
          if (!d.orderOnly) mm = (r & 1) !== 0;
          if (status !== Status.Success && !this.opts.keepGoing) break;
          if (this.jobs !== undefined && busy(d.file)) depsRunning = true;
          i++;
        }
        if (depsRunning) setCommandState(file, CommandState.DepsRunning);
      }
    }
    file.updating = false;
    return status * 2 + (mm ? 1 : 0);
  }

  private *remakeFile(file: FileNode): Step<void> {
    if (!file.recipe) {
      if (file.phony || file.isTarget) file.status = Status.Success;
      else {
        this.complain(file);
        file.status = Status.Failed;
      }
    } else {
      const recursive = this.recursiveLineFlags(file.recipe);
      if (!this.opts.touch || recursive.some((r) => r)) {
        yield* this.executeRecipe(file);
        return;
      }
      file.status = Status.Success;
    }
    this.noticeFinished(file);
  }

  private complain(file: FileNode): void {
    if (this.opts.rebuildingMakefiles && file.dontcare) return;
    // A file that failed silently may have failed because of a prerequisite: name that one.
    if (file.noDiag) {
      const failed = file.deps.find((d) => d.file.updated && d.file.status > Status.None);
      if (failed) {
        this.complain(failed.file);
        return;
      }
      file.noDiag = false;
    }
    this.opts.showGoalError?.();
    const parent = file.owner.parent;
    const msg = parent ? `No rule to make target '${file.name}', needed by '${parent.name}'` : `No rule to make target '${file.name}'`;
    if (!this.opts.keepGoing) this.fatal(msg);
    this.error(`*** ${msg}.`);
  }

  private recursiveLineFlags(recipe: Recipe): boolean[] {
    return (recipe.recursive ??= recipe.lines.map((l) => RECURSIVE_RE.test(l.text) || /^[\s@-]*\+/.test(l.text)));
  }

  /** GNU's notice_finished_file. */
  private noticeFinished(file: FileNode): void {
    const ran = file.ran;
    file.updated = true;
    let touched = false;
    if (this.opts.touch && file.status === Status.Success) {
      const allRecursive = file.recipe !== undefined && this.recursiveLineFlags(file.recipe).every((r) => r);
      if (!allRecursive && !file.phony && file.recipe) {
        this.touchFile(file);
        this.commandsStarted++;
        file.mtime = NEW;
        touched = true;
      }
    }
    if ((ran && !file.phony) || touched) {
      let newTime: number | undefined;
      if ((this.opts.question || this.opts.dryRun || this.opts.touch) && file.recipe) {
        const flags = this.recursiveLineFlags(file.recipe);
        newTime = flags.every((r) => r) ? undefined : NEW;
      } else if (file.isTarget && !file.recipe) newTime = NEW;
      if (!touched) {
        if (newTime === undefined) this.forgetMtime(file);
        else file.mtime = newTime;
      }
    }
    const entries = file.dcOwner?.dcEntries;
    if (entries !== undefined && entries.every((e) => e.updated)) {
      // The last `::` entry is done: from now on they are one file with the newest time
      // (an unknown time counts as newest), as GNU's notice_finished_file does.
      let max = file.mtime;
      for (const e of entries) if (max !== undefined && (e.mtime === undefined || e.mtime > max)) max = e.mtime;
      for (const e of entries) e.mtime = max;
    }
    for (const a of file.alsoMake) {
      a.updated = true;
      a.status = file.status;
      a.ran = file.ran;
      if (ran && !a.phony) {
        if (file.mtime === NEW) a.mtime = NEW;
        else this.forgetMtime(a);
      }
    }
  }

  /** Forgets the time of a file (of a `::` entry: that entry's). */
  private forgetMtime(file: FileNode): void {
    file.mtime = undefined;
    this.fs.invalidate(file.owner.name);
  }

  private touchFile(file: FileNode): void {
    if (!this.runSilent) this.out(`touch ${file.name}\n`);
    if (this.opts.dryRun) return;
    const p = path.resolve(this.opts.cwd, file.name);
    this.fs.settle();
    try {
      const now = new Date();
      if (fs.existsSync(p)) fs.utimesSync(p, now, now);
      else fs.closeSync(fs.openSync(p, "a"));
      this.fs.invalidate(file.name);
    } catch (e) {
      this.error(`*** touch: ${(e as Error).message}`);
      file.status = Status.Failed;
    }
  }

  // ---- recipes ---------------------------------------------------------------------------

  private automaticScope(file: FileNode): VarScope {
    const own = this.scopeFor(file);
    let base = own;
    if (file.bindings) base = this.search.bindingScope(base, file.bindings, file.name);
    const scope = new VarScope(base);
    // The target's own private variables stay visible to its recipe (they are only hidden from
    // prerequisites), so copy them into the recipe's scope.
    for (const s of file.owner.ownScopes ?? [])
      for (const n of s.localNames()) {
        const v = s.getLocal(n)!;
        if (v.private) scope.set(v);
      }
    // .EXTRA_PREREQS prerequisites are in no automatic variable.
    const normal = file.deps.filter((d) => !d.orderOnly && !d.noAuto);
    const names = normal.map((d) => d.file.path);
    const uniq = (xs: string[]): string[] => [...new Set(xs)];
    const set = (n: string, v: string): void => scope.set({ name: n, value: v, flavor: "simple", origin: "automatic" });
    set("@", file.path);
    set("%", "");
    // A recipe from .DEFAULT has $< the same as $@ (GNU).
    set("<", file.recipe !== undefined && file.recipe === this.specials.defaultRecipe ? file.path : (names[0] ?? ""));
    set("^", uniq(names).join(" "));
    set("+", names.join(" "));
    // With -B every prerequisite counts as changed (GNU's always_make_flag in set_file_variables).
    set("?", uniq(normal.filter((d) => d.changed || this.opts.alwaysMake).map((d) => d.file.path)).join(" "));
    set("|", uniq(file.deps.filter((d) => d.orderOnly && !d.noAuto).map((d) => d.file.path)).join(" "));
    let stem = file.stem;
    if (stem === undefined) {
      stem = "";
      for (const s of this.suffixes)
        if (file.name.endsWith(s) && file.name.length > s.length) {
          stem = file.name.slice(0, file.name.length - s.length);
          break;
        }
    }
    set("*", stem);
    return scope;
  }

  /** Expands the whole recipe (GNU's new_job) into the JobSpec the job stage runs. */
  prepareJob(file: FileNode): { spec: JobSpec; started: number; nonRecursive: number } {
    const recipe = file.recipe!;
    const scope = this.automaticScope(file);
    const ex = this.db.expander;
    const oneShell = this.specials.oneShell || this.opts.oneShell;
    const commands: RecipeCommand[] = [];
    const recursiveLines = new Set<number>();
    const lineFlags = this.recursiveLineFlags(recipe);
    let started = 0;
    let nonRecursive = 0;
    for (let lineIndex = 0; lineIndex < recipe.lines.length; lineIndex++) {
      const line = recipe.lines[lineIndex]!;
      const recursive = RECURSIVE_RE.test(line.text);
      const prefix = /^[\s@+-]*/.exec(line.text)![0].replace(/\s/g, "");
      const expanded = ex.expand(collapseReferenceContinuations(line.text), scope, line.loc);
      const parts = oneShell ? [expanded] : splitCommands(expanded);
      parts.forEach((text, i) => {
        const full = i === 0 || prefix === "" ? text : prefix + text;
        if (recursive) recursiveLines.add(commands.length);
        commands.push({ text: full, loc: line.loc });
        const body = full.replace(/^[\s@+-]*/, "");
        // A `+` that came from the expansion makes the line recursive from now on (GNU marks
        // the line's flags when it starts the command), so -n/-t/-q look at the file again.
        const plus = /^[\s@-]*\+/.test(full);
        if (plus) lineFlags[lineIndex] = true;
        if (!isEmptyCommand(body) || (oneShell && body !== "")) {
          started++;
          if (!recursive && !plus) nonRecursive++;
        }
      });
    }
    const value = (name: string, dflt: string): string => {
      const v = scope.get(name);
      if (v === undefined) return dflt;
      return v.flavor === "simple" ? v.value : ex.expand(v.value, scope);
    };
    const precious = file.precious || file.owner.precious;
    // GNU computes a recipe's environment only for a command it starts: under -n, -t and -q
    // only `+` and $(MAKE) lines start, so without them there is no environment to compute.
    const starts = !(this.opts.dryRun || this.opts.touch || this.opts.question) || started > nonRecursive;
    const spec: JobSpec = {
      target: file.name,
      loc: recipe.loc,
      commands,
      env: starts ? ex.environmentFor(scope) : {},
      shell: value("SHELL", "/bin/sh"),
      shellFlags: value(".SHELLFLAGS", "-c"),
      oneShell,
      silent: this.runSilent || this.specials.silent.has(file.name),
      runSilent: this.runSilent,
      ignoreErrors: this.opts.ignoreErrors || this.specials.allIgnore || this.specials.ignore.has(file.name),
      dryRun: this.opts.dryRun,
      trace: this.opts.trace === true,
      dontCare: this.opts.rebuildingMakefiles === true && file.dontcare,
      beforeFailure: this.opts.showGoalError,
      recursiveLines,
      deleteOnError: this.specials.deleteOnError && !precious && !file.phony,
      keepOnInterrupt: precious || file.phony,
      cwd: this.opts.cwd,
    };
    return { spec, started, nonRecursive };
  }

  private *executeRecipe(file: FileNode): Step<void> {
    const recipe = file.recipe!;
    const o = file.owner;
    file.ran = true;
    if (recipe.lines.every((l) => /^[\s@+-]*$/.test(l.text))) {
      file.status = Status.Success;
      this.noticeFinished(file);
      return;
    }
    const { spec, started, nonRecursive } = this.prepareJob(file);
    if (this.opts.trace) this.traceUpdate(file);
    let extraTouch = false;
    if (this.opts.question) {
      // -q runs nothing: a target with something to run is "not up to date".
      file.status = nonRecursive > 0 ? Status.Question : Status.Success;
      this.noticeFinished(file);
      return;
    }
    let jobSpec = spec;
    if (this.opts.touch) {
      // -t runs only the `+` and $(MAKE) lines. GNU quirk kept: when the recipe ends with a
      // skipped line after one that ran, the job finishes twice and `touch` is echoed twice.
      const keep = spec.commands.map((c, i) => (spec.recursiveLines.has(i) || /^[\s@-]*\+/.test(c.text) ? i : -1)).filter((i) => i >= 0);
      jobSpec = { ...spec, commands: keep.map((i) => spec.commands[i]!), recursiveLines: new Set(keep.filter((i) => spec.recursiveLines.has(i)).map((i) => keep.indexOf(i))) };
      if (keep.length > 0 && keep[keep.length - 1] !== spec.commands.length - 1 && !file.phony) extraTouch = true;
    }
    this.commandsStarted += this.opts.touch ? 0 : started;
    const ran = !this.opts.dryRun || started > nonRecursive;
    if (jobSpec.commands.length > 0 && ran) this.forgetTimesAhead();
    const finish = (result: JobResult): void => {
      if (extraTouch && result.ok) this.touchFile(file);
      // Under -n nothing ran unless a `+` or $(MAKE) line did: what we knew of the file holds.
      if (ran) this.fs.invalidate(o.name);
      file.status = result.ok ? Status.Success : Status.Failed;
      this.noticeFinished(file);
    };
    const jobs = this.jobs;
    // Under -n, and for a recipe that starts no process, GNU is done with it at once.
    if (jobs !== undefined && jobSpec.commands.length > 0 && ran && !startsNoProcess(jobSpec)) {
      // -j (GNU's new_job): wait for a job slot, start the recipe and go on with the walk.
      const slot = jobs.slot();
      if (slot !== undefined) yield slot;
      setCommandState(file, CommandState.Running);
      const done = (result: JobResult): void => {
        file.commandState = CommandState.NotStarted;
        for (const a of file.alsoMake) a.commandState = CommandState.NotStarted;
        if (ran) this.forgetTimesAhead();
        finish(result);
        if (file.status === Status.Success) this.release(file);
      };
      jobs.start(runJob(jobSpec), done, !this.opts.keepGoing && jobSpec.dontCare !== true);
      return;
    }
    finish(jobSpec.commands.length > 0 ? ((yield runJob(jobSpec)) as JobResult) : { ok: true });
  }

  /** --trace: why the recipe runs (GNU's new_job), before its first command is echoed. */
  private traceUpdate(file: FileNode): void {
    const loc = file.recipe!.loc;
    const where = loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file;
    const newer = this.automaticScope(file).get("?")?.value ?? "";
    // GNU's message() without a prefix: no "make:" before the location.
    if (newer === "") this.out(`${where}: target '${file.name}' does not exist\n`);
    else this.out(`${where}: update target '${file.name}' due to: ${newer}\n`);
  }

  // ---- the end of a run ------------------------------------------------------------------

  /** GNU's remove_intermediates: delete intermediate files this run made, echoing `rm a b`, or,
   * when make is dying of a signal, saying `*** Deleting intermediate file 'a'` for each. */
  /** Names in the order GNU's file table holds them (see gnu-file-order.ts): what GNU
   * entered before reading the makefiles, then every name in the order it was entered. */
  private *enteredNames(): Iterable<string> {
    yield ".SUFFIXES";
    if (!this.opts.noBuiltinRules) {
      yield* DEFAULT_SUFFIXES;
      yield* BUILTIN_SUFFIX_RULES.keys();
    }
    yield ".DEFAULT";
    for (const f of this.files.all()) yield f.name;
  }

  private inGnuOrder(names: string[]): string[] {
    return inGnuTableOrder(names, this.enteredNames());
  }

  removeIntermediates(dyingOfSignal = false): void {
    if (this.opts.question || this.opts.touch || this.specials.allSecondary) return;
    const removed: string[] = [];
    for (const f of this.files.all()) {
      if (!f.intermediate || f.precious || f.secondary || f.cmdTarget || f.notIntermediate) continue;
      if (f.status === Status.None) continue;
      if (!this.opts.dryRun) {
        try {
          fs.unlinkSync(path.resolve(this.opts.cwd, f.name));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
          this.error(`unlink: ${f.name}: ${(e as Error).message}`);
        }
      }
      if (!f.dontcare) removed.push(f.name);
    }
    if (removed.length === 0) return;
    if (dyingOfSignal) for (const name of this.inGnuOrder(removed)) this.err(`${this.prog}: *** Deleting intermediate file '${name}'\n`);
    else if (!this.runSilent) this.out(`rm ${this.inGnuOrder(removed).join(" ")}\n`);
  }
}
