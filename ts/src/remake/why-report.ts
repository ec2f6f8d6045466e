// --debug=why's account of the build's decisions, as a consumer of the build events: each
// target the walk remakes, with the reason the staleness seam gave (`prerequisite 'x.fa'
// changed content (md5 1a2b3c4d… → 9f8e7d6c…)`), and each target with a rule it found up to
// date. GNU's --debug=b words ("Must remake target", "No need to remake target") begin each
// line; the rule search's --debug=why lines (ts/src/implicit/trace.ts) come between them.
import type { BuildEvent, BuildEvents } from "./events.js";
import { describeReason } from "./staleness.js";

/** Attaches the report to `events`, writing with `out`; returns the function that detaches it. */
export function whyReport(events: BuildEvents, out: (text: string) => void): () => void {
  const line = (depth: number, text: string): void => out(`${" ".repeat(depth)}${text}\n`);
  return events.on((e: BuildEvent) => {
    if (e.type === "stale") line(e.depth, `Must remake target '${e.target}': ${describeReason(e.target, e.reason)}.`);
    else if (e.type === "up-to-date" && e.hasRule) line(e.depth, `No need to remake target '${e.target}'.`);
  });
}
