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
  /** -N (biomake): remake only the goals; never handed on in MAKEFLAGS (see makeflags.ts). */
  noDependencies: boolean;
  oneShell: boolean;
  /** -d was given (biomake: `--debug verbose`; also shows stacks of internal errors). */
  debugAll: boolean;
  /** --debug values, in order. */
  debug: string[];
  /** -j: undefined when not given, "unlimited" for a bare -j. */
  jobs?: number | "unlimited";
  /** -w given explicitly (or `w` in MAKEFLAGS). */
  printDirectory: boolean;
  /** --no-print-directory. */
  noPrintDirectory: boolean;
  /** --trace. */
  trace: boolean;
  /** --warn-undefined-variables. */
  warnUndefinedVariables: boolean;
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
    noDependencies: false,
    oneShell: false,
    debugAll: false,
    debug: [],
    printDirectory: false,
    noPrintDirectory: false,
    trace: false,
    warnUndefinedVariables: false,
    help: false,
    version: false,
  };
}
