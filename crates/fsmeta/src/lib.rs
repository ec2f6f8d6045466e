//! File-system metadata in batches, for tmake's timestamp checks and rule search: what a build
//! learns about files without reading them. (The digests of their contents are
//! `tmake-hasher`'s.)
//!
//! - [`mtime::mtimes`] gives a batch's modification times (GNU's `name_mtime`, stat'ed in
//!   parallel on rayon's pool, in input order), for the timestamp checks of a build.
//! - [`listing::BackgroundListing`] reads a directory on a thread of its own (what GNU's
//!   `dir.c` caches), for the rule search's pruning.
//! - [`identity::identities`] and [`identity::read_small`] give what content-hash checks
//!   need without reading big files: each file's identity on disk (the digest cache's key) and
//!   the small record files of targets; [`records::read_records`] reads a batch of targets'
//!   records ahead, parsing the canonical layouts and stat'ing what they name;
//!   [`proofs::Proofs`] checks the proofs an earlier run kept against the files' identities.
//!
//! Nothing here panics on I/O: a path that cannot be stat'ed or a directory that cannot be read
//! is an answer, not a failure of the batch.

#![deny(clippy::all)]

pub mod identity;
pub mod listing;
pub mod mtime;
pub mod proofs;
pub mod records;
