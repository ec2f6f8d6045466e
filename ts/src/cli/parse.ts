// Parses tmake's command line into a CommandLine: the switches (getopt.ts over the table in
// switches.ts), in order, and the other words, which are goals or variable assignments.
import { parseAssignment } from "./assignments.js";
import { withoutDotSlash } from "../base/names.js";
import { decodeSwitches } from "./getopt.js";
import type { CommandLine } from "./state.js";

/** Applies the command-line words to `cl` (which may already hold MAKEFLAGS settings). */
export function parseCommandLine(args: string[], cl: CommandLine): void {
  decodeSwitches(args, cl, {
    fromEnv: false,
    operand: (word) => {
      if (word === "-") return; // GNU ignores a lone "-" among the goals
      const assignment = parseAssignment(word);
      if (assignment) cl.variables.push(assignment);
      // A goal is a file name without its leading `./` (GNU's expand_command_line_file).
      else cl.goals.push(withoutDotSlash(word));
    },
  });
}
