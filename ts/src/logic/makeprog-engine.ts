// Calls into the Makeprog support module (makeprog-support.ts) through the engine's public goal
// interface: each support predicate is compiled once per engine, and its answer comes back as
// the text of one bound variable (JSON, or Prolog text for translations).
import { MakeError, type Loc } from "../messages.js";
import { loadPrologEngine, type PrologEngine, type PrologInput } from "./engine.js";
import { MAKEPROG_MODULE, MAKEPROG_SOURCE } from "./makeprog-support.js";
import { enter, type LogicSession } from "./session.js";

/** A part of a rule as the Makeprog wrote it: a text, or a Prolog variable. */
export type MakeprogPart = string | { var: string };

/** One term of a Makeprog, as the support module classified it. `line` is where it starts. */
export type MakeprogItem =
  | {
      kind: "rule";
      line: number;
      targets: MakeprogPart[];
      deps: MakeprogPart[];
      recipe: MakeprogPart[];
      /** The goal after the targets (`Targets, {Goal} <-- ...`), as Prolog text. */
      targetGoal?: string;
      /** The goal after the deps (`... <-- Deps, {Goal}, Recipe`), as Prolog text. */
      depsGoal?: string;
    }
  | { kind: "assign"; line: number; name: string; op: "=" | "?=" | ":=" | "+=" | "!="; value: string }
  /** `Var := Pattern, {Goal}`: Pattern expanded once per solution of Goal, concatenated. */
  | { kind: "assign-goal"; line: number; name: string; pattern: string; goal: string }
  | { kind: "export"; line: number; name: string }
  | { kind: "option"; line: number; name: string; values: MakeprogPart[]; text: string }
  /** Any other term: Prolog for the goals (its source text, without the final period). */
  | { kind: "clause"; line: number; text: string };

export interface ParsedMakeprog {
  items: MakeprogItem[];
  /** The first term that could not be read or understood (1-based line). */
  error?: { line: number; message: string };
}

const supported = new WeakMap<PrologEngine, Map<string, number>>();

/** The engine with the support module loaded. */
export async function makeprogEngine(): Promise<PrologEngine> {
  const engine = await loadPrologEngine();
  if (!supported.has(engine)) {
    engine.consult(MAKEPROG_MODULE, MAKEPROG_SOURCE, { file: "<tmake makeprog support>", line: 0 });
    supported.set(engine, new Map());
  }
  return engine;
}

/** The id of a support predicate call, compiled once per engine. */
function compiled(engine: PrologEngine, goal: string): number {
  const ids = supported.get(engine);
  if (ids === undefined) throw new MakeError("internal error: the Makeprog support module is not loaded");
  let id = ids.get(goal);
  if (id === undefined) {
    const r = engine.compileGoal(MAKEPROG_MODULE, goal);
    if ("error" in r) throw new MakeError(`internal error in the Makeprog support module: ${r.error}`);
    id = r.id;
    ids.set(goal, id);
  }
  return id;
}

/** Calls `goal` (a support predicate call) and returns its variable `out` and what it printed.
 * A Prolog error is a MakeError at `loc`. */
function ask(engine: PrologEngine, goal: string, inputs: Record<string, PrologInput>, out: string, loc?: Loc): { value: string; printed: string } {
  const r = engine.testGoal(compiled(engine, goal), new Map(Object.entries(inputs)));
  if (r.status === "error") throw new MakeError(`Prolog: ${r.message}`, loc);
  if (r.status === "false") throw new MakeError(`internal error in the Makeprog support module: ${goal} failed`, loc);
  return { value: r.bound.get(out) ?? "", printed: r.out };
}

/** Reads Makeprog text term by term. */
export async function parseMakeprog(text: string): Promise<ParsedMakeprog> {
  const engine = await makeprogEngine();
  const { value } = ask(engine, "read_makeprog(Text, Json)", { Text: text }, "Json");
  return JSON.parse(value) as ParsedMakeprog;
}

/** Calls a goal once in the session's module with some of its variables bound (TARGET, makefile
 * variables); what it printed goes to the session's output. Returns the texts of the variables
 * it bound, or undefined if it failed. */
export function firstSolution(session: LogicSession, goal: string, inputs: Map<string, string>, loc: Loc): Map<string, MakeprogPart[]> | undefined {
  const engine = enter(session);
  const { value, printed } = ask(
    engine,
    "first_solution(M, G, Ns, Vs, Json)",
    { M: session.module, G: goal, Ns: [...inputs.keys()], Vs: [...inputs.values()] },
    "Json",
    loc,
  );
  if (printed !== "") session.output.stdout(printed);
  const r = JSON.parse(value) as { ok: boolean; bindings?: Record<string, MakeprogPart[]> };
  return r.ok ? new Map(Object.entries(r.bindings ?? {})) : undefined;
}

/** Every solution of a goal in the session's module: for each, the texts of its named
 * variables. */
export function allSolutions(session: LogicSession, goal: string, loc: Loc): Map<string, string>[] {
  const engine = enter(session);
  const { value, printed } = ask(engine, "all_solutions(M, G, Json)", { M: session.module, G: goal }, "Json", loc);
  if (printed !== "") session.output.stdout(printed);
  return (JSON.parse(value) as Record<string, string>[]).map((o) => new Map(Object.entries(o)));
}

/** The Prolog text of one translated rule (see translate.ts). */
export function translateRuleText(
  engine: PrologEngine,
  r: { targets: string[]; deps: string[]; recipe: string[]; targetGoal?: string; depsGoal?: string },
  loc: Loc,
): string {
  return ask(
    engine,
    "translate_rule(Ts, Ds, Es, HG, DG, Text)",
    { Ts: r.targets, Ds: r.deps, Es: r.recipe, HG: r.targetGoal ?? "", DG: r.depsGoal ?? "" },
    "Text",
    loc,
  ).value;
}

export function translateAssignmentText(engine: PrologEngine, name: string, op: string, value: string, kind: "string" | "atom"): string {
  return ask(engine, "translate_assignment(N, Op, V, K, Text)", { N: name, Op: op, V: value, K: kind }, "Text").value;
}

/** `option(Name(Values)).`; a single atom when `values` is a string. */
export function translateOptionText(engine: PrologEngine, name: string, values: string[] | string): string {
  return ask(engine, "translate_option(N, Vs, Text)", { N: name, Vs: values }, "Text").value;
}

/** The clauses of a prolog block, written as biomake writes them. `loc` is the block's
 * `prolog` line; a syntax error is reported at its own line. */
export function translatePrologText(engine: PrologEngine, block: string, loc: Loc): string {
  const r = engine.testGoal(compiled(engine, "translate_prolog(B, Text, Status, Line, Msg)"), new Map([["B", block]]));
  if (r.status !== "true") throw new MakeError(`Prolog: ${r.message}`, loc);
  if (r.bound.get("Status") !== "ok") {
    throw new MakeError(`Prolog: ${r.bound.get("Msg") ?? "syntax error"}`, { file: loc.file, line: loc.line + Number(r.bound.get("Line") ?? 1) });
  }
  return r.bound.get("Text") ?? "";
}
