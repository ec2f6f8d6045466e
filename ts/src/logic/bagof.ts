// biomake's $(bagof Template,Goal): the solutions of Prolog's bagof(Template, Goal, List),
// separated by spaces, in the makefiles' Prolog module. No solutions give the empty text, and
// so does a goal that raises an error (as in biomake), with a warning naming the error.
//
// The function is registered with the built-in functions, so the reader expands it like any
// other; the engine must have been loaded before (prepareLogic), because expansion is
// synchronous and loading is not.
import type { MakeFunction } from "../expand/functions/types.js";
import { currentSession, enter } from "./session.js";

export const bagofFunction: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn(args, ctx) {
    const [template, goal] = args as [string, string];
    const session = currentSession();
    if (session === undefined) {
      return ctx.fatal("$(bagof ...) needs the Prolog engine, which is loaded only for makefiles that use Prolog (see prepareLogic)");
    }
    const r = enter(session).bagof(session.module, template, goal);
    if (r.out !== "") session.output.stdout(r.out);
    if (r.status === "error") {
      ctx.warn(`$(bagof ${template},${goal}): ${r.message}`);
      return "";
    }
    return r.words.join(" ");
  },
};
