// The console options of the command line, as the journal's console takes them.
import type { ConsoleRequest } from "../journal/console.js";
import type { CommandLine } from "./state.js";

/** The console command a command line asks for (the first of the options given wins), with its
 * words: the goals the line names. */
export function consoleRequest(cl: CommandLine, argv: string[], makeCommand: string): ConsoleRequest {
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
  return { command, words: [...cl.goals], json: cl.consoleJson, argv, makeCommand };
}
