// The interface between the expander and the built-in functions ($(subst ...), $(foreach ...),
// ...). Each function is a small module registered in functions/index.ts.
import type { Loc } from "../../errors.js";

export interface FunctionContext {
  /** Expand text in the current scope (for functions that take their arguments unexpanded). */
  expand(text: string): string;
  /** Run `body` with simple variables bound to values in a new innermost scope
   * (foreach, let, call's $(1) $(2) ...). */
  withLocals<T>(vars: Record<string, string>, body: () => T): T;
  /** Look a variable up in the current scope chain. */
  lookup(name: string): { value: string; flavor: "recursive" | "simple"; origin: string } | undefined;
  /** Expand a variable by name with GNU's semantics (recursive ones are expanded). */
  expandVariable(name: string): string;
  /** $(eval TEXT): parse and evaluate TEXT as makefile text. */
  evalText(text: string): void;
  /** Run a shell command the way $(shell) does (SHELL, .SHELLFLAGS, exported environment);
   * returns stdout and the exit status (for .SHELLSTATUS). */
  shell(command: string): { stdout: string; status: number };
  /** Prints "FILE:LINE: message" to stderr ($(warning)). */
  warn(message: string): void;
  /** Prints to stdout ($(info)). */
  info(message: string): void;
  /** Throws a fatal MakeError at the current location ($(error) and argument errors). */
  fatal(message: string): never;
  /** Sets a global variable (e.g. .SHELLSTATUS). */
  setGlobal(name: string, value: string): void;
  /** Current location, for messages. */
  loc?: Loc;
  /** The working directory (CURDIR). */
  cwd: string;
}

export interface MakeFunction {
  /** Minimum number of arguments (GNU reports too few). */
  minArgs: number;
  /** Maximum number of arguments; the last one takes the rest, commas included. 0 = unlimited. */
  maxArgs: number;
  /** When false, arguments are passed unexpanded and the function expands what it needs
   * (if, or, and, foreach, let, call? no: call's are expanded; value, ...). */
  expandArgs: boolean;
  fn(args: string[], ctx: FunctionContext): string;
}
