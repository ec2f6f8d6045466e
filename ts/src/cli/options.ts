// The options tmake understands: GNU Make's (same letters, same long names and aliases) and
// biomake's additions. Options of biomake features that are not built yet (queues, MD5 hashes,
// sync) are known by name so that they fail with a clear message instead of being
// taken for something else.
import { MakeError } from "../errors.js";
import { makeprogOptions } from "../logic/makeprog-options.js";
import type { CommandLine } from "./state.js";

/** How an option takes its argument. "jobs" is GNU's -j and -l: the next word is its argument
 * only when it is a number. "attached" is GNU's -O: only `-OTYPE` or `--output-sync=TYPE`.
 * "optional" is --debug: `--debug=X`, or biomake's `--debug X` when the next word is not an
 * option. "pair" is biomake's `-D VAR VAL`. */
export type ArgKind = "none" | "required" | "optional" | "jobs" | "attached" | "pair";

export interface OptionDef {
  short?: string;
  /** Long names; the first one is shown in the help, the others are aliases. */
  long: string[];
  arg: ArgKind;
  /** Name of the argument in the help. */
  argName?: string;
  /** Help text; undefined hides the option. */
  help?: string;
  apply(cl: CommandLine, value: string): void;
}

/** Thrown for a command line GNU would reject with its usage text (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function notYet(name: string): (cl: CommandLine, value: string) => void {
  return () => {
    throw new MakeError(`option '${name}' is not supported yet`);
  };
}

function outputSyncValue(value: string): CommandLine["outputSync"] {
  const type = value === "" ? "target" : value;
  if (type === "none" || type === "line" || type === "target" || type === "recurse") return type;
  throw new MakeError(`unknown output-sync type '${value}'`);
}

function jobsValue(value: string): number | "unlimited" {
  if (value === "") return "unlimited";
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError("the '-j' option requires a positive integer argument");
  }
  return Number(value);
}

export const optionDefs: OptionDef[] = [
  { short: "b", long: [], arg: "none", help: "Ignored for compatibility.", apply: () => {} },
  { short: "B", long: ["always-make"], arg: "none", help: "Unconditionally make all targets.", apply: (c) => void (c.alwaysMake = true) },
  { short: "C", long: ["directory"], arg: "required", argName: "DIRECTORY", help: "Change to DIRECTORY before doing anything.", apply: (c, v) => void c.directories.push(v) },
  { short: "d", long: [], arg: "none", help: "Print debugging information (biomake: --debug verbose).", apply: (c) => void (c.debugAll = true) },
  {
    long: ["debug"],
    arg: "optional",
    argName: "FLAGS",
    help: "Print debugging information of the given kinds (--debug=FLAGS or --debug FLAGS).",
    apply: (c, v) => void c.debug.push(...v.split(",").filter(Boolean)),
  },
  { short: "D", long: ["define"], arg: "pair", argName: "VAR VAL", help: "-D VAR VAL: assign VAR=VAL as on the command line (biomake).", apply: () => {} },
  { short: "e", long: ["environment-overrides"], arg: "none", help: "Environment variables override makefiles.", apply: (c) => void (c.environmentOverrides = true) },
  { short: "E", long: ["eval"], arg: "required", argName: "STRING", help: "Evaluate STRING as a makefile statement.", apply: (c, v) => void c.evalStrings.push(v) },
  { short: "m", long: ["makefile-syntax"], arg: "required", argName: "STRING", help: "Evaluate STRING as makefile text (biomake; same as --eval).", apply: (c, v) => void c.evalStrings.push(v) },
  { short: "f", long: ["file", "makefile"], arg: "required", argName: "FILE", help: "Read FILE as a makefile.", apply: (c, v) => void c.makefiles.push(v) },
  { short: "h", long: ["help"], arg: "none", help: "Print this message and exit.", apply: (c) => void (c.help = true) },
  { short: "i", long: ["ignore-errors"], arg: "none", help: "Ignore errors from recipes.", apply: (c) => void (c.ignoreErrors = true) },
  { short: "I", long: ["include-dir"], arg: "required", argName: "DIRECTORY", help: "Search DIRECTORY for included makefiles.", apply: (c, v) => void c.includeDirs.push(v) },
  { short: "j", long: ["jobs"], arg: "jobs", argName: "N", help: "Allow N jobs at once; infinite jobs with no arg.", apply: (c, v) => void (c.jobs = jobsValue(v)) },
  // GNU's internal option: where the parent's jobserver is (normally it comes in MAKEFLAGS).
  { long: ["jobserver-auth", "jobserver-fds"], arg: "required", argName: "R,W", apply: (c, v) => void (c.jobserverAuth = v) },
  { short: "k", long: ["keep-going"], arg: "none", help: "Keep going when some targets can't be made.", apply: (c) => void (c.keepGoing = true) },
  {
    short: "L",
    long: ["check-symlink-times"],
    arg: "none",
    help: "Use the latest mtime between symlinks and target.",
    apply: (c) => void (c.checkSymlinks = true),
  },
  { short: "n", long: ["just-print", "dry-run", "recon"], arg: "none", help: "Don't actually run any recipe; just print them.", apply: (c) => void (c.dryRun = true) },
  // biomake's -N: each goal is remade, by its own recipe, when it is out of date against its
  // prerequisites as they are on disk; the prerequisites themselves are neither checked nor made
  // (what a queue worker wants: the queue has made them). See ts/src/remake/engine.ts.
  {
    short: "N",
    long: ["no-dependencies"],
    arg: "none",
    help: "Do not test or rebuild dependencies; remake only the goals (biomake).",
    apply: (c) => void (c.noDependencies = true),
  },
  { short: "o", long: ["old-file", "assume-old"], arg: "required", argName: "FILE", help: "Consider FILE to be very old and don't remake it.", apply: (c, v) => void c.assumeOld.push(v) },
  { short: "q", long: ["question"], arg: "none", help: "Run no recipe; exit status says if up to date.", apply: (c) => void (c.question = true) },
  { short: "r", long: ["no-builtin-rules"], arg: "none", help: "Disable the built-in implicit rules.", apply: (c) => void (c.noBuiltinRules = true) },
  { short: "R", long: ["no-builtin-variables"], arg: "none", help: "Disable the built-in variable settings.", apply: (c) => void (c.noBuiltinVariables = true) },
  { short: "s", long: ["silent", "quiet"], arg: "none", help: "Don't echo recipes.", apply: (c) => void (c.silent = true) },
  { long: ["no-silent"], arg: "none", help: "Echo recipes (disable --silent mode).", apply: (c) => void (c.silent = false) },
  { short: "S", long: ["no-keep-going", "stop"], arg: "none", help: "Turns off -k.", apply: (c) => void (c.keepGoing = false) },
  { short: "t", long: ["touch"], arg: "none", help: "Touch targets instead of remaking them.", apply: (c) => void (c.touch = true) },
  { long: ["trace"], arg: "none", help: "Print tracing information.", apply: (c) => void (c.trace = true) },
  {
    long: ["warn-undefined-variables"],
    arg: "none",
    help: "Warn when an undefined variable is referenced.",
    apply: (c) => void (c.warnUndefinedVariables = true),
  },
  { long: ["target"], arg: "required", argName: "TARGET", help: "Make TARGET even if its name looks like an option (biomake).", apply: (c, v) => void c.goals.push(v) },
  { long: ["one-shell"], arg: "none", help: "Run every recipe in a single shell, as with .ONESHELL (biomake).", apply: (c) => void (c.oneShell = true) },
  { long: ["no-backtrace"], arg: "none", help: "Accepted for biomake compatibility (tmake never prints backtraces).", apply: () => {} },
  { short: "v", long: ["version"], arg: "none", help: "Print the version number of tmake and exit.", apply: (c) => void (c.version = true) },
  { short: "w", long: ["print-directory"], arg: "none", help: "Print the current directory.", apply: (c) => void (c.printDirectory = true) },
  { long: ["no-print-directory"], arg: "none", help: "Turn off -w, even if it was turned on implicitly.", apply: (c) => void (c.noPrintDirectory = true) },
  { short: "W", long: ["what-if", "new-file", "assume-new"], arg: "required", argName: "FILE", help: "Consider FILE to be infinitely new.", apply: (c, v) => void c.assumeNew.push(v) },

  // biomake's Makeprogs (build specifications in Prolog). `-p` is biomake's here, not GNU's
  // --print-data-base, which keeps only its long name (refused below).
  {
    short: "p",
    long: ["prog", "makeprog"],
    arg: "required",
    argName: "FILE",
    help: "Read FILE as a biomake Makeprog (a build specification in Prolog) instead of a makefile.",
    apply: (c, v) => void makeprogOptions(c).makeprogs.push(v),
  },
  {
    short: "P",
    long: ["eval-prolog", "makeprog-syntax"],
    arg: "required",
    argName: "STRING",
    help: "Evaluate STRING as Makeprog (Prolog) text (biomake).",
    apply: (c, v) => void makeprogOptions(c).prologStrings.push(v),
  },
  {
    short: "T",
    long: ["translate", "save-prolog"],
    arg: "required",
    argName: "FILE",
    help: "Write the makefiles, translated to Makeprog syntax, to FILE (biomake).",
    apply: (c, v) => void (makeprogOptions(c).translate = v),
  },

  // Known, not built yet: refuse them by name.
  { long: ["print-data-base"], arg: "none", apply: notYet("--print-data-base") },
  // Content hashes (ts/src/hash). biomake's short -C for --no-md5-cache stays GNU's -C DIR.
  { short: "H", long: ["md5-hash", "md5-checksum"], arg: "none", help: "Use content digests (MD5 as biomake records them) instead of timestamps.", apply: (c) => void (c.md5Hash = true) },
  { long: ["no-md5-cache"], arg: "none", help: "With -H: compute every digest again (trust no record or cache).", apply: (c) => void (c.noMd5Cache = true) },
  { short: "M", long: ["no-md5-timestamp"], arg: "none", help: "With -H: trust a record even when it is older than its file.", apply: (c) => void (c.noMd5Timestamp = true) },
  {
    long: ["hash-algo"],
    arg: "required",
    argName: "ALGO",
    help: "Digest for -H and --checksum: md5 (biomake's records, the default) or blake3 (faster; tmake's own records).",
    apply: (c, v) => {
      if (v !== "md5" && v !== "blake3") throw new UsageError(`unknown hash algorithm '${v}' (expected md5 or blake3)`);
      c.hashAlgo = v;
    },
  },
  { long: ["checksum"], arg: "none", help: "Print the digests of the FILEs named, as md5sum (or b3sum, with --hash-algo blake3) does.", apply: (c) => void (c.checksum = true) },
  {
    short: "Q",
    long: ["queue-engine"],
    arg: "required",
    argName: "ENGINE",
    // biomake's "test" engine runs each job synchronously, which is what the local runner does;
    // the real engines (poolq, sge, pbs, slurm) come with the queue stage.
    apply: (_c, v) => {
      if (v !== "test") throw new MakeError(`queue engine '${v}' is not supported yet`);
    },
  },
  { short: "y", long: ["sync", "sync-dir"], arg: "none", apply: notYet("-y") },
  { long: ["sync-exec"], arg: "none", apply: notYet("--sync-exec") },
  {
    long: [
      "qsub-exec", "qdel-exec", "queue-args", "qsub-args", "sbatch-args", "qsub-use-biomake",
      "sbatch-use-biomake", "qsub-biomake-args", "sbatch-biomake-args", "qsub-header",
      "sbatch-header", "qsub-header-file", "sbatch-header-file", "qdel-args", "scancel-args",
      "flush", "qsub-flush",
    ],
    arg: "none",
    apply: notYet("--qsub-*/--sbatch-*/--flush (queues)"),
  },
  {
    short: "l",
    long: ["load-average", "max-load"],
    arg: "jobs",
    argName: "N",
    help: "Don't start multiple jobs unless load is below N.",
    apply: (c, v) => void (c.loadAverage = v === "" ? undefined : parseFloat(v) || 0),
  },
  {
    short: "O",
    long: ["output-sync"],
    arg: "attached",
    argName: "TYPE",
    help: "Synchronize output of parallel jobs by TYPE.",
    apply: (c, v) => void (c.outputSync = outputSyncValue(v)),
  },
];

/** Biomake's -D VAR VAL: a command-line assignment. */
export function defineVariable(cl: CommandLine, name: string, value: string): void {
  cl.variables.push({ name, op: "=", value });
}
