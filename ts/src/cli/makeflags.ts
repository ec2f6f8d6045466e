// MAKEFLAGS, both ways. GNU Make puts the flags that a recursive make should inherit in
// MAKEFLAGS (single letters first, then long forms, then `-- VAR=value ...` for command-line
// variables), and every make reads MAKEFLAGS from its environment before its own command line.
//   make -ks X=1 -I inc   ->   "ks -Iinc -- X=1"
import type { CommandLine, CommandLineAssignment } from "./state.js";

/** Backslash-escapes what would split a word (GNU's quoting in MAKEFLAGS). */
function escape(text: string): string {
  return text.replace(/[\\ \t]/g, (c) => `\\${c}`);
}

/** MAKEFLAGS is a recursive variable: what it holds is expanded once more when used. GNU
 * writes `$` in -I directories as `$$` (so the expansion shows `$`), and in --eval strings
 * and variable values as `$$$$` (so the expansion shows `$$`, which the make that reads
 * MAKEFLAGS turns back into `$`). */
const dollars = (text: string, times: 2 | 4): string => text.replace(/\$/g, () => "$".repeat(times));

/** Undoes the `$$` of an --eval string or variable value read back from MAKEFLAGS. */
const undouble = (text: string): string => text.replace(/\$\$/g, "$");

/** Splits on unescaped blanks, removing the escapes. */
export function splitEscaped(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      word = (word ?? "") + text[++i];
    } else if (c === " " || c === "\t" || c === "\n") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Whether directories are announced ("Entering directory ..."): -w, or implicitly with -C or
 * in a recursive make unless -s; never with --no-print-directory. */
export function printsDirectory(cl: CommandLine, makelevel: number): boolean {
  if (cl.noPrintDirectory) return false;
  return cl.printDirectory || ((cl.directories.length > 0 || makelevel > 0) && !cl.silent);
}

/** Each command-line variable once, with its final value, newest first as GNU lists them;
 * every `$` is written `times` times. */
function overrides(vars: CommandLineAssignment[], times: 2 | 4): string[] {
  const final = new Map<string, { op: string; value: string }>();
  for (const v of vars) {
    const prev = final.get(v.name);
    if (v.op === "+=") final.set(v.name, { op: prev?.op ?? "=", value: prev ? `${prev.value} ${v.value}` : v.value });
    else if (v.op === "?=") {
      if (!prev) final.set(v.name, { op: "=", value: v.value });
    } else {
      final.delete(v.name); // re-insert so that the order follows the last definition
      final.set(v.name, { op: v.op === ":=" || v.op === "::=" || v.op === ":::=" ? ":=" : "=", value: v.value });
    }
  }
  return [...final].reverse().map(([name, { op, value }]) => dollars(`${escape(name)}${op}${escape(value)}`, times));
}

/** GNU's `-*-command-variables-*-`: the command-line variables as a sub-make gets them, the
 * value MAKEOVERRIDES refers to (a simple variable, so each `$` is doubled once); empty when
 * there are none. */
export function commandVariablesText(vars: CommandLineAssignment[]): string {
  return overrides(vars, 2).join(" ");
}

/** What encodeMakeflags writes besides the single-letter flags. */
export interface MakeflagsParts {
  /** -I, -j and --debug (GNU leaves them out while the makefiles are read). Default true. */
  all?: boolean;
  /** `-- VAR=value ...` written out (the default), or left to the caller, who refers to
   * $(MAKEOVERRIDES) once the makefiles are read, as GNU does. */
  variables?: boolean;
}

/** The value of MAKEFLAGS (a recursive variable) for this command line.
 * biomake's -N (no dependencies) is left out on purpose: it is about the goals named on this
 * command line, and a sub-make that a goal's recipe starts is that recipe's own work, which
 * should make its goals whole. biomake does not hand -N on either, and GNU has no -N; a
 * recipe that wants it can say `$(MAKE) -N ...`. */
export function encodeMakeflags(cl: CommandLine, makelevel: number, parts: MakeflagsParts = {}): string {
  const all = parts.all ?? true;
  const letters = [
    cl.alwaysMake && "B",
    cl.debugAll && "d",
    cl.environmentOverrides && "e",
    cl.ignoreErrors && "i",
    cl.keepGoing && "k",
    cl.checkSymlinks && "L",
    cl.dryRun && "n",
    cl.question && "q",
    cl.noBuiltinRules && "r",
    cl.noBuiltinVariables && "R",
    cl.silent && "s",
    cl.touch && "t",
    printsDirectory(cl, makelevel) && "w",
  ]
    .filter(Boolean)
    .join("");
  const words: string[] = [];
  if (all) {
    for (const dir of cl.includeDirs) words.push(dollars(`-I${escape(dir)}`, 2));
    if (cl.jobs !== undefined) words.push(cl.jobs === "unlimited" ? "-j" : `-j${cl.jobs}`);
    if (cl.loadAverage !== undefined) words.push(`-l${cl.loadAverage}`);
    if (cl.outputSync !== undefined) words.push(`-O${cl.outputSync}`);
    for (const d of cl.debug) words.push(`--debug=${escape(d)}`);
    if (cl.jobserverAuth !== undefined) words.push(`--jobserver-auth=${cl.jobserverAuth}`);
  }
  if (cl.trace) words.push("--trace");
  if (cl.noPrintDirectory) words.push("--no-print-directory");
  if (cl.warnUndefinedVariables) words.push("--warn-undefined-variables");
  for (const e of cl.evalStrings) words.push(dollars(`--eval=${escape(e)}`, 4));
  const vars = parts.variables === false ? [] : overrides(cl.variables, 4);
  if (vars.length) words.push("--", ...vars);
  return [letters, ...words].join(" ");
}

