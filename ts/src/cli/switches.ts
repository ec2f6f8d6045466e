// Every switch of the command line, written once: GNU Make's switches[] (main.c) in tmake's
// form, then biomake's switches in a marked block. A switch says its letter and long names, how
// it takes an argument, the field of the settings it sets and that field's default, what it
// does to the field, how MAKEFLAGS carries it (GNU's env, toenv and no_makefile), what it gives
// the reader and the build, and its help line. Everything else is derived from this table:
// the settings' type and defaults (settings.ts), the parser for argv and MAKEFLAGS (getopt.ts),
// MAKEFLAGS written for sub-makes (makeflags.ts), the help text (help.ts), and the read and
// build options (run.ts).
//
// The order is GNU's help order (letters case-blind, a lower-case letter first; a long-only
// switch beside the letter it belongs with). MAKEFLAGS is written in table order, the letters
// of argument-less switches first, then the switches with letters, then the long-only ones:
// GNU's order ("ks -Iinc -j2 --debug=b --trace").
import fs from "node:fs";
import path from "node:path";
import { MakeError } from "../messages.js";
import type { ReadOptions } from "../read/database.js";
import { withoutDotSlash } from "../base/names.js";
import type { BuildOptions } from "../remake/options.js";
import type { CommandLineAssignment } from "./assignments.js";
import { contentHashes, type HashOptions } from "../hash/index.js";
import type { HashAlgorithm } from "../native/types.js";

/** How a switch takes its argument.
 * - "none": a flag.
 * - "required": `-fFILE`, `-f FILE`, `--file=FILE`, `--file FILE`.
 * - "number": GNU's -j and -l: the argument is attached, or the next word when that is a number.
 * - "attached": GNU's -O: only `-OTYPE` or `--output-sync=TYPE`.
 * - "optional": --debug: `--debug=X`, biomake's `--debug X` when the next word is not an
 *   option, or a bare `--debug` ("basic").
 * - "pair": biomake's `-D VAR VAL` (the parser hands `apply` the two words joined by NUL). */
export type ArgKind = "none" | "required" | "number" | "attached" | "optional" | "pair";

/** What writing MAKEFLAGS knows besides the settings (see makeflags.ts). */
export interface WriteContext {
  /** Whether "Entering directory" is said: -w, or -C / a sub-make without -s (GNU). */
  printsDirectory: boolean;
}

/** How MAKEFLAGS carries a switch. A switch with this is read from MAKEFLAGS (GNU's `env`);
 * a switch without it is ignored there (its argument still skipped), as GNU ignores -C, -f,
 * -o and -W. */
export interface Makeflags<V> {
  /** How the value is handed on (GNU's `toenv`): "letter", its letter in the leading cluster
   * when the value is true; or the words for the value. Absent: read, never written (another
   * switch of the same field writes it, as -k writes what -S also sets). */
  write?: "letter" | ((value: V, context: WriteContext) => string[]);
  /** For "letter": whether the letter is written (default: when the value is true). */
  letterWhen?: (value: V, context: WriteContext) => boolean;
  /** Written only once the makefiles are read, GNU's define_makeflags(all): -I, -j, -l, -O,
   * --debug and the jobserver are not in the MAKEFLAGS that the makefiles see while read. */
  onceRead?: boolean;
  /** GNU's no_makefile: left out of the MAKEFLAGS of the sub-makes that run while included
   * makefiles are remade, so that `$(MAKE)` really writes the makefile (-n, -q, -t). */
  notWhileRemaking?: boolean;
  /** Written after every other switch, as GNU appends its $(-*-eval-flags-*-) (--eval). */
  last?: boolean;
  /** The argument as read back from MAKEFLAGS (the --eval strings' `$$` are undone). */
  decode?: (arg: string) => string;
}

/** Build options the switches give (run.ts adds the goals, the directory and the names). */
export type BuildPart = Partial<BuildOptions>;
/** Read options the switches give. */
export type ReadPart = Partial<ReadOptions>;

/** One switch. `F` is the field of the settings it sets, `V` that field's type. */
export interface Switch<F extends string = string, V = unknown> {
  letter?: string;
  /** Long names: the first is the switch's name in messages and help, the others aliases. */
  long: readonly string[];
  arg: ArgKind;
  /** The argument's name in the help (FILE, N, ...). */
  argName?: string;
  /** The field it sets; "" for a switch that only refuses (features not built yet). */
  field: F;
  /** The field's default (the first switch of a field gives it). */
  initial: V;
  /** The field's new value when the switch is met with `arg` ("" when it takes none). */
  apply(value: V, arg: string): V;
  makeflags?: Makeflags<V>;
  /** What the field gives the build (the remake and job stages). */
  build?: (value: V, into: BuildPart) => void;
  /** What the field gives the reader. */
  read?: (value: V, into: ReadPart) => void;
  /** The help line (every switch has one: --help lists them all). */
  help?: string;
  /** biomake's letter shared with a GNU switch: this switch takes the standalone word
   * `-LETTER` when the next word passes this test (see `-p` below). `cwd` is the directory
   * the -C switches given so far lead to. */
  claimsLetterWhen?: (next: string, cwd: string) => boolean;
  /** Known, not built yet: the switch only refuses. */
  refused?: boolean;
  /** Where the switch comes from: GNU Make, tmake itself or biomake (--help lists them apart). */
  from: "gnu" | "tmake" | "biomake";
}

