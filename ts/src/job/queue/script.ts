// A recipe as one job script (biomake's write_script_file, in tmake's form): the steps GNU would
// start for it (plan.ts), one after another in a POSIX shell, each echoed first when GNU would
// echo it, stopping at the first failing step whose failure is not ignored. The script says how
// it ended in a small exit-status file of its own, so a queue engine knows a job's end without
// the scheduler's accounting, and so a dependent job can tell that its prerequisites' jobs
// succeeded (SGE's -hold_jid and PBS's stand-ins release a job whatever its prerequisite did).
//
// The exit-status file holds one line:
//   ok 0            every step ran, or its failure was ignored
//   step I S        step I (from 0) failed with status S (above 128: killed by signal S-128)
//   signal S        the script itself was signalled (scancel, a time limit's SIGTERM)
//   dep NAME        the job of prerequisite NAME did not succeed: nothing ran
//   setup S         the script could not start the recipe (cd failed, tmake not found)
// It is written to a temporary name and renamed, so a reader never sees half a line.
import { createHash } from "node:crypto";
import { shellQuote } from "../../base/shell-words.js";
import { argvFor, echoes, ignoresErrors, runs, stepsOf } from "../plan.js";
import { isEmptyCommand } from "../prefixes.js";
import { jobLabel } from "../output.js";
import type { JobSpec } from "../types.js";

/** What the script is made of besides the recipe. */
export interface ScriptParts {
  /** The scheduler's directive lines (#SBATCH, #$, #PBS), right after the #! line. */
  directives: string[];
  /** The header blocks, in biomake's order (QsubHeader, --qsub-header, QsubHeaderFile's text,
   * --qsub-header-file's text), each with the comment that names it. */
  headers: { comment: string; text: string }[];
  /** The exit-status file this job writes. */
  statusFile: string;
  /** Exit-status files of the prerequisites' jobs this one waits for, with their targets. */
  waitsFor: { target: string; statusFile: string }[];
  /** The environment the job's commands get besides the one the scheduler hands the job: the
   * variables the makefile exported or changed, and those it unexported. */
  env: { set: Record<string, string>; unset: string[] };
  /** The run's message prefix (`tmake`), for the `(ignored)` lines the script prints. */
  prefix: string;
  /** Instead of the recipe: the command that runs tmake for the target on the worker
   * (biomake's --qsub-use-biomake, and a deps goal or MD5 check that must wait for the
   * prerequisites). */
  tmakeCommand?: string[];
  /** How long (seconds) a dependent job waits for a prerequisite's exit-status file to show on
   * a shared file system before it takes the prerequisite for failed. */
  statusWaitSeconds: number;
}

/** The variables of `env` that differ from `base` (set), and those of `base` it lacks (unset). */
export function environmentDelta(env: Record<string, string>, base: Record<string, string | undefined>): { set: Record<string, string>; unset: string[] } {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (base[k] !== v) set[k] = v;
  const unset = Object.keys(base).filter((k) => base[k] !== undefined && !(k in env));
  return { set, unset };
}

/** What the recipe runs, as a digest: the line `# tmake-recipe: DIGEST` of its script. A run
 * that finds an earlier run's job still queued for a target waits for it only when the digests
 * agree (the same commands in the same directory); otherwise the old job makes something else. */
export function recipeDigest(spec: JobSpec, tmakeCommand?: string[]): string {
  const h = createHash("sha1");
  h.update(`${spec.cwd}\0${spec.target}\0`);
  if (tmakeCommand !== undefined) h.update(`tmake\0${tmakeCommand.join("\0")}`);
  else for (const step of stepsOf(spec)) h.update(`${step.body}\0${step.flags.ignoreErrors ? "-" : ""}\0`);
  return h.digest("hex");
}

/** The digest a job script says (see recipeDigest), or undefined. */
export function scriptDigest(text: string): string | undefined {
  return /^# tmake-recipe: ([0-9a-f]+)$/m.exec(text)?.[1];
}

