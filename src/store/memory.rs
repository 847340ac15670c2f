//! The in-memory twin of the sled backend, for testing logic without a disk. It is never used by
//! the app itself.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use super::StoreError;
use super::backend::{Backend, KEY_GENERATION, KeyValue, TreeId, Txn, TxnError};

type Tree = BTreeMap<Vec<u8>, Vec<u8>>;
/// A key in a tree named as sled would name it.
type PhysicalKey = (String, Vec<u8>);

#[derive(Default)]
struct State {
    /// Trees by their physical name, as sled would name them.
    trees: BTreeMap<String, Tree>,
    generation: u64,
    staged: Option<u64>,
    sides: HashMap<String, Vec<u8>>,
}

impl State {
    fn tree(&self, id: TreeId) -> Option<&Tree> {
        self.trees.get(&physical_name(id, self.generation))
    }
}

/// Generations live side by side here, as trees named `g3.users`; the global trees keep their
/// plain names.
fn physical_name(id: TreeId, generation: u64) -> String {
    if id.is_generational() {
        format!("g{generation}.{}", id.name())
    } else {
        id.name().to_owned()
    }
}

/// All trees in ordered maps behind a mutex.
#[derive(Default)]
pub struct MemoryBackend {
    state: Mutex<State>,
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        self.state
            .lock()
            .map_err(|_| StoreError::Io("the in-memory store was poisoned".into()))
    }
}

/// Writes staged over the state; applied only when the transaction succeeds.
struct Staged<'a> {
    state: &'a State,
    generation: u64,
    writes: std::cell::RefCell<BTreeMap<PhysicalKey, Option<Vec<u8>>>>,
}

impl Staged<'_> {
    fn key(&self, tree: TreeId, key: &[u8]) -> PhysicalKey {
        (physical_name(tree, self.generation), key.to_vec())
    }
}

impl Txn for Staged<'_> {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError> {
        let k = self.key(tree, key);
        if let Some(staged) = self.writes.borrow().get(&k) {
            return Ok(staged.clone());
        }
        Ok(self
            .state
            .trees
            .get(&k.0)
            .and_then(|t| t.get(&k.1))
            .cloned())
    }

    fn insert(&self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<(), TxnError> {
        let k = self.key(tree, key);
        self.writes.borrow_mut().insert(k, Some(value.to_vec()));
        Ok(())
    }

    fn remove(&self, tree: TreeId, key: &[u8]) -> Result<(), TxnError> {
        let k = self.key(tree, key);
        self.writes.borrow_mut().insert(k, None);
        Ok(())
    }
}

/// Runs `work` over `state` as generation `generation`; applies its writes only on success.
fn transact(
    state: &mut State,
    generation: u64,
    work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
) -> Result<(), StoreError> {
    let staged = Staged {
        state,
        generation,
        writes: std::cell::RefCell::new(BTreeMap::new()),
    };
    let result = work(&staged);
    let writes = staged.writes.into_inner();
    match result {
        Ok(()) => {
            for ((tree, key), value) in writes {
                let tree = state.trees.entry(tree).or_default();
                match value {
                    Some(v) => tree.insert(key, v),
                    None => tree.remove(&key),
                };
            }
            Ok(())
        }
        Err(TxnError::Refused(e)) => Err(e),
        Err(TxnError::Conflict) => Err(StoreError::Io("unexpected conflict".into())),
        Err(TxnError::Storage(e)) => Err(StoreError::Io(e)),
    }
}

fn prefixed<'a>(tree: Option<&'a Tree>, prefix: &'a [u8]) -> Vec<(&'a Vec<u8>, &'a Vec<u8>)> {
    tree.map(|t| {
        t.range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .collect()
    })
    .unwrap_or_default()
}

fn drop_generation(state: &mut State, generation: u64) {
    for id in TreeId::ALL.iter().filter(|t| t.is_generational()) {
        state.trees.remove(&physical_name(*id, generation));
    }
}

