// The expander: GNU Make's variable expansion, assignment semantics and recipe environment.
//
// Text is parsed once into expression nodes (expression.ts, cached by text) and then
// evaluated against a VarScope. Built-in functions come from the functions registry; each
// call gets a FunctionContext (CallContext below) bound to the scope being expanded.
import type * as ChildProcess from "node:child_process";
import { createRequire } from "node:module";
import { MakeError, type Loc } from "../messages.js";
import { RunContext } from "../run-context.js";
import { ExpressionParser, splitSubstitution, type Expr, type FuncCallNode, type VarRefNode } from "./expression.js";
import { builtinFunctions, foldShellOutput, ifBranch, ifFn, substitutionRef } from "./functions/index.js";
import type { FunctionContext, MakeFunction } from "./functions/types.js";
import { originRank, VarScope, type Assignment, type Origin, type Variable } from "./variables.js";
import { flushOut, outputStarts, shellErrorFd, writeErr, writeOut } from "../output.js";
import { directArgv, directPathAllowed } from "../job/direct.js";

export type { Assignment, AssignOp, Origin, Variable } from "./variables.js";
export { VarScope } from "./variables.js";

/** Where $(info)/$(warning) text goes; replaceable for tests and library users. */
export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processSink: OutputSink = {
  stdout: writeOut,
  stderr: writeErr,
};

/** Names a biomake pattern may use as a named wildcard when undefined. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names the environment can carry. */
const EXPORTABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ExpanderOptions {
  /** The environment make started with: $(shell) runs with it (GNU 4.3), and recipes get its
   * SHELL when SHELL is not exported. */
  env?: Record<string, string | undefined>;
  /** CURDIR, for functions that resolve paths. */
  cwd?: string;
  /** MAKELEVEL of this run; recipes see MAKELEVEL+1. */
  makelevel?: number;
  /** --warn-undefined-variables */
  warnUndefined?: boolean;
  /** -e: a makefile's definition of an environment variable does not replace it. */
  envOverrides?: boolean;
  output?: OutputSink;
  /** The run the expansion belongs to (default: a run of its own, named "tmake"). */
  run?: RunContext;
  /** The function registry (defaults to the built-in functions). */
  functions?: ReadonlyMap<string, MakeFunction>;
}

interface ExpansionState {
  /** Biomake target mode: undefined plain variables stay as named wildcards, literal `$`
   * is written `$$`. */
  pattern: boolean;
}

export class Expander {
  /** Told of every variable looked up while set (the journal records what a recipe used). */
  lookupObserver: ((name: string, v: Variable | undefined) => void) | undefined = undefined;

  readonly parser: ExpressionParser;
  readonly functions: ReadonlyMap<string, MakeFunction>;
  /** A bare `export` or a .EXPORT_ALL_VARIABLES target was seen. */
  exportAll = false;
  makelevel: number;
  cwd: string;
  warnUndefined: boolean;
  /** -e (see ExpanderOptions.envOverrides). */
  envOverrides: boolean;
  output: OutputSink;
  /** The run the expansion belongs to. */
  readonly run: RunContext;
  /** The starting environment (see ExpanderOptions.env). */
  env: Record<string, string | undefined>;
  /** $(eval) lands here; the reader installs it (read/index.ts). `scope` is the scope the
   * $(eval) was expanded in (the text is read with its variables visible). */
  evalHook?: (text: string, loc: Loc | undefined, scope?: VarScope) => void;
  /** Variables being expanded right now (GNU's "references itself" check). */
  private readonly active = new Set<Variable>();

  constructor(opts: ExpanderOptions = {}) {
    this.functions = opts.functions ?? builtinFunctions;
    this.parser = new ExpressionParser((name) => this.functions.get(name));
    this.env = opts.env ?? {};
    this.cwd = opts.cwd ?? process.cwd();
    this.makelevel = opts.makelevel ?? 0;
    this.warnUndefined = opts.warnUndefined ?? false;
    this.envOverrides = opts.envOverrides ?? false;
    this.output = opts.output ?? processSink;
    this.run = opts.run ?? new RunContext();
  }

  /** Full GNU expansion of `text` in `scope`. `loc` is where the text was read (a makefile
   * line or a recipe line); messages and errors point there. */
  expand(text: string, scope: VarScope, loc?: Loc): string {
    if (text.indexOf("$") < 0) return text;
    const e = this.parser.parse(text);
    if (e.literal !== undefined) return e.literal;
    return this.evaluate(e, new CallContext(this, scope, loc, loc, NORMAL));
  }

