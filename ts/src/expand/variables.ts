// Variables and the scopes that hold them.
//
// A VarScope is one GNU "variable set": the global set, a target's set (target- and
// pattern-specific values), or a short-lived set for $(foreach)/$(call) locals. Lookups walk
// from the innermost set outwards, as GNU's lookup_variable walks a variable_set_list.
import type { Loc } from "../messages.js";

export type AssignOp = "=" | ":=" | "::=" | ":::=" | "?=" | "+=" | "!=";

/** One variable assignment as written (used for target- and pattern-specific values, which
 * GNU applies when the target is built, not when the line is read). Expander.assign applies
 * one to a scope. */
export interface Assignment {
  name: string;
  op: AssignOp;
  /** The right-hand side as written (unexpanded). */
  value: string;
  override: boolean;
  /** true for `export`, false for `unexport`, undefined when neither was said. */
  exported?: boolean;
  private: boolean;
  loc: Loc;
}

/** Where a variable's value came from. GNU's precedence (weakest first) is
 * default < environment < file < environment override < command line < override < automatic;
 * a definition only replaces one of equal or weaker origin (see `originRank`). */
export type Origin = "default" | "environment" | "environment override" | "file" | "command line" | "override" | "automatic";

export interface Variable {
  name: string;
  /** The value: unexpanded text for "recursive", final text for "simple". */
  value: string;
  flavor: "recursive" | "simple";
  origin: Origin;
  /** true after `export`, false after `unexport`, undefined when neither was said (then GNU's
   * default applies: environment and command-line variables are exported, others only under
   * .EXPORT_ALL_VARIABLES / a bare `export`). */
  exported?: boolean;
  /** `private`: not inherited by scopes below the one that holds it. */
  private?: boolean;
  /** Where it was defined (for "Recursive variable ... references itself" and $(origin)). */
  loc?: Loc;
}

const RANK: Record<Origin, number> = {
  default: 0,
  environment: 1,
  file: 2,
  "environment override": 3,
  "command line": 4,
  override: 5,
  automatic: 6,
};

/** GNU's origin order: a new definition wins when its rank is >= the existing one's. */
export function originRank(origin: Origin): number {
  return RANK[origin];
}

export class VarScope {
  private readonly vars = new Map<string, Variable>();
  /** Changes whenever this scope's own variables change (set or delete), so a reader can
   * keep a value computed from them (the recipe prefix, the default goal) until then. */
  generation = 0;
  /** Scopes a lookup here consults first, innermost last (see pushOverlay). */
  private overlays: VarScope[] | undefined = undefined;

  /**
   * `sameTarget`: this scope and `parent` hold one target's variables (its own over its
   * pattern-specific ones), so the parent's private variables are visible here; any other
   * parent is an enclosing target or the globals, whose private variables are not inherited.
   */
  constructor(
    readonly parent?: VarScope,
    readonly sameTarget = false,
  ) {}

  /** The visible variable: this scope's own, else the nearest enclosing scope's that is not
   * private to that scope (GNU skips inherited private variables and keeps looking). */
  get(name: string): Variable | undefined {
    if (this.overlays !== undefined) {
      const v = this.overlayGet(name);
      if (v !== undefined) return v;
    }
    const own = this.vars.get(name);
    if (own !== undefined) return own;
    let local = this.sameTarget;
    for (let s = this.parent; s !== undefined; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined && (local || !v.private)) return v;
      local &&= s.sameTarget;
    }
    return undefined;
  }

  /**
   * Makes lookups in this scope (the global one) see `scope` and its enclosing scopes up to
   * this one first, until popOverlay. GNU's $(eval) inside $(foreach) or $(call), or in a
   * recipe, reads the text with the caller's variables ($1, the loop variable, $@) while
   * its definitions still go to the global scope (getLocal and set ignore overlays).
   */
  pushOverlay(scope: VarScope): void {
    (this.overlays ??= []).push(scope);
  }

  popOverlay(): void {
    const o = this.overlays;
    if (o === undefined) return;
    o.pop();
    if (o.length === 0) this.overlays = undefined;
  }

  private overlayGet(name: string): Variable | undefined {
    const o = this.overlays!;
    for (let k = o.length - 1; k >= 0; k--) {
      const head = o[k]!;
      for (let s: VarScope | undefined = head; s !== undefined && s !== this; s = s.parent) {
        const v = s.vars.get(name);
        if (v !== undefined && (s === head || !v.private)) return v;
      }
    }
    return undefined;
  }

  /** This scope's own variable, ignoring enclosing scopes. */
  getLocal(name: string): Variable | undefined {
    return this.vars.get(name);
  }

  set(v: Variable): void {
    this.vars.set(v.name, v);
    this.generation++;
  }

  delete(name: string): void {
    this.vars.delete(name);
    this.generation++;
  }

  /** Names defined in this scope only, in definition order. */
  localNames(): string[] {
    return [...this.vars.keys()];
  }

  /** Every name visible from this scope (own first, then enclosing scopes), no duplicates. */
  names(): string[] {
    const seen = new Set<string>();
    let local = true;
    for (let s: VarScope | undefined = this; s !== undefined; s = s.parent) {
      for (const [name, v] of s.vars) {
        if (!local && v.private) continue;
        seen.add(name);
      }
      local &&= s.sameTarget;
    }
    return [...seen];
  }

  /** The outermost scope (the global variables). */
  root(): VarScope {
    let s: VarScope = this;
    while (s.parent !== undefined) s = s.parent;
    return s;
  }
}
