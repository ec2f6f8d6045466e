// biomake's goals on rules, evaluated in Prolog: `target {goal}: deps {goal}`.
//
// A goal's variables are the rule's variables (biomake reads the goal with the rule and shares
// its variable names):
//   - TARGET is the target name, DEPS (deps goals only) the prerequisites as a list of atoms;
//   - a wildcard of the match (`$X` in `align-$X-$Y`) is bound to what it matched, and so is a
//     variable an earlier goal of the same rule bound (the build passes them in ctx.bindings);
//   - a variable named like a makefile variable defined in a makefile or on the command line
//     is bound to its value (`VAR = foo` ... `{ A = VAR }` binds A to foo);
//   - any other variable starts free, and what the goal binds it to comes back as a binding
//     (GoalOutcome.bindings), which biomake makes a variable of the recipe ($F, $S).
// The goal text is expanded by make first, so `$(SPECIES)` in a goal is the variable's value.
// A goal is called once (its first solution counts); what it prints goes to make's stdout.
// A goal that raises a Prolog error is a fatal error at the rule's line.
import { MakeError, type Loc } from "../messages.js";
import { VarScope } from "../expand/variables.js";
import type { GoalContext, GoalEvaluator, GoalOutcome } from "../implicit/goals.js";
import type { Database } from "../read/database.js";
import type { PrologInput } from "./engine.js";
import { enter, type LogicSession } from "./session.js";

const NO_BINDINGS: ReadonlyMap<string, string> = new Map();

/** Makefile variables of these origins are not Prolog variables: GNU's built-in defaults
 * (CC, RM, ...), automatic variables, and the environment (whose names, such as a stray `F`
 * or `S`, would otherwise capture a goal's own variables). */
const NOT_BOUND_ORIGINS = new Set(["default", "automatic", "environment"]);

interface CompiledGoal {
  id: number;
  names: string[];
}

/** The goal text for messages: on one line. */
function shown(goal: string): string {
  return `{ ${goal.replace(/\s+/g, " ").trim()} }`;
}

export class PrologGoalEvaluator implements GoalEvaluator {
  private readonly compiled = new Map<string, CompiledGoal>();

  constructor(
    private readonly session: LogicSession,
    private readonly db: Database,
  ) {}

  /** Parses every goal written without `$` now, so a syntax error stops the run at once (as
   * biomake, which reads goals with the makefile) rather than when the rule is first tried. */
  compileRuleGoals(): void {
    for (const rule of this.db.rules) {
      for (const goal of [rule.targetGoal, rule.depsGoal]) {
        if (goal !== undefined && !goal.includes("$")) this.compile(goal, rule.loc);
      }
    }
  }

  test(goal: string, ctx: GoalContext): boolean {
    return this.evaluate(goal, ctx).ok;
  }

  evaluate(goal: string, ctx: GoalContext): GoalOutcome {
    const text = goal.includes("$") ? this.expandGoal(goal, ctx) : goal;
    const c = this.compile(text, ctx.loc);
    const inputs = new Map<string, PrologInput>();
    for (const name of c.names) {
      const value = this.inputFor(name, ctx);
      if (value !== undefined) inputs.set(name, value);
    }
    const r = enter(this.session).testGoal(c.id, inputs);
    if (r.out !== "") this.session.output.stdout(r.out);
    if (r.status === "error") throw new MakeError(`Prolog goal ${shown(text)}: ${r.message}`, ctx.loc);
    return { ok: r.status === "true", bindings: r.status === "true" ? r.bound : NO_BINDINGS };
  }

  private inputFor(name: string, ctx: GoalContext): PrologInput | undefined {
    if (name === "TARGET") return ctx.target;
    if (name === "DEPS") return ctx.deps;
    const bound = ctx.bindings.get(name);
    if (bound !== undefined) return bound;
    const v = this.db.globals.get(name);
    if (v === undefined || NOT_BOUND_ORIGINS.has(v.origin)) return undefined;
    return this.db.expander.valueOf(name, this.db.globals, ctx.loc);
  }

  private compile(text: string, loc: Loc): CompiledGoal {
    const known = this.compiled.get(text);
    if (known !== undefined) return known;
    const r = this.session.engine.compileGoal(this.session.module, text);
    if ("error" in r) throw new MakeError(`Prolog goal ${shown(text)}: ${r.error}`, loc);
    this.compiled.set(text, r);
    return r;
  }

  /** Make's expansion of a goal, with the match's wildcards and $@ defined. */
  private expandGoal(goal: string, ctx: GoalContext): string {
    const scope = new VarScope(this.db.globals);
    for (const [k, v] of ctx.bindings) {
      scope.set({ name: k === "%" ? "*" : k, value: v, flavor: "simple", origin: "automatic" });
    }
    scope.set({ name: "@", value: ctx.target, flavor: "simple", origin: "automatic" });
    return this.db.expander.expand(goal, scope, ctx.loc);
  }
}
