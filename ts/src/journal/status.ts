// What the console knows of each target: the makefiles as they are now, walked as a dry run
// that runs nothing and says nothing (the decision the next build would take, and why), put
// together with the journal (the last run of each target: how it ended, when, how long it
// took, whether a run is making it now).
import { RunContext } from "../run-context.js";
import type { Database } from "../read/database.js";
import { build } from "../remake/index.js";
import type { BuildOptions } from "../remake/options.js";
import type { BuildEvent } from "../remake/events.js";
import { describeReason, type ExpandedRecipe, type StaleReason, type TargetSignal } from "../remake/staleness.js";
import { setJobRunner, type JobRunner } from "../job/index.js";
import { JobSlots } from "../job/slots.js";
import type { Journal } from "./journal.js";
import type { RunLog, TargetHistory } from "./store.js";

/** A target's state, as --status says it. */
export type State = "done" | "failed" | "blocked" | "running" | "stale" | "todo";
export const STATES: readonly State[] = ["done", "failed", "blocked", "running", "stale", "todo"];

export interface TargetStatus {
  target: string;
  state: State;
  /** The next build's decision: it will be remade, and why (undefined: up to date). */
  reason?: string;
  /** The rule that makes it (an implicit rule's pattern, else its recipe's location). */
  rule?: string;
  prereqs: readonly string[];
  /** Its last run in the journal. */
  history?: TargetHistory;
}

export interface Status {
  /** The targets of the goals' graph, in the order the walk met them. */
  targets: Map<string, TargetStatus>;
  /** The recipes as they would run now, for the targets asked about (explain). */
  recipes: Map<string, ExpandedRecipe>;
  /** Every target the journal knows, with the logs it read. */
  history: Map<string, TargetHistory>;
  runs: RunLog[];
  /** Leads this directory's names in the journal (a subdirectory of the tree). */
  prefix: string;
}

/** Runs nothing: every recipe "succeeds" at once, so the walk goes on as after a build. */
const nobody: JobRunner = {
  name: "console",
  slots: (limits) => new JobSlots(limits),
  run: () => Promise.resolve({ ok: true }),
};

/** The state of the goals' graph (`goals`, or the default goal), with `explain`'s recipes
 * expanded. The walk runs in a run of its own whose messages go nowhere. */
export async function statusOf(
  db: Database,
  opts: BuildOptions,
  journal: Journal | undefined,
  goals: string[],
  explain: ReadonlySet<string> = new Set(),
): Promise<Status> {
  const targets = new Map<string, TargetStatus>();
  const recipes = new Map<string, ExpandedRecipe>();
  const decided = new Map<string, StaleReason | undefined>();
  const graph = new Map<string, { prereqs: readonly string[]; rule?: string }>();
  const quiet = new RunContext(
    opts.run.programName,
    opts.run.makelevel,
    () => undefined,
    () => undefined,
  );
  setJobRunner(quiet, nobody);
  const signal = journal?.targetSignal;
  const watching: TargetSignal = {
    name: signal?.name ?? "journal",
    targetStale(file, expansion) {
      if (explain.has(file.name)) {
        const r = expansion.expandRecipe(file);
        if (r !== undefined) recipes.set(file.name, r);
      }
      return signal?.targetStale(file, expansion);
    },
  };
  const listen = (e: BuildEvent): void => {
    switch (e.type) {
      case "considered":
        graph.set(e.target, { prereqs: e.prereqs, rule: e.rule });
        break;
      case "up-to-date":
        if (e.hasRule) decided.set(e.target, undefined);
        break;
      case "stale":
        decided.set(e.target, e.reason);
        break;
      case "recipe-started":
        if (explain.has(e.target)) recipes.set(e.target, { commands: [...e.commands], vars: { ...e.vars } });
        break;
      default:
        break;
    }
  };
  await build(db, {
    ...opts,
    goals,
    run: quiet,
    dryRun: true,
    question: false,
    touch: false,
    keepGoing: true,
    silent: true,
    trace: false,
    debug: [],
    jobs: 1,
    recordOutput: 0,
    observer: { attach: (events) => events.on(listen, true), targetSignal: watching },
  });
  const { targets: history, runs } = journal?.store.exists() ? journal.store.history() : { targets: new Map<string, TargetHistory>(), runs: [] };
  const prefix = journal?.prefix ?? "";
  const live = new Set(runs.filter((r) => r.live).map((r) => r.id));
  for (const [name, g] of graph) {
    const h = history.get(prefix + name);
    const reason = decided.get(name);
    const running = h?.start !== undefined && live.has(h.start.run) && (h.end === undefined || h.end.run < h.start.run || h.end.at < h.start.at);
    const failed = h?.end !== undefined && !h.end.ok && !h.end.interrupted && (h.start === undefined || h.end.at >= h.start.at);
    const state: State = running ? "running" : failed ? "failed" : reason === undefined && decided.has(name) ? "done" : h?.end?.ok ? "stale" : "todo";
    targets.set(name, {
      target: name,
      state,
      reason: reason === undefined ? undefined : describeReason(name, reason),
      rule: g.rule,
      prereqs: g.prereqs,
      history: h,
    });
  }
  // Blocked: it would be remade, and something it needs failed (or is blocked).
  const seen = new Set<string>();
  const blockedBy = (t: TargetStatus): boolean => {
    if (seen.has(t.target)) return t.state === "blocked" || t.state === "failed";
    seen.add(t.target);
    if (t.state === "failed" || t.state === "running" || t.state === "done") return t.state === "failed";
    for (const p of t.prereqs) {
      const pt = targets.get(p);
      if (pt !== undefined && blockedBy(pt)) {
        t.state = "blocked";
        return true;
      }
    }
    return false;
  };
  for (const t of targets.values()) blockedBy(t);
  return { targets, recipes, history, runs, prefix };
}
