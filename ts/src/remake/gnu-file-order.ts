// The order in which GNU Make walks its file table. Where GNU goes through "every file" (the
// intermediate files it removes at the end, in one `rm a b c` line) it walks the slots of its
// hash table (file.c's `files`, hash.c), so that order is what users see. The table is open
// addressing with linear probing (its second hash is the constant 1), 1024 slots at the start,
// doubled when more than 15/16 of them are full (the old slots are then re-entered in slot
// order), and its hash is GNU's jhash_string, a variant of Bob Jenkins' lookup3 that reads the
// name 4 bytes at a time, little-endian, up to its terminating NUL.
//
// The table is rebuilt here from the names in the order they were entered; what GNU entered
// before the makefiles were read (.SUFFIXES, the default suffixes and suffix rules, .DEFAULT)
// comes first. Names GNU enters that tmake never does can only move a name by a collision, so
// the order is GNU's in all but rare cases.

const INITIAL_SIZE = 1024;

function rol32(v: number, n: number): number {
  return ((v << n) | (v >>> (32 - n))) >>> 0;
}

/** GNU Make 4.3's jhash_string over the UTF-8 bytes of `name`. */
export function gnuStringHash(name: string): number {
  const bytes = Buffer.from(name, "utf8");
  const len = bytes.length;
  let a = 0xdeadbeef;
  let b = 0xdeadbeef;
  let c = 0xdeadbeef;
  let at = 0;
  // One word of up to 4 bytes (zero past the end), summed up to the first NUL byte: whole if
  // it holds none, else only the bytes before it. Returns [addend, ended].
  const word = (): [number, boolean] => {
    const v = (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | (((bytes[at + 3] ?? 0) << 24) >>> 0);
    const val = v >>> 0;
    if (at + 4 <= len && val & 0xff && val & 0xff00 && val & 0xff0000 && val & 0xff000000) return [val, false];
    if ((val & 0xff) === 0) return [0, true];
    if ((val & 0xff00) === 0) return [val & 0xff, true];
    if ((val & 0xff0000) === 0) return [val & 0xffff, true];
    return [val, true];
  };
  for (;;) {
    let [add, ended] = word();
    a = (a + add) >>> 0;
    if (ended) break;
    at += 4;
    [add, ended] = word();
    b = (b + add) >>> 0;
    if (ended) break;
    at += 4;
    [add, ended] = word();
    c = (c + add) >>> 0;
    if (ended) break;
    at += 4;
    // jhash_mix
    a = (a - c) >>> 0;
    a = (a ^ rol32(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol32(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol32(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rol32(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol32(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol32(b, 4)) >>> 0;
    b = (b + a) >>> 0;
  }
  // jhash_final
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 24)) >>> 0;
  // Plus the bytes consumed before the word that held the NUL.
  return (c + at) >>> 0;
}

/** Each name's slot in GNU's table after entering `names` in order (duplicates ignored). */
export function gnuTableSlots(names: Iterable<string>): Map<string, number> {
  let size = INITIAL_SIZE;
  let slots: (string | undefined)[] = new Array(size);
  const hashes = new Map<string, number>();
  const place = (name: string, hash: number): void => {
    for (let i = hash & (size - 1); ; i = (i + 1) & (size - 1)) {
      if (slots[i] === undefined) {
        slots[i] = name;
        return;
      }
    }
  };
  for (const name of names) {
    if (hashes.has(name)) continue;
    const h = gnuStringHash(name);
    hashes.set(name, h);
    place(name, h);
    if (hashes.size > size - size / 16) {
      const old = slots;
      size *= 2;
      slots = new Array(size);
      for (const n of old) if (n !== undefined) place(n, hashes.get(n)!);
    }
  }
  const out = new Map<string, number>();
  slots.forEach((n, i) => {
    if (n !== undefined) out.set(n, i);
  });
  return out;
}

/** `subset` (names among `entered`) in GNU's table order. */
export function inGnuTableOrder(subset: readonly string[], entered: Iterable<string>): string[] {
  if (subset.length < 2) return [...subset];
  const slot = gnuTableSlots(entered);
  return [...subset].sort((x, y) => (slot.get(x) ?? 0) - (slot.get(y) ?? 0));
}
