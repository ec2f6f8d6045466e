//! BLAKE3 of one large file, its tree hashed in parallel straight from the file.
//!
//! BLAKE3 is a Merkle tree: the chaining value of any aligned subtree can be computed on its own
//! ([`blake3::hazmat`]) and two children merged into their parent. So each rayon task reads its
//! own subtree with positional reads (`pread`) into a per-thread buffer and hashes it, and the
//! children are merged up to the root. Both the copy out of the page cache and the compression
//! are spread over the cores; streaming the file through one reader (as MD5 must) left the copy
//! on one thread, and it cost about a third of the time (benchmarks/hash/README.md). Memory stays
//! one [`crate::CHUNK_BYTES`] buffer per pool thread, whatever the file's size, and nothing is
//! memory-mapped, so a file truncated under the hasher is an error, never a SIGBUS.
//!
//! The file's length is taken once, before hashing; a file that shrinks while it is read is an
//! error (`file changed while it was hashed`), so a digest always covers exactly `len` bytes.

use std::cell::RefCell;
use std::fs::File;

use blake3::hazmat::{
    left_subtree_len, merge_subtrees_non_root, merge_subtrees_root, ChainingValue, HasherExt, Mode,
};

use crate::{HashError, CHUNK_BYTES};

/// Subtrees at most this long are hashed by one task; larger ones split in two. Small enough to
/// balance two to many cores on files of a few tens of MiB, large enough that a task's overhead
/// (a join, a merge) is lost in its hashing.
const LEAF_BYTES: u64 = 8 * CHUNK_BYTES as u64;

thread_local! {
    /// Each pool thread's read buffer, reused by every subtree it hashes.
    static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0u8; CHUNK_BYTES]);
}

/// The BLAKE3 hex digest of the first `len` bytes of `file`, hashed in parallel.
pub fn blake3_parallel(file: &File, len: u64) -> Result<String, HashError> {
    if len <= LEAF_BYTES {
        let hasher = hash_range(file, 0, len)?;
        return Ok(hasher.finalize().to_hex().to_string());
    }
    let left = left_subtree_len(len);
    let (l, r) = rayon::join(
        || subtree(file, 0, left),
        || subtree(file, left, len - left),
    );
    Ok(merge_subtrees_root(&l?, &r?, Mode::Hash)
        .to_hex()
        .to_string())
}

/// The chaining value of the (non-root) subtree of `len` bytes at `start`.
fn subtree(file: &File, start: u64, len: u64) -> Result<ChainingValue, HashError> {
    if len <= LEAF_BYTES {
        return Ok(hash_range(file, start, len)?.finalize_non_root());
    }
    let left = left_subtree_len(len);
    let (l, r) = rayon::join(
        || subtree(file, start, left),
        || subtree(file, start + left, len - left),
    );
    Ok(merge_subtrees_non_root(&l?, &r?, Mode::Hash))
}

/// A hasher fed the `len` bytes at `start`, through this thread's buffer.
fn hash_range(file: &File, start: u64, len: u64) -> Result<blake3::Hasher, HashError> {
    let mut hasher = blake3::Hasher::new();
    hasher.set_input_offset(start);
    BUFFER.with_borrow_mut(|buffer| {
        let mut at = start;
        let end = start + len;
        while at < end {
            let n = ((end - at) as usize).min(buffer.len());
            read_exact_at(file, &mut buffer[..n], at)?;
            hasher.update(&buffer[..n]);
            at += n as u64;
        }
        Ok(hasher)
    })
}

/// Fills `buffer` from `offset`, retrying short reads and EINTR; the file ending first is an
/// error (it shrank since its length was taken).
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> Result<(), HashError> {
    let mut filled = 0;
    while filled < buffer.len() {
        match read_at(file, &mut buffer[filled..], offset + filled as u64) {
            Ok(0) => return Err(HashError::changed()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(HashError::from_io(&e, "read")),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    // Moves the file's cursor, which nothing else here uses.
    std::os::windows::fs::FileExt::seek_read(file, buffer, offset)
}
