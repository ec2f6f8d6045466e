// tmake's state folder, `.tmake/` in the directory the build runs in (after -C). What is kept
// there, and the one way files are written into it (and into biomake's `.biomake/`): whole, to a
// temporary file that is renamed into place, so a run killed at any instant leaves either the
// old file or the new one, never a part of one.
//
// Layout (docs/architecture.md, "The state folder"):
//
//   .tmake/digests        the persistent digest cache (digest-cache.ts)
//   .tmake/records/NAME   tmake's own hash records (records.ts), one per target, NAME being the
//                         target's name with `%` and `/` escaped (recordFileName)
//   .tmake/tmp/           files being written, before their rename
//
// The build journal (issue 13) lives beside these. The folder is made when something is first
// written to it, so a build that keeps nothing (no -H) leaves no `.tmake/`.
import fs from "node:fs";
import path from "node:path";

/** The state folder's name, in the build's directory. */
export const STATE_DIR = ".tmake";

/** The persistent digest cache. */
export const DIGESTS_FILE = `${STATE_DIR}/digests`;

/** tmake's own hash records. */
export const RECORDS_DIR = `${STATE_DIR}/records`;

/** Where files are written before they are renamed into the state folder. */
export const STATE_TMP_DIR = `${STATE_DIR}/tmp`;

/** The file name of a target's record in RECORDS_DIR: the name with `%` and `/` percent-escaped,
 * so every target has its own file in one folder and no name can climb out of it. */
export function recordFileName(target: string): string {
  const escaped = target.replace(/%/g, "%25").replace(/\//g, "%2F");
  // `.` and `..` are no file names; a leading dot is escaped too, so no record is hidden.
  return escaped.startsWith(".") ? `%2E${escaped.slice(1)}` : escaped;
}

let counter = 0;

/** Writes `text` to `file` (relative to `cwd`) whole: into `scratchDir` first, then renamed over
 * `file`. The folders are made as needed. Throws the file system's error. */
export function writeAtomically(cwd: string, file: string, text: string, scratchDir: string): void {
  const abs = path.resolve(cwd, file);
  const scratch = path.resolve(cwd, scratchDir);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.mkdirSync(scratch, { recursive: true });
  const tmp = path.join(scratch, `${path.basename(abs)}.${process.pid}.${++counter}`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