/** What each MAKEFLAGS letter means; letters tmake does not know are ignored, as GNU does. */
const letterFlags: Record<string, (cl: CommandLine) => void> = {
  B: (c) => void (c.alwaysMake = true),
  d: (c) => void (c.debugAll = true),
  e: (c) => void (c.environmentOverrides = true),
  i: (c) => void (c.ignoreErrors = true),
  k: (c) => void (c.keepGoing = true),
  L: (c) => void (c.checkSymlinks = true),
  n: (c) => void (c.dryRun = true),
  q: (c) => void (c.question = true),
  r: (c) => void (c.noBuiltinRules = true),
  R: (c) => void (c.noBuiltinVariables = true),
  s: (c) => void (c.silent = true),
  S: (c) => void (c.keepGoing = false),
  t: (c) => void (c.touch = true),
  w: (c) => void (c.printDirectory = true),
};

/** Letters that take an argument: attached, or the next word when `required`. */
const letterArgs: Record<string, "required" | "optional"> = {
  C: "required", f: "required", I: "required", o: "required", W: "required", E: "required",
  j: "optional", l: "optional", O: "optional",
};

/** Applies the single-dash word words[i] (flags, or one option and its argument); returns the
 * index of the last word used. Of the options with arguments only -I and -j matter here. */
function applyShortOptions(words: string[], i: number, cl: CommandLine): number {
  const w = words[i]!;
  for (let k = 1; k < w.length; k++) {
    const c = w[k]!;
    const kind = letterArgs[c];
    if (!kind) {
      letterFlags[c]?.(cl);
      continue;
    }
    let arg = w.slice(k + 1);
    if (arg === "" && kind === "required") arg = words[++i] ?? "";
    if (c === "I" && arg !== "") cl.includeDirs.push(arg);
    if (c === "j") {
      if (arg === "") cl.jobs = "unlimited";
      else if (/^\d+$/.test(arg) && Number(arg) > 0) cl.jobs = Number(arg);
    }
    if (c === "l") cl.loadAverage = arg === "" ? undefined : parseFloat(arg) || 0;
    if (c === "O" && ["none", "line", "target", "recurse"].includes(arg || "target")) cl.outputSync = (arg || "target") as CommandLine["outputSync"];
    break;
  }
  return i;
}

/** Applies a MAKEFLAGS value, as expanded (from the environment, or as a makefile set it), to `cl`.
 * Lenient like GNU: anything it does not understand is skipped. `parseAssignment` decides
 * which words after `--` (or containing `=`) are variables. */
export function applyMakeflags(
  value: string,
  cl: CommandLine,
  parseAssignment: (word: string) => CommandLineAssignment | undefined,
): void {
  const words = splitEscaped(value);
  if (words.length === 0) return;
  let i = 0;
  // The first word is a cluster of letters when it has neither a dash nor an `=`.
  if (!words[0]!.startsWith("-") && !words[0]!.includes("=")) {
    for (const c of words[0]!) letterFlags[c]?.(cl);
    i = 1;
  }
  let variables = false;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (variables || (!w.startsWith("-") && w.includes("="))) {
      const a = parseAssignment(undouble(w));
      if (a) cl.variables.push(a);
      continue;
    }
    if (w === "--") variables = true;
    else if (w.startsWith("--")) {
      const [name, ...rest] = w.slice(2).split("=");
      const arg = rest.join("=");
      if (name === "debug") cl.debug.push(...(arg === "" ? ["basic"] : arg.split(",").filter(Boolean)));
      else if (name === "no-print-directory") cl.noPrintDirectory = true;
      else if ((name === "jobserver-auth" || name === "jobserver-fds") && arg !== "") cl.jobserverAuth = arg;
      else if (name === "trace") cl.trace = true;
      else if (name === "warn-undefined-variables") cl.warnUndefinedVariables = true;
      else if (name === "print-directory") cl.printDirectory = true;
      else if (name === "eval" && rest.length) cl.evalStrings.push(undouble(arg));
      else if (name === "no-silent") cl.silent = false;
      else if (name === "keep-going") cl.keepGoing = true;
      else if (name === "silent" || name === "quiet") cl.silent = true;
    } else if (w.startsWith("-")) {
      i = applyShortOptions(words, i, cl);
    }
  }
}
