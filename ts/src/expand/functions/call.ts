// $(call VARIABLE,PARAM,...) (GNU manual 8.7): user-defined functions.
import { invokeBuiltin } from "./invoke.js";
import type { FunctionContext, MakeFunction } from "./types.js";
import { isSpace } from "../../base/words.js";

/** How many of $(0) $(1) ... the innermost $(call) in progress defined. A nested $(call) with
 * fewer arguments defines the missing higher ones as empty so the outer call's values do not
 * show through (GNU's static max_args in func_call). Calls are synchronous, so one counter
 * saved and restored around each call is enough. */
let argsInScope = 0;

/** $(call) needs the function table to call built-ins by name ($(call words,a b)), so it is
 * made for a given table. */
export function createCall(table: ReadonlyMap<string, MakeFunction>): MakeFunction {
  return {
    minArgs: 1,
    maxArgs: 0,
    expandArgs: true,
    fn: (args: string[], ctx: FunctionContext): string => {
      // The name is the first word; $(0) gets the argument up to that word's end.
      const raw = args[0]!;
      let b = 0;
      while (b < raw.length && isSpace(raw[b])) b++;
      let e = b;
      while (e < raw.length && !isSpace(raw[e])) e++;
      const name = raw.slice(b, e);
      if (name === "") return "";

      const builtin = table.get(name);
      if (builtin !== undefined) return invokeBuiltin(name, builtin, args.slice(1), ctx);

      const v = ctx.lookup(name);
      if (v === undefined || v.value === "") return "";

      const vars: Record<string, string> = { "0": raw.slice(0, e) };
      for (let i = 1; i < args.length; i++) vars[String(i)] = args[i]!;
      for (let i = args.length; i < argsInScope; i++) vars[String(i)] = "";

      const saved = argsInScope;
      argsInScope = Math.max(args.length, argsInScope);
      try {
        if (ctx.callVariable !== undefined) return ctx.callVariable(name, vars);
        return ctx.withLocals(vars, () => ctx.expandVariable(name, { reentrant: true }));
      } catch (e) {
        // Out of stack: a recursion that never ends (GNU dies of SIGSEGV). Said by the
        // innermost call that has the stack left to say it; the others pass it on.
        if (e instanceof RangeError) ctx.fatal(`Recursive call of '${name}' nested too deeply (does the recursion end?)`);
        throw e;
      } finally {
        argsInScope = saved;
      }
    },
  };
}
