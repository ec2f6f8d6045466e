// A quick, exact "no name in this list ends with S" test for lists of many file names.
//
// Rule pruning (search.ts, shapeViable) asks whether any name in a directory has the shape
// `pre*suf`. Most such questions are about suffixes no name has (`%,v`, `%.c` in a directory of
// `.fa` files); scanning a directory of 100,000 names for each of them is what made the first
// pattern search in a large directory slow. Tails remembers the last one and two characters of
// every name (as small integers, so adding a name allocates nothing), and a suffix whose tail no
// name has is answered at once; any other question still scans.

const oneCode = (c1: number): number => -1 - c1;
const twoCode = (c2: number, c1: number): number => (c2 << 16) | c1;

export class Tails {
  private readonly codes = new Set<number>();

  add(name: string): void {
    const n = name.length;
    if (n === 0) return;
    const c1 = name.charCodeAt(n - 1);
    this.codes.add(oneCode(c1));
    if (n >= 2) this.codes.add(twoCode(name.charCodeAt(n - 2), c1));
  }

  /** false when no name added ends with `suffix` (true means: maybe). */
  mayEndWith(suffix: string): boolean {
    const n = suffix.length;
    if (n === 0) return this.codes.size > 0;
    const c1 = suffix.charCodeAt(n - 1);
    if (n === 1) return this.codes.has(oneCode(c1));
    return this.codes.has(twoCode(suffix.charCodeAt(n - 2), c1));
  }
}

/** Names with their Tails. */
export interface NameIndex<T extends Iterable<string>> {
  names: T;
  tails: Tails;
}
