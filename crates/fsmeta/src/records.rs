//! Hash records read ahead for tmake's content-hash checks (ts/src/hash/signal.ts), so that a
//! null build over many targets decides on facts gathered here, on rayon's threads, instead of
//! reading and parsing a record per target on Node's thread.
//!
//! For each target: its record is read; when it is laid out exactly as tmake and biomake write
//! it (the canonical layout, below) it is parsed here, the target is stat'ed, and the files the
//! record names are stat'ed for their identities (once per batch each). Anything else is left to
//! the caller, which reads the record the plain way: [`Verdict::Other`] says so. Nothing here
//! decides whether a target is up to date; it only says whether the record's digest of its
//! target can be trusted by biomake's rule (the record is not older than the file, and the sizes
//! agree), so the caller's check of the prerequisites is all that is left.
//!
//! The canonical layouts (ts/src/hash/records.ts writes them; names hold no `"`, `\` or control
//! character):
//!
//! ```text
//! md5_hash("T",SIZE,"HEX").                       tmake-record 1 ALGORITHM
//! md5_valid("T",SIZE,"HEX",X) :-                  target SIZE HEX "T"
//!   md5_check("P",SIZE,"HEX",X),                  prereq SIZE HEX "P"
//!   md5_check("Q",SIZE,"HEX",X).                  prereq SIZE HEX "Q"
//! ```
//!
//! (biomake's `md5_valid("T",SIZE,"HEX",X).` alone for a target without prerequisites; its
//! md5_hash and md5_valid name the same file, size and digest.)

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use crate::identity::{identity, Identity};

/// Targets per rayon task.
const TARGETS_PER_TASK: usize = 32;

/// Which record format to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout<'a> {
    /// biomake's `.biomake/md5/NAME` Prolog clauses (MD5).
    Biomake,
    /// tmake's own records, of the algorithm named (its digests `hex_length` characters long).
    Tmake {
        algorithm: &'a str,
        hex_length: usize,
    },
}

/// What became of one target's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No record file (or none that can be read).
    None = 0,
    /// A record file that is not in the canonical layout, is too large, or names another
    /// target: the caller reads it.
    Other = 1,
    /// Parsed, and its digest of the target holds for the target as it is: a regular file of
    /// the recorded size, not modified after the record was written (unless told to ignore
    /// times).
    Trusted = 2,
    /// Parsed, but the target is missing, has another size, or is newer than its record.
    Untrusted = 3,
}

/// A file as a record names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub name: String,
    pub size: u64,
    pub hex: String,
}

/// One target's record, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRead {
    pub verdict: Verdict,
    /// The identities of the record file and of the target (when parsed and regular files).
    pub record_id: Option<String>,
    pub target_id: Option<String>,
    /// The record's target (when parsed).
    pub target: Option<Recorded>,
    /// The record's prerequisites, in its order (when parsed).
    pub prereqs: Vec<Recorded>,
    /// For each prerequisite, the index of its name in [`RecordsRead::files`].
    pub prereq_files: Vec<u32>,
}

/// A batch's records, and the identity of every file they name (each once).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordsRead {
    pub records: Vec<RecordRead>,
    /// The files named by the parsed records, with their identities now (None: not a regular
    /// file, or not there). Names are stat'ed as paths relative to the process's directory, as
    /// the caller names them.
    pub files: Vec<(String, Option<Identity>)>,
}

/// One target to look at: its name (what its record must name), the path of the target file,
/// and the path of its record.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub record: &'a str,
}

