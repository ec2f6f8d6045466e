//! Multi-wildcard target matching for tmake: GNU Make's `%` stem and biomake's named wildcards,
//! for a whole batch of names against a whole set of patterns in one call.
//!
//! # Pattern syntax
//!
//! | text            | meaning                                                           |
//! |-----------------|-------------------------------------------------------------------|
//! | `%`             | GNU Make's stem, bound under the name `"%"`; at most one per pattern |
//! | `$X`            | a wildcard with the one-character name `X` (any non-space character other than `$ ( {`) |
//! | `$(NAME)` `${NAME}` | a wildcard with a longer name (`$(X)` is the same wildcard as `$X`) |
//! | `$$`            | a literal `$`                                                     |
//! | anything else   | itself                                                            |
//!
//! Every wildcard matches one or more characters. A name used twice in one pattern must bind
//! the same text both times. Bad patterns (two `%`, `$(` without `)`, an empty or non-name
//! `$(...)`, a trailing `$`, `$` before whitespace, an empty pattern) are rejected with a
//! [`PatternError`] that names the pattern and says what is wrong. Wildcards bind whole
//! characters: a split never falls inside a UTF-8 sequence.
//!
//! Directory handling (GNU's rule that a slash-free pattern matches a name's last component)
//! is the caller's job: this crate matches whole names.
//!
//! # Split order (biomake's)
//!
//! When a name can split over a pattern in more than one way, every split is returned, in the
//! order biomake tries them. biomake (`prolog/biomake/biomake.pl`, predicate
//! `pattern_match/2`, called from `target_bindrule/3`) matches a target atom against the
//! pattern's token list left to right:
//!
//! ```prolog
//! pattern_match([Tok|PatternToks],Atom) :- var(Tok), !,
//!     atom_concat(Tok,Rest,Atom), Tok\='', pattern_match(PatternToks,Rest).
//! ```
//!
//! `atom_concat/3` with both first arguments unbound enumerates the splits of `Atom` with the
//! prefix growing from `''` upward, so each wildcard is tried **shortest first**, and Prolog's
//! depth-first backtracking makes the **last wildcard vary fastest**. A variable already bound
//! by an earlier occurrence is a plain prefix test (`nonvar(Tok)` clause). Older biomake
//! versions wrapped the call in `uniq_pattern_match/2` and kept only the first split; current
//! versions backtrack into later splits when the rule's head goal or dependencies fail, which
//! is why every split is returned here. So the order is ascending lexicographic order of the
//! wildcards' lengths taken in first-occurrence order:
//!
//! ```
//! use tmake_matcher::PatternSet;
//! let set = PatternSet::new(["align-$X-$Y"]).unwrap();
//! let found = set.match_name("align-a-b-c");
//! assert_eq!(found[0].bindings, ["a", "b-c"]);
//! assert_eq!(found[1].bindings, ["a-b", "c"]);
//! ```
//!
//! # Scale
//!
//! Patterns are indexed by their literal ends ([`index`]): a name only tries the patterns whose
//! longer fixed end (prefix or suffix) fits it, found by walking a byte trie along the name.
//! [`PatternSet::match_batch`] spreads large batches over rayon's thread pool; results keep
//! the input order. Note that the number of splits itself can grow polynomially with the name
//! length for patterns with adjacent or unanchored wildcards (`$A$B$C`); every one is returned.

#![deny(clippy::all)]

pub mod index;
pub mod split;
pub mod syntax;

use rayon::prelude::*;
use thiserror::Error;

pub use split::{for_each_split, for_each_split_in, splits, Span, SplitScratch};
pub use syntax::{Pattern, Segment, SyntaxError};

/// One way a name matches a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the pattern in the compiled set.
    pub pattern: usize,
    /// Bound text per wildcard, in the order of [`Pattern::wildcards`].
    pub bindings: Vec<String>,
}

/// The candidates of many names in three flat vectors: what crosses into JavaScript for a big
/// batch, where an object per candidate and a string per bound text would cost several times
/// the matching itself.
///
/// Name `i` has `counts[i]` candidates. Candidate `c` (counted across all names, name by name)
/// is pattern `patterns[c]`, with as many bound texts as that pattern has wildcards; bound text
/// `b` (counted the same way) runs from `spans[2b]` to `spans[2b + 1]`, offsets into the joined
/// input in UTF-16 code units (JavaScript string indices), so the caller slices each text out
/// of the string it passed in and nothing is copied back.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PackedSpans {
    pub counts: Vec<u32>,
    pub patterns: Vec<u32>,
    pub spans: Vec<u32>,
}

