// A prepared recipe turned into the shell invocations GNU Make would start (the parts of GNU's
// new_job and start_job_command that decide what runs): one step per command, or one for the
// whole recipe under .ONESHELL; each with its prefixes (`@`, `-`, `+`), the location GNU
// prints when it fails, and the argument vector (the shell, or the program itself when GNU
// would skip the shell). Every job runner runs these steps, so they all run what GNU runs: the
// local runner one process per step, a batch runner all of them from one script.
import type { Loc } from "../messages.js";
import { directArgv, directPathAllowed, simpleWords } from "./direct.js";
import { isEmptyCommand, isPosixShell, oneShellScript, splitPrefixes, type LineFlags } from "./prefixes.js";
import type { JobSpec } from "./types.js";

/** One shell invocation: a recipe line, or the whole recipe under .ONESHELL. */
export interface Step {
  /** The command after its prefixes, as echoed. */
  body: string;
  flags: LineFlags;
  /** Uses $(MAKE): runs even under -n. */
  recursive: boolean;
  /** What GNU prints in `[Makefile:3: t] Error 1` for this step. */
  loc: Loc;
}

/** The location GNU prints for each command: the first recipe line's number plus the index of
 * the recipe line the command came from. GNU counts recipe lines, not physical lines, so after
 * a continued line (or a comment between recipe lines) its numbers lag behind the file; tmake
 * prints the same. Commands split from one recipe line share its location. */
function gnuLocations(spec: JobSpec): Loc[] {
  const first = spec.commands[0]?.loc ?? spec.loc;
  let index = -1;
  let previous: Loc | undefined;
  return spec.commands.map((c) => {
    if (!previous || c.loc.line !== previous.line || c.loc.file !== previous.file) index++;
    previous = c.loc;
    return { file: c.loc.file, line: first.line > 0 ? first.line + index : c.loc.line };
  });
}

/** The steps of a recipe, in order. */
export function stepsOf(spec: JobSpec): Step[] {
  if (spec.oneShell) {
    if (spec.commands.length === 0) return [];
    const { flags, script } = oneShellScript(
      spec.commands.map((c) => c.text),
      isPosixShell(spec.shell),
    );
    return [{ body: script, flags, recursive: spec.recursiveLines.size > 0, loc: spec.commands[0]!.loc }];
  }
  const locs = gnuLocations(spec);
  return spec.commands.map((c, i) => {
    const { flags, body } = splitPrefixes(c.text);
    return { body, flags, recursive: spec.recursiveLines.has(i), loc: locs[i]! };
  });
}

/** The argument vector that runs one step: the program's own words when GNU would not start a
 * shell for it, else SHELL, .SHELLFLAGS and the command. */
export function argvFor(body: string, spec: JobSpec): string[] {
  if (!spec.oneShell && directPathAllowed(spec.shell, spec.shellFlags)) {
    const argv = directArgv(body);
    if (argv) return argv;
  }
  // GNU joins SHELL, .SHELLFLAGS and the line and splits that as the shell would: quotes in
  // .SHELLFLAGS are removed.
  const flags = simpleWords(spec.shellFlags) ?? spec.shellFlags.split(/[ \t\n]+/).filter(Boolean);
  // GNU splits SHELL into words too: SHELL = /bin/sh -x works.
  return [...spec.shell.split(/[ \t\n]+/).filter(Boolean), ...flags, body];
}

/** Whether the step is echoed: always under -n and --trace, else unless `@`, -s or .SILENT. */
export function echoes(step: Step, spec: JobSpec): boolean {
  return spec.dryRun || spec.trace === true || !(step.flags.silent || spec.silent);
}

/** Whether the step starts a process: it is not empty after its prefixes (GNU skips those),
 * and under -n and -q only `+` lines and lines that use $(MAKE) run. */
export function runs(step: Step, spec: JobSpec): boolean {
  if (isEmptyCommand(step.body)) return false;
  return !(spec.dryRun || spec.question === true) || step.flags.force || step.recursive;
}

/** -q: the step ends the recipe before it is echoed, with the answer "not up to date" (GNU's
 * start_job_command): it would start a process and is not a recursive line. */
export function answersQuestion(step: Step, spec: JobSpec): boolean {
  return spec.question === true && !step.flags.force && !step.recursive && !isEmptyCommand(step.body);
}

/** Whether a failure of the step is ignored (`-`, -i, .IGNORE): reported `(ignored)`, and the
 * recipe goes on. */
export function ignoresErrors(step: Step, spec: JobSpec): boolean {
  return step.flags.ignoreErrors || spec.ignoreErrors;
}

/** Whether the recipe runs nothing GNU would start a process for: every command is empty or
 * `:` for a POSIX shell (GNU's "optimize an empty command"). Under -j such a recipe is done at
 * once, before the walk goes on; no runner is asked. */
export function startsNoProcess(spec: JobSpec): boolean {
  const posix = directPathAllowed(spec.shell, spec.shellFlags);
  return stepsOf(spec).every((s) => isEmptyCommand(s.body) || (posix && s.body.trim() === ":"));
}
