//! The sled backend: every transaction flushed to disk before it is reported as done, and each
//! generation of the directory in a sled database of its own.
//!
//! `--db PATH` is a directory holding `CURRENT` (the number of the live generation) and
//! `sled.N/`, the sled database of generation N, beside side files such as the search index. An
//! import builds `sled.N+1/` while `sled.N/` stays live, copies the audit trail and the sign-in log
//! over, and switches by replacing `CURRENT` in one atomic rename; the old directory is deleted
//! after. So a refused, failed or killed import leaves the previous directory exactly as it was,
//! and the live database never carries the dead space of the tenant it replaced: sled zeroes every
//! free segment on each open, which made a million-user database that had been imported over take
//! most of a second to open.
//!
//! A database from before generations (sled's files directly in `PATH`) is generation 0; its first
//! upgrade moves it into `sled.1/`.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use sled::transaction::{
    ConflictableTransactionError, TransactionError, UnabortableTransactionError,
};
use sled::{Transactional, Tree};

use super::StoreError;
use super::backend::{Backend, KEY_GENERATION, KeyValue, TreeId, Txn, TxnError};
use super::checkpoint::{self, Checkpoint};
use super::schema::{KEY_COMMIT_SEQ, decode_u64, next_seq};

/// Pinned so that reopening never meets a different configuration (sled refuses that) and so a
/// million-user tenant does not take sled's default 1 GiB page cache.
const CACHE_CAPACITY: u64 = 64 * 1024 * 1024;
const SEGMENT_SIZE: usize = 512 * 1024;
/// While an import stages a generation, sled is flushed after about this many bytes, so its
/// in-memory log stays bounded however large the tenant is.
const STAGE_FLUSH_BYTES: usize = 16 * 1024 * 1024;
/// The file naming the live generation.
const CURRENT: &str = "CURRENT";
/// What sled keeps in its directory: a generation-0 database has these directly in `PATH`.
const SLED_FILES: [&str; 3] = ["conf", "db", "blobs"];

/// One sled database and its trees, indexed by `TreeId as usize`.
struct Generation {
    number: u64,
    dir: PathBuf,
    db: sled::Db,
    trees: Vec<Tree>,
    /// sled's log file, opened again so that a flush can be followed by `fdatasync`: sled's own
    /// flush only issues `sync_file_range`, which survives a crash of the process, not of the
    /// machine.
    log: Option<std::fs::File>,
}

impl Generation {
    fn open(number: u64, dir: &Path) -> Result<Self, StoreError> {
        Self::open_inspecting(number, dir, |_| ()).map(|(g, ())| g)
    }

    /// Opens generation `number` in `dir`, letting `inspect` look at the database before any
    /// tree of ours is created in it.
    fn open_inspecting<T>(
        number: u64,
        dir: &Path,
        inspect: impl FnOnce(&sled::Db) -> T,
    ) -> Result<(Self, T), StoreError> {
        remove_incomplete_snapshots(dir);
        let _busy = crate::watchdog::Busy::enter();
        let db = open_waiting_for_lock(dir)?;
        let seen = inspect(&db);
        let trees = TreeId::ALL
            .iter()
            .map(|id| db.open_tree(id.name()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| open_error(dir, &e))?;
        let log = std::fs::File::open(dir.join("db")).ok();
        Ok((
            Self {
                number,
                dir: dir.to_path_buf(),
                db,
                trees,
                log,
            },
            seen,
        ))
    }

    /// The commit counter in this generation's meta tree.
    fn commit(&self) -> u64 {
        self.tree(TreeId::Meta)
            .get(KEY_COMMIT_SEQ)
            .ok()
            .flatten()
            .and_then(|v| decode_u64(&v))
            .unwrap_or(0)
    }

    /// What the checkpoint says about this generation at commit `commit`.
    fn checkpoint(&self, commit: u64) -> Checkpoint {
        Checkpoint {
            generation: self.number,
            commit,
            log_len: self
                .log
                .as_ref()
                .and_then(|f| f.metadata().ok())
                .map_or(0, |m| m.len()),
            snapshot: has_snapshot(&self.dir),
        }
    }

    fn tree(&self, id: TreeId) -> &Tree {
        // `open` opens every TreeId in declaration order, so the index always exists.
        &self.trees[id as usize]
    }
}

pub struct SledBackend {
    root: PathBuf,
    live: RwLock<Generation>,
    staged: Mutex<Option<(Generation, usize)>>,
    pristine: bool,
    /// `None` when the database cannot be written (it was opened from a read-only copy).
    checkpoint: Option<checkpoint::Writer>,
    /// Set when the database directory is read-only or its disk full: the live generation was
    /// copied here to be read, and every change is refused with the reason.
    read_only_copy: Option<(PathBuf, StoreError)>,
}

impl Drop for SledBackend {
    fn drop(&mut self) {
        if let Some((copy, _)) = &self.read_only_copy {
            let _ = std::fs::remove_dir_all(copy);
        }
    }
}

/// sled writes a new snapshot to `snap.N.generating` and renames it when done; a write that
/// fails (a full disk) leaves that file behind, and sled 0.34 then takes it for the newest
/// snapshot and refuses to open as "corrupted". It is never complete, so it goes.
fn remove_incomplete_snapshots(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True when sled has a complete snapshot file in `dir`.
fn has_snapshot(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("snap.") && !name.ends_with(".generating")
        })
    })
}

