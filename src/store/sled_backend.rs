//! The sled backend: one sled database, one tree per [`TreeId`], every transaction flushed to
//! disk before it is reported as done.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sled::transaction::{
    ConflictableTransactionError, TransactionError, UnabortableTransactionError,
};
use sled::{Transactional, Tree};

use super::StoreError;
use super::backend::{Backend, TreeId, Txn, TxnError};

/// Pinned so that reopening never meets a different configuration (sled refuses that) and so a
/// million-user tenant does not take sled's default 1 GiB page cache.
const CACHE_CAPACITY: u64 = 128 * 1024 * 1024;
const SEGMENT_SIZE: usize = 512 * 1024;

pub struct SledBackend {
    db: sled::Db,
    trees: Vec<Tree>,
    path: PathBuf,
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
        let mut trees = Vec::with_capacity(TreeId::ALL.len());
        for id in TreeId::ALL {
            trees.push(db.open_tree(id.name()).map_err(|e| open_error(path, &e))?);
        }
        Ok(Self {
            db,
            trees,
            path: path.to_path_buf(),
        })
    }

    fn tree(&self, id: TreeId) -> &Tree {
        // TreeId::ALL lists every variant in declaration order, so the index always exists.
        &self.trees[id as usize]
    }

    fn storage(&self, e: &sled::Error) -> StoreError {
        StoreError::Io(format!("{}: {e}", self.path.display()))
    }
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

impl Backend for SledBackend {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.tree(tree)
            .get(key)
            .map(|v| v.map(|v| v.to_vec()))
            .map_err(|e| self.storage(&e))
    }

    fn scan(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        for item in self.tree(tree).scan_prefix(prefix) {
            let (k, v) = item.map_err(|e| self.storage(&e))?;
            if !visit(&k, &v) {
                break;
            }
        }
        Ok(())
    }

    fn scan_rev(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        for item in self.tree(tree).scan_prefix(prefix).rev() {
            let (k, v) = item.map_err(|e| self.storage(&e))?;
            if !visit(&k, &v) {
                break;
            }
        }
        Ok(())
    }

    fn len(&self, tree: TreeId) -> Result<usize, StoreError> {
        Ok(self.tree(tree).len())
    }

    fn transact_dyn(
        &self,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError> {
        let result = self.trees.as_slice().transaction(|trees| {
            work(&SledTxn { trees }).map_err(|e| match e {
                TxnError::Conflict => ConflictableTransactionError::Conflict,
                other => ConflictableTransactionError::Abort(other),
            })
        });
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(TxnError::Refused(e))) => return Err(e),
            Err(TransactionError::Abort(TxnError::Storage(e))) => {
                return Err(StoreError::Io(format!("{}: {e}", self.path.display())));
            }
            Err(TransactionError::Abort(TxnError::Conflict)) => {
                return Err(StoreError::Io("transaction conflict".into()));
            }
            Err(TransactionError::Storage(e)) => return Err(self.storage(&e)),
        }
        // Durable before anyone is told "saved".
        self.db.flush().map_err(|e| self.storage(&e))?;
        Ok(())
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}
