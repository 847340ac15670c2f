//! Panics: caught where a dependency may raise one (sled on a corrupt file), and reported in one
//! line everywhere else: no backtrace ever reaches the operator.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, turning a panic into `Err(message)` without printing anything.
pub fn quietly<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(work));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| payload_message(payload.as_ref()))
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

/// Installs the process-wide hook: silent inside [`quietly`]; otherwise it runs `restore` (the
/// terminal guard) and prints one line naming the place, instead of Rust's default report.
pub fn install(restore: fn()) {
    std::panic::set_hook(Box::new(move |info| {
        if QUIET.with(Cell::get) {
            return;
        }
        restore();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: phonedesk hit an internal error{place}: {}; nothing further was written",
            payload_message(info.payload())
        );
    }));
}
