// Wraps the napi-rs binary (crates/binding) so it implements Backend exactly. The binding's
// exports are declared in binding.ts, which napi-rs generates from the Rust; this file is the
// only one that calls them. The loader (index.ts) hands over a binary only once its version is
// the package's, so every export declared there is present.

import type * as Binding from "./binding.js";
import { checkHashAlgorithm } from "./hash-algorithm.js";
import type {
  Backend,
  Candidate,
  FileHash,
  FileIdentity,
  HashAlgorithm,
  PatternInfo,
  PatternSet,
  PendingListing,
  ProofReader,
  ProofsChecked,
  RecordsRead,
  RecordTarget,
  SmallFile,
} from "./types.js";

/** What crates/binding exports. */
export type NativeBinding = typeof Binding;

/** napi's errors carry a `code` (its Status, e.g. "InvalidArg") that the JS backend's do not;
 * rethrow the message alone so callers see the same Error from either backend. */
function rethrowPlain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof Error ? new Error(err.message) : err;
  }
}

class NativePatternSet implements PatternSet {
  /** Wildcards per pattern, to cut the packed bound texts into each candidate's bindings. */
  private readonly arity: number[];

  constructor(private readonly handle: Binding.NativePatternSet) {
    this.arity = Array.from({ length: handle.size }, (_, i) => handle.info(i).wildcards.length);
  }

  get size(): number {
    return this.handle.size;
  }

  info(index: number): PatternInfo {
    const { source, wildcards } = rethrowPlain(() => this.handle.info(index));
    return { source, wildcards };
  }

  /** One string crosses the boundary instead of a string per name, and three buffers come back
   * instead of an object per candidate and a string per binding (Binding.JoinedMatches); the
   * bound texts are sliced out of the joined names here. File names never hold a NUL. */
  matchBatch(names: string[]): Candidate[][] {
    // The binding reads an empty string as one empty name.
    if (names.length === 0) return [];
    const joined = names.join("\0");
    const { counts, patterns, spans } = this.handle.matchJoined(joined);
    const out: Candidate[][] = new Array(counts.length);
    let c = 0;
    let s = 0;
    for (let i = 0; i < counts.length; i++) {
      const found: Candidate[] = new Array(counts[i]!);
      for (let k = 0; k < found.length; k++, c++) {
        const pattern = patterns[c]!;
        const bindings: string[] = new Array(this.arity[pattern]!);
        for (let w = 0; w < bindings.length; w++, s += 2) bindings[w] = joined.slice(spans[s]!, spans[s + 1]!);
        found[k] = { pattern, bindings };
      }
      out[i] = found;
    }
    return out;
  }
}

export class NativeBackend implements Backend {
  readonly name = "native" as const;

  constructor(
    private readonly binding: NativeBinding,
    /** Where the binary was loaded from (a file path or a package name), for diagnostics. */
    readonly source: string,
  ) {}

  /** The binding's own version string. */
  get version(): string {
    return this.binding.nativeVersion();
  }

  compilePatterns(patterns: string[]): PatternSet {
    return new NativePatternSet(rethrowPlain(() => new this.binding.NativePatternSet(patterns)));
  }

  /** napi would refuse an unknown algorithm too, but in its own words and synchronously: the
   * check comes first so both backends reject it alike. */
  async hashFiles(paths: string[], algorithm: HashAlgorithm): Promise<FileHash[]> {
    checkHashAlgorithm(algorithm);
    return this.binding.hashFiles(paths, algorithm);
  }

  statMtimes(paths: string[]): Promise<Float64Array> {
    // One string crosses instead of one per path (paths never hold a NUL). The binding reads an
    // empty string as one empty path.
    if (paths.length === 0) return Promise.resolve(new Float64Array(0));
    return this.binding.statMtimesJoined(paths.join("\0"));
  }

  async statIdentities(paths: string[]): Promise<(FileIdentity | undefined)[]> {
    if (paths.length === 0) return [];
    const { ids, sizes, mtimes } = await this.binding.statIdentitiesJoined(paths.join("\0"));
    const idList = ids.split("\0");
    return idList.map((id, i) => (id === "" ? undefined : { id, size: sizes[i]!, mtimeMs: mtimes[i]! }));
  }

  async readSmallFiles(paths: string[], maxBytes: number): Promise<(SmallFile | undefined)[]> {
    if (paths.length === 0) return [];
    const { texts, present, mtimes } = await this.binding.readSmallFilesJoined(paths.join("\0"), maxBytes);
    const list = texts.split("\0");
    return list.map((text, i) => (present[i] === 1 ? { text, mtimeMs: mtimes[i]! } : undefined));
  }

  /** The targets cross as one NUL-joined string (name, path, record, for each), and the
   * answer as a few flat buffers (Binding.RecordsRead). */
  async readRecords(targets: readonly RecordTarget[], algorithm: HashAlgorithm, noTimestamp: boolean, maxBytes: number, base: string): Promise<RecordsRead> {
    checkHashAlgorithm(algorithm);
    const parts: string[] = new Array(targets.length * 3);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      parts[3 * i] = t.name;
      parts[3 * i + 1] = t.path;
      parts[3 * i + 2] = t.record;
    }
    const r = await this.binding.readRecordsJoined(parts.join("\0"), algorithm, noTimestamp, maxBytes, base);
    const files = r.prereqFiles.length === 0 ? [] : r.fileNames.split("\0");
    const none = targets.length === 0;
    return {
      ...r,
      recordIds: none ? [] : r.recordIds.split("\0"),
      targetIds: none ? [] : r.targetIds.split("\0"),
      fileNames: files,
      fileIds: files.length === 0 ? [] : r.fileIds.split("\0"),
    };
  }

  openProofs(file: string, header: string): ProofReader {
    const handle = new this.binding.ProofFile(file, header);
    return {
      async check(targets: readonly RecordTarget[], base: string): Promise<ProofsChecked> {
        const parts: string[] = new Array(targets.length * 3);
        for (let i = 0; i < targets.length; i++) {
          const t = targets[i]!;
          parts[3 * i] = t.name;
          parts[3 * i + 1] = t.path;
          parts[3 * i + 2] = t.record;
        }
        const r = await handle.check(parts.join("\0"), base);
        return {
          ...r,
          hex: targets.length === 0 ? [] : r.hex.split("\0"),
          deps: r.depTimes.length === 0 ? [] : r.deps.split("\0"),
        };
      },
    };
  }

  startListing(dir: string): PendingListing {
    const read = new this.binding.DirectoryListing(dir);
    return {
      done: () => read.done(),
      take: () => {
        // Each entry comes with a NUL after it.
        const joined = read.take();
        return joined === null ? null : joined === "" ? [] : joined.slice(0, -1).split("\0");
      },
    };
  }
}