/// Reads the records of `targets` (see the module comment). `no_timestamp` (biomake's `-M`):
/// the record's digest holds whatever the times. A record larger than `max_bytes` is left to
/// the caller. `base` is prepended to relative paths of the files records name (the build's
/// directory).
pub fn read_records(
    targets: &[Target<'_>],
    layout: Layout<'_>,
    no_timestamp: bool,
    max_bytes: u64,
    base: &Path,
) -> RecordsRead {
    let mut records: Vec<RecordRead> = targets
        .par_iter()
        .with_min_len(TARGETS_PER_TASK)
        .map(|t| read_one(t, layout, no_timestamp, max_bytes))
        .collect();
    // The files named, each once, stat'ed in parallel.
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut prereq_files: Vec<Vec<u32>> = Vec::with_capacity(records.len());
    for r in &records {
        let mut at = Vec::with_capacity(r.prereqs.len());
        for p in &r.prereqs {
            let next = names.len() as u32;
            let i = *index.entry(p.name.as_str()).or_insert(next);
            if i == next {
                names.push(p.name.clone());
            }
            at.push(i);
        }
        prereq_files.push(at);
    }
    drop(index);
    let ids: Vec<Option<Identity>> = names
        .par_iter()
        .with_min_len(64)
        .map(|n| identity(&base.join(n)))
        .collect();
    for (r, at) in records.iter_mut().zip(prereq_files) {
        r.prereq_files = at;
    }
    RecordsRead {
        records,
        files: names.into_iter().zip(ids).collect(),
    }
}

fn read_one(t: &Target<'_>, layout: Layout<'_>, no_timestamp: bool, max_bytes: u64) -> RecordRead {
    let other = |verdict| RecordRead {
        verdict,
        record_id: None,
        target_id: None,
        target: None,
        prereqs: Vec::new(),
        prereq_files: Vec::new(),
    };
    let Ok(mut file) = std::fs::File::open(t.record) else {
        return other(Verdict::None);
    };
    let Ok(meta) = file.metadata() else {
        return other(Verdict::None);
    };
    if !meta.is_file() {
        return other(Verdict::None);
    }
    if meta.len() > max_bytes {
        return other(Verdict::Other);
    }
    // One read of one byte more than the file holds (read_to_end would stat the file again,
    // seek, and read once more to see the end): a record is replaced by a rename, never grown
    // in place, so a short read is the whole file, and a full one means it is not the file
    // just stat'ed.
    let len = meta.len() as usize;
    let mut bytes = vec![0u8; len + 1];
    let mut filled = 0;
    loop {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                if filled >= len {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return other(Verdict::Other),
        }
    }
    if filled != len {
        return other(Verdict::Other);
    }
    bytes.truncate(len);
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return other(Verdict::Other);
    };
    let parsed = match layout {
        Layout::Biomake => parse_biomake(text),
        Layout::Tmake {
            algorithm,
            hex_length,
        } => parse_tmake(text, algorithm, hex_length),
    };
    let Some((target, prereqs)) = parsed else {
        return other(Verdict::Other);
    };
    if target.name != t.name {
        return other(Verdict::Other);
    }
    let now = std::fs::metadata(t.path).ok().filter(|m| m.is_file());
    let trusted = match &now {
        Some(now) if now.len() == target.size => no_timestamp || mtime_ns(now) <= mtime_ns(&meta),
        _ => false,
    };
    RecordRead {
        record_id: Some(crate::identity::of(&meta).id),
        target_id: now.map(|m| crate::identity::of(&m).id),
        verdict: if trusted {
            Verdict::Trusted
        } else {
            Verdict::Untrusted
        },
        target: Some(target),
        prereqs,
        prereq_files: Vec::new(),
    }
}

/// Modification time in nanoseconds since the epoch.
fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128
    }
    #[cfg(not(unix))]
    {
        use std::time::UNIX_EPOCH;
        meta.modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0)
    }
}

/// A cursor over the text of a record.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, s: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(s)?;
        Some(())
    }

    /// A name up to (and without) the closing `"`: no `\` or control character in it.
    fn name(&mut self) -> Option<&'a str> {
        let end = self.rest.find('"')?;
        let name = &self.rest[..end];
        if name.bytes().any(|b| b == b'\\' || b < 0x20) {
            return None;
        }
        self.rest = &self.rest[end + 1..];
        Some(name)
    }

    /// Decimal digits; a size JS reads exactly (at most 15 digits).
    fn size(&mut self) -> Option<(&'a str, u64)> {
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        if end == 0 || end > 15 {
            return None;
        }
        let digits = &self.rest[..end];
        self.rest = &self.rest[end..];
        Some((digits, digits.parse().ok()?))
    }

    /// A lower-case hex digest of `len` characters.
    fn hex(&mut self, len: usize) -> Option<&'a str> {
        let hex = self.rest.get(..len)?;
        if !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return None;
        }
        self.rest = &self.rest[len..];
        Some(hex)
    }
}

