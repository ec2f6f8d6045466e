// The JS fallback for file hashing: MD5 through node:crypto, BLAKE3 through hash-wasm. Each file
// is read as a stream of fixed-size chunks, so memory stays constant however large the file is,
// and several files are in flight at once so the disk is kept busy.
//
// Unlike the native backend, the digest arithmetic runs on the main thread (between the
// asynchronous reads); only the reads themselves happen off it.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
// hash-wasm is loaded on first use: most runs never hash with the JS fallback.
import { checkHashAlgorithm, unknownHashAlgorithm } from "./hash-algorithm.js";
import type { FileHash, HashAlgorithm } from "./types.js";

/** Bytes per read. Large enough that per-chunk overhead is negligible, small enough that the
 * concurrent reads together stay a few MiB. */
const CHUNK_BYTES = 1 << 20;

/** Files hashed at once. */
const CONCURRENCY = 4;

/** A running digest: feed it chunks, then take the hex. */
interface Digest {
  update(chunk: Uint8Array): void;
  hex(): string;
}

async function newDigest(algorithm: HashAlgorithm): Promise<Digest> {
  switch (algorithm) {
    case "md5": {
      const h = createHash("md5");
      return { update: (c) => h.update(c), hex: () => h.digest("hex") };
    }
    case "blake3": {
      // Each call makes its own wasm instance, so concurrent files do not share state.
      const { createBLAKE3 } = await import("hash-wasm");
      const h = await createBLAKE3();
      return { update: (c) => void h.update(c), hex: () => h.digest("hex") };
    }
    default:
      // tsc checks that every HashAlgorithm has its case above (`algorithm` is `never` here);
      // only a caller that passed some other string gets here.
      throw unknownHashAlgorithm(algorithm satisfies never);
  }
}

/** "ENOENT: no such file or directory, open '/x'" -> "ENOENT: no such file or directory":
 * the path is already in FileHash.path. */
function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && err.message.startsWith(`${code}: `)) {
      const comma = err.message.indexOf(", ");
      return comma > 0 ? err.message.slice(0, comma) : err.message;
    }
    return err.message;
  }
  return String(err);
}

export async function hashFile(path: string, algorithm: HashAlgorithm): Promise<FileHash> {
  const digest = await newDigest(algorithm);
  try {
    let size = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      const bytes = chunk as Buffer;
      digest.update(bytes);
      size += bytes.length;
    }
    return { path, hex: digest.hex(), size };
  } catch (err) {
    return { path, error: describeError(err) };
  }
}

/** Hashes every path, at most CONCURRENCY at a time; results are in the order of `paths`. */
export async function hashFiles(paths: string[], algorithm: HashAlgorithm): Promise<FileHash[]> {
  // Refuse an unknown algorithm once, up front, rather than once per file.
  checkHashAlgorithm(algorithm);
  const results: FileHash[] = new Array(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      results[i] = await hashFile(paths[i]!, algorithm);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker));
  return results;
}
