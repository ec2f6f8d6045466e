// What the command line (or a library caller) asks of a build. The CLI fills this in from its
// options; the remake stage (deciding what is stale, in what order) and the job stage (running
// recipes) read it. Contract between ts/src/cli and ts/src/remake + ts/src/job.
import type { RunContext } from "../run-context.js";
import type { GoalEvaluator } from "../implicit/goals.js";
import type { BuildEvents } from "./events.js";
import type { StalenessSignal, TargetSignal } from "./staleness.js";

export interface BuildOptions {
  /** Goals to update, in order; empty means .DEFAULT_GOAL. */
  goals: string[];
  /** -n: print recipes without running them (except `+` lines and lines that use $(MAKE)). */
  dryRun: boolean;
  /** -t: touch targets instead of running recipes. */
  touch: boolean;
  /** -q: run nothing; exit 0 if everything is up to date, 1 if not, 2 on error. */
  question: boolean;
  /** -k: keep going after errors with everything that does not depend on a failed target. */
  keepGoing: boolean;
  /** -s: do not echo recipes. */
  silent: boolean;
  /** -i: ignore all recipe errors. */
  ignoreErrors: boolean;
  /** -B: consider every target out of date. */
  alwaysMake: boolean;
  /** -W FILE: pretend these files were just modified. */
  assumeNew: string[];
  /** -o FILE: never remake these, and never remake anything on account of them. */
  assumeOld: string[];
  /** -L: the time of a symbolic link is the newest of the links in its chain and the file it
   * ends at; a link to nothing has its own time instead of being missing. */
  checkSymlinks?: boolean;
  /** --trace: say why each recipe runs (`Makefile:3: update target 'x' due to: y`) and echo
   * every command, even `@` ones and under -s. */
  trace?: boolean;
  /** -N (biomake): do not test or rebuild dependencies. Each goal is remade, by its own recipe,
   * when it is out of date against its prerequisites as they are now (missing, or newer than
   * it, or -W/-B say so); no prerequisite is updated (no rule of theirs runs), and a missing
   * one with no rule is not an error. Automatic variables ($< $^ $?) are as usual.
   * Applies to the goals only: the makefiles are remade as usual (like -n/-t/-q). */
  noDependencies: boolean;
  /** --one-shell (biomake): run every recipe as if .ONESHELL were set. */
  oneShell: boolean;
  /** -r: no built-in implicit rules (and no default .SUFFIXES). */
  noBuiltinRules: boolean;
  /** -d / --debug MSG: debugging categories ("verbose", "build", "pattern", ...); empty = none. */
  debug: string[];
  /** -j N: how many recipes may run at once (Infinity for a bare -j; a jobserver, when there
   * is one, limits instead: see ts/src/job/jobserver.ts). */
  jobs: number;
  /** -l N: no new recipe starts while one runs and the load average is at or above N. */
  loadAverage?: number;
  /** Working directory after -C. */
  cwd: string;
  /** The run this build belongs to: its messages (the program's name and MAKELEVEL, which
   * messages print as "prog[N]:" when N > 0), its jobserver, job runner and Prolog session. */
  run: RunContext;
  /** Makes the staleness signal of the build's file table; absent: GNU's modification times.
   * The CLI hands in content hashes here for -H (ts/src/hash, a later stage than this one). */
  signal?: SignalSource;
  /** Evaluates biomake's Prolog goals on rules; without one, a rule with a goal is an error
   * ("Prolog goals are not supported yet"). Set by the Prolog stage once it exists. */
  goalEvaluator?: GoalEvaluator;
  /** Keep the last this many bytes of each recipe's standard output and error for the build's
   * events (the journal records them); 0 or absent: recipes write straight to tmake's output,
   * as with GNU. See JobSpec.captureOutput. */
  recordOutput?: number;
  /** Variables added to every recipe's environment (the journal's run, for recursive makes). */
  recipeEnv?: Record<string, string>;
  /** What watches the build: the journal. */
  observer?: BuildObserver;
}

/** Something that watches a build through its events and may add a target signal: the
 * journal (ts/src/journal) is one; the remake stage knows it only by this interface. */
export interface BuildObserver {
  /** Listens to one phase's events (the makefiles' or the goals'); returns what detaches it. */
  attach(events: BuildEvents, phase: "makefiles" | "goals"): () => void;
  /** Its signal about targets on their own account (see staleness.ts). */
  readonly targetSignal?: TargetSignal;
}

/** Makes the signal of a file table (the build asks once per table). `key` names the signal and
 * its settings: the phases of a run share a table only when their keys agree. The CLI gives one
 * for -H (content hashes, ts/src/hash); without one the build uses mtimeSignal. */
export interface SignalSource {
  readonly key: string;
  create(opts: BuildOptions): StalenessSignal;
}
