//! MD5 and BLAKE3 digests of a batch of files, for tmake's content-based staleness checks
//! (biomake's MD5 mode).
//!
//! - Files are hashed in parallel on rayon's thread pool; results keep the input order.
//! - Each file is read in fixed-size chunks ([`CHUNK_BYTES`]), so memory per file in flight is
//!   constant whatever the file size. Large files hashed with BLAKE3 also spread each chunk's
//!   compression over the pool (`Hasher::update_rayon`), the tree mode BLAKE3 was built for;
//!   MD5 is a sequential chain, so one MD5 file always uses one core; its compression function
//!   is OpenSSL's ([`md5`]), at or above `md5sum`'s speed.
//! - When both digests are wanted ([`hash_file_both`]), each file is read once and every chunk
//!   feeds both.
//! - A file that cannot be read yields a per-file [`HashError`] (message styled after Node's,
//!   e.g. `ENOENT: no such file or directory`); one bad path never fails the batch, and
//!   nothing here panics on I/O.
//!
//! Modification times and directory listings, which need no file's contents, are
//! `tmake-fsmeta`'s.

#![deny(clippy::all)]

mod error;
pub mod md5;

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::mpsc;

use rayon::prelude::*;

pub use error::HashError;

/// Bytes read per `read` call. Big enough to keep per-call overhead negligible and to give
/// BLAKE3's multithreaded update enough work to split; small enough that a few files in flight
/// on every core stay within a few MiB.
pub const CHUNK_BYTES: usize = 1 << 20;

/// BLAKE3 files at least this large spread each chunk over the thread pool; smaller files are
/// hashed on one thread (their chunks are too small for splitting to pay, and the batch already
/// keeps the cores busy with other files).
pub const BLAKE3_PARALLEL_MIN: u64 = 8 * CHUNK_BYTES as u64;

/// A digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Blake3,
}

impl Algorithm {
    /// The algorithm's name as tmake writes it (`--hash-algo`, and the strings of the napi
    /// binding's `HashAlgorithm`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Blake3 => "blake3",
        }
    }
}

/// The digest of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    /// Lower-case hex digest.
    pub hex: String,
    /// Bytes hashed.
    pub size: u64,
}

/// Hashes every file, in parallel; `result[i]` belongs to `paths[i]`.
pub fn hash_files<P>(paths: &[P], algorithm: Algorithm) -> Vec<Result<Hashed, HashError>>
where
    P: AsRef<Path> + Sync,
{
    // One file per task: files vary wildly in size, and rayon's work stealing balances that.
    paths
        .par_iter()
        .with_max_len(1)
        .map(|path| hash_file(path.as_ref(), algorithm))
        .collect()
}

/// Files at least this large are read ahead on a helper thread while the previous chunk is
/// hashed, so the copy out of the page cache overlaps the digest arithmetic.
pub const READ_AHEAD_MIN: u64 = 4 * CHUNK_BYTES as u64;

/// Hashes one file by streaming it in [`CHUNK_BYTES`] chunks.
pub fn hash_file(path: &Path, algorithm: Algorithm) -> Result<Hashed, HashError> {
    let file = File::open(path).map_err(|e| HashError::from_io(&e, "open"))?;
    // The size is only a hint for choosing a strategy; the digest covers what is actually read.
    let expected = file.metadata().map(|m| m.len()).unwrap_or(0);
    match algorithm {
        Algorithm::Md5 => {
            let mut md5 = md5::Md5::new()?;
            let size = stream(file, expected, |chunk| md5.update(chunk))?;
            Ok(Hashed {
                hex: to_hex(&md5.finalize()?),
                size,
            })
        }
        Algorithm::Blake3 => {
            let mut blake3 = blake3::Hasher::new();
            let parallel = expected >= BLAKE3_PARALLEL_MIN;
            let size = stream(file, expected, |chunk| {
                if parallel {
                    blake3.update_rayon(chunk);
                } else {
                    blake3.update(chunk);
                }
                Ok(())
            })?;
            Ok(Hashed {
                hex: blake3.finalize().to_hex().to_string(),
                size,
            })
        }
    }
}