/** A variable name the shell can assign. */
const ASSIGNABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The job script for `spec`. */
export function jobScript(spec: JobSpec, parts: ScriptParts): string {
  const q = shellQuote;
  const lines: string[] = ["#!/bin/sh", ...parts.directives];
  for (const h of parts.headers) {
    if (h.text === "") continue;
    lines.push(`# ${h.comment}`, h.text.replace(/\n$/, ""));
  }
  lines.push(
    `# tmake: the recipe of ${spec.target} (${spec.loc.file}:${spec.loc.line})`,
    `# tmake-recipe: ${recipeDigest(spec, parts.tmakeCommand)}`,
    `tmake_end() { printf '%s\\n' "$1" >${q(parts.statusFile + ".tmp")} && mv -f ${q(parts.statusFile + ".tmp")} ${q(parts.statusFile)}; exit "$2"; }`,
    `trap 'tmake_end "signal 143" 143' TERM`,
    `trap 'tmake_end "signal 129" 129' HUP`,
    `trap 'tmake_end "signal 130" 130' INT`,
    `cd ${q(spec.cwd)} || tmake_end "setup 1" 1`,
  );
  if (parts.waitsFor.length > 0) {
    // A prerequisite's job that ended without saying "ok" (or said nothing in time) stops this
    // one before anything runs.
    lines.push(
      `tmake_dep() { n=0; while [ ! -f "$1" ] && [ $n -lt ${parts.statusWaitSeconds} ]; do sleep 1; n=$((n+1)); done; read -r s _ <"$1" 2>/dev/null && [ "$s" = ok ]; }`,
    );
    for (const w of parts.waitsFor) lines.push(`tmake_dep ${q(w.statusFile)} || tmake_end ${q(`dep ${w.target}`)} 1`);
  }
  for (const name of parts.env.unset) if (ASSIGNABLE.test(name)) lines.push(`unset ${name}`);
  for (const [name, value] of Object.entries(parts.env.set)) if (ASSIGNABLE.test(name)) lines.push(`${name}=${q(value)}; export ${name}`);
  if (parts.tmakeCommand !== undefined) {
    lines.push(`${parts.tmakeCommand.map(q).join(" ")}`, `s=$?; [ $s -eq 0 ] || tmake_end "step 0 $s" $s`, `tmake_end "ok 0" 0`);
    return `${lines.join("\n")}\n`;
  }
  stepsOf(spec).forEach((step, i) => {
    if (isEmptyCommand(step.body)) return;
    if (echoes(step, spec)) lines.push(`printf '%s\\n' ${q(step.body)}`);
    if (!runs(step, spec)) return;
    lines.push(argvFor(step.body, spec).map(q).join(" "));
    if (ignoresErrors(step, spec)) {
      if (!spec.runSilent)
        lines.push(`s=$?; [ $s -eq 0 ] || printf '%s\\n' ${q(`${parts.prefix}: ${jobLabel(step.loc, spec.target)} Error `)}"$s"' (ignored)' >&2`);
    } else lines.push(`s=$?; [ $s -eq 0 ] || tmake_end "step ${i} $s" $s`);
  });
  lines.push(`tmake_end "ok 0" 0`);
  return `${lines.join("\n")}\n`;
}

/** How a job ended, read from its exit-status file. */
export type ScriptEnd =
  | { kind: "ok" }
  | { kind: "step"; step: number; status: number }
  | { kind: "signal"; status: number }
  | { kind: "dep"; target: string }
  | { kind: "setup"; status: number };

/** Reads an exit-status file's line; undefined when it is not (yet) a whole line. */
export function parseScriptEnd(text: string): ScriptEnd | undefined {
  const line = text.split("\n", 1)[0]!.trim();
  const [kind, a, b] = line.split(" ");
  if (kind === "ok") return { kind: "ok" };
  if (kind === "step" && a !== undefined && b !== undefined) return { kind: "step", step: Number(a), status: Number(b) };
  if (kind === "signal" && a !== undefined) return { kind: "signal", status: Number(a) };
  if (kind === "dep") return { kind: "dep", target: line.slice(4) };
  if (kind === "setup" && a !== undefined) return { kind: "setup", status: Number(a) };
  return undefined;
}
