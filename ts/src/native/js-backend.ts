// The backend used when the napi-rs binary is absent, fails to load, or TMAKE_NATIVE=0.

import { hashFiles } from "./js-hasher.js";
import { JsPatternSet } from "./js-matcher.js";
import { listWhenTaken, statMtimes } from "./js-stat.js";
import type { Backend, FileHash, HashAlgorithm, PatternSet, PendingListing } from "./types.js";

export class JsBackend implements Backend {
  readonly name = "js" as const;

  compilePatterns(patterns: string[]): PatternSet {
    return new JsPatternSet(patterns);
  }

  hashFiles(paths: string[], algorithm: HashAlgorithm): Promise<FileHash[]> {
    return hashFiles(paths, algorithm);
  }

  statMtimes(paths: string[]): Promise<Float64Array> {
    return Promise.resolve(statMtimes(paths));
  }

  startListing(dir: string): PendingListing {
    return listWhenTaken(dir);
  }
}