/// Checks, before sled touches anything, that the live generation is not behind what was last
/// acknowledged: sled would rebuild a generation whose snapshot is gone from the log alone and
/// shorten the log to what it can read, destroying the evidence.
fn check_not_behind(
    root: &Path,
    number: u64,
    dir: &Path,
) -> Result<Option<Checkpoint>, StoreError> {
    let Some(expected) = checkpoint::read(root) else {
        return Ok(None);
    };
    let behind = |detail: String| StoreError::RolledBack {
        path: root.display().to_string(),
        detail,
    };
    if expected.generation > number {
        return Err(behind(format!(
            "{CURRENT} names generation {number}, but changes to generation {} were acknowledged",
            expected.generation
        )));
    }
    if expected.generation == number {
        let log_len = std::fs::metadata(dir.join("db")).map_or(0, |m| m.len());
        if log_len < expected.log_len {
            return Err(behind(format!(
                "its log is {log_len} bytes, shorter than the {} it had",
                expected.log_len
            )));
        }
        if expected.snapshot && !has_snapshot(dir) {
            return Err(behind("its snapshot file is missing".into()));
        }
    }
    Ok(Some(expected))
}

fn generation_dir(root: &Path, number: u64) -> PathBuf {
    root.join(format!("sled.{number}"))
}

impl SledBackend {
    /// Opens (or creates) the database at `root`. Every failure becomes a [`StoreError`] that
    /// names the path; sled panics on some corrupt files, and that is caught here too.
    pub fn open(root: &Path) -> Result<Self, StoreError> {
        refuse_foreign_path(root)?;
        let current = read_current(root)?;
        let legacy = SLED_FILES.iter().any(|f| root.join(f).exists());
        let (number, dir, pristine) = match current {
            Some(n) => (n, generation_dir(root, n), false),
            None if legacy => (0, root.to_path_buf(), false),
            None => (1, generation_dir(root, 1), true),
        };
        if current.is_some() && !dir.exists() {
            return Err(StoreError::Corrupt {
                path: root.display().to_string(),
                detail: format!("{CURRENT} names {} and it is missing", dir.display()),
            });
        }
        let expected = check_not_behind(root, number, &dir)?;
        let shown = root.display().to_string();
        // A database with no tree at all (and nothing in sled's default tree) is new.
        let inspect = |db: &sled::Db| {
            db.is_empty() && db.tree_names().iter().all(|n| &**n == b"__sled__default")
        };
        let (live, empty, read_only_copy) = match Generation::open_inspecting(number, &dir, inspect)
        {
            Ok((live, empty)) => (live, empty, None),
            // A backup on read-only media, or a full disk: sled cannot open in place (it writes
            // as it opens), so a copy is read instead and every change is refused.
            Err(why @ (StoreError::ReadOnly { .. } | StoreError::DiskFull { .. })) if !pristine => {
                let copy = read_only_copy_of(&dir, number).map_err(|e| e.at(&shown))?;
                let (live, empty) = Generation::open_inspecting(number, &copy, inspect)
                    .map_err(|e| e.at(&shown))?;
                (live, empty, Some((copy, why.at(&shown))))
            }
            Err(e) => return Err(e.at(&shown)),
        };
        let pristine = pristine || empty;
        if let Some(expected) = expected
            && expected.generation == number
            && live.commit() < expected.commit
        {
            return Err(StoreError::RolledBack {
                path: shown,
                detail: format!(
                    "it holds change {} of {}, the last one acknowledged",
                    live.commit(),
                    expected.commit
                ),
            });
        }
        let writable = read_only_copy.is_none();
        if writable && current.is_none() && !legacy {
            write_current(root, number)?;
        }
        let checkpoint = if writable {
            checkpoint::Writer::open(root).ok()
        } else {
            None
        };
        if let Some(writer) = &checkpoint
            && expected.is_none_or(|e| e != live.checkpoint(live.commit()))
        {
            let _ = writer.write(&live.checkpoint(live.commit()));
        }
        let backend = Self {
            root: root.to_path_buf(),
            live: RwLock::new(live),
            staged: Mutex::new(None),
            pristine,
            checkpoint,
            read_only_copy,
        };
        if current.is_some() && writable {
            backend.remove_leftovers(number);
        }
        Ok(backend)
    }

