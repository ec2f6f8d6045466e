//! Proofs kept between runs by tmake's content-hash checks (ts/src/hash/verified.ts writes
//! them): a target found up to date by content, with the identity on disk of every file the
//! finding rested on. Read here once per process and checked in batches on rayon's threads: a
//! proof holds while its record, its target and each prerequisite keep those identities.
//!
//! The file: a header line, then one proof a line,
//!
//! ```text
//! "TARGET"<TAB>RECORD_ID TARGET_ID PREREQ_ID...<TAB>SIZE HEX<TAB>["PREREQ",...]
//! ```
//!
//! names as JSON strings. A line whose names hold an escape (`\`) is not read here: its target
//! is decided the plain way.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::identity::identity;

/// One proof, as read from its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof<'a> {
    /// The identities of the record, the target, and each prerequisite.
    pub ids: Vec<&'a str>,
    /// The prerequisites, by name.
    pub deps: Vec<&'a str>,
    /// What the target holds.
    pub size: u64,
    pub hex: &'a str,
}

/// The proofs of a file: its text, and where each target's line is (a file of 100k proofs is
/// indexed in one pass; a line is read when its target is checked).
#[derive(Debug, Default)]
pub struct Proofs {
    text: String,
    lines: HashMap<Box<str>, (usize, usize)>,
}

/// What a check found of one target: its proof, when it holds, and the prerequisites'
/// modification times (ms, as Node's `mtimeMs`).
#[derive(Debug, Clone, PartialEq)]
pub struct Held<'a> {
    pub proof: Proof<'a>,
    pub dep_mtimes: Vec<f64>,
}

impl Proofs {
    /// The proofs in the file at `path` whose first line is `header`; none when the file is
    /// missing, unreadable, or of another header.
    pub fn read(path: &Path, header: &str) -> Proofs {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Proofs::default();
        };
        Proofs::parse(text, header)
    }

    /// The proofs in `text` (see [`Proofs::read`]).
    pub fn parse(text: String, header: &str) -> Proofs {
        let Some(body) = text
            .strip_prefix(header)
            .and_then(|rest| rest.strip_prefix('\n'))
        else {
            return Proofs::default();
        };
        let mut lines = HashMap::new();
        let mut at = text.len() - body.len();
        for line in body.split('\n') {
            let end = at + line.len();
            if let Some(name) = line.split('\t').next().and_then(plain_json_string) {
                lines.insert(name.into(), (at, end));
            }
            at = end + 1;
        }
        Proofs { text, lines }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The proof kept for `name`, when its line can be read.
    pub fn get(&self, name: &str) -> Option<Proof<'_>> {
        let &(start, end) = self.lines.get(name)?;
        parse_line(&self.text[start..end])
    }

    /// For each target (its name, the path of the file, the path of its record), its proof
    /// when one is kept and every file in it still has the identity it names. Prerequisites
    /// are looked for relative to `base`.
    pub fn check<'a>(
        &'a self,
        targets: &[(&str, &str, &str)],
        base: &Path,
    ) -> Vec<Option<Held<'a>>> {
        targets
            .par_iter()
            .with_min_len(32)
            .map(|(name, path, record)| {
                let proof = self.get(name)?;
                let same = |p: &Path, id: &str| identity(p).filter(|now| now.id == id);
                same(Path::new(record), proof.ids[0])?;
                same(Path::new(path), proof.ids[1])?;
                let mut dep_mtimes = Vec::with_capacity(proof.deps.len());
                for (dep, id) in proof.deps.iter().zip(&proof.ids[2..]) {
                    dep_mtimes.push(same(&base.join(dep), id)?.mtime_ms);
                }
                Some(Held { proof, dep_mtimes })
            })
            .collect()
    }
}

/// A JSON string without escapes: `"..."`, its text.
fn plain_json_string(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains(['"', '\\']) {
        return None;
    }
    Some(inner)
}

/// A line of the file (see the module comment), or None.
fn parse_line(line: &str) -> Option<Proof<'_>> {
    let mut fields = line.split('\t');
    plain_json_string(fields.next()?)?;
    let ids: Vec<&str> = fields.next()?.split(' ').collect();
    let (size, hex) = fields.next()?.split_once(' ')?;
    let deps_field = fields.next()?;
    if fields.next().is_some() {
        return None;
    }
    let deps: Vec<&str> = if deps_field == "[]" {
        Vec::new()
    } else {
        let inner = deps_field.strip_prefix('[')?.strip_suffix(']')?;
        inner
            .split(',')
            .map(plain_json_string)
            .collect::<Option<_>>()?
    };
    if ids.len() != deps.len() + 2
        || ids.iter().any(|id| id.is_empty())
        || size.is_empty()
        || !size.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(Proof {
        ids,
        deps,
        size: size.parse().ok()?,
        hex,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "tmake-verified 1 md5 timestamp";

    #[test]
    fn reads_plain_lines_and_leaves_out_the_rest() {
        let text = format!(
            "{HEADER}\n\"t\"\t1:2:3:4 5:6:7:8 9:1:2:3\t3 abc\t[\"p q\"]\n\"u\"\t1:2:3:4 5:6:7:8\t0 def\t[]\n\"v\\\\\"\t1 2\t0 x\t[]\n\"w\"\t1 2 3\t0 x\t[]\n\"x\"\t1 2\tjunk\t[]\n"
        );
        let proofs = Proofs::parse(text.clone(), HEADER);
        assert_eq!(
            proofs.get("t"),
            Some(Proof {
                ids: vec!["1:2:3:4", "5:6:7:8", "9:1:2:3"],
                deps: vec!["p q"],
                size: 3,
                hex: "abc"
            })
        );
        assert!(proofs.get("u").unwrap().deps.is_empty());
        for bad in ["v\\", "w", "x"] {
            assert_eq!(proofs.get(bad), None, "{bad}");
        }
        assert!(Proofs::parse(text, "tmake-verified 1 blake3 timestamp").is_empty());
    }

    #[test]
    fn a_proof_holds_while_every_file_keeps_its_identity() {
        let dir = tempfile::tempdir().unwrap();
        let at = |n: &str| dir.path().join(n);
        for n in ["r", "t", "src"] {
            std::fs::write(at(n), n).unwrap();
        }
        let id = |n: &str| identity(&at(n)).unwrap().id;
        let text = format!(
            "{HEADER}\n\"t\"\t{} {} {}\t1 abc\t[\"src\"]\n",
            id("r"),
            id("t"),
            id("src")
        );
        let proofs = Proofs::parse(text, HEADER);
        let (r, t) = (at("r"), at("t"));
        let (r, t) = (r.to_str().unwrap(), t.to_str().unwrap());
        let got = proofs.check(&[("t", t, r), ("other", t, r)], dir.path());
        let held = got[0].as_ref().unwrap();
        assert_eq!(held.proof.hex, "abc");
        assert_eq!(held.dep_mtimes.len(), 1);
        assert_eq!(got[1], None);
        std::fs::write(at("src"), "changed").unwrap();
        assert_eq!(proofs.check(&[("t", t, r)], dir.path())[0], None);
    }
}
