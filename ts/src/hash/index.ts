// Content hashes in place of modification times (`-H`, `--hash-algo`): the staleness signal
// (signal.ts), the records it keeps (records.ts), the persistent digest cache (digest-cache.ts)
// in tmake's state folder (state.ts), and `tmake --checksum` (checksum.ts). This stage comes
// after remake (it implements remake's StalenessSignal on remake's file nodes); the CLI hands
// the build a SignalSource made here, so the remake stage never imports it.
import type { BuildOptions, SignalSource } from "../remake/options.js";
import { withoutDotSlash } from "../remake/names.js";
import { HashSignal, type HashOptions } from "./signal.js";

export type { HashOptions } from "./signal.js";

/** The content-hash signal of a build with these options. */
export function hashSignal(opts: BuildOptions, hash: HashOptions): HashSignal {
  const msg = opts.run.msg;
  const assumeNew = new Set(opts.assumeNew.map(withoutDotSlash));
  const debug = opts.debug.includes("md5") ? (text: string) => msg.out(`% ${text}\n`) : undefined;
  return new HashSignal(hash, { cwd: opts.cwd, warn: (t) => msg.error(t), debug, assumedNew: (n) => assumeNew.has(n) });
}

/** The SignalSource the CLI gives the build for -H with these settings. */
export function contentHashes(hash: HashOptions): SignalSource {
  return {
    key: `hash:${hash.algorithm}:${hash.noCache ? "no-cache" : "cache"}:${hash.noTimestamp ? "no-timestamp" : "timestamp"}`,
    create: (opts) => hashSignal(opts, hash),
  };
}