    /// Refuses a change when the database is only being read from a copy.
    fn writable(&self) -> Result<(), StoreError> {
        match &self.read_only_copy {
            Some((_, why)) => Err(why.clone()),
            None => Ok(()),
        }
    }

    fn storage(&self, e: &sled::Error) -> StoreError {
        let shown = self.root.display().to_string();
        match e {
            sled::Error::Corruption { .. } => StoreError::Corrupt {
                path: shown,
                detail: "sled found damaged data while reading".into(),
            },
            sled::Error::Io(io) => io_open_error(&self.root, io),
            other => StoreError::Io(format!("{shown}: {}", sled_words(other))),
        }
    }

    fn with_tree<T>(
        &self,
        id: TreeId,
        f: impl FnOnce(&Tree) -> Result<T, sled::Error>,
    ) -> Result<T, StoreError> {
        let _busy = crate::watchdog::Busy::enter();
        let live = self.live.read().unwrap_or_else(PoisonError::into_inner);
        f(live.tree(id)).map_err(|e| self.storage(&e))
    }

    /// Deletes what a killed import or an upgrade left behind: other generations, and sled's
    /// files of a generation-0 database. Best effort: a read-only copy still opens.
    fn remove_leftovers(&self, live: u64) {
        self.remove_in_root(&|name| {
            let other_generation = name
                .strip_prefix("sled.")
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| n != live);
            other_generation || is_root_sled_file(name)
        });
    }

    /// Deletes the entries of the database directory that `doomed` names.
    fn remove_in_root(&self, doomed: &dyn Fn(&str) -> bool) {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if doomed(&name) {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
}

/// sled's own files, as a generation-0 database has them directly in the database directory.
fn is_root_sled_file(name: &str) -> bool {
    SLED_FILES.contains(&name) || name.starts_with("snap.")
}

/// Copies a generation's sled files to a private temporary directory, to read a database that
/// cannot be opened where it is.
fn read_only_copy_of(dir: &Path, number: u64) -> Result<PathBuf, StoreError> {
    let copy = std::env::temp_dir().join(format!(
        "phonedesk-read-only-{}-{number}",
        std::process::id()
    ));
    let io = |e: std::io::Error| {
        StoreError::Io(format!("cannot copy {} to read it: {e}", dir.display()))
    };
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).map_err(io)?;
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !name.ends_with(".generating") {
            std::fs::copy(entry.path(), copy.join(&name)).map_err(io)?;
        } else if entry.path().is_dir() {
            std::fs::create_dir_all(copy.join(&name)).map_err(io)?;
            for blob in std::fs::read_dir(entry.path()).map_err(io)?.flatten() {
                std::fs::copy(blob.path(), copy.join(&name).join(blob.file_name())).map_err(io)?;
            }
        }
    }
    Ok(copy)
}

