//! The sled backend: one sled database, one tree per [`TreeId`] (per generation for the
//! generational ones), every transaction flushed to disk before it is reported as done.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use sled::transaction::{
    ConflictableTransactionError, TransactionError, UnabortableTransactionError,
};
use sled::{Transactional, Tree};

use super::StoreError;
use super::backend::{Backend, KEY_GENERATION, KeyValue, TreeId, Txn, TxnError, generation_of};
use super::schema::decode_u64;

/// Pinned so that reopening never meets a different configuration (sled refuses that) and so a
/// million-user tenant does not take sled's default 1 GiB page cache.
const CACHE_CAPACITY: u64 = 64 * 1024 * 1024;
const SEGMENT_SIZE: usize = 512 * 1024;
/// While an import stages a generation, sled is flushed after about this many bytes, so its
/// in-memory log stays bounded however large the tenant is.
const STAGE_FLUSH_BYTES: usize = 16 * 1024 * 1024;

/// The trees of one generation, indexed by `TreeId as usize`.
struct Trees {
    generation: u64,
    handles: Vec<Tree>,
}

pub struct SledBackend {
    db: sled::Db,
    current: RwLock<Trees>,
    staged: Mutex<Option<Staged>>,
    path: PathBuf,
    pristine: bool,
}

struct Staged {
    trees: Trees,
    unflushed: usize,
}

impl SledBackend {
    /// Opens (or creates) the database at `path`. Every failure becomes a [`StoreError`] that
    /// names the path; sled panics on some corrupt files, and that is caught here too.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        refuse_foreign_path(path)?;
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_CAPACITY)
            .segment_size(SEGMENT_SIZE)
            .use_compression(false)
            // Durability comes from explicit flushes; a background flusher would only wake the
            // CPU while the app is idle.
            .flush_every_ms(None);
        let db = open_waiting_for_lock(path, &config)?;
        let storage = |e: sled::Error| open_error(path, &e);
        let names: Vec<String> = db
            .tree_names()
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        let has_meta = names.iter().any(|n| n == TreeId::Meta.name());
        let pristine = !has_meta && names.iter().all(|n| n == "__sled__default") && db.is_empty();
        let meta = db.open_tree(TreeId::Meta.name()).map_err(storage)?;
        let generation = meta
            .get(KEY_GENERATION)
            .map_err(storage)?
            .and_then(|v| decode_u64(&v))
            .unwrap_or(0);
        let handles = open_trees(&db, generation).map_err(storage)?;
        let backend = Self {
            db,
            current: RwLock::new(Trees {
                generation,
                handles,
            }),
            staged: Mutex::new(None),
            path: path.to_path_buf(),
            pristine,
        };
        backend.drop_other_generations(generation, &names)?;
        Ok(backend)
    }

    fn storage(&self, e: &sled::Error) -> StoreError {
        StoreError::Io(format!("{}: {e}", self.path.display()))
    }

    fn with_tree<T>(
        &self,
        id: TreeId,
        f: impl FnOnce(&Tree) -> Result<T, sled::Error>,
    ) -> Result<T, StoreError> {
        let trees = self.current.read().unwrap_or_else(PoisonError::into_inner);
        // `open_trees` opens every TreeId in declaration order, so the index always exists.
        f(&trees.handles[id as usize]).map_err(|e| self.storage(&e))
    }

    /// Drops what a killed import or an upgrade left behind: trees of any other generation.
    fn drop_other_generations(&self, current: u64, names: &[String]) -> Result<(), StoreError> {
        for name in names {
            let stale = match generation_of(name) {
                Some(g) => g != current,
                // Generation 0 used the plain names; later generations do not.
                None => {
                    current > 0
                        && TreeId::ALL
                            .iter()
                            .any(|t| t.is_generational() && t.name() == name)
                }
            };
            if stale {
                self.db.drop_tree(name).map_err(|e| self.storage(&e))?;
            }
        }
        Ok(())
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(drop).map_err(|e| self.storage(&e))
    }
}

fn open_trees(db: &sled::Db, generation: u64) -> Result<Vec<Tree>, sled::Error> {
    TreeId::ALL
        .iter()
        .map(|id| db.open_tree(id.physical_name(generation)))
        .collect()
}

/// How long a held lock is waited for before the database is reported as in use. sled lets go of
/// its file lock from background threads shortly after a database is closed, so reopening in the
/// same process can briefly meet its own lock; another running phonedesk holds it for good.
const LOCK_GRACE: Duration = Duration::from_secs(1);
const LOCK_POLL: Duration = Duration::from_millis(10);