  /** expand() for text expanded once (a rule's prerequisites while reading, the right side
   * of `:=`): the parsed form is not kept in the expression cache. */
  expandOnce(text: string, scope: VarScope, loc?: Loc): string {
    let d = text.indexOf("$");
    if (d < 0) return text;
    // GNU's variable_expand_string, straight from the text for the plain references
    // (`$(NAME)`, `${NAME}`, `$x`, `$$`) that most one-shot text holds: no parse tree is
    // built. The first reference of another kind (a function call, a computed name, a
    // substitution reference) hands the rest of the text to the parser, which reads it the
    // same way from that point on.
    const n = text.length;
    let out = "";
    let i = 0;
    let ctx: CallContext | undefined;
    while (d >= 0) {
      const c = text.charCodeAt(d + 1);
      let name: string;
      let next: number;
      if (c === 40 /* ( */ || c === 123 /* { */) {
        const close = c === 40 ? 41 : 125;
        let e = d + 2;
        while (e < n && isPlainNameCode(text.charCodeAt(e))) e++;
        if (e === d + 2 || e >= n || text.charCodeAt(e) !== close) break;
        name = text.slice(d + 2, e);
        next = e + 1;
      } else if (c === 36 /* $ */) {
        out += text.slice(i, d + 1);
        i = d + 2;
        d = text.indexOf("$", i);
        continue;
      } else if (d + 1 < n) {
        name = text[d + 1]!;
        next = d + 2;
      } else break;
      if (d > i) out += text.slice(i, d);
      ctx ??= new CallContext(this, scope, loc, loc, NORMAL);
      const v = this.lookup(name, scope);
      if (v !== undefined) out += v.flavor === "simple" ? v.value : this.variableValue(v, ctx);
      else if (this.warnUndefined) this.warn(`warning: undefined variable '${name}'`, loc);
      i = next;
      d = text.indexOf("$", i);
    }
    if (d < 0) return i === 0 ? text : out + text.slice(i);
    if (d > i) out += text.slice(i, d);
    const rest = d === 0 ? text : text.slice(d);
    return out + this.evaluate(this.parser.parseOnce(rest), ctx ?? new CallContext(this, scope, loc, loc, NORMAL));
  }

  /** Biomake target expansion: like expand, but a reference to an undefined plain variable
   * (`$X`, `$(Sample)`) is kept as a named wildcard in the matcher's syntax, and every literal
   * `$` in the result is written `$$` (see native/types.ts for the pattern syntax). */
  expandPattern(text: string, scope: VarScope, loc?: Loc): string {
    if (text.indexOf("$") < 0) return text;
    const e = this.parser.parse(text);
    if (e.literal !== undefined) return escapeDollars(e.literal);
    return this.evaluate(e, new CallContext(this, scope, loc, loc, PATTERN));
  }

  /** The value of a variable by name with GNU's semantics (recursive ones expanded). */
  valueOf(name: string, scope: VarScope, loc?: Loc): string {
    const v = this.lookup(name, scope);
    if (v === undefined) return "";
    return this.variableValue(v, new CallContext(this, scope, loc, loc, NORMAL));
  }

  /** Looks a variable up ($(@D) and the like are global variables, GNU's; see
   * AUTOMATIC_DF_VARIABLES), computing .VARIABLES on demand. */
  lookup(name: string, scope: VarScope): Variable | undefined {
    const v = scope.get(name);
    if (this.lookupObserver !== undefined) this.lookupObserver(name, v);
    if (v !== undefined) return v;
    if (name === ".VARIABLES") {
      return { name, value: scope.root().names().join(" "), flavor: "simple", origin: "default" };
    }
    return undefined;
  }

  // ---- evaluation -------------------------------------------------------------------------

