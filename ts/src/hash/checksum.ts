// `tmake --checksum [--hash-algo md5|blake3] FILE...`: the digests of files, printed byte for
// byte as `md5sum` (GNU coreutils 9) or `b3sum` print them, from the hasher the build uses (all
// files in one batch on the native backend's threads). It makes that hasher easy to check
// against those tools, and to time against them (benchmarks/hash).
//
// Line format, both tools: `HEX  NAME`. A name holding a backslash or a newline is escaped
// (`\\`, `\n`) and its line starts with a backslash; md5sum escapes a carriage return too (`\r`),
// b3sum does not. No FILE, or `-`, is standard input. A file that cannot be read is said on
// standard error (`tmake: NAME: No such file or directory`) and the status is 1, as theirs is.
import { createHash } from "node:crypto";
import { loadBackend } from "../native/index.js";
import type { HashAlgorithm } from "../native/types.js";
import { strerror } from "../expand/functions/strerror.js";

/** The line md5sum or b3sum prints for `name`'s digest `hex`. */
export function checksumLine(algorithm: HashAlgorithm, hex: string, name: string): string {
  const special = algorithm === "md5" ? /[\\\n\r]/ : /[\\\n]/;
  if (!special.test(name)) return `${hex}  ${name}\n`;
  let escaped = name.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  if (algorithm === "md5") escaped = escaped.replace(/\r/g, "\\r");
  return `\\${hex}  ${escaped}\n`;
}

/** Digest of standard input. */
async function hashStdin(algorithm: HashAlgorithm): Promise<string> {
  if (algorithm === "md5") {
    const h = createHash("md5");
    for await (const chunk of process.stdin) h.update(chunk as Buffer);
    return h.digest("hex");
  }
  const { createBLAKE3 } = await import("hash-wasm");
  const h = await createBLAKE3();
  for await (const chunk of process.stdin) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** "ENOENT: no such file or directory" -> "No such file or directory" (the C library's words,
 * as md5sum says them). */
function reason(error: string): string {
  const code = /^([A-Z0-9]+):/.exec(error)?.[1];
  return code !== undefined ? strerror({ code, message: error }) : error;
}

/** Prints the digest lines of `files` (standard input for none, or for `-`) through `out`, and
 * errors through `err`; resolves to the exit status (0, or 1 when a file could not be read). */
export async function printChecksums(
  files: readonly string[],
  algorithm: HashAlgorithm,
  out: (text: string) => void,
  err: (text: string) => void,
  program: string,
): Promise<number> {
  const names = files.length === 0 ? ["-"] : files;
  const paths = names.filter((n) => n !== "-");
  const results = paths.length > 0 ? await loadBackend().hashFiles(paths, algorithm) : [];
  let status = 0;
  let next = 0;
  for (const name of names) {
    if (name === "-") {
      out(checksumLine(algorithm, await hashStdin(algorithm), "-"));
      continue;
    }
    const r = results[next++]!;
    if (r.hex !== undefined) out(checksumLine(algorithm, r.hex, name));
    else {
      err(`${program}: ${name}: ${reason(r.error ?? "cannot be read")}\n`);
      status = 1;
    }
  }
  return status;
}
