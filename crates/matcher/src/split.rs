//! Enumerating every way one name splits over one pattern, in biomake's order.
//!
//! The walk mirrors biomake's `pattern_match/2`: segments are consumed left to right; an
//! unbound wildcard tries its candidate texts shortest first (what `atom_concat/3` does with
//! an unbound prefix) and backtracks depth-first, so the last wildcard varies fastest; a
//! wildcard that is already bound must match its bound text again.
//!
//! Unlike a naive character-by-character walk, a wildcard followed by a literal jumps straight
//! to the literal's next occurrence, and lower bounds on the remaining text prune hopeless
//! branches, so the common cases cost about one substring search per segment.

use crate::syntax::{Pattern, Segment};

/// Byte range of one wildcard's text in the name.
pub type Span = (usize, usize);

/// Calls `emit` once per split of `name` over `pattern`, in biomake's order, with the span of
/// each wildcard indexed like [`Pattern::wildcards`].
pub fn for_each_split(pattern: &Pattern, name: &str, emit: &mut dyn FnMut(&[Span])) {
    for_each_split_in(&mut SplitScratch::default(), pattern, name, emit);
}

/// The working buffers of a split walk, kept between calls so that matching a batch of names
/// allocates nothing per name.
#[derive(Debug, Default)]
pub struct SplitScratch {
    bound: Vec<Span>,
    is_bound: Vec<bool>,
}

/// [`for_each_split`] with caller-owned buffers.
pub fn for_each_split_in(
    scratch: &mut SplitScratch,
    pattern: &Pattern,
    name: &str,
    emit: &mut dyn FnMut(&[Span]),
) {
    if name.len() < pattern.min_len() {
        return;
    }
    let wildcards = pattern.wildcards().len();
    scratch.bound.clear();
    scratch.bound.resize(wildcards, (0, 0));
    scratch.is_bound.clear();
    scratch.is_bound.resize(wildcards, false);
    let mut walk = Walk {
        pattern,
        name,
        bound: &mut scratch.bound,
        is_bound: &mut scratch.is_bound,
        emit,
    };
    walk.step(0, 0);
}

/// Every split of `name` over `pattern`, as owned texts (convenient for tests and callers
/// that match one pattern).
pub fn splits(pattern: &Pattern, name: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for_each_split(pattern, name, &mut |spans| {
        out.push(spans.iter().map(|&(s, e)| name[s..e].to_string()).collect());
    });
    out
}

struct Walk<'a, 'e> {
    pattern: &'a Pattern,
    name: &'a str,
    bound: &'e mut [Span],
    is_bound: &'e mut [bool],
    emit: &'e mut dyn FnMut(&[Span]),
}

impl Walk<'_, '_> {
    fn step(&mut self, i: usize, pos: usize) {
        let name = self.name;
        if name.len() - pos < self.pattern.tail_min(i) {
            return;
        }
        let segments = self.pattern.segments();
        let Some(segment) = segments.get(i) else {
            if pos == name.len() {
                (self.emit)(self.bound);
            }
            return;
        };
        match *segment {
            Segment::Literal(ref text) => {
                if name.as_bytes()[pos..].starts_with(text.as_bytes()) {
                    self.step(i + 1, pos + text.len());
                }
            }
            Segment::Wildcard(w) if self.is_bound[w] => {
                let (start, end) = self.bound[w];
                let bytes = name.as_bytes();
                if bytes[pos..].starts_with(&bytes[start..end]) {
                    self.step(i + 1, pos + (end - start));
                }
            }
            Segment::Wildcard(w) => {
                // The text must be at least one character and leave room for the rest.
                let first_end = pos + char_len_at(name, pos);
                let last_end = name.len() - self.pattern.tail_min(i + 1);
                if first_end > last_end {
                    return;
                }
                self.is_bound[w] = true;
                match segments.get(i + 1) {
                    None => self.try_end(i, w, pos, name.len()),
                    Some(Segment::Literal(text)) => {
                        let step_past = char_len_at(text, 0);
                        let mut from = first_end;
                        while from <= last_end {
                            let Some(offset) = name[from..].find(text.as_str()) else {
                                break;
                            };
                            let end = from + offset;
                            if end > last_end {
                                break;
                            }
                            self.try_end(i, w, pos, end);
                            from = end + step_past;
                        }
                    }
                    Some(Segment::Wildcard(_)) => {
                        let mut end = first_end;
                        while end <= last_end {
                            self.try_end(i, w, pos, end);
                            if end == name.len() {
                                break;
                            }
                            end += char_len_at(name, end);
                        }
                    }
                }
                self.is_bound[w] = false;
            }
        }
    }