  /** Evaluates parsed text with a context. */
  evaluate(e: Expr, ctx: CallContext): string {
    if (e.literal !== undefined) return ctx.state.pattern ? escapeDollars(e.literal) : e.literal;
    const nodes = e.nodes;
    if (nodes.length === 1) {
      const n = nodes[0]!;
      if (typeof n !== "string" && n.kind === "func" && !ctx.state.pattern && n.rawArgs.length >= n.fn.minArgs) {
        // Text that is one function call, outside biomake target text: callFunction's work
        // done here, one stack frame less per nesting level. Recursive user functions
        // ($(if ...,$(call f,...))) nest exactly this way, and their depth is limited by the
        // JS stack.
        const fn = n.fn;
        if (fn === ifFn) {
          // $(if): the chosen branch is expanded right here (another frame less).
          const branch = ifBranch(n.rawArgs, ctx.forCall(n.name));
          return branch === undefined ? "" : this.evaluate(this.parser.parse(branch), ctx);
        }
        let args = n.rawArgs;
        if (fn.expandArgs) {
          const parsed = n.args!;
          args = new Array<string>(parsed.length);
          for (let i = 0; i < parsed.length; i++) args[i] = this.evaluate(parsed[i]!, ctx);
        }
        return fn.fn(args, ctx.forCall(n.name));
      }
    }
    let out = "";
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (typeof n === "string") out += ctx.state.pattern ? escapeDollars(n) : n;
      else if (n.kind === "var") out += this.evaluateRef(n, ctx);
      else if (n.kind === "func") out += this.callFunction(n, ctx);
      else throw new MakeError(n.message, ctx.expandingLoc);
    }
    return out;
  }

  private evaluateRef(n: VarRefNode, ctx: CallContext): string {
    let name: string;
    let subst = n.subst;
    if (n.computed !== undefined) {
      // The name itself is expanded normally (it names a variable, it is not target text).
      const text = ctx.state.pattern ? this.evaluate(n.computed, ctx.withState(NORMAL)) : this.evaluate(n.computed, ctx);
      const s = splitSubstitution(text);
      name = s.name;
      subst = s.subst;
    } else name = n.name!;
    const v = this.lookup(name, ctx.scope);
    if (v === undefined) {
      if (ctx.state.pattern && subst === undefined && PLAIN_NAME.test(name)) {
        return n.paren === "" ? `$${name}` : n.paren === "(" ? `$(${name})` : `\${${name}}`;
      }
      if (this.warnUndefined) this.warn(`warning: undefined variable '${name}'`, ctx.loc);
      return "";
    }
    if (subst !== undefined) {
      const value = ctx.state.pattern ? this.variableValue(v, ctx.withState(NORMAL)) : this.variableValue(v, ctx);
      if (value === "") return "";
      const r = substitutionRef(value, subst.from, subst.to);
      return ctx.state.pattern ? escapeDollars(r) : r;
    }
    const value = this.variableValue(v, ctx);
    return ctx.state.pattern && v.flavor === "simple" ? escapeDollars(value) : value;
  }

  /** A variable's value in `ctx`'s scope and mode: recursive values are expanded, with GNU's
   * self-reference check. */
  variableValue(v: Variable, ctx: CallContext, reentrant = false): string {
    if (v.flavor === "simple") return v.value;
    const e = this.parser.parse(v.value);
    if (e.literal !== undefined) return ctx.state.pattern ? escapeDollars(e.literal) : e.literal;
    if (reentrant) {
      // $(call) may expand the variable it is running again (recursive user functions).
      return this.evaluate(e, v.loc !== undefined ? ctx.expandingAt(v.loc) : ctx);
    }
    if (this.active.has(v)) {
      throw new MakeError(`Recursive variable '${v.name}' references itself (eventually)`, v.loc ?? ctx.expandingLoc);
    }
    this.active.add(v);
    try {
      return this.evaluate(e, v.loc !== undefined ? ctx.expandingAt(v.loc) : ctx);
    } finally {
      this.active.delete(v);
    }
  }

  private callFunction(n: FuncCallNode, ctx: CallContext): string {
    const fn = n.fn;
    if (n.rawArgs.length < fn.minArgs) {
      throw new MakeError(`insufficient number of arguments (${n.rawArgs.length}) to function '${n.name}'`, ctx.expandingLoc);
    }
    // In biomake target text a function computes ordinary text (GNU semantics); only its
    // result is escaped back into pattern syntax.
    const c = ctx.state.pattern ? ctx.withState(NORMAL) : ctx;
    let args = n.rawArgs;
    if (fn.expandArgs) {
      // A plain loop, not map(): deep $(call) recursion is limited by the JS stack, and every
      // frame per nesting level counts.
      const parsed = n.args!;
      args = new Array<string>(parsed.length);
      for (let i = 0; i < parsed.length; i++) args[i] = this.evaluate(parsed[i]!, c);
    }
    // The argument count was checked above (GNU's expand_builtin_function).
    const out = fn.fn(args, c.forCall(n.name));
    return ctx.state.pattern ? escapeDollars(out) : out;
  }

  // ---- side effects used by functions --------------------------------------------------

  warn(message: string, loc: Loc | undefined): void {
    this.output.stderr(loc ? `${loc.file}:${loc.line}: ${message}\n` : `${message}\n`);
  }

  /** Runs `command` with $(SHELL) and .SHELLFLAGS from `scope`, in the starting environment
   * (GNU 4.3's $(shell) does not pass exported variables). Returns raw stdout. */
  runShell(command: string, scope: VarScope, loc?: Loc): { stdout: string; status: number } {
    outputStarts();
    const shell = this.valueOf("SHELL", scope, loc) || "/bin/sh";
    const flagText = this.valueOf(".SHELLFLAGS", scope, loc) || "-c";
    const flags = flagText.split(/[ \t]+/).filter((f) => f !== "");
    const env: Record<string, string> = {};
    for (const [k, val] of Object.entries(this.env)) if (val !== undefined) env[k] = val;
    // Like a recipe line, a simple command runs without the shell (GNU's func_shell uses the
    // same construct_command_argv): a missing program is "tmake: NAME: No such file...".
    const direct = directPathAllowed(shell, flagText) ? directArgv(command) : undefined;
    const program = direct !== undefined ? direct[0]! : shell;
    flushOut(); // the command's standard error comes after what tmake printed before
    // execve takes C strings: a word ends at a NUL byte, as it does for GNU's $(shell).
    const cString = (w: string): string => (w.includes("\0") ? w.slice(0, w.indexOf("\0")) : w);
    const r = childProcess().spawnSync(cString(program), (direct !== undefined ? direct.slice(1) : [...flags, command]).map(cString), {
      cwd: this.cwd,
      env,
      encoding: "utf8",
      stdio: ["inherit", "pipe", shellErrorFd() ?? "inherit"],
      maxBuffer: 1 << 30,
    });
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied" : r.error.message;
      this.output.stderr(`${this.run.msg.prefix}: ${program}: ${why}\n`);
      return { stdout: "", status: 127 };
    }
    const status = r.status ?? (r.signal ? 128 + signalNumber(r.signal) : 1);
    // GNU keeps the output as a C string: what follows a NUL byte is lost.
    const stdout = r.stdout ?? "";
    return { stdout: stdout.includes("\0") ? stdout.slice(0, stdout.indexOf("\0")) : stdout, status };
  }

  // ---- assignment --------------------------------------------------------------------------

  /** Defines a variable the way GNU's do_variable_definition does, for every operator:
   * origin precedence (a weaker origin never replaces a stronger one), `+=` keeping the
   * flavour, `?=` only when undefined, `!=` through the shell, `:::=` (expand now, escape `$`).
   * In a target scope (any scope with a parent), `+=` appends to the inherited value and a
   * command-line / -e environment value still wins unless the assignment says `override`. */
  assign(scope: VarScope, a: Assignment, origin: Origin): Variable | undefined {
    if (a.override) origin = "override";
    const name = a.name;
    const loc = a.loc;
    const isTarget = scope.parent !== undefined;
    const existing = scope.getLocal(name);
    // GNU: environment variables are defined before -e is known, so they say "environment"
    // until the first definition tries to replace one; from then on, "environment override".
    if (existing !== undefined && this.envOverrides && existing.origin === "environment") existing.origin = "environment override";
    const applyFlags = (v: Variable): Variable => {
      if (a.exported !== undefined) v.exported = a.exported;
      if (a.private) v.private = true;
      return v;
    };

    let flavor: Variable["flavor"];
    let value: string;
    switch (a.op) {
      case "=":
        flavor = "recursive";
        value = a.value;
        break;
      case ":=":
      case "::=":
        flavor = "simple";
        value = this.expandOnce(a.value, scope, loc);
        break;
      case ":::=":
        flavor = "recursive";
        value = escapeDollars(this.expandOnce(a.value, scope, loc));
        break;
      case "?=": {
        const seen = this.lookup(name, scope);
        if (seen !== undefined) return applyFlags(seen);
        flavor = "recursive";
        value = a.value;
        break;
      }
      case "!=": {
        const r = this.runShell(this.expandOnce(a.value, scope, loc), scope, loc);
        this.setGlobal(scope, ".SHELLSTATUS", String(r.status));
        flavor = "recursive";
        value = foldShellOutput(r.stdout, false);
        break;
      }
      case "+=": {
        // A global `+=` appends to the visible value (an $(eval) inside $(foreach) sees the
        // loop variable, GNU's lookup_variable); a target's to its own or the inherited one.
        const base = isTarget ? (existing ?? scope.get(name)) : scope.get(name);
        if (base === undefined) {
          flavor = "recursive";
          value = a.value;
        } else {
          if (existing !== undefined && originRank(origin) < originRank(existing.origin)) return applyFlags(existing);
          flavor = base.flavor;
          const add = base.flavor === "recursive" ? a.value : this.expandOnce(a.value, scope, loc);
          // GNU joins with a space only when both sides have text.
          value = base.value === "" ? add : add === "" ? base.value : `${base.value} ${add}`;
        }
        break;
      }
    }

    if (existing !== undefined && originRank(origin) < originRank(existing.origin)) return applyFlags(existing);
    const v: Variable = { name, value, flavor, origin, loc };
    // A global variable keeps its export and private marks; each target- or pattern-specific
    // definition says its own (GNU's record_target_var), so `t: export V := a` then
    // `t: V += b` no longer exports V (unless the global V is).
    if (existing !== undefined && !isTarget) {
      v.exported = existing.exported;
      v.private = existing.private;
    }
    if (isTarget && origin !== "override") {
      // GNU (record_target_var): a command-line or -e environment value beats a
      // target-specific one that does not say override.
      const g = scope.root().get(name);
      if (g !== undefined && (g.origin === "command line" || g.origin === "environment override")) {
        v.value = g.value;
        v.flavor = g.flavor;
        v.origin = g.origin;
      }
    }
    scope.set(applyFlags(v));
    return v;
  }

  /** `undefine NAME`: removes it unless it has a stronger origin. */
  undefine(scope: VarScope, name: string, origin: Origin): void {
    const v = scope.getLocal(name);
    if (v === undefined) return;
    if (this.envOverrides && v.origin === "environment") v.origin = "environment override";
    if (originRank(origin) < originRank(v.origin)) return;
    scope.delete(name);
  }

  /** Sets a simple variable in the outermost scope (GNU uses origin override for these). */
  setGlobal(scope: VarScope, name: string, value: string): void {
    scope.root().set({ name, value, flavor: "simple", origin: "override" });
  }

  // ---- environment --------------------------------------------------------------------------

  /** The environment a recipe gets (GNU's target_environment): explicitly exported variables,
   * environment and command-line variables not unexported, everything under .EXPORT_ALL_VARIABLES except
   * default and automatic ones; recursive values are expanded in `scope`. MAKELEVEL is one
   * more than ours; SHELL comes from the starting environment unless exported. */
  environmentFor(scope: VarScope): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of scope.names()) {
      if (!EXPORTABLE_NAME.test(name)) continue;
      const v = scope.get(name);
      if (v === undefined) continue;
      // A target-specific variable that says neither export nor unexport takes the global
      // variable's mark (GNU's target_environment).
      let mark = v.exported;
      if (mark === undefined && scope.parent !== undefined) {
        const g = scope.root().getLocal(name);
        if (g !== undefined && g !== v) mark = g.exported;
      }
      if (name === "SHELL") {
        if (mark === true) env[name] = this.valueOf(name, scope);
        continue;
      }
      let exported: boolean;
      if (mark !== undefined) exported = mark;
      else if (v.origin === "default" || v.origin === "automatic") exported = false;
      else exported = this.exportAll || v.origin === "environment" || v.origin === "environment override" || v.origin === "command line";
      if (name === "MAKEFLAGS" && v.exported !== false) exported = true;
      if (!exported) continue;
      // A value from the environment goes back to it as it came, unexpanded (GNU).
      const fromEnv = v.origin === "environment" || v.origin === "environment override";
      env[name] = v.flavor === "recursive" && !fromEnv ? this.valueOf(name, scope) : v.value;
    }
    if (env.SHELL === undefined && this.env.SHELL !== undefined) env.SHELL = this.env.SHELL;
    env.MAKELEVEL = String(this.makelevel + 1);
    return env;
  }
}

