// A target's recipe, from the decision to remake it to its end (GNU's execute_file_commands
// in commands.c and new_job in job.c): the whole recipe is expanded with the target's
// variables into the JobSpec the job stage runs; -n, -t and -q decide what really runs;
// --trace says why; under -j the recipe starts in the background and the walk goes on.
import fs from "node:fs";
import path from "node:path";
import { strerror } from "../expand/functions/strerror.js";
import { type VarScope } from "../expand/variables.js";
import { runJob, runnerOf, startsNoProcess } from "../job/index.js";
import type { JobResult, JobSpec, RecipeCommand } from "../job/types.js";
import type { Scheduler } from "../job/scheduler.js";
import { isEmptyCommand } from "../job/prefixes.js";
import { outputSyncMode } from "../job/output-sync.js";
import { recordsInParallel } from "../job/capture.js";
import { collapseReferenceContinuations } from "../read/text.js";
import type { ImplicitSearch } from "../implicit/search.js";
import type { PhaseOptions, RemakeContext } from "./context.js";
import { CommandState, Status, type FileNode, type Recipe } from "./files.js";
import { NEW } from "./fscache.js";
import type { Mtimes } from "./mtimes.js";
import type { Step } from "./step.js";
import { automaticVariables, type TargetVariables } from "./target-vars.js";
import type { BuildEvents } from "./events.js";
import type { ExpandedRecipe, RecipeExpansion } from "./staleness.js";

const RECURSIVE_RE = /\$\(MAKE\)|\$\{MAKE\}/;

/** GNU's split of an expanded recipe line into commands: at each newline, unless an odd number
 * of backslashes precede it (a backslash-newline continues the command; the shell gets both). */
export function splitCommands(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", nl + 1)) {
    let backslashes = 0;
    for (let i = nl - 1; i >= start && text.charCodeAt(i) === 92; i--) backslashes++;
    if (backslashes % 2 === 1) continue;
    out.push(text.slice(start, nl));
    start = nl + 1;
  }
  out.push(text.slice(start));
  return out;
}

/** Per line of a recipe: it runs even under -n/-t/-q (uses $(MAKE) or starts with `+`).
 * Computed once per recipe. */
export function recursiveLineFlags(recipe: Recipe): boolean[] {
  return (recipe.recursive ??= recipe.lines.map((l) => RECURSIVE_RE.test(l.text) || /^[\s@-]*\+/.test(l.text)));
}

/** GNU's set_command_state: the file's grouped targets share a later state. */
export function setCommandState(file: FileNode, state: CommandState): void {
  file.commandState = state;
  for (const a of file.alsoMake) if (state > a.commandState) a.commandState = state;
}

/** What the walk does when a recipe is over (GNU's notice_finished_file, and letting a done
 * file go). */
export interface RecipeEnd {
  /** The recipe is about to run for real (not under -n, -q or -t). */
  starting(file: FileNode): void;
  noticeFinished(file: FileNode): void;
  release(file: FileNode): void;
}

/** Whether -s or .SILENT without prerequisites apply (GNU's run_silent): no recipe echo, and
 * no "Nothing to be done", "touch", "rm" or "(ignored)" messages either. */
export function runSilent(ctx: RemakeContext, opts: PhaseOptions): boolean {
  return opts.silent || ctx.specials.allSilent;
}

/** How a recipe waits for prerequisites whose recipes a chaining runner holds (JobRunner.chains):
 * "chained", through the scheduler; "decide-on-worker", and its biomake deps goal is tested
 * by tmake on the worker once they are made. */
export type Chained = "chained" | "decide-on-worker";

export class Recipes implements RecipeExpansion {
  constructor(
    private readonly ctx: RemakeContext,
    private readonly vars: TargetVariables,
    private readonly mtimes: Mtimes,
    private readonly search: ImplicitSearch,
    private readonly opts: PhaseOptions,
    /** -j: recipes start in the background and the walk goes on; undefined while recipes run
     * one at a time. */
    private readonly jobs: Scheduler | undefined,
    private readonly events: BuildEvents,
    private readonly end: RecipeEnd,
  ) {}

