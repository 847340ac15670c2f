//! A last line of defence against a damaged database that makes sled spin: if a storage call
//! makes no progress for [`LIMIT`], the process says so in one line, restores the terminal and
//! exits with 1, instead of hanging at 100 % CPU until someone kills it.
//!
//! Storage calls mark themselves busy ([`Busy`]) and long scans beat ([`beat`]) as they go; the
//! watchdog thread sleeps on a condition variable while nothing is busy, so an idle phonedesk
//! does not wake up for it.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long a storage call may go without progress. Imports and exports of a million users beat
/// many times a second; nothing legitimate is silent this long.
pub const LIMIT: Duration = Duration::from_secs(30);

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
/// Milliseconds since [`epoch`] at the last sign of progress.
static LAST: AtomicU64 = AtomicU64::new(0);
static WAKE: OnceLock<(Mutex<()>, Condvar)> = OnceLock::new();

fn epoch() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn wake() -> &'static (Mutex<()>, Condvar) {
    WAKE.get_or_init(|| (Mutex::new(()), Condvar::new()))
}

/// A storage call in progress.
pub struct Busy(());

impl Busy {
    pub fn enter() -> Self {
        LAST.store(now_ms(), Ordering::Relaxed);
        if IN_FLIGHT.fetch_add(1, Ordering::SeqCst) == 0 {
            wake().1.notify_all();
        }
        Self(())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        LAST.store(now_ms(), Ordering::Relaxed);
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Progress within a long storage call (one more record read or written).
pub fn beat() {
    LAST.store(now_ms(), Ordering::Relaxed);
}

/// Starts watching, once per process: after [`LIMIT`] without progress during a storage call,
/// `on_hang` gets a one-line explanation (it should restore the terminal, print, and exit).
pub fn arm(on_hang: fn(&str)) {
    arm_with(LIMIT, on_hang);
}

fn arm_with(limit: Duration, on_hang: fn(&str)) {
    static ARMED: OnceLock<()> = OnceLock::new();
    ARMED.get_or_init(|| {
        let _ = epoch();
        let _ = std::thread::Builder::new()
            .name("phonedesk-watchdog".into())
            .spawn(move || watch(limit, on_hang));
    });
}

fn watch(limit: Duration, on_hang: fn(&str)) {
    let (lock, wake) = wake();
    let mut guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if IN_FLIGHT.load(Ordering::SeqCst) == 0 {
            // Nothing to watch: sleep until a storage call starts.
            guard = wake.wait(guard).unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        let silent = Duration::from_millis(now_ms().saturating_sub(LAST.load(Ordering::Relaxed)));
        if silent >= limit {
            on_hang(&format!(
                "the database did not answer for {} s (it is probably damaged); nothing further was written. Run `phonedesk doctor` on a copy of it, or restore it from an export",
                limit.as_secs()
            ));
            return;
        }
        let (next, _) = wake
            .wait_timeout(guard, limit - silent + Duration::from_millis(50))
            .unwrap_or_else(PoisonError::into_inner);
        guard = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    static HUNG: AtomicBool = AtomicBool::new(false);

    #[test]
    fn a_storage_call_without_progress_is_reported_and_one_with_progress_is_not() {
        arm_with(Duration::from_millis(300), |_| {
            HUNG.store(true, Ordering::SeqCst)
        });
        {
            let _busy = Busy::enter();
            for _ in 0..8 {
                std::thread::sleep(Duration::from_millis(100));
                beat();
            }
        }
        assert!(
            !HUNG.load(Ordering::SeqCst),
            "a call that made progress was reported"
        );
        let busy = Busy::enter();
        let started = Instant::now();
        while !HUNG.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(busy);
        assert!(
            HUNG.load(Ordering::SeqCst),
            "a silent call was not reported"
        );
    }
}
