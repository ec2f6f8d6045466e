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