  /** The scope a target's recipe is expanded in: its variables (and a biomake match's
   * bindings) under the automatic variables. */
  private recipeScope(file: FileNode): VarScope {
    let base = this.vars.scopeFor(file);
    if (file.bindings) base = this.search.bindingScope(base, file.bindings, file.name);
    const scope = automaticVariables(base, {
      target: file.path,
      stem: file.stem ?? this.vars.suffixStem(file.name),
      deps: file.deps,
      // A recipe from .DEFAULT has $< the same as $@ (GNU).
      first: file.recipe !== undefined && file.recipe === this.ctx.specials.defaultRecipe ? file.path : undefined,
      // With -B every prerequisite counts as changed (GNU's always_make_flag).
      alwaysMake: this.opts.alwaysMake,
      found: true,
    });
    // The target's own private variables stay visible to its recipe (they are only hidden from
    // prerequisites), so copy them into the recipe's scope.
    for (const s of file.owner.ownScopes ?? [])
      for (const n of s.localNames()) {
        const v = s.getLocal(n)!;
        if (v.private) scope.set(v);
      }
    return scope;
  }

  /** Expands the whole recipe (GNU's new_job) into the JobSpec the job stage runs; `started`
   * counts the commands that start something, `nonRecursive` those that -n/-t/-q skip. */
  prepare(file: FileNode, used?: Record<string, string>): { spec: JobSpec; started: number; nonRecursive: number } {
    const recipe = file.recipe!;
    const scope = this.recipeScope(file);
    const ex = this.ctx.db.expander;
    // The journal wants the variables the commands read (not those of the environment).
    if (used !== undefined)
      ex.lookupObserver = (name, v) => {
        if (v !== undefined && v.origin !== "automatic") used[name] = v.value;
      };
    const { specials } = this.ctx;
    const oneShell = specials.oneShell || this.opts.oneShell;
    const commands: RecipeCommand[] = [];
    const recursiveLines = new Set<number>();
    const lineFlags = recursiveLineFlags(recipe);
    let started = 0;
    let nonRecursive = 0;
    try {
      for (let lineIndex = 0; lineIndex < recipe.lines.length; lineIndex++) {
        const line = recipe.lines[lineIndex]!;
        const recursive = RECURSIVE_RE.test(line.text);
        const prefix = /^[\s@+-]*/.exec(line.text)![0].replace(/\s/g, "");
        const expanded = ex.expand(collapseReferenceContinuations(line.text), scope, line.loc);
        const parts = oneShell ? [expanded] : splitCommands(expanded);
        parts.forEach((text, i) => {
          const full = i === 0 || prefix === "" ? text : prefix + text;
          if (recursive) recursiveLines.add(commands.length);
          commands.push({ text: full, loc: line.loc });
          const body = full.replace(/^[\s@+-]*/, "");
          // A `+` that came from the expansion makes the line recursive from now on (GNU marks
          // the line's flags when it starts the command), so -n/-t/-q look at the file again.
          const plus = /^[\s@-]*\+/.test(full);
          if (plus) lineFlags[lineIndex] = true;
          if (!isEmptyCommand(body) || (oneShell && body !== "")) {
            started++;
            if (!recursive && !plus) nonRecursive++;
          }
        });
      }
    } finally {
      ex.lookupObserver = undefined;
    }
    const value = (name: string, dflt: string): string => {
      const v = scope.get(name);
      if (v === undefined) return dflt;
      return v.flavor === "simple" ? v.value : ex.expand(v.value, scope);
    };
    const precious = file.precious || file.owner.precious;
    const { opts } = this;
    // GNU computes a recipe's environment only for a command it starts: under -n, -t and -q
    // only `+` and $(MAKE) lines start, so without them there is no environment to compute.
    const starts = !(opts.dryRun || opts.touch || opts.question) || started > nonRecursive;
    const silent = runSilent(this.ctx, opts);
    const spec: JobSpec = {
      run: opts.run,
      target: file.name,
      loc: recipe.loc,
      commands,
      env: starts ? this.environment(scope) : {},
      shell: value("SHELL", "/bin/sh"),
      shellFlags: value(".SHELLFLAGS", "-c"),
      oneShell,
      silent: silent || specials.silent.has(file.name),
      runSilent: silent,
      ignoreErrors: opts.ignoreErrors || specials.allIgnore || specials.ignore.has(file.name),
      dryRun: opts.dryRun,
      question: opts.question,
      trace: opts.trace === true,
      dontCare: opts.rebuildingMakefiles === true && file.dontcare,
      beforeFailure: opts.showGoalError,
      recursiveLines,
      deleteOnError: specials.deleteOnError,
      keep: precious || file.phony,
      // The rule's other targets, in GNU's order for deleting them, each with whether make
      // knew its time (an unknown one is deleted whatever the recipe did to it, as GNU does).
      // The output is kept (capture.ts): serially, under -O (held anyway), and under -j through
      // pipes forwarded as bytes arrive, which keep the order between parallel jobs (one waits
      // for a file another made, then prints). Where no pipe can be made, parallel jobs write
      // straight through, unrecorded: copying through files could not keep that order.
      captureOutput:
        (opts.recordOutput ?? 0) > 0 && (this.jobs === undefined || outputSyncMode(opts.run) !== "none" || recordsInParallel()) ? opts.recordOutput : 0,
      parallel: this.jobs !== undefined,
      alsoMake: file.alsoMake
        .map((a) => ({ name: a.name, keep: a.precious || a.owner.precious || a.phony, known: a.mtime !== undefined && !a.mtimeAhead }))
        .reverse(),
      cwd: opts.cwd,
    };
    const runner = runnerOf(opts.run);
    if (runner.chains === true) spec.prereqs = file.deps.map((d) => d.file.name);
    // biomake's per-rule queue settings: Prolog target-goal bindings (the recipe's scope holds
    // them) or target- and pattern-specific variables of the same names.
    if (runner.batch === true) spec.queue = { args: value("QsubArgs", ""), header: value("QsubHeader", ""), headerFile: value("QsubHeaderFile", "") };
    return { spec, started, nonRecursive };
  }