// ---- Helpers that say what a switch does to its field ------------------------------------------

type Effect<F extends string, V> = Pick<Switch<F, V>, "field" | "initial" | "apply">;

/** A flag that turns its field on (GNU's `flag`). */
const on = <F extends string>(field: F): Effect<F, boolean> => ({ field, initial: false, apply: () => true });
/** A flag that turns its field off (GNU's `flag_off`). */
const off = <F extends string>(field: F): Effect<F, boolean> => ({ field, initial: false, apply: () => false });
/** A switch whose arguments gather in a list (GNU's `strlist`). */
const list = <F extends string>(field: F): Effect<F, string[]> => ({ field, initial: [], apply: (v, a) => [...v, a] });
/** A switch whose file names gather in a list, each without its leading `./` (GNU's
 * `filename`, which expand_command_line_file reads). */
const files = <F extends string>(field: F): Effect<F, string[]> => ({ field, initial: [], apply: (v, a) => [...v, withoutDotSlash(a)] });
/** A switch with one value, the last given (GNU's `string`). */
const value = <F extends string, V>(field: F, initial: V, parse: (arg: string) => V): Effect<F, V> => ({
  field,
  initial,
  apply: (_v, a) => parse(a),
});

/** Defines one switch; the type parameters are inferred from its field. */
function sw<F extends string, V>(s: Switch<F, V>): Switch<F, V> {
  return s;
}

/** A switch of a feature not built yet: known by name so that it fails with a clear message
 * instead of being taken for something else. */
function notYet(letter: string | undefined, long: string[], shown: string, what: string): Switch<"", undefined> {
  return {
    letter,
    long,
    arg: "none",
    help: `biomake's ${what}: not supported yet (refused with an error).`,
    refused: true,
    field: "",
    initial: undefined,
    apply: () => {
      throw new MakeError(`option '${shown}' is not supported yet`);
    },
    from: "biomake",
  };
}

/** The bytes of each stream of a recipe's output the journal keeps (the last ones). */
export const RECORDED_OUTPUT = 64 * 1024;

// ---- MAKEFLAGS words ------------------------------------------------------------------------------

/** Backslash-escapes what would split a word (GNU's quote_for_env). */
export function escapeWord(text: string): string {
  return text.replace(/[\\ \t]/g, (c) => `\\${c}`);
}

/** MAKEFLAGS is a recursive variable: what it holds is expanded once more when used. GNU
 * writes `$` in -I directories as `$$` (so the expansion shows `$`), and in --eval strings
 * and variable values as `$$$$` (so the expansion shows `$$`, which the make that reads
 * MAKEFLAGS turns back into `$`). */
export const dollars = (text: string, times: 2 | 4): string => text.replace(/\$/g, () => "$".repeat(times));

/** Undoes the `$$` of an --eval string or a variable value read back from MAKEFLAGS. */
export const undouble = (text: string): string => text.replace(/\$\$/g, "$");

/** The words of a flag written in its long form. */
const longFlag =
  (name: string) =>
  (v: boolean): string[] =>
    v ? [`--${name}`] : [];

// ---- Arguments --------------------------------------------------------------------------------------

/** Thrown for a command line GNU would reject with its usage text (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Jobs = number | "unlimited" | undefined;
export type OutputSync = "none" | "line" | "target" | "recurse" | undefined;

function jobsValue(arg: string): Jobs {
  if (arg === "") return "unlimited";
  if (!/^\d+$/.test(arg) || Number(arg) < 1) throw new UsageError("the '-j' option requires a positive integer argument");
  return Number(arg);
}

function loadValue(arg: string): number | undefined {
  return arg === "" ? undefined : parseFloat(arg) || 0;
}

function outputSyncValue(arg: string): OutputSync {
  const type = arg === "" ? "target" : arg;
  if (type === "none" || type === "line" || type === "target" || type === "recurse") return type;
  throw new MakeError(`unknown output-sync type '${arg}'`);
}

/** Biomake's `-p FILE` against GNU's `-p` (--print-data-base): the standalone word `-p` is
 * biomake's when the word after it names a Makeprog, that is an existing file whose text holds
 * a Makeprog rule (`<--`), or a name that can only be one (`Makeprog`, `*.pro`; a missing one
 * is then an error). The file is looked for in the directory that the -C switches before `-p`
 * lead to. Anything else (`-p` alone, last, bundled as in `-npq`, or followed by an option, an
 * assignment or another word) is GNU's. */
