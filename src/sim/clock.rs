//! Virtual time. The simulator never sleeps: provider latency, greetings, ringing and code
//! lifetimes are instants on this clock, which moves only when the driver advances it.
//!
//! Two modes. A *standing* clock (`at`) stays where it is set: the CLI, tests and demos replay
//! exactly. A *live* clock (`live`) follows the wall clock plus whatever the operator fast-forwarded,
//! so the terminal UI's countdowns run in real time while "advance time" still jumps ahead; the
//! app opens its store with the same clock, so the audit trail, the sign-in log and the wizard's
//! "last five minutes" all share one time line.
//!
//! The simulated world never sleeps, so a run ends ahead of the wall clock (a code left to expire
//! is 180 s of virtual time in a fraction of a second), and what it stored (failure times, sends,
//! the sign-in log) carries those instants. A process that started again from the wall clock would
//! stand before them: to the limits that is a clock moved backwards, and they rightly refuse a
//! clock that moved backwards. So each database keeps *one* time line: every simulator
//! transaction raises a mark to the instant it reached ([`transact`], [`keep_up`]), and every
//! process starts its clock at the later of the wall clock and that mark ([`VirtualClock::resume`]).
//! Nothing the simulator stored is then ever in the future of the clock that reads it; the world
//! runs ahead of the wall clock only by the time runs skipped, and real time catches it up.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::domain::Timestamp;
use crate::store::{
    self, Clock, Directory, DynBackend, StoreError, TreeId, Txn, TxnError, decode_u64,
};

/// Where the latest instant the simulated world reached is kept (the `Meta` tree: it outlives
/// imports, like the sign-in log and the audit trail whose times it covers).
const KEY_REACHED: &[u8] = b"sim_reached";

/// The latest instant a simulator transaction committed at, if any simulation ever ran. A mark
/// that cannot be read counts as none: it only ever moves a clock forwards.
pub fn reached(backend: &dyn DynBackend) -> Result<Option<Timestamp>, StoreError> {
    Ok(backend
        .get(TreeId::Meta, KEY_REACHED)?
        .and_then(|bytes| decode_u64(&bytes))
        .and_then(|ms| i64::try_from(ms).ok())
        .map(Timestamp::from_millis))
}

/// Raises the mark to `now` inside the caller's transaction; never lowers it.
pub fn keep_up(txn: &dyn Txn, now: Timestamp) -> Result<(), TxnError> {
    let current = txn
        .get(TreeId::Meta, KEY_REACHED)?
        .and_then(|bytes| decode_u64(&bytes))
        .and_then(|ms| i64::try_from(ms).ok());
    if current.is_some_and(|ms| ms >= now.millis()) {
        return Ok(());
    }
    let ms = u64::try_from(now.millis().max(0)).unwrap_or(0);
    txn.insert(TreeId::Meta, KEY_REACHED, &ms.to_be_bytes())
}

/// Runs `work` in one flushed transaction that also raises the mark to the store's clock: the
/// one way the simulator writes, so no stored instant is ever left ahead of the mark.
pub fn transact<T>(
    store: &dyn Directory,
    work: impl Fn(&dyn Txn) -> Result<T, TxnError>,
) -> Result<T, StoreError> {
    store::transact(store.backend(), |txn| {
        let value = work(txn)?;
        keep_up(txn, store.now())?;
        Ok(value)
    })
}

/// A clock that stands still until told to move, or follows the wall clock with an offset.
/// Shared (`Arc`) between the session and the store, so audit entries the store writes during a
/// simulation carry simulated times.
#[derive(Debug)]
pub struct VirtualClock {
    /// Standing: the time. Live: the offset from the wall clock.
    millis: AtomicI64,
    live: AtomicBool,
}

impl VirtualClock {
    /// A standing clock at `start`.
    pub fn at(start: Timestamp) -> Self {
        Self {
            millis: AtomicI64::new(start.millis()),
            live: AtomicBool::new(false),
        }
    }

