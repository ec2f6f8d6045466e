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
// The proofs are read and checked by the backend (Backend.openProofs: crates/fsmeta's
// proofs.rs, off the main thread); this module writes them. A line whose names hold an escape
// is kept but never read back: its target is decided the plain way.
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

/** One proof. */
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

/** The header line of the proofs of these settings. */
export function proofsHeader(algorithm: HashAlgorithm, noTimestamp: boolean): string {
  return `tmake-verified 1 ${algorithm} ${noTimestamp ? "no-timestamp" : "timestamp"}`;
}

/** The proofs this run keeps and drops, written over the file's at the end. */
export class VerifiedCache {
  readonly header: string;
  /** Proofs made this run (null: dropped), by target name. */
  private readonly changes = new Map<string, string | null>();

  constructor(
    private readonly cwd: string,
    algorithm: HashAlgorithm,
    noTimestamp: boolean,
  ) {
    this.header = proofsHeader(algorithm, noTimestamp);
  }

  /** The file's path. */
  get file(): string {
    return path.resolve(this.cwd, VERIFIED_FILE);
  }

  /** Keeps a proof of `target` made from identities seen at `seenMs` (ms since the epoch, taken
   * before they were fetched), unless one of the files was modified too shortly before. */
  store(target: string, proof: Proof, seenMs: number): void {
    for (const id of proof.ids) if (id === "" || seenMs - mtimeMsOf(id) < RACY_MS) return;
    this.changes.set(target, `${JSON.stringify(target)}\t${proof.ids.join(" ")}\t${proof.size} ${proof.hex}\t${JSON.stringify(proof.deps)}`);
  }

  /** Forgets the proof of `target` (it is being remade). */
  drop(target: string): void {
    this.changes.set(target, null);
  }

  /** Writes the proofs back when this run changed any: the file's, with this run's over them
   * (whole, through a rename). An error is returned, not thrown: the proofs only save work. */
  save(): Error | undefined {
    if (this.changes.size === 0) return undefined;
    let text = "";
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      // None yet.
    }
    const lines = text === "" ? [] : text.split("\n");
    const parts: string[] = [this.header];
    // Another version's or other settings' file is replaced.
    let changed = text !== "" && lines[0] !== this.header;
    const inFile = new Map<string, string>();
    if (!changed)
      for (const line of lines.slice(1)) {
        if (line === "") continue;
        const name = nameOf(line);
        if (name === undefined) changed = true;
        else inFile.set(name, line);
      }
    for (const [name, line] of inFile) {
      const mine = this.changes.get(name);
      if (mine === undefined) parts.push(line);
      else if (mine !== line) changed = true;
    }
    for (const [name, line] of this.changes) {
      if (line === null) continue;
      parts.push(line);
      if (inFile.get(name) !== line) changed = true;
    }
    this.changes.clear();
    if (!changed) return undefined;
    try {
      writeAtomically(this.cwd, VERIFIED_FILE, `${parts.join("\n")}\n`, STATE_TMP_DIR);
      return undefined;
    } catch (e) {
      return e as Error;
    }
  }
}

/** The target's name of a line of the file, or undefined when it cannot be read. */
function nameOf(line: string): string | undefined {
  const tab = line.indexOf("\t");
  if (tab < 0) return undefined;
  try {
    const name: unknown = JSON.parse(line.slice(0, tab));
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}
