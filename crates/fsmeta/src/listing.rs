//! Directory listings read on a thread of their own. The implicit rule search reads a whole
//! directory once it has searched many names there (to prune rules that cannot apply); a
//! directory of 100,000 entries costs tens of milliseconds in the kernel, which the build can
//! spend on other work if the read starts when the first search there begins.

use std::io;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// The entries of `dir` (without `.` and `..`), in the order the file system gives them, each
/// followed by a NUL (a file name never holds one). Names that are not UTF-8 are converted
/// lossily, as Node's `readdir` does.
pub fn list_joined(dir: &Path) -> io::Result<String> {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir)? {
        out.push_str(&entry?.file_name().to_string_lossy());
        out.push('\0');
    }
    Ok(out)
}

/// Stack for a listing thread: reading a directory needs little, and a small stack keeps the
/// thread from adding megabytes to the memory of a small build.
const LISTING_STACK: usize = 64 * 1024;

/// A [`list_joined`] running on its own thread.
pub struct BackgroundListing {
    state: State,
}

enum State {
    Reading(JoinHandle<io::Result<String>>),
    /// Read on the caller's thread: no thread could be started.
    Read(io::Result<String>),
    Taken,
}

impl BackgroundListing {
    /// Starts reading `dir`.
    pub fn start(dir: PathBuf) -> Self {
        let spawned = std::thread::Builder::new()
            .name("tmake-listing".into())
            .stack_size(LISTING_STACK)
            .spawn({
                let dir = dir.clone();
                move || list_joined(&dir)
            });
        let state = match spawned {
            Ok(thread) => State::Reading(thread),
            Err(_) => State::Read(list_joined(&dir)),
        };
        BackgroundListing { state }
    }

    /// Whether the read is over, so that take() would not wait (false once it was taken).
    pub fn is_done(&self) -> bool {
        match &self.state {
            State::Reading(thread) => thread.is_finished(),
            State::Read(_) => true,
            State::Taken => false,
        }
    }

    /// Waits for the listing (usually long done) and hands it over: the names, or why the
    /// directory could not be read. `None` once it was taken.
    pub fn take(&mut self) -> Option<io::Result<String>> {
        match std::mem::replace(&mut self.state, State::Taken) {
            State::Reading(thread) => Some(
                thread
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("the listing thread panicked"))),
            ),
            State::Read(result) => Some(result),
            State::Taken => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(joined: &str) -> Vec<&str> {
        let mut v: Vec<&str> = joined.split_terminator('\0').collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn lists_every_entry_once_with_a_terminator_each() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["b.fa", "a.fa", "é.txt"] {
            fs::write(dir.path().join(n), "").unwrap();
        }
        fs::create_dir(dir.path().join("sub")).unwrap();
        let joined = list_joined(dir.path()).unwrap();
        assert!(joined.ends_with('\0'));
        assert_eq!(names(&joined), ["a.fa", "b.fa", "sub", "é.txt"]);
        assert_eq!(list_joined(&dir.path().join("sub")).unwrap(), "");
    }

    #[test]
    fn a_background_read_gives_the_same_names_once_and_reports_errors() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..2000 {
            fs::write(dir.path().join(format!("f{i}")), "").unwrap();
        }
        let mut read = BackgroundListing::start(dir.path().to_path_buf());
        while !read.is_done() {
            std::thread::yield_now();
        }
        let joined = read.take().unwrap().unwrap();
        assert!(!read.is_done());
        assert_eq!(names(&joined), names(&list_joined(dir.path()).unwrap()));
        assert_eq!(names(&joined).len(), 2000);
        assert!(read.take().is_none());
        let mut missing = BackgroundListing::start(dir.path().join("missing"));
        let err = missing.take().unwrap().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
