// Building the file table from the database (GNU's record_files in read.c and snap_deps in
// file.c): explicit rules become nodes with their prerequisites and recipes, static pattern
// rules are filled in with their stems, special targets mark their files, suffix rules are
// converted, .EXTRA_PREREQS are added, and the prerequisites waiting for a second expansion
// (.SECONDEXPANSION) are expanded, every one of them, before anything is built. Also -o and
// -W (which mark files in the table) and the default goal.
import { MakeError, type Loc } from "../messages.js";
import { globWord, hasWildcard } from "../expand/functions/glob.js";
import type { Database, RecipeLine, Rule } from "../read/database.js";
import type { BiomakeRule } from "../implicit/search.js";
import { Bindings } from "../implicit/bindings.js";
import { Pattern, patternOf } from "../base/pattern.js";
import { splitWords } from "../base/words.js";
import type { RemakeContext } from "./context.js";
import { Dep, FileNode, Status, dropShadowedOrderOnly, recipeOf, type PendingExpansion, type Recipe } from "./files.js";
import { NEW, NONEXISTENT, OLD } from "./fscache.js";
import { SPECIAL_TARGETS } from "./specials.js";
import { addExtraPrereqs } from "./extra-prereqs.js";
import { automaticVariables, SECOND_EXPANSION_NAME, type TargetVariables } from "./target-vars.js";
import { withoutDotSlash } from "../base/names.js";

const NO_BINDINGS = new Bindings([], []);

/** What a prerequisite waiting for its second expansion points at until it is expanded. */
const SECOND_EXPANSION = new FileNode(SECOND_EXPANSION_NAME);

/** Databases whose "ignoring prerequisites on suffix rule definition" warnings were printed.
 * GNU prints them once per read of the makefiles; tmake builds a file table from the same
 * database twice (remaking makefiles, then the goals), so only the first table prints them.
 * (The reader says the warnings GNU's record_files says: read/record.ts.) */
const warnedDatabases = new WeakSet<Database>();

/** The rules the implicit search is built from, sorted out while the table is built. */
export interface ImplicitSources {
  /** GNU pattern rules, in the order read. */
  patterns: Rule[];
  /** Biomake's multi-wildcard rules, in the order read. */
  biomake: BiomakeRule[];
  /** Suffix rules found among the explicit targets (`.c.o:`), by their name. */
  suffixRules: Map<string, { recipe: RecipeLine[]; loc: Loc }>;
}

/** A biomake rule: its targets hold named wildcards (the reader keeps its raw prerequisites). */
export function isBiomakeRule(r: Rule): boolean {
  return r.rawPrereqs !== undefined;
}

/** Fills the context's file table from its database (GNU's snap_deps), and returns the rules
 * the implicit search needs. */
export function snapDeps(ctx: RemakeContext, vars: TargetVariables): ImplicitSources {
  return new TableBuilder(ctx, vars).build();
}

class TableBuilder {
  /** Nodes given order-only prerequisites while the table is built. */
  private orderOnlyNodes: FileNode[] = [];
  /** .SECONDEXPANSION: the prerequisites still to expand (placeholders in their nodes' lists,
   * where GNU keeps them, so the results land in the same order), and the nodes holding them. */
  private readonly secondDeps = new Map<Dep, PendingExpansion>();
  private readonly secondNodes = new Set<FileNode>();

  constructor(
    private readonly ctx: RemakeContext,
    private readonly vars: TargetVariables,
  ) {}

  build(): ImplicitSources {
    const { ctx } = this;
    const sources: ImplicitSources = { patterns: [], biomake: [], suffixRules: new Map() };
    this.enterRules(sources);
    this.markSpecials();
    addExtraPrereqs(ctx.db, ctx.files, ctx.opts.cwd);
    this.suffixRules(sources.suffixRules);
    // Order-only prerequisites that are also normal ones are normal (GNU).
    for (const e of this.orderOnlyNodes) e.deps = dropShadowedOrderOnly(e.deps);
    warnedDatabases.add(ctx.db);
    markAssumedNew(ctx, ctx.opts.assumeNew);
    for (const name of ctx.opts.assumeOld) {
      // For a `::` target GNU sets these on the first entry (the one its file table holds).
      const o = ctx.files.enter(name);
      const f = o.dcEntries?.[0] ?? o;
      f.mtime = OLD;
      f.updated = true;
      f.status = Status.Success;
    }
    // GNU's snap_deps: from here on a rule read by $(eval) is an error, and the prerequisites
    // waiting for a second expansion are expanded before anything is built.
    ctx.db.rulesClosed = true;
    this.expandSecondDeps();
    return sources;
  }

