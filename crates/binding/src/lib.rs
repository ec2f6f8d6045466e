//! The napi-rs binding: tmake's native backend as Node sees it (see ts/src/native/types.ts and
//! ts/src/native/native-backend.ts). Deliberately thin: owned data crosses once per batch, and
//! every decision lives in `tmake-matcher`, `tmake-hasher` and `tmake-fsmeta`.

#![deny(clippy::all)]

use napi::bindgen_prelude::*;
use napi_derive::napi;
use tmake_hasher::Algorithm;

/// A compiled pattern's text and wildcard names.
#[napi(object)]
pub struct PatternInfo {
    /// The pattern text as compiled.
    pub source: String,
    /// The wildcard names in order of first occurrence ("%" for GNU's stem).
    pub wildcards: Vec<String>,
}

/// One way a name matches a pattern.
#[napi(object)]
pub struct Candidate {
    /// Index of the pattern in the compiled set.
    pub pattern: u32,
    /// Bound text for each wildcard, in the order of PatternInfo.wildcards.
    pub bindings: Vec<String>,
}

/// The outcome for one file: `hex` and `size`, or `error` (napi leaves the absent ones out).
#[napi(object)]
pub struct FileHash {
    pub path: String,
    /// Lower-case hex digest; absent when the file could not be read.
    pub hex: Option<String>,
    /// Bytes hashed.
    pub size: Option<i64>,
    /// Why the file could not be hashed (e.g. "ENOENT: no such file or directory").
    pub error: Option<String>,
}

/// `matchBatch`'s result in three flat buffers instead of one JS object per candidate and a
/// string per bound text: building those through N-API costs several times the matching
/// itself, while JS slices the texts out of the string it passed in (see
/// `tmake_matcher::PackedSpans`). Name `i` has `counts[i]` candidates; candidate `c` (counted
/// across all names) is pattern `patterns[c]` with `info(patterns[c]).wildcards.length` bound
/// texts; bound text `b` is `names.slice(spans[2 * b], spans[2 * b + 1])`.
#[napi(object)]
pub struct JoinedMatches {
    pub counts: Uint32Array,
    pub patterns: Uint32Array,
    pub spans: Uint32Array,
}

/// A compiled, indexed set of target patterns.
#[napi]
pub struct NativePatternSet {
    inner: tmake_matcher::PatternSet,
}

#[napi]
impl NativePatternSet {
    /// Throws an Error naming the first bad pattern.
    #[napi(constructor)]
    pub fn new(patterns: Vec<String>) -> Result<Self> {
        tmake_matcher::PatternSet::new(&patterns)
            .map(|inner| NativePatternSet { inner })
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
    }

    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    #[napi]
    pub fn info(&self, index: u32) -> Result<PatternInfo> {
        let pattern = self.inner.get(index as usize).ok_or_else(|| {
            Error::new(
                Status::InvalidArg,
                format!(
                    "pattern index {index} out of range (size {})",
                    self.inner.len()
                ),
            )
        })?;
        Ok(PatternInfo {
            source: pattern.source().to_string(),
            wildcards: pattern.wildcards().to_vec(),
        })
    }

    /// For each name, every (pattern, bindings) candidate in compiled-pattern order and
    /// biomake's split order.
    #[napi]
    pub fn match_batch(&self, names: Vec<String>) -> Vec<Vec<Candidate>> {
        self.inner
            .match_batch(&names)
            .into_iter()
            .map(|found| {
                found
                    .into_iter()
                    .map(|c| Candidate {
                        pattern: c.pattern as u32,
                        bindings: c.bindings,
                    })
                    .collect()
            })
            .collect()
    }

    /// `matchBatch` for the names in one string, separated by NUL characters (a name never holds
    /// one; an empty string is one empty name), answered as JoinedMatches. One string crosses
    /// instead of an array of them.
    #[napi]
    pub fn match_joined(&self, names: String) -> JoinedMatches {
        let packed = self.inner.match_joined(&names, '\0');
        JoinedMatches {
            counts: Uint32Array::new(packed.counts),
            patterns: Uint32Array::new(packed.patterns),
            spans: Uint32Array::new(packed.spans),
        }
    }
}

/// A digest algorithm, as it crosses from JS: the strings "md5" and "blake3" (a TypeScript
/// union in the generated declarations). napi refuses any other value before the call starts.
#[napi(string_enum = "lowercase")]
pub enum HashAlgorithm {
    Md5,
    Blake3,
}

