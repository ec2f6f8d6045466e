// Running a built-in function once its arguments are split: the checks GNU's
// expand_builtin_function makes before calling it. Used by the expander and by $(call NAME,...)
// when NAME is itself a built-in.
import type { FunctionContext, MakeFunction } from "./types.js";

export function invokeBuiltin(name: string, fn: MakeFunction, args: string[], ctx: FunctionContext): string {
  if (args.length < fn.minArgs) ctx.fatal(`insufficient number of arguments (${args.length}) to function '${name}'`);
  // GNU runs no function without arguments (only reachable through $(call NAME)).
  if (args.length === 0) return "";
  return fn.fn(args, ctx);
}
