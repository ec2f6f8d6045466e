// The journal's console (after compmake's): --status, --explain, --failed, --log, --stats,
// --clean and the interactive --console, all answered from the makefiles as they are and the
// journal, also while a build runs. They are options, not subcommands, so `tmake status` still
// makes a target named status. A console command exits 0, 1 when its selection is empty, and 2
// with a one-line error for input it cannot read (a malformed selection, an unknown state or
// target, a journal that cannot be read).
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { spawnSync } from "node:child_process";
import type { Database } from "../read/database.js";
import type { BuildOptions } from "../remake/options.js";
import { MakeError, type Messages } from "../messages.js";
import { flushOut } from "../output.js";
import { shellQuote, splitArgs } from "../base/shell-words.js";
import type { Journal } from "./journal.js";
import { triggerChanges, type Trigger } from "./journal.js";
import { recipeHash } from "./records.js";
import { parseSelection, evaluate, SelectionError, type Universe } from "./selection.js";
import { statusOf, STATES, type State, type Status, type TargetStatus } from "./status.js";
import { JournalError, type TargetHistory } from "./store.js";

export interface ConsoleRequest {
  command: "status" | "explain" | "failed" | "log" | "stats" | "clean" | "console";
  /** The words of the command line that are not options: a selection, or targets. */
  words: string[];
  json: boolean;
  journal: Journal | undefined;
  /** The rerun triggers in force. */
  triggers: readonly Trigger[];
  /** How to run this tmake again (the console's `make`): the program ($(MAKE)), and the
   * arguments the console was started with, less its own and its goals. */
  makeCommand: string;
  makeArgs: string[];
}

/** A line of the console's output. */
type Out = (text: string) => void;

// ---- formatting -----------------------------------------------------------------------------------

