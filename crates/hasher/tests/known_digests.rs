//! Digests checked against reference values from `md5sum` and `b3sum` (and the published
//! MD5 / BLAKE3 vectors for "" and "abc").

use std::fs;
use std::path::PathBuf;

use tmake_hasher::{
    hash_file, hash_files, Algorithm, Hashed, BLAKE3_PARALLEL_MIN, CHUNK_BYTES, READ_AHEAD_MIN,
};

/// The generator the reference digests below were computed from (same formula in Python,
/// piped to md5sum / b3sum).
fn pattern_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + i / 4099) % 251) as u8).collect()
}

/// 9 MiB + 123 bytes: several full chunks, a short last one, and above the BLAKE3
/// multithreading threshold.
const BIG: usize = 9 * 1048576 + 123;
const BIG_MD5: &str = "64752dbe791c589e01f2789be496ae7d";
const BIG_BLAKE3: &str = "ec00d5aa428f3491e3b8e5c36e17a0738833124698c2afdeb8904a97f3bee190";
/// Exactly two chunks: the read loop must stop cleanly at EOF after a full buffer.
const EXACT: usize = 2 * 1048576;
const EXACT_MD5: &str = "92af47ffc30cd2a50899d9cd4b6e58ec";
const EXACT_BLAKE3: &str = "6a020fda2ddffd42d44f7b0447f2f861e8a8c7399ac7f2983c434ce6262f2007";
/// Exactly eight chunks, read ahead on the helper thread: the reader must report the empty
/// read after the last full chunk.
const AHEAD: usize = 8 * 1048576;
const AHEAD_MD5: &str = "765ac6443fc605c05f4d118f7d407cac";
const AHEAD_BLAKE3: &str = "009aebdaa63e9769fbc95d81ed01e157610ad96be9fc4fdbcd1c177226c8c0b1";

// The file sizes above must straddle the hasher's thresholds; checked when this test compiles.
const _: () = {
    assert!(BIG > 2 * CHUNK_BYTES && !BIG.is_multiple_of(CHUNK_BYTES));
    assert!(BIG as u64 >= BLAKE3_PARALLEL_MIN);
    assert!(BIG as u64 >= READ_AHEAD_MIN);
    assert!(EXACT.is_multiple_of(CHUNK_BYTES) && (EXACT as u64) < READ_AHEAD_MIN);
    assert!(AHEAD.is_multiple_of(CHUNK_BYTES) && AHEAD as u64 >= READ_AHEAD_MIN);
};

struct Files {
    _dir: tempfile::TempDir,
    empty: PathBuf,
    abc: PathBuf,
    big: PathBuf,
    exact: PathBuf,
    ahead: PathBuf,
    missing: PathBuf,
    directory: PathBuf,
}

fn files() -> Files {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    fs::write(at("empty"), b"").unwrap();
    fs::write(at("abc"), b"abc").unwrap();
    fs::write(at("big"), pattern_bytes(BIG)).unwrap();
    fs::write(at("exact"), pattern_bytes(EXACT)).unwrap();
    fs::write(at("ahead"), pattern_bytes(AHEAD)).unwrap();
    fs::create_dir(at("subdir")).unwrap();
    Files {
        empty: at("empty"),
        abc: at("abc"),
        big: at("big"),
        exact: at("exact"),
        ahead: at("ahead"),
        missing: at("no-such-file"),
        directory: at("subdir"),
        _dir: dir,
    }
}

fn ok(hex: &str, size: usize) -> Hashed {
    Hashed {
        hex: hex.to_string(),
        size: size as u64,
    }
}

#[test]
fn md5_known_digests() {
    let f = files();
    assert_eq!(
        hash_file(&f.empty, Algorithm::Md5),
        Ok(ok("d41d8cd98f00b204e9800998ecf8427e", 0))
    );
    assert_eq!(
        hash_file(&f.abc, Algorithm::Md5),
        Ok(ok("900150983cd24fb0d6963f7d28e17f72", 3))
    );
    assert_eq!(hash_file(&f.big, Algorithm::Md5), Ok(ok(BIG_MD5, BIG)));
    assert_eq!(
        hash_file(&f.exact, Algorithm::Md5),
        Ok(ok(EXACT_MD5, EXACT))
    );
    assert_eq!(
        hash_file(&f.ahead, Algorithm::Md5),
        Ok(ok(AHEAD_MD5, AHEAD))
    );
}

#[test]
fn blake3_known_digests() {
    let f = files();
    assert_eq!(
        hash_file(&f.empty, Algorithm::Blake3),
        Ok(ok(
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
            0
        ))
    );
    assert_eq!(
        hash_file(&f.abc, Algorithm::Blake3),
        Ok(ok(
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
            3
        ))
    );
    assert_eq!(
        hash_file(&f.big, Algorithm::Blake3),
        Ok(ok(BIG_BLAKE3, BIG))
    );
    assert_eq!(
        hash_file(&f.exact, Algorithm::Blake3),
        Ok(ok(EXACT_BLAKE3, EXACT))
    );
    assert_eq!(
        hash_file(&f.ahead, Algorithm::Blake3),
        Ok(ok(AHEAD_BLAKE3, AHEAD))
    );
}

