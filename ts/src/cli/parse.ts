// Parses tmake's command line into a CommandLine: argv.ts puts GNU's syntax into canonical
// form, commander dispatches each option (in order) to its definition, and the remaining
// words are goals or variable assignments.
import { Command, CommanderError, Option } from "commander";
import { DEFINE_MARK, MARK, TARGET_MARK, normaliseArgv, optionTable } from "./argv.js";
import { parseAssignment } from "./assignments.js";
import { UsageError, defineVariable, optionDefs, type OptionDef } from "./options.js";
import type { CommandLine } from "./state.js";

function flagsOf(def: OptionDef): string {
  const long = def.long[0] !== undefined ? `--${def.long[0]}` : undefined;
  const names = [def.short ? `-${def.short}` : undefined, long].filter(Boolean).join(", ");
  switch (def.arg) {
    case "none":
    case "pair": // never reaches commander (argv.ts turns it into a marked operand)
      return names;
    case "required":
      return `${names} <${def.argName ?? "value"}>`;
    default:
      return `${names} [${def.argName ?? "value"}]`;
  }
}

/** The commander program for `defs`, applying options to `cl` as they are met. */
function program(defs: OptionDef[], cl: CommandLine): Command {
  const cmd = new Command("tmake")
    .usage("[options] [target] ...")
    .helpOption(false)
    .allowExcessArguments(true)
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const def of defs) {
    const opt = new Option(flagsOf(def), describe(def));
    if (def.help === undefined) opt.hideHelp();
    cmd.addOption(opt);
    cmd.on(`option:${opt.name()}`, (value: string | undefined) => def.apply(cl, value ?? ""));
  }
  return cmd;
}

function describe(def: OptionDef): string {
  const aliases = def.long.slice(1).map((l) => `--${l}`);
  return aliases.length ? `${def.help ?? ""} (also ${aliases.join(", ")})` : def.help ?? "";
}

/** Help text in GNU's shape: usage line, then the options. */
export function helpText(): string {
  const cl = {} as CommandLine;
  return program(optionDefs, cl).helpInformation();
}

/** Applies the command-line words to `cl` (which may already hold MAKEFLAGS settings). */
export function parseCommandLine(args: string[], cl: CommandLine): void {
  const table = optionTable(optionDefs);
  const words = normaliseArgv(args, table);
  const cmd = program(optionDefs, cl);
  try {
    cmd.parse(words, { from: "user" });
  } catch (e) {
    // argv.ts already rejected everything GNU rejects; commander should never complain.
    if (e instanceof CommanderError) throw new UsageError(e.message.replace(/^error: /, ""));
    throw e;
  }
  for (const word of cmd.args) {
    if (word.startsWith(DEFINE_MARK)) {
      const [name, value] = word.slice(DEFINE_MARK.length).split(MARK) as [string, string];
      defineVariable(cl, name, value);
    } else if (word.startsWith(TARGET_MARK)) {
      cl.goals.push(word.slice(TARGET_MARK.length));
    } else if (word === "-") {
      continue; // GNU ignores a lone "-" among the goals
    } else {
      const assignment = parseAssignment(word);
      if (assignment) cl.variables.push(assignment);
      else cl.goals.push(word);
    }
  }
}
