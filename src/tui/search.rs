//! Search off the UI thread.
//!
//! One worker thread owns the scanning: it builds the index once (so the first frame does not
//! wait for a large directory), then answers queries. Each query carries a generation number; a
//! newer keystroke bumps the generation, the worker skips queued queries that are already stale
//! and abandons a scan in progress, and the UI drops any answer that is not for the latest
//! generation. Typing never waits for a search.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use crate::domain::PhoneType;
use crate::domain::search::{Entry, Hits, Query, SearchIndex, entry_for};
use crate::store::Directory;
use crate::tui::profile::Profile;

/// What the worker reports back to the UI loop.
#[derive(Debug)]
pub enum WorkerMsg {
    IndexReady {
        users: usize,
        took: Duration,
    },
    IndexFailed(String),
    Results {
        generation: u64,
        hits: Hits,
    },
    Profile {
        generation: u64,
        loaded: Result<Box<Profile>, String>,
    },
}

enum Job {
    Build,
    Search {
        generation: u64,
        query: Query,
        previous: Option<Hits>,
    },
    Profile {
        generation: u64,
        upn: String,
    },
}

/// The jobs waiting when the worker wakes, reduced to what still matters: the build, the newest
/// search and the newest profile.
#[derive(Default)]
struct Pending {
    build: bool,
    search: Option<(u64, Query, Option<Hits>)>,
    profile: Option<(u64, String)>,
}

impl Pending {
    fn add(&mut self, job: Job) {
        match job {
            Job::Build => self.build = true,
            Job::Search {
                generation,
                query,
                previous,
            } => self.search = Some((generation, query, previous)),
            Job::Profile { generation, upn } => self.profile = Some((generation, upn)),
        }
    }
}

/// The UI's handle on the search worker and the shared index.
pub struct Searcher {
    index: Arc<RwLock<SearchIndex>>,
    latest: Arc<AtomicU64>,
    jobs: Option<Sender<Job>>,
    /// Set when the UI goes away, so a long index build stops instead of finishing for nobody.
    closed: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
    /// Generations of profile loads; only the newest is answered.
    profiles: Arc<AtomicU64>,
}

impl Drop for Searcher {
    /// Stops the worker and waits for it, so the directory it holds is released when the UI is
    /// gone (a reopened database must not find itself still "in use").
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Searcher {
    /// Starts the worker and asks it to build the index from `store`.
    pub fn start(store: Arc<dyn Directory>, out: UnboundedSender<WorkerMsg>) -> Self {
        let index = Arc::new(RwLock::new(SearchIndex::default()));
        let latest = Arc::new(AtomicU64::new(0));
        let (jobs, rx) = channel();
        let worker_index = Arc::clone(&index);
        let worker_latest = Arc::clone(&latest);
        let closed = Arc::new(AtomicBool::new(false));
        let worker_closed = Arc::clone(&closed);
        let profiles = Arc::new(AtomicU64::new(0));
        let worker_profiles = Arc::clone(&profiles);
        let failure = out.clone();
        let spawned = std::thread::Builder::new()
            .name("phonedesk-search".into())
            .spawn(move || {
                let shared = Shared {
                    index: &worker_index,
                    latest: &worker_latest,
                    closed: &worker_closed,
                    profiles: &worker_profiles,
                };
                work(&rx, store.as_ref(), &shared, &out);
            });
        let worker = match spawned {
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
            worker,
            profiles,
        }
    }

    /// Queues `query`; returns its generation. Older queries become stale at once.
    pub fn submit(&self, query: Query, previous: Option<Hits>) -> u64 {
        let generation = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(jobs) = &self.jobs else {
            return generation;
        };
        let _ = jobs.send(Job::Search {
            generation,
            query,
            previous,
        });
        generation
    }

    /// Asks for `upn`'s profile; returns its generation. An older request becomes stale.
    pub fn load_profile(&self, upn: &str) -> u64 {
        let generation = self.supersede_profile();
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Profile {
                generation,
                upn: upn.to_owned(),
            });
        }
        generation
    }

    /// Makes every requested profile stale (the UI loaded one itself, or cleared it).
    pub fn supersede_profile(&self) -> u64 {
        self.profiles.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Makes every queued or running query stale (after the index changed under it).
    pub fn invalidate(&self) -> u64 {
        self.latest.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn latest(&self) -> u64 {
        self.latest.load(Ordering::SeqCst)
    }

    /// Read access to the index, for drawing the visible rows.
    pub fn index(&self) -> RwLockReadGuard<'_, SearchIndex> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `query` on this thread: used right after an edit, when the rows must match the
    /// updated index before the next frame.
    pub fn search_now(&self, query: &Query) -> Hits {
        let index = self.index();
        index
            .search(query, None, &|| false)
            .unwrap_or_else(|| Hits {
                query: query.clone(),
                rows: Vec::new(),
            })
    }

    /// Rebuilds the entries of `upns` from the store (after an edit, the edited user and anyone
    /// sharing their number).
    pub fn refresh(&self, store: &dyn Directory, upns: &[String]) {
        let Ok(policy) = store.policy() else {
            return;
        };
        let now = store.now();
        let entries: Vec<Entry> = upns
            .iter()
            .filter_map(|upn| store.user(upn).ok())
            .map(|user| {
                let claims = user
                    .method(PhoneType::Mobile)
                    .and_then(|m| store.claims_on(&m.phone_number).ok())
                    .unwrap_or_default();
                Entry::new(&user, &policy, &claims, now)
            })
            .collect();
        let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
        for entry in entries {
            index.upsert(entry);
        }
    }
}

/// What the worker shares with the UI.
struct Shared<'a> {
    index: &'a RwLock<SearchIndex>,
    latest: &'a AtomicU64,
    closed: &'a AtomicBool,
    profiles: &'a AtomicU64,
}

