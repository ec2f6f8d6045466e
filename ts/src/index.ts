// tmake as a library: the same stages the `tmake` command runs.
//
//   import { readMakefiles, defaultReadOptions, build, defaultBuildOptions } from "tmake";
//   const db = readMakefiles(defaultReadOptions({ cwd: "examples/align" }));
//   const status = await build(db, defaultBuildOptions({ cwd: "examples/align", goals: ["all"] }));
//
// readMakefiles parses the makefiles into a Database (throws MakeError on a makefile error);
// remakeMakefiles updates the makefiles themselves (read again when it returns true);
// build updates the goals and resolves to make's exit status (0, 1 for -q "not up to date",
// 2 on errors; failures are already reported on stderr). Recipes run in `cwd` with their
// output on this process's stdout/stderr. runTmake runs a whole command line.
import type { BuildOptions } from "./remake/options.js";
import { buildOptions } from "./cli/run.js";
import { emptyCommandLine } from "./cli/state.js";
import { RunContext } from "./run-context.js";

export { readMakefiles, defaultReadOptions, evalMakefileText } from "./read/index.js";
export { build, remakeMakefiles, type MakefilesOutcome } from "./remake/index.js";
export { loadBackend } from "./native/index.js";
export { MakeError, Messages, formatFatal } from "./messages.js";
export { RunContext } from "./run-context.js";
export { runTmake, type Invocation, type Stages } from "./cli/run.js";

export type { Database, ReadOptions, Rule, Assignment, IncludeRecord, RecipeLine } from "./read/database.js";
export type { BuildOptions } from "./remake/options.js";
export type { JobSpec, JobResult, RecipeCommand } from "./job/types.js";
export type { Backend, PatternSet, FileHash, HashAlgorithm } from "./native/types.js";
export type { Loc } from "./messages.js";

/** Build options as `tmake` with no flags would use them (the defaults of the switch table,
 * ts/src/cli/switches.ts), in a run of their own unless `overrides.run` names one (give the
 * database's, `db.expander.run`, to build in the run that read it); override what you need. */
export function defaultBuildOptions(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return { ...buildOptions(emptyCommandLine(), process.cwd(), overrides.run ?? new RunContext()), ...overrides };
}