function duration(ms: number | undefined): string {
  if (ms === undefined) return "";
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function when(ms: number | undefined): string {
  if (ms === undefined) return "";
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, "0");
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date().toDateString() === d.toDateString();
  return today ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** Rows as columns, each as wide as its widest cell (the last one left ragged). */
function columns(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map(
      (r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
          .join("  ")
          .trimEnd() + "\n",
    )
    .join("");
}

/** How a failed run ended, in a few words: `Error 3 at Makefile:4`, `Killed`. */
function failure(h: TargetHistory): string {
  const e = h.end!;
  const what = e.signal !== undefined ? e.signal : e.status !== undefined ? `Error ${e.status}` : "failed";
  return e.loc !== undefined ? `${what} at ${e.loc}` : what;
}

function outputLines(h: TargetHistory | undefined): string[] {
  const e = h?.end;
  if (e === undefined) return [];
  return `${e.out ?? ""}${e.err ?? ""}`.split("\n").filter((l) => l !== "");
}

// ---- what the commands work on ------------------------------------------------------------------------

/** The targets a command may select: the goals' graph, then the journal's other targets of
 * this directory. */
function universe(st: Status): Universe & { status: Map<string, TargetStatus> } {
  const status = new Map(st.targets);
  for (const [full, h] of st.history) {
    if (!full.startsWith(st.prefix)) continue;
    const name = full.slice(st.prefix.length);
    if (status.has(name)) continue;
    const state: State = h.end === undefined ? "todo" : h.end.ok ? "done" : "failed";
    status.set(name, { target: name, state, prereqs: [], history: h });
  }
  const names = [...status.keys()];
  return {
    status,
    names,
    state: (n) => status.get(n)?.state,
    rule: (n) => status.get(n)?.rule,
    prereqs: (n) => status.get(n)?.prereqs ?? [],
  };
}

/** The words that may be target names, to walk besides the default goal (a selection may name
 * targets outside its graph). */
function namedTargets(words: readonly string[]): string[] {
  const keywords = new Set(["in", "not", "except", "(", ")", ...STATES]);
  return words.flatMap((w) => w.split(/[()\s]+/)).filter((w) => w !== "" && !keywords.has(w) && !/[*?[]|^(rule|state):/.test(w));
}

async function gather(db: Database, opts: BuildOptions, req: ConsoleRequest, goals: string[], explain?: ReadonlySet<string>): Promise<Status> {
  return statusOf(db, opts, req.journal, goals, explain);
}

/** The default goal and the words that may name targets, as goals of the status walk. */
function goalsFor(db: Database, words: readonly string[]): string[] {
  const extra = namedTargets(words);
  const dflt = db.globals.get(".DEFAULT_GOAL")?.value;
  return [...new Set([...(dflt ? [dflt] : []), ...extra])];
}

// ---- the commands ---------------------------------------------------------------------------------------

async function status(db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  const st = await gather(db, opts, req, goalsFor(db, words));
  const u = universe(st);
  const chosen = words.length === 0 ? [...st.targets.keys()] : evaluate(parseSelection(words), u);
  const rows = chosen.map((n) => u.status.get(n)!);
  const counts = { done: 0, failed: 0, blocked: 0, running: 0, todo: 0 };
  for (const t of rows) counts[t.state === "stale" ? "todo" : t.state]++;
  // A queue job of the same run (issue 14): its engine, id and last state.
  const job = (t: TargetStatus, run: number | undefined): string => {
    const j = t.history?.job;
    return j !== undefined && j.run === run ? `; ${j.engine} job ${j.id}, ${j.state}` : "";
  };
  const reason = (t: TargetStatus): string => {
    const h = t.history;
    if (t.state === "running") return `run ${h!.start!.run}, since ${when(h!.start!.at)}${job(t, h!.start!.run)}`;
    if (t.state === "failed") return `${failure(h!)} (run ${h!.end!.run})${job(t, h!.end!.run)}`;
    if (t.state === "blocked") {
      const by = t.prereqs.find((p) => u.state(p) === "failed" || u.state(p) === "blocked");
      return by === undefined ? "needs a failed target" : `needs '${by}' (${u.state(by)})`;
    }
    if (t.state === "stale" || t.state === "todo") return t.reason ?? "";
    return "";
  };
  const summary = `${counts.done} done, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.running} running, ${counts.todo} to do`;
  if (req.json) {
    const targets = rows.map((t) => ({
      target: t.target,
      state: t.state,
      durationMs: t.history?.end?.ms ?? null,
      finished: t.history?.end?.at ?? null,
      run: t.history?.end?.run ?? t.history?.start?.run ?? null,
      reason: reason(t) || null,
      rule: t.rule ?? null,
      job: t.history?.job === undefined ? null : { engine: t.history.job.engine, id: t.history.job.id, state: t.history.job.state, run: t.history.job.run },
    }));
    out(`${JSON.stringify({ targets, summary: counts }, null, 2)}\n`);
  } else {
    const table = rows.map((t) => [
      t.state,
      t.target,
      duration(t.state === "running" ? undefined : t.history?.end?.ms),
      when(t.state === "running" ? undefined : t.history?.end?.at),
      reason(t),
    ]);
    out(columns(table));
    out(`${summary}\n`);
  }
  return rows.length === 0 ? 1 : 0;
}

async function explain(db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  if (words.length === 0) throw new SelectionError("--explain needs a target");
  const st = await gather(db, opts, req, [...words], new Set(words));
  const on = new Set(req.triggers);
  const report: object[] = [];
  for (const name of words) {
    const t = st.targets.get(name);
    const h = st.history.get(st.prefix + name);
    if (t === undefined && h === undefined) throw new SelectionError(`no target '${name}' in the makefiles or the journal`);
    const lines: string[] = [];
    const head =
      t === undefined
        ? `${name}: not a target of the makefiles now`
        : t.state === "running"
          ? `${name}: being made by run ${h!.start!.run} (since ${when(h!.start!.at)})`
          : t.reason !== undefined
            ? `${name}: will be remade: ${t.reason}`
            : t.state === "failed"
              ? `${name}: up to date by its time, but its last run failed (tmake -k retries it, and so does --select failed)`
              : `${name}: up to date: nothing it needs changed`;
    // mtime: the prerequisites newer than the target, as the file system says now.
    const checks: string[] = [];
    const stat = (f: string): number | undefined => {
      try {
        return fs.statSync(path.resolve(opts.cwd, f)).mtimeMs;
      } catch {
        return undefined;
      }
    };
    const self = stat(name);
    if (t !== undefined) {
      if (self === undefined) checks.push("mtime: the file does not exist");
      else {
        const newer = t.prereqs.filter((p) => (stat(p) ?? -Infinity) > self);
        const missing = t.prereqs.filter((p) => stat(p) === undefined);
        checks.push(
          newer.length > 0
            ? `mtime: newer than it: ${newer.join(" ")}`
            : missing.length > 0
              ? `mtime: missing: ${missing.join(" ")}`
              : `mtime: no prerequisite is newer (${when(self)})`,
        );
      }
    }
    const now = st.recipes.get(name);
    const last = h?.start;
    if (last !== undefined && now !== undefined) {
      const changes = triggerChanges(last, now, on);
      if (recipeHash(now.commands) === last.hash) checks.push(`recipe: unchanged since run ${last.run}`);
      for (const c of changes) checks.push(c.text);
      if (!changes.some((c) => c.trigger === "vars"))
        checks.push(
          `variables: ${Object.keys(last.vars).length === 0 ? "none used" : `unchanged since run ${last.run} (${Object.keys(last.vars).sort().join(" ")})`}`,
        );
    } else if (last === undefined) checks.push("recipe: never run by tmake (no record to compare)");
    else checks.push(`recipe: last run ${last.run}; not expanded now`);
    lines.push(...checks.map((c) => `  ${c}`));
    if (h?.job !== undefined) lines.push(`  queue job: ${h.job.engine} job ${h.job.id} (run ${h.job.run}), ${h.job.state} at ${when(h.job.at)}`);
    if (h?.end !== undefined) {
      const e = h.end;
      lines.push(`  last run: run ${e.run}, ${e.ok ? "succeeded" : e.interrupted ? "interrupted" : "failed"} at ${when(e.at)} after ${duration(e.ms)}`);
      if (!e.ok && !e.interrupted) {
        lines.push(
          `  failed: ${e.signal ?? `exit status ${e.status ?? "?"}`}${e.loc !== undefined ? ` at ${e.loc}` : ""}${e.cmd !== undefined ? `: ${e.cmd}` : ""}`,
        );
        const tail = outputLines(h).slice(-10);
        if (tail.length > 0) lines.push("  output (last lines):", ...tail.map((l) => `    ${l}`));
      }
    }
    if (req.json) report.push({ target: name, state: t?.state ?? null, reason: t?.reason ?? null, checks, last: h?.end ?? null, job: h?.job ?? null });
    else out(`${head}\n${lines.join("\n")}\n`);
  }
  if (req.json) out(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

function failedList(st: Status, words: string[]): TargetHistory[] {
  const u = universe(st);
  const names = words.length === 0 ? u.names : evaluate(parseSelection(words), u);
  return names
    .map((n) => u.status.get(n)!)
    .filter((t) => t.state === "failed" && t.history?.end !== undefined)
    .map((t) => t.history!);
}

async function failed(db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  const st = await gather(db, opts, req, goalsFor(db, words));
  const list = failedList(st, words);
  if (req.json) {
    out(
      `${JSON.stringify(
        list.map((h) => ({
          target: h.name.slice(st.prefix.length),
          run: h.end!.run,
          status: h.end!.status ?? null,
          signal: h.end!.signal ?? null,
          loc: h.end!.loc ?? null,
          command: h.end!.cmd ?? null,
          output: outputLines(h),
        })),
        null,
        2,
      )}\n`,
    );
  } else {
    const rows = list.map((h) => {
      const lines = outputLines(h);
      // The first line of standard error; when it was one file with the output, the last line
      // before tmake's own failure line (what the command said last is what it died of).
      const errs = (h.end!.err ?? "").split("\n").filter((l) => l !== "");
      const own = /^\S+: \*\*\* \[/;
      const said = lines.filter((l) => !own.test(l));
      const first = errs[0] ?? said[said.length - 1] ?? lines[0] ?? "";
      const more = lines.length > 1 ? ` [+${lines.length - 1} lines]` : "";
      return [h.name.slice(st.prefix.length), failure(h), `${first}${more}`];
    });
    out(columns(rows));
  }
  return list.length === 0 ? 1 : 0;
}

async function log(db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  if (words.length === 0) throw new SelectionError("--log needs a target");
  const history = req.journal?.store.exists() ? req.journal.store.history().targets : new Map<string, TargetHistory>();
  const prefix = req.journal?.prefix ?? "";
  let shown = 0;
  const json: object[] = [];
  for (const name of words) {
    const h = history.get(prefix + name);
    const e = h?.end;
    if (e === undefined) {
      if (!req.json) out(`${name}: no recorded run\n`);
      continue;
    }
    shown++;
    if (req.json)
      json.push({ target: name, run: e.run, ok: e.ok, stdout: e.out ?? "", stderr: e.err ?? "", merged: e.merged === true, dropped: e.dropped ?? [0, 0] });
    else {
      if (words.length > 1) out(`==> ${name} (run ${e.run}) <==\n`);
      if (e.dropped !== undefined && e.dropped[0] + e.dropped[1] > 0) out(`[... ${e.dropped[0] + e.dropped[1]} bytes before this were not kept]\n`);
      out(e.out ?? "");
      out(e.err ?? "");
    }
  }
  if (req.json) out(`${JSON.stringify(json, null, 2)}\n`);
  return shown === 0 ? 1 : 0;
}

async function stats(db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  const st = await gather(db, opts, req, goalsFor(db, words));
  const u = universe(st);
  const names = words.length === 0 ? [...st.targets.keys()] : evaluate(parseSelection(words), u);
  const per = new Map<string, Record<"done" | "failed" | "blocked" | "running" | "todo", number>>();
  const total = { done: 0, failed: 0, blocked: 0, running: 0, todo: 0 };
  for (const n of names) {
    const t = u.status.get(n)!;
    const key = t.rule ?? "(no recipe)";
    const c = per.get(key) ?? { done: 0, failed: 0, blocked: 0, running: 0, todo: 0 };
    per.set(key, c);
    const s = t.state === "stale" ? "todo" : t.state;
    c[s]++;
    total[s]++;
  }
  if (req.json) out(`${JSON.stringify({ rules: Object.fromEntries(per), total }, null, 2)}\n`);
  else {
    const row = (name: string, c: typeof total): string[] => [name, String(c.done), String(c.failed), String(c.blocked), String(c.running), String(c.todo)];
    out(columns([["rule", "done", "failed", "blocked", "running", "to do"], ...[...per].map(([k, c]) => row(k, c)), row("total", total)]));
  }
  return names.length === 0 ? 1 : 0;
}

async function clean(db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  const st = await gather(db, opts, req, goalsFor(db, words));
  const u = universe(st);
  const names = words.length === 0 ? u.names : evaluate(parseSelection(words), u);
  // What the journal says tmake built: a recipe of tmake's ran for it and ended well (or was
  // cut short), and it is no phony target.
  const built = names.filter((n) => {
    const h = st.history.get(st.prefix + n);
    return h?.start !== undefined && h.start.phony !== true && h.end !== undefined;
  });
  const removed: string[] = [];
  for (const n of built) {
    const p = path.resolve(opts.cwd, n);
    try {
      if (!fs.lstatSync(p).isFile() && !fs.lstatSync(p).isSymbolicLink()) continue;
      fs.rmSync(p);
      removed.push(n);
    } catch {
      // Gone already.
    }
  }
  if (req.json) out(`${JSON.stringify({ removed }, null, 2)}\n`);
  else for (const n of removed) out(`rm ${n}\n`);
  return built.length === 0 ? 1 : 0;
}

// ---- the interactive console ----------------------------------------------------------------------------

const HELP = `commands (a SELECTION: names, globs, states ${STATES.join(" ")}, rule:RULE, in X, not X, X except Y):
  status [SELECTION]     the state of each target
  explain TARGET...      why each target will or will not be remade
  failed [SELECTION]     the targets that failed, with their first error line
  log TARGET...          the recorded output of a target's last run
  stats [SELECTION]      counts per rule
  clean [SELECTION]      delete the files tmake built
  make [SELECTION]       build the selected targets (the default goal without one)
  help, quit
`;

const COMMANDS = ["status", "explain", "failed", "log", "stats", "clean", "make", "help", "quit", "exit"];

async function shell(db: Database, opts: BuildOptions, req: ConsoleRequest, msg: Messages, out: Out): Promise<number> {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  let names: string[] = [];
  const refresh = async (): Promise<void> => {
    names = universe(await gather(db, opts, req, goalsFor(db, []))).names as string[];
  };
  await refresh();
  const history = req.journal ? path.join(req.journal.store.dir, "console-history") : undefined;
  let past: string[] = [];
  try {
    if (history) past = fs.readFileSync(history, "utf8").split("\n").filter(Boolean).reverse().slice(0, 500);
  } catch {
    past = [];
  }
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: tty,
    history: past,
    completer: (line: string): [string[], string] => {
      const parts = line.split(/\s+/);
      const last = parts[parts.length - 1] ?? "";
      const pool = parts.length <= 1 ? COMMANDS : [...names, ...STATES, "in", "not", "except"];
      const hits = pool.filter((c) => c.startsWith(last));
      return [hits.length > 0 ? hits : pool, last];
    },
  });
  const prompt = (): void => {
    if (tty) rl.prompt();
  };
  rl.setPrompt("tmake> ");
  let status = 0;
  prompt();
  for await (const input of rl) {
    const line = input.trim();
    if (line !== "" && history) {
      try {
        fs.appendFileSync(history, `${line}\n`);
      } catch {
        // History is a convenience.
      }
    }
    const [cmd, ...words] = line.split(/\s+/);
    if (cmd === "" || cmd === undefined) {
      prompt();
      continue;
    }
    if (cmd === "quit" || cmd === "exit") break;
    try {
      if (cmd === "help") out(HELP);
      else if (cmd === "make") {
        const goals = words.length === 0 ? [] : evaluate(parseSelection(words), universe(await gather(db, opts, req, goalsFor(db, words))));
        if (words.length > 0 && goals.length === 0) {
          out("nothing selected\n");
          status = 1;
        } else {
          // $(MAKE) is shell words (make-command.ts quotes a path with blanks).
          const [exe, ...args] = splitArgs(req.makeCommand);
          const words = [...req.makeArgs, ...goals];
          out(`${[req.makeCommand, ...words.map(shellQuote)].join(" ")}\n`);
          flushOut();
          const r = spawnSync(exe!, [...args, ...words], { cwd: opts.cwd, stdio: ["ignore", "inherit", "inherit"] });
          status = r.status ?? 2;
          req.journal?.reload();
          await refresh();
        }
      } else if (COMMANDS.includes(cmd)) status = await dispatch(cmd as ConsoleRequest["command"], db, opts, req, words, out);
      else {
        msg.error(`unknown console command '${cmd}' (help lists them)`);
        status = 2;
      }
    } catch (e) {
      if (!(e instanceof SelectionError)) throw e;
      msg.error(e.message);
      status = 2;
    }
    prompt();
  }
  rl.close();
  return status;
}

async function dispatch(command: ConsoleRequest["command"], db: Database, opts: BuildOptions, req: ConsoleRequest, words: string[], out: Out): Promise<number> {
  switch (command) {
    case "status":
      return status(db, opts, req, words, out);
    case "explain":
      return explain(db, opts, req, words, out);
    case "failed":
      return failed(db, opts, req, words, out);
    case "log":
      return log(db, opts, req, words, out);
    case "stats":
      return stats(db, opts, req, words, out);
    case "clean":
      return clean(db, opts, req, words, out);
    case "console":
      return 0;
  }
}

/** Runs a console command; returns the exit status. */
export async function runConsole(db: Database, opts: BuildOptions, req: ConsoleRequest): Promise<number> {
  const msg = opts.run.msg;
  const out: Out = (text) => msg.out(text);
  if (req.journal === undefined || !req.journal.store.exists()) {
    msg.error(req.journal === undefined ? "no build journal: --no-journal" : `no build journal in ${path.dirname(path.dirname(req.journal.store.dir))}`);
    return 2;
  }
  try {
    req.journal.store.check();
    if (req.command === "console") return await shell(db, opts, req, msg, out);
    return await dispatch(req.command, db, opts, req, req.words, out);
  } catch (e) {
    if (!(e instanceof SelectionError) && !(e instanceof JournalError)) throw e;
    msg.error(e.message);
    return 2;
  }
}

/** The targets a selection names, as goals of a build (--select). */
export async function selectGoals(db: Database, opts: BuildOptions, journal: Journal | undefined, words: string[]): Promise<string[]> {
  try {
    const st = await statusOf(db, opts, journal, goalsFor(db, words));
    return evaluate(parseSelection(words), universe(st));
  } catch (e) {
    if (e instanceof SelectionError) throw new MakeError(`--select: ${e.message}`);
    throw e;
  }
}