/// A pattern of a set failed to compile.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("bad target pattern '{source_text}': {reason}")]
pub struct PatternError {
    /// Position of the bad pattern in the list given to [`PatternSet::new`].
    pub index: usize,
    pub source_text: String,
    pub reason: SyntaxError,
}

/// Batches smaller than this are matched on the calling thread: spreading them over threads
/// costs more than it saves.
const PARALLEL_BATCH: usize = 1024;

/// A compiled, indexed set of target patterns.
pub struct PatternSet {
    patterns: Vec<Pattern>,
    index: index::PatternIndex,
}

impl PatternSet {
    /// Compiles every pattern; the first bad one is reported.
    pub fn new<I, S>(patterns: I) -> Result<PatternSet, PatternError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let patterns = patterns
            .into_iter()
            .enumerate()
            .map(|(index, source)| {
                let source = source.as_ref();
                Pattern::parse(source).map_err(|reason| PatternError {
                    index,
                    source_text: source.to_string(),
                    reason,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let index = index::PatternIndex::new(&patterns);
        Ok(PatternSet { patterns, index })
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Pattern> {
        self.patterns.get(index)
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Every candidate for one name: patterns in compiled order, and for each pattern every
    /// split in biomake's order.
    pub fn match_name(&self, name: &str) -> Vec<Candidate> {
        let mut ids = Vec::new();
        let mut out = Vec::new();
        self.match_into(name, &mut ids, &mut out);
        out
    }

    /// [`match_name`](Self::match_name) for each name, in input order.
    pub fn match_batch<S>(&self, names: &[S]) -> Vec<Vec<Candidate>>
    where
        S: AsRef<str> + Sync,
    {
        if names.len() < PARALLEL_BATCH {
            let mut ids = Vec::new();
            return names
                .iter()
                .map(|name| {
                    let mut out = Vec::new();
                    self.match_into(name.as_ref(), &mut ids, &mut out);
                    out
                })
                .collect();
        }
        names
            .par_iter()
            .map_init(Vec::new, |ids, name| {
                let mut out = Vec::new();
                self.match_into(name.as_ref(), ids, &mut out);
                out
            })
            .collect()
    }

    /// Every candidate of each name in `joined`, the names separated by `separator` (an empty
    /// text is one empty name), packed as [`PackedSpans`] in input order.
    ///
    /// Matched on the calling thread: the caller (Node's thread, through the binding) sends a
    /// few thousand names at a time, about a millisecond of work, while rayon's pool may be busy
    /// with a batch of stats or digests, behind which a parallel match would wait far longer.
    ///
    /// # Panics
    /// If `joined` is longer than `u32::MAX` UTF-16 code units (a JavaScript string never is).
    pub fn match_joined(&self, joined: &str, separator: char) -> PackedSpans {
        let step = separator.len_utf16();
        let mut out = PackedSpans::default();
        let mut ids = Vec::new();
        let mut scratch = SplitScratch::default();
        // Where the name starts in the joined text, in UTF-16 units.
        let mut at = 0usize;
        for name in joined.split(separator) {
            let start = u32::try_from(at).expect("joined names exceed u32::MAX UTF-16 units");
            let ascii = name.is_ascii();
            at += if ascii { name.len() } else { utf16_len(name) } + step;
            // A byte offset in `name` as an offset in the joined text, in UTF-16 units.
            let offset = |b: usize| start + if ascii { b } else { utf16_len(&name[..b]) } as u32;
            let before = out.patterns.len();
            self.index.candidates(&self.patterns, name, &mut ids);
            for &id in ids.iter() {
                let patterns = &mut out.patterns;
                let spans = &mut out.spans;
                for_each_split_in(
                    &mut scratch,
                    &self.patterns[id as usize],
                    name,
                    &mut |found| {
                        patterns.push(id);
                        for &(s, e) in found {
                            spans.push(offset(s));
                            spans.push(offset(e));
                        }
                    },
                );
            }
            out.counts.push((out.patterns.len() - before) as u32);
        }
        out
    }

    fn match_into(&self, name: &str, ids: &mut Vec<u32>, out: &mut Vec<Candidate>) {
        self.index.candidates(&self.patterns, name, ids);
        for &id in ids.iter() {
            let pattern = &self.patterns[id as usize];
            for_each_split(pattern, name, &mut |spans| {
                out.push(Candidate {
                    pattern: id as usize,
                    bindings: spans.iter().map(|&(s, e)| name[s..e].to_string()).collect(),
                });
            });
        }
    }
}

/// Length of a text in UTF-16 code units.
fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}
