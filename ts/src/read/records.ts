// Compact building blocks of the Database the reader fills (database.ts has the contract).
// A big makefile becomes hundreds of thousands of these, and every object the reader keeps
// is copied by V8's young-generation collector before it settles, so the usual rule is made
// of as few objects as the contract allows: the rule itself, one array of names, and the
// strings (a one-line recipe is kept as its text alone).
import type { Loc } from "../errors.js";
import type { RecipeLine, Rule } from "./database.js";

/** The empty name list shared by every empty list the reader makes. Frozen: the Database's
 * lists are read-only for the build stages. */
export const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

/** The recipe of a rule without one (shared, frozen). */
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

/** The fields only some rules have, in one object, so the usual rule stays small and every
 * rule has the same shape (one hidden class: the build's loops over rules stay monomorphic). */
export interface RuleExtras {
  secondExpansion?: string;
  staticPattern?: string;
  rawPrereqs?: string;
  targetGoal?: string;
  depsGoal?: string;
}

const DOUBLE_COLON = 1;
const GROUPED = 2;
const HAS_RECIPE = 4;
const GNU_TWIN = 8;
/** The bits above the flags hold, for a one-line recipe, how many lines after the rule's own
 * line the recipe line is (0 for `target: ; recipe`). */
const RECIPE_AT_SHIFT = 4;
const RECIPE_AT_MAX = (1 << 26) - 1;
const FLAG_MASK = (1 << RECIPE_AT_SHIFT) - 1;

/**
 * The reader's Rule (see database.ts). It is its own location (`loc` is the rule object,
 * which has `file` and `line`), and its recipe is nothing, the text of its one line, or an
 * array of RecipeText once it has more lines.
 */
export class ReadRule implements Rule {
  private bits: number;
  private recipe: string | RecipeText[] | undefined = undefined;
  private more: RuleExtras | undefined = undefined;

  constructor(
    readonly file: string,
    readonly line: number,
    public names: readonly string[],
    public targetCount: number,
    public prereqEnd: number,
    doubleColon: boolean,
    grouped: boolean,
  ) {
    this.bits = (doubleColon ? DOUBLE_COLON : 0) | (grouped ? GROUPED : 0);
  }

  get loc(): Loc {
    return this;
  }

  get doubleColon(): boolean {
    return (this.bits & DOUBLE_COLON) !== 0;
  }

  get grouped(): boolean {
    return (this.bits & GROUPED) !== 0;
  }

  get hasRecipe(): boolean {
    return (this.bits & HAS_RECIPE) !== 0;
  }

  get gnuTwin(): boolean {
    return (this.bits & GNU_TWIN) !== 0;
  }

  someTarget(test: (target: string) => boolean): boolean {
    const names = this.names;
    for (let i = 0; i < this.targetCount; i++) if (test(names[i]!)) return true;
    return false;
  }

  targetList(): string[] {
    return this.names.slice(0, this.targetCount);
  }

  prereqList(): string[] {
    return this.names.slice(this.targetCount, this.prereqEnd);
  }

  orderOnlyList(): string[] {
    return this.names.slice(this.prereqEnd);
  }

  /** Replaces the names (the reader's file-name treatment of a finished rule). */
  setNames(names: readonly string[], targetCount: number, prereqEnd: number): void {
    this.names = names;
    this.targetCount = targetCount;
    this.prereqEnd = prereqEnd;
  }

  // ---- recipe ------------------------------------------------------------------------------

  recipeLines(): RecipeLine[] {
    const r = this.recipe;
    if (r === undefined) return NO_RECIPE;
    if (typeof r === "string") return [new RecipeText(r, this.file, this.line + (this.bits >>> RECIPE_AT_SHIFT))];
    return r;
  }

  get recipeLoc(): Loc {
    const r = this.recipe;
    if (r === undefined) return this;
    if (typeof r === "string") return { file: this.file, line: this.line + (this.bits >>> RECIPE_AT_SHIFT) };
    return r[0]!.loc;
  }

  /** Adds a recipe line read at `line` (of this rule's file). */
  addRecipeLine(text: string, line: number): void {
    const r = this.recipe;
    const at = line - this.line;
    if (r === undefined && at >= 0 && at <= RECIPE_AT_MAX) {
      this.recipe = text;
      this.bits = (this.bits & FLAG_MASK) | (at << RECIPE_AT_SHIFT) | HAS_RECIPE;
      return;
    }
    const rl = new RecipeText(text, this.file, line);
    if (r === undefined) this.recipe = [rl];
    else if (typeof r === "string") this.recipe = [new RecipeText(r, this.file, this.line + (this.bits >>> RECIPE_AT_SHIFT)), rl];
    else r.push(rl);
    this.bits |= HAS_RECIPE;
  }

  /** The recipe is complete: trim a pushed-to array to its size. */
  endRecipe(): void {
    const r = this.recipe;
    if (typeof r === "object" && r.length > 1) this.recipe = r.slice();
  }

  /** Takes `other`'s recipe (the twin read from the same line; see Rule.gnuTwin). */
  shareRecipe(other: ReadRule): void {
    this.recipe = other.recipe;
    this.bits = (this.bits & ~HAS_RECIPE & FLAG_MASK) | (other.bits & ~FLAG_MASK) | (other.bits & HAS_RECIPE);
  }

  // ---- what only some rules have -------------------------------------------------------------

  get secondExpansion(): string | undefined {
    return this.more?.secondExpansion;
  }

  get staticPattern(): string | undefined {
    return this.more?.staticPattern;
  }

  get rawPrereqs(): string | undefined {
    return this.more?.rawPrereqs;
  }

  get targetGoal(): string | undefined {
    return this.more?.targetGoal;
  }

  get depsGoal(): string | undefined {
    return this.more?.depsGoal;
  }

  /** Sets fields only some rules have. */
  setExtras(extras: RuleExtras): void {
    this.more = { ...this.more, ...extras };
  }

  /** A rule read from the same line with other names (the GNU twin of a biomake rule, or the
   * normal targets of a line mixing them with patterns): same location, flags, extras and
   * recipe. */
  twin(names: readonly string[], targetCount: number, prereqEnd: number, gnuTwin: boolean): ReadRule {
    const t = new ReadRule(this.file, this.line, names, targetCount, prereqEnd, false, false);
    t.bits = this.bits | (gnuTwin ? GNU_TWIN : 0);
    t.recipe = this.recipe;
    if (this.more !== undefined) t.more = { ...this.more };
    if (gnuTwin && t.more !== undefined) t.more.rawPrereqs = undefined;
    return t;
  }
}

/** Targets, prerequisites and order-only prerequisites as one exact-size names list. */
export function joinNames(targets: string[], prereqs: readonly string[], orderOnly: readonly string[]): string[] {
  if (prereqs.length === 0 && orderOnly.length === 0) return targets;
  return targets.concat(prereqs, orderOnly);
}
