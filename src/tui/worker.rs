//! The UI's worker thread: every call to the directory of record, off the key path.
//!
//! It loads the saved search index (or rebuilds it), answers queries, loads profiles and the
//! selected user's sign-in attempts, makes the changes (edits, reveals, the wizard's steps) one
//! at a time in the order asked, and brings the index up to date after an edit. Each query and
//! each profile carries a generation number; a newer keystroke bumps the generation, the worker skips queued jobs that are already stale
//! and abandons a scan in progress, and the UI drops any answer that is not for the latest
//! generation. A query is answered twice when it matches many users: first the top screenful
//! (so a first character typed into an empty box costs a screenful of work), then the complete
//! ranked list with its exact count. Typing never waits for a search. A query with a sort order
//! other than the ranking is answered once, complete and sorted ([`crate::tui::sort`]): a first
//! screenful cannot know which rows sort first without the rest.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use crate::domain::Upn;
use crate::domain::search::IndexStamp;
use crate::domain::search::{FIRST_SCREEN, Hits, Query, SearchIndex};
use crate::domain::{Applied, Edit, Operator};
use crate::store::local_index::Origin;
use crate::store::{LocalIndex, Record, StoreError};
use crate::tui::history::SignInHistory;
use crate::tui::profile::Profile;
use crate::tui::sort::{SortKey, sort_rows};
use crate::tui::tenant_search::{self, TENANT_PAGE};

mod wizard_job;
pub use wizard_job::{WizardDone, WizardJob, WizardStep};

/// What the worker reports back to the UI loop.
#[derive(Debug)]
pub enum WorkerMsg {
    IndexReady {
        users: usize,
        took: Duration,
        /// Why the saved index could not be used, when it was rebuilt.
        rebuilt: Option<String>,
    },
    IndexFailed(String),
    /// A real tenant is the record: each query is answered by the tenant itself.
    TenantReady,
    /// The tenant could not answer this query (no network, throttling, a refusal).
    SearchFailed {
        generation: u64,
        why: String,
    },
    /// What the operator should know about the tenant's answer (what it cannot search).
    SearchNote(String),
    /// Results for a query: the first screenful, then (when more match) the complete list.
    Results {
        generation: u64,
        hits: Hits,
    },
    Profile {
        generation: u64,
        loaded: Result<Box<Profile>, String>,
    },
    /// A user's recent sign-in attempts.
    SignIns {
        generation: u64,
        loaded: Result<Box<SignInHistory>, String>,
    },
    /// The index caught up with the change log: `changed` users were rewritten (the query
    /// should run again when any were).
    IndexChanged {
        changed: usize,
    },
    /// A change asked with [`Worker::change`] is done (or refused, or failed).
    Changed {
        id: u64,
        outcome: ChangeOutcome,
    },
}

/// A change of the directory of record, made on the worker: a real tenant answers over the
/// network, so the UI never waits for it.
#[derive(Clone, Debug)]
pub enum Change {
    /// Edits of one user, in order; the first refusal stops the rest.
    Edits {
        operator: Operator,
        upn: String,
        edits: Vec<Edit>,
    },
    /// Reveal the user's numbers (audited).
    Reveal {
        operator: Operator,
        upn: String,
        context: String,
    },
    /// A step of the troubleshooting wizard: its checks read the record, its fixes change it.
    Wizard(Box<WizardJob>),
}

/// What a [`Change`] came to.
#[derive(Debug)]
pub enum ChangeOutcome {
    /// The edits applied, or how many applied before one was refused and why.
    Edited(Result<Vec<Applied>, (usize, StoreError)>),
    /// The reveal was recorded (the profile then loads the numbers).
    Revealed(Result<(), StoreError>),
    Wizard(Box<WizardDone>),
}

enum Job {
    Build,
    Search {
        generation: u64,
        query: Query,
        sort: SortKey,
        /// How many users a tenant is asked for (the local index finds them all).
        limit: usize,
    },
    Profile {
        generation: u64,
        upn: String,
        revealed: bool,
    },
    SignIns {
        generation: u64,
        upn: Upn,
    },
    CatchUp,
    Change {
        id: u64,
        change: Change,
    },
}

/// The jobs waiting when the worker wakes, reduced to what still matters.
#[derive(Default)]
struct Pending {
    build: bool,
    catch_up: bool,
    search: Option<(u64, Query, SortKey, usize)>,
    profile: Option<(u64, String, bool)>,
    sign_ins: Option<(u64, Upn)>,
    /// Changes are never dropped or merged: each runs, in the order asked.
    changes: Vec<(u64, Change)>,
}