impl From<HashAlgorithm> for Algorithm {
    fn from(algorithm: HashAlgorithm) -> Self {
        match algorithm {
            HashAlgorithm::Md5 => Algorithm::Md5,
            HashAlgorithm::Blake3 => Algorithm::Blake3,
        }
    }
}

/// Hashes a batch of files on Rust threads (libuv's worker hands the batch to rayon's pool).
pub struct HashTask {
    paths: Vec<String>,
    algorithm: Algorithm,
}

impl Task for HashTask {
    type Output = Vec<std::result::Result<tmake_hasher::Hashed, tmake_hasher::HashError>>;
    type JsValue = Vec<FileHash>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(tmake_hasher::hash_files(&self.paths, self.algorithm))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let paths = std::mem::take(&mut self.paths);
        Ok(paths
            .into_iter()
            .zip(output)
            .map(|(path, result)| match result {
                Ok(h) => FileHash {
                    path,
                    hex: Some(h.hex),
                    size: Some(h.size as i64),
                    error: None,
                },
                Err(e) => FileHash {
                    path,
                    hex: None,
                    size: None,
                    error: Some(e.to_string()),
                },
            })
            .collect())
    }
}

/// Digests of every file, in input order. An unreadable file only sets that file's `error`.
// napi declares an AsyncTask's promise as `Promise<unknown>`; the return type names
// HashTask::JsValue.
#[napi(ts_return_type = "Promise<Array<FileHash>>")]
pub fn hash_files(paths: Vec<String>, algorithm: HashAlgorithm) -> AsyncTask<HashTask> {
    AsyncTask::new(HashTask {
        paths,
        algorithm: algorithm.into(),
    })
}

/// Stats a batch of paths on Rust threads (libuv's worker hands the batch to rayon's pool).
pub struct MtimeTask {
    /// The paths, separated by NUL characters.
    joined: String,
}

impl Task for MtimeTask {
    type Output = Vec<f64>;
    type JsValue = Float64Array;

    fn compute(&mut self) -> Result<Self::Output> {
        let paths: Vec<&str> = self.joined.split('\0').collect();
        Ok(tmake_fsmeta::mtime::mtimes(&paths))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(Float64Array::new(output))
    }
}

/// Modification time of each path in ms, as Node's `Stats.mtimeMs`: -1 when it does not exist,
/// NaN when `stat` failed otherwise. The paths come as one string, separated by NUL characters
/// (a path never holds one; as for `matchJoined`, an empty string is one empty path): one string
/// crosses instead of one per path, and it is cut up on the worker thread.
// As for hash_files: the declared promise is MtimeTask::JsValue's.
#[napi(ts_return_type = "Promise<Float64Array>")]
pub fn stat_mtimes_joined(paths: String) -> AsyncTask<MtimeTask> {
    AsyncTask::new(MtimeTask { joined: paths })
}

/// Identities of a batch of files (`statIdentitiesJoined`): name `i`'s identity is the `i`-th
/// of the NUL-separated `ids` (empty when it does not exist or is no regular file), with its size
/// and modification time (ms) at `sizes[i]` and `mtimes[i]`.
#[napi(object)]
pub struct Identities {
    pub ids: String,
    pub sizes: Float64Array,
    pub mtimes: Float64Array,
}

/// Stats a batch of paths for their identities on Rust threads.
pub struct IdentityTask {
    joined: String,
}

impl Task for IdentityTask {
    type Output = Vec<Option<tmake_fsmeta::identity::Identity>>;
    type JsValue = Identities;

    fn compute(&mut self) -> Result<Self::Output> {
        let paths: Vec<&str> = self.joined.split('\0').collect();
        Ok(tmake_fsmeta::identity::identities(&paths))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let mut ids = String::new();
        let mut sizes = Vec::with_capacity(output.len());
        let mut mtimes = Vec::with_capacity(output.len());
        for (i, found) in output.iter().enumerate() {
            if i > 0 {
                ids.push('\0');
            }
            match found {
                Some(f) => {
                    ids.push_str(&f.id);
                    sizes.push(f.size as f64);
                    mtimes.push(f.mtime_ms);
                }
                None => {
                    sizes.push(-1.0);
                    mtimes.push(-1.0);
                }
            }
        }
        Ok(Identities {
            ids,
            sizes: Float64Array::new(sizes),
            mtimes: Float64Array::new(mtimes),
        })
    }
}

