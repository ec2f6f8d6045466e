// Functions about variables (GNU manual 8.8-8.11): value, eval, origin, flavor.
// Their argument is used exactly as expanded: GNU does not strip it, so `$(origin CC )` asks
// about a variable named "CC " (and says "undefined").
import type { MakeFunction } from "./types.js";

/** $(value VAR): the unexpanded value. */
const value: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([name], ctx) => ctx.lookup(name!)?.value ?? "",
};

/** $(eval TEXT): TEXT read as makefile text; expands to nothing. */
const evalFn: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([text], ctx) => {
    ctx.evalText(text!);
    return "";
  },
};

/** $(origin VAR): "undefined", "default", "environment", "environment override", "file",
 * "command line", "override" or "automatic". */
const origin: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([name], ctx) => ctx.lookup(name!)?.origin ?? "undefined",
};

/** $(flavor VAR): "undefined", "recursive" or "simple". */
const flavor: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([name], ctx) => ctx.lookup(name!)?.flavor ?? "undefined",
};

export const varinfoFunctions: ReadonlyMap<string, MakeFunction> = new Map([
  ["value", value],
  ["eval", evalFn],
  ["origin", origin],
  ["flavor", flavor],
]);