export function namesMakeprog(word: string, cwd: string): boolean {
  if (word.startsWith("-") || word.includes("=")) return false;
  const base = path.basename(word);
  if (base === "Makeprog" || word.endsWith(".pro")) return true;
  try {
    const file = path.resolve(cwd, word);
    if (!fs.statSync(file).isFile()) return false;
    return fs.readFileSync(file, "latin1").includes("<--");
  } catch {
    return false;
  }
}

/** biomake's -Q: the engines it has (poolq: the local pool under -j; test: each job as a
 * script, here; sge, pbs, slurm: submitted to the scheduler, see ts/src/job/queue). */
export const QUEUE_ENGINES = ["poolq", "test", "sge", "pbs", "slurm"] as const;
export type QueueEngine = (typeof QUEUE_ENGINES)[number];

function queueEngine(arg: string): QueueEngine {
  if (!(QUEUE_ENGINES as readonly string[]).includes(arg)) throw new MakeError(`unknown queue engine '${arg}' (known: ${QUEUE_ENGINES.join(", ")})`);
  return arg as QueueEngine;
}

/** A positive number for the queue's limits. */
function positive(name: string, integer: boolean): (arg: string) => number {
  return (arg) => {
    const n = Number(arg);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      throw new UsageError(`the '--${name}' option requires a positive ${integer ? "integer" : "number"} argument`);
    return n;
  };
}

/** A count that may be 0. */
function count(name: string): (arg: string) => number {
  return (arg) => {
    if (!/^\d+$/.test(arg)) throw new UsageError(`the '--${name}' option requires a non-negative integer argument`);
    return Number(arg);
  };
}

/** Biomake's -D VAR VAL, which the parser hands over as "VAR\0VAL". */
function defineVariable(v: CommandLineAssignment[], arg: string): CommandLineAssignment[] {
  const at = arg.indexOf("\0");
  return [...v, { name: arg.slice(0, at), op: "=", value: arg.slice(at + 1) }];
}

/** -H and its companions: whether content digests decide, and how (see ts/src/hash). */
export interface HashSettings extends HashOptions {
  on: boolean;
}

const noHashing: HashSettings = { on: false, algorithm: "md5", noCache: false, noTimestamp: false };

function hashAlgorithm(arg: string): HashAlgorithm {
  if (arg !== "md5" && arg !== "blake3") throw new UsageError(`unknown hash algorithm '${arg}' (expected md5 or blake3)`);
  return arg;
}

// ---- The table -------------------------------------------------------------------------------------

