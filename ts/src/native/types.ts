// The one interface that both backends (the napi-rs binary and the JS fallback) implement.
// Everything crosses the boundary in batches: one call per batch of names or files, never
// one call per file.

// The data that crosses the boundary is declared once, by napi-rs from crates/binding's
// #[napi(object)] structs and string enum (binding.ts, generated); the JS fallback produces the
// same shapes.
import type { Candidate, FileHash, HashAlgorithm, PatternInfo } from "./binding.js";

export type { Candidate, FileHash, HashAlgorithm, PatternInfo };

/** A compiled set of target patterns.
 *
 * Pattern syntax (shared by the Rust and TS matchers):
 *   %          GNU Make's stem (at most one per pattern); bound under the name "%".
 *   $X         a named wildcard with a one-letter name (biomake).
 *   $(NAME)    a named wildcard with a longer name; ${NAME} is the same.
 *   $$         a literal '$'.
 *   anything else matches itself.
 * A name that occurs twice in one pattern must bind the same text both times.
 * Every wildcard matches one or more characters (biomake and GNU both refuse empty stems).
 */
export interface PatternSet {
  readonly size: number;
  info(index: number): PatternInfo;
  /** For each name, every (pattern, bindings) candidate: patterns in compiled order, and for
   * one pattern every split of the name, in the order biomake tries them. */
  matchBatch(names: string[]): Candidate[][];
}

export interface Backend {
  readonly name: "native" | "js";
  compilePatterns(patterns: string[]): PatternSet;
  /** Hashes every file in parallel, off the main thread, in constant memory per file.
   * Results are in the order of `paths`; an unreadable file sets only its own `error`; an
   * unknown algorithm rejects the promise. (The JS fallback reads files off the main thread
   * but computes the digests on it, a few files at a time.) */
  hashFiles(paths: string[], algorithm: HashAlgorithm): Promise<FileHash[]>;
  /** The modification time of every path, in ms as Node's `Stats.mtimeMs` gives it (symbolic
   * links followed): -1 when the path does not exist (or a directory part is not a directory),
   * NaN when `stat` failed for another reason. In the order of `paths`. The native backend
   * stats the batch in parallel off the main thread. */
  statMtimes(paths: string[]): Promise<Float64Array>;
  /** The identity on disk of every path (`DEV:INO:SIZE:MTIME_NS`, the persistent digest
   * cache's key), with its size and modification time in ms; undefined for a path that does not
   * exist or is no regular file. In the order of `paths`; the native backend stats the batch in
   * parallel off the main thread. */
  statIdentities(paths: string[]): Promise<(FileIdentity | undefined)[]>;
  /** Every file that exists and holds at most `maxBytes` (and no NUL byte), read whole as
   * UTF-8 with its modification time in ms; undefined for the others. In the order of `paths`;
   * the native backend reads the batch in parallel off the main thread. */
  readSmallFiles(paths: string[], maxBytes: number): Promise<(SmallFile | undefined)[]>;
  /** Reads the hash records of a batch of targets ahead, in the layout `algorithm`'s records
   * have (md5: biomake's; blake3: tmake's own): each record read, parsed when it is laid out
   * exactly as tmake writes it, its target stat'ed, and every file the records name stat'ed
   * once for its identity (names relative to `base`). See RecordsRead. `noTimestamp`: biomake's
   * -M; a record larger than `maxBytes` is left to the caller. The native backend reads the
   * batch in parallel off the main thread. */
  readRecords(targets: readonly RecordTarget[], algorithm: HashAlgorithm, noTimestamp: boolean, maxBytes: number, base: string): Promise<RecordsRead>;
  /** The proofs kept in `file` (ts/src/hash/verified.ts) if its first line is `header`, read
   * on the first check (the native backend reads and checks them off the main thread). */
  openProofs(file: string, header: string): ProofReader;
  /** Starts reading the entries of a directory. The native backend reads on a thread of its
   * own from now on, so the caller can do other work until it takes them; the JS fallback
   * reads when they are taken. */
  startListing(dir: string): PendingListing;
}

/** A regular file's identity on disk (Backend.statIdentities). */
export interface FileIdentity {
  id: string;
  size: number;
  mtimeMs: number;
}

/** A target whose record to read (Backend.readRecords): its name (what the record must name),
 * the path of the file, and the path of its record. */
export interface RecordTarget {
  name: string;
  path: string;
  record: string;
}

/** How a target's record was found (Backend.readRecords). */
export const RecordVerdict = {
  /** No record file. */
  None: 0,
  /** A record file the backend leaves to the caller: not in the canonical layout, too large,
   * or the record of another name. */
  Other: 1,
  /** Parsed; its digest of the target holds for the target as it is (a regular file of the
   * recorded size, not modified after the record was written, or -M). */
  Trusted: 2,
  /** Parsed, but the target is missing, of another size, or newer than its record. */
  Untrusted: 3,
} as const;
export type RecordVerdict = (typeof RecordVerdict)[keyof typeof RecordVerdict];

/** A batch of records read ahead (Backend.readRecords). Target `i`: `verdicts[i]`; when parsed
 * (Trusted or Untrusted), its recorded size `targetSizes[i]` and digest
 * `targetHex.slice(i * L, (i + 1) * L)` (L: the digest's length), and its prerequisites
 * `prereqStart[i]` to `prereqStart[i + 1]`. Prerequisite `j`: recorded size `prereqSizes[j]`,
 * digest `prereqHex.slice(j * L, (j + 1) * L)`, and file `prereqFiles[j]`. File `f` (each
 * name the records hold, once): `fileNames[f]`, its identity now `fileIds[f]` (empty: not a
 * regular file) and size `fileSizes[f]`. When parsed, `recordIds[i]` and `targetIds[i]` are
 * the identities of the record file and of the target (empty: none). */
export interface RecordsRead {
  verdicts: Uint8Array;
  recordIds: string[];
  targetIds: string[];
  targetSizes: Float64Array;
  targetHex: string;
  prereqStart: Uint32Array;
  prereqSizes: Float64Array;
  prereqHex: string;
  prereqFiles: Uint32Array;
  fileNames: string[];
  fileIds: string[];
  fileSizes: Float64Array;
}

/** Proofs an earlier run kept (Backend.openProofs). */
export interface ProofReader {
  /** For each target (its name, path and record's path), whether its kept proof holds: every
   * file it names (record, target, prerequisites relative to `base`) still has the identity it
   * had. See ProofsChecked. */
  check(targets: readonly RecordTarget[], base: string): Promise<ProofsChecked>;
}

/** What ProofReader.check found. Target `i`'s proof holds when `holds[i]` is 1; then the target
 * holds `sizes[i]` bytes of digest `hex[i]`, and its prerequisites are `deps` from `depStart[i]`
 * to `depStart[i + 1]`, each with its modification time (as Node's `mtimeMs`) at the same place
 * in `depTimes`. */
export interface ProofsChecked {
  holds: Uint8Array;
  sizes: Float64Array;
  hex: string[];
  depStart: Uint32Array;
  deps: string[];
  depTimes: Float64Array;
}

/** A small file read whole (Backend.readSmallFiles). */
export interface SmallFile {
  text: string;
  mtimeMs: number;
}

/** A directory listing under way (Backend.startListing). */
export interface PendingListing {
  /** Whether take() would return without waiting for the read (never, with the JS fallback,
   * which reads when taken). */
  done(): boolean;
  /** The entries (without `.` and `..`), or null when the directory cannot be read. Waits for
   * the read if it is not done. Call it once. */
  take(): string[] | null;
}
