// The files a recipe is making, and their removal when the recipe did not finish them (GNU's
// delete_target and delete_child_targets in commands.c).
//
// GNU removes them after a recipe died of a signal (an aligner killed for running out of
// memory leaves a half-written file that the next run would call up to date), after any
// failure under .DELETE_ON_ERROR, and when make itself is interrupted. Each file is looked at
// on its own: it is removed unless it is precious or phony, and only when it is a regular file
// (a directory is left alone) whose modification time differs from the one make knew before
// the recipe ran. The target itself comes first (`*** Deleting file 'x'`), then the other
// targets the same recipe makes (`*** [x] Deleting file 'y'`), once per recipe.
import fs from "node:fs";
import path from "node:path";
import { errnoText } from "./exec.js";
import type { JobSpec } from "./types.js";

interface Watched {
  name: string;
  keep: boolean;
  /** Whether make knew the file's time before the recipe: then `before` holds it. */
  known: boolean;
  /** The time in nanoseconds before the first command started; undefined: no such file. */
  before: bigint | undefined;
}

/** Modification time in nanoseconds, or undefined when the file does not exist. */
function mtimeNs(file: string): bigint | undefined {
  try {
    return fs.statSync(file, { bigint: true, throwIfNoEntry: false })?.mtimeNs;
  } catch {
    return undefined;
  }
}

export class ChildTargets {
  private watched: Watched[] | undefined;
  private deleted = false;

  constructor(private readonly spec: JobSpec) {}

  /** Whether a command has started (before that there is nothing to delete). */
  get started(): boolean {
    return this.watched !== undefined;
  }

  /** Called just before the recipe's first command starts: takes the times make compares
   * with. The target's own time is the one GNU recorded when it decided to remake it. Another
   * target of the rule whose time make never looked at has GNU's unknown time, which no real
   * time equals: GNU 4.3 removes such a file whenever it exists, and so does tmake. */
  noteStart(): void {
    if (this.watched !== undefined) return;
    const spec = this.spec;
    const file = (name: string): string => path.resolve(spec.cwd, name);
    this.watched = [
      { name: spec.target, keep: spec.keep, known: true, before: mtimeNs(file(spec.target)) },
      ...(spec.alsoMake ?? []).map((a) => ({ name: a.name, keep: a.keep, known: a.known, before: a.known ? mtimeNs(file(a.name)) : undefined })),
    ];
  }

  /** GNU's delete_child_targets: removes each file the recipe changed, saying so on standard
   * error. Does nothing before the first command, or the second time. Returns the names
   * removed. */
  deleteChanged(): string[] {
    if (this.watched === undefined || this.deleted) return [];
    this.deleted = true;
    const removed: string[] = [];
    for (const [i, w] of this.watched.entries()) {
      if (w.keep) continue;
      const file = path.resolve(this.spec.cwd, w.name);
      let stat: fs.BigIntStats | undefined;
      try {
        stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
      } catch {
        stat = undefined;
      }
      if (stat === undefined || !stat.isFile() || (w.known && stat.mtimeNs === w.before)) continue;
      const msg = this.spec.run.msg;
      msg.error(i === 0 ? `*** Deleting file '${w.name}'` : `*** [${this.spec.target}] Deleting file '${w.name}'`);
      try {
        fs.unlinkSync(file);
        removed.push(w.name);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        // It disappeared: so what (GNU).
        if (err.code !== "ENOENT") this.spec.run.msg.error(`unlink: ${w.name}: ${errnoText(err)}`);
      }
    }
    return removed;
  }
}