export const switches = [
  // GNU's -b and -m are ignored; tmake's -m is biomake's (see below).
  sw({ letter: "b", long: [], arg: "none", field: "", initial: undefined, apply: () => undefined, help: "Ignored for compatibility.", from: "gnu" }),
  sw({
    letter: "B",
    long: ["always-make"],
    arg: "none",
    ...on("alwaysMake"),
    makeflags: { write: "letter" },
    build: (v, o) => void (o.alwaysMake = v),
    help: "Unconditionally make all targets.",
    from: "gnu",
  }),
  sw({
    letter: "C",
    long: ["directory"],
    arg: "required",
    argName: "DIRECTORY",
    ...files("directories"),
    help: "Change to DIRECTORY before doing anything.",
    from: "gnu",
  }),
  sw({
    letter: "d",
    long: [],
    arg: "none",
    ...on("debugAll"),
    makeflags: { write: "letter" },
    build: (v, o) => void (v && (o.debug = ["verbose", ...(o.debug ?? [])])),
    help: "Print debugging information: biomake's --debug verbose (GNU's -d prints its own trace).",
    from: "gnu",
  }),
  sw({
    long: ["debug"],
    arg: "optional",
    argName: "FLAGS",
    field: "debug",
    initial: [] as string[],
    apply: (v, a) => [...v, ...a.split(",").filter(Boolean)],
    makeflags: { write: (v) => v.map((d) => `--debug=${escapeWord(d)}`), onceRead: true },
    build: (v, o) => void (o.debug = [...(o.debug ?? []), ...v]),
    help: "Print the given kinds of debugging information (GNU's letters, biomake's names; biomake's --debug FLAGS form too).",
    from: "gnu",
  }),
  // GNU's internal switch: where the parent's jobserver is (it comes in MAKEFLAGS).
  sw({
    long: ["jobserver-auth", "jobserver-fds"],
    arg: "required",
    argName: "R,W",
    ...value("jobserverAuth", undefined as string | undefined, (a) => a),
    makeflags: { write: (v) => (v === undefined ? [] : [`--jobserver-auth=${v}`]), onceRead: true },
    help: "Internal: the jobserver a parent make hands on in MAKEFLAGS (GNU does not list it).",
    from: "gnu",
  }),
  sw({
    letter: "e",
    long: ["environment-overrides"],
    arg: "none",
    ...on("environmentOverrides"),
    makeflags: { write: "letter" },
    read: (v, o) => void (o.environmentOverrides = v),
    help: "Environment variables override makefiles.",
    from: "gnu",
  }),
  sw({
    letter: "E",
    long: ["eval"],
    arg: "required",
    argName: "STRING",
    ...list("evalStrings"),
    makeflags: { write: (v) => v.map((e) => dollars(`--eval=${escapeWord(e)}`, 4)), last: true, decode: undouble },
    read: (v, o) => void (o.evalStrings = [...v]),
    help: "Evaluate STRING as a makefile statement.",
    from: "gnu",
  }),
  sw({
    letter: "f",
    long: ["file", "makefile"],
    arg: "required",
    argName: "FILE",
    ...files("makefiles"),
    read: (v, o) => void (o.makefiles = [...v]),
    help: "Read FILE as a makefile ('-' or /dev/stdin: standard input).",
    from: "gnu",
  }),
  sw({ letter: "h", long: ["help"], arg: "none", ...on("help"), help: "Print this message and exit.", from: "gnu" }),
  sw({
    letter: "i",
    long: ["ignore-errors"],
    arg: "none",
    ...on("ignoreErrors"),
    makeflags: { write: "letter" },
    build: (v, o) => void (o.ignoreErrors = v),
    help: "Ignore errors from recipes.",
    from: "gnu",
  }),
  sw({
    letter: "I",
    long: ["include-dir"],
    arg: "required",
    argName: "DIRECTORY",
    ...files("includeDirs"),
    makeflags: { write: (v) => v.map((d) => dollars(`-I${escapeWord(d)}`, 2)), onceRead: true },
    read: (v, o) => void (o.includeDirs = [...v]),
    help: "Search DIRECTORY for included makefiles.",
    from: "gnu",
  }),
  sw({
    letter: "j",
    long: ["jobs"],
    arg: "number",
    argName: "N",
    ...value("jobs", undefined as Jobs, jobsValue),
    makeflags: { write: (v) => (v === undefined ? [] : [v === "unlimited" ? "-j" : `-j${v}`]), onceRead: true },
    build: (v, o) => void (o.jobs = v === undefined ? 1 : v === "unlimited" ? Number.POSITIVE_INFINITY : v),
    help: "Allow N jobs at once; infinite jobs with no arg.",
    from: "gnu",
  }),
  sw({
    letter: "k",
    long: ["keep-going"],
    arg: "none",
    ...on("keepGoing"),
    makeflags: { write: "letter" },
    build: (v, o) => void (o.keepGoing = v),
    help: "Keep going when some targets can't be made.",
    from: "gnu",
  }),
  sw({
    letter: "l",
    long: ["load-average", "max-load"],
    arg: "number",
    argName: "N",
    ...value("loadAverage", undefined as number | undefined, loadValue),
    makeflags: { write: (v) => (v === undefined ? [] : [`-l${v}`]), onceRead: true },
    build: (v, o) => void (o.loadAverage = v),
    help: "Don't start multiple jobs unless load is below N.",
    from: "gnu",
  }),
  sw({
    letter: "L",
    long: ["check-symlink-times"],
    arg: "none",
    ...on("checkSymlinks"),
    makeflags: { write: "letter" },
    build: (v, o) => void (o.checkSymlinks = v),
    help: "Use the latest mtime between symlinks and target.",
    from: "gnu",
  }),
  sw({
    letter: "n",
    long: ["just-print", "dry-run", "recon"],
    arg: "none",
    ...on("dryRun"),
    makeflags: { write: "letter", notWhileRemaking: true },
    build: (v, o) => void (o.dryRun = v),
    help: "Don't actually run any recipe; just print them.",
    from: "gnu",
  }),
  sw({
    letter: "o",
    long: ["old-file", "assume-old"],
    arg: "required",
    argName: "FILE",
    ...files("assumeOld"),
    build: (v, o) => void (o.assumeOld = [...v]),
    help: "Consider FILE to be very old and don't remake it.",
    from: "gnu",
  }),
  sw({
    letter: "O",
    long: ["output-sync"],
    arg: "attached",
    argName: "TYPE",
    ...value("outputSync", undefined as OutputSync, outputSyncValue),
    makeflags: { write: (v) => (v === undefined ? [] : [`-O${v}`]), onceRead: true },
    help: "Synchronize output of parallel jobs by TYPE.",
    from: "gnu",
  }),
  sw({
    letter: "p",
    long: ["print-data-base"],
    arg: "none",
    ...on("printDataBase"),
    makeflags: { write: "letter" },
    help: "Print make's internal database (but `-p FILE` may be biomake's: see below).",
    from: "gnu",
  }),
  sw({
    letter: "q",
    long: ["question"],
    arg: "none",
    ...on("question"),
    makeflags: { write: "letter", notWhileRemaking: true },
    build: (v, o) => void (o.question = v),
    help: "Run no recipe; exit status says if up to date.",
    from: "gnu",
  }),
  sw({
    letter: "r",
    long: ["no-builtin-rules"],
    arg: "none",
    ...on("noBuiltinRules"),
    makeflags: { write: "letter" },
    build: (v, o) => void (o.noBuiltinRules = v),
    read: (v, o) => void (o.builtinRules = !v),
    help: "Disable the built-in implicit rules.",
    from: "gnu",
  }),
  sw({
    letter: "R",
    long: ["no-builtin-variables"],
    arg: "none",
    ...on("noBuiltinVariables"),
    makeflags: { write: "letter" },
    read: (v, o) => void (o.builtinVariables = !v),
    help: "Disable the built-in variable settings.",
    from: "gnu",
  }),
  sw({
    letter: "s",
    long: ["silent", "quiet"],
    arg: "none",
    ...on("silent"),
    makeflags: { write: "letter" },
    build: (v, o) => void (o.silent = v),
    help: "Don't echo recipes.",
    from: "gnu",
  }),
  sw({ long: ["no-silent"], arg: "none", ...off("silent"), makeflags: {}, help: "Echo recipes (disable --silent mode).", from: "gnu" }),
  sw({ letter: "S", long: ["no-keep-going", "stop"], arg: "none", ...off("keepGoing"), makeflags: {}, help: "Turns off -k.", from: "gnu" }),
  sw({
    letter: "t",
    long: ["touch"],
    arg: "none",
    ...on("touch"),
    makeflags: { write: "letter", notWhileRemaking: true },
    build: (v, o) => void (o.touch = v),
    help: "Touch targets instead of remaking them.",
    from: "gnu",
  }),
  sw({
    long: ["trace"],
    arg: "none",
    ...on("trace"),
    makeflags: { write: longFlag("trace") },
    build: (v, o) => void (o.trace = v),
    help: "Print tracing information (GNU's; biomake's --trace PREDICATE is not supported).",
    from: "gnu",
  }),
  sw({ letter: "v", long: ["version"], arg: "none", ...on("version"), help: "Print the version number of tmake and its backend, and exit.", from: "gnu" }),
  sw({
    letter: "w",
    long: ["print-directory"],
    arg: "none",
    ...on("printDirectory"),
    makeflags: { write: "letter", letterWhen: (_v, c) => c.printsDirectory },
    help: "Print the current directory.",
    from: "gnu",
  }),
  sw({
    long: ["no-print-directory"],
    arg: "none",
    ...on("noPrintDirectory"),
    makeflags: { write: longFlag("no-print-directory") },
    help: "Turn off -w, even if it was turned on implicitly.",
    from: "gnu",
  }),
  sw({
    letter: "W",
    long: ["what-if", "new-file", "assume-new"],
    arg: "required",
    argName: "FILE",
    ...files("assumeNew"),
    build: (v, o) => void (o.assumeNew = [...v]),
    help: "Consider FILE to be infinitely new.",
    from: "gnu",
  }),
  sw({
    long: ["warn-undefined-variables"],
    arg: "none",
    ...on("warnUndefinedVariables"),
    makeflags: { write: longFlag("warn-undefined-variables") },
    read: (v, o) => void (o.warnUndefinedVariables = v),
    help: "Warn when an undefined variable is referenced.",
    from: "gnu",
  }),

  // ---- tmake's own: the build journal and its console (ts/src/journal) ---------------------------
  sw({
    long: ["no-journal"],
    arg: "none",
    ...on("noJournal"),
    makeflags: { write: longFlag("no-journal") },
    help: "Keep no build journal in .tmake/journal (and take no build lock).",
    from: "tmake",
  }),
  sw({
    long: ["no-record-output"],
    arg: "none",
    ...on("noRecordOutput"),
    makeflags: { write: longFlag("no-record-output") },
    build: (v, o) => void (o.recordOutput = v ? 0 : RECORDED_OUTPUT),
    help: "Recipes write straight to the terminal, as with GNU make; the journal keeps no output.",
    from: "tmake",
  }),
  sw({
    long: ["rerun-triggers"],
    arg: "required",
    argName: "LIST",
    ...value("rerunTriggers", undefined as string[] | undefined, (a) => a.split(",").filter(Boolean)),
    makeflags: { write: (v) => (v === undefined ? [] : [`--rerun-triggers=${v.join(",")}`]) },
    help: "What else than times makes a target out of date: mtime,recipe,vars (default: mtime, or .RERUN_TRIGGERS).",
    from: "tmake",
  }),
  sw({
    long: ["status"],
    arg: "none",
    ...on("consoleStatus"),
    help: "Console: the state of each target of the goals (or of the SELECTION the words give).",
    from: "tmake",
  }),
  sw({ long: ["explain"], arg: "none", ...on("consoleExplain"), help: "Console: why each TARGET named will or will not be remade.", from: "tmake" }),
  sw({ long: ["failed"], arg: "none", ...on("consoleFailed"), help: "Console: the targets that failed, with their first error line.", from: "tmake" }),
  sw({ long: ["log"], arg: "none", ...on("consoleLog"), help: "Console: the recorded output of each TARGET named, from its last run.", from: "tmake" }),
  sw({ long: ["stats"], arg: "none", ...on("consoleStats"), help: "Console: counts of done, failed, blocked and to do, per rule and in all.", from: "tmake" }),
  sw({
    long: ["clean"],
    arg: "none",
    ...on("consoleClean"),
    help: "Console: delete the files the journal says tmake built (of the SELECTION).",
    from: "tmake",
  }),
  sw({ long: ["console"], arg: "none", ...on("consoleShell"), help: "Console: an interactive shell with those commands and `make SELECTION`.", from: "tmake" }),
  sw({ long: ["json"], arg: "none", ...on("consoleJson"), help: "Console: print the same data as JSON.", from: "tmake" }),
  sw({
    long: ["select"],
    arg: "required",
    argName: "SELECTION",
    ...list("selections"),
    help: "Make the targets of a SELECTION (e.g. 'failed', 'blocked except out/*') as goals.",
    from: "tmake",
  }),

  // ---- biomake's switches ----------------------------------------------------------------------
  // None but the content-hash ones (below) is handed on in MAKEFLAGS: a sub-make that a recipe starts makes its own goals whole
  // (-N is about the goals of this command line; biomake does not hand it on either), and
  // -D's variables and -m's text travel as command-line variables and --eval strings.
  sw({
    letter: "D",
    long: ["define"],
    arg: "pair",
    argName: "VAR VAL",
    field: "variables",
    initial: [] as CommandLineAssignment[],
    apply: defineVariable,
    help: "Assign VAR=VAL, as VAR=VAL on the command line does (biomake).",
    from: "biomake",
  }),
  sw({
    letter: "m",
    long: ["makefile-syntax"],
    arg: "required",
    argName: "STRING",
    ...list("evalStrings"),
    help: "Evaluate STRING as makefile text, as --eval does (biomake; GNU ignores -m).",
    from: "biomake",
  }),
  // biomake's -N: each goal is remade, by its own recipe, when it is out of date against its
  // prerequisites as they are on disk; the prerequisites themselves are neither checked nor made
  // (what a queue worker wants: the queue has made them). See ts/src/remake/biomake-goals.ts.
  sw({
    letter: "N",
    long: ["no-dependencies"],
    arg: "none",
    ...on("noDependencies"),
    build: (v, o) => void (o.noDependencies = v),
    help: "Do not test or rebuild dependencies; remake only the goals (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["target"],
    arg: "required",
    argName: "TARGET",
    ...list("goals"),
    help: "Make TARGET even if its name looks like an option (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["one-shell"],
    arg: "none",
    ...on("oneShell"),
    build: (v, o) => void (o.oneShell = v),
    help: "Run every recipe in a single shell, as with .ONESHELL (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["no-backtrace"],
    arg: "none",
    field: "",
    initial: undefined,
    apply: () => undefined,
    help: "Accepted for biomake compatibility (tmake never prints backtraces).",
    from: "biomake",
  }),
  // Makeprogs (build specifications in Prolog).
  sw({
    letter: "p",
    long: ["prog", "makeprog"],
    arg: "required",
    argName: "FILE",
    ...list("makeprogs"),
    claimsLetterWhen: namesMakeprog,
    help:
      "Read FILE as a biomake Makeprog (a build specification in Prolog) instead of a makefile. " +
      "`-p FILE` is this switch when FILE exists and holds a Makeprog rule (`<--`), or is named " +
      "Makeprog or *.pro; otherwise -p is GNU's --print-data-base.",
    from: "biomake",
  }),
  sw({
    letter: "P",
    long: ["eval-prolog", "makeprog-syntax"],
    arg: "required",
    argName: "STRING",
    ...list("prologStrings"),
    help: "Evaluate STRING as Makeprog (Prolog) text (biomake).",
    from: "biomake",
  }),
  sw({
    letter: "T",
    long: ["translate", "save-prolog"],
    arg: "required",
    argName: "FILE",
    ...value("translate", undefined as string | undefined, (a) => a),
    help: "Write the makefiles, translated to Makeprog syntax, to FILE (biomake).",
    from: "biomake",
  }),
  // ---- biomake's queue engines (ts/src/job/queue) ----
  sw({
    letter: "Q",
    long: ["queue-engine"],
    arg: "required",
    argName: "ENGINE",
    ...value("queueEngine", undefined as QueueEngine | undefined, queueEngine),
    help:
      "Run the recipes with ENGINE (biomake): poolq (here, -j N at once, 4 without -j), test (each as a job script, here, one by one), " +
      "sge, pbs or slurm (each submitted as a job script to the scheduler; tmake waits for them). See the README's cluster section.",
    from: "biomake",
  }),
  sw({
    long: ["qsub-exec", "sbatch-exec"],
    arg: "required",
    argName: "PATH",
    ...value("qsubExec", undefined as string | undefined, (a) => a),
    help: "Path to qsub (sge, pbs) or sbatch (slurm) (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["qdel-exec", "scancel-exec"],
    arg: "required",
    argName: "PATH",
    ...value("qdelExec", undefined as string | undefined, (a) => a),
    help: "Path to qdel (sge, pbs) or scancel (slurm) (biomake; default: the one beside --qsub-exec, else on PATH).",
    from: "biomake",
  }),
  sw({
    long: ["qstat-exec", "squeue-exec"],
    arg: "required",
    argName: "PATH",
    ...value("qstatExec", undefined as string | undefined, (a) => a),
    help:
      "Path to qstat (sge, pbs) or squeue (slurm), asked once per cycle how the run's jobs are (tmake; default: the one beside --qsub-exec, " +
      "else on PATH; without one, the jobs' exit-status files alone tell their ends).",
    from: "biomake",
  }),
  sw({
    long: ["queue-args"],
    arg: "required",
    argName: "ARGS",
    ...value("queueArgs", "", (a) => a),
    help: "Queue-specifying arguments for qsub/qdel (sge, pbs) or sbatch/scancel (slurm) (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["qsub-args", "sbatch-args"],
    arg: "required",
    argName: "ARGS",
    ...value("qsubArgs", "", (a) => a),
    help: "Additional arguments for qsub (sge, pbs) or sbatch (slurm) (biomake; per rule: QsubArgs).",
    from: "biomake",
  }),
  sw({
    long: ["qsub-header", "sbatch-header"],
    arg: "required",
    argName: "HEADER",
    ...value("qsubHeader", "", (a) => a),
    help: "Header lines for the job scripts (biomake; per rule: QsubHeader).",
    from: "biomake",
  }),
  sw({
    long: ["qsub-header-file", "sbatch-header-file"],
    arg: "required",
    argName: "FILENAME",
    ...value("qsubHeaderFile", "", (a) => a),
    help: "A file whose text heads the job scripts (biomake; per rule: QsubHeaderFile).",
    from: "biomake",
  }),
  sw({
    long: ["qdel-args", "scancel-args"],
    arg: "required",
    argName: "ARGS",
    ...value("qdelArgs", "", (a) => a),
    help: "Additional arguments for qdel (sge, pbs) or scancel (slurm) (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["qsub-use-tmake", "qsub-use-biomake", "sbatch-use-tmake", "sbatch-use-biomake"],
    arg: "none",
    ...on("qsubUseTmake"),
    help: "Every job runs tmake itself for its target on the worker (biomake's --qsub-use-biomake).",
    from: "biomake",
  }),
  sw({
    long: ["qsub-biomake-args", "sbatch-biomake-args", "qsub-tmake-args", "sbatch-tmake-args"],
    arg: "required",
    argName: "ARGS",
    ...value("qsubTmakeArgs", "-N", (a) => a),
    help: "Arguments of the tmake a job runs on the worker (biomake; default: '-N').",
    from: "biomake",
  }),
  sw({
    long: ["flush", "qsub-flush"],
    arg: "required",
    argName: "TARGET-OR-DIRECTORY",
    ...list("flush"),
    help: "Cancel the queued jobs of the target, or of every target under the directory; without goals, nothing is built (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["detach"],
    arg: "none",
    ...on("queueDetach"),
    help: "Submit the jobs and exit without waiting for them; the next run reattaches to those still queued (tmake).",
    from: "biomake",
  }),
  sw({
    long: ["queue-max-jobs"],
    arg: "required",
    argName: "N",
    ...value("queueMaxJobs", 1000, positive("queue-max-jobs", true)),
    help: "At most N jobs of the run in the queue at once (tmake; default 1000).",
    from: "biomake",
  }),
  sw({
    long: ["queue-submit-rate"],
    arg: "required",
    argName: "R",
    ...value("queueSubmitRate", 50, positive("queue-submit-rate", false)),
    help: "At most R submissions a second (tmake; default 50).",
    from: "biomake",
  }),
  sw({
    long: ["queue-submit-retries"],
    arg: "required",
    argName: "N",
    ...value("queueRetries", 3, count("queue-submit-retries")),
    help: "Retry a failed submission N times, waiting 1 s, 2 s, 4 s... (tmake; default 3).",
    from: "biomake",
  }),
  sw({
    long: ["queue-poll"],
    arg: "required",
    argName: "SECONDS",
    ...value("queuePoll", 1, positive("queue-poll", false)),
    help: "Ask the scheduler how the run's jobs are every SECONDS, with one query (tmake; default 1; the jobs' exit-status files are looked at more often).",
    from: "biomake",
  }),
  sw({
    long: ["queue-status-wait"],
    arg: "required",
    argName: "SECONDS",
    ...value("queueStatusWait", 30, positive("queue-status-wait", false)),
    help: "How long a job the queue no longer holds may go without its exit-status file showing (a shared file system may show it late) before it counts as lost (tmake; default 30).",
    from: "biomake",
  }),
  sw({
    long: ["array-jobs"],
    arg: "none",
    ...on("arrayJobs"),
    help: "Submit the recipes of one rule that wait for the same jobs as one array job (Slurm --array, SGE -t, PBS -J) (tmake).",
    from: "biomake",
  }),
  sw({
    long: ["array-max"],
    arg: "required",
    argName: "N",
    ...value("arrayMax", 1000, positive("array-max", true)),
    help: "At most N tasks in one array job (tmake; default 1000).",
    from: "biomake",
  }),
  // Known, not built yet: refused by name.
  // Content hashes in place of times (ts/src/hash). The four switches share one field; -H's
  // `build` hands the build the signal. Unlike biomake's other switches they go down to
  // sub-makes in MAKEFLAGS, since a sub-make that judged by times would rebuild what a hashed
  // run left alone. biomake's short -C for --no-md5-cache stays GNU's -C DIR.
  sw({
    letter: "H",
    long: ["md5-hash"],
    arg: "none",
    field: "hash",
    initial: noHashing,
    apply: (v) => ({ ...v, on: true }),
    makeflags: { write: "letter", letterWhen: (v) => v.on },
    build: (v, o) => void (v.on && (o.signal = contentHashes(v))),
    help: "Use content digests (MD5, as biomake records them) instead of timestamps (biomake).",
    from: "biomake",
  }),
  sw({
    letter: "M",
    long: ["no-md5-timestamp"],
    arg: "none",
    field: "hash",
    initial: noHashing,
    apply: (v) => ({ ...v, noTimestamp: true }),
    makeflags: { write: "letter", letterWhen: (v) => v.noTimestamp },
    help: "With -H: trust a record even when it is older than its file (biomake).",
    from: "biomake",
  }),
  sw({
    long: ["no-md5-cache"],
    arg: "none",
    field: "hash",
    initial: noHashing,
    apply: (v) => ({ ...v, noCache: true }),
    makeflags: { write: (v) => (v.noCache ? ["--no-md5-cache"] : []) },
    help: "With -H: compute every digest again, trusting no record or cache (biomake's -C; tmake's -C is GNU's -C DIR).",
    from: "biomake",
  }),
  sw({
    long: ["hash-algo"],
    arg: "required",
    argName: "ALGO",
    field: "hash",
    initial: noHashing,
    apply: (v, a) => ({ ...v, on: true, algorithm: hashAlgorithm(a) }),
    makeflags: { write: (v) => (v.algorithm !== "md5" ? [`--hash-algo=${v.algorithm}`] : []) },
    help: "The digest of -H and --checksum: md5 (biomake's records, the default) or blake3 (faster; tmake's own records). Turns -H on.",
    from: "biomake",
  }),
  sw({
    long: ["checksum"],
    arg: "none",
    ...on("checksum"),
    help: "Print the digests of the FILEs named, as md5sum (or b3sum, with --hash-algo blake3) does, and build nothing.",
    from: "biomake",
  }),
  notYet("y", ["sync", "sync-dir"], "-y", "sync with a remote directory"),
  notYet(undefined, ["sync-exec"], "--sync-exec", "sync with a remote directory"),
];

export type AnySwitch = (typeof switches)[number];
