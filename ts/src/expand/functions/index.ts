// The table of built-in functions the expander dispatches `$(name args)` to: every function
// of GNU Make 4.4 plus biomake's arithmetic functions.
import { biomakeFunctions } from "./biomake.js";
import { createCall } from "./call.js";
import { controlFunctions } from "./control.js";
import { effectFunctions } from "./effects.js";
import { filenameFunctions } from "./filenames.js";
import { textFunctions } from "./text.js";
import type { MakeFunction } from "./types.js";
import { varinfoFunctions } from "./varinfo.js";
import { bagofFunction } from "../../logic/bagof.js";

export const builtinFunctions: Map<string, MakeFunction> = new Map([
  ...textFunctions,
  ...filenameFunctions,
  ...controlFunctions,
  ...varinfoFunctions,
  ...effectFunctions,
  ...biomakeFunctions,
]);
builtinFunctions.set("call", createCall(builtinFunctions));
builtinFunctions.set("bagof", bagofFunction); // biomake: needs the Prolog engine (ts/src/logic)

export { invokeBuiltin } from "./invoke.js";
export { ifBranch, ifFn } from "./control.js";
export { foldShellOutput } from "./effects.js";
export { substitutionRef, patsubst } from "./patterns.js";
export { splitWords, SPACE_CHARS } from "./words.js";
export type { FunctionContext, MakeFunction } from "./types.js";
