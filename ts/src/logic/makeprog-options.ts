// What the command line says about Makeprogs: biomake's -p/--prog/--makeprog FILE,
// -P/--eval-prolog/--makeprog-syntax STRING and -T/--translate/--save-prolog FILE.
//
// Kept beside the CLI's CommandLine (keyed by it) rather than in it, so the options can be
// applied in command-line order like every other option while this stage owns its settings.
import type { CommandLine } from "../cli/state.js";

export interface MakeprogOptions {
  /** -p FILE, in order (biomake reads the first). */
  makeprogs: string[];
  /** -P STRING, in order. */
  prologStrings: string[];
  /** -T FILE: write the makefiles read, translated to Makeprog syntax, to FILE. */
  translate?: string;
}

const table = new WeakMap<CommandLine, MakeprogOptions>();

/** The Makeprog settings of a command line (created empty on first use). */
export function makeprogOptions(cl: CommandLine): MakeprogOptions {
  let o = table.get(cl);
  if (o === undefined) table.set(cl, (o = { makeprogs: [], prologStrings: [] }));
  return o;
}