impl Backend for MemoryBackend {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock()?.tree(tree).and_then(|t| t.get(key)).cloned())
    }

    fn scan(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        let state = self.lock()?;
        for (k, v) in prefixed(state.tree(tree), prefix) {
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
        let state = self.lock()?;
        for (k, v) in prefixed(state.tree(tree), prefix).into_iter().rev() {
            if !visit(k, v) {
                break;
            }
        }
        Ok(())
    }

    fn scan_from(
        &self,
        tree: TreeId,
        from: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        let state = self.lock()?;
        if let Some(t) = state.tree(tree) {
            for (k, v) in t.range(from.to_vec()..) {
                if !visit(k, v) {
                    break;
                }
            }
        }
        Ok(())
    }

    fn scan_before(
        &self,
        tree: TreeId,
        before: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError> {
        let state = self.lock()?;
        if let Some(t) = state.tree(tree) {
            for (k, v) in t.range(..before.to_vec()).rev() {
                if !visit(k, v) {
                    break;
                }
            }
        }
        Ok(())
    }

    fn floor(&self, tree: TreeId, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        let state = self.lock()?;
        Ok(state.tree(tree).and_then(|t| {
            t.range(..=key.to_vec())
                .next_back()
                .map(|(k, v)| (k.clone(), v.clone()))
        }))
    }

    fn is_empty(&self, tree: TreeId) -> Result<bool, StoreError> {
        Ok(self.lock()?.tree(tree).is_none_or(BTreeMap::is_empty))
    }

    fn transact_dyn(
        &self,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError> {
        let mut state = self.lock()?;
        let generation = state.generation;
        transact(&mut state, generation, work)
    }

    fn location(&self) -> String {
        "(in memory)".into()
    }

    fn opened_empty(&self) -> bool {
        self.lock()
            .is_ok_and(|s| s.trees.values().all(BTreeMap::is_empty))
    }

    fn generation(&self) -> u64 {
        self.lock().map_or(0, |s| s.generation)
    }

    fn stage(&self) -> Result<u64, StoreError> {
        let mut state = self.lock()?;
        let next = state.generation + 1;
        drop_generation(&mut state, next);
        state.staged = Some(next);
        Ok(next)
    }

    fn stage_insert(&self, tree: TreeId, items: &[KeyValue]) -> Result<(), StoreError> {
        let mut state = self.lock()?;
        let Some(next) = state.staged else {
            return Err(StoreError::Io("no generation is being staged".into()));
        };
        let tree = state.trees.entry(physical_name(tree, next)).or_default();
        for (k, v) in items {
            tree.insert(k.clone(), v.clone());
        }
        Ok(())
    }

    fn switch(&self, work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>) -> Result<(), StoreError> {
        let mut state = self.lock()?;
        let Some(next) = state.staged.take() else {
            return Err(StoreError::Io("no generation is being staged".into()));
        };
        transact(&mut state, next, &|txn| {
            work(txn)?;
            txn.insert(TreeId::Meta, KEY_GENERATION, &next.to_be_bytes())
        })?;
        let old = std::mem::replace(&mut state.generation, next);
        drop_generation(&mut state, old);
        Ok(())
    }

    fn discard_staged(&self) -> Result<(), StoreError> {
        let mut state = self.lock()?;
        if let Some(next) = state.staged.take() {
            drop_generation(&mut state, next);
        }
        Ok(())
    }

    fn read_side(&self, name: &str) -> Option<std::io::Result<Box<dyn std::io::Read + '_>>> {
        let bytes = self.lock().ok()?.sides.get(name).cloned()?;
        Some(Ok(Box::new(std::io::Cursor::new(bytes))))
    }

    fn write_side(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), StoreError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| StoreError::Io(e.to_string()))?;
        self.lock()?.sides.insert(name.to_owned(), bytes);
        Ok(())
    }

    fn remove_side(&self, name: &str) -> Result<(), StoreError> {
        self.lock()?.sides.remove(name);
        Ok(())
    }
}