  private enterRules(sources: ImplicitSources): void {
    const { files } = this.ctx;
    // With biomake rules, every name the makefiles mention is matched against them in one batch
    // (see ImplicitRules.pendingNames), so remember the nodes as they are made.
    files.trackNew = this.ctx.db.rules.some(isBiomakeRule);
    for (const r of this.ctx.db.rules) {
      if (isBiomakeRule(r)) {
        sources.biomake.push({ rule: r, order: sources.biomake.length });
        continue;
      }
      if (r.patternRule) {
        sources.patterns.push(r);
        continue;
      }
      const names = r.names;
      if (r.someTarget((t) => SPECIAL_TARGETS.has(t))) {
        for (let i = r.prereqStart; i < r.end; i++) files.enter(names[i]!);
        continue;
      }
      // Suffix rules (".c.o:", ".c:") are ordinary targets too (GNU); suffixRules() below
      // converts them.
      const recipe = recipeOf(r);
      const group: FileNode[] = [];
      const staticPattern = r.staticPattern === undefined ? undefined : Pattern.parse(r.staticPattern);
      for (let i = r.start; i < r.prereqStart; i++) {
        const t = names[i]!;
        // A target the static pattern does not match (the reader said so) gets no
        // prerequisites, and its whole name is its stem (GNU's patsubst_expand_pat).
        const stem = staticPattern?.match(t);
        // A `::` rule's group holds its own entries (GNU's also_make of a `&::` rule).
        group.push(this.addExplicit(t, r, recipe, staticPattern === undefined ? undefined : (stem ?? t), staticPattern === undefined || stem !== undefined));
      }
      if (r.grouped && group.length > 1) for (const g of group) g.alsoMake = group.filter((o) => o !== g);
    }
  }

  /** The flags special targets give the files they name. */
  private markSpecials(): void {
    const { files, specials: sp } = this.ctx;
    for (const n of sp.phony) {
      const f = files.enter(n);
      f.phony = true;
      f.isTarget = true;
      f.mtime = NONEXISTENT;
    }
    for (const n of sp.precious) files.enter(n).precious = true;
    for (const n of sp.intermediate) files.enter(n).intermediate = true;
    for (const n of sp.secondary) {
      const f = files.enter(n);
      f.intermediate = true;
      f.secondary = true;
    }
    for (const n of sp.notIntermediate) files.enter(n).notIntermediate = true;
    // `.SECONDARY:` without prerequisites: every file known now is intermediate (and, through
    // allSecondary, never deleted), as GNU's snap_file does.
    if (sp.allSecondary) for (const f of files.all()) f.intermediate = true;
  }