/// The live generation named by `CURRENT`, if the file exists.
fn read_current(root: &Path) -> Result<Option<u64>, StoreError> {
    let mut text = String::new();
    let read = std::fs::File::open(root.join(CURRENT)).and_then(|f| {
        use std::io::Read;
        // A generation number is a few digits: never read more than a line of it.
        f.take(64).read_to_string(&mut text).map(|_| text)
    });
    match read {
        Ok(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| StoreError::Corrupt {
                path: root.display().to_string(),
                detail: format!("{CURRENT} does not hold a generation number"),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_open_error(root, &e)),
    }
}

/// Points `CURRENT` at generation `number`, atomically and durably.
fn write_current(root: &Path, number: u64) -> Result<(), StoreError> {
    crate::atomic_file::write(&root.join(CURRENT), &format!("{number}\n"))
        .map_err(|e| io_open_error(root, &e))
}

/// How long a held lock is waited for before the database is reported as in use. sled lets go of
/// its file lock from background threads shortly after a database is closed, so reopening in the
/// same process can briefly meet its own lock; another running phonedesk holds it for good.
const LOCK_GRACE: Duration = Duration::from_secs(1);
const LOCK_POLL: Duration = Duration::from_millis(10);

fn config(dir: &Path) -> sled::Config {
    sled::Config::new()
        .path(dir)
        .cache_capacity(CACHE_CAPACITY)
        .segment_size(SEGMENT_SIZE)
        .use_compression(false)
        // Durability comes from explicit flushes; a background flusher would only wake the CPU
        // while the app is idle.
        .flush_every_ms(None)
}

fn open_waiting_for_lock(dir: &Path) -> Result<sled::Db, StoreError> {
    let config = config(dir);
    let deadline = Instant::now() + LOCK_GRACE;
    loop {
        let opened =
            // The panic's own text is sled's internals; the operator needs what it means.
            crate::panic_guard::quietly(|| config.open()).map_err(|_| StoreError::Corrupt {
                path: dir.display().to_string(),
                detail: "the storage engine stopped while reading it".to_owned(),
            })?;
        match opened.map_err(|e| open_error(dir, &e)) {
            Err(StoreError::InUse { .. }) if Instant::now() < deadline => {
                std::thread::sleep(LOCK_POLL);
            }
            other => return other,
        }
    }
}

/// sled creates its files in whatever directory it is given; pointing `--db` at a home folder by
/// mistake must not scatter database files there.
fn refuse_foreign_path(path: &Path) -> Result<(), StoreError> {
    if path.is_file() {
        return Err(StoreError::NotADatabase {
            path: path.display().to_string(),
            detail: "it is a file; --db takes a directory".into(),
        });
    }
    if path.is_dir() {
        let mut entries = std::fs::read_dir(path).map_err(|e| io_open_error(path, &e))?;
        let empty = entries.next().is_none();
        let ours = [CURRENT, "conf", "db"]
            .iter()
            .any(|f| path.join(f).exists());
        if !empty && !ours {
            return Err(StoreError::NotADatabase {
                path: path.display().to_string(),
                detail: "the directory holds other files and no phonedesk database".into(),
            });
        }
    }
    Ok(())
}

fn io_open_error(path: &Path, e: &std::io::Error) -> StoreError {
    let shown = path.display().to_string();
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly { path: shown }
        }
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            StoreError::DiskFull { path: shown }
        }
        _ => StoreError::Io(format!("{shown}: {}", io_words(e))),
    }
}

fn open_error(path: &Path, e: &sled::Error) -> StoreError {
    let shown = path.display().to_string();
    match e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::InUse { path: shown }
        }
        sled::Error::Io(io) => io_open_error(path, io),
        other => StoreError::Corrupt {
            path: shown,
            detail: sled_words(other),
        },
    }
}

/// A sled error in plain words for an operator, without sled's internals (its `Display` shows
/// a backtrace field, debug-printed I/O errors, and "please report this bug").
fn sled_words(e: &sled::Error) -> String {
    match e {
        sled::Error::Io(io) => io_words(io),
        sled::Error::Corruption { .. } => "some of its data does not match its checksum".to_owned(),
        sled::Error::CollectionNotFound(_) => "a part of the database is missing".to_owned(),
        sled::Error::Unsupported(_) => {
            "the storage engine cannot use the files as they are (written with other settings or by another version)"
                .to_owned()
        }
        sled::Error::ReportableBug(_) => "the storage engine failed unexpectedly".to_owned(),
    }
}