/// The identity on disk (`DEV:INO:SIZE:MTIME_NS`) of each path, for the digest cache; paths as
/// one NUL-separated string (an empty string is one empty path).
#[napi(ts_return_type = "Promise<Identities>")]
pub fn stat_identities_joined(paths: String) -> AsyncTask<IdentityTask> {
    AsyncTask::new(IdentityTask { joined: paths })
}

/// Small files read whole (`readSmallFilesJoined`): file `i`'s text is the `i`-th of the
/// NUL-separated `texts` when `present[i]` is 1, with its modification time (ms) at `mtimes[i]`.
#[napi(object)]
pub struct SmallFiles {
    pub texts: String,
    pub present: Uint8Array,
    pub mtimes: Float64Array,
}

/// Reads a batch of small files on Rust threads.
pub struct SmallFilesTask {
    joined: String,
    max_bytes: u32,
}

impl Task for SmallFilesTask {
    type Output = Vec<Option<tmake_fsmeta::identity::SmallFile>>;
    type JsValue = SmallFiles;

    fn compute(&mut self) -> Result<Self::Output> {
        let paths: Vec<&str> = self.joined.split('\0').collect();
        Ok(tmake_fsmeta::identity::read_small(
            &paths,
            self.max_bytes as u64,
        ))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let mut texts = String::new();
        let mut present = Vec::with_capacity(output.len());
        let mut mtimes = Vec::with_capacity(output.len());
        for (i, found) in output.iter().enumerate() {
            if i > 0 {
                texts.push('\0');
            }
            match found {
                Some(f) => {
                    texts.push_str(&f.text);
                    present.push(1u8);
                    mtimes.push(f.mtime_ms);
                }
                None => {
                    present.push(0u8);
                    mtimes.push(-1.0);
                }
            }
        }
        Ok(SmallFiles {
            texts,
            present: Uint8Array::new(present),
            mtimes: Float64Array::new(mtimes),
        })
    }
}

/// Reads each file whole when it holds at most `maxBytes` (records of targets); paths as one
/// NUL-separated string. A text holding a NUL is not a record: such a file counts as absent.
#[napi(ts_return_type = "Promise<SmallFiles>")]
pub fn read_small_files_joined(paths: String, max_bytes: u32) -> AsyncTask<SmallFilesTask> {
    AsyncTask::new(SmallFilesTask {
        joined: paths,
        max_bytes,
    })
}

/// A batch of records read ahead (`readRecordsJoined`, see tmake_fsmeta::records). Target `i`:
/// `verdicts[i]` (0 no record, 1 left to the caller, 2 parsed and its digest of the target holds,
/// 3 parsed but not trusted); when parsed, its recorded size `targetSizes[i]` and digest
/// `targetHex.slice(i * L, (i + 1) * L)` (L the digest's length), and its prerequisites
/// `prereqStart[i]` to `prereqStart[i + 1]`. Prerequisite `j`: recorded size `prereqSizes[j]`,
/// digest `prereqHex.slice(j * L, (j + 1) * L)`, and file `prereqFiles[j]`. File `f`: the `f`-th
/// of the NUL-separated `fileNames` and `fileIds` (an empty identity: not a regular file), and
/// `fileSizes[f]`. When parsed, the identities of the record and of the target are the `i`-th
/// of the NUL-separated `recordIds` and `targetIds` (empty when there is none).
#[napi(object)]
pub struct RecordsRead {
    pub verdicts: Uint8Array,
    pub record_ids: String,
    pub target_ids: String,
    pub target_sizes: Float64Array,
    pub target_hex: String,
    pub prereq_start: Uint32Array,
    pub prereq_sizes: Float64Array,
    pub prereq_hex: String,
    pub prereq_files: Uint32Array,
    pub file_names: String,
    pub file_ids: String,
    pub file_sizes: Float64Array,
}

/// What a check of kept proofs found (`ProofFile.check`): target `i`'s proof holds when
/// `holds[i]` is 1; then it says the target holds `sizes[i]` bytes of digest `hex` (the `i`-th of
/// the NUL-separated `hex`, empty when it does not hold), and its prerequisites are the
/// NUL-separated `deps` from `depStart[i]` to `depStart[i + 1]`, each with its modification time
/// (ms) at the same place in `depTimes`.
#[napi(object)]
pub struct ProofsChecked {
    pub holds: Uint8Array,
    pub sizes: Float64Array,
    pub hex: String,
    pub dep_start: Uint32Array,
    pub deps: String,
    pub dep_times: Float64Array,
}

