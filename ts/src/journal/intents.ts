// Durable starts: which targets the record put on disk before a recipe's first command names.
//
// Against a machine that dies (a power cut, a kernel panic), a record naming a recipe's target
// must be on disk before the recipe's first command runs: else a target half written when the
// power went could look finished by its time after the reboot. One fdatasync per recipe would
// do, but each waits for a commit of the file system's journal, which a build of one-line
// recipes pays in full (15-20% of its time, benchmarks/journal/README.md). So the record synced
// is an *intent*: it names the recipe about to start and the recipes the run is expected to
// start after it, and one sync covers them all. The recipes expected next are those after it
// in the order the last builds started them (the `order` file, store.ts), or, in the first run
// in a tree, the prerequisites after it in the list of the file that needs it.
//
// A guess costs nothing before a crash, and after one a target the intent named but the run
// never started is remade for nothing. That waste is bounded by time, not by count: an intent
// names recipes only as long as their expected durations (their last run's, or this run's mean
// where they never ran) add up to at most BUDGET_MS, and at most LOOKAHEAD of them. Recipes
// that take seconds are named alone, and sync once each, which they do not notice; one-line
// recipes share a sync by the hundred.
//
// This module holds the guesses only; journal.ts writes the intent and syncs it.

/** At most this many recipes named by one intent besides the one about to start. */
export const LOOKAHEAD = 256;

/** At most this much expected recipe time (ms) named by one intent besides the recipe about
 * to start: what a machine crash can make the next run redo for nothing, per intent. */
export const BUDGET_MS = 2000;

/** The targets whose recipes a build started, in order, with each recipe's duration (ms;
 * null when it did not end). */
export interface StartOrder {
  names: string[];
  ms: (number | null)[];
}

/** The intents of one run: what they named, and what the next ones may name. */
export class StartIntents {
  /** Targets named by an intent on disk: their recipes may start without another sync. */
  private readonly named = new Set<string>();
  /** The order the last builds started recipes in (read when the first recipe starts). */
  private known: (StartOrder & { index: Map<string, number> }) | undefined;
  /** In a first run: each target's place in the prerequisites of the first file that needs it. */
  private readonly siblings = new Map<string, { list: readonly string[]; at: number }>();
  /** This run's starts, in order, and the durations of those that ended. */
  private readonly started: string[] = [];
  private readonly durations = new Map<string, number>();
  private endedMs = 0;

  constructor(private readonly readOrder: () => StartOrder) {}

  /** A file the walk considered, with its prerequisites (listened to in a first run only). */
  considered(prereqs: readonly string[]): void {
    if (prereqs.length < 2) return;
    prereqs.forEach((n, at) => {
      if (!this.siblings.has(n)) this.siblings.set(n, { list: prereqs, at });
    });
  }

  /** The recipe of `name` (not phony) was started. */
  recipeStarted(name: string): void {
    this.started.push(name);
  }

  /** The recipe of `name` ended after `ms`. */
  recipeEnded(name: string, ms: number): void {
    if (this.durations.has(name)) return;
    this.durations.set(name, ms);
    this.endedMs += ms;
  }

  /** What an intent must name before the recipe of `name` may start: undefined when an intent
   * on disk names it already. The caller writes the intent, syncs it, and then tells `synced`. */
  intentFor(name: string): string[] | undefined {
    if (this.named.has(name)) return undefined;
    return [name, ...this.expectedAfter(name)];
  }

  /** An intent naming `names` is on disk. */
  synced(names: readonly string[]): void {
    for (const n of names) this.named.add(n);
  }

  /** The targets after `name` in the order the last builds started them (else its siblings),
   * not named yet, within LOOKAHEAD and BUDGET_MS. */
  private expectedAfter(name: string): string[] {
    this.known ??= withIndex(this.readOrder());
    let list: readonly string[] = this.known.names;
    let at = this.known.index.get(name);
    let lastMs: (i: number) => number | null = (i) => this.known!.ms[i] ?? null;
    if (at === undefined) {
      const s = this.siblings.get(name);
      if (s === undefined) return [];
      list = s.list;
      at = s.at;
      lastMs = () => null;
    }
    // Where a target's last duration is unknown, this run's mean: none yet, no guess.
    const mean = this.durations.size > 0 ? this.endedMs / this.durations.size : undefined;
    const out: string[] = [];
    let budget = BUDGET_MS;
    for (let i = at + 1; i < list.length && out.length < LOOKAHEAD; i++) {
      const n = list[i]!;
      if (this.named.has(n)) continue;
      const ms = this.durations.get(n) ?? lastMs(i) ?? mean;
      if (ms === undefined || ms > budget) break;
      budget -= ms;
      out.push(n);
    }
    return out;
  }

  /** The order to keep for the next builds: this run's starts first when they are a build of
   * the same tree (at least half as many as the order known), the known ones they do not name
   * after them; else the known order, durations brought up to date, this run's new targets
   * after it (a small rebuild, or a recursive make's part). Undefined when nothing started. */
  orderToKeep(): StartOrder | undefined {
    if (this.started.length === 0) return undefined;
    const known = this.known ?? withIndex(this.readOrder());
    const names: string[] = [];
    const ms: (number | null)[] = [];
    const push = (n: string, d: number | null): void => {
      names.push(n);
      ms.push(d);
    };
    const mine = new Set(this.started);
    const ownMs = (n: string, i: number | undefined): number | null => this.durations.get(n) ?? (i === undefined ? null : (known.ms[i] ?? null));
    if (this.started.length * 2 >= known.names.length) {
      for (const n of mine) push(n, ownMs(n, known.index.get(n)));
      known.names.forEach((n, i) => {
        if (!mine.has(n)) push(n, known.ms[i] ?? null);
      });
    } else {
      known.names.forEach((n, i) => push(n, ownMs(n, i)));
      for (const n of mine) if (!known.index.has(n)) push(n, ownMs(n, undefined));
    }
    return { names, ms };
  }
}

function withIndex(o: StartOrder): StartOrder & { index: Map<string, number> } {
  return { ...o, index: new Map(o.names.map((n, i) => [n, i])) };
}
