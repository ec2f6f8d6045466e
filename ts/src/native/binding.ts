// What the napi-rs binding (crates/binding) exports, as `napi build --dts` declares it from the
// #[napi] items. Generated: do not edit. `npm run build:native -- --update-dts` rewrites it, and
// crates/binding/test checks it against every native build.
/* eslint-disable */

/**
 * A directory's entries read on a thread of its own from the moment it is made
 * (tmake_fsmeta::listing): the rule search starts one when it begins searching a directory
 * and takes it once pruning there pays.
 */
export declare class DirectoryListing {
  constructor(dir: string)
  /** Whether the read is over (take() would not wait). */
  done(): boolean
  /**
   * The entries, each followed by a NUL, once the read is done (this waits for it); null
   * when the directory could not be read, or when the listing was taken already.
   */
  take(): string | null
}

/** A compiled, indexed set of target patterns. */
export declare class NativePatternSet {
  /** Throws an Error naming the first bad pattern. */
  constructor(patterns: Array<string>)
  get size(): number
  info(index: number): PatternInfo
  /**
   * For each name, every (pattern, bindings) candidate in compiled-pattern order and
   * biomake's split order.
   */
  matchBatch(names: Array<string>): Array<Array<Candidate>>
  /**
   * `matchBatch` for the names in one string, separated by NUL characters (a name never holds
   * one; an empty string is one empty name), answered as JoinedMatches. One string crosses
   * instead of an array of them.
   */
  matchJoined(names: string): JoinedMatches
}

/** The proofs of a file (tmake_fsmeta::proofs), read once, on the first check. */
export declare class ProofFile {
  /** The proofs kept in the file at `path`, if its first line is `header`. */
  constructor(path: string, header: string)
  /**
   * Checks the proofs of a batch of targets on Rust threads: `items` holds, NUL-separated,
   * each target's name, its path and its record's path; prerequisites are relative to `base`.
   */
  check(items: string, base: string): Promise<ProofsChecked>
}

/** One way a name matches a pattern. */
export interface Candidate {
  /** Index of the pattern in the compiled set. */
  pattern: number
  /** Bound text for each wildcard, in the order of PatternInfo.wildcards. */
  bindings: Array<string>
}

/** The outcome for one file: `hex` and `size`, or `error` (napi leaves the absent ones out). */
export interface FileHash {
  path: string
  /** Lower-case hex digest; absent when the file could not be read. */
  hex?: string
  /** Bytes hashed. */
  size?: number
  /** Why the file could not be hashed (e.g. "ENOENT: no such file or directory"). */
  error?: string
}

/**
 * A digest algorithm, as it crosses from JS: the strings "md5" and "blake3" (a TypeScript
 * union in the generated declarations). napi refuses any other value before the call starts.
 */
export type HashAlgorithm = 'md5' | 'blake3'

/** Digests of every file, in input order. An unreadable file only sets that file's `error`. */
export declare function hashFiles(paths: Array<string>, algorithm: HashAlgorithm): Promise<Array<FileHash>>

/**
 * Identities of a batch of files (`statIdentitiesJoined`): name `i`'s identity is the `i`-th
 * of the NUL-separated `ids` (empty when it does not exist or is no regular file), with its size
 * and modification time (ms) at `sizes[i]` and `mtimes[i]`.
 */
export interface Identities {
  ids: string
  sizes: Float64Array
  mtimes: Float64Array
}

/**
 * `matchBatch`'s result in three flat buffers instead of one JS object per candidate and a
 * string per bound text: building those through N-API costs several times the matching
 * itself, while JS slices the texts out of the string it passed in (see
 * `tmake_matcher::PackedSpans`). Name `i` has `counts[i]` candidates; candidate `c` (counted
 * across all names) is pattern `patterns[c]` with `info(patterns[c]).wildcards.length` bound
 * texts; bound text `b` is `names.slice(spans[2 * b], spans[2 * b + 1])`.
 */
export interface JoinedMatches {
  counts: Uint32Array
  patterns: Uint32Array
  spans: Uint32Array
}

