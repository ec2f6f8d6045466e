// The staleness seam: the one place that decides whether a prerequisite makes a target out of
// date, and says why. GNU's structure stays in the walk (a missing target or a missing
// prerequisite is always out of date; -B, -W, -o and phony targets are the walk's); what a
// signal decides is whether an existing prerequisite *changed* with respect to an existing
// target. The first signal is GNU's mtime rule; content hashes (MD5, BLAKE3) and recorded
// recipes plug in here next.
import type { FileNode } from "./files.js";

/** One signal of staleness (see the file comment). */
export interface StalenessSignal {
  /** Its name in reasons ("mtime", "md5", ...). */
  readonly name: string;
  /** Whether prerequisite `dep` (its time `depTime`, after it was updated) changed with respect
   * to `target` (its time `targetTime`); both exist. Called on the hot path of every build. */
  prereqChanged(target: FileNode, targetTime: number, dep: FileNode, depTime: number): boolean;
  /** How `dep` changed, in words, for reasons (`is newer than 'x'`). Only asked when a
   * consumer wants a reason. */
  describeChange(target: FileNode, targetTime: number, dep: FileNode, depTime: number): string;
  /** The target's recipe succeeded (a signal that records something, records it now). */
  targetBuilt?(target: FileNode): void;
}

/** GNU's rule: a prerequisite newer than its target makes the target out of date. */
export const mtimeSignal: StalenessSignal = {
  name: "mtime",
  prereqChanged: (_target, targetTime, _dep, depTime) => depTime > targetTime,
  describeChange: (target, _targetTime, dep) => `prerequisite '${dep.name}' is newer than '${target.name}'`,
};

/** Why a target is remade, as the walk found it. */
export type StaleReason =
  /** -W named this prerequisite (GNU: it is infinitely new). */
  | { kind: "assumed-new"; prereq: string }
  /** The target does not exist. */
  | { kind: "missing" }
  /** This prerequisite was remade in this run. */
  | { kind: "prereq-remade"; prereq: string }
  /** This prerequisite does not exist (it had no rule, or its rule made nothing). */
  | { kind: "prereq-missing"; prereq: string }
  /** The signal says this prerequisite changed (`detail` in words). */
  | { kind: "prereq-changed"; prereq: string; signal: string; detail: string }
  /** A signal says the target itself must be remade (`detail` in words): the journal's "left
   * incomplete", "failed last time" (-k), a rerun trigger. */
  | { kind: "target-changed"; signal: string; detail: string }
  /** -B. */
  | { kind: "always-make" }
  /** A `::` rule without prerequisites, a phony target, or a file that must be remade for a
   * reason the walk does not name. */
  | { kind: "other" };

/** A reason in a person's words. */
export function describeReason(target: string, r: StaleReason): string {
  switch (r.kind) {
    case "assumed-new":
      return `prerequisite '${r.prereq}' is assumed new (-W)`;
    case "missing":
      return `'${target}' does not exist`;
    case "prereq-remade":
      return `prerequisite '${r.prereq}' was remade`;
    case "prereq-missing":
      return `prerequisite '${r.prereq}' does not exist`;
    case "prereq-changed":
    case "target-changed":
      return r.detail;
    case "always-make":
      return "every target is remade (-B)";
    case "other":
      return `'${target}' must be remade`;
  }
}

/** A target's recipe as it would run now: its commands, expanded, and the values of the
 * variables the expansion read (automatic variables left out). */
export interface ExpandedRecipe {
  commands: string[];
  vars: Record<string, string>;
}

/** Expands a target's recipe without running it (the walk hands its own to a target signal). */
export interface RecipeExpansion {
  expandRecipe(target: FileNode): ExpandedRecipe | undefined;
}

/** A signal about a target on its own account rather than about one of its prerequisites: the
 * journal's "left incomplete by run 12", the targets that failed last time (retried under -k),
 * and the opt-in rerun triggers (the recipe or its variables changed since the last build).
 * Asked only about an existing target with a recipe that the walk found up to date, so GNU's
 * decisions stand and the signal can only add work. */
export interface TargetSignal {
  /** Its name in reasons ("journal"). */
  readonly name: string;
  /** Why `target` must be remade all the same, in words, or undefined. `recipes` expands the
   * target's recipe when the answer depends on it (a trigger). */
  targetStale(target: FileNode, recipes: RecipeExpansion): string | undefined;
}
