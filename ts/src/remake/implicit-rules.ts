// The file side of implicit rule search (GNU's try_implicit_rule in implicit.c): builds the
// implicit search over the table, and gives a file the recipe and prerequisites of the rule
// the search found, entering the intermediate files of a chain. The search itself (GNU's
// pattern_search and biomake's rule selection) is in ts/src/implicit.
import type { Loc } from "../messages.js";
import type { RecipeLine } from "../read/database.js";
import { RuleSet } from "../implicit/ruleset.js";
import { ImplicitSearch, type Found } from "../implicit/search.js";
import { searchTraceFor } from "../implicit/trace.js";
import { loadBackend } from "../native/index.js";
import { automaticVariables, type TargetVariables } from "./target-vars.js";
import type { RemakeContext } from "./context.js";
import { Dep, NO_DEPS, type FileNode } from "./files.js";
import { NEW, NONEXISTENT, OLD } from "./fscache.js";
import { globalExtraPrereqs } from "./extra-prereqs.js";
import { globNames, type ImplicitSources } from "./snap.js";

export class ImplicitRules {
  readonly search: ImplicitSearch;

  constructor(
    private readonly ctx: RemakeContext,
    private readonly vars: TargetVariables,
    sources: ImplicitSources,
  ) {
    const { db, files, fs, vpath, opts } = ctx;
    const suffixRules: Map<string, { recipe: RecipeLine[]; loc: Loc }> = sources.suffixRules;
    const ruleSet = new RuleSet(sources.patterns, suffixRules, ctx.suffixes, !opts.noBuiltinRules, globalExtraPrereqs(db, opts.cwd));
    this.search = new ImplicitSearch(ruleSet, sources.biomake, (p) => loadBackend().compilePatterns(p), {
      mentioned: (n) => files.lookup(n) !== undefined,
      exists: (n) => {
        // A name in the table may have handed its time over to its node (FsCache.takeMtime).
        const t = files.lookup(n)?.mtime;
        return t !== undefined && t !== NEW && t !== OLD ? t !== NONEXISTENT : fs.exists(n);
      },
      vpath: (n) => vpath.search(n),
      explicit: (n) => {
        const f = files.lookup(n);
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
      goals: ctx.goals,
      listing: (d) => fs.listing(d),
      prefetchListing: (d) => fs.prefetchListing(d),
      listingReady: (d) => fs.listingReady(d),
      mentionedIn: (d) => files.mentionedIn(d),
      vpathActive: vpath.active,
      secondExpansionScope: (name, stem, top) => this.secondExpansionScope(name, stem, top),
      glob: (word) => globNames(word, opts.cwd),
      trace: searchTraceFor(
        opts.debug,
        (text) => ctx.msg.out(text),
        () => ctx.phase?.rebuildingMakefiles === true,
      ),
      depthOf: (n) => this.depthOf(n),
    });
    files.onEnter = (n, dirLength) => this.search.noteMentioned(n, dirLength);
  }

  /** GNU's try_implicit_rule: gives the file a recipe and prerequisites from an implicit rule
   * (`exclude`: keys of matches a failed deps goal ruled out). */
  tryImplicit(file: FileNode, exclude?: Set<string>): boolean {
    this.search.prefetch(this.pendingNames());
    // The file's own prerequisites are in the file table, which the search consults already.
    const found = this.search.find(file.name, undefined, exclude);
    if (!found) return false;
    this.applyFound(file, found, true);
    return true;
  }

  /** GNU's depth of the file being updated, for the search's trace: update_file_1 and check_dep
   * each add one, so a prerequisite is two deeper than its parent, an intermediate one (no
   * update_file_1 of its own) one deeper; the makefiles are updated from depth 1. */
  private depthOf(name: string): number {
    let depth = this.ctx.phase?.rebuildingMakefiles === true ? 2 : 1;
    let f = this.ctx.files.lookup(name);
    for (let hops = 0; f?.parent !== undefined && f.parent !== f && hops < 100000; hops++, f = f.parent.owner) depth += f.intermediate && !f.phony ? 1 : 2;
    return depth;
  }

  /** Names entered since the last batch that may need a wildcard match. */
  pendingNames(): string[] {
    if (!this.search.hasBiomakeRules) {
      this.ctx.files.takeNew();
      return [];
    }
    const names: string[] = [];
    for (const f of this.ctx.files.takeNew()) if (!f.recipe && !f.phony && !f.dcEntries) names.push(f.name);
    return names;
  }

  private applyFound(file: FileNode, found: Found, top: boolean): void {
    const { files, specials } = this.ctx;
    const deps: Dep[] = [];
    for (const fd of found.deps) {
      const existing = files.lookup(fd.name);
      const node = existing ?? files.enter(fd.name);
      if (fd.chain) {
        if (existing) node.secondary = true;
        this.applyFound(node, fd.chain, false);
        node.isTarget = true;
        // A file a multi-wildcard rule makes is never intermediate (biomake deletes nothing it
        // made, and a BAM kept after indexing is what its users expect); a GNU `%` chain keeps
        // GNU's meaning. `.INTERMEDIATE` still makes either one intermediate.
        if (fd.chain.kind !== "biomake" && !node.notIntermediate && !specials.allNotIntermediate) node.intermediate = true;
        node.triedImplicit = true;
        if (fd.pattern !== undefined && specials.preciousPatterns.has(fd.pattern)) node.precious = true;
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
    if (specials.preciousPatterns.has(found.targetPattern)) file.precious = true;
    if (found.alsoMake.length > 0) {
      const group = [file, ...found.alsoMake.map((n) => files.enter(n))];
      for (const g of group) {
        if (g === file) continue;
        g.recipe = file.recipe;
        g.stem = file.stem;
        g.triedImplicit = true;
      }
      file.alsoMake = group.filter((g) => g !== file);
    }
  }

  /** The variables of a second expansion of a pattern rule's prerequisites (GNU's
   * pattern_search): for the file being searched, its own variables (it has a parent by now)
   * and automatic ones from its prerequisites; for an intermediate file, only the
   * pattern-specific variables. */
  private secondExpansionScope(name: string, stem: string, top: boolean): ReturnType<TargetVariables["scopeFor"]> {
    const file = top ? this.ctx.files.lookup(name) : undefined;
    const base = file !== undefined ? this.vars.scopeFor(file) : this.vars.intermediateSecondBase(name);
    return automaticVariables(base, { target: name, stem, deps: file?.deps ?? NO_DEPS, alwaysMake: this.ctx.opts.alwaysMake, found: false });
  }
}
