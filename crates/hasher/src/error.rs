//! Per-file errors, worded like Node's `fs` errors (`ENOENT: no such file or directory`) so the
//! native and JS backends report the same text. The path is not repeated: the caller pairs each
//! result with its path.

use std::fmt;
use std::io;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashError {
    /// The errno-style code (`ENOENT`, `EACCES`, ...), when the OS gave one we know.
    pub code: Option<&'static str>,
    /// What went wrong, lower case as in libuv's messages.
    pub message: String,
    /// The operation that failed: `open` or `read` (or `digest`, when the MD5 library fails).
    pub syscall: &'static str,
}

impl HashError {
    pub fn from_io(error: &io::Error, syscall: &'static str) -> HashError {
        if let Some((code, message)) = error.raw_os_error().and_then(describe_errno) {
            return HashError {
                code: Some(code),
                message: message.to_string(),
                syscall,
            };
        }
        let known = match error.kind() {
            io::ErrorKind::NotFound => Some(("ENOENT", "no such file or directory")),
            io::ErrorKind::PermissionDenied => Some(("EACCES", "permission denied")),
            io::ErrorKind::IsADirectory => Some(("EISDIR", "illegal operation on a directory")),
            io::ErrorKind::NotADirectory => Some(("ENOTDIR", "not a directory")),
            _ => None,
        };
        match known {
            Some((code, message)) => HashError {
                code: Some(code),
                message: message.to_string(),
                syscall,
            },
            None => HashError {
                code: None,
                message: strip_os_suffix(&error.to_string()),
                syscall,
            },
        }
    }
}

impl fmt::Display for HashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => write!(f, "{} failed: {}", self.syscall, self.message),
        }
    }
}

impl std::error::Error for HashError {}

/// libuv's code and message for the errno values a file read can plausibly hit.
#[cfg(unix)]
fn describe_errno(errno: i32) -> Option<(&'static str, &'static str)> {
    Some(match errno {
        libc::ENOENT => ("ENOENT", "no such file or directory"),
        libc::EACCES => ("EACCES", "permission denied"),
        libc::EPERM => ("EPERM", "operation not permitted"),
        libc::EISDIR => ("EISDIR", "illegal operation on a directory"),
        libc::ENOTDIR => ("ENOTDIR", "not a directory"),
        libc::ELOOP => ("ELOOP", "too many symbolic links encountered"),
        libc::ENAMETOOLONG => ("ENAMETOOLONG", "name too long"),
        libc::EMFILE => ("EMFILE", "too many open files"),
        libc::ENFILE => ("ENFILE", "file table overflow"),
        libc::EIO => ("EIO", "i/o error"),
        libc::ENXIO => ("ENXIO", "no such device or address"),
        libc::EBUSY => ("EBUSY", "resource busy or locked"),
        libc::ENOMEM => ("ENOMEM", "not enough memory"),
        libc::EINVAL => ("EINVAL", "invalid argument"),
        _ => return None,
    })
}

#[cfg(not(unix))]
fn describe_errno(_errno: i32) -> Option<(&'static str, &'static str)> {
    None
}

/// std appends " (os error N)" to OS messages; Node does not.
fn strip_os_suffix(message: &str) -> String {
    match message.rfind(" (os error ") {
        Some(at) if message.ends_with(')') => message[..at].to_string(),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_like_node() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(
            HashError::from_io(&e, "open").to_string(),
            "ENOENT: no such file or directory"
        );
        let e = io::Error::new(io::ErrorKind::PermissionDenied, "nope");
        assert_eq!(
            HashError::from_io(&e, "open").to_string(),
            "EACCES: permission denied"
        );
    }

    #[test]
    fn unknown_errors_keep_std_text_without_the_os_suffix() {
        let e = io::Error::new(
            io::ErrorKind::InvalidInput,
            "file name contained an unexpected NUL byte",
        );
        assert_eq!(
            HashError::from_io(&e, "open").to_string(),
            "open failed: file name contained an unexpected NUL byte"
        );
        assert_eq!(strip_os_suffix("Weird thing (os error 999)"), "Weird thing");
    }
}
