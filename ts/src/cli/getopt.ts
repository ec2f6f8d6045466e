// GNU Make's decode_switches over the table in switches.ts: getopt_long's syntax (short
// switches bundled, `-fFILE`, `--file=FILE`, unambiguous abbreviations of long names, `--`
// ending the switches), GNU's optional numbers (`-j 4`, `-l 2.5`), and biomake's forms (`-D VAR
// VAL`, `--debug FLAGS`, `-p FILE`). The same parser reads the command line and MAKEFLAGS; from
// MAKEFLAGS (GNU's `env`) switches that MAKEFLAGS does not carry are skipped with their
// arguments, and nothing is an error.
import path from "node:path";
import { MakeError } from "../messages.js";
import type { CommandLine } from "./state.js";
import { UsageError, switches, type Switch } from "./switches.js";

interface Index {
  /** Switches by letter; a letter biomake shares with GNU has two (see claimsLetterWhen). */
  byLetter: Map<string, Switch[]>;
  byLong: Map<string, Switch>;
}

let index: Index | undefined;

function tableIndex(): Index {
  if (index !== undefined) return index;
  const byLetter = new Map<string, Switch[]>();
  const byLong = new Map<string, Switch>();
  for (const s of switches as readonly Switch[]) {
    if (s.letter !== undefined) byLetter.set(s.letter, [...(byLetter.get(s.letter) ?? []), s]);
    for (const l of s.long) byLong.set(l, s);
  }
  return (index = { byLetter, byLong });
}

/** The switch a long name (or an unambiguous abbreviation of one) names. */
function findLong(name: string): { sw: Switch; name: string } {
  const { byLong } = tableIndex();
  const exact = byLong.get(name);
  if (exact) return { sw: exact, name };
  const matches = [...byLong.keys()].filter((l) => l.startsWith(name));
  if (matches.length === 0) throw new UsageError(`unrecognized option '--${name}'`);
  if (new Set(matches.map((m) => byLong.get(m))).size > 1) {
    throw new UsageError(`option '--${name}' is ambiguous; possibilities:${matches.map((m) => ` '--${m}'`).join("")}`);
  }
  return { sw: byLong.get(matches[0]!)!, name: matches[0]! };
}

/** A word GNU takes as the value of -j or -l (getopt's optional argument in the next word). */
const isNumber = (s: string | undefined): s is string => s !== undefined && /^\d+(\.\d*)?$/.test(s);

export interface Decoding {
  /** The words come from MAKEFLAGS (GNU's env): lenient, and only what MAKEFLAGS carries. */
  fromEnv: boolean;
  /** Each word that is not a switch or a switch's argument, in order (goals and VAR=value),
   * with its index among the words. */
  operand(word: string, index: number): void;
  /** Each switch met, with the indexes of the first and last words it took (a bundle's
   * switches share a word; an argument may be the next word). */
  placed?(sw: Switch, first: number, last: number): void;
}

/** Applies switch `sw`, met with `arg`, to `cl`. */
function applySwitch(sw: Switch, arg: string, cl: CommandLine, how: Decoding): void {
  if (how.fromEnv) {
    if (sw.makeflags === undefined) return;
    if (sw.makeflags.decode) arg = sw.makeflags.decode(arg);
  }
  const fields = cl as unknown as Record<string, unknown>;
  try {
    const next = sw.apply(fields[sw.field], arg);
    if (sw.field !== "") fields[sw.field] = next;
  } catch (e) {
    // GNU ignores what it cannot use in MAKEFLAGS.
    if (how.fromEnv && (e instanceof UsageError || e instanceof MakeError)) return;
    throw e;
  }
}

/** The switch a letter names: biomake's when it claims the standalone word `-X` for the word
 * after it, else GNU's. */