/// Both digests of one file, read once: (MD5, BLAKE3).
pub fn hash_file_both(path: &Path) -> Result<(Hashed, Hashed), HashError> {
    let file = File::open(path).map_err(|e| HashError::from_io(&e, "open"))?;
    let expected = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut md5 = md5::Md5::new()?;
    let mut blake3 = blake3::Hasher::new();
    let parallel = expected >= BLAKE3_PARALLEL_MIN;
    let size = stream(file, expected, |chunk| {
        md5.update(chunk)?;
        if parallel {
            blake3.update_rayon(chunk);
        } else {
            blake3.update(chunk);
        }
        Ok(())
    })?;
    Ok((
        Hashed {
            hex: to_hex(&md5.finalize()?),
            size,
        },
        Hashed {
            hex: blake3.finalize().to_hex().to_string(),
            size,
        },
    ))
}

/// Feeds the whole file to `consume` one chunk at a time and returns the bytes read. Large
/// files are read ahead on a scoped helper thread with two buffers in rotation (so memory stays
/// at two chunks); small ones are read inline with one buffer. An error of `consume` ends it.
fn stream(
    mut file: File,
    expected: u64,
    mut consume: impl FnMut(&[u8]) -> Result<(), HashError>,
) -> Result<u64, HashError> {
    if expected < READ_AHEAD_MIN {
        let mut buffer = vec![0u8; CHUNK_BYTES];
        let mut total = 0u64;
        loop {
            let filled = fill(&mut file, &mut buffer)?;
            if filled == 0 {
                return Ok(total);
            }
            consume(&buffer[..filled])?;
            total += filled as u64;
            if filled < buffer.len() {
                return Ok(total);
            }
        }
    }

    // Reader thread -> hasher: filled buffers (or the read error); hasher -> reader: empties.
    let (full_tx, full_rx) = mpsc::sync_channel::<Result<(Vec<u8>, usize), HashError>>(1);
    let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(2);
    for _ in 0..2 {
        empty_tx
            .send(vec![0u8; CHUNK_BYTES])
            .expect("receiver alive");
    }
    // `move`: the channel ends drop when the hashing side returns (or unwinds), which stops the
    // reader before the scope joins it.
    std::thread::scope(move |scope| {
        scope.spawn(move || {
            // Ends when the file ends, on an error, or when the hasher hangs up.
            while let Ok(mut buffer) = empty_rx.recv() {
                let outcome = fill(&mut file, &mut buffer);
                let done = !matches!(outcome, Ok(n) if n == buffer.len());
                if full_tx.send(outcome.map(|n| (buffer, n))).is_err() || done {
                    return;
                }
            }
        });
        let mut total = 0u64;
        while let Ok(chunk) = full_rx.recv() {
            let (buffer, filled) = chunk?;
            consume(&buffer[..filled])?;
            total += filled as u64;
            if filled < buffer.len() {
                break;
            }
            // The reader may already have finished (file ended exactly on a chunk boundary).
            let _ = empty_tx.send(buffer);
        }
        Ok(total)
    })
}

/// Reads until `buffer` is full or the file ends (topping up short reads, retrying on EINTR);
/// returns the bytes read.
fn fill(file: &mut File, buffer: &mut [u8]) -> Result<usize, HashError> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(HashError::from_io(&e, "read")),
        }
    }
    Ok(filled)
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_are_named_as_md5sum_and_b3sum_are() {
        assert_eq!(Algorithm::Md5.name(), "md5");
        assert_eq!(Algorithm::Blake3.name(), "blake3");
    }

    #[test]
    fn hex_is_lower_case_and_padded() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(to_hex(&[]), "");
    }
}