/** The binding's version (the crates' workspace version). */
export declare function nativeVersion(): string

/** A compiled pattern's text and wildcard names. */
export interface PatternInfo {
  /** The pattern text as compiled. */
  source: string
  /** The wildcard names in order of first occurrence ("%" for GNU's stem). */
  wildcards: Array<string>
}

/**
 * What a check of kept proofs found (`ProofFile.check`): target `i`'s proof holds when
 * `holds[i]` is 1; then it says the target holds `sizes[i]` bytes of digest `hex` (the `i`-th of
 * the NUL-separated `hex`, empty when it does not hold), and its prerequisites are the
 * NUL-separated `deps` from `depStart[i]` to `depStart[i + 1]`, each with its modification time
 * (ms) at the same place in `depTimes`.
 */
export interface ProofsChecked {
  holds: Uint8Array
  sizes: Float64Array
  hex: string
  depStart: Uint32Array
  deps: string
  depTimes: Float64Array
}

/**
 * Reads the records of a batch of targets ahead, on Rust threads: `items` holds, NUL-separated,
 * each target's name, its path and its record's path; the algorithm says which layout (md5:
 * biomake's; blake3: tmake's own); `noTimestamp` is biomake's -M; a record larger than
 * `maxBytes` is left to the caller; the files records name are stat'ed relative to `base`.
 */
export declare function readRecordsJoined(items: string, algorithm: HashAlgorithm, noTimestamp: boolean, maxBytes: number, base: string): Promise<RecordsRead>

/**
 * Reads each file whole when it holds at most `maxBytes` (records of targets); paths as one
 * NUL-separated string. A text holding a NUL is not a record: such a file counts as absent.
 */
export declare function readSmallFilesJoined(paths: string, maxBytes: number): Promise<SmallFiles>

/**
 * A batch of records read ahead (`readRecordsJoined`, see tmake_fsmeta::records). Target `i`:
 * `verdicts[i]` (0 no record, 1 left to the caller, 2 parsed and its digest of the target holds,
 * 3 parsed but not trusted); when parsed, its recorded size `targetSizes[i]` and digest
 * `targetHex.slice(i * L, (i + 1) * L)` (L the digest's length), and its prerequisites
 * `prereqStart[i]` to `prereqStart[i + 1]`. Prerequisite `j`: recorded size `prereqSizes[j]`,
 * digest `prereqHex.slice(j * L, (j + 1) * L)`, and file `prereqFiles[j]`. File `f`: the `f`-th
 * of the NUL-separated `fileNames` and `fileIds` (an empty identity: not a regular file), and
 * `fileSizes[f]`. When parsed, the identities of the record and of the target are the `i`-th
 * of the NUL-separated `recordIds` and `targetIds` (empty when there is none).
 */
export interface RecordsRead {
  verdicts: Uint8Array
  recordIds: string
  targetIds: string
  targetSizes: Float64Array
  targetHex: string
  prereqStart: Uint32Array
  prereqSizes: Float64Array
  prereqHex: string
  prereqFiles: Uint32Array
  fileNames: string
  fileIds: string
  fileSizes: Float64Array
}

/**
 * Small files read whole (`readSmallFilesJoined`): file `i`'s text is the `i`-th of the
 * NUL-separated `texts` when `present[i]` is 1, with its modification time (ms) at `mtimes[i]`.
 */
export interface SmallFiles {
  texts: string
  present: Uint8Array
  mtimes: Float64Array
}

/**
 * The identity on disk (`DEV:INO:SIZE:MTIME_NS`) of each path, for the digest cache; paths as
 * one NUL-separated string (an empty string is one empty path).
 */
export declare function statIdentitiesJoined(paths: string): Promise<Identities>

/**
 * Modification time of each path in ms, as Node's `Stats.mtimeMs`: -1 when it does not exist,
 * NaN when `stat` failed otherwise. The paths come as one string, separated by NUL characters
 * (a path never holds one; as for `matchJoined`, an empty string is one empty path): one string
 * crosses instead of one per path, and it is cut up on the worker thread.
 */
export declare function statMtimesJoined(paths: string): Promise<Float64Array>
