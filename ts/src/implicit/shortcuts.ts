// The shortcuts of the decision path, and the switch that turns them off (TMAKE_SHORTCUTS).
//
// Each shortcut skips or advances work whose result it can prove, so a build decides exactly
// the same with or without it (ts/test/search-determinism.test.ts runs generated builds both
// ways and compares). The switch exists for that test and for a user who suspects one:
//
//   TMAKE_SHORTCUTS unset or "1"   every shortcut on
//   TMAKE_SHORTCUTS=0              every shortcut off (the plain path)
//   TMAKE_SHORTCUTS=prune,match    only the ones named on
//
// prune     pattern rules that no file, mentioned name or rule could serve are not tried
//           (search.ts, "pruning")
// listings  the directories pruning reads are read ahead on a thread of their own (fscache.ts)
// stats     the times of many prerequisites are fetched in one batch, ahead of need (fscache.ts)
// match     names are matched against the multi-wildcard patterns in batches (search.ts)
// memo      an intermediate whose search failed is not searched again while nothing it
//           depends on changed (GNU's "impossible" files; search.ts)
// proofs    -H: targets proven up to date from records read ahead, or from proofs kept
//           between runs while their files keep their identities (ts/src/hash/signal.ts)

export interface Shortcuts {
  prune: boolean;
  listings: boolean;
  stats: boolean;
  match: boolean;
  memo: boolean;
  proofs: boolean;
}

const NAMES: readonly (keyof Shortcuts)[] = ["prune", "listings", "stats", "match", "memo", "proofs"];

/** The shortcuts a value of TMAKE_SHORTCUTS turns on (unknown names are ignored). */
export function parseShortcuts(value: string | undefined): Shortcuts {
  const v = (value ?? "").trim();
  const all = v === "" || v === "1";
  const named = new Set(v.split(",").map((s) => s.trim()));
  const out = {} as Shortcuts;
  for (const n of NAMES) out[n] = all || named.has(n);
  return out;
}

let current: Shortcuts | undefined;

/** TMAKE_PRUNE_AFTER: how many searches in a directory start pruning there without a listing
 * read ahead (see prune.ts); a knob for tests, which set it to 0 to prune from the first
 * search. */
export function pruneAfter(): number {
  const n = Number.parseInt(process.env.TMAKE_PRUNE_AFTER ?? "", 10);
  return Number.isNaN(n) || n < 0 ? 32 : n;
}

/** The shortcuts of this process, read once from TMAKE_SHORTCUTS. */
export function shortcuts(): Shortcuts {
  return (current ??= parseShortcuts(process.env.TMAKE_SHORTCUTS));
}
