// === biomake extension ===
// Biomake's goals on rules, as the update walk meets them (biomake README, "Detailed build
// logic"): the target goal of an explicit rule is tested when its file is first updated; a
// deps goal is tested once the file's prerequisites are built, and when it fails the rule
// search goes on with the next rule or split (the rest of biomake's rule selection is in
// ts/src/implicit/search.ts). Also biomake's -N, and its -d report of the build.
import { runGoal } from "../implicit/goals.js";
import { Bindings } from "../implicit/bindings.js";
import type { PhaseOptions, RemakeContext } from "./context.js";
import { NO_DEPS, Status, type Dep, type FileNode } from "./files.js";
import { NONEXISTENT } from "./fscache.js";
import type { ImplicitRules } from "./implicit-rules.js";
import type { Step } from "./step.js";
import type { BuildEvent, BuildEvents } from "./events.js";
import type { StaleReason, StalenessSignal } from "./staleness.js";

const NO_BINDINGS = new Bindings([], []);

/** testDepsGoal's answer when a failed deps goal gave the file another rule to try. */
export const RULE_REPLACED = -1;
/** testDepsGoal: a prerequisite's recipe is still running (-j); test the goal later. */
export const DEPS_RUNNING = -2;

/** The target goal of the explicit rule that makes the file, tested once: when it fails, the
 * rule does not apply (biomake): the file has neither its recipe nor its prerequisites, and is
 * searched for an implicit rule like a file no rule names. */
export function testTargetGoal(ctx: RemakeContext, file: FileNode): void {
  const targetGoal = file.targetGoal!;
  file.targetGoal = undefined;
  const out = runGoal(ctx.goals, targetGoal.goal, { kind: "target", target: file.name, bindings: (file.bindings ?? NO_BINDINGS).toMap(), loc: targetGoal.loc });
  if (out.ok) file.bindings = (file.bindings ?? NO_BINDINGS).with(out.bindings);
  else {
    file.recipe = undefined;
    file.deps = NO_DEPS;
    file.isTarget = false;
    file.depsGoal = undefined;
    file.bindings = undefined;
    file.goalFailure = goalFailed("target", targetGoal);
  }
}

/** The end of "No rule to make target 'x'" when a goal ruled out the rule that would have made
 * it: `the deps goal {g} of rule Makefile:30 failed for it`. */
function goalFailed(kind: "target" | "deps", goal: { goal: string; loc: { file: string; line: number } }): string {
  return `the ${kind} goal {${goal.goal}} of rule ${goal.loc.file}:${goal.loc.line} failed for it`;
}

/** Biomake's deps goal, tested once every prerequisite is built (intermediate ones too: the
 * goal may look at them; `update` updates one). What it binds, the recipe sees
 * (`{ DEPS = [F], ... }`, $F); when it fails the search goes on to the next rule or split:
 * RULE_REPLACED when another was found, else the status of the prerequisites (Failed when
 * none). Under -j, an intermediate prerequisite whose recipe this starts is not there yet:
 * DEPS_RUNNING (`running` tells), and the goal is tested in a later pass, once it is made. */
