// The backend used when the napi-rs binary is absent, fails to load, or TMAKE_NATIVE=0.

import { hashFiles } from "./js-hasher.js";
import { JsPatternSet } from "./js-matcher.js";
import { listWhenTaken, readSmallFiles, statIdentities, statMtimes } from "./js-stat.js";
import { JsProofReader } from "./js-proofs.js";
import { readRecords } from "./js-records.js";
import type { Backend, FileHash, FileIdentity, HashAlgorithm, PatternSet, PendingListing, ProofReader, RecordsRead, RecordTarget, SmallFile } from "./types.js";

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

  statIdentities(paths: string[]): Promise<(FileIdentity | undefined)[]> {
    return Promise.resolve(statIdentities(paths));
  }

  readSmallFiles(paths: string[], maxBytes: number): Promise<(SmallFile | undefined)[]> {
    return Promise.resolve(readSmallFiles(paths, maxBytes));
  }

  readRecords(targets: readonly RecordTarget[], algorithm: HashAlgorithm, noTimestamp: boolean, maxBytes: number, base: string): Promise<RecordsRead> {
    return Promise.resolve(readRecords(targets, algorithm, noTimestamp, maxBytes, base));
  }

  openProofs(file: string, header: string): ProofReader {
    return new JsProofReader(file, header);
  }

  startListing(dir: string): PendingListing {
    return listWhenTaken(dir);
  }
}