  /** GNU's convert_to_pattern: a target named by one known suffix (`.c`) or two (`.c.o`) that
   * has a recipe is also a suffix rule. A two-suffix one with prerequisites stays an ordinary
   * target only under .POSIX; otherwise GNU warns and converts it without them. A target left
   * out here is entered with no recipe, so it hides the built-in rule of the same name. */
  private suffixRules(into: Map<string, { recipe: RecipeLine[]; loc: Loc }>): void {
    const { files, suffixes } = this.ctx;
    const warn = !warnedDatabases.has(this.ctx.db);
    for (const s of suffixes) {
      const single = files.lookup(s);
      if (single?.recipe !== undefined) into.set(s, { recipe: single.recipe.lines, loc: single.recipe.loc });
      for (const s2 of suffixes) {
        if (s2 === s) continue;
        const f = files.lookup(s + s2);
        if (f?.recipe === undefined) continue;
        if (f.deps.length > 0) {
          if (this.ctx.specials.posix) {
            into.set(s + s2, { recipe: [], loc: f.recipe.loc });
            continue;
          }
          if (warn) this.ctx.msg.err(`${f.recipe.loc.file}:${f.recipe.loc.line}: warning: ignoring prerequisites on suffix rule definition\n`);
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
    const { files } = this.ctx;
    const owner = files.enter(name);
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
        const p = stem === undefined ? names[i]! : staticPrereq(names[i]!, stem);
        if (p === "") empty = true;
        else deps[i - r.prereqStart] = new Dep(files.enter(p), i >= r.orderOnlyStart);
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
      // The reader said GNU's "overriding recipe" warnings (read/record.ts).
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
   * of each name, and a name that leaves nothing is dropped. The variables are the target's
   * own over the global ones (GNU does this before the build, so the target's parent is not
   * known), and the automatic ones from the prerequisites known so far. */
  private expandSecond(node: FileNode, p: PendingExpansion): Dep[] {
    const o = node.owner;
    const scope = automaticVariables(this.vars.explicitSecondBase(o.name), {
      target: o.name,
      stem: p.stem ?? node.stem ?? this.vars.suffixStem(o.name),
      deps: node.deps,
      alwaysMake: this.ctx.opts.alwaysMake,
      found: false,
    });
    const text = p.stem !== undefined ? p.text.split("%").join("$*") : p.text;
    // GNU expands without a makefile location (its messages name no file).
    const expanded = this.ctx.db.expander.expand(text, scope);
    const deps: Dep[] = [];
    let orderOnly = false;
    const add = (word: string): void => {
      if (word === "") return;
      const names = !orderOnly && hasWildcard(word) ? globNames(word, this.ctx.opts.cwd) : [word];
      for (let name of names) {
        if (p.stem !== undefined) name = staticPrereq(name, p.stem);
        if (name !== "") deps.push(new Dep(this.ctx.files.enter(name), orderOnly));
      }
    };
    for (const w of splitWords(expanded)) {
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
}

/** A static pattern rule's prerequisite for `stem` (GNU's enter_prereqs): its first `%` that
 * is not quoted is the stem (find_percent's quoting resolved); a name without one is kept as
 * it is, backslashes too. */
function staticPrereq(word: string, stem: string): string {
  if (word.indexOf("%") < 0) return word;
  const p = patternOf(word);
  return p.hasPercent ? p.fill(stem) : word;
}

/** GNU globs prerequisite names: the existing files a word with wildcards matches, sorted, or
 * the word itself when none does. */
export function globNames(word: string, cwd: string): string[] {
  const names = globWord(word, cwd);
  return names.length > 0 ? names : [word];
}

/** -W: these files are infinitely new (GNU's NEW_MTIME). Also called after a restart, when the
 * makefiles were remade without them (see remakeMakefiles). */
export function markAssumedNew(ctx: RemakeContext, names: readonly string[]): void {
  for (const name of names) {
    const o = ctx.files.enter(name);
    (o.dcEntries?.[0] ?? o).mtime = NEW;
  }
}

/** The goal when none is named: .DEFAULT_GOAL, else the first target of the first rule that is
 * not a pattern rule and does not start with a `.` (unless it holds a slash). */
export function defaultGoal(ctx: RemakeContext): string | undefined {
  const { db } = ctx;
  const v = db.globals.get(".DEFAULT_GOAL");
  if (v !== undefined) {
    const text = v.flavor === "simple" ? v.value : db.expander.expand(v.value, db.globals);
    // GNU looks the whole value up as a file first (lookup_file: a leading `./` goes): a
    // target whose name holds a blank (`a\ b:` makes `a b`) is one goal.
    if (text !== "") {
      const whole = withoutDotSlash(text);
      if (ctx.files.lookup(whole) !== undefined) return whole;
    }
    // Else the value is read as file names (GNU's parse_file_seq: `./` dropped, globbed).
    const words = splitWords(text).flatMap((w) => {
      const name = withoutDotSlash(w);
      return hasWildcard(name) ? globNames(name, ctx.opts.cwd) : [name];
    });
    if (words.length > 1) throw new MakeError(".DEFAULT_GOAL contains more than one target");
    if (words.length === 1) return words[0];
    return undefined;
  }
  for (const r of db.rules) {
    if (isBiomakeRule(r)) continue;
    if (r.patternRule) continue;
    for (const t of r.targetList()) {
      if (t.startsWith(".") && !t.includes("/")) continue;
      return t;
    }
  }
  return undefined;
}
