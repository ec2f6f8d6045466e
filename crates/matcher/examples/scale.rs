//! Throughput check: `cargo run --release -p tmake-matcher --example scale [names] [patterns]`.
//! Prints how long compiling and matching took; not a test (timings vary by machine).

use std::time::Instant;
use tmake_matcher::PatternSet;

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().expect("a number"));
    let names = args.next().unwrap_or(100_000);
    let patterns = args.next().unwrap_or(2_000);
    let mut sources: Vec<String> = (0..patterns).map(|i| format!("%.ext{i}")).collect();
    sources.extend([
        "align-$X-$Y".into(),
        "results/$(SAMPLE)/%.bam".into(),
        "%".into(),
    ]);
    let list: Vec<String> = (0..names)
        .map(|i| match i % 3 {
            0 => format!("src/dir{}/file{i}.ext{}", i % 50, i % patterns),
            1 => format!("align-s{i}-ref-{}", i % 7),
            _ => format!("results/sample{}/chr{}.bam", i % 100, i % 22),
        })
        .collect();
    let t = Instant::now();
    let set = PatternSet::new(&sources).unwrap();
    let compiled = t.elapsed();
    let t = Instant::now();
    let found = set.match_batch(&list);
    let matched = t.elapsed();
    let candidates: usize = found.iter().map(Vec::len).sum();
    println!(
        "{} patterns compiled in {:?}; {} names matched in {:?} ({} candidates)",
        set.len(),
        compiled,
        list.len(),
        matched,
        candidates
    );
}
