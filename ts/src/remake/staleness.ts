// The staleness seam: the one place that decides whether a prerequisite makes a target out of
// date, and says why. GNU's structure stays in the walk (a missing target or a missing
// prerequisite is always out of date; -B, -W, -o and phony targets are the walk's); what a
// signal decides is whether an existing prerequisite *changed* with respect to an existing
// target. The first signal is GNU's mtime rule; content hashes (MD5, BLAKE3: ts/src/hash) are
// the second.
//
// A signal that needs to fetch something before it can answer (a digest, a record) is
// *deferred*: it has prepare(). The walk then does not ask it about each prerequisite as that
// one is updated; once all are, it calls prepare() (whose promise it waits for, so everything
// one decision needs comes in one batch), then asks targetChanged() and prereqChanged(). GNU's
// mtime signal is not deferred: its path through the walk is GNU's.
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
  /** The target's recipe succeeded, or -t touched it (`touched`): a signal that records
   * something, records it now (it may finish later: see finish). */
  targetBuilt?(target: FileNode, touched?: boolean): void;
  /** The target's recipe is about to run for real (not under -n, -q, -t): what was recorded of
   * it no longer holds. */
  targetStarting?(target: FileNode): void;
  /** Deferred signals, called where the walk fetches the times of `file`'s prerequisites:
   * may fetch ahead, in one batch, what the decisions about those prerequisites will need
   * (forgotten unused when a recipe runs). */
  prefetch?(file: FileNode): Promise<void> | undefined;
  /** prefetch() for the goals, started before their update (while the makefiles are remade). */
  prefetchEarly?(files: readonly FileNode[]): void;
  /** Deferred signals: fetches what the decision about existing `target` (its time
   * `targetTime`) needs, once its prerequisites are up to date; undefined when nothing needs
   * waiting for. */
  prepare?(target: FileNode, targetTime: number): Promise<void> | undefined;
  /** Deferred signals, after prepare(): whether the existing target is out of date on its own
   * account (its record is missing, or it no longer holds what it held when built). */
  targetChanged?(target: FileNode, targetTime: number): boolean;
  /** Why targetChanged() is true, in words. */
  targetReason?(target: FileNode, targetTime: number): string | undefined;
  /** The build is over: waits for what the signal still writes. */
  finish?(): Promise<void>;
  /** Deferred signals: the walk's side of the seam, given once when the file table is built. */
  attach?(host: SignalHost): void;
}

/** What the walk lets a deferred signal tell it. */
export interface SignalHost {
  /** Modification times (as Node's `mtimeMs`) of regular files the signal stat'ed while it
   * fetched ahead: the walk takes each as the answer of its own stat of the name when it first
   * looks, unless a recipe runs before (as its own times fetched ahead, see mtimes.ts). */
  learnTimes(names: readonly string[], mtimes: ArrayLike<number>): void;
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
  /** This prerequisite was remade in this run (under a deferred signal, `detail` says how its
   * content changed). */
  | { kind: "prereq-remade"; prereq: string; detail?: string }
  /** This prerequisite does not exist (it had no rule, or its rule made nothing). */
  | { kind: "prereq-missing"; prereq: string }
  /** The signal says this prerequisite changed (`detail` in words). */
  | { kind: "prereq-changed"; prereq: string; signal: string; detail: string }
  /** A signal says the target itself must be remade (`detail` in words): content hashes' "no
   * record" or "changed since it was built", the journal's "left incomplete", "failed last
   * time" (-k), a rerun trigger. */
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
      return r.detail !== undefined ? `${r.detail}, remade in this run` : `prerequisite '${r.prereq}' was remade`;
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
