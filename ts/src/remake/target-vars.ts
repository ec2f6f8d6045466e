// The variables a target's recipe and its second expansion see: target- and pattern-specific
// values over the parent's (GNU's initialize_file_variables in variable.c), and the automatic
// variables $@ $< $^ $+ $? $| $* (GNU's set_file_variables in commands.c, the one function for
// both recipes and .SECONDEXPANSION).
import { VarScope } from "../expand/variables.js";
import type { Assignment } from "../expand/variables.js";
import type { RemakeContext } from "./context.js";
import type { Dep, FileNode } from "./files.js";
import { Pattern } from "../base/pattern.js";

/** What a prerequisite waiting for its second expansion points at until it is expanded. */
export const SECOND_EXPANSION_NAME = "";

/** The facts set_file_variables reads. */
export interface FileVariables {
  /** $@ */
  target: string;
  /** $* */
  stem: string;
  /** The prerequisites, in order; a placeholder still to expand counts for $< only. */
  deps: readonly Dep[];
  /** $< when it is not the first prerequisite (a .DEFAULT recipe's $< is $@). */
  first?: string;
  /** -B: every prerequisite is in $?. */
  alwaysMake: boolean;
  /** Names the prerequisites by the name directory search found (recipes), or by their own
   * (second expansion, before any search). */
  found: boolean;
}

export class TargetVariables {
  /** Pattern-specific values, shortest pattern first, then in the order read (GNU). */
  private readonly patternVars: { pattern: Pattern; assignments: readonly Assignment[] }[];

  constructor(private readonly ctx: RemakeContext) {
    this.patternVars = ctx.db.patternVars
      .map((p, i) => {
        const pattern = Pattern.parse(p.pattern);
        // GNU sorts by the length of the pattern with its quoting resolved.
        return { pattern, assignments: p.assignments, length: pattern.text.length, i };
      })
      .sort((a, b) => a.length - b.length || a.i - b.i);
  }

  /** The variable scope of a target: target- and pattern-specific values over its parent's. */
  scopeFor(file: FileNode): VarScope {
    const o = file.owner;
    if (o.scope) return o.scope;
    const globals = this.ctx.db.globals;
    const parentScope = o.parent && o.parent !== o ? this.scopeFor(o.parent) : globals;
    const patterns = this.patternScopeFor(o.name, parentScope);
    const own = this.ctx.db.targetVars.get(o.name);
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
  patternScopeFor(name: string, parent: VarScope): VarScope | undefined {
    const patterns = this.patternVars.filter((p) => p.pattern.matchNonEmpty(name) !== undefined);
    if (patterns.length === 0) return undefined;
    const scope = new VarScope(parent);
    for (const p of patterns) this.assignAll(scope, p.assignments);
    return scope;
  }

  /** The scope of a second expansion of an explicit rule's prerequisites. GNU does it before
   * the build, so the target's parent is not known: the target's pattern- and target-specific
   * variables over the global ones. */
  explicitSecondBase(name: string): VarScope {
    const globals = this.ctx.db.globals;
    let base = this.patternScopeFor(name, globals) ?? globals;
    const own = this.ctx.db.targetVars.get(name);
    if (own) {
      base = new VarScope(base);
      this.assignAll(base, own);
    }
    return base;
  }

  /** The scope of a second expansion of a pattern rule's prerequisites for an intermediate
   * file (GNU's pattern_search): only the pattern-specific variables. */
  intermediateSecondBase(name: string): VarScope {
    const globals = this.ctx.db.globals;
    return this.patternScopeFor(name, globals) ?? globals;
  }

  /** Target- or pattern-specific assignments, applied in order (`override` ones as such). */
  private assignAll(scope: VarScope, assignments: readonly Assignment[]): void {
    for (const a of assignments) this.ctx.db.expander.assign(scope, a, a.override ? "override" : "file");
  }

  /** GNU's target_environment: a target- or pattern-specific variable that says neither
   * export nor unexport is exported as the global variable of its name is. */
  private inheritExport(scope: VarScope): void {
    for (const n of scope.localNames()) {
      const v = scope.getLocal(n)!;
      if (v.exported !== undefined) continue;
      const g = this.ctx.db.globals.getLocal(n);
      if (g?.exported !== undefined) scope.set({ ...v, exported: g.exported });
    }
  }

  /** $* of an explicit rule's target: its name without the first known suffix it ends with. */
  suffixStem(name: string): string {
    for (const s of this.ctx.suffixes) if (name.endsWith(s) && name.length > s.length) return name.slice(0, name.length - s.length);
    return "";
  }
}

/** GNU's set_file_variables: a scope over `parent` holding the automatic variables. Prerequisites
 * from .EXTRA_PREREQS are in none of them. */
export function automaticVariables(parent: VarScope, v: FileVariables): VarScope {
  const scope = new VarScope(parent);
  const normal: string[] = [];
  const orderOnly: string[] = [];
  const changed: string[] = [];
  let first: string | undefined;
  for (const d of v.deps) {
    if (d.noAuto) continue;
    const name = v.found ? d.file.path : d.file.name;
    if (!d.orderOnly) first ??= name;
    // A prerequisite still to be expanded: $< is empty while it comes first.
    if (d.file.name === SECOND_EXPANSION_NAME) continue;
    if (d.orderOnly) orderOnly.push(name);
    else {
      normal.push(name);
      if (d.changed || v.alwaysMake) changed.push(name);
    }
  }
  const set = (n: string, value: string): void => scope.set({ name: n, value, flavor: "simple", origin: "automatic" });
  set("@", v.target);
  set("*", v.stem);
  set("%", "");
  set("<", v.first ?? first ?? "");
  set("^", unique(normal).join(" "));
  set("+", normal.join(" "));
  set("?", unique(changed).join(" "));
  set("|", unique(orderOnly).join(" "));
  return scope;
}

/** The names without repeats, in first-seen order. */
function unique(names: string[]): string[] {
  return names.length < 2 ? names : [...new Set(names)];
}