fn open_waiting_for_lock(path: &Path, config: &sled::Config) -> Result<sled::Db, StoreError> {
    let deadline = Instant::now() + LOCK_GRACE;
    loop {
        let opened =
            crate::panic_guard::quietly(|| config.open()).map_err(|panic| StoreError::Corrupt {
                path: path.display().to_string(),
                detail: panic,
            })?;
        match opened.map_err(|e| open_error(path, &e)) {
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
        if !empty && !path.join("conf").exists() && !path.join("db").exists() {
            return Err(StoreError::NotADatabase {
                path: path.display().to_string(),
                detail: "the directory holds other files and no sled database".into(),
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
        _ => StoreError::Io(format!("{shown}: {e}")),
    }
}

fn open_error(path: &Path, e: &sled::Error) -> StoreError {
    let shown = path.display().to_string();
    match e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::InUse { path: shown }
        }
        sled::Error::Io(io) => io_open_error(path, io),
        sled::Error::Corruption { .. } => StoreError::Corrupt {
            path: shown,
            detail: e.to_string(),
        },
        other => StoreError::Corrupt {
            path: shown,
            detail: other.to_string(),
        },
    }
}

struct SledTxn<'a> {
    trees: &'a [sled::transaction::TransactionalTree],
}

fn unabortable(e: UnabortableTransactionError) -> TxnError {
    match e {
        UnabortableTransactionError::Conflict => TxnError::Conflict,
        UnabortableTransactionError::Storage(e) => TxnError::Storage(e.to_string()),
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
    /// Runs `work` in one sled transaction over `trees`, without flushing.
    fn run_transaction(
        &self,
        trees: &[Tree],
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError> {
        let result = trees.transaction(|trees| {
            work(&SledTxn { trees }).map_err(|e| match e {
                TxnError::Conflict => ConflictableTransactionError::Conflict,
                other => ConflictableTransactionError::Abort(other),
            })
        });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(TxnError::Refused(e))) => Err(e),
            Err(TransactionError::Abort(TxnError::Storage(e))) => {
                Err(StoreError::Io(format!("{}: {e}", self.path.display())))
            }
            Err(TransactionError::Abort(TxnError::Conflict)) => {
                Err(StoreError::Io("transaction conflict".into()))
            }
            Err(TransactionError::Storage(e)) => Err(self.storage(&e)),
        }
    }

    fn side_path(&self, name: &str) -> PathBuf {
        self.path.join(name)
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
        {
            let trees = self.current.read().unwrap_or_else(PoisonError::into_inner);
            self.run_transaction(&trees.handles, work)?;
        }
        // Durable before anyone is told "saved".
        self.flush()
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn opened_empty(&self) -> bool {
        self.pristine
    }

    fn generation(&self) -> u64 {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .generation
    }

    fn stage(&self) -> Result<u64, StoreError> {
        let next = self.generation() + 1;
        for id in TreeId::ALL.iter().filter(|t| t.is_generational()) {
            self.db
                .drop_tree(id.physical_name(next))
                .map_err(|e| self.storage(&e))?;
        }
        let handles = open_trees(&self.db, next).map_err(|e| self.storage(&e))?;
        *self.staged.lock().unwrap_or_else(PoisonError::into_inner) = Some(Staged {
            trees: Trees {
                generation: next,
                handles,
            },
            unflushed: 0,
        });
        Ok(next)
    }

    fn stage_insert(&self, tree: TreeId, items: &[KeyValue]) -> Result<(), StoreError> {
        let mut staged = self.staged.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(staged) = staged.as_mut() else {
            return Err(StoreError::Io("no generation is being staged".into()));
        };
        let mut batch = sled::Batch::default();
        for (k, v) in items {
            batch.insert(k.as_slice(), v.as_slice());
            staged.unflushed += k.len() + v.len();
        }
        staged.trees.handles[tree as usize]
            .apply_batch(batch)
            .map_err(|e| self.storage(&e))?;
        if staged.unflushed >= STAGE_FLUSH_BYTES {
            staged.unflushed = 0;
            self.flush()?;
        }
        Ok(())
    }

    fn switch(&self, work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>) -> Result<(), StoreError> {
        let Some(staged) = self
            .staged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        else {
            return Err(StoreError::Io("no generation is being staged".into()));
        };
        // The staged trees are on disk before the switch that makes them current.
        self.flush()?;
        let next = staged.trees.generation;
        let old = {
            let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
            let mut handles = staged.trees.handles.clone();
            for id in TreeId::ALL.iter().filter(|t| !t.is_generational()) {
                handles[*id as usize] = current.handles[*id as usize].clone();
            }
            self.run_transaction(&handles, &|txn| {
                work(txn)?;
                txn.insert(TreeId::Meta, KEY_GENERATION, &next.to_be_bytes())
            })?;
            self.flush()?;
            std::mem::replace(
                &mut *current,
                Trees {
                    generation: next,
                    handles,
                },
            )
        };
        for id in TreeId::ALL.iter().filter(|t| t.is_generational()) {
            self.db
                .drop_tree(id.physical_name(old.generation))
                .map_err(|e| self.storage(&e))?;
        }
        self.flush()
    }

    fn discard_staged(&self) -> Result<(), StoreError> {
        let staged = self
            .staged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(staged) = staged {
            for id in TreeId::ALL.iter().filter(|t| t.is_generational()) {
                self.db
                    .drop_tree(id.physical_name(staged.trees.generation))
                    .map_err(|e| self.storage(&e))?;
            }
            self.flush()?;
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
        let path = self.side_path(name);
        crate::atomic_file::write_with(&path, write)
            .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))
    }

    fn remove_side(&self, name: &str) -> Result<(), StoreError> {
        match std::fs::remove_file(self.side_path(name)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::Io(format!("{name}: {e}"))),
        }
    }
}
