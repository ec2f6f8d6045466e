// The interface between the remake stage (which decides that a target must be remade and
// expands its recipe) and the job stage (which echoes and runs the commands): the prepared
// recipe (JobSpec), how it ended (JobResult), and the job runner that takes one to the other
// (the seam where batch schedulers plug in: see docs/architecture.md, "Job runners").
import type { RunContext } from "../run-context.js";
import type { Loc } from "../messages.js";
import type { SlotLimits, Slots } from "./slots.js";
import type { RecipeOutput } from "./tails.js";

export type { RecipeOutput } from "./tails.js";

/** One command after expansion. GNU expands the whole recipe before the first line runs; a
 * recipe line whose expansion holds newlines becomes several commands (except inside
 * .ONESHELL), and each of them also gets the prefixes the unexpanded line started with (GNU
 * applies `@-+` written before `$(X)` to every line X expands to). `text` still carries its
 * leading `@`, `-`, `+` prefixes and its backslash-newlines (the reader has already removed the
 * recipe prefix that started each continued line, as GNU does). */
export interface RecipeCommand {
  text: string;
  /** The recipe line it came from, as read (commands split from one line share it). The job
   * prints GNU's numbering from these: first recipe line + index of the recipe line. */
  loc: Loc;
}

export interface JobSpec {
  /** The run the recipe belongs to: its messages, jobserver and output-sync settings. */
  run: RunContext;
  /** The target being made (for messages and for deleting a half-written file). */
  target: string;
  /** Where the rule's recipe starts, for `[Makefile:12: t] Error 1`. */
  loc: Loc;
  commands: RecipeCommand[];
  /** Environment for the shell (already computed from exported variables). */
  env: Record<string, string>;
  /** $(SHELL) and $(.SHELLFLAGS) as expanded for this target. */
  shell: string;
  shellFlags: string;
  /** .ONESHELL or --one-shell: the whole recipe goes to one shell invocation. */
  oneShell: boolean;
  /** -s, .SILENT (all, or this target). */
  silent: boolean;
  /** -s, or .SILENT without prerequisites (GNU's run_silent): an ignored error is not reported
   * either. */
  runSilent: boolean;
  /** -i, .IGNORE (all, or this target). */
  ignoreErrors: boolean;
  /** -n: echo, and run only `+` commands and commands containing $(MAKE). */
  dryRun: boolean;
  /** -q: only `+` lines and lines that use $(MAKE) run; the first other command that would
   * start a process ends the recipe, unechoed, with the answer "not up to date", and so does
   * a recursive command that exits with status 1 (GNU's MAKE_TROUBLE), silently. */
  question?: boolean;
  /** --trace: echo every command, `@` ones and under -s too (GNU's trace_flag). */
  trace?: boolean;
  /** A failure is not reported (GNU's dontcare: an optional makefile being remade). */
  dontCare?: boolean;
  /** Called just before a failure (or an ignored one) is reported: while the makefiles are
   * remade, GNU first says why the included makefile was wanted (show_goal_error). */
  beforeFailure?: () => void;
  /** Lines that reference $(MAKE)/${MAKE} (indexes into commands), which run even with -n. */
  recursiveLines: Set<number>;
  /** .DELETE_ON_ERROR is set: a failed recipe's targets are deleted as after a signal. */
  deleteOnError: boolean;
  /** The target is precious or phony: never deleted (after a signal, an error or an
   * interrupt). */
  keep: boolean;
  /** The other targets the recipe makes (a grouped rule's, or a multi-target pattern rule's),
   * in GNU's also_make order: the reverse of the rule's. They are deleted after the target. */
  alsoMake?: AlsoMade[];
  cwd: string;
  /** The prerequisites of the target (normal and order-only), for a runner that chains
   * recipes (JobRunner.chains): one whose recipe it holds in flight makes this recipe wait
   * for that one, through the scheduler's own dependencies. */
  prereqs?: string[];
  /** Per-rule queue settings (biomake's QsubArgs, QsubHeader, QsubHeaderFile: Prolog target
   * goal bindings or target- and pattern-specific variables), for a batch runner. */
  queue?: RuleQueueSettings;
  /** The recipe cannot be decided on before its prerequisites exist (a biomake deps goal
   * whose prerequisites are still in the queue): a batch runner runs tmake itself for the
   * target on the worker (`tmake -N target`) instead of the commands. */
  decideOnWorker?: boolean;
  /** Keep the last this many bytes of each of the job's streams, and hand them back in
   * JobResult.output (capture.ts says what the commands then write to); 0 or absent: the
   * commands write straight to tmake's output. */
  captureOutput?: number;
  /** Other recipes may run at the same time (-j): the output kept keeps the order between
   * them (capture.ts). */
  parallel?: boolean;
}