impl Pending {
    fn add(&mut self, job: Job) {
        match job {
            Job::Build => self.build = true,
            Job::CatchUp => self.catch_up = true,
            Job::Search {
                generation,
                query,
                sort,
                limit,
            } => self.search = Some((generation, query, sort, limit)),
            Job::Profile {
                generation,
                upn,
                revealed,
            } => self.profile = Some((generation, upn, revealed)),
            Job::SignIns { generation, upn } => self.sign_ins = Some((generation, upn)),
            Job::Change { id, change } => self.changes.push((id, change)),
        }
    }
}

/// The index as the worker and the UI share it: `None` until loaded.
type Shared = Arc<RwLock<Option<LocalIndex>>>;

/// The UI's handle on the worker and the shared index.
pub struct Worker {
    index: Shared,
    latest: Arc<AtomicU64>,
    jobs: Option<Sender<Job>>,
    /// Set when the UI goes away, so a long index build stops instead of finishing for nobody.
    closed: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// Generations of profile loads; only the newest is answered.
    profiles: Arc<AtomicU64>,
    /// Generations of sign-in history loads, likewise.
    histories: Arc<AtomicU64>,
    /// Ids of changes asked.
    changes: AtomicU64,
}

impl Drop for Worker {
    /// Stops the worker and waits for it, so the directory it holds is released when the UI is
    /// gone (a reopened database must not find itself still "in use").
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What the worker thread shares with the UI.
struct Context {
    store: Arc<dyn Record>,
    index: Shared,
    latest: Arc<AtomicU64>,
    closed: Arc<AtomicBool>,
    profiles: Arc<AtomicU64>,
    histories: Arc<AtomicU64>,
    out: UnboundedSender<WorkerMsg>,
}

impl Worker {
    /// Starts the worker and asks it to load the index from `store`.
    pub fn start(store: Arc<dyn Record>, out: UnboundedSender<WorkerMsg>) -> Self {
        let index: Shared = Arc::new(RwLock::new(None));
        let latest = Arc::new(AtomicU64::new(0));
        let closed = Arc::new(AtomicBool::new(false));
        let profiles = Arc::new(AtomicU64::new(0));
        let histories = Arc::new(AtomicU64::new(0));
        let (jobs, rx) = channel();
        let failure = out.clone();
        let cx = Context {
            store,
            index: Arc::clone(&index),
            latest: Arc::clone(&latest),
            closed: Arc::clone(&closed),
            profiles: Arc::clone(&profiles),
            histories: Arc::clone(&histories),
            out,
        };
        let spawned = std::thread::Builder::new()
            .name("phonedesk-worker".into())
            .spawn(move || work(&rx, &cx));
        let thread = match spawned {
            Ok(handle) => Some(handle),
            Err(e) => {
                // Without the worker there is no search; say so rather than show "loading"
                // forever.
                let _ = failure.send(WorkerMsg::IndexFailed(format!(
                    "cannot start the search thread: {e}"
                )));
                None
            }
        };
        let _ = jobs.send(Job::Build);
        Self {
            index,
            latest,
            jobs: Some(jobs),
            closed,
            thread,
            profiles,
            histories,
            changes: AtomicU64::new(0),
        }
    }

