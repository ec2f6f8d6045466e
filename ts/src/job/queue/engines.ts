// What differs between the batch schedulers (biomake's queue.pl facts, and the status queries
// biomake has not): the commands' default names, the submission's arguments and directives,
// the job id in what the submission prints, one status query for a whole run and how to read
// it, and job arrays.
//
// tmake's own settings go into the script as directives (#SBATCH, #$, #PBS), not on the
// command line, so that the command line holds only what biomake's engines put there
// (-o, -e, the dependencies, --parsable) and the user's arguments: stand-ins that know only
// those (biomake's test suite has some) keep working, and user arguments still win (a
// scheduler takes the command line over the directives).

/** What the scheduler says of a job, reduced to what tmake tells apart. */
export type QueueState =
  | "pending"
  | "running"
  | "completed"
  | "failed"
  | "cancelled"
  | "timeout"
  | "out-of-memory"
  | "node-failure"
  | "preempted"
  /** held forever: a prerequisite failed and the scheduler will never start it */
  | "dependency-never"
  /** the scheduler put the job in an error state (SGE's Eqw) */
  | "error";

/** States after which the job will not run any more. */
export function isFinal(state: QueueState): boolean {
  return state !== "pending" && state !== "running";
}

export interface Engine {
  readonly name: "sge" | "pbs" | "slurm";
  /** Default programs (biomake's default_qsub_exec and default_qdel_exec), and the status
   * query's. */
  readonly submit: string;
  readonly cancel: string;
  readonly status: string;
  /** Directive lines for the script: the job's name (the run's id, so one query finds the
   * run's jobs), and what makes the job behave (Slurm: cancel it when a dependency can never
   * be met; SGE: start in the submission's directory with /bin/sh and its environment). */
  directives(jobName: string, array?: { size: number }): string[];
  /** The submission's arguments, in biomake's order around the user's (QSUB OUTPUT ERROR
   * QUEUE-ARGS QSUB-ARGS RULE-ARGS DEPENDENCIES EXTRA SCRIPT): output and error files, the
   * dependencies on the jobs `after` (ids), and what the engine always adds. */
  outputArgs(out: string, err: string): string[];
  dependencyArgs(after: string[]): string[];
  readonly extraArgs: string[];
  /** The job id in what the submission printed (biomake: its first number; PBS: the whole id,
   * server included). */
  parseId(stdout: string): string | undefined;
  /** The status query for the jobs named `names` with ids `ids` (one command). */
  statusArgs(names: string[], ids: string[]): string[];
  /** Reads the query's output: job id to state. Jobs the query no longer lists are absent. */
  parseStatus(stdout: string): Map<string, QueueState>;
  /** For an array job: the variable holding the task's index in the script, and the id of
   * task `i` of array job `id`. */
  readonly arrayIndexVar: string;
  /** The first task's index (SGE counts from 1). */
  readonly arrayBase: number;
  taskId(id: string, i: number): string;
  /** The id a dependency names for job `id` (a task of an array may have to name the array:
   * SGE's -hold_jid takes jobs, not tasks). */
  dependencyId(id: string): string;
  /** The id to cancel job `id` with (`array`: the array it is a task of, when the scheduler
   * cancels arrays whole). */
  cancelId(id: string, array: string | undefined): string;
}

/** The first run of digits (biomake's first_int). */
function firstNumber(text: string): string | undefined {
  return /\d+/.exec(text)?.[0];
}

const slurmStates: Record<string, QueueState> = {
  PENDING: "pending",
  CONFIGURING: "pending",
  REQUEUED: "pending",
  REQUEUE_HOLD: "pending",
  REQUEUE_FED: "pending",
  RESV_DEL_HOLD: "pending",
  SUSPENDED: "running",
  RUNNING: "running",
  COMPLETING: "running",
  STAGE_OUT: "running",
  SIGNALING: "running",
  RESIZING: "running",
  COMPLETED: "completed",
  FAILED: "failed",
  BOOT_FAIL: "node-failure",
  NODE_FAIL: "node-failure",
  CANCELLED: "cancelled",
  REVOKED: "cancelled",
  DEADLINE: "timeout",
  TIMEOUT: "timeout",
  OUT_OF_MEMORY: "out-of-memory",
  PREEMPTED: "preempted",
  SPECIAL_EXIT: "failed",
};

