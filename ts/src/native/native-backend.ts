// Wraps the napi-rs binary (crates/binding) so it implements Backend exactly. The binding's own
// names are napi-derive's camelCase; this file is the only place that knows them.

import type { Backend, Candidate, FileHash, HashAlgorithm, PatternInfo, PatternSet } from "./types.js";

/** What crates/binding exports. */
export interface NativeBinding {
  NativePatternSet: new (patterns: string[]) => NativePatternSetHandle;
  hashFiles(paths: string[], algorithm: HashAlgorithm): Promise<FileHash[]>;
  nativeVersion(): string;
}

interface NativePatternSetHandle {
  readonly size: number;
  info(index: number): PatternInfo;
  matchBatch(names: string[]): Candidate[][];
}

/** Throws unless `mod` looks like the binding, so a stray or stale .node file is refused at load
 * time rather than failing in the middle of a build. */
export function assertNativeBinding(mod: unknown): asserts mod is NativeBinding {
  const m = mod as Partial<Record<keyof NativeBinding, unknown>> | null;
  const missing = (["NativePatternSet", "hashFiles", "nativeVersion"] as const).filter(
    (key) => typeof m?.[key] !== "function",
  );
  if (missing.length > 0) throw new Error(`not a tmake native binding (missing ${missing.join(", ")})`);
}

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
  constructor(private readonly handle: NativePatternSetHandle) {}

  get size(): number {
    return this.handle.size;
  }

  info(index: number): PatternInfo {
    const { source, wildcards } = rethrowPlain(() => this.handle.info(index));
    return { source, wildcards };
  }

  matchBatch(names: string[]): Candidate[][] {
    return this.handle.matchBatch(names);
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

  async hashFiles(paths: string[], algorithm: HashAlgorithm): Promise<FileHash[]> {
    const results = await this.binding.hashFiles(paths, algorithm);
    // napi leaves absent Option fields out; copy only the fields that are present so callers
    // see exactly the FileHash shape the JS backend produces.
    return results.map((r) => {
      const out: FileHash = { path: r.path };
      if (r.hex != null) out.hex = r.hex;
      if (r.size != null) out.size = r.size;
      if (r.error != null) out.error = r.error;
      return out;
    });
  }
}
