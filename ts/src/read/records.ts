// Compact building blocks of the Database the reader fills (database.ts has the contract).
// A big makefile becomes hundreds of thousands of these, and every object the reader keeps
// is copied by V8's young-generation collector before it settles, so the usual rule is made
// of as few objects as the contract allows.
import type { Loc } from "../errors.js";
import type { RecipeLine } from "./database.js";

/** The empty name list every rule without (order-only) prerequisites shares. Frozen: the
 * Database's lists are read-only for the build stages. */
export const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

/** The recipe of a rule that has none yet (shared, frozen; the reader replaces it with a
 * fresh array at the first recipe line). */
export const NO_RECIPE: RecipeLine[] = Object.freeze([]) as unknown as RecipeLine[];

/**
 * A recipe line that is its own location: `loc` returns the object itself, which has the
 * `file` and `line` a Loc needs. One object per recipe line instead of two.
 */
export class RecipeText implements RecipeLine {
  constructor(
    public text: string,
    readonly file: string,
    readonly line: number,
  ) {}

  get loc(): Loc {
    return this;
  }
}
