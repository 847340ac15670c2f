//! The in-memory twin of the sled backend, for testing logic without a disk. It is never used by
//! the app itself.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::StoreError;
use super::backend::{Backend, TreeId, Txn, TxnError};

type Key = (TreeId, Vec<u8>);
type Map = BTreeMap<Key, Vec<u8>>;

/// All trees in one ordered map behind a mutex.
#[derive(Default)]
pub struct MemoryBackend {
    data: Mutex<Map>,
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Map>, StoreError> {
        self.data
            .lock()
            .map_err(|_| StoreError::Io("the in-memory store was poisoned".into()))
    }
}

/// Writes staged over a snapshot; applied only when the transaction succeeds.
struct Staged<'a> {
    base: &'a Map,
    writes: std::cell::RefCell<BTreeMap<Key, Option<Vec<u8>>>>,
}

impl Txn for Staged<'_> {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError> {
        let k = (tree, key.to_vec());
        if let Some(staged) = self.writes.borrow().get(&k) {
            return Ok(staged.clone());
        }
        Ok(self.base.get(&k).cloned())
    }

    fn insert(&self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<(), TxnError> {
        self.writes
            .borrow_mut()
            .insert((tree, key.to_vec()), Some(value.to_vec()));
        Ok(())
    }

    fn remove(&self, tree: TreeId, key: &[u8]) -> Result<(), TxnError> {
        self.writes.borrow_mut().insert((tree, key.to_vec()), None);
        Ok(())
    }
}

fn in_tree<'a>(
    map: &'a Map,
    tree: TreeId,
    prefix: &'a [u8],
) -> impl Iterator<Item = (&'a (TreeId, Vec<u8>), &'a Vec<u8>)> {
    map.range((tree, prefix.to_vec())..)
        .take_while(move |((t, k), _)| *t == tree && k.starts_with(prefix))
}

impl Backend for MemoryBackend {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock()?.get(&(tree, key.to_vec())).cloned())
    }

    fn scan(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        let map = self.lock()?;
        for ((_, k), v) in in_tree(&map, tree, prefix) {
            if !visit(k, v) {
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
        let map = self.lock()?;
        let entries: Vec<_> = in_tree(&map, tree, prefix).collect();
        for ((_, k), v) in entries.into_iter().rev() {
            if !visit(k, v) {
                break;
            }
        }
        Ok(())
    }

    fn len(&self, tree: TreeId) -> Result<usize, StoreError> {
        let map = self.lock()?;
        Ok(in_tree(&map, tree, &[]).count())
    }

    fn transact_dyn(
        &self,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError> {
        let mut map = self.lock()?;
        let staged = Staged {
            base: &map,
            writes: std::cell::RefCell::new(BTreeMap::new()),
        };
        let result = work(&staged);
        let writes = staged.writes.into_inner();
        match result {
            Ok(()) => {
                for (key, value) in writes {
                    match value {
                        Some(v) => map.insert(key, v),
                        None => map.remove(&key),
                    };
                }
                Ok(())
            }
            Err(TxnError::Refused(e)) => Err(e),
            Err(TxnError::Conflict) => Err(StoreError::Io("unexpected conflict".into())),
            Err(TxnError::Storage(e)) => Err(StoreError::Io(e)),
        }
    }

    fn location(&self) -> String {
        "(in memory)".into()
    }
}
