// Proofs kept between runs (`.tmake/verified`): targets found up to date by content, with the
// identity on disk (device, inode, size, modification time in nanoseconds) of every file the
// finding rested on: the target's record, the target, and each prerequisite. While all of them
// keep those identities the finding still holds, so a null build over a large tree stats three
// files per target instead of reading its record and looking its prerequisites' digests up
// (signal.ts's fastClean).
//
// The rule is the digest cache's (digest-cache.ts): an identity stands for a content only when
// the file had not been modified for RACY_MS when it was seen, so a proof is kept only when
// every file in it is that old. A proof is only as good as the settings it was made under: the
// header names the algorithm and whether record times count (-M); a file of other settings is
// read as empty and replaced on save.
//
// File format, one proof a line after the header:
//   tmake-verified 1 ALGORITHM timestamp|no-timestamp
//   "TARGET"<TAB>RECORD_ID TARGET_ID PREREQ_ID...<TAB>SIZE HEX<TAB>["PREREQ",...]
// names as JSON strings (so no tab is raw in them); SIZE and HEX are what the target holds.
import fs from "node:fs";
import path from "node:path";
import type { HashAlgorithm } from "../native/types.js";
import { RACY_MS } from "./digest-cache.js";
import { STATE_DIR, STATE_TMP_DIR, writeAtomically } from "./state.js";

/** The proofs' file in the state folder. */
export const VERIFIED_FILE = `${STATE_DIR}/verified`;

/** One proof as read. */
export interface Proof {
  /** Identities of the record, the target and each prerequisite, in that order. */
  ids: string[];
  /** The target's prerequisites (normal, in order), by name. */
  deps: string[];
  /** What the target holds. */
  size: number;
  hex: string;
}

/** The ms part of an identity's MTIME_NS. */
function mtimeMsOf(id: string): number {
  const ns = id.slice(id.lastIndexOf(":") + 1);
  return Number(ns.length > 6 ? ns.slice(0, -6) : "0");
}

export class VerifiedCache {
  private readonly header: string;
  private text = "";
  /** By target name: where its line starts in `text`, or a line of this run (null: dropped). */
  private lines: Map<string, number | string> | undefined;
  private dirty = false;

  constructor(
    private readonly cwd: string,
    algorithm: HashAlgorithm,
    noTimestamp: boolean,
  ) {
    this.header = `tmake-verified 1 ${algorithm} ${noTimestamp ? "no-timestamp" : "timestamp"}`;
  }

  /** The file, read on first use: one pass that finds each line's target name. */
  private load(): Map<string, number | string> {
    if (this.lines !== undefined) return this.lines;
    const lines = new Map<string, number | string>();
    this.lines = lines;
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(this.cwd, VERIFIED_FILE), "utf8");
    } catch {
      return lines;
    }
    if (!text.startsWith(`${this.header}\n`)) {
      // Another version's or other settings' proofs: replaced on save.
      this.dirty = true;
      return lines;
    }
    this.text = text;
    let at = this.header.length + 1;
    while (at < text.length) {
      let end = text.indexOf("\n", at);
      if (end < 0) end = text.length;
      const tab = text.indexOf("\t", at);
      if (tab > at && tab < end) {
        const quoted = text.slice(at, tab);
        let name: unknown;
        if (quoted.length >= 2 && quoted.endsWith('"') && !quoted.includes("\\")) name = quoted.slice(1, -1);
        else
          try {
            name = JSON.parse(quoted);
          } catch {
            name = undefined;
          }
        if (typeof name === "string") lines.set(name, at);
      }
      at = end + 1;
    }
    return lines;
  }

  /** The proof kept for `target`, if any (one that cannot be read counts as none). */
  lookup(target: string): Proof | undefined {
    const at = this.load().get(target);
    if (at === undefined) return undefined;
    // Cut out of the file's text in place (a proof is looked up for every target of a tree).
    const text = typeof at === "string" ? at : this.text;
    const start = typeof at === "string" ? 0 : at;
    const end = typeof at === "string" ? at.length : this.lineEnd(at);
    const a = text.indexOf("\t", start);
    const b = text.indexOf("\t", a + 1);
    const c = text.indexOf("\t", b + 1);
    if (a < 0 || b < 0 || c < 0 || c >= end) return undefined;
    const space = text.indexOf(" ", b + 1);
    if (space < 0 || space > c) return undefined;
    const deps = text.slice(c + 1, end);
    let names: unknown;
    // Names without escapes are read without JSON.parse: `["a","b"]`.
    if (deps === "[]") names = [];
    else if (deps.startsWith('["') && deps.endsWith('"]') && !deps.includes("\\")) names = deps.slice(2, -2).split('","');
    else
      try {
        names = JSON.parse(deps);
      } catch {
        return undefined;
      }
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) return undefined;
    const proof = { ids: text.slice(a + 1, b).split(" "), deps: names as string[], size: Number(text.slice(b + 1, space)), hex: text.slice(space + 1, c) };
    if (proof.ids.length !== proof.deps.length + 2 || !Number.isSafeInteger(proof.size)) return undefined;
    return proof;
  }

  private lineEnd(at: number): number {
    const end = this.text.indexOf("\n", at);
    return end < 0 ? this.text.length : end;
  }

  /** Keeps a proof of `target` made from identities seen at `seenMs` (ms since the epoch, taken
   * before they were fetched), unless one of the files was modified too shortly before. */
  store(target: string, proof: Proof, seenMs: number): void {
    for (const id of proof.ids) if (id === "" || seenMs - mtimeMsOf(id) < RACY_MS) return;
    const line = `${JSON.stringify(target)}\t${proof.ids.join(" ")}\t${proof.size} ${proof.hex}\t${JSON.stringify(proof.deps)}`;
    this.load().set(target, line);
    this.dirty = true;
  }

  /** Forgets the proof of `target` (it is being remade). */
  drop(target: string): void {
    if (this.load().delete(target)) this.dirty = true;
  }

  /** Writes the proofs back when they changed (whole, through a rename). An error is returned,
   * not thrown: the proofs only save work. */
  save(): Error | undefined {
    if (!this.dirty || this.lines === undefined) return undefined;
    const parts: string[] = [this.header];
    for (const at of this.lines.values()) parts.push(typeof at === "string" ? at : this.text.slice(at, this.lineEnd(at)));
    try {
      writeAtomically(this.cwd, VERIFIED_FILE, `${parts.join("\n")}\n`, STATE_TMP_DIR);
      this.dirty = false;
      return undefined;
    } catch (e) {
      return e as Error;
    }
  }
}