/** node:child_process, loaded on the first $(shell) or `!=` (most runs that read a makefile
 * never need it, and loading it costs a few milliseconds of start-up). */
let childProcessModule: typeof ChildProcess | undefined;
function childProcess(): typeof ChildProcess {
  return (childProcessModule ??= createRequire(import.meta.url)("node:child_process") as typeof ChildProcess);
}

/** Characters of a reference the direct path of expandOnce reads as a plain variable name:
 * letters, digits and `_ . - @ < ^ + * ? % /` (never a function name followed by a blank,
 * never `:`, `$` or a paren, so the reference means exactly "the variable NAME"). */
export function isPlainNameCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 64 ||
    c === 60 ||
    c === 94 ||
    c === 43 ||
    c === 42 ||
    c === 63 ||
    c === 37 ||
    c === 47
  );
}

/** Writes every `$` as `$$` (text -> pattern or recursive-variable syntax). */
export function escapeDollars(s: string): string {
  return s.indexOf("$") < 0 ? s : s.split("$").join("$$");
}

const NORMAL: ExpansionState = { pattern: false };
const PATTERN: ExpansionState = { pattern: true };

/** The FunctionContext a built-in function gets: the scope, the read/recipe location
 * (`loc`, for $(warning)/$(error)), and the location GNU blames for expansion errors inside a
 * variable's value (`expandingLoc`, the variable's definition). */