    fn try_end(&mut self, i: usize, w: usize, start: usize, end: usize) {
        self.bound[w] = (start, end);
        self.step(i + 1, end);
    }
}

/// Byte length of the character starting at `at` (which must be a char boundary before the
/// end of `text`).
fn char_len_at(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(pattern: &str, name: &str) -> Vec<Vec<String>> {
        splits(&Pattern::parse(pattern).unwrap(), name)
    }

    fn v(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn gnu_stem_matches_once() {
        assert_eq!(all("%.o", "foo.o"), v(&[&["foo"]]));
        assert_eq!(all("lib%.a", "libm.a"), v(&[&["m"]]));
        assert_eq!(all("%.o", "foo.c"), v(&[]));
    }

    #[test]
    fn stem_is_never_empty() {
        assert_eq!(all("%.o", ".o"), v(&[]));
        assert_eq!(all("a%b", "ab"), v(&[]));
        assert_eq!(all("%", "x"), v(&[&["x"]]));
    }

    #[test]
    fn biomake_order_two_splits() {
        // The brief's example: shortest first for the first wildcard.
        assert_eq!(
            all("align-$X-$Y", "align-a-b-c"),
            v(&[&["a", "b-c"], &["a-b", "c"]])
        );
    }

    #[test]
    fn biomake_order_last_wildcard_varies_fastest() {
        assert_eq!(
            all("$A-$B-$C", "a-b-c-d"),
            v(&[&["a", "b", "c-d"], &["a", "b-c", "d"], &["a-b", "c", "d"]])
        );
    }

    #[test]
    fn adjacent_wildcards_try_every_boundary() {
        assert_eq!(all("$X$Y", "abc"), v(&[&["a", "bc"], &["ab", "c"]]));
        assert_eq!(
            all("$X$Y$Z", "abcd"),
            v(&[&["a", "b", "cd"], &["a", "bc", "d"], &["ab", "c", "d"]])
        );
    }

    #[test]
    fn repeated_name_binds_equal_text() {
        assert_eq!(all("$X-$X", "ab-ab"), v(&[&["ab"]]));
        assert_eq!(all("$X-$X", "ab-ba"), v(&[]));
        assert_eq!(all("$X.$Y.$X", "a.b.a.b.a"), v(&[&["a", "b.a.b"]]));
        assert_eq!(
            all("$X.$Y.$X", "a.a.a.a.a"),
            v(&[&["a", "a.a.a"], &["a.a", "a"]])
        );
        assert_eq!(all("$X$X", "abab"), v(&[&["ab"]]));
        assert_eq!(all("$X$X", "aaaa"), v(&[&["aa"]]));
    }

    #[test]
    fn overlapping_literal_occurrences_are_all_tried() {
        assert_eq!(
            all("$X-aa-$Y", "b-aa-aa-c"),
            v(&[&["b", "aa-c"], &["b-aa", "c"]])
        );
        assert_eq!(all("$Xaa$Y", "baaac"), v(&[&["b", "ac"], &["ba", "c"]]));
    }

    #[test]
    fn multibyte_text_splits_on_character_boundaries() {
        assert_eq!(all("$X$Y", "éü"), v(&[&["é", "ü"]]));
        assert_eq!(all("$X-$Y", "é-ü-ß"), v(&[&["é", "ü-ß"], &["é-ü", "ß"]]));
        assert_eq!(all("$Xéé$Y", "aéééb"), v(&[&["a", "éb"], &["aé", "b"]]));
        assert_eq!(all("%.o", "日本.o"), v(&[&["日本"]]));
    }

    #[test]
    fn literal_pattern_matches_only_itself() {
        assert_eq!(all("all", "all"), v(&[&[]]));
        assert_eq!(all("all", "ball"), v(&[]));
        assert_eq!(all("a$$b", "a$b"), v(&[&[]]));
    }

    #[test]
    fn name_shorter_than_pattern() {
        assert_eq!(all("$X-$Y", "a-"), v(&[]));
        assert_eq!(all("$X-$Y", "-b"), v(&[]));
        assert_eq!(all("$X$Y", "a"), v(&[]));
    }
}
