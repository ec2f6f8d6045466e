//! What tmake's content-hash checks need to know of a file without reading it: its identity
//! on disk (the key of the persistent digest cache, and what a kept proof compares).

use std::path::Path;

/// A regular file's identity: `DEV:INO:SIZE:MTIME_NS` (the digest cache's key, the same text
/// Node's `fs.statSync(p, { bigint: true })` gives), its size, and its modification time in ms
/// as Node's `mtimeMs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub id: String,
    pub size: u64,
    pub mtime_ms: f64,
}

/// A path's identity; None when it does not exist or is no regular file (symbolic links are
/// followed).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_of_files_and_of_what_is_not_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"abc").unwrap();
        let got = [
            identity(&file),
            identity(&dir.path().join("missing")),
            identity(dir.path()),
        ];
        let id = got[0].as_ref().unwrap();
        assert_eq!(id.size, 3);
        assert!(id
            .id
            .ends_with(&format!(":3:{}", id.id.rsplit(':').next().unwrap())));
        assert_eq!(id.id.split(':').count(), 4);
        assert_eq!(got[1], None);
        assert_eq!(got[2], None);
    }
}
