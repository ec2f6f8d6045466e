// biomake's `-Q test` engine: each recipe is written as the job script a queue engine would
// submit (script.ts), and run here at once, one after another, tmake waiting for each. It
// tests the scripts without a scheduler; its output goes straight through as a recipe's does.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { dieIfIdle, finishInterrupted, installInterruptHandlers, pendingSignal, registerJob, unregisterJob, type ActiveJob } from "../interrupt.js";
import { runCommand } from "../exec.js";
import { localRunner } from "../local.js";
import { printJobFailure } from "../output.js";
import { stepsOf } from "../plan.js";
import { signalTree } from "../process-tree.js";
import { describeSignal, signalName } from "../signals.js";
import { JobSlots, type SlotLimits, type Slots } from "../slots.js";
import { ChildTargets } from "../targets.js";
import type { JobResult, JobRunner, JobSpec } from "../types.js";
import type { QueueLayout } from "./layout.js";
import { splitArgs } from "../../base/shell-words.js";
import { environmentDelta, jobScript, parseScriptEnd } from "./script.js";

export interface TestEngineOptions {
  layout: QueueLayout;
  baseEnv: Record<string, string | undefined>;
  /** --qsub-use-tmake: the script runs tmake for the target (see BatchOptions). */
  useTmake: boolean;
  tmake: string[];
  tmakeArgs: string;
}

const forever = new Promise<never>(() => {});

class ScriptJob implements ActiveJob {
  readonly targets: ChildTargets;
  child: ChildProcess | undefined;
  constructor(readonly spec: JobSpec) {
    this.targets = new ChildTargets(spec);
  }
  stop(signal: NodeJS.Signals): void {
    if (this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null) signalTree(this.child, signal);
    else finishInterrupted(this);
  }
}

let count = 0;

/** The runner of `-Q test`. */
export function testEngine(o: TestEngineOptions): JobRunner {
  return {
    name: "test",
    slots: (limits: SlotLimits): Slots => new JobSlots(limits),
    async run(spec: JobSpec): Promise<JobResult> {
      if (spec.dryRun || spec.question === true) return localRunner.run(spec);
      installInterruptHandlers();
      const files = o.layout.job(++count);
      const useTmake = o.useTmake || spec.decideOnWorker === true;
      fs.rmSync(files.status, { force: true });
      fs.writeFileSync(
        files.script,
        jobScript(spec, {
          directives: [],
          headers: [],
          statusFile: files.status,
          waitsFor: [],
          env: environmentDelta(spec.env, o.baseEnv),
          prefix: spec.run.msg.prefix,
          tmakeCommand: useTmake ? [...o.tmake, ...splitArgs(o.tmakeArgs), spec.target] : undefined,
          statusWaitSeconds: 0,
        }),
        { mode: 0o755 },
      );
      const job = new ScriptJob(spec);
      registerJob(job);
      job.targets.noteStart();
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(o.baseEnv)) if (v !== undefined) env[k] = v;
      const end = await runCommand(["/bin/sh", files.script], env, spec.cwd, (c) => (job.child = c));
      job.child = undefined;
      if (pendingSignal() !== undefined) {
        finishInterrupted(job);
        dieIfIdle();
        return forever;
      }
      unregisterJob(job);
      let text = "";
      try {
        text = fs.readFileSync(files.status, "utf8");
      } catch {
        // Killed before it could say.
      }
      const said = parseScriptEnd(text);
      if (said?.kind === "ok") return { ok: true };
      const step = said?.kind === "step" ? stepsOf(spec)[said.step] : undefined;
      const status = said?.kind === "step" || said?.kind === "setup" ? said.status : (end.status ?? 1);
      const sig = end.signal ?? (status > 128 ? signalName(status - 128) : undefined);
      if (!spec.dontCare) {
        spec.beforeFailure?.();
        printJobFailure(spec.run.msg.prefix, step?.loc ?? spec.loc, spec.target, sig !== undefined ? describeSignal(sig) : `Error ${status}`, false, (l) =>
          spec.run.msg.err(`${l}\n`),
        );
      }
      const deleted = sig !== undefined || spec.deleteOnError ? job.targets.deleteChanged() : [];
      return {
        ok: false,
        ...(sig !== undefined ? { signal: sig } : { status }),
        failed: step !== undefined ? { command: step.body, loc: step.loc } : undefined,
        deleted,
      };
    },
  };
}
