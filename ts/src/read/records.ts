// Compact building blocks of the Database the reader fills (database.ts has the contract).
// A big makefile becomes hundreds of thousands of these, and every object the reader keeps
// is copied by V8's young-generation collector before it settles, so the usual rule is made
// of as few objects as the contract allows: the rule itself and its strings. Its names are a
// range of one list shared by every rule of the database (NamePool), and a one-line recipe is
// kept as its text alone.
import type { Loc } from "../messages.js";
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
  /** A biomake rule whose wildcards nothing but the rule's own target text names: it is tried
   * only for names the GNU reading of the makefiles has no rule for (wildcards.ts, rule 2b). */
  fallback?: boolean;
}

const DOUBLE_COLON = 1;
const GROUPED = 2;
const HAS_RECIPE = 4;
const GNU_TWIN = 8;
const PATTERN = 16;
/** The bits above the flags hold, for a one-line recipe, how many lines after the rule's own
 * line the recipe line is (0 for `target: ; recipe`). */
const RECIPE_AT_SHIFT = 5;
const RECIPE_AT_MAX = (1 << 26) - 1;
const FLAG_MASK = (1 << RECIPE_AT_SHIFT) - 1;

/**
 * The list holding the names of every rule read into one database (Rule.names): a rule's
 * names are a range of it. One big list instead of one array per rule: a big array lives in
 * V8's large-object space, which the young-generation collector never copies.
 */
export class NamePool {
  /** The names; entries from `top` on are scratch (left by a line that was given up). */
  readonly list: string[] = [];
  /** Where the next name goes. */
  top = 0;

  add(name: string): void {
    // Writing at `top` rather than pushing: a line given up rewinds `top` without shrinking
    // the list (shrinking and growing it again would copy it each time).
    this.list[this.top++] = name;
  }

  addAll(names: readonly string[]): void {
    for (const n of names) this.add(n);
  }

  /** Forgets the names added since `mark` (a value of `top`). */
  rewind(mark: number): void {
    this.top = mark;
  }
}

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
    readonly names: readonly string[],
    public start: number,
    public prereqStart: number,
    public orderOnlyStart: number,
    public end: number,
    doubleColon: boolean,
    grouped: boolean,
  ) {
    this.bits = (doubleColon ? DOUBLE_COLON : 0) | (grouped ? GROUPED : 0);
  }

  get targetCount(): number {
    return this.prereqStart - this.start;
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

  get patternRule(): boolean {
    return (this.bits & PATTERN) !== 0;
  }

  someTarget(test: (target: string) => boolean): boolean {
    const names = this.names;
    for (let i = this.start; i < this.prereqStart; i++) if (test(names[i]!)) return true;
    return false;
  }

  targetList(): string[] {
    return this.names.slice(this.start, this.prereqStart);
  }

  prereqList(): string[] {
    return this.names.slice(this.prereqStart, this.orderOnlyStart);
  }

  orderOnlyList(): string[] {
    return this.names.slice(this.orderOnlyStart, this.end);
  }

  /** Moves the rule to another range of its names list (see Rule.names). */
  setRange(start: number, prereqStart: number, orderOnlyStart: number, end: number): void {
    this.start = start;
    this.prereqStart = prereqStart;
    this.orderOnlyStart = orderOnlyStart;
    this.end = end;
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

  /** See RuleExtras.fallback. */
  get fallback(): boolean {
    return this.more?.fallback === true;
  }

  get depsGoal(): string | undefined {
    return this.more?.depsGoal;
  }

  /** Sets fields only some rules have. */
  setExtras(extras: RuleExtras): void {
    this.more = { ...this.more, ...extras };
  }

  /** Makes this rule a pattern rule (Rule.patternRule). */
  markPattern(): void {
    this.bits |= PATTERN;
  }

  /** Makes this rule the GNU reading of the biomake rule read from its line (Rule.gnuTwin). */
  markGnuTwin(): void {
    this.bits |= GNU_TWIN;
  }

  /** A rule read from the same line with other names (the GNU twin of a biomake rule, or the
   * normal targets of a line mixing them with patterns), in the range [start, end) of the
   * same names list: same location, flags, extras and recipe. A twin is never a pattern rule. */
  twin(start: number, prereqStart: number, orderOnlyStart: number, end: number, gnuTwin: boolean): ReadRule {
    const t = new ReadRule(this.file, this.line, this.names, start, prereqStart, orderOnlyStart, end, false, false);
    t.bits = (this.bits & ~PATTERN) | (gnuTwin ? GNU_TWIN : 0);
    t.recipe = this.recipe;
    if (this.more !== undefined) t.more = { ...this.more };
    if (gnuTwin && t.more !== undefined) t.more.rawPrereqs = undefined;
    return t;
  }
}
