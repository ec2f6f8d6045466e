// The variables a run starts with, in GNU's order: built-in defaults, the environment, make's
// own special variables, then command-line assignments (which outrank makefile ones).
import os from "node:os";
import type { Expander } from "../expand/expander.js";
import { AUTOMATIC_DF_VARIABLES, BUILTIN_VARIABLES, DEFAULT_INCLUDE_DIRS, DEFAULT_SUFFIXES, FEATURES } from "../expand/defaults.js";
import type { Origin, VarScope, Variable } from "../expand/variables.js";
import type { ReadOptions } from "./database.js";

/** GNU Make version tmake reads like (scripts test $(MAKE_VERSION) for features). */
export const EMULATED_MAKE_VERSION = "4.3";

/** Where command-line definitions say they come from (no file). */
export const COMMAND_LINE_FILE = "<command-line>";

function hostTriple(): string {
  const arch = os.arch() === "x64" ? "x86_64" : os.arch() === "arm64" ? "aarch64" : os.arch();
  if (process.platform === "darwin") return `${arch}-apple-darwin`;
  if (process.platform === "win32") return `${arch}-pc-windows`;
  return `${arch}-pc-linux-gnu`;
}

export function installInitialVariables(scope: VarScope, expander: Expander, opts: ReadOptions): void {
  const set = (name: string, value: string, flavor: Variable["flavor"], origin: Origin, extra?: Partial<Variable>): void => {
    scope.set({ name, value, flavor, origin, ...extra });
  };
  if (opts.builtinVariables) {
    for (const [name, value] of BUILTIN_VARIABLES) scope.set({ name, value, flavor: "recursive", origin: "default" });
  }
  for (const [name, value] of AUTOMATIC_DF_VARIABLES) scope.set({ name, value, flavor: "recursive", origin: "automatic" });
  set("MAKE_COMMAND", opts.makeCommand, "simple", "default");
  set("MAKE", "$(MAKE_COMMAND)", "recursive", "default");
  set("MAKE_VERSION", EMULATED_MAKE_VERSION, "simple", "default");
  set("MAKE_HOST", hostTriple(), "simple", "default");
  set(".SHELLFLAGS", "-c", "simple", "default");
  set(".RECIPEPREFIX", "", "simple", "default");
  set(".FEATURES", FEATURES, "simple", "default");
  set(".INCLUDE_DIRS", [...opts.includeDirs, ...DEFAULT_INCLUDE_DIRS].join(" "), "recursive", "default");
  set(".LOADED", "", "simple", "default");
  set("SUFFIXES", opts.builtinRules ? DEFAULT_SUFFIXES : "", "simple", "default");
  set("MAKEFILES", "", "simple", "default");

  // The environment. SHELL never comes from it (POSIX), but recipes still get its value.
  // Under -e, a variable's origin becomes "environment override" only when a makefile tries
  // to redefine it (Expander.assign), as in GNU.
  const envOrigin: Origin = "environment";
  for (const [name, value] of Object.entries(opts.env)) {
    if (value === undefined || name === "" || name === "SHELL" || name === "MAKELEVEL" || name === "MAKEFLAGS") continue;
    // GNU marks every variable from the environment exported, so it stays exported when the
    // makefile redefines it; never MAKE_RESTARTS (it counts this make's own restarts).
    scope.set({ name, value, flavor: "recursive", origin: envOrigin, exported: name !== "MAKE_RESTARTS" });
  }
  if (opts.env.SHELL !== undefined) set("SHELL", "/bin/sh", "simple", "file", { exported: false });
  else set("SHELL", "/bin/sh", "simple", "default");

  // GNU has read the flags in GNUMAKEFLAGS (they are in MAKEFLAGS now) and empties it, so a
  // sub-make does not read them twice.
  set("GNUMAKEFLAGS", "", "recursive", "environment");
  if (opts.commandVariables) {
    set("-*-command-variables-*-", opts.commandVariables, "simple", "automatic");
    set("MAKEOVERRIDES", "${-*-command-variables-*-}", "recursive", envOrigin);
  }
  set("MAKELEVEL", String(opts.makelevel), "simple", "environment");
  set("MAKEFLAGS", opts.makeflags, "recursive", "file", { exported: true });
  set("CURDIR", opts.cwd, "simple", "file");
  set(".DEFAULT_GOAL", "", "simple", "file");
  if (opts.goals.length > 0) set("MAKECMDGOALS", opts.goals.join(" "), "simple", "default");

  for (const c of opts.commandLine) {
    const v = expander.assign(
      scope,
      { name: c.name, op: c.op, value: c.value, override: false, private: false, loc: { file: COMMAND_LINE_FILE, line: 0 } },
      "command line",
    );
    if (v !== undefined) delete v.loc;
  }
}
