// The Prolog engine: SWI-Prolog compiled to WebAssembly (the swipl-wasm package, published by
// the SWI-Prolog project), the same Prolog biomake runs on, so atom_concat/format/bagof/DCG
// behave as biomake users expect.
//
// Loading is asynchronous and takes a few hundred milliseconds, so it happens only when a
// makefile has Prolog in it (see prepare.ts and index.ts); once loaded, every query is
// synchronous, which is what the build's GoalEvaluator.test and the reader's $(bagof) need.
// One engine serves the whole process; each read database gets its own Prolog module.
import { createRequire } from "node:module";
import path from "node:path";
import { MakeError, type Loc } from "../messages.js";
import { mountHostFileSystem, type EmscriptenFS } from "./hostfs.js";
import { SUPPORT_MODULE, SUPPORT_SOURCE } from "./support.js";
import { writeErr, writeOut } from "../output.js";

/** Where the engine's output goes: Prolog's own writes to user_output/user_error, and the
 * output of goals, which is captured and written here in one piece after each goal. */
export interface LogicOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** This process's stdout/stderr, written synchronously as the build writes its messages, so
 * goal output lands between the recipes' output in the order it happened. */
export const processOutput: LogicOutput = {
  stdout: writeOut,
  stderr: writeErr,
};

/** swipl-wasm's query interface (its own typings pull in Emscripten's DOM-flavoured types). */
interface SwiplQuery {
  once(): Record<string, unknown> & { success?: boolean; error?: boolean; message?: string };
}
interface SwiplModule {
  FS: EmscriptenFS;
  prolog: { query(goal: string, input?: Record<string, unknown>): SwiplQuery };
}
type SwiplFactory = (opts: Record<string, unknown>) => Promise<SwiplModule>;

/** A value passed into a goal: an atom, or a list of atoms (DEPS). */
export type PrologInput = string | string[];

export interface GoalRun {
  status: "true" | "false" | "error";
  /** What the goal printed. */
  out: string;
  /** The error's message when status is "error". */
  message: string;
  /** Variables the goal bound (not among the inputs), as text. */
  bound: Map<string, string>;
}

export interface BagofRun {
  status: "true" | "false" | "error";
  out: string;
  message: string;
  words: string[];
}

const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/**
 * A Prolog error message with make's quotes. SWI-Prolog quotes a name in its messages as
 * `name', and prints a file name that needs quotes quoted again (`'no such.txt''); make
 * quotes a name once, as 'name' ("source_sink 'no such.txt' does not exist").
 */