export class CallContext implements FunctionContext {
  /** The function being called, so fatal() can choose GNU's location. */
  private fnName = "";

  constructor(
    private readonly expander: Expander,
    public scope: VarScope,
    public loc: Loc | undefined,
    public expandingLoc: Loc | undefined,
    public state: ExpansionState,
  ) {}

  withState(state: ExpansionState): CallContext {
    return state === this.state ? this : new CallContext(this.expander, this.scope, this.loc, this.expandingLoc, state);
  }

  expandingAt(loc: Loc): CallContext {
    return new CallContext(this.expander, this.scope, this.loc, loc, this.state);
  }

  get run(): RunContext {
    return this.expander.run;
  }

  forCall(name: string): CallContext {
    const c = new CallContext(this.expander, this.scope, this.loc, this.expandingLoc, this.state);
    c.fnName = name;
    return c;
  }

  get cwd(): string {
    return this.expander.cwd;
  }

  expand(text: string): string {
    return this.expander.evaluate(this.expander.parser.parse(text), this);
  }

  withLocals<T>(vars: Record<string, string>, body: () => T): T {
    const saved = this.scope;
    const local = new VarScope(saved);
    for (const [name, value] of Object.entries(vars)) local.set({ name, value, flavor: "simple", origin: "automatic" });
    this.scope = local;
    try {
      return body();
    } finally {
      this.scope = saved;
    }
  }

