//! Shared setup for the benchmarks: the demo tenant and a generated 100,000-user tenant, and an
//! app wired to a directory the way `phonedesk` wires it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use phonedesk::domain::{Operator, Role, Timestamp};
use phonedesk::sim::VirtualClock;
use phonedesk::store::{self, Directory, SystemClock};
use phonedesk::tui::app::{App, Startup};
use phonedesk::tui::keymap::Keymap;
use phonedesk::tui::theme::Theme;
use phonedesk::tui::worker::WorkerMsg;
use tokio::sync::mpsc::UnboundedReceiver;

/// The large tenant: `phonedesk demo generate --users 100000 --seed 1`.
pub const LARGE_USERS: usize = 100_000;
pub const LARGE_SEED: u64 = 1;

pub fn operator() -> Operator {
    Operator::new("bench", Role::PrivilegedAuthAdmin)
}

/// A directory holding the demo tenant (`None`) or a generated one of `users`.
pub fn directory(users: Option<usize>) -> Arc<dyn Directory> {
    let store = store::open_memory(Arc::new(SystemClock)).unwrap();
    fill(&store, users);
    Arc::new(store)
}

pub fn fill(store: &dyn Directory, users: Option<usize>) {
    let snapshot = match users {
        None => phonedesk::demo::snapshot(store.now()).unwrap(),
        Some(n) => {
            phonedesk::demo::generate::generate(n, LARGE_SEED, Timestamp::from_secs(1_767_225_600))
        }
    };
    store.import(&operator(), &snapshot, true).unwrap();
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

/// An app whose index is built and whose first query is answered.
pub fn app(store: Arc<dyn Directory>) -> (App, UnboundedReceiver<WorkerMsg>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut app = App::new(store, operator(), startup(), tx).unwrap();
    settle(&mut app, &mut rx);
    (app, rx)
}

/// Applies worker messages until the newest query is answered.
pub fn settle(app: &mut App, rx: &mut UnboundedReceiver<WorkerMsg>) {
    while !app.search_settled() {
        let msg = rx.blocking_recv().unwrap();
        app.on_worker(msg);
    }
}
