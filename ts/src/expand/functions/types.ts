// The interface between the expander and the built-in functions ($(subst ...), $(foreach ...),
// ...). Each function is a small module registered in functions/index.ts.
//
// How the expander calls a function (GNU's handle_function / expand_builtin_function):
//   - `$(name args)` is a call only when `name` is registered and followed by whitespace (or
//     the end of the text); whitespace after the name is skipped, so args[0] starts at the
//     first non-blank character. Trailing whitespace is kept in every argument.
//   - Arguments split at commas outside nested parentheses of the kind that opened the call;
//     once `maxArgs` arguments are reached (maxArgs > 0) the last one takes the rest, commas
//     included. An empty argument list is one empty argument: args.length is always >= 1.
//   - With `expandArgs` each argument is expanded before the call, otherwise the function
//     gets the text as written and expands (with ctx.expand) what it needs, when it needs it.
//   - Fewer than `minArgs` arguments is fatal: use `invokeBuiltin` from functions/index.ts,
//     which also gives the message GNU prints.
import type { RunContext } from "../../run-context.js";
import type { Loc } from "../../messages.js";

export interface FunctionContext {
  /** Expand text in the current scope (for functions that take their arguments unexpanded). */
  expand(text: string): string;
  /** Run `body` with simple variables bound to values in a new innermost scope
   * (foreach, let, call's $(0) $(1) ...). GNU defines them with origin "automatic" and the
   * simple flavour, so $(origin 1) inside a $(call) says "automatic" and their values are
   * not expanded again when referenced. The scope is removed when `body` returns or throws. */
  withLocals<T>(vars: Record<string, string>, body: () => T): T;
  /** Look a variable up in the current scope chain. */
  lookup(name: string): { value: string; flavor: "recursive" | "simple"; origin: string } | undefined;
  /** Expand a variable by name with GNU's semantics (recursive ones are expanded, simple ones
   * give their value as is; undefined ones give "").
   * `reentrant`: set by $(call). GNU lets the variable that $(call) expands be expanded again
   * while it is being expanded (recursive user functions such as a `reverse` that calls
   * itself), so the "Recursive variable 'X' references itself (eventually)" check must not
   * fire for that variable during this expansion. */
  expandVariable(name: string, options?: { reentrant?: boolean }): string;
  /** $(call)'s expansion: exactly `withLocals(vars, () => expandVariable(name, { reentrant:
   * true }))`, in fewer stack frames (a recursive user function is limited by the JS stack,
   * and every frame per level counts). Optional; $(call) falls back to the long form. */
  callVariable?(name: string, vars: Record<string, string>): string;
  /** $(eval TEXT): parse and evaluate TEXT as makefile text. */
  evalText(text: string): void;
  /** Run a shell command the way $(shell) does (SHELL, .SHELLFLAGS, exported environment);
   * returns stdout and the exit status (for .SHELLSTATUS), 128+N when killed by signal N.
   * The command's stderr goes to make's stderr. The function itself folds the output's
   * newlines (see `foldShellOutput` in effects.ts) and sets .SHELLSTATUS. */
  shell(command: string): { stdout: string; status: number };
  /** Prints "FILE:LINE: message" (or "PROG: message" without a location) and a newline to
   * stderr ($(warning)). `message` has no trailing newline. */
  warn(message: string): void;
  /** Prints `message` and a newline to stdout ($(info)). */
  info(message: string): void;
  /** Throws a fatal MakeError at the current location ($(error) and argument errors).
   * `message` is GNU's text without "***" and without the final ".  Stop.". */
  fatal(message: string): never;
  /** Sets a global variable (e.g. .SHELLSTATUS, which GNU defines with origin "override"). */
  setGlobal(name: string, value: string): void;
  /** Current location, for messages. */
  loc?: Loc;
  /** The working directory (CURDIR): relative file names in $(wildcard), $(abspath),
   * $(realpath) and $(file) are taken from here. */
  cwd: string;
  /** The run the expansion belongs to (a stage's function keeps its part of the run there:
   * $(bagof)'s Prolog session). */
  readonly run: RunContext;
}

export interface MakeFunction {
  /** Minimum number of arguments (GNU reports too few). */
  minArgs: number;
  /** Maximum number of arguments; the last one takes the rest, commas included. 0 = unlimited. */
  maxArgs: number;
  /** When false, arguments are passed unexpanded and the function expands what it needs
   * (if, or, and, intcmp, foreach, let). call, value, eval, ... get expanded arguments. */
  expandArgs: boolean;
  fn(args: string[], ctx: FunctionContext): string;
}
