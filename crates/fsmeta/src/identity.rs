//! What tmake's content-hash checks need to know of a file without reading it, in batches
//! stat'ed in parallel: its identity on disk (the key of the persistent digest cache), and the
//! small record files that say what a target held when it was built.

use std::io::{ErrorKind, Read};
use std::path::Path;

use rayon::prelude::*;

/// Paths per rayon task (a `stat` or a small read is a few microseconds).
const PATHS_PER_TASK: usize = 64;

/// A regular file's identity: `DEV:INO:SIZE:MTIME_NS` (the digest cache's key, the same text
/// Node's `fs.statSync(p, { bigint: true })` gives), its size, and its modification time in ms
/// as Node's `mtimeMs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub id: String,
    pub size: u64,
    pub mtime_ms: f64,
}

/// The identity of each path; None when it does not exist or is no regular file (symbolic
/// links are followed). `result[i]` belongs to `paths[i]`.
pub fn identities<P>(paths: &[P]) -> Vec<Option<Identity>>
where
    P: AsRef<Path> + Sync,
{
    paths
        .par_iter()
        .with_min_len(PATHS_PER_TASK)
        .map(|p| identity(p.as_ref()))
        .collect()
}

/// One path's identity, as in [`identities`].
pub fn identity(path: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(of(&meta))
}

#[cfg(unix)]
pub(crate) fn of(meta: &std::fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    let ns = meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128;
    Identity {
        id: format!("{}:{}:{}:{}", meta.dev(), meta.ino(), meta.size(), ns),
        size: meta.size(),
        mtime_ms: meta.mtime() as f64 * 1000.0 + meta.mtime_nsec() as f64 / 1_000_000.0,
    }
}

#[cfg(not(unix))]
pub(crate) fn of(meta: &std::fs::Metadata) -> Identity {
    use std::time::UNIX_EPOCH;
    let ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    Identity {
        id: format!("0:0:{}:{}", meta.len(), ns),
        size: meta.len(),
        mtime_ms: ns as f64 / 1_000_000.0,
    }
}

/// A small file's text (UTF-8, invalid bytes replaced) and its modification time in ms.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallFile {
    pub text: String,
    pub mtime_ms: f64,
}

/// Reads each file whole when it exists and holds at most `max_bytes` and no NUL byte; None
/// otherwise (missing, unreadable, a directory, larger, or binary). `result[i]` belongs to `paths[i]`.
pub fn read_small<P>(paths: &[P], max_bytes: u64) -> Vec<Option<SmallFile>>
where
    P: AsRef<Path> + Sync,
{
    paths
        .par_iter()
        .with_min_len(PATHS_PER_TASK)
        .map(|p| read_one(p.as_ref(), max_bytes))
        .collect()
}

fn read_one(path: &Path, max_bytes: u64) -> Option<SmallFile> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return None,
        Err(_) => return None,
    };
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > max_bytes {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).ok()?;
    // Texts cross to JS separated by NULs: a file holding one is no record anyway.
    if bytes.contains(&0) {
        return None;
    }
    Some(SmallFile {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        mtime_ms: of(&meta).mtime_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_of_files_and_of_what_is_not_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"abc").unwrap();
        let got = identities(&[
            file.clone(),
            dir.path().join("missing"),
            dir.path().to_path_buf(),
        ]);
        let id = got[0].as_ref().unwrap();
        assert_eq!(id.size, 3);
        assert!(id
            .id
            .ends_with(&format!(":3:{}", id.id.rsplit(':').next().unwrap())));
        assert_eq!(id.id.split(':').count(), 4);
        assert_eq!(got[1], None);
        assert_eq!(got[2], None);
    }

    #[test]
    fn small_files_are_read_whole_and_large_ones_not() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small");
        let large = dir.path().join("large");
        std::fs::write(&small, "md5_hash(\"x\").\n").unwrap();
        std::fs::write(&large, vec![b'x'; 100]).unwrap();
        let got = read_small(&[small, large, dir.path().join("missing")], 50);
        assert_eq!(got[0].as_ref().unwrap().text, "md5_hash(\"x\").\n");
        assert!(got[0].as_ref().unwrap().mtime_ms > 0.0);
        assert_eq!(got[1], None);
        assert_eq!(got[2], None);
    }
}