fn recorded(name: &str, size: u64, hex: &str) -> Recorded {
    Recorded {
        name: name.to_string(),
        size,
        hex: hex.to_string(),
    }
}

/// biomake's canonical record (see the module comment), or None.
pub fn parse_biomake(text: &str) -> Option<(Recorded, Vec<Recorded>)> {
    let mut c = Cursor { rest: text };
    c.eat("md5_hash(\"")?;
    let name = c.name()?;
    c.eat(",")?;
    let (digits, size) = c.size()?;
    c.eat(",\"")?;
    let hex = c.hex(32)?;
    c.eat("\").\nmd5_valid(\"")?;
    // md5_valid names the same file, size (as written) and digest as md5_hash.
    c.eat(name)?;
    c.eat("\",")?;
    c.eat(digits)?;
    c.eat(",\"")?;
    c.eat(hex)?;
    c.eat("\",X)")?;
    let mut prereqs = Vec::new();
    if c.eat(" :-\n").is_some() {
        loop {
            c.eat("  md5_check(\"")?;
            let p = c.name()?;
            c.eat(",")?;
            let (_, psize) = c.size()?;
            c.eat(",\"")?;
            let phex = c.hex(32)?;
            c.eat("\",X)")?;
            prereqs.push(recorded(p, psize, phex));
            if c.eat(",\n").is_none() {
                break;
            }
        }
    }
    c.eat(".\n")?;
    if !c.rest.is_empty() {
        return None;
    }
    Some((recorded(name, size, hex), prereqs))
}