/// An I/O error in plain words: the operating system's message without "(os error N)", or,
/// for an error sled copied into a debug-printed text, what its kind means.
fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(code) = e.raw_os_error() {
        let text = std::io::Error::from_raw_os_error(code).to_string();
        let text = text.split(" (os error").next().unwrap_or(&text);
        return lowercase_first(text);
    }
    let words = match e.kind() {
        K::StorageFull => "the disk is full",
        K::PermissionDenied => "permission denied",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::NotFound => "a file of the database is missing",
        K::UnexpectedEof => "a file of the database ends too early",
        K::InvalidData => "the data in the database is damaged",
        K::WouldBlock => "the database is locked",
        K::Interrupted => "the operation was interrupted",
        _ => match e.get_ref().map(ToString::to_string) {
            // sled wraps errors as `Os { code: .., kind: .., message: ".." }`: keep the message.
            Some(text) if text.contains("message: \"") => {
                let message = text
                    .split("message: \"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .unwrap_or("an input/output error");
                return lowercase_first(message);
            }
            Some(text) if !text.contains('{') && !text.contains("backtrace") => {
                return lowercase_first(&text);
            }
            _ => "an input/output error",
        },
    };
    words.to_owned()
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct SledTxn<'a> {
    trees: &'a [sled::transaction::TransactionalTree],
}

fn unabortable(e: UnabortableTransactionError) -> TxnError {
    match e {
        UnabortableTransactionError::Conflict => TxnError::Conflict,
        UnabortableTransactionError::Storage(e) => TxnError::Storage(sled_words(&e)),
    }
}

impl Txn for SledTxn<'_> {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError> {
        self.trees[tree as usize]
            .get(key)
            .map(|v| v.map(|v| v.to_vec()))
            .map_err(unabortable)
    }

    fn insert(&self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<(), TxnError> {
        self.trees[tree as usize]
            .insert(key, value)
            .map(drop)
            .map_err(unabortable)
    }

    fn remove(&self, tree: TreeId, key: &[u8]) -> Result<(), TxnError> {
        self.trees[tree as usize]
            .remove(key)
            .map(drop)
            .map_err(unabortable)
    }
}