export function* testDepsGoal(
  ctx: RemakeContext,
  implicit: ImplicitRules,
  opts: PhaseOptions,
  file: FileNode,
  depth: number,
  update: (f: FileNode, depth: number) => Step<Status>,
  running: (f: FileNode) => boolean,
): Step<Status | typeof RULE_REPLACED | typeof DEPS_RUNNING> {
  let depStatus = Status.Success;
  let waiting = false;
  for (const d of file.deps) {
    if (opts.noDependencies) break; // -N: the goal is tested on the files as they are
    if (!d.file.intermediate || d.file.updated) {
      if (running(d.file)) waiting = true;
      continue;
    }
    d.file.owner.parent = file;
    const s = yield* update(d.file, depth + 1);
    if (s > depStatus) depStatus = s;
    if (running(d.file)) waiting = true;
  }
  if (depStatus !== Status.Success) return depStatus;
  if (waiting) return DEPS_RUNNING;
  const depsGoal = file.depsGoal!;
  const normal = file.deps.filter((d) => !d.orderOnly);
  if (opts.dryRun || opts.question || opts.touch) {
    // A dry run made nothing: a goal that looks at a prerequisite the run would have made
    // would look at a missing or old file. It is assumed to hold, and the run says so.
    const made = normal.find((d) => d.file.ran);
    if (made !== undefined) {
      const flag = opts.dryRun ? "-n" : opts.question ? "-q" : "-t";
      ctx.msg.err(
        `${depsGoal.loc.file}:${depsGoal.loc.line}: deps goal {${depsGoal.goal}} of '${file.name}' not tested: '${made.file.name}' would be made first (assumed to succeed under ${flag})\n`,
      );
      return Status.Success;
    }
  }
  const deps = normal.map((d) => d.file.path);
  const out = runGoal(ctx.goals, depsGoal.goal, { kind: "deps", target: file.name, deps, bindings: file.bindings!.toMap(), loc: depsGoal.loc });
  if (out.ok) {
    file.bindings = file.bindings!.with(out.bindings);
    return Status.Success;
  }
  file.goalFailure = goalFailed("deps", depsGoal);
  const exclude = (file.excluded ??= new Set());
  exclude.add(file.implicitKey ?? "");
  file.deps = file.deps.filter((d) => d.explicit);
  file.recipe = undefined;
  file.depsGoal = undefined;
  file.bindings = undefined;
  if (!implicit.tryImplicit(file, exclude)) return Status.Success;
  file.goalFailure = undefined;
  return RULE_REPLACED;
}

/** -N (biomake's no_deps): the prerequisite is neither updated nor searched for a rule, so
 * nothing below the goals is ever reached. biomake still tests the target against it: a
 * missing one, or one that changed (newer than the target), makes the target out of date (as a
 * GNU prerequisite with an empty rule would). Order-only ones do not count. */
export function outOfDateWithoutDeps(target: FileNode, d: Dep, thisMtime: number, depMtime: number, signal: StalenessSignal): boolean {
  d.changed = depMtime === NONEXISTENT;
  if (d.orderOnly) return false;
  if (depMtime === NONEXISTENT) return true;
  return thisMtime !== NONEXISTENT ? signal.prereqChanged(target, thisMtime, d.file, depMtime) : depMtime > thisMtime;
}

/** Biomake's -d / --debug report of the build, as a consumer of the build's events: one
 * `% ` line per decision, indented by the target's depth. */
export function biomakeReport(events: BuildEvents, out: (text: string) => void): () => void {
  const line = (depth: number, text: string): void => out(`% ${" ".repeat(depth)}${text}\n`);
  return events.on((e: BuildEvent) => {
    switch (e.type) {
      case "considered":
        line(e.depth, `Checking dependencies: ${e.target} <-- [${e.prereqs.join(",")}]`);
        break;
      case "up-to-date":
        if (e.hasRule) line(e.depth, `${e.target} is up to date`);
        else if (e.exists) line(e.depth, `Nothing to be done for ${e.target}`);
        break;
      case "stale":
        if (e.hasRecipe) line(e.depth, biomakeReason(e.target, e.reason));
        break;
      case "recipe-finished":
        if (e.ok) line(e.depth, `${e.target} built`);
        break;
      default:
        break;
    }
  });
}

/** Why a file with a recipe is remade, in biomake's words. */
function biomakeReason(target: string, r: StaleReason): string {
  switch (r.kind) {
    case "assumed-new":
      return `Target ${target} has dependency ${r.prereq} marked as modified from the command-line - build required`;
    case "missing":
      return `Target ${target} not materialized - build required`;
    case "prereq-remade":
      return `Target ${target} has rebuilt dependency ${r.prereq} - rebuild required`;
    case "prereq-missing":
      return `Target ${target} has unbuilt dependency ${r.prereq} - rebuild required`;
    case "prereq-changed":
      if (r.signal !== "mtime") return `Target ${target} does not have an up-to-date checksum - rebuild required`;
      return `Target ${target} built before dependency ${r.prereq} - rebuild required`;
    case "target-changed":
      // biomake's words for its MD5 mode; a target signal's (the journal's) own otherwise.
      if (r.signal === "md5" || r.signal === "blake3") return `Target ${target} does not have an up-to-date checksum - rebuild required`;
      return `Target ${target} ${r.detail} - rebuild required`;
    case "always-make":
      return `Specified --always-make; rebuild required for target ${target}`;
    case "other":
      return `Target ${target} must be remade - build required`;
  }
}