#[test]
fn unreadable_files_give_per_file_errors() {
    let f = files();
    for algorithm in [Algorithm::Md5, Algorithm::Blake3] {
        let missing = hash_file(&f.missing, algorithm).unwrap_err();
        assert_eq!(missing.code, Some("ENOENT"));
        assert_eq!(missing.to_string(), "ENOENT: no such file or directory");
        let directory = hash_file(&f.directory, algorithm).unwrap_err();
        assert_eq!(
            directory.to_string(),
            "EISDIR: illegal operation on a directory"
        );
    }
}

#[test]
fn batch_keeps_input_order_and_isolates_failures() {
    let f = files();
    let paths = vec![
        f.big.clone(),
        f.missing.clone(),
        f.empty.clone(),
        f.directory.clone(),
        f.abc.clone(),
        f.exact.clone(),
        f.big.clone(),
    ];
    let got = hash_files(&paths, Algorithm::Md5);
    assert_eq!(got.len(), paths.len());
    assert_eq!(got[0], Ok(ok(BIG_MD5, BIG)));
    assert_eq!(got[1].as_ref().unwrap_err().code, Some("ENOENT"));
    assert_eq!(got[2], Ok(ok("d41d8cd98f00b204e9800998ecf8427e", 0)));
    assert_eq!(got[3].as_ref().unwrap_err().code, Some("EISDIR"));
    assert_eq!(got[4], Ok(ok("900150983cd24fb0d6963f7d28e17f72", 3)));
    assert_eq!(got[5], Ok(ok(EXACT_MD5, EXACT)));
    assert_eq!(got[6], Ok(ok(BIG_MD5, BIG)));
}

#[test]
fn many_small_files_match_one_at_a_time_hashing() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..300)
        .map(|i| {
            let p = dir.path().join(format!("f{i}"));
            fs::write(&p, pattern_bytes(i * 997)).unwrap();
            p
        })
        .collect();
    for algorithm in [Algorithm::Md5, Algorithm::Blake3] {
        let batch = hash_files(&paths, algorithm);
        for (i, (path, got)) in paths.iter().zip(&batch).enumerate() {
            assert_eq!(got, &hash_file(path, algorithm), "file {i}");
            assert_eq!(got.as_ref().unwrap().size, (i * 997) as u64);
        }
        // Different contents, different digests.
        let mut hexes: Vec<&str> = batch
            .iter()
            .map(|r| r.as_ref().unwrap().hex.as_str())
            .collect();
        hexes.sort_unstable();
        hexes.dedup();
        assert_eq!(hexes.len(), paths.len());
    }
}

#[test]
fn empty_batch() {
    assert!(hash_files::<PathBuf>(&[], Algorithm::Blake3).is_empty());
}

#[test]
fn both_digests_from_one_read() {
    let f = files();
    for (path, len, md5, blake3) in [
        (&f.big, BIG, BIG_MD5, BIG_BLAKE3),
        (&f.exact, EXACT, EXACT_MD5, EXACT_BLAKE3),
        (&f.ahead, AHEAD, AHEAD_MD5, AHEAD_BLAKE3),
    ] {
        assert_eq!(
            tmake_hasher::hash_file_both(path),
            Ok((ok(md5, len), ok(blake3, len)))
        );
    }
    assert_eq!(
        tmake_hasher::hash_file_both(&f.missing).unwrap_err().code,
        Some("ENOENT")
    );
}

#[test]
fn blake3_tree_of_large_files_matches_the_one_thread_digest() {
    // Sizes around the tree's leaves and splits: one leaf plus a byte (a right subtree of one
    // byte) or plus a chunk, a byte short of two leaves, an exact power of two of leaves, and an
    // odd size several leaves long.
    let dir = tempfile::tempdir().unwrap();
    for len in [
        BLAKE3_PARALLEL_MIN as usize,
        BLAKE3_PARALLEL_MIN as usize + 1,
        BLAKE3_PARALLEL_MIN as usize + 1024,
        2 * BLAKE3_PARALLEL_MIN as usize - 1,
        4 * BLAKE3_PARALLEL_MIN as usize,
        5 * BLAKE3_PARALLEL_MIN as usize + 12_345,
    ] {
        let bytes = pattern_bytes(len);
        let path = dir.path().join(format!("f{len}"));
        fs::write(&path, &bytes).unwrap();
        let expected = blake3::hash(&bytes).to_hex().to_string();
        assert_eq!(
            hash_file(&path, Algorithm::Blake3),
            Ok(ok(&expected, len)),
            "{len} bytes"
        );
    }
}