  /** Whether the file's recipe would go to the job runner (the walk may then chain it to
   * prerequisites' recipes the runner holds): it has a line with something to run, and -n,
   * -t and -q are off. A file without one waits for its prerequisites as under -j. */
  handsOver(file: FileNode): boolean {
    const { opts } = this;
    if (file.recipe === undefined || opts.dryRun || opts.touch || opts.question) return false;
    return file.recipe.lines.some((l) => !/^[\s@+-]*$/.test(l.text));
  }

  /** The environment of a recipe: its exported variables, and what the run adds to every
   * recipe's (the journal's run, which a recursive make in the same tree joins). */
  private environment(scope: VarScope): Record<string, string> {
    const env = this.ctx.db.expander.environmentFor(scope);
    const extra = this.opts.recipeEnv;
    return extra === undefined ? env : Object.assign(env, extra);
  }

  /** The recipe as it would run now, expanded, with the variables it read (for a target signal:
   * the journal's rerun triggers and --explain). Expanding runs what the recipe's expansion runs
   * ($(shell), $(info)), as GNU does when it runs the recipe. */
  expandRecipe(file: FileNode): ExpandedRecipe | undefined {
    if (file.recipe === undefined) return undefined;
    const vars: Record<string, string> = {};
    const { spec } = this.prepare(file, vars);
    return { commands: spec.commands.map((c) => c.text), vars };
  }