  lookup(name: string): { value: string; flavor: "recursive" | "simple"; origin: string } | undefined {
    return this.expander.lookup(name, this.scope);
  }

  expandVariable(name: string, options?: { reentrant?: boolean }): string {
    const v = this.expander.lookup(name, this.scope);
    if (v === undefined) return "";
    return this.expander.variableValue(v, this, options?.reentrant === true);
  }

  callVariable(name: string, vars: Record<string, string>): string {
    // withLocals + expandVariable(reentrant) + variableValue, folded into one frame.
    const saved = this.scope;
    const local = new VarScope(saved);
    for (const k in vars) local.set({ name: k, value: vars[k]!, flavor: "simple", origin: "automatic" });
    this.scope = local;
    try {
      const v = this.expander.lookup(name, local);
      if (v === undefined) return "";
      if (v.flavor === "simple") return v.value;
      const expander = this.expander;
      const e = expander.parser.parse(v.value);
      if (e.literal !== undefined) return this.state.pattern ? escapeDollars(e.literal) : e.literal;
      return expander.evaluate(e, v.loc !== undefined ? this.expandingAt(v.loc) : this);
    } finally {
      this.scope = saved;
    }
  }

  evalText(text: string): void {
    if (this.expander.evalHook === undefined) throw new MakeError("$(eval) is not available here", this.loc);
    this.expander.evalHook(text, this.loc, this.scope);
  }

  shell(command: string): { stdout: string; status: number } {
    return this.expander.runShell(command, this.scope, this.loc);
  }

  warn(message: string): void {
    this.expander.warn(message, this.loc);
  }

  info(message: string): void {
    this.expander.output.stdout(`${message}\n`);
  }

  fatal(message: string): never {
    // GNU blames $(error) on the line being read/run, and argument errors on the variable
    // whose value is being expanded.
    throw new MakeError(message, this.fnName === "error" ? this.loc : this.expandingLoc);
  }

  setGlobal(name: string, value: string): void {
    this.expander.setGlobal(this.scope, name, value);
  }
}

function signalNumber(sig: NodeJS.Signals): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return table[sig] ?? 0;
}
