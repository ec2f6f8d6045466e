// glibc's strerror() texts for the errors file operations can meet, so messages read as GNU
// Make prints them ("open: x: Permission denied"). Node only gives the symbolic code.
const MESSAGES: Record<string, string> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EFAULT: "Bad address",
  EBUSY: "Device or resource busy",
  EEXIST: "File exists",
  EXDEV: "Invalid cross-device link",
  ENODEV: "No such device",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "Too many open files",
  ETXTBSY: "Text file busy",
  EFBIG: "File too large",
  ENOSPC: "No space left on device",
  ESPIPE: "Illegal seek",
  EROFS: "Read-only file system",
  EMLINK: "Too many links",
  EPIPE: "Broken pipe",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  EDQUOT: "Disk quota exceeded",
  ENOTSUP: "Operation not supported",
  EOPNOTSUPP: "Operation not supported",
};

/** The strerror() text for a Node system error (its message as a fallback). */
export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code !== undefined && MESSAGES[e.code] !== undefined) return MESSAGES[e.code]!;
  return e.message ?? String(err);
}
