//! Choosing, for one name, the few patterns whose fixed ends can fit it.
//!
//! Every pattern is filed under one key:
//! - a pattern without wildcards under its whole text, in a hash map (exact lookup);
//! - otherwise under the longer of its literal prefix and literal suffix (the suffix on a tie,
//!   since GNU patterns are mostly `%.ext`): prefixes in a trie walked from the name's first
//!   byte, suffixes in a trie walked from its last byte. Patterns with neither (`%`, `$X-$Y`)
//!   sit at the suffix trie's root and are candidates for every name.
//!
//! A name walks each trie once (at most its length in steps), and each pattern met on the way
//! has its other end and its minimum length checked before it is returned. So the work per name
//! is proportional to its length plus the patterns whose longer fixed end fits it, not to the
//! size of the set.

use rustc_hash::FxHashMap;

use crate::syntax::Pattern;

#[derive(Default)]
pub struct PatternIndex {
    exact: FxHashMap<Box<str>, Vec<u32>>,
    by_prefix: ByteTrie,
    by_suffix: ByteTrie,
}

impl PatternIndex {
    pub fn new(patterns: &[Pattern]) -> Self {
        let mut index = PatternIndex::default();
        for (id, pattern) in patterns.iter().enumerate() {
            let id = u32::try_from(id).expect("more than 2^32 patterns");
            if pattern.is_literal() {
                index
                    .exact
                    .entry(pattern.prefix().into())
                    .or_default()
                    .push(id);
            } else if pattern.prefix().len() > pattern.suffix().len() {
                index.by_prefix.insert(pattern.prefix().bytes(), id);
            } else {
                index.by_suffix.insert(pattern.suffix().bytes().rev(), id);
            }
        }
        index
    }

    /// Indices (ascending) of the patterns whose literal prefix and suffix both fit `name`
    /// and whose minimum length it reaches. Only these can match.
    pub fn candidates(&self, patterns: &[Pattern], name: &str, out: &mut Vec<u32>) {
        out.clear();
        if let Some(ids) = self.exact.get(name) {
            out.extend_from_slice(ids);
        }
        let fits = |id: u32| {
            let p = &patterns[id as usize];
            name.len() >= p.min_len() && name.starts_with(p.prefix()) && name.ends_with(p.suffix())
        };
        self.by_prefix.walk(name.bytes(), |ids| {
            out.extend(ids.iter().copied().filter(|&id| fits(id)))
        });
        self.by_suffix.walk(name.bytes().rev(), |ids| {
            out.extend(ids.iter().copied().filter(|&id| fits(id)))
        });
        out.sort_unstable();
    }
}

/// A byte trie whose nodes hold pattern ids; `walk` reports every node on a key's path.
struct ByteTrie {
    nodes: Vec<Node>,
}

#[derive(Default)]
struct Node {
    /// Children sorted by byte, for binary search.
    children: Vec<(u8, u32)>,
    ids: Vec<u32>,
}

impl Default for ByteTrie {
    fn default() -> Self {
        ByteTrie {
            nodes: vec![Node::default()],
        }
    }
}

impl ByteTrie {
    fn insert(&mut self, key: impl Iterator<Item = u8>, id: u32) {
        let mut at = 0usize;
        for byte in key {
            at = match self.nodes[at]
                .children
                .binary_search_by_key(&byte, |&(b, _)| b)
            {
                Ok(found) => self.nodes[at].children[found].1 as usize,
                Err(slot) => {
                    let child = self.nodes.len();
                    self.nodes.push(Node::default());
                    let child_id = u32::try_from(child).expect("pattern trie too large");
                    self.nodes[at].children.insert(slot, (byte, child_id));
                    child
                }
            };
        }
        self.nodes[at].ids.push(id);
    }

    /// Calls `found` with the ids of each non-empty node along `key`, root first.
    fn walk(&self, key: impl Iterator<Item = u8>, mut found: impl FnMut(&[u32])) {
        let mut at = 0usize;
        let mut key = key;
        loop {
            let node = &self.nodes[at];
            if !node.ids.is_empty() {
                found(&node.ids);
            }
            let Some(byte) = key.next() else { return };
            match node.children.binary_search_by_key(&byte, |&(b, _)| b) {
                Ok(found) => at = node.children[found].1 as usize,
                Err(_) => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(patterns: &[&str], name: &str) -> Vec<u32> {
        let compiled: Vec<Pattern> = patterns
            .iter()
            .map(|p| Pattern::parse(p).unwrap())
            .collect();
        let index = PatternIndex::new(&compiled);
        let mut out = Vec::new();
        index.candidates(&compiled, name, &mut out);
        out
    }

    #[test]
    fn selects_by_suffix_prefix_and_exact_text() {
        let set = ["%.o", "lib%.a", "align-$X-$Y", "%", "all", "src/%.c", "%.c"];
        assert_eq!(ids(&set, "foo.o"), vec![0, 3]);
        assert_eq!(ids(&set, "libm.a"), vec![1, 3]);
        assert_eq!(ids(&set, "align-a-b"), vec![2, 3]);
        assert_eq!(ids(&set, "all"), vec![3, 4]);
        assert_eq!(ids(&set, "src/x.c"), vec![3, 5, 6]);
        assert_eq!(ids(&set, "x.c"), vec![3, 6]);
    }

    #[test]
    fn checks_the_other_end_and_minimum_length() {
        // Filed under prefix "longprefix-", suffix ".x" still checked.
        assert_eq!(
            ids(&["longprefix-%.x"], "longprefix-a.y"),
            Vec::<u32>::new()
        );
        assert_eq!(ids(&["longprefix-%.x"], "longprefix-a.x"), vec![0]);
        // Prefix and suffix overlap in the name but no room is left for the stem.
        assert_eq!(ids(&["ab%ba"], "aba"), Vec::<u32>::new());
        assert_eq!(ids(&["ab%ba"], "abba"), Vec::<u32>::new());
        assert_eq!(ids(&["ab%ba"], "abxba"), vec![0]);
    }

    #[test]
    fn duplicate_patterns_are_all_returned_in_order() {
        assert_eq!(ids(&["%.o", "x", "%.o", "x"], "x"), vec![1, 3]);
        assert_eq!(ids(&["%.o", "x", "%.o", "x"], "a.o"), vec![0, 2]);
    }
}