fn work(
    jobs: &Receiver<Job>,
    store: &dyn Directory,
    shared: &Shared<'_>,
    out: &UnboundedSender<WorkerMsg>,
) {
    while let Ok(job) = jobs.recv() {
        let mut pending = Pending::default();
        pending.add(job);
        while let Ok(next) = jobs.try_recv() {
            pending.add(next);
        }
        if pending.build {
            build(store, shared, out);
        }
        if let Some((generation, query, previous)) = pending.search
            && shared.latest.load(Ordering::SeqCst) == generation
        {
            let index = shared.index.read().unwrap_or_else(PoisonError::into_inner);
            let stale = || shared.latest.load(Ordering::SeqCst) != generation;
            if let Some(hits) = index.search(&query, previous.as_ref(), &stale) {
                let _ = out.send(WorkerMsg::Results { generation, hits });
            }
        }
        if let Some((generation, upn)) = pending.profile
            && shared.profiles.load(Ordering::SeqCst) == generation
        {
            let loaded = Profile::load(store, &upn, false)
                .map(Box::new)
                .map_err(|e| e.to_string());
            let _ = out.send(WorkerMsg::Profile { generation, loaded });
        }
    }
}

fn build(store: &dyn Directory, shared: &Shared<'_>, out: &UnboundedSender<WorkerMsg>) {
    let started = Instant::now();
    let built = (|| {
        let policy = store.policy()?;
        let claims = store.all_claims()?;
        let now = store.now();
        let mut entries = Vec::new();
        store.for_each_user_while(&mut |user| {
            entries.push(entry_for(&user, &policy, &claims, now));
            !shared.closed.load(Ordering::Relaxed)
        })?;
        Ok::<_, crate::store::StoreError>(SearchIndex::from_entries(entries))
    })();
    if shared.closed.load(Ordering::Relaxed) {
        return;
    }
    match built {
        Ok(built) => {
            let users = built.len();
            *shared.index.write().unwrap_or_else(PoisonError::into_inner) = built;
            let _ = out.send(WorkerMsg::IndexReady {
                users,
                took: started.elapsed(),
            });
        }
        Err(e) => {
            let _ = out.send(WorkerMsg::IndexFailed(e.to_string()));
        }
    }
}