/// tmake's canonical record of `algorithm` (see the module comment), or None.
pub fn parse_tmake(
    text: &str,
    algorithm: &str,
    hex_length: usize,
) -> Option<(Recorded, Vec<Recorded>)> {
    let mut c = Cursor { rest: text };
    c.eat("tmake-record 1 ")?;
    c.eat(algorithm)?;
    c.eat("\n")?;
    let line = |c: &mut Cursor<'_>, kind: &str| -> Option<Recorded> {
        c.eat(kind)?;
        c.eat(" ")?;
        let (_, size) = c.size()?;
        c.eat(" ")?;
        let hex = c.hex(hex_length)?;
        c.eat(" \"")?;
        let name = c.name()?;
        c.eat("\n")?;
        Some(recorded(name, size, hex))
    };
    let target = line(&mut c, "target")?;
    let mut prereqs = Vec::new();
    while !c.rest.is_empty() {
        prereqs.push(line(&mut c, "prereq")?);
    }
    Some((target, prereqs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H1: &str = "0123456789abcdef0123456789abcdef";
    const H2: &str = "fedcba9876543210fedcba9876543210";

    #[test]
    fn reads_biomake_s_canonical_layout() {
        let text = format!(
            "md5_hash(\"out/a\",12,\"{H1}\").\nmd5_valid(\"out/a\",12,\"{H1}\",X) :-\n  md5_check(\"a.in\",3,\"{H2}\",X),\n  md5_check(\"b in\",0,\"{H1}\",X).\n"
        );
        let (t, p) = parse_biomake(&text).unwrap();
        assert_eq!(t, recorded("out/a", 12, H1));
        assert_eq!(p, vec![recorded("a.in", 3, H2), recorded("b in", 0, H1)]);
        let alone = format!("md5_hash(\"x\",1,\"{H1}\").\nmd5_valid(\"x\",1,\"{H1}\",X).\n");
        assert_eq!(parse_biomake(&alone).unwrap().1, vec![]);
    }

    #[test]
    fn leaves_every_other_biomake_text_to_the_caller() {
        let good = format!("md5_hash(\"x\",1,\"{H1}\").\nmd5_valid(\"x\",1,\"{H1}\",X).\n");
        for bad in [
            // md5_hash differs from md5_valid (biomake's cache of a digest changed since).
            format!("md5_hash(\"x\",1,\"{H2}\").\nmd5_valid(\"x\",1,\"{H1}\",X).\n"),
            format!("md5_hash(\"x\",01,\"{H1}\").\nmd5_valid(\"x\",1,\"{H1}\",X).\n"),
            // Escapes, other spacing, upper-case digests, trailing text, truncation.
            format!("md5_hash(\"x\\\\y\",1,\"{H1}\").\nmd5_valid(\"x\\\\y\",1,\"{H1}\",X).\n"),
            format!("md5_hash(\"x\", 1,\"{H1}\").\nmd5_valid(\"x\",1,\"{H1}\",X).\n"),
            good.to_uppercase(),
            format!("{good}% comment\n"),
            good[..good.len() - 1].to_string(),
            format!("md5_hash(\"x\",1,\"{H1}\").\nmd5_valid(\"x\",1,\"{H1}\",X) :-\n.\n"),
            format!("md5_hash(\"x\",1234567890123456,\"{H1}\").\nmd5_valid(\"x\",1234567890123456,\"{H1}\",X).\n"),
        ] {
            assert_eq!(parse_biomake(&bad), None, "{bad:?}");
        }
        assert!(parse_biomake(&good).is_some());
    }

    #[test]
    fn reads_tmake_s_canonical_layout() {
        let h = "ab".repeat(32);
        let text = format!("tmake-record 1 blake3\ntarget 5 {h} \"t\"\nprereq 3 {h} \"p q\"\n");
        let (t, p) = parse_tmake(&text, "blake3", 64).unwrap();
        assert_eq!(t, recorded("t", 5, &h));
        assert_eq!(p, vec![recorded("p q", 3, &h)]);
        assert_eq!(parse_tmake(&text, "md5", 32), None);
        assert_eq!(
            parse_tmake(&text.replace("\"t\"", "\"t\\\"\""), "blake3", 64),
            None
        );
        assert_eq!(parse_tmake(&text[..text.len() - 1], "blake3", 64), None);
    }

    #[test]
    fn trusts_a_record_not_older_than_its_target_of_the_same_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
        std::fs::write(p("t"), "hello").unwrap();
        std::fs::write(p("src"), "abc").unwrap();
        let record = |size: usize| {
            format!(
                "md5_hash(\"t\",{size},\"{H1}\").\nmd5_valid(\"t\",{size},\"{H1}\",X) :-\n  md5_check(\"src\",3,\"{H2}\",X),\n  md5_check(\"gone\",1,\"{H2}\",X).\n"
            )
        };
        std::fs::write(p("r.ok"), record(5)).unwrap();
        std::fs::write(p("r.size"), record(4)).unwrap();
        std::fs::write(p("r.junk"), "md5_hash(").unwrap();
        let (t, tp) = (p("t"), p("t"));
        let targets: Vec<Target<'_>> = ["r.ok", "r.size", "r.junk", "r.none"]
            .iter()
            .map(|r| Target {
                name: "t",
                path: &tp,
                record: Box::leak(p(r).into_boxed_str()),
            })
            .collect();
        let got = read_records(&targets, Layout::Biomake, false, 1 << 20, dir.path());
        let verdicts: Vec<Verdict> = got.records.iter().map(|r| r.verdict).collect();
        assert_eq!(
            verdicts,
            vec![
                Verdict::Trusted,
                Verdict::Untrusted,
                Verdict::Other,
                Verdict::None
            ]
        );
        // Each file named once, with its identity now.
        assert_eq!(got.files.len(), 2);
        assert_eq!(got.files[0].0, "src");
        assert_eq!(got.files[0].1.as_ref().unwrap().size, 3);
        assert_eq!(got.files[1], ("gone".to_string(), None));
        assert_eq!(got.records[0].prereq_files, vec![0, 1]);
        assert_eq!(got.records[1].prereq_files, vec![0, 1]);
        // A target newer than its record is not trusted, unless times are ignored (-M).
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(10);
        std::fs::File::options()
            .write(true)
            .open(&t)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let newer = read_records(&targets[..1], Layout::Biomake, false, 1 << 20, dir.path());
        assert_eq!(newer.records[0].verdict, Verdict::Untrusted);
        let ignored = read_records(&targets[..1], Layout::Biomake, true, 1 << 20, dir.path());
        assert_eq!(ignored.records[0].verdict, Verdict::Trusted);
    }
}
