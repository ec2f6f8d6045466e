//! Differential test: the indexed, search-based matcher against a naive generate-and-test
//! reference over random patterns and names.
//!
//! The reference knows nothing about the index or substring search: for every pattern in
//! order it tries every tuple of wildcard lengths (in characters, first-occurrence order) in
//! ascending lexicographic order, which is the order biomake's depth-first, shortest-first
//! `pattern_match/2` produces, and keeps the tuples for which the pattern spelled with those
//! lengths consumes the whole name.

use tmake_matcher::{Candidate, Pattern, PatternSet, Segment};

/// Small deterministic generator (splitmix64) so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALPHABET: [&str; 4] = ["a", "b", "-", "é"];

fn random_text(rng: &mut Rng, max: usize) -> String {
    let len = 1 + rng.below(max);
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())])
        .collect()
}

fn random_pattern(rng: &mut Rng) -> String {
    let mut out = String::new();
    let mut stem = false;
    for _ in 0..1 + rng.below(5) {
        match rng.below(6) {
            0 if !stem => {
                stem = true;
                out.push('%');
            }
            1 => out.push_str(["$X", "$(Y)", "${ZZ}"][rng.below(3)]),
            2 => out.push_str("$X"),
            3 => out.push_str("$$"),
            _ => out.push_str(&random_text(rng, 3)),
        }
    }
    out
}

fn reference_splits(pattern: &Pattern, name: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = name.chars().collect();
    let k = pattern.wildcards().len();
    let mut found = Vec::new();
    let mut lengths = vec![1usize; k];
    loop {
        if let Some(bindings) = spell(pattern, &chars, &lengths) {
            found.push(bindings);
        }
        // Next tuple in lexicographic order (last position fastest), each in 1..=len.
        let mut pos = k;
        loop {
            if pos == 0 {
                return found;
            }
            pos -= 1;
            if lengths[pos] < chars.len() {
                lengths[pos] += 1;
                for later in &mut lengths[pos + 1..] {
                    *later = 1;
                }
                break;
            }
        }
        if k == 0 {
            return found;
        }
    }
}

fn spell(pattern: &Pattern, chars: &[char], lengths: &[usize]) -> Option<Vec<String>> {
    let mut bound: Vec<Option<String>> = vec![None; lengths.len()];
    let mut at = 0;
    for segment in pattern.segments() {
        let text: Vec<char> = match segment {
            Segment::Literal(t) => t.chars().collect(),
            Segment::Wildcard(w) => match &bound[*w] {
                Some(t) => t.chars().collect(),
                None => {
                    let end = at + lengths[*w];
                    if end > chars.len() {
                        return None;
                    }
                    let t: String = chars[at..end].iter().collect();
                    bound[*w] = Some(t.clone());
                    t.chars().collect()
                }
            },
        };
        if chars.len() < at + text.len() || chars[at..at + text.len()] != text[..] {
            return None;
        }
        at += text.len();
    }
    (at == chars.len()).then(|| bound.into_iter().map(Option::unwrap).collect())
}

#[test]
fn indexed_matcher_agrees_with_generate_and_test() {
    let mut rng = Rng(0x7a3e_0001);
    let mut total_candidates = 0usize;
    let mut multi_split_names = 0usize;
    for _round in 0..60 {
        let sources: Vec<String> = (0..1 + rng.below(25))
            .map(|_| random_pattern(&mut rng))
            .collect();
        let set = PatternSet::new(&sources).unwrap();
        // Names built from the patterns (so matches are common) and random ones.
        let mut names: Vec<String> = Vec::new();
        for _ in 0..40 {
            if rng.below(2) == 0 {
                names.push(random_text(&mut rng, 9));
            } else {
                let p = set.get(rng.below(set.len())).unwrap();
                let fills: Vec<String> = p
                    .wildcards()
                    .iter()
                    .map(|_| random_text(&mut rng, 3))
                    .collect();
                let name: String = p
                    .segments()
                    .iter()
                    .map(|s| match s {
                        Segment::Literal(t) => t.clone(),
                        Segment::Wildcard(w) => fills[*w].clone(),
                    })
                    .collect();
                names.push(name);
            }
        }
        let batch = set.match_batch(&names);
        for (name, got) in names.iter().zip(batch) {
            let mut want = Vec::new();
            for (id, pattern) in set.patterns().iter().enumerate() {
                for bindings in reference_splits(pattern, name) {
                    want.push(Candidate {
                        pattern: id,
                        bindings,
                    });
                }
            }
            assert_eq!(got, want, "patterns {sources:?}, name {name:?}");
            total_candidates += want.len();
            if want.windows(2).any(|w| w[0].pattern == w[1].pattern) {
                multi_split_names += 1;
            }
        }
    }
    // Guard against a generator that never exercises the interesting cases.
    assert!(
        total_candidates > 1000,
        "only {total_candidates} candidates generated"
    );
    assert!(
        multi_split_names > 50,
        "only {multi_split_names} names with several splits"
    );
}
