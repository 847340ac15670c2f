//! Virtual time. The simulator never sleeps: provider latency, greetings, ringing and code
//! lifetimes are instants on this clock, which moves only when the driver advances it.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::domain::Timestamp;
use crate::store::Clock;

/// A clock that stands still until told to move. Shared (`Arc`) between the session and the
/// store, so audit entries the store writes during a simulation carry simulated times.
#[derive(Debug)]
pub struct VirtualClock {
    millis: AtomicI64,
}

impl VirtualClock {
    pub fn at(start: Timestamp) -> Self {
        Self {
            millis: AtomicI64::new(start.millis()),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_millis(self.millis.load(Ordering::SeqCst))
    }

    /// Moves to `to`, forwards or (to model a wall clock being corrected) backwards.
    pub fn set(&self, to: Timestamp) {
        self.millis.store(to.millis(), Ordering::SeqCst);
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
}
