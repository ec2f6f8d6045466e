// .EXTRA_PREREQS (GNU Make 4.3): prerequisites added to targets that the automatic variables
// ($< $^ $+ $? $|) leave out, so a recipe is rerun when they change without naming them.
//
// GNU adds them once the makefiles are read (snap_file in file.c): a file with target-specific
// variables takes the value its own variables give (none if they do not set .EXTRA_PREREQS,
// whatever the global value), any other target the global value; a file that would depend on
// itself gets none. The global value is also appended to every pattern rule's prerequisites
// (snap_implicit_rules), see RuleSet.
import { globWord, hasWildcard } from "../expand/functions/glob.js";
import { VarScope } from "../expand/variables.js";
import type { Assignment } from "../expand/variables.js";
import type { Database } from "../read/database.js";
import { Dep, type FileNode, type FileTable } from "./files.js";

const NAME = ".EXTRA_PREREQS";

export interface ExtraPrereq {
  name: string;
  orderOnly: boolean;
}

/** The prerequisites a value names, read as GNU's split_prereqs reads them: expanded (in the
 * global context, whatever the variable's flavour), wildcards globbed, names after `|`
 * order-only. */
function prereqsOf(db: Database, value: string, cwd: string): ExtraPrereq[] {
  const out: ExtraPrereq[] = [];
  let orderOnly = false;
  for (const w of db.expander.expand(value, db.globals).split(/\s+/)) {
    if (w === "") continue;
    if (w === "|") {
      orderOnly = true;
      continue;
    }
    const names = hasWildcard(w) ? globWord(w, cwd) : [];
    for (const name of names.length > 0 ? names : [w]) out.push({ name, orderOnly });
  }
  return out;
}

/** The global value's prerequisites (what pattern rules get). */
export function globalExtraPrereqs(db: Database, cwd: string): ExtraPrereq[] {
  const v = db.globals.get(NAME);
  return v === undefined ? [] : prereqsOf(db, v.value, cwd);
}

/** The value a target's own assignments give .EXTRA_PREREQS (GNU looks only in the target's
 * own variable set: a `+=` there holds just what it appends), or undefined. */
function ownValue(assignments: Assignment[], db: Database): string | undefined {
  let scope: VarScope | undefined;
  for (const a of assignments) {
    if (a.name !== NAME) continue;
    scope ??= new VarScope(new VarScope());
    db.expander.assign(scope, a, a.override ? "override" : "file");
  }
  return scope?.getLocal(NAME)?.value;
}

/** Adds the extra prerequisites to the files of the table, after their own. */
export function addExtraPrereqs(db: Database, files: FileTable, cwd: string): void {
  const global = globalExtraPrereqs(db, cwd);
  const own = new Map<string, ExtraPrereq[]>();
  for (const [name, assignments] of db.targetVars) {
    const value = ownValue(assignments, db);
    if (value !== undefined) own.set(name, prereqsOf(db, value, cwd));
  }
  if (global.length === 0 && own.size === 0) return;
  const nodes: FileNode[] = [...files.all()];
  // GNU enters a file when it reads a target-specific assignment for it.
  for (const name of own.keys()) if (files.lookup(name) === undefined) nodes.push(files.enter(name));
  for (const f of nodes) {
    const extras = db.targetVars.has(f.name) ? own.get(f.name) : f.isTarget ? global : undefined;
    if (extras === undefined || extras.length === 0) continue;
    if (extras.some((e) => e.name === f.name)) continue;
    // A `::` target: its first entry (the one GNU's file table holds).
    const node = f.dcEntries?.[0] ?? f;
    node.appendDeps(extras.map((e) => new Dep(files.enter(e.name), e.orderOnly, true, true)));
  }
}
