// The build journal's records, and how one is written as a line: its JSON, a tab, and an
// FNV-1a checksum of the JSON in hexadecimal. A line is a record only when it ends with a
// newline and its checksum holds, so a line cut short by a kill (or garbage left by a machine
// crash at the end of a file) is recognised and ignored; everything before it is intact because
// each run's log is only ever appended to, by its run alone.

/** The first record of a run's log. */
export interface RunRecord {
  k: "run";
  run: number;
  pid: number;
  host: string;
  /** Milliseconds since the epoch. */
  at: number;
  argv: string[];
  cwd: string;
  /** MAKELEVEL. */
  level: number;
  /** The run a recursive make in the same tree joined (see lock.ts). */
  parent?: number;
  /** The rerun triggers in force. */
  triggers?: string[];
  /** The machine's boot (Linux's boot_id): a later run that finds this one dead on a machine
   * booted since knows the machine went down, and this log may have lost its last records. */
  boot?: string;
}

/** Targets whose recipes may start from now on (written, and synced, before the first of them
 * starts): what a machine that goes down before their start records reach the disk leaves to
 * say that they may have started. The first is the recipe about to start, the others those the
 * run is expected to start next (see journal.ts, "Durable starts"). */
export interface IntentRecord {
  k: "intent";
  at: number;
  t: string[];
}

/** The walk decided that a target is out of date, and why. */
export interface StaleRecord {
  k: "stale";
  t: string;
  at: number;
  /** The StaleReason's kind and its words. */
  kind: string;
  why: string;
}

/** A target's recipe starts (recorded before its first command runs). */
export interface StartRecord {
  k: "start";
  t: string;
  at: number;
  /** Where the recipe is (`Makefile:12`). */
  loc: string;
  /** The expanded commands, when short enough (see MAX_RECIPE); always their hash. */
  recipe?: string[];
  hash: string;
  /** The values of the variables the recipe read. */
  vars: Record<string, string>;
  phony?: boolean;
}

/** A target's recipe ended. */
export interface EndRecord {
  k: "end";
  t: string;
  at: number;
  ok: boolean;
  /** Milliseconds from its first command's start. */
  ms?: number;
  status?: number;
  signal?: string;
  /** The failing command and its location (`Makefile:13`). */
  cmd?: string;
  loc?: string;
  /** The last bytes of what it printed (latin1-safe text, see capture.ts): standard output
   * (both streams when `merged`) and error, with the bytes left out before each. */
  out?: string;
  err?: string;
  merged?: boolean;
  dropped?: [number, number];
  deleted?: string[];
  /** tmake was interrupted while it ran (its target may be half made). */
  interrupted?: boolean;
  /** The target's size and time (mtimeMs) when its recipe ended well: after the machine
   * restarts, a target that no longer has them, and was not changed since, lost what the system
   * had not yet written to disk (store.ts, "after a restart"). */
  size?: number;
  mtime?: number;
}

/** A prerequisite failed, so the target was not remade. */
export interface BlockedRecord {
  k: "blocked";
  t: string;
  at: number;
}

/** The run is over. */
export interface FinRecord {
  k: "fin";
  at: number;
  status: number;
  signal?: string;
}

/** A queue engine's job for a target (-Q slurm, sge, pbs: ts/src/job/queue): recorded when it
 * is submitted and at each state it reaches, so that --explain shows it and a later run
 * reattaches to a job still queued instead of submitting it again. */
export interface JobRecord {
  k: "job";
  t: string;
  at: number;
  engine: string;
  /** The scheduler's job id. */
  id: string;
  /** submitted, succeeded, failed, out-of-memory, time-limit, node-failure, preempted,
   * cancelled, submission-error, dependency-failed, lost. */
  state: string;
  /** The queue's own run id (its folder in .tmake/queue and the jobs' name). */
  queueRun: string;
  /** The job's script, logs and exit-status file. */
  script: string;
  out: string;
  err: string;
  status: string;
}

export type JournalRecord = RunRecord | StaleRecord | IntentRecord | StartRecord | EndRecord | BlockedRecord | FinRecord | JobRecord;

/** Commands longer than this (in all) are kept as their hash only. */
export const MAX_RECIPE = 8192;

/** FNV-1a, 32 bits, of a string's UTF-16 code units, in hexadecimal. */
export function fnv32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** FNV-1a, 64 bits as two 32-bit halves with different offsets, of commands: a recipe's hash. */
export function recipeHash(commands: readonly string[]): string {
  const text = commands.join("\n");
  return fnv32(text) + fnv32(`\u0001${text}`);
}

/** A record as one line. */
export function encodeRecord(r: object): string {
  const json = JSON.stringify(r);
  return `${json}\t${fnv32(json)}\n`;
}

/** The complete records of a log's text, in order; `bad` counts the lines that were not (a
 * torn last line among them). */
export function decodeRecords<T = JournalRecord>(text: string): { records: T[]; bad: number } {
  const records: T[] = [];
  let bad = 0;
  let start = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
    const line = text.slice(start, nl);
    start = nl + 1;
    const tab = line.lastIndexOf("\t");
    if (tab < 0 || fnv32(line.slice(0, tab)) !== line.slice(tab + 1)) {
      if (line !== "") bad++;
      continue;
    }
    try {
      records.push(JSON.parse(line.slice(0, tab)) as T);
    } catch {
      bad++;
    }
  }
  if (start < text.length) bad++;
  return { records, bad };
}