    /// Asks for `change`; returns its id, which the answer carries.
    pub fn change(&self, change: Change) -> u64 {
        let id = self.changes.fetch_add(1, Ordering::SeqCst) + 1;
        self.send(Job::Change { id, change });
        id
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Queues `query`, its rows in `sort` order; returns its generation. Older queries become
    /// stale at once.
    pub fn submit(&self, query: Query, sort: SortKey) -> u64 {
        self.submit_for(query, sort, TENANT_PAGE)
    }

    /// As [`Worker::submit`], asking a tenant for up to `limit` users (the list pages in as the
    /// operator scrolls).
    pub fn submit_for(&self, query: Query, sort: SortKey, limit: usize) -> u64 {
        let generation = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        self.send(Job::Search {
            generation,
            query,
            sort,
            limit,
        });
        generation
    }

    /// Asks for `upn`'s profile; returns its generation. An older request becomes stale.
    pub fn load_profile(&self, upn: &str) -> u64 {
        self.load_profile_as(upn, false)
    }

    /// As [`Worker::load_profile`], with the numbers shown in full when `revealed` (after a
    /// reveal the operator was allowed, or an edit of a revealed profile).
    pub fn load_profile_as(&self, upn: &str, revealed: bool) -> u64 {
        let generation = self.supersede_profile();
        self.send(Job::Profile {
            generation,
            upn: upn.to_owned(),
            revealed,
        });
        generation
    }

    /// Makes every requested profile stale (the UI loaded one itself, or cleared it).
    pub fn supersede_profile(&self) -> u64 {
        self.profiles.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Asks for `upn`'s recent sign-in attempts; returns its generation. An older request becomes
    /// stale.
    pub fn load_sign_ins(&self, upn: &Upn) -> u64 {
        let generation = self.supersede_sign_ins();
        self.send(Job::SignIns {
            generation,
            upn: upn.clone(),
        });
        generation
    }

    /// Makes every requested sign-in history stale (no user is shown any more).
    pub fn supersede_sign_ins(&self) -> u64 {
        self.histories.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Asks the worker to bring the index up to date with the change log (after an edit or a
    /// simulation changed users); it answers `IndexChanged` (also before the index is loaded:
    /// loading starts from the log anyway).
    pub fn catch_up(&self) {
        self.send(Job::CatchUp);
    }

    /// Read access to the index, for drawing the visible rows. `None` until it is loaded.
    pub fn index(&self) -> IndexGuard<'_> {
        IndexGuard(self.index.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A read lock on the shared index.
pub struct IndexGuard<'a>(RwLockReadGuard<'a, Option<LocalIndex>>);

impl IndexGuard<'_> {
    pub fn get(&self) -> Option<&SearchIndex> {
        self.0.as_ref().map(|l| &l.index)
    }
}

fn work(jobs: &Receiver<Job>, cx: &Context) {
    while let Ok(job) = jobs.recv() {
        let mut pending = Pending::default();
        pending.add(job);
        while let Ok(next) = jobs.try_recv() {
            pending.add(next);
        }
        // Changes first: the search and the profile asked with them should see them.
        for (id, change) in pending.changes.drain(..) {
            // An Esc meant for the change before does not stop this one.
            cx.store.resume();
            let outcome = perform(cx.store.as_ref(), change);
            let _ = cx.out.send(WorkerMsg::Changed { id, outcome });
        }
        // Nor a query or a profile asked after it.
        cx.store.resume();
        if pending.build {
            build(cx);
        }
        if pending.catch_up {
            catch_up(cx);
        }
        if let Some((generation, query, sort, limit)) = pending.search {
            search(cx, generation, &query, sort, limit);
        }
        if let Some((generation, upn, revealed)) = pending.profile
            && cx.profiles.load(Ordering::SeqCst) == generation
        {
            let loaded = Profile::load(cx.store.as_ref(), &upn, revealed)
                .map(Box::new)
                .map_err(|e| e.to_string());
            let _ = cx.out.send(WorkerMsg::Profile { generation, loaded });
        }
        if let Some((generation, upn)) = pending.sign_ins
            && cx.histories.load(Ordering::SeqCst) == generation
        {
            let loaded = SignInHistory::load(cx.store.as_ref(), &upn, cx.store.now())
                .map(Box::new)
                .map_err(|e| e.to_string());
            let _ = cx.out.send(WorkerMsg::SignIns { generation, loaded });
        }
    }
}

fn perform(store: &dyn Record, change: Change) -> ChangeOutcome {
    match change {
        Change::Edits {
            operator,
            upn,
            edits,
        } => {
            let mut applied = Vec::new();
            for edit in &edits {
                match store.edit(&operator, &upn, edit) {
                    Ok(done) => applied.push(done),
                    Err(e) => return ChangeOutcome::Edited(Err((applied.len(), e))),
                }
            }
            ChangeOutcome::Edited(Ok(applied))
        }
        Change::Reveal {
            operator,
            upn,
            context,
        } => ChangeOutcome::Revealed(store.reveal(&operator, &upn, &context).map(drop)),
        Change::Wizard(job) => ChangeOutcome::Wizard(Box::new(wizard_job::run(store, *job))),
    }
}

fn search(cx: &Context, generation: u64, query: &Query, sort: SortKey, limit: usize) {
    let stale = || cx.latest.load(Ordering::SeqCst) != generation;
    if stale() {
        return;
    }
    if cx.store.simulated().is_none() {
        tenant_search(cx, generation, query, limit, &stale);
        return;
    }
    let guard = cx.index.read().unwrap_or_else(PoisonError::into_inner);
    let Some(local) = guard.as_ref() else {
        return;
    };
    let now = cx.store.now();
    if sort != SortKey::BestMatch {
        if let Some(mut all) = local.index.search(query, now, None, &stale) {
            sort_rows(&local.index, &mut all.rows, sort, now);
            if !stale() {
                let _ = cx.out.send(WorkerMsg::Results {
                    generation,
                    hits: all,
                });
            }
        }
        return;
    }
    let Some(first) = local.index.search(query, now, Some(FIRST_SCREEN), &stale) else {
        return;
    };
    let complete = first.is_complete();
    let _ = cx.out.send(WorkerMsg::Results {
        generation,
        hits: first,
    });
    if !complete && let Some(all) = local.index.search(query, now, None, &stale) {
        let _ = cx.out.send(WorkerMsg::Results {
            generation,
            hits: all,
        });
    }
}

/// A query answered by the tenant: its users become the shared index the list draws from.
fn tenant_search(
    cx: &Context,
    generation: u64,
    query: &Query,
    limit: usize,
    stale: &dyn Fn() -> bool,
) {
    let cancelled = || stale() || cx.closed.load(Ordering::Relaxed);
    match tenant_search::answer(cx.store.as_ref(), query, limit, &cancelled) {
        Ok((index, hits, note)) => {
            if stale() {
                return;
            }
            *cx.index.write().unwrap_or_else(PoisonError::into_inner) = Some(LocalIndex {
                index,
                stamp: IndexStamp {
                    generation: 0,
                    seq: 0,
                },
                origin: Origin::Rebuilt {
                    why: "answered by the tenant".into(),
                },
            });
            if let Some(note) = note {
                let _ = cx.out.send(WorkerMsg::SearchNote(note));
            }
            let _ = cx.out.send(WorkerMsg::Results { generation, hits });
        }
        Err(_) if stale() => {}
        Err(e) => {
            let _ = cx.out.send(WorkerMsg::SearchFailed {
                generation,
                why: e.to_string(),
            });
        }
    }
}

fn build(cx: &Context) {
    let started = Instant::now();
    let closed = || cx.closed.load(Ordering::Relaxed);
    let Some(local) = cx.store.simulated() else {
        let _ = cx.out.send(WorkerMsg::TenantReady);
        return;
    };
    match LocalIndex::load(local, &closed) {
        Ok(Some(loaded)) => {
            let users = loaded.index.len();
            let rebuilt = match &loaded.origin {
                Origin::Rebuilt { why } => Some(why.clone()),
                Origin::Saved { .. } => None,
            };
            let save = loaded.worth_saving();
            *cx.index.write().unwrap_or_else(PoisonError::into_inner) = Some(loaded);
            let _ = cx.out.send(WorkerMsg::IndexReady {
                users,
                took: started.elapsed(),
                rebuilt,
            });
            if save {
                save_in_background(cx);
            }
        }
        Ok(None) => {}
        Err(e) => {
            let _ = cx.out.send(WorkerMsg::IndexFailed(e.to_string()));
        }
    }
}

/// Saves the index on a thread of its own (a million users take a fraction of a second to
/// write), so queries are answered meanwhile. A database that cannot be written just keeps the
/// index in memory.
fn save_in_background(cx: &Context) {
    let index = Arc::clone(&cx.index);
    let store = Arc::clone(&cx.store);
    let _ = std::thread::Builder::new()
        .name("phonedesk-index-save".into())
        .spawn(move || {
            let guard = index.read().unwrap_or_else(PoisonError::into_inner);
            if let (Some(local), Some(directory)) = (guard.as_ref(), store.simulated()) {
                let _ = local.save(directory);
            }
        });
}

fn catch_up(cx: &Context) {
    let Some(directory) = cx.store.simulated() else {
        // The tenant has no change log here: ask it again.
        let _ = cx.out.send(WorkerMsg::IndexChanged { changed: 1 });
        return;
    };
    let mut guard = cx.index.write().unwrap_or_else(PoisonError::into_inner);
    let Some(local) = guard.as_mut() else {
        let _ = cx.out.send(WorkerMsg::IndexChanged { changed: 0 });
        return;
    };
    match local.catch_up(directory) {
        Ok(changed) => {
            let _ = cx.out.send(WorkerMsg::IndexChanged { changed });
        }
        Err(e) => {
            let _ = cx.out.send(WorkerMsg::IndexFailed(e.to_string()));
        }
    }
}