    /// A clock that runs with the wall clock, starting at the wall clock's time.
    pub fn live() -> Self {
        Self {
            millis: AtomicI64::new(0),
            live: AtomicBool::new(true),
        }
    }

    pub fn now(&self) -> Timestamp {
        let stored = self.millis.load(Ordering::SeqCst);
        if self.live.load(Ordering::SeqCst) {
            Timestamp::now().plus_millis(stored)
        } else {
            Timestamp::from_millis(stored)
        }
    }

    /// Moves to `to`, forwards or (to model a wall clock being corrected) backwards. A live clock
    /// keeps running from there.
    pub fn set(&self, to: Timestamp) {
        if self.live.load(Ordering::SeqCst) {
            self.millis
                .store(to.since(Timestamp::now()), Ordering::SeqCst);
        } else {
            self.millis.store(to.millis(), Ordering::SeqCst);
        }
    }

    /// Moves forward to `to` when the clock is behind it; never back. A live clock keeps
    /// running from there.
    pub fn catch_up(&self, to: Timestamp) {
        if self.now() < to {
            self.set(to);
        }
    }

    /// Continues the database's time line: the clock moves up to the latest instant the
    /// simulated world reached in an earlier run, if that is ahead of it.
    pub fn resume(&self, backend: &dyn DynBackend) -> Result<(), StoreError> {
        if let Some(mark) = reached(backend)? {
            self.catch_up(mark);
        }
        Ok(())
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Timestamp {
        VirtualClock::now(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn stands_still_until_set() {
        let clock = VirtualClock::at(Timestamp::from_secs(100));
        assert_eq!(clock.now(), Timestamp::from_secs(100));
        clock.set(Timestamp::from_secs(90));
        assert_eq!(Clock::now(&clock), Timestamp::from_secs(90));
    }

    #[test]
    fn catching_up_moves_forwards_only() {
        let clock = VirtualClock::at(Timestamp::from_secs(100));
        clock.catch_up(Timestamp::from_secs(90));
        assert_eq!(clock.now(), Timestamp::from_secs(100));
        clock.catch_up(Timestamp::from_secs(250));
        assert_eq!(clock.now(), Timestamp::from_secs(250));
        let live = VirtualClock::live();
        let ahead = Timestamp::now().plus_secs(600);
        live.catch_up(ahead);
        assert!(live.now() >= ahead);
    }

    /// The mark is raised by every simulator transaction and never lowered, so a clock that
    /// resumes from it is never behind anything a transaction stamped.
    #[test]
    fn the_mark_only_rises_and_a_clock_resumes_from_it() {
        let at = Arc::new(VirtualClock::at(Timestamp::from_secs(5_000)));
        let store = crate::store::open_memory(at.clone()).unwrap();
        assert_eq!(reached(store.backend()).unwrap(), None);
        transact(&store, |_| Ok(())).unwrap();
        assert_eq!(
            reached(store.backend()).unwrap(),
            Some(Timestamp::from_secs(5_000))
        );
        at.set(Timestamp::from_secs(4_000));
        transact(&store, |_| Ok(())).unwrap();
        assert_eq!(
            reached(store.backend()).unwrap(),
            Some(Timestamp::from_secs(5_000)),
            "a clock set back does not lower the mark"
        );
        let next = VirtualClock::at(Timestamp::from_secs(1_000));
        next.resume(store.backend()).unwrap();
        assert_eq!(next.now(), Timestamp::from_secs(5_000));
    }

    #[test]
    fn a_live_clock_follows_the_wall_clock_and_keeps_a_jump() {
        let clock = VirtualClock::live();
        let before = Timestamp::now();
        assert!(clock.now() >= before);
        clock.set(clock.now().plus_secs(300));
        let ahead = clock.now().since(Timestamp::now());
        assert!((299_000..=300_500).contains(&ahead), "{ahead}");
    }
}
