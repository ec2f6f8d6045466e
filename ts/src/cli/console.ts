// The console options of the command line, as the journal's console takes them.
import type { Journal } from "../journal/journal.js";
import type { ConsoleRequest } from "../journal/console.js";
import type { Database } from "../read/database.js";
import { parseAssignment } from "./assignments.js";
import { decodeSwitches } from "./getopt.js";
import { rerunTriggers } from "./journal.js";
import { emptyCommandLine, type CommandLine } from "./state.js";
import type { Switch } from "./switches.js";

/** The console command a command line asks for (the first of them in this order wins), with its
 * words: the goals the line names. `argv` is the command line's words, from which the console's
 * `make` takes its options (makeArguments). */
export function consoleRequest(cl: CommandLine, db: Database, journal: Journal | undefined, makeCommand: string, argv: readonly string[]): ConsoleRequest {
  const command = cl.consoleShell
    ? "console"
    : cl.consoleExplain
      ? "explain"
      : cl.consoleLog
        ? "log"
        : cl.consoleFailed
          ? "failed"
          : cl.consoleStats
            ? "stats"
            : cl.consoleClean
              ? "clean"
              : "status";
  return { command, words: [...cl.goals], json: cl.consoleJson, journal, triggers: rerunTriggers(cl, db), makeCommand, makeArgs: makeArguments(argv) };
}

/** The console's own switches (and --select, whose selection the console's `make` replaces). */
const CONSOLE_FIELDS = new Set([
  "consoleStatus",
  "consoleExplain",
  "consoleFailed",
  "consoleLog",
  "consoleStats",
  "consoleClean",
  "consoleShell",
  "consoleJson",
  "selections",
]);

/** The words the console's `make` runs tmake with: the console's command line without its
 * console switches and its goals (the selection takes their place), so the build gets the
 * same options, makefiles and variables (-j, -k, -H, --hash-algo, -f, VAR=value, ...), as
 * compmake's `make` uses the session's settings. The build runs in the directory the console
 * ended up in: the -C switches are left out, and `-C .` stands for them (it keeps what -C
 * implies: the "Entering directory" lines). */
export function makeArguments(argv: readonly string[]): string[] {
  const switchesAt = new Map<number, { sw: Switch; last: number }[]>();
  const operands = new Map<number, string>();
  decodeSwitches(argv, emptyCommandLine(), {
    fromEnv: false,
    operand: (word, index) => void operands.set(index, word),
    placed: (sw, first, last) => void switchesAt.set(first, [...(switchesAt.get(first) ?? []), { sw, last }]),
  });
  const out: string[] = [];
  let changesDirectory = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const operand = operands.get(i);
    if (operand !== undefined) {
      // VAR=value stays; a goal or a selection word goes.
      if (parseAssignment(operand)) out.push(word);
      continue;
    }
    if (word === "--" && !switchesAt.has(i)) continue;
    const met = switchesAt.get(i) ?? [];
    const last = Math.max(i, ...met.map((m) => m.last));
    const kept = met.filter((m) => !CONSOLE_FIELDS.has(m.sw.field) && m.sw.field !== "directories");
    if (met.some((m) => m.sw.field === "directories")) changesDirectory = true;
    if (kept.length === met.length) out.push(...argv.slice(i, last + 1));
    else if (kept.length > 0) {
      // A bundle of letters that ends with -C (which takes the rest as its directory): the
      // letters before it.
      const letters = kept.map((m) => m.sw.letter).join("");
      out.push(`-${letters}`);
    }
    i = last;
  }
  return changesDirectory ? ["-C", ".", ...out] : out;
}
