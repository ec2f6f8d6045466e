// The console options of the command line, as the journal's console takes them.
import type { Journal } from "../journal/journal.js";
import type { ConsoleRequest } from "../journal/console.js";
import type { Database } from "../read/database.js";
import { rerunTriggers } from "./journal.js";
import type { CommandLine } from "./state.js";

/** The console command a command line asks for (the first of them in this order wins), with its
 * words: the goals the line names. */
export function consoleRequest(cl: CommandLine, db: Database, journal: Journal | undefined, makeCommand: string): ConsoleRequest {
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
  // The console's `make` reads the same makefiles.
  const make = [makeCommand, ...cl.makefiles.flatMap((f) => ["-f", f])].join(" ");
  return { command, words: [...cl.goals], json: cl.consoleJson, journal, triggers: rerunTriggers(cl, db), makeCommand: make };
}