/// The proofs of a file (tmake_fsmeta::proofs), read once, on the first check.
#[napi]
pub struct ProofFile {
    proofs: std::sync::Arc<std::sync::OnceLock<tmake_fsmeta::proofs::Proofs>>,
    path: String,
    header: String,
}

#[napi]
impl ProofFile {
    /// The proofs kept in the file at `path`, if its first line is `header`.
    #[napi(constructor)]
    pub fn new(path: String, header: String) -> Self {
        ProofFile {
            proofs: Default::default(),
            path,
            header,
        }
    }

    /// Checks the proofs of a batch of targets on Rust threads: `items` holds, NUL-separated,
    /// each target's name, its path and its record's path; prerequisites are relative to `base`.
    #[napi(ts_return_type = "Promise<ProofsChecked>")]
    pub fn check(&self, items: String, base: String) -> AsyncTask<ProofCheckTask> {
        AsyncTask::new(ProofCheckTask {
            proofs: self.proofs.clone(),
            path: self.path.clone(),
            header: self.header.clone(),
            items,
            base,
        })
    }
}

/// One batch of ProofFile.check.
pub struct ProofCheckTask {
    proofs: std::sync::Arc<std::sync::OnceLock<tmake_fsmeta::proofs::Proofs>>,
    path: String,
    header: String,
    items: String,
    base: String,
}

/// ProofsChecked before it crosses to JS.
pub struct ProofsFound {
    holds: Vec<u8>,
    sizes: Vec<f64>,
    hex: String,
    dep_start: Vec<u32>,
    deps: String,
    dep_times: Vec<f64>,
}

impl Task for ProofCheckTask {
    type Output = ProofsFound;
    type JsValue = ProofsChecked;

    fn compute(&mut self) -> Result<Self::Output> {
        let proofs = self.proofs.get_or_init(|| {
            tmake_fsmeta::proofs::Proofs::read(std::path::Path::new(&self.path), &self.header)
        });
        let parts: Vec<&str> = self.items.split('\0').collect();
        let targets: Vec<(&str, &str, &str)> =
            parts.chunks_exact(3).map(|t| (t[0], t[1], t[2])).collect();
        let found = proofs.check(&targets, std::path::Path::new(&self.base));
        let mut holds = Vec::with_capacity(found.len());
        let mut sizes = Vec::with_capacity(found.len());
        let mut hex = String::new();
        let mut dep_start = vec![0u32];
        let mut deps = String::new();
        let mut dep_times = Vec::new();
        for (i, f) in found.iter().enumerate() {
            if i > 0 {
                hex.push('\0');
            }
            match f {
                Some(held) => {
                    holds.push(1u8);
                    sizes.push(held.proof.size as f64);
                    hex.push_str(held.proof.hex);
                    for (d, t) in held.proof.deps.iter().zip(&held.dep_mtimes) {
                        if !dep_times.is_empty() {
                            deps.push('\0');
                        }
                        deps.push_str(d);
                        dep_times.push(*t);
                    }
                }
                None => {
                    holds.push(0u8);
                    sizes.push(-1.0);
                }
            }
            dep_start.push(dep_times.len() as u32);
        }
        Ok(ProofsFound {
            holds,
            sizes,
            hex,
            dep_start,
            deps,
            dep_times,
        })
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(ProofsChecked {
            holds: Uint8Array::new(output.holds),
            sizes: Float64Array::new(output.sizes),
            hex: output.hex,
            dep_start: Uint32Array::new(output.dep_start),
            deps: output.deps,
            dep_times: Float64Array::new(output.dep_times),
        })
    }
}

/// Reads a batch of records on Rust threads.
pub struct RecordsTask {
    joined: String,
    algorithm: Algorithm,
    no_timestamp: bool,
    max_bytes: u32,
    base: String,
}

impl Task for RecordsTask {
    type Output = tmake_fsmeta::records::RecordsRead;
    type JsValue = RecordsRead;

