// The digest algorithms, as the strings that name them: HashAlgorithm is the union napi-rs
// generates from crates/binding's string enum (binding.ts). Both backends refuse any other name
// with the same error, through checkHashAlgorithm.

import type { HashAlgorithm } from "./binding.js";

/** One entry per HashAlgorithm: a Record, so tsc fails here when the binding's enum gains or
 * loses a member. */
const KNOWN: Record<HashAlgorithm, true> = { md5: true, blake3: true };

/** Every algorithm's name, in the order messages list them. */
export const HASH_ALGORITHMS = Object.keys(KNOWN) as readonly HashAlgorithm[];

/** Whether `name` names a digest algorithm (e.g. a --hash-algo argument). */
export function isHashAlgorithm(name: unknown): name is HashAlgorithm {
  return typeof name === "string" && Object.hasOwn(KNOWN, name);
}

/** The error both backends reject a batch with when `name` is no HashAlgorithm. */
export function unknownHashAlgorithm(name: unknown): Error {
  return new Error(`unknown hash algorithm: ${String(name)} (expected ${HASH_ALGORITHMS.join(" or ")})`);
}

/** Throws unknownHashAlgorithm(name) unless `name` is a HashAlgorithm. */
export function checkHashAlgorithm(name: unknown): asserts name is HashAlgorithm {
  if (!isHashAlgorithm(name)) throw unknownHashAlgorithm(name);
}
