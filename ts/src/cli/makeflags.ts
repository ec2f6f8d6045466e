// MAKEFLAGS, both ways, from the switch table (switches.ts). GNU Make puts the switches that a
// recursive make should inherit in MAKEFLAGS (GNU's define_makeflags: single letters first,
// then the other switches, then `-- VAR=value ...` for command-line variables), and every make
// reads MAKEFLAGS from its environment before its own command line (decode_env_switches).
//   make -ks X=1 -I inc   ->   "ks -Iinc -- X=1"
import type { CommandLine, CommandLineAssignment } from "./state.js";
import { decodeSwitches } from "./getopt.js";
import { dollars, escapeWord, switches, type Switch, type WriteContext } from "./switches.js";

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
  return [...final].reverse().map(([name, { op, value }]) => dollars(`${escapeWord(name)}${op}${escapeWord(value)}`, times));
}

/** GNU's `-*-command-variables-*-`: the command-line variables as a sub-make gets them, the
 * value MAKEOVERRIDES refers to (a simple variable, so each `$` is doubled once); empty when
 * there are none. */
export function commandVariablesText(vars: CommandLineAssignment[]): string {
  return overrides(vars, 2).join(" ");
}

/** Which MAKEFLAGS encodeMakeflags writes. */
export interface MakeflagsParts {
  /** Every switch (the default), or only those the makefiles see while they are read, GNU's
   * define_makeflags(0, 0): -I, -j, -l, -O, --debug and the jobserver come once they are read. */
  all?: boolean;
  /** For the sub-makes that run while the makefiles are remade (GNU's define_makeflags(1, 1)):
   * -n, -q and -t are left out, so that such a sub-make really makes the makefile. */
  remakingMakefiles?: boolean;
  /** `-- VAR=value ...` written out (the default), or left to the caller, who refers to
   * $(MAKEOVERRIDES) once the makefiles are read, as GNU does. */
  variables?: boolean;
}

/** The value of MAKEFLAGS (a recursive variable) for this command line. */
export function encodeMakeflags(cl: CommandLine, makelevel: number, parts: MakeflagsParts = {}): string {
  const all = parts.all ?? true;
  const context: WriteContext = { printsDirectory: printsDirectory(cl, makelevel) };
  const fields = cl as unknown as Record<string, unknown>;
  let letters = "";
  const lettered: string[] = [];
  const longOnly: string[] = [];
  const last: string[] = [];
  for (const sw of switches as readonly Switch[]) {
    const mf = sw.makeflags;
    if (mf?.write === undefined) continue;
    if ((mf.onceRead && !all) || (mf.notWhileRemaking && parts.remakingMakefiles)) continue;
    const v = fields[sw.field];
    if (mf.write === "letter") {
      if (mf.letterWhen ? mf.letterWhen(v, context) : v === true) letters += sw.letter;
      continue;
    }
    const words = mf.write(v, context);
    if (mf.last) last.push(...words);
    else (sw.letter !== undefined ? lettered : longOnly).push(...words);
  }
  const vars = parts.variables === false ? [] : overrides(cl.variables, 4);
  // As GNU's: with no letters the value starts with a blank (" -Onone").
  return [letters, ...lettered, ...longOnly, ...last, ...(vars.length ? ["--", ...vars] : [])].join(" ");
}

/** Applies a MAKEFLAGS value, as expanded (from the environment, or as a makefile set it), to
 * `cl`. Lenient like GNU: anything it does not understand is skipped. `parseAssignment` decides
 * which of the other words are variables; their `$$` are undone first. */
export function applyMakeflags(value: string, cl: CommandLine, parseAssignment: (word: string) => CommandLineAssignment | undefined): void {
  const words = splitEscaped(value);
  if (words.length === 0) return;
  // The first word is a cluster of letters when it has neither a dash nor an `=`.
  if (!words[0]!.startsWith("-") && !words[0]!.includes("=")) words[0] = `-${words[0]}`;
  decodeSwitches(words, cl, {
    fromEnv: true,
    operand: (word) => {
      const a = parseAssignment(word.replace(/\$\$/g, "$"));
      if (a) cl.variables.push(a);
    },
  });
}
