//! MD5 (RFC 1321), written for the speed of one long file.
//!
//! MD5 is a chain of 64 steps per 64-byte block, each needing the one before it, so one file is
//! as fast as the chain's critical path is short. Each step is
//! `b + rotl(a + K + X + f(b, c, d), s)`: only the terms that depend on `b` (computed by the
//! previous step) are on the path. LLVM, left to itself, reassociates the sum so that the
//! constant is added after `f` (one add more on the path), and rewrites round 2's
//! `(b & d) | (c & !d)` into `((b ^ c) & d) ^ c` (one operation more on the path). An empty
//! `asm!` that passes a value through ([`opaque`]) hides the off-path terms from those rewrites,
//! so each step costs 4 or 5 single-cycle operations on the path:
//!
//! - F: `d ^ (b & (c ^ d))`, with `c ^ d` and `a + K + X` ready before `b`;
//! - G: `(a + K + X + (c & !d)) + (b & d)`, the two halves having no bit in common;
//! - H: `b ^ (c ^ d)`;
//! - I: `c ^ (b | !d)`, with `!d` ready before `b`.
//!
//! Measured against GNU coreutils' `md5sum` (benchmarks/hash): about 8% less CPU time than it
//! for one large file, where the RustCrypto `md-5` crate (pure Rust, or its `asm` feature) takes
//! about 12% more. On targets without `asm!` support the same code runs without the barrier.

/// The per-step constants: floor(abs(sin(i + 1)) * 2^32).
const K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

const INIT: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/// Returns `v` unchanged, through an empty `asm!` the optimiser cannot see into (see the module
/// comment). Costs nothing: no instruction is emitted.
#[inline(always)]
// The template is a comment: how the register is named in it does not matter.
#[allow(asm_sub_register)]
fn opaque(mut v: u32) -> u32 {
    #[cfg(any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    ))]
    // SAFETY: the template is a comment; the register holds `v` in and out, and nothing else
    // is read or written.
    unsafe {
        core::arch::asm!("/* {0} */", inout(reg) v, options(pure, nomem, nostack, preserves_flags));
    }
    v
}

#[inline(always)]
fn ff(a: u32, b: u32, c: u32, d: u32, x: u32, k: u32, s: u32) -> u32 {
    let t = opaque(a.wrapping_add(x).wrapping_add(k)).wrapping_add(d ^ (b & opaque(c ^ d)));
    t.rotate_left(s).wrapping_add(b)
}

#[inline(always)]
fn gg(a: u32, b: u32, c: u32, d: u32, x: u32, k: u32, s: u32) -> u32 {
    let t = opaque(a.wrapping_add(x).wrapping_add(k).wrapping_add(c & !d)).wrapping_add(b & d);
    t.rotate_left(s).wrapping_add(b)
}

#[inline(always)]
fn hh(a: u32, b: u32, c: u32, d: u32, x: u32, k: u32, s: u32) -> u32 {
    let t = opaque(a.wrapping_add(x).wrapping_add(k)).wrapping_add(b ^ opaque(c ^ d));
    t.rotate_left(s).wrapping_add(b)
}

#[inline(always)]
fn ii(a: u32, b: u32, c: u32, d: u32, x: u32, k: u32, s: u32) -> u32 {
    let t = opaque(a.wrapping_add(x).wrapping_add(k)).wrapping_add(c ^ (b | opaque(!d)));
    t.rotate_left(s).wrapping_add(b)
}

