//! MD5 (RFC 1321) through OpenSSL's libcrypto, the `openssl` crate with OpenSSL built from
//! source and linked in statically (its `vendored` feature), so the prebuilt binaries need no
//! system OpenSSL.
//!
//! Why OpenSSL: one file's MD5 is a serial chain of steps, so its speed is the compression
//! function's. OpenSSL's assembly for x86-64 and AArch64 reaches `md5sum`'s speed and a little
//! more, where the other crates (`md-5` 0.11, `md-5` 0.10 with its `asm` feature, `md5`,
//! `chksum-md5`) stay 12-30% below it; benchmarks/hash/README.md has the measurements. The
//! price is build time: OpenSSL is compiled once per clean build (about 2.5 minutes on two
//! cores), which needs `perl` and `make`.
//!
//! The digest is fetched once from a library context of our own, which reads no OpenSSL
//! configuration file: a machine's `openssl.cnf` (one that allows FIPS algorithms only, say)
//! cannot take MD5 away from the build.

use std::sync::OnceLock;

use openssl::error::ErrorStack;
use openssl::lib_ctx::LibCtx;
use openssl::md::Md;
use openssl::md_ctx::MdCtx;

use crate::HashError;

/// OpenSSL's MD5 and the library context it was fetched from (kept alive with it).
struct Provider {
    md5: Md,
    _context: LibCtx,
}

/// The MD5 fetched once for the whole process, or why it could not be.
fn provider() -> Result<&'static Provider, HashError> {
    static PROVIDER: OnceLock<Result<Provider, String>> = OnceLock::new();
    let fetched = PROVIDER.get_or_init(|| {
        let context = LibCtx::new().map_err(|e| e.to_string())?;
        let md5 = Md::fetch(Some(&context), "MD5", None).map_err(|e| e.to_string())?;
        Ok(Provider {
            md5,
            _context: context,
        })
    });
    fetched
        .as_ref()
        .map_err(|message| digest_error(message.clone()))
}

fn digest_error(message: String) -> HashError {
    HashError {
        code: None,
        message: format!("MD5 unavailable: {message}"),
        syscall: "digest",
    }
}

fn from_openssl(e: ErrorStack) -> HashError {
    digest_error(e.to_string())
}

/// An MD5 computation fed in pieces.
pub struct Md5 {
    context: MdCtx,
}

impl Md5 {
    pub fn new() -> Result<Md5, HashError> {
        let mut context = MdCtx::new().map_err(from_openssl)?;
        context
            .digest_init(&provider()?.md5)
            .map_err(from_openssl)?;
        Ok(Md5 { context })
    }

    pub fn update(&mut self, data: &[u8]) -> Result<(), HashError> {
        self.context.digest_update(data).map_err(from_openssl)
    }

    /// The 16-byte digest.
    pub fn finalize(mut self) -> Result<[u8; 16], HashError> {
        let mut out = [0u8; 16];
        self.context.digest_final(&mut out).map_err(from_openssl)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn md5_in_pieces(pieces: &[&[u8]]) -> String {
        let mut h = Md5::new().unwrap();
        for p in pieces {
            h.update(p).unwrap();
        }
        hex(&h.finalize().unwrap())
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
            assert_eq!(md5_in_pieces(&[input.as_bytes()]), want, "md5({input:?})");
        }
    }

    #[test]
    fn pieces_split_anywhere_give_the_whole_input_s_digest() {
        let data =
            b"12345678901234567890123456789012345678901234567890123456789012345678901234567890";
        for split in 0..=data.len() {
            assert_eq!(
                md5_in_pieces(&[&data[..split], &data[split..]]),
                "57edf4a22be3c955ac49da2e2107b67a",
                "split at {split}"
            );
        }
    }
}
