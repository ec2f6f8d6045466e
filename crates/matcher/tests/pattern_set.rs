//! Behaviour of a whole compiled set: ordering across patterns, errors, batches.

use tmake_matcher::{Candidate, PatternSet, SyntaxError};

fn cand(pattern: usize, bindings: &[&str]) -> Candidate {
    Candidate {
        pattern,
        bindings: bindings.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn candidates_follow_compiled_order_then_split_order() {
    let set = PatternSet::new(["%.o", "align-$X-$Y", "$A-$B", "align-a-b-c", "%"]).unwrap();
    assert_eq!(
        set.match_name("align-a-b-c"),
        vec![
            cand(1, &["a", "b-c"]),
            cand(1, &["a-b", "c"]),
            cand(2, &["align", "a-b-c"]),
            cand(2, &["align-a", "b-c"]),
            cand(2, &["align-a-b", "c"]),
            cand(3, &[]),
            cand(4, &["align-a-b-c"]),
        ]
    );
}

#[test]
fn info_reports_source_and_wildcards_in_first_occurrence_order() {
    let set = PatternSet::new(["$(OUT)/%.$X.$(OUT)", "all"]).unwrap();
    assert_eq!(set.len(), 2);
    let p = set.get(0).unwrap();
    assert_eq!(p.source(), "$(OUT)/%.$X.$(OUT)");
    assert_eq!(p.wildcards(), &["OUT", "%", "X"]);
    assert_eq!(set.get(1).unwrap().wildcards(), &[] as &[String]);
    assert!(set.get(2).is_none());
    assert_eq!(set.match_name("d/f.c.d"), vec![cand(0, &["d", "f", "c"])]);
    assert_eq!(set.match_name("d/f.c.e"), vec![]);
}

#[test]
fn first_bad_pattern_is_reported_with_its_position() {
    let err = PatternSet::new(["%.o", "a%b%c", "$(X"]).err().unwrap();
    assert_eq!(err.index, 1);
    assert_eq!(err.source_text, "a%b%c");
    assert_eq!(err.reason, SyntaxError::SecondStem { offset: 3 });
    assert_eq!(
        err.to_string(),
        "bad target pattern 'a%b%c': more than one '%' (the second is at offset 3); a pattern has at most one stem"
    );
    let err = PatternSet::new(["ok-%", "x-$(NAME"]).err().unwrap();
    assert_eq!(
        err.to_string(),
        "bad target pattern 'x-$(NAME': unterminated wildcard reference '$(' at offset 2 (missing ')')"
    );
}

#[test]
fn empty_set_matches_nothing() {
    let set = PatternSet::new(Vec::<String>::new()).unwrap();
    assert!(set.is_empty());
    assert_eq!(set.match_batch(&["a", "b"]), vec![vec![], vec![]]);
}

#[test]
fn dollar_escape_in_names_and_patterns() {
    let set = PatternSet::new(["cost-$$%", "$$$X"]).unwrap();
    assert_eq!(set.match_name("cost-$5"), vec![cand(0, &["5"])]);
    assert_eq!(set.match_name("$HOME"), vec![cand(1, &["HOME"])]);
    assert_eq!(set.match_name("cost-5"), vec![]);
}

#[test]
fn large_batch_is_parallel_and_keeps_input_order() {
    // Thousands of patterns, each with its own suffix, plus a few multi-wildcard ones.
    let mut patterns: Vec<String> = (0..2000).map(|i| format!("%.ext{i}")).collect();
    patterns.push("out/$S/$T.txt".to_string());
    patterns.push("lib%.a".to_string());
    let set = PatternSet::new(&patterns).unwrap();
    let names: Vec<String> = (0..20_000)
        .map(|i| match i % 4 {
            0 => format!("file{i}.ext{}", i % 2000),
            1 => format!("out/s{i}/t/{i}.txt"),
            2 => format!("lib{i}.a"),
            _ => format!("nomatch{i}"),
        })
        .collect();
    let batch = set.match_batch(&names);
    assert_eq!(batch.len(), names.len());
    for (i, (name, found)) in names.iter().zip(&batch).enumerate() {
        assert_eq!(found, &set.match_name(name), "name {name}");
        match i % 4 {
            0 => assert_eq!(found, &vec![cand(i % 2000, &[&format!("file{i}")])]),
            1 => assert_eq!(
                found,
                &vec![
                    cand(2000, &[&format!("s{i}"), &format!("t/{i}")]),
                    cand(2000, &[&format!("s{i}/t"), &i.to_string()])
                ]
            ),
            2 => assert_eq!(found, &vec![cand(2001, &[&i.to_string()])]),
            _ => assert!(found.is_empty()),
        }
    }
}

/// Rebuilds match_batch's answer from match_joined's buffers, slicing the bound texts out of
/// the joined text by UTF-16 offsets as JavaScript does.
fn unpack(
    set: &PatternSet,
    joined: &str,
    packed: &tmake_matcher::PackedSpans,
) -> Vec<Vec<Candidate>> {
    let units: Vec<u16> = joined.encode_utf16().collect();
    let mut out = Vec::new();
    let (mut c, mut b) = (0usize, 0usize);
    for &count in &packed.counts {
        let mut row = Vec::new();
        for _ in 0..count {
            let pattern = packed.patterns[c] as usize;
            c += 1;
            let bindings = (0..set.get(pattern).unwrap().wildcards().len())
                .map(|_| {
                    let (s, e) = (
                        packed.spans[2 * b] as usize,
                        packed.spans[2 * b + 1] as usize,
                    );
                    b += 1;
                    String::from_utf16(&units[s..e]).unwrap()
                })
                .collect();
            row.push(Candidate { pattern, bindings });
        }
        out.push(row);
    }
    assert_eq!(c, packed.patterns.len());
    assert_eq!(2 * b, packed.spans.len());
    out
}

#[test]
fn match_joined_carries_match_batch_candidates_as_utf16_spans() {
    let set = PatternSet::new(["$X-$Y", "%.o", "lit", "$(A)$(A)"]).unwrap();
    // Astral characters take two UTF-16 units: the offsets must count them so.
    let names = [
        "é-日本-𝄞x",
        "𝄞-b-c",
        "a.o",
        "lit",
        "",
        "nothing",
        "𝄞𝄞",
        "x-y.o",
    ];
    let joined = names.join("\0");
    let packed = set.match_joined(&joined, '\0');
    assert_eq!(packed.counts, [2, 2, 1, 1, 0, 0, 1, 2]);
    assert_eq!(unpack(&set, &joined, &packed), set.match_batch(&names));
    // "𝄞-b-c" starts after "é-日本-𝄞x" (8 units: 𝄞 is a surrogate pair) and the separator.
    assert_eq!(&packed.spans[8..12], &[9, 11, 12, 15]);
}

#[test]
fn match_joined_keeps_input_order_in_a_large_batch() {
    let patterns: Vec<String> = (0..50).map(|i| format!("%.e{i}")).collect();
    let set = PatternSet::new(&patterns).unwrap();
    let names: Vec<String> = (0..5000).map(|i| format!("f{i}.e{}", i % 60)).collect();
    let joined = names.join("/");
    let packed = set.match_joined(&joined, '/');
    assert_eq!(packed.counts.len(), names.len());
    assert_eq!(unpack(&set, &joined, &packed), set.match_batch(&names));
}
