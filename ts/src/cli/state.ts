// Everything the command line (and MAKEFLAGS) can say, gathered before anything is read.
// Options are applied in the order given, so later ones win (-k ... -S turns -k off again).
import type { AssignOp } from "../read/database.js";

export interface CommandLineAssignment {
  name: string;
  op: AssignOp;
  value: string;
}

export interface CommandLine {
  makefiles: string[];
  /** -C, in order; each is relative to the previous one. */
  directories: string[];
  includeDirs: string[];
  evalStrings: string[];
  /** Command-line assignments (VAR=value words, -D VAR VAL, MAKEFLAGS), in order. */
  variables: CommandLineAssignment[];
  goals: string[];
  dryRun: boolean;
  touch: boolean;
  question: boolean;
  keepGoing: boolean;
  silent: boolean;
  ignoreErrors: boolean;
  alwaysMake: boolean;
  assumeNew: string[];
  assumeOld: string[];
  noBuiltinRules: boolean;
  noBuiltinVariables: boolean;
  environmentOverrides: boolean;
  /** -L: a symlink's time is the newest of the links in its chain and the file at its end. */
  checkSymlinks: boolean;
  /** --trace: say why each target is remade, and echo every recipe line (even `@` ones). */
  trace: boolean;
  /** --warn-undefined-variables. */
  warnUndefinedVariables: boolean;
  /** -N (biomake): remake only the goals; never handed on in MAKEFLAGS (see makeflags.ts). */
  noDependencies: boolean;
  oneShell: boolean;
  /** -d was given (biomake: `--debug verbose`; also shows stacks of internal errors). */
  debugAll: boolean;
  /** --debug values, in order. */
  debug: string[];
  /** -j: undefined when not given, "unlimited" for a bare -j. */
  jobs?: number | "unlimited";
  /** -l: the load limit for starting jobs (undefined: none). Recipes run one at a time for now,
   * so it changes nothing yet but MAKEFLAGS, as with GNU's -j1. */
  loadAverage?: number;
  /** -O: GNU's output-sync type. Recipes run one at a time for now, so their output is never
   * interleaved and every type gives the same output; it is handed on in MAKEFLAGS. */
  outputSync?: "none" | "line" | "target" | "recurse";
  /** -w given explicitly (or `w` in MAKEFLAGS). */
  printDirectory: boolean;
  /** --no-print-directory. */
  noPrintDirectory: boolean;
  help: boolean;
  version: boolean;
}

export function emptyCommandLine(): CommandLine {
  return {
    makefiles: [],
    directories: [],
    includeDirs: [],
    evalStrings: [],
    variables: [],
    goals: [],
    dryRun: false,
    touch: false,
    question: false,
    keepGoing: false,
    silent: false,
    ignoreErrors: false,
    alwaysMake: false,
    assumeNew: [],
    assumeOld: [],
    noBuiltinRules: false,
    noBuiltinVariables: false,
    environmentOverrides: false,
    checkSymlinks: false,
    trace: false,
    warnUndefinedVariables: false,
    noDependencies: false,
    oneShell: false,
    debugAll: false,
    debug: [],
    printDirectory: false,
    noPrintDirectory: false,
    help: false,
    version: false,
  };
}
