// GNU-style command-line syntax, rewritten into one canonical form that commander parses:
// every option becomes `--name` or `--name=value` (its first long name), short options bundled
// as in GNU getopt are split (`-Bk`, `-fMakefile`, `-kj4`), unambiguous abbreviations of long
// options are completed (`--dry` -> `--just-print`), and the two forms commander cannot
// express become marked operands: biomake's `-D VAR VAL` and `--target T`, whose place among
// the other words matters (later assignments win; goals keep their order).
import { UsageError, type OptionDef } from "./options.js";

/** Prefix of a marked operand; NUL cannot occur in a real argument. */
export const MARK = "\0";
export const DEFINE_MARK = `${MARK}define${MARK}`;
export const TARGET_MARK = `${MARK}target${MARK}`;

/** How the canonical form writes an option: its first long name, or its letter. */
export function canonicalFlag(def: OptionDef): string {
  return def.long[0] !== undefined ? `--${def.long[0]}` : `-${def.short}`;
}

function canonical(def: OptionDef, value?: string): string {
  if (value === undefined) return canonicalFlag(def);
  if (def.long[0] === undefined) throw new Error(`option -${def.short} needs a long name to carry a value`);
  return `${canonicalFlag(def)}=${value}`;
}

export interface OptionTable {
  byShort: Map<string, OptionDef>;
  byLong: Map<string, OptionDef>;
}

export function optionTable(defs: OptionDef[]): OptionTable {
  const byShort = new Map<string, OptionDef>();
  const byLong = new Map<string, OptionDef>();
  for (const d of defs) {
    if (d.short) byShort.set(d.short, d);
    for (const l of d.long) byLong.set(l, d);
  }
  return { byShort, byLong };
}

function findLong(table: OptionTable, name: string): { def: OptionDef; name: string } {
  const exact = table.byLong.get(name);
  if (exact) return { def: exact, name };
  const matches = [...table.byLong.keys()].filter((l) => l.startsWith(name));
  const defs = new Set(matches.map((m) => table.byLong.get(m)));
  if (matches.length === 0) throw new UsageError(`unrecognized option '--${name}'`);
  if (defs.size > 1) {
    throw new UsageError(`option '--${name}' is ambiguous; possibilities:${matches.map((m) => ` '--${m}'`).join("")}`);
  }
  return { def: table.byLong.get(matches[0]!)!, name: matches[0]! };
}

/** A word GNU takes as the value of -j or -l (getopt's optional argument in the next word). */
const isNumber = (s: string | undefined): s is string => s !== undefined && /^\d+(\.\d*)?$/.test(s);

/** Rewrites `args` (without node and the script) into the canonical form. */
export function normaliseArgv(args: string[], table: OptionTable): string[] {
  const out: string[] = [];
  let i = 0;
  const next = (): string | undefined => (i < args.length ? args[i++] : undefined);

  const takePair = (def: OptionDef, first: string | undefined, shown: string): void => {
    const name = first ?? next();
    const value = next();
    if (name === undefined || value === undefined) {
      throw new UsageError(`option '${shown}' requires two arguments (VAR VAL)`);
    }
    if (def.arg === "pair") out.push(`${DEFINE_MARK}${name}${MARK}${value}`);
  };

  while (i < args.length) {
    const arg = args[i++]!;
    if (arg === "--") {
      out.push("--", ...args.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const written = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const { def, name } = findLong(table, written);
      const attached = eq < 0 ? undefined : arg.slice(eq + 1);
      switch (def.arg) {
        case "none":
          if (attached !== undefined) throw new UsageError(`option '--${name}' doesn't allow an argument`);
          out.push(canonical(def));
          break;
        case "required": {
          const value = attached ?? next();
          if (value === undefined) throw new UsageError(`option '--${name}' requires an argument`);
          if (name === "target") out.push(`${TARGET_MARK}${value}`);
          else out.push(canonical(def, value));
          break;
        }
        case "jobs":
          if (attached !== undefined) out.push(canonical(def, attached));
          else out.push(canonical(def, isNumber(args[i]) ? next() : ""));
          break;
        case "attached":
          out.push(canonical(def, attached ?? ""));
          break;
        case "optional":
          // GNU: --debug=FLAGS, a bare --debug meaning "basic"; biomake: --debug FLAGS.
          if (attached === "") throw new UsageError(`the '--${name}' option requires a non-empty string argument`);
          if (attached !== undefined) out.push(canonical(def, attached));
          else if (i < args.length && !args[i]!.startsWith("-")) out.push(canonical(def, next()));
          else out.push(canonical(def, "basic"));
          break;
        case "pair":
          takePair(def, attached, `--${name}`);
          break;
      }
      continue;
    }
    if (arg.length > 1 && arg.startsWith("-")) {
      // A bundle of short options, as GNU getopt reads it.
      for (let k = 1; k < arg.length; k++) {
        const c = arg[k]!;
        const def = table.byShort.get(c);
        if (!def) throw new UsageError(`invalid option -- '${c}'`);
        const rest = arg.slice(k + 1);
        if (def.arg === "none") {
          out.push(canonical(def));
          continue;
        }
        if (def.arg === "required") {
          const value = rest !== "" ? rest : next();
          if (value === undefined) throw new UsageError(`option requires an argument -- '${c}'`);
          out.push(canonical(def, value));
        } else if (def.arg === "attached") {
          out.push(canonical(def, rest));
        } else if (def.arg === "jobs" || def.arg === "optional") {
          if (rest !== "") out.push(canonical(def, rest));
          else out.push(canonical(def, isNumber(args[i]) ? next() : ""));
        } else {
          takePair(def, rest !== "" ? rest : undefined, `-${c}`);
        }
        break;
      }
      continue;
    }
    out.push(arg);
  }
  return out;
}