/** biomake's per-rule variables for the queue engines. */
export interface RuleQueueSettings {
  /** QsubArgs: more arguments for qsub/sbatch. */
  args: string;
  /** QsubHeader: lines for the job script's header. */
  header: string;
  /** QsubHeaderFile: a file whose text goes into the header. */
  headerFile: string;
}

/** Another target made by the same recipe. */
export interface AlsoMade {
  name: string;
  /** Precious or phony: never deleted. */
  keep: boolean;
  /** make has looked at its time (GNU's last_mtime is known): it is deleted only when the
   * recipe changed it. Otherwise it is deleted whenever it exists as a regular file. */
  known: boolean;
}

export interface JobResult {
  /** true when every command succeeded (or its failure was ignored). */
  ok: boolean;
  /** -q: the recipe ended with the answer "not up to date" (see JobSpec.question). */
  question?: boolean;
  /** Exit status of the failing command, when it failed by status (127: it could not start). */
  status?: number;
  /** Signal name when it was killed. */
  signal?: string;
  /** The command that failed (after its prefixes) and the location GNU printed for it. */
  failed?: { command: string; loc: Loc };
  /** Milliseconds from the first command's start to the end (absent when none started). */
  durationMs?: number;
  /** The files deleted because the recipe did not finish them (targets.ts). */
  deleted?: string[];
  /** A batch runner's job: how it ended when it did not end by a command's status (out of
   * memory, time limit, node failure, preemption, cancellation, submission error, a
   * prerequisite's job failed), for the journal and the console. */
  jobEnd?: string;
  /** --detach: the recipe was handed to the scheduler and tmake does not wait for it; the
   * target counts as remade (newer than anything), as under -n. */
  detached?: boolean;
  /** What the job showed, its last bytes (JobSpec.captureOutput). */
  output?: RecipeOutput;
}

/** Runs prepared recipes: the local shell today, batch schedulers next. The contract (what a
 * runner prints, how it is stopped, how it relates to job slots) is in docs/architecture.md
 * under "Job runners". */
export interface JobRunner {
  /** "local", "slurm", ... */
  readonly name: string;
  /** What bounds how many of its recipes are in flight under -j: the local runner takes -j, -l
   * and the jobserver (JobSlots); a batch runner has limits of its own. */
  slots(limits: SlotLimits): Slots;
  /** Runs one recipe to its end: echoes its commands, runs them as GNU would, reports a failure
   * in GNU's words and deletes the files a killed recipe left half-written. Never rejects; when
   * tmake is interrupted it never settles (tmake dies of the signal instead). */
  run(spec: JobSpec): Promise<JobResult>;
  /** The make is dying of a failure (no -k): recipes already running finish, nothing new
   * starts. A runner that accepted recipes it has not started yet (held in a queue behind
   * others) withdraws them; their run() resolves failed, without a message. */
  dying?(): void;
  /** A batch runner: its recipes run elsewhere, many at once whatever -j says (its slots bound
   * them), so the walk hands it recipes in the background even without -j. */
  readonly batch?: boolean;
  /** It accepts a recipe whose prerequisites' recipes it holds in flight (JobSpec.prereqs)
   * and starts it only once they succeed: the walk does not wait for them (full-width
   * submission). */
  readonly chains?: boolean;
}
