//! Modification times of a batch of files, stat'ed in parallel: the timestamp half of tmake's
//! staleness checks (the digests of `tmake-hasher` are the content half).
//!
//! A build over a large tree asks for the times of tens of thousands of prerequisites at once
//! (a target like `all` that names every output). Asking the kernel for them on rayon's pool,
//! one crossing for the batch, costs a fraction of one `fs.statSync` per name on Node's thread.

use std::io::ErrorKind;
use std::path::Path;

use rayon::prelude::*;

/// The time reported for a path that does not exist (or whose directory part is not a
/// directory): GNU Make treats both as a missing file.
pub const MISSING: f64 = -1.0;

/// Paths per rayon task: a `stat` is a few microseconds, so single-path tasks would spend more
/// on scheduling than on the calls.
const PATHS_PER_TASK: usize = 64;

/// The modification time of each path, in milliseconds since the Unix epoch computed as Node's
/// `Stats.mtimeMs` is (`seconds * 1000 + nanoseconds / 1e6`, in `f64`), so a time from here and
/// one from Node compare equal for the same file. Symbolic links are followed, as `stat` does.
/// `result[i]` belongs to `paths[i]`: [`MISSING`] when the path does not exist, NaN when the
/// `stat` failed for another reason (permissions, I/O), which the caller reports itself.
pub fn mtimes<P>(paths: &[P]) -> Vec<f64>
where
    P: AsRef<Path> + Sync,
{
    paths
        .par_iter()
        .with_min_len(PATHS_PER_TASK)
        .map(|p| mtime(p.as_ref()))
        .collect()
}

/// One path's time, as in [`mtimes`].
pub fn mtime(path: &Path) -> f64 {
    match std::fs::metadata(path) {
        Ok(meta) => millis(&meta),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => MISSING,
        Err(_) => f64::NAN,
    }
}

#[cfg(unix)]
fn millis(meta: &std::fs::Metadata) -> f64 {
    use std::os::unix::fs::MetadataExt;
    meta.mtime() as f64 * 1000.0 + meta.mtime_nsec() as f64 / 1_000_000.0
}

#[cfg(not(unix))]
fn millis(meta: &std::fs::Metadata) -> f64 {
    use std::time::UNIX_EPOCH;
    match meta.modified() {
        Ok(t) => match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as f64 * 1000.0 + d.subsec_nanos() as f64 / 1_000_000.0,
            Err(before) => {
                let d = before.duration();
                -(d.as_secs() as f64 * 1000.0 + d.subsec_nanos() as f64 / 1_000_000.0)
            }
        },
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn times_follow_the_files_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        let new = dir.path().join("new");
        fs::write(&old, "a").unwrap();
        fs::write(&new, "b").unwrap();
        let at = |secs: u64, nanos: u32| UNIX_EPOCH + Duration::new(secs, nanos);
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(at(1_000_000_000, 250_000_000))
            .unwrap();
        fs::File::options()
            .write(true)
            .open(&new)
            .unwrap()
            .set_modified(at(1_700_000_000, 0))
            .unwrap();
        let got = mtimes(&[&new, &old, &new]);
        assert_eq!(
            got,
            vec![
                1_700_000_000_000.0,
                1_000_000_000_250.0,
                1_700_000_000_000.0
            ]
        );
    }

    #[test]
    fn missing_paths_and_file_parents_are_missing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let got = mtimes(&[dir.path().join("absent"), file.join("below")]);
        assert_eq!(got, vec![MISSING, MISSING]);
    }

    #[test]
    fn directories_have_times() {
        let dir = tempfile::tempdir().unwrap();
        assert!(mtime(dir.path()) > 0.0);
    }

    #[test]
    fn a_large_batch_keeps_its_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..1000u64 {
            let p = dir.path().join(format!("f{i}"));
            if i % 3 != 0 {
                fs::write(&p, "x").unwrap();
                fs::File::options()
                    .write(true)
                    .open(&p)
                    .unwrap()
                    .set_modified(UNIX_EPOCH + Duration::from_secs(1_000_000 + i))
                    .unwrap();
            }
            paths.push(p);
        }
        let got = mtimes(&paths);
        for (i, t) in got.iter().enumerate() {
            let want = if i % 3 == 0 {
                MISSING
            } else {
                (1_000_000 + i as u64) as f64 * 1000.0
            };
            assert_eq!(*t, want, "path {i}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_directories_give_nan() {
        use std::os::unix::fs::PermissionsExt;
        // root reads anything: the permission test means nothing there.
        if unsafe { libc::geteuid() } == 0 {
            eprintln!("skipped: running as root, permissions do not stop stat");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("locked");
        fs::create_dir(&locked).unwrap();
        fs::write(locked.join("f"), "x").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let t = mtime(&locked.join("f"));
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(t.is_nan());
    }
}
