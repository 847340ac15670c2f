//! Shared setup for the benchmarks: tenants of every size measured (the demo, 100,000 users and,
//! with `PHONEDESK_BENCH_1M=1`, 1,000,000), sled databases holding them, an app wired to a
//! directory the way `phonedesk` wires it, and latency percentiles.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use phonedesk::domain::{Operator, Role, Timestamp};
use phonedesk::sim::VirtualClock;
use phonedesk::store::{self, Directory, SystemClock};
use phonedesk::tui::app::{App, Startup};
use phonedesk::tui::keymap::Keymap;
use phonedesk::tui::theme::Theme;
use phonedesk::tui::worker::WorkerMsg;
use tokio::sync::mpsc::UnboundedReceiver;

/// The generated tenants' seed: `phonedesk demo generate --users N --seed 1`.
pub const SEED: u64 = 1;
pub const LARGE_USERS: usize = 100_000;
pub const HUGE_USERS: usize = 1_000_000;
/// The binary the CLI benchmarks run.
pub const BIN: &str = env!("CARGO_BIN_EXE_phonedesk");

/// One tenant size to measure.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub name: &'static str,
    /// `None` is the embedded demo tenant.
    pub users: Option<usize>,
}

/// The demo and 100k always; 1M only when `PHONEDESK_BENCH_1M=1` (it takes minutes to set up
/// and to run, so a plain `cargo bench` stays quick).
pub fn sizes() -> Vec<Size> {
    let mut sizes = vec![
        Size {
            name: "demo",
            users: None,
        },
        Size {
            name: "100k",
            users: Some(LARGE_USERS),
        },
    ];
    if huge_selected() {
        sizes.push(Size {
            name: "1m",
            users: Some(HUGE_USERS),
        });
    }
    sizes
}

pub fn huge_selected() -> bool {
    std::env::var("PHONEDESK_BENCH_1M").is_ok_and(|v| v == "1")
}

pub fn operator() -> Operator {
    Operator::new("bench", Role::PrivilegedAuthAdmin)
}

/// Where generated tenants and their databases are kept between runs.
fn cache_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-tenants")
}

fn run(args: &[&std::ffi::OsStr]) {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "phonedesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The tenant file of `users`, generated once by the real binary.
pub fn tenant_file(users: usize) -> PathBuf {
    let dir = cache_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("tenant-{users}-seed{SEED}.json"));
    if !file.exists() {
        eprintln!("generating {users} users into {}", file.display());
        run(&[
            "demo".as_ref(),
            "generate".as_ref(),
            "--users".as_ref(),
            users.to_string().as_ref(),
            "--seed".as_ref(),
            SEED.to_string().as_ref(),
            "--out".as_ref(),
            file.as_os_str(),
        ]);
    }
    file
}

/// A sled database holding the tenant of `size`, imported once through the real binary (the
/// demo is seeded on first open). Benchmarks that write go to a copy ([`scratch_copy`]).
pub fn tenant_db(size: Size) -> PathBuf {
    let name = size
        .users
        .map_or_else(|| "demo".to_owned(), |n| n.to_string());
    let db = cache_dir().join(format!("db-{name}"));
    let ready = cache_dir().join(format!("db-{name}.ready"));
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&db);
        match size.users {
            None => run(&["--db".as_ref(), db.as_os_str(), "audit".as_ref()]),
            Some(users) => {
                let file = tenant_file(users);
                eprintln!("importing {users} users into {}", db.display());
                run(&[
                    "--db".as_ref(),
                    db.as_os_str(),
                    // The generated tenants hold admins: only this role may import them.
                    "--role".as_ref(),
                    "privileged-auth-admin".as_ref(),
                    "import".as_ref(),
                    file.as_os_str(),
                ]);
            }
        }
        std::fs::write(&ready, "").unwrap();
    }
    db
}

/// A copy of a tenant database that a benchmark may change.
pub fn scratch_copy(db: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(db)
        .arg(dir.path().join("db"))
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

/// A directory holding the demo tenant (`None`) or a generated one of `users`, in memory.
pub fn directory(users: Option<usize>) -> Arc<dyn Directory> {
    let store = store::open_memory(Arc::new(SystemClock)).unwrap();
    fill(&store, users);
    Arc::new(store)
}

pub fn fill(store: &dyn Directory, users: Option<usize>) {
    let snapshot = match users {
        None => phonedesk::demo::snapshot(store.now()).unwrap(),
        Some(n) => {
            phonedesk::demo::generate::generate(n, SEED, Timestamp::from_secs(1_767_225_600))
        }
    };
    store.import(&operator(), &snapshot, true).unwrap();
}

/// Opens a tenant database as `phonedesk` does.
pub fn open(db: &Path) -> Arc<dyn Directory> {
    Arc::new(store::open_sled(db, Arc::new(VirtualClock::live())).unwrap())
}

pub fn startup() -> Startup {
    Startup {
        keymap: Keymap::defaults(),
        keymap_problem: None,
        theme: Theme::from_env(),
        clock: Arc::new(VirtualClock::live()),
        sim_seed: None,
        region: None,
    }
}

/// An app whose index is loaded and whose first query is answered.
pub fn app(store: Arc<dyn Directory>) -> (App, UnboundedReceiver<WorkerMsg>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut app = App::new(store, operator(), startup(), tx).unwrap();
    settle(&mut app, &mut rx);
    (app, rx)
}

/// Applies worker messages until the newest query is answered completely.
pub fn settle(app: &mut App, rx: &mut UnboundedReceiver<WorkerMsg>) {
    while !app.search_settled() {
        let msg = rx.blocking_recv().unwrap();
        app.on_worker(msg);
    }
}

/// Applies worker messages until the newest query has its first answer (the screenful the
/// operator sees); the complete count may still be on its way.
pub fn first_answer(app: &mut App, rx: &mut UnboundedReceiver<WorkerMsg>) {
    while !app.search_answered() {
        let msg = rx.blocking_recv().unwrap();
        app.on_worker(msg);
    }
}

/// Individual latencies of a benchmark, reported as percentiles when it ends (criterion reports
/// means and medians of batches; budgets here are percentiles of single operations).
pub struct Latencies {
    name: String,
    samples: Vec<Duration>,
}

impl Latencies {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            samples: Vec::new(),
        }
    }

    /// Times `f` once and keeps the sample.
    pub fn time<T>(&mut self, f: impl FnOnce() -> T) -> (T, Duration) {
        let start = Instant::now();
        let value = f();
        let took = start.elapsed();
        self.samples.push(took);
        (value, took)
    }

    pub fn push(&mut self, d: Duration) {
        self.samples.push(d);
    }

    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let at = ((sorted.len() - 1) as f64 * p).round() as usize;
        sorted[at.min(sorted.len() - 1)]
    }
}

impl Drop for Latencies {
    fn drop(&mut self) {
        if self.samples.is_empty() {
            return;
        }
        eprintln!(
            "latency {}: n={} p50={:?} p95={:?} p99={:?} max={:?}",
            self.name,
            self.samples.len(),
            self.percentile(0.50),
            self.percentile(0.95),
            self.percentile(0.99),
            self.percentile(1.0),
        );
    }
}