function forLetter(c: string, standalone: boolean, next: string | undefined, cl: CommandLine, how: Decoding): Switch | undefined {
  const found = tableIndex().byLetter.get(c);
  if (found === undefined) return undefined;
  if (found.length === 1) return found[0];
  const claim = found.find((s) => s.claimsLetterWhen !== undefined);
  const cwd = path.resolve(process.cwd(), ...cl.directories);
  if (claim && standalone && !how.fromEnv && next !== undefined && claim.claimsLetterWhen!(next, cwd)) return claim;
  return found.find((s) => s.claimsLetterWhen === undefined);
}

/** Reads `words` (argv without the program, or MAKEFLAGS split into words) into `cl`. */
export function decodeSwitches(words: readonly string[], cl: CommandLine, how: Decoding): void {
  let i = 0;
  /** Where the word being read starts. */
  let start = 0;
  const next = (): string | undefined => (i < words.length ? words[i++] : undefined);
  const fail = (message: string): void => {
    if (!how.fromEnv) throw new UsageError(message);
  };
  const apply = (sw: Switch, arg: string): void => {
    applySwitch(sw, arg, cl, how);
    how.placed?.(sw, start, i - 1);
  };

  const takePair = (sw: Switch, first: string | undefined, shown: string): void => {
    const name = first ?? next();
    const val = next();
    if (name === undefined || val === undefined) return fail(`option '${shown}' requires two arguments (VAR VAL)`);
    apply(sw, `${name}\0${val}`);
  };

  const long = (word: string): void => {
    const eq = word.indexOf("=");
    const written = eq < 0 ? word.slice(2) : word.slice(2, eq);
    let found: { sw: Switch; name: string };
    try {
      found = findLong(written);
    } catch (e) {
      if (how.fromEnv && e instanceof UsageError) return;
      throw e;
    }
    const { sw, name } = found;
    const attached = eq < 0 ? undefined : word.slice(eq + 1);
    switch (sw.arg) {
      case "none":
        if (attached !== undefined) return fail(`option '--${name}' doesn't allow an argument`);
        return apply(sw, "");
      case "required": {
        const val = attached ?? next();
        if (val === undefined) return fail(`option '--${name}' requires an argument`);
        return apply(sw, val);
      }
      case "number":
        return apply(sw, attached ?? (isNumber(words[i]) ? next()! : ""));
      case "attached":
        return apply(sw, attached ?? "");
      case "optional":
        // GNU: --debug=FLAGS, a bare --debug meaning "basic"; biomake: --debug FLAGS.
        if (attached === "") return fail(`the '--${name}' option requires a non-empty string argument`);
        if (attached !== undefined) return apply(sw, attached);
        if (i < words.length && !words[i]!.startsWith("-")) return apply(sw, next()!);
        return apply(sw, "basic");
      case "pair":
        return takePair(sw, attached, `--${name}`);
    }
  };

  // A bundle of short switches, as GNU getopt reads it.
  const bundle = (word: string): void => {
    for (let k = 1; k < word.length; k++) {
      const c = word[k]!;
      const sw = forLetter(c, word.length === 2, words[i], cl, how);
      if (sw === undefined) {
        fail(`invalid option -- '${c}'`);
        continue;
      }
      const rest = word.slice(k + 1);
      switch (sw.arg) {
        case "none":
          apply(sw, "");
          continue;
        case "required": {
          const val = rest !== "" ? rest : next();
          if (val === undefined) return fail(`option requires an argument -- '${c}'`);
          return apply(sw, val);
        }
        case "attached":
          return apply(sw, rest);
        case "number":
        case "optional":
          return apply(sw, rest !== "" ? rest : isNumber(words[i]) ? next()! : "");
        case "pair":
          return takePair(sw, rest !== "" ? rest : undefined, `-${c}`);
      }
    }
  };

  while (i < words.length) {
    start = i;
    const word = words[i++]!;
    if (word === "--") {
      while (i < words.length) {
        how.operand(words[i]!, i);
        i++;
      }
      return;
    }
    if (word.startsWith("--")) long(word);
    else if (word.length > 1 && word.startsWith("-")) bundle(word);
    else how.operand(word, start);
  }
}