impl SledBackend {
    /// Runs `work` in one sled transaction over the trees of `g` (counting the commit), then
    /// makes it durable: sled's flush, `fdatasync` of its log, and the checkpoint.
    fn run_transaction(
        &self,
        g: &Generation,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<u64, StoreError> {
        let commit = std::cell::Cell::new(0);
        let result = g.trees.as_slice().transaction(|trees| {
            let txn = SledTxn { trees };
            let counted = work(&txn).and_then(|()| next_seq(&txn, KEY_COMMIT_SEQ));
            match counted {
                Ok(seq) => {
                    commit.set(seq);
                    Ok(())
                }
                Err(TxnError::Conflict) => Err(ConflictableTransactionError::Conflict),
                Err(other) => Err(ConflictableTransactionError::Abort(other)),
            }
        });
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(TxnError::Refused(e))) => return Err(e),
            Err(TransactionError::Abort(TxnError::Storage(e))) => {
                return Err(StoreError::Io(format!("{}: {e}", self.root.display())));
            }
            Err(TransactionError::Abort(TxnError::Conflict)) => {
                return Err(StoreError::Io("transaction conflict".into()));
            }
            Err(TransactionError::Storage(e)) => return Err(self.storage(&e)),
        }
        self.make_durable(g)?;
        Ok(commit.get())
    }

    /// Durable before anyone is told "saved": sled's flush, then `fdatasync` of the log (sled
    /// alone only issues `sync_file_range`).
    fn make_durable(&self, g: &Generation) -> Result<(), StoreError> {
        g.db.flush().map(drop).map_err(|e| self.storage(&e))?;
        if let Some(log) = &g.log {
            log.sync_data().map_err(|e| io_open_error(&self.root, &e))?;
        }
        Ok(())
    }

    /// Records that `g` got to `commit`, so a later open notices if this change went missing.
    fn record_checkpoint(&self, g: &Generation, commit: u64) {
        if let Some(writer) = &self.checkpoint {
            // The change is already on disk: a checkpoint that cannot be written only weakens
            // the next open's check, so it does not turn a saved change into a failure.
            let _ = writer.write(&g.checkpoint(commit));
        }
    }

    fn side_path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Copies the trees that outlive imports (meta, the audit trail, the sign-in log) from the
    /// live generation into the staged one.
    fn carry_over(&self, from: &Generation, to: &Generation) -> Result<(), StoreError> {
        for id in TreeId::ALL.iter().filter(|t| !t.is_generational()) {
            let mut batch = sled::Batch::default();
            let mut size = 0;
            for item in from.tree(*id).iter() {
                let (k, v) = item.map_err(|e| self.storage(&e))?;
                crate::watchdog::beat();
                size += k.len() + v.len();
                batch.insert(k, v);
                if size >= STAGE_FLUSH_BYTES {
                    to.tree(*id)
                        .apply_batch(std::mem::take(&mut batch))
                        .map_err(|e| self.storage(&e))?;
                    to.db.flush().map_err(|e| self.storage(&e))?;
                    size = 0;
                }
            }
            to.tree(*id)
                .apply_batch(batch)
                .map_err(|e| self.storage(&e))?;
        }
        Ok(())
    }

    /// Deletes a generation's sled files once it is no longer live.
    fn remove_generation(&self, number: u64, dir: &Path) {
        if number == 0 {
            self.remove_in_root(&is_root_sled_file);
        } else {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Backend for SledBackend {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.with_tree(tree, |t| t.get(key).map(|v| v.map(|v| v.to_vec())))
    }

    fn scan(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        self.with_tree(tree, |t| {
            for item in t.scan_prefix(prefix) {
                let (k, v) = item?;
                crate::watchdog::beat();
                if !visit(&k, &v) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn scan_rev(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        self.with_tree(tree, |t| {
            for item in t.scan_prefix(prefix).rev() {
                let (k, v) = item?;
                crate::watchdog::beat();
                if !visit(&k, &v) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn scan_from(
        &self,
        tree: TreeId,
        from: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        self.with_tree(tree, |t| {
            for item in t.range(from..) {
                let (k, v) = item?;
                crate::watchdog::beat();
                if !visit(&k, &v) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn scan_before(
        &self,
        tree: TreeId,
        before: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        self.with_tree(tree, |t| {
            for item in t.range(..before).rev() {
                let (k, v) = item?;
                crate::watchdog::beat();
                if !visit(&k, &v) {
                    break;
                }
            }
            Ok(())
        })
    }

    fn floor(&self, tree: TreeId, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        self.with_tree(tree, |t| {
            t.range(..=key)
                .next_back()
                .transpose()
                .map(|found| found.map(|(k, v)| (k.to_vec(), v.to_vec())))
        })
    }

    fn is_empty(&self, tree: TreeId) -> Result<bool, StoreError> {
        self.with_tree(tree, |t| t.first().map(|f| f.is_none()))
    }

    fn transact_dyn(
        &self,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        let _busy = crate::watchdog::Busy::enter();
        let live = self.live.read().unwrap_or_else(PoisonError::into_inner);
        let commit = self.run_transaction(&live, work)?;
        self.record_checkpoint(&live, commit);
        Ok(())
    }

    fn location(&self) -> String {
        self.root.display().to_string()
    }

    fn opened_empty(&self) -> bool {
        self.pristine
    }

    fn generation(&self) -> u64 {
        self.live
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .number
    }

    fn stage(&self) -> Result<u64, StoreError> {
        self.writable()?;
        let next = self.generation() + 1;
        let dir = generation_dir(&self.root, next);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io_open_error(&dir, &e))?;
        }
        let staged = Generation::open(next, &dir)?;
        *self.staged.lock().unwrap_or_else(PoisonError::into_inner) = Some((staged, 0));
        Ok(next)
    }

    fn stage_insert(&self, tree: TreeId, items: &[KeyValue]) -> Result<(), StoreError> {
        let _busy = crate::watchdog::Busy::enter();
        let mut staged = self.staged.lock().unwrap_or_else(PoisonError::into_inner);
        let Some((g, unflushed)) = staged.as_mut() else {
            return Err(StoreError::Io("no generation is being staged".into()));
        };
        let mut batch = sled::Batch::default();
        for (k, v) in items {
            batch.insert(k.as_slice(), v.as_slice());
            *unflushed += k.len() + v.len();
        }
        g.tree(tree)
            .apply_batch(batch)
            .map_err(|e| self.storage(&e))?;
        if *unflushed >= STAGE_FLUSH_BYTES {
            *unflushed = 0;
            g.db.flush().map_err(|e| self.storage(&e))?;
        }
        Ok(())
    }

    fn switch(&self, work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>) -> Result<(), StoreError> {
        let Some((staged, _)) = self
            .staged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        else {
            return Err(StoreError::Io("no generation is being staged".into()));
        };
        let next = staged.number;
        let _busy = crate::watchdog::Busy::enter();
        let old = {
            let mut live = self.live.write().unwrap_or_else(PoisonError::into_inner);
            self.carry_over(&live, &staged)?;
            let commit = self.run_transaction(&staged, &|txn| {
                work(txn)?;
                txn.insert(TreeId::Meta, KEY_GENERATION, &next.to_be_bytes())
            })?;
            // The one atomic step: from here on, opening finds the new generation; only then
            // does the checkpoint name it.
            write_current(&self.root, next)?;
            self.record_checkpoint(&staged, commit);
            std::mem::replace(&mut *live, staged)
        };
        let (number, dir) = (old.number, old.dir.clone());
        drop(old);
        self.remove_generation(number, &dir);
        Ok(())
    }

    fn discard_staged(&self) -> Result<(), StoreError> {
        let staged = self
            .staged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((g, _)) = staged {
            let dir = g.dir.clone();
            drop(g);
            let _ = std::fs::remove_dir_all(dir);
        }
        Ok(())
    }

    fn read_side(&self, name: &str) -> Option<std::io::Result<Box<dyn std::io::Read + '_>>> {
        match std::fs::File::open(self.side_path(name)) {
            Ok(file) => Some(Ok(Box::new(std::io::BufReader::with_capacity(
                1 << 20,
                file,
            )))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some(Err(e)),
        }
    }

    fn write_side(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), StoreError> {
        self.writable()?;
        let path = self.side_path(name);
        crate::atomic_file::write_with(&path, |out| write(out))
            .map_err(|e| StoreError::Io(format!("{}: {}", path.display(), io_words(&e))))
    }

    fn remove_side(&self, name: &str) -> Result<(), StoreError> {
        match std::fs::remove_file(self.side_path(name)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::Io(format!(
                "{}: {}",
                self.side_path(name).display(),
                io_words(&e)
            ))),
        }
    }
}

#[cfg(test)]
mod error_words {
    use super::{io_words, sled_words};
    use std::io::{Error, ErrorKind};

    /// What sled's own `Display` would have shown: none of it reaches an operator.
    const INTERNALS: [&str; 6] = ["backtrace", "Some(", "None", "Os {", "REPORT", "os error"];

    fn plain(text: &str) {
        for internal in INTERNALS {
            assert!(!text.contains(internal), "{text:?} shows {internal:?}");
        }
        assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
    }

    #[test]
    fn sled_errors_are_plain_words() {
        let corruption = sled::Error::Corruption { at: None, bt: () };
        assert!(corruption.to_string().contains("backtrace"));
        for e in [
            corruption,
            sled::Error::ReportableBug("tried to serialize Uninitialized".into()),
            sled::Error::Unsupported("segment size mismatch".into()),
            sled::Error::CollectionNotFound(sled::IVec::from(&b"users"[..])),
            sled::Error::Io(Error::from_raw_os_error(28)),
        ] {
            plain(&sled_words(&e));
        }
        assert_eq!(
            sled_words(&sled::Error::Io(Error::from_raw_os_error(28))),
            "no space left on device"
        );
    }

    #[test]
    fn io_errors_sled_copied_as_debug_text_keep_only_their_message() {
        // sled clones an I/O error as `io::Error::new(kind, format!("{:?}", e))`.
        let copied = Error::other(format!("{:?}", Error::from_raw_os_error(5)));
        assert!(copied.to_string().contains("Os {"));
        assert_eq!(io_words(&copied), "input/output error");
        let full = Error::new(
            ErrorKind::StorageFull,
            format!("{:?}", Error::from_raw_os_error(28)),
        );
        assert_eq!(io_words(&full), "the disk is full");
        assert_eq!(io_words(&Error::from_raw_os_error(13)), "permission denied");
        plain(&io_words(&Error::other("a { b } backtrace ()")));
    }
}
