//! Virtual time. The simulator never sleeps: provider latency, greetings, ringing and code
//! lifetimes are instants on this clock, which moves only when the driver advances it.
//!
//! Two modes. A *standing* clock (`at`) stays where it is set: the CLI, tests and demos replay
//! exactly. A *live* clock (`live`) follows the wall clock plus whatever the operator fast-forwarded,
//! so the terminal UI's countdowns run in real time while "advance time" still jumps ahead; the
//! app opens its store with the same clock, so the audit trail, the sign-in log and the wizard's
//! "last five minutes" all share one time line.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::domain::Timestamp;
use crate::store::Clock;

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
}

impl Clock for VirtualClock {
    fn now(&self) -> Timestamp {
        VirtualClock::now(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stands_still_until_set() {
        let clock = VirtualClock::at(Timestamp::from_secs(100));
        assert_eq!(clock.now(), Timestamp::from_secs(100));
        clock.set(Timestamp::from_secs(90));
        assert_eq!(Clock::now(&clock), Timestamp::from_secs(90));
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
