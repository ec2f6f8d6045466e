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
  /** -j was given on this make's own command line (not only in MAKEFLAGS): a sub-make then
   * leaves its parent's jobserver (GNU's argv_slots). */
  jobsOnCommandLine?: boolean;
  /** --jobserver-auth=R,W from MAKEFLAGS: the parent's jobserver (see ts/src/job/jobserver.ts);
   * this make's own once it made one. */
  jobserverAuth?: string;
  /** -l: the load limit for starting jobs (undefined: none). */
  loadAverage?: number;
  /** -O: GNU's output-sync type (in force only when jobs may run in parallel). */
  outputSync?: "none" | "line" | "target" | "recurse";
  /** -w given explicitly (or `w` in MAKEFLAGS). */
  printDirectory: boolean;
  /** --no-print-directory. */
  noPrintDirectory: boolean;
  help: boolean;
  version: boolean;
  /** -H (biomake): content digests decide what is stale (see ts/src/hash). */
  md5Hash: boolean;
  /** --hash-algo: the digest -H uses (md5 unless given); giving it turns -H on. */
  hashAlgo?: "md5" | "blake3";
  /** --no-md5-cache: every digest a decision needs is computed again. */
  noMd5Cache: boolean;
  /** -M / --no-md5-timestamp: a record older than its file is trusted all the same. */
  noMd5Timestamp: boolean;
  /** --checksum: print digests of the goals (files) as md5sum or b3sum does, and build nothing. */
  checksum: boolean;
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
    md5Hash: false,
    noMd5Cache: false,
    noMd5Timestamp: false,
    checksum: false,
  };
}