    fn compute(&mut self) -> Result<Self::Output> {
        let parts: Vec<&str> = self.joined.split('\0').collect();
        let targets: Vec<tmake_fsmeta::records::Target<'_>> = parts
            .chunks_exact(3)
            .map(|t| tmake_fsmeta::records::Target {
                name: t[0],
                path: t[1],
                record: t[2],
            })
            .collect();
        let layout = match self.algorithm {
            Algorithm::Md5 => tmake_fsmeta::records::Layout::Biomake,
            Algorithm::Blake3 => tmake_fsmeta::records::Layout::Tmake {
                algorithm: "blake3",
                hex_length: 64,
            },
        };
        Ok(tmake_fsmeta::records::read_records(
            &targets,
            layout,
            self.no_timestamp,
            self.max_bytes as u64,
            std::path::Path::new(&self.base),
        ))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let hex_length = match self.algorithm {
            Algorithm::Md5 => 32,
            Algorithm::Blake3 => 64,
        };
        let n = output.records.len();
        let mut verdicts = Vec::with_capacity(n);
        let mut target_sizes = Vec::with_capacity(n);
        let mut target_hex = String::with_capacity(n * hex_length);
        let mut prereq_start = Vec::with_capacity(n + 1);
        let mut prereq_sizes = Vec::new();
        let mut prereq_hex = String::new();
        let mut prereq_files = Vec::new();
        let mut record_ids = String::new();
        let mut target_ids = String::new();
        prereq_start.push(0u32);
        for (i, r) in output.records.iter().enumerate() {
            if i > 0 {
                record_ids.push('\0');
                target_ids.push('\0');
            }
            record_ids.push_str(r.record_id.as_deref().unwrap_or(""));
            target_ids.push_str(r.target_id.as_deref().unwrap_or(""));
            verdicts.push(r.verdict as u8);
            match &r.target {
                Some(t) => {
                    target_sizes.push(t.size as f64);
                    target_hex.push_str(&t.hex);
                }
                None => {
                    target_sizes.push(-1.0);
                    target_hex.extend(std::iter::repeat_n('-', hex_length));
                }
            }
            for (p, f) in r.prereqs.iter().zip(&r.prereq_files) {
                prereq_sizes.push(p.size as f64);
                prereq_hex.push_str(&p.hex);
                prereq_files.push(*f);
            }
            prereq_start.push(prereq_files.len() as u32);
        }
        let mut file_names = String::new();
        let mut file_ids = String::new();
        let mut file_sizes = Vec::with_capacity(output.files.len());
        for (i, (name, id)) in output.files.iter().enumerate() {
            if i > 0 {
                file_names.push('\0');
                file_ids.push('\0');
            }
            file_names.push_str(name);
            match id {
                Some(id) => {
                    file_ids.push_str(&id.id);
                    file_sizes.push(id.size as f64);
                }
                None => file_sizes.push(-1.0),
            }
        }
        Ok(RecordsRead {
            verdicts: Uint8Array::new(verdicts),
            record_ids,
            target_ids,
            target_sizes: Float64Array::new(target_sizes),
            target_hex,
            prereq_start: Uint32Array::new(prereq_start),
            prereq_sizes: Float64Array::new(prereq_sizes),
            prereq_hex,
            prereq_files: Uint32Array::new(prereq_files),
            file_names,
            file_ids,
            file_sizes: Float64Array::new(file_sizes),
        })
    }
}

/// Reads the records of a batch of targets ahead, on Rust threads: `items` holds, NUL-separated,
/// each target's name, its path and its record's path; the algorithm says which layout (md5:
/// biomake's; blake3: tmake's own); `noTimestamp` is biomake's -M; a record larger than
/// `maxBytes` is left to the caller; the files records name are stat'ed relative to `base`.
#[napi(ts_return_type = "Promise<RecordsRead>")]
pub fn read_records_joined(
    items: String,
    algorithm: HashAlgorithm,
    no_timestamp: bool,
    max_bytes: u32,
    base: String,
) -> AsyncTask<RecordsTask> {
    AsyncTask::new(RecordsTask {
        joined: items,
        algorithm: algorithm.into(),
        no_timestamp,
        max_bytes,
        base,
    })
}

/// A directory's entries read on a thread of its own from the moment it is made
/// (tmake_fsmeta::listing): the rule search starts one when it begins searching a directory
/// and takes it once pruning there pays.
#[napi]
pub struct DirectoryListing {
    inner: tmake_fsmeta::listing::BackgroundListing,
}

#[napi]
impl DirectoryListing {
    #[napi(constructor)]
    pub fn new(dir: String) -> Self {
        DirectoryListing {
            inner: tmake_fsmeta::listing::BackgroundListing::start(dir.into()),
        }
    }

    /// Whether the read is over (take() would not wait).
    #[napi]
    pub fn done(&self) -> bool {
        self.inner.is_done()
    }

    /// The entries, each followed by a NUL, once the read is done (this waits for it); null
    /// when the directory could not be read, or when the listing was taken already.
    #[napi]
    pub fn take(&mut self) -> Option<String> {
        self.inner.take().and_then(|r| r.ok())
    }
}

/// The binding's version (the crates' workspace version).
#[napi]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