  /** Runs the file's recipe as -n, -t and -q allow (GNU's remake_file with commands), and
   * finishes the file when it is over (at once, or under -j when it ends in the background).
   * `chained`: it waits for prerequisites a chaining runner holds, so it goes to the runner
   * even when it starts no process. */
  *execute(file: FileNode, depth: number, chained?: Chained): Step<void> {
    const recipe = file.recipe!;
    const o = file.owner;
    const { opts, end } = this;
    file.ran = true;
    const events = this.events;
    if (recipe.lines.every((l) => /^[\s@+-]*$/.test(l.text))) {
      file.status = Status.Success;
      if (events.active) events.emit({ type: "recipe-finished", target: file.name, ok: true, depth, durationMs: 0, ran: false });
      end.noticeFinished(file);
      return;
    }
    const used: Record<string, string> | undefined = events.active ? {} : undefined;
    const { spec, started, nonRecursive } = this.prepare(file, used);
    if (chained === "decide-on-worker") spec.decideOnWorker = true;
    if (opts.trace) this.traceUpdate(file);
    let extraTouch = false;
    if (opts.question && started === nonRecursive) {
      // -q runs nothing but `+` and $(MAKE) lines: without them a target with something to
      // run is "not up to date" at once.
      file.status = nonRecursive > 0 ? Status.Question : Status.Success;
      end.noticeFinished(file);
      return;
    }
    let jobSpec = spec;
    if (opts.touch) {
      // -t runs only the `+` and $(MAKE) lines. GNU quirk kept: when the recipe ends with a
      // skipped line after one that ran, the job finishes twice and `touch` is echoed twice.
      const keep = spec.commands.map((c, i) => (spec.recursiveLines.has(i) || /^[\s@-]*\+/.test(c.text) ? i : -1)).filter((i) => i >= 0);
      jobSpec = {
        ...spec,
        commands: keep.map((i) => spec.commands[i]!),
        recursiveLines: new Set(keep.filter((i) => spec.recursiveLines.has(i)).map((i) => keep.indexOf(i))),
      };
      if (keep.length > 0 && keep[keep.length - 1] !== spec.commands.length - 1 && !file.phony) extraTouch = true;
    }
    this.ctx.commandsStarted += opts.touch ? 0 : started;
    const ran = !opts.dryRun || started > nonRecursive;
    if (jobSpec.commands.length > 0 && ran) this.mtimes.forgetTimesAhead();
    // A queue job that decides on the worker (its deps goal or content hashes) may not run the
    // recipe at all: the worker's tmake says, and keeps the target's record meanwhile.
    if (ran && !opts.dryRun && !opts.touch && chained !== "decide-on-worker") end.starting(file);
    const startedAt = events.active ? Date.now() : 0;
    if (events.active)
      events.emit({
        type: "recipe-started",
        target: file.name,
        loc: recipe.loc,
        depth,
        commands: spec.commands.map((c) => c.text),
        vars: used!,
        phony: file.phony,
        runs: ran && !opts.dryRun && !opts.touch && !opts.question,
      });
    const finish = (result: JobResult): void => {
      if (extraTouch && result.ok) this.touch(file);
      // Under -n nothing ran unless a `+` or $(MAKE) line did: what we knew of the file holds.
      if (ran) this.ctx.fs.invalidate(o.name);
      file.status = result.ok ? Status.Success : result.question === true ? Status.Question : Status.Failed;
      // A queue job not run because a prerequisite's job failed: a goal says so under -k, as
      // when the prerequisite's failure is known before (GNU).
      if (result.jobEnd?.startsWith("dependency-failed") === true && depth === 0 && opts.keepGoing && !opts.question) {
        this.ctx.msg.error(`Target '${file.name}' not remade because of errors.`);
      }
      if (events.active) {
        events.emit({ type: "recipe-finished", target: file.name, ok: result.ok, depth, durationMs: Date.now() - startedAt, ran: ran && !opts.dryRun, result });
        // The job stage deleted what the recipe left half made (job/targets.ts).
        const why = result.signal !== undefined ? "interrupted" : "failed";
        for (const name of result.deleted ?? []) events.emit({ type: "deleted", target: name, why });
      }
      end.noticeFinished(file);
      // --detach: the job will make the file later; what needs it is out of date, as under -n.
      if (result.detached === true) file.mtime = NEW;
    };
    const jobs = this.jobs;
    // Under -n, and for a recipe that starts no process, GNU is done with it at once.
    if (jobs !== undefined && jobSpec.commands.length > 0 && ran && (chained !== undefined || !startsNoProcess(jobSpec))) {
      // -j (GNU's new_job): wait for a job slot, start the recipe and go on with the walk.
      const slot = jobs.slot();
      if (slot !== undefined) yield slot;
      setCommandState(file, CommandState.Running);
      const done = (result: JobResult): void => {
        file.commandState = CommandState.NotStarted;
        for (const a of file.alsoMake) a.commandState = CommandState.NotStarted;
        if (ran) this.mtimes.forgetTimesAhead();
        finish(result);
        if (file.status === Status.Success) end.release(file);
      };
      jobs.start(runJob(jobSpec), done, !opts.keepGoing && jobSpec.dontCare !== true);
      return;
    }
    finish(jobSpec.commands.length > 0 ? ((yield runJob(jobSpec)) as JobResult) : { ok: true });
  }

  /** --trace: why the recipe runs (GNU's new_job), before its first command is echoed. */
  private traceUpdate(file: FileNode): void {
    const loc = file.recipe!.loc;
    const where = loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file;
    const newer = this.recipeScope(file).get("?")?.value ?? "";
    // GNU's message() without a prefix: no "make:" before the location.
    if (newer === "") this.ctx.msg.out(`${where}: target '${file.name}' does not exist\n`);
    else this.ctx.msg.out(`${where}: update target '${file.name}' due to: ${newer}\n`);
  }

  /** GNU's touch_file: `touch NAME` is echoed (unless silent) and, unless -n, the file's time
   * is set to now (it is made empty when missing). */
  touch(file: FileNode): void {
    if (!runSilent(this.ctx, this.opts)) this.ctx.msg.out(`touch ${file.name}\n`);
    if (this.opts.dryRun) return;
    const p = path.resolve(this.opts.cwd, file.name);
    this.ctx.fs.settle();
    try {
      const now = new Date();
      if (fs.existsSync(p)) fs.utimesSync(p, now, now);
      else fs.closeSync(fs.openSync(p, "a"));
      this.ctx.fs.invalidate(file.name);
    } catch (e) {
      // GNU's touch_file: "make: touch: open: dir/x: No such file or directory".
      this.ctx.msg.error(`touch: open: ${file.name}: ${strerror(e)}`);
      file.status = Status.Failed;
    }
  }
}