/// Runs the compression function over whole 64-byte blocks.
fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    let [mut a, mut b, mut c, mut d] = *state;
    for block in blocks.chunks_exact(64) {
        let mut x = [0u32; 16];
        for (w, bytes) in x.iter_mut().zip(block.chunks_exact(4)) {
            *w = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        let (a0, b0, c0, d0) = (a, b, c, d);
        macro_rules! round {
            ($f:ident, $j:expr, [$i0:expr, $i1:expr, $i2:expr, $i3:expr], [$s0:expr, $s1:expr, $s2:expr, $s3:expr]) => {
                a = $f(a, b, c, d, x[$i0], K[$j], $s0);
                d = $f(d, a, b, c, x[$i1], K[$j + 1], $s1);
                c = $f(c, d, a, b, x[$i2], K[$j + 2], $s2);
                b = $f(b, c, d, a, x[$i3], K[$j + 3], $s3);
            };
        }
        round!(ff, 0, [0, 1, 2, 3], [7, 12, 17, 22]);
        round!(ff, 4, [4, 5, 6, 7], [7, 12, 17, 22]);
        round!(ff, 8, [8, 9, 10, 11], [7, 12, 17, 22]);
        round!(ff, 12, [12, 13, 14, 15], [7, 12, 17, 22]);
        round!(gg, 16, [1, 6, 11, 0], [5, 9, 14, 20]);
        round!(gg, 20, [5, 10, 15, 4], [5, 9, 14, 20]);
        round!(gg, 24, [9, 14, 3, 8], [5, 9, 14, 20]);
        round!(gg, 28, [13, 2, 7, 12], [5, 9, 14, 20]);
        round!(hh, 32, [5, 8, 11, 14], [4, 11, 16, 23]);
        round!(hh, 36, [1, 4, 7, 10], [4, 11, 16, 23]);
        round!(hh, 40, [13, 0, 3, 6], [4, 11, 16, 23]);
        round!(hh, 44, [9, 12, 15, 2], [4, 11, 16, 23]);
        round!(ii, 48, [0, 7, 14, 5], [6, 10, 15, 21]);
        round!(ii, 52, [12, 3, 10, 1], [6, 10, 15, 21]);
        round!(ii, 56, [8, 15, 6, 13], [6, 10, 15, 21]);
        round!(ii, 60, [4, 11, 2, 9], [6, 10, 15, 21]);
        a = a.wrapping_add(a0);
        b = b.wrapping_add(b0);
        c = c.wrapping_add(c0);
        d = d.wrapping_add(d0);
    }
    *state = [a, b, c, d];
}

/// A running MD5 digest.
#[derive(Clone)]
pub struct Md5 {
    state: [u32; 4],
    /// Bytes fed so far.
    length: u64,
    /// A block's worth of bytes not yet compressed.
    pending: [u8; 64],
    pending_len: usize,
}

impl Default for Md5 {
    fn default() -> Self {
        Md5::new()
    }
}

impl Md5 {
    pub fn new() -> Md5 {
        Md5 {
            state: INIT,
            length: 0,
            pending: [0; 64],
            pending_len: 0,
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.pending_len > 0 {
            let take = (64 - self.pending_len).min(data.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&data[..take]);
            self.pending_len += take;
            data = &data[take..];
            if self.pending_len < 64 {
                return;
            }
            let block = self.pending;
            compress(&mut self.state, &block);
            self.pending_len = 0;
        }
        let whole = data.len() - data.len() % 64;
        compress(&mut self.state, &data[..whole]);
        let rest = &data[whole..];
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// The 16-byte digest.
    pub fn finalize(mut self) -> [u8; 16] {
        let bits = self.length.wrapping_mul(8);
        let mut tail = [0u8; 128];
        tail[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        tail[self.pending_len] = 0x80;
        let end = if self.pending_len < 56 { 64 } else { 128 };
        tail[end - 8..end].copy_from_slice(&bits.to_le_bytes());
        compress(&mut self.state, &tail[..end]);
        let mut out = [0u8; 16];
        for (o, w) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5_reference::Digest;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn ours(data: &[u8]) -> String {
        let mut h = Md5::new();
        h.update(data);
        hex(&h.finalize())
    }

    #[test]
    fn rfc_1321_test_suite() {
        let cases: [(&str, &str); 7] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(ours(input.as_bytes()), want, "md5({input:?})");
        }
    }

    #[test]
    fn agrees_with_the_reference_crate_at_every_length_and_split() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        for len in 0..data.len() {
            let want = hex(&md5_reference::Md5::digest(&data[..len]));
            assert_eq!(ours(&data[..len]), want, "length {len}");
            // Fed in two pieces, split anywhere.
            for split in [0, 1, 55, 56, 63, 64, 65].into_iter().filter(|&s| s <= len) {
                let mut h = Md5::new();
                h.update(&data[..split]);
                h.update(&data[split..len]);
                assert_eq!(hex(&h.finalize()), want, "length {len} split at {split}");
            }
        }
    }
}
