// Signals a command and every process it started (the local runner's part of an interrupt).
// GNU Make signals only its own child and leaves the rest to the terminal's process group;
// tmake also reaches a command's descendants, so that after an interrupt no process of the
// recipe survives to write to a target that was just deleted.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";

/** Process ids of every descendant of `pid` (Linux /proc; empty elsewhere). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number): void => {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let children: string;
      try {
        children = fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of children.split(/\s+/).filter(Boolean).map(Number)) {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(pid);
  return out;
}

/** Sends `signal` to `child` and all its descendants. */
export function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  // List the descendants before anything dies (they would be re-parented and out of reach),
  // then signal the shell before its children, so that it sees the signal it dies of rather
  // than only the death of its command (and goes on with the next one).
  const below = descendants(child.pid);
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
  for (const pid of below) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
