// biomake's $(bagof Template,Goal): the solutions of Prolog's bagof(Template, Goal, List),
// separated by spaces, in the makefiles' Prolog module. No solutions give the empty text. A
// goal that raises an error (an unknown predicate, a syntax error) stops make, as an error in
// a GNU function does (`Makefile:N: *** $(bagof ...): message.  Stop.`, exit 2); biomake
// prints the exception and goes on with an empty list, which silently builds the wrong thing.
//
// This module registers the function with the built-in functions when it is loaded (the
// logic stage's index imports it), so the reader expands it like any other and the expand
// stage never imports this one. The engine must have been loaded before (prepareLogic),
// because expansion is synchronous and loading is not.
import { registerFunction } from "../expand/functions/index.js";
import type { MakeFunction } from "../expand/functions/types.js";
import { currentSession, enter } from "./session.js";

export const bagofFunction: MakeFunction = {
  minArgs: 2,
  maxArgs: 2,
  expandArgs: true,
  fn(args, ctx) {
    const [template, goal] = args as [string, string];
    const session = currentSession(ctx.run);
    if (session === undefined) {
      return ctx.fatal("$(bagof ...) needs the Prolog engine, which is loaded only for makefiles that use Prolog (see prepareLogic)");
    }
    const r = enter(session).bagof(session.module, template, goal);
    if (r.out !== "") session.output.stdout(r.out);
    if (r.status === "error") ctx.fatal(`$(bagof ${template},${goal}): ${r.message}`);
    return r.words.join(" ");
  },
};

registerFunction("bagof", bagofFunction);