export function makeQuotes(message: string): string {
  if (message.indexOf("`") < 0) return message;
  return message.replace(/`'((?:[^']|'')*)''/g, (_m, name: string) => `'${name.replaceAll("''", "'")}'`).replace(/`([^`']*)'/g, "'$1'");
}

/** A message the support code gave, with make's quotes. */
const message = (v: unknown): string => makeQuotes(text(v));

export class PrologEngine {
  /** Where output goes right now (the evaluator of the current build sets it). */
  output: LogicOutput = processOutput;
  private modules = 0;
  private cwd?: string;

  constructor(private readonly swipl: SwiplModule) {}

  /** Runs a support query; the support predicates catch every Prolog error themselves, so a
   * failure here is a bug in tmake, not in the makefile. */
  private call(goal: string, input: Record<string, unknown>): Record<string, unknown> {
    let r: ReturnType<SwiplQuery["once"]>;
    try {
      r = this.swipl.prolog.query(`${SUPPORT_MODULE}:${goal}`, input).once();
    } catch (e) {
      throw new MakeError(`internal error in the Prolog engine: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (r.error || r.success === false) throw new MakeError(`internal error in the Prolog engine: ${r.message ?? goal}`);
    return r;
  }

  /** A fresh module for one database's clauses. */
  newModule(): string {
    return `tmake_db_${++this.modules}`;
  }

  /** Relative file names in goals ($(bagof) too) are taken from here. */
  setWorkingDirectory(dir: string): void {
    if (this.cwd === dir) return;
    const r = this.swipl.prolog.query("catch(working_directory(_, D), _, fail)", { D: dir }).once();
    if (r.success !== false && !r.error) this.cwd = dir;
  }

  /** Adds a `prolog ... endprolog` block's clauses to `module`. `loc` is the `prolog` line;
   * errors point at the block's line. */
  consult(module: string, source: string, loc: Loc): void {
    const r = this.call("consult_text(M, T, Status, Line, Msg)", { M: module, T: source });
    if (r.Status !== "ok") {
      const line = Number(r.Line) || 1;
      throw new MakeError(`Prolog: ${message(r.Msg)}`, { file: loc.file, line: loc.line + line });
    }
  }

  /** Parses a goal once. Returns its id and variable names, or the syntax error's message. */
  compileGoal(module: string, goal: string): { id: number; names: string[] } | { error: string } {
    const r = this.call("compile_goal(M, T, Id, Names, Status, Msg)", { M: module, T: goal });
    if (r.Status !== "ok") return { error: message(r.Msg) };
    return { id: Number(r.Id), names: (r.Names as unknown[]).map(text) };
  }

  /** Calls a compiled goal once with some of its variables bound. */
  testGoal(id: number, inputs: Map<string, PrologInput>): GoalRun {
    const r = this.call("test_goal(Id, InNames, InValues, Status, Out, Msg, BNames, BValues)", {
      Id: id,
      InNames: [...inputs.keys()],
      InValues: [...inputs.values()],
    });
    const names = (r.BNames as unknown[]).map(text);
    const values = (r.BValues as unknown[]).map(text);
    const bound = new Map<string, string>();
    names.forEach((n, i) => bound.set(n, values[i]!));
    return { status: text(r.Status) as GoalRun["status"], out: text(r.Out), message: message(r.Msg), bound };
  }

  /** biomake's $(bagof Template,Goal) in `module`. */
  bagof(module: string, template: string, goal: string): BagofRun {
    const r = this.call("bagof_words(M, TT, GT, Status, Out, Msg, Words)", { M: module, TT: template, GT: goal });
    return {
      status: text(r.Status) as BagofRun["status"],
      out: text(r.Out),
      message: message(r.Msg),
      words: (r.Words as unknown[]).map(text),
    };
  }
}

let loading: Promise<PrologEngine> | undefined;
let loaded: PrologEngine | undefined;

/** The engine, loading it on first use (a few hundred milliseconds). */
export function loadPrologEngine(): Promise<PrologEngine> {
  loading ??= startEngine().then((e) => (loaded = e));
  return loading;
}

/** The engine if it has finished loading. */
export function loadedPrologEngine(): PrologEngine | undefined {
  return loaded;
}

async function startEngine(): Promise<PrologEngine> {
  const require = createRequire(import.meta.url);
  // The split build (script + .wasm + .data beside it) starts faster than the single-file
  // bundle, which decodes its embedded binaries from base64 first.
  const script = require.resolve("swipl-wasm/dist/swipl/swipl.js");
  const dir = path.dirname(script);
  const factory = require(script) as SwiplFactory;
  let engine: PrologEngine | undefined;
  let swipl: SwiplModule;
  try {
    swipl = await factory({
      arguments: ["-q"],
      locateFile: (file: string) => path.join(dir, file),
      // Prolog's writes that are not captured (user_error, explicit user_output), line by line.
      on_output: (line: string, stream: string) => {
        const out = engine?.output ?? processOutput;
        if (stream === "stderr") out.stderr(line);
        else out.stdout(line);
      },
    });
  } catch (e) {
    throw new MakeError(`cannot start the Prolog engine (swipl-wasm): ${e instanceof Error ? e.message : String(e)}`);
  }
  mountHostFileSystem(swipl.FS);
  engine = new PrologEngine(swipl);
  // The support module, loaded from a string stream like any other source.
  const r = swipl.prolog
    .query("setup_call_cleanup(open_string(S, In), load_files(tmake_support, [stream(In), silent(true)]), close(In))", {
      S: SUPPORT_SOURCE,
    })
    .once();
  if (r.error || r.success === false) throw new MakeError(`cannot start the Prolog engine: ${String(r.message ?? "support code")}`);
  return engine;
}
