// Content hashes in place of modification times (`-H`, `--hash-algo`): the staleness signal
// (signal.ts), the records it keeps (records.ts), the persistent digest cache (digest-cache.ts)
// in tmake's state folder (state.ts), and `tmake --checksum` (checksum.ts). This stage comes
// after remake (it implements remake's StalenessSignal on remake's file nodes); the CLI hands
// the build a SignalSource made here, so the remake stage never imports it.
import type { BuildOptions, SignalSource } from "../remake/options.js";
import { withoutDotSlash } from "../base/names.js";
import path from "node:path";
import { loadBackend } from "../native/index.js";
import type { ProofReader } from "../native/types.js";
import { HashSignal, type HashOptions } from "./signal.js";
import { proofsHeader, VERIFIED_FILE } from "./verified.js";

export type { HashOptions } from "./signal.js";

/** Proof readers opened before the makefiles were read (readProofsEarly), by file and header. */
const early = new Map<string, ProofReader>();

/** Starts reading the proofs an earlier run kept in `cwd` (on the native backend's threads)
 * while the makefiles are read; the build's signal takes the reader over. */
export function readProofsEarly(cwd: string, hash: HashOptions): void {
  const key = `${path.resolve(cwd, VERIFIED_FILE)}\0${proofsHeader(hash.algorithm, hash.noTimestamp)}`;
  if (early.has(key)) return;
  const reader = loadBackend().openProofs(path.resolve(cwd, VERIFIED_FILE), proofsHeader(hash.algorithm, hash.noTimestamp));
  // An empty check reads the file.
  reader.check([], cwd).catch(() => undefined);
  early.set(key, reader);
}

/** The content-hash signal of a build with these options. */
export function hashSignal(opts: BuildOptions, hash: HashOptions): HashSignal {
  const msg = opts.run.msg;
  const assumeNew = new Set(opts.assumeNew.map(withoutDotSlash));
  const debug = opts.debug.includes("md5") ? (text: string) => msg.out(`% ${text}\n`) : undefined;
  const key = `${path.resolve(opts.cwd, VERIFIED_FILE)}\0${proofsHeader(hash.algorithm, hash.noTimestamp)}`;
  const proofs = early.get(key);
  early.delete(key);
  return new HashSignal(hash, { cwd: opts.cwd, warn: (t) => msg.error(t), debug, assumedNew: (n) => assumeNew.has(n), proofs });
}

/** The SignalSource the CLI gives the build for -H with these settings. */
export function contentHashes(hash: HashOptions): SignalSource {
  return {
    key: `hash:${hash.algorithm}:${hash.noCache ? "no-cache" : "cache"}:${hash.noTimestamp ? "no-timestamp" : "timestamp"}`,
    create: (opts) => hashSignal(opts, hash),
  };
}