export const slurm: Engine = {
  name: "slurm",
  submit: "sbatch",
  cancel: "scancel",
  status: "squeue",
  directives: (jobName, array) => [
    `#SBATCH --job-name=${jobName}`,
    "#SBATCH --kill-on-invalid-dep=yes",
    ...(array ? [`#SBATCH --array=0-${array.size - 1}`] : []),
  ],
  outputArgs: (out, err) => ["-o", out, "-e", err],
  dependencyArgs: (after) => (after.length > 0 ? [`--dependency=${after.map((id) => `afterok:${id}`).join(",")}`] : []),
  extraArgs: ["--parsable"],
  // --parsable: "ID" or "ID;CLUSTER".
  parseId: (stdout) => /^\s*(\d+)/.exec(stdout)?.[1],
  // Every state, finished ones too (while the controller remembers them: MinJobAge).
  statusArgs: (names) => ["-h", "-t", "all", "-n", names.join(","), "-o", "%i|%T|%r"],
  parseStatus(stdout) {
    const states = new Map<string, QueueState>();
    for (const line of stdout.split("\n")) {
      const [id, state, reason] = line.trim().split("|");
      if (!id || !state) continue;
      let s = slurmStates[state.replace(/\+$/, "")] ?? "pending";
      if (s === "pending" && reason === "DependencyNeverSatisfied") s = "dependency-never";
      // An array's pending tasks show as one line: 123_[4-9%2].
      const range = /^(\d+)_\[(.*)\]$/.exec(id);
      if (range !== null) {
        for (const part of range[2]!.replace(/%\d+$/, "").split(",")) {
          const [a, b] = part.split("-").map(Number);
          for (let i = a!; i <= (b ?? a!); i++) states.set(`${range[1]}_${i}`, s);
        }
      } else states.set(id, s);
    }
    return states;
  },
  arrayIndexVar: "SLURM_ARRAY_TASK_ID",
  arrayBase: 0,
  taskId: (id, i) => `${id}_${i}`,
  dependencyId: (id) => id,
  cancelId: (id) => id,
};

export const sge: Engine = {
  name: "sge",
  submit: "qsub",
  cancel: "qdel",
  status: "qstat",
  directives: (jobName, array) => [`#$ -N ${jobName}`, "#$ -cwd", "#$ -S /bin/sh", "#$ -V", ...(array ? [`#$ -t 1-${array.size}`] : [])],
  outputArgs: (out, err) => ["-o", out, "-e", err],
  dependencyArgs: (after) => (after.length > 0 ? ["-hold_jid", after.join(",")] : []),
  extraArgs: [],
  // "Your job 123 ("name") has been submitted", "Your job-array 123.1-10:1 ...".
  parseId: firstNumber,
  statusArgs: () => ["-u", "*"],
  // qstat lists jobs still pending or running (finished ones are gone): ID PRIOR NAME USER
  // STATE ... [TASKS]. States: qw hqw (pending), r t Rr (running), dr (being deleted), Eqw
  // (error: it will never run).
  parseStatus(stdout) {
    const states = new Map<string, QueueState>();
    for (const line of stdout.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5 || !/^\d+$/.test(f[0]!)) continue;
      const st = f[4]!;
      const s: QueueState = st.includes("E") ? "error" : st.includes("d") ? "cancelled" : /[rtR]/.test(st) ? "running" : "pending";
      // An array's line ends with its tasks: "1-10:1" (pending), "3" (one running).
      const tasks = f[f.length - 1]!;
      const m = /^(\d+)(?:-(\d+):(\d+))?$/.exec(tasks);
      if (f.length >= 8 && m !== null && (m[2] !== undefined || f.length >= 9)) {
        const from = Number(m[1]);
        const to = m[2] !== undefined ? Number(m[2]) : from;
        const step = m[3] !== undefined ? Number(m[3]) : 1;
        for (let i = from; i <= to; i += step) states.set(`${f[0]}.${i}`, s);
      }
      states.set(f[0]!, s);
    }
    return states;
  },
  arrayIndexVar: "SGE_TASK_ID",
  arrayBase: 1,
  taskId: (id, i) => `${id}.${i}`,
  dependencyId: (id) => id.replace(/\.\d+$/, ""),
  cancelId: (id, array) => array ?? id,
};

export const pbs: Engine = {
  name: "pbs",
  submit: "qsub",
  cancel: "qdel",
  status: "qstat",
  directives: (jobName, array) => [`#PBS -N ${jobName}`, "#PBS -V", ...(array ? [`#PBS -J 0-${array.size - 1}`] : [])],
  outputArgs: (out, err) => ["-o", out, "-e", err],
  dependencyArgs: (after) => (after.length > 0 ? ["-W", `depend=afterok:${after.join(":")}`] : []),
  extraArgs: [],
  // "123.server" (the whole id names the job for qdel and depend=).
  parseId: (stdout) => /^\s*(\S*\d\S*)/.exec(stdout)?.[1],
  statusArgs: () => [],
  // PBS's qstat: "Job id  Name  User  Time Use S Queue", a dashed line, then a line a job.
  parseStatus(stdout) {
    const states = new Map<string, QueueState>();
    for (const line of stdout.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f.length < 6 || !/^\d/.test(f[0]!)) continue;
      const st = f[4]!;
      const s: QueueState = st === "R" || st === "E" || st === "B" ? "running" : st === "C" || st === "F" ? "completed" : "pending";
      states.set(f[0]!, s);
    }
    return states;
  },
  arrayIndexVar: "PBS_ARRAY_INDEX",
  arrayBase: 0,
  taskId: (id, i) => id.replace(/\[\]/, `[${i}]`),
  dependencyId: (id) => id.replace(/\[\d+\]/, "[]"),
  cancelId: (id, array) => array ?? id,
};

export const engines = { slurm, sge, pbs } as const;
