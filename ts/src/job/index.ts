// The job stage: echo and run one target's recipe the way GNU Make does.
//
//  - Each command is echoed just before it runs, unless it has `@`, or -s / .SILENT apply;
//    under -n every command is echoed (even `@` ones) and only `+` lines and lines that use
//    $(MAKE) run.
//  - A failing command ends the recipe with `make: *** [FILE:LINE: target] Error N` (the
//    failing line's location), or is reported `(ignored)` under `-` / -i / .IGNORE.
//  - A recipe killed by a signal, or any failed recipe under .DELETE_ON_ERROR, leaves no
//    target it modified (see targets.ts).
//  - An interrupt kills the running command, deletes a half-written target, and tmake dies of
//    the same signal (see interrupt.ts).
import { programName } from "../errors.js";
import { directArgv, directPathAllowed, simpleWords } from "./direct.js";
import { runCommand, type CommandEnd } from "./exec.js";
import {
  isInterruptSignal,
  dieIfIdle,
  finishInterrupted,
  installInterruptHandlers,
  pendingSignal,
  registerJob,
  unregisterJob,
  type ActiveJob,
} from "./interrupt.js";
import { ChildTargets } from "./targets.js";
import { printErr, printOut } from "../output.js";
import { printJobFailure } from "./output.js";
import { currentJobserver } from "./jobserver.js";
import { outputSyncMode, SyncOutput } from "./output-sync.js";
import { isEmptyCommand, isPosixShell, oneShellScript, splitPrefixes, type LineFlags } from "./prefixes.js";
import { describeSignal } from "./signals.js";
import type { JobResult, JobSpec } from "./types.js";
import type { Loc } from "../errors.js";

export type { JobResult, JobSpec, RecipeCommand } from "./types.js";
export { describeSignal } from "./signals.js";
export { onInterrupt } from "./interrupt.js";

/** One shell invocation: a recipe line, or the whole recipe under .ONESHELL. */
interface Step {
  body: string;
  flags: LineFlags;
  /** Uses $(MAKE): runs even under -n. */
  recursive: boolean;
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

function stepsOf(spec: JobSpec): Step[] {
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

function argvFor(body: string, spec: JobSpec): string[] {
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

/** "Error 2", "Killed", ... as GNU words a failure. */
function describeEnd(end: CommandEnd): string {
  if (end.signal) return describeSignal(end.signal);
  return `Error ${end.startError !== undefined ? 127 : end.status}`;
}

function failed(end: CommandEnd): boolean {
  return end.startError !== undefined || end.signal !== undefined || end.status !== 0;
}

/** Whether the recipe runs nothing GNU would start a process for: every command is empty or
 * `:` for a POSIX shell (GNU's "optimize an empty command"). Under -j such a recipe is done at
 * once, before the walk goes on. */
export function startsNoProcess(spec: JobSpec): boolean {
  const posix = directPathAllowed(spec.shell, spec.shellFlags);
  return stepsOf(spec).every((s) => isEmptyCommand(s.body) || (posix && s.body.trim() === ":"));
}

/** Never settles: the process is about to die of the pending signal. */
const forever = new Promise<never>(() => {});

/** Echoes and runs the recipe described by `spec`. Resolves once it is done; a failure has
 * already been reported on stderr when the result says `ok: false`. */
export async function runJob(spec: JobSpec): Promise<JobResult> {
  installInterruptHandlers();
  const job: ActiveJob = { targets: new ChildTargets(spec) };
  registerJob(job);
  // --output-sync: this job's output is held and printed in one piece (output-sync.ts).
  const syncMode = outputSyncMode();
  const sync = syncMode !== "none" ? new SyncOutput() : undefined;
  /** The command in progress (or the last one) has its output held. */
  let held = false;
  const say = (line: string): void => (held ? sync!.write(false, `${line}\n`) : printOut(line));
  const complain = (line: string): void => (held ? sync!.write(true, `${line}\n`) : printErr(line));
  try {
    for (const step of stepsOf(spec)) {
      if (pendingSignal()) {
        finishInterrupted(job);
        dieIfIdle();
        return forever;
      }
      if (isEmptyCommand(step.body)) continue; // GNU skips commands that are empty after prefixes
      // A recursive line ($(MAKE) or `+`) gets the jobserver, and its output is not held
      // (the sub-make holds its own) unless the type is `recurse`.
      const recursive = step.recursive || step.flags.force;
      held = sync !== undefined && (syncMode === "recurse" || !recursive);
      if (sync !== undefined && !held) sync.dump();
      if (spec.dryRun || spec.trace || !(step.flags.silent || spec.silent)) say(step.body);
      if (spec.dryRun && !step.flags.force && !step.recursive) continue;

      job.targets.noteStart();
      const argv = argvFor(step.body, spec);
      const fds = held ? sync!.childFds() : undefined;
      const server = recursive ? currentJobserver() : undefined;
      const end = await runCommand(
        argv,
        spec.env,
        spec.cwd,
        (child) => {
          job.child = child;
        },
        { out: fds?.[0], err: fds?.[1], extra: server?.childFds },
      );
      job.child = undefined;
      if (end.startError !== undefined) complain(`${programName}: ${argv[0]}: ${end.startError}`);
      if (end.signal && isInterruptSignal(end.signal) && !pendingSignal()) {
        // A Ctrl-C reaches the recipe and tmake together; Node may report the recipe's death
        // before it runs tmake's own handler. Let that handler run before deciding whether
        // tmake is being interrupted or only the recipe was killed.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            job.wake = undefined;
            resolve();
          }, 50);
          job.wake = () => {
            clearTimeout(timer);
            job.wake = undefined;
            resolve();
          };
        });
      }

      if (pendingSignal()) {
        finishInterrupted(job);
        if (failed(end)) printJobFailure(step.loc, spec.target, describeEnd(end), false, complain);
        sync?.close();
        dieIfIdle();
        return forever;
      }
      if (!failed(end)) {
        if (syncMode === "line") sync?.dump();
        continue;
      }
      if (step.flags.ignoreErrors || spec.ignoreErrors) {
        if (!spec.runSilent) {
          spec.beforeFailure?.();
          printJobFailure(step.loc, spec.target, describeEnd(end), true, complain);
        }
        if (syncMode === "line") sync?.dump();
        continue;
      }
      if (!spec.dontCare) {
        spec.beforeFailure?.();
        printJobFailure(step.loc, spec.target, describeEnd(end), false, complain);
      }
      // GNU's reap_children: a recipe that died of a signal, or failed under
      // .DELETE_ON_ERROR, leaves none of the files it changed.
      if (end.signal !== undefined || spec.deleteOnError) job.targets.deleteChanged();
      return end.signal !== undefined
        ? { ok: false, signal: end.signal }
        : { ok: false, status: end.startError !== undefined ? 127 : end.status };
    }
    return { ok: true };
  } finally {
    sync?.close();
    unregisterJob(job);
  }
}
