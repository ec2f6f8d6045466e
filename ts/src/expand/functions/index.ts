// The table of built-in functions the expander dispatches `$(name args)` to: every function
// of GNU Make 4.4 plus biomake's arithmetic functions. A later stage adds its own with
// registerFunction when it loads (the logic stage adds biomake's $(bagof)), so this stage
// never imports the stages after it.
import { biomakeFunctions } from "./biomake.js";
import { createCall } from "./call.js";
import { controlFunctions } from "./control.js";
import { effectFunctions } from "./effects.js";
import { filenameFunctions } from "./filenames.js";
import { textFunctions } from "./text.js";
import type { MakeFunction } from "./types.js";
import { varinfoFunctions } from "./varinfo.js";

export const builtinFunctions: Map<string, MakeFunction> = new Map([
  ...textFunctions,
  ...filenameFunctions,
  ...controlFunctions,
  ...varinfoFunctions,
  ...effectFunctions,
  ...biomakeFunctions,
]);
builtinFunctions.set("call", createCall(builtinFunctions));

/** Adds a function to the table every Expander dispatches to by default. A stage registers
 * its functions when its module is loaded, before any makefile text is parsed (a parsed
 * `$(name ...)` stays a variable reference if `name` was unknown then). GNU's functions
 * cannot be replaced. */
export function registerFunction(name: string, fn: MakeFunction): void {
  const known = builtinFunctions.get(name);
  if (known !== undefined && known !== fn) throw new Error(`function '${name}' is already registered`);
  builtinFunctions.set(name, fn);
}

export { invokeBuiltin } from "./invoke.js";
export { ifBranch, ifFn } from "./control.js";
export { foldShellOutput } from "./effects.js";
export { substitutionRef, patsubst } from "./patterns.js";
export type { FunctionContext, MakeFunction } from "./types.js";
