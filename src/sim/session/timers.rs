//! What the simulated world will do next, and when: texts arriving, calls connecting, a phone
//! ringing out, a greeting running out, a code expiring. The session fires them in time order;
//! nothing sleeps.

use std::collections::BTreeMap;

use super::phone::PendingSms;
use crate::domain::Timestamp;

/// One scheduled happening. Ids name the attempt and call it belongs to, so a timer that outlived
/// its attempt (a resend, a new flow) is recognised as stale and skipped.
#[derive(Debug)]
pub(super) enum Timer {
    SmsArrives(Box<PendingSms>),
    CodeExpires {
        attempt: u32,
        challenge: u64,
    },
    CallConnects {
        attempt: u32,
        call: u32,
    },
    RingTimeout {
        attempt: u32,
        call: u32,
    },
    InputTimeout {
        attempt: u32,
        call: u32,
        prompt: u32,
    },
}

impl Timer {
    /// Timers that wait for the person (a code's lifetime, a ringing phone, a greeting): a
    /// scripted person acts before these; machine timers (delivery, connection) come first.
    pub(super) fn waits_for_person(&self) -> bool {
        !matches!(self, Self::SmsArrives(_) | Self::CallConnects { .. })
    }
}

/// Timers in time order; ties keep the order they were scheduled in.
#[derive(Debug, Default)]
pub(super) struct Timers {
    queue: BTreeMap<(Timestamp, u64), Timer>,
    scheduled: u64,
}

impl Timers {
    pub(super) fn schedule(&mut self, at: Timestamp, timer: Timer) {
        self.scheduled += 1;
        self.queue.insert((at, self.scheduled), timer);
    }

    pub(super) fn next_due(&self) -> Option<Timestamp> {
        self.queue.keys().next().map(|(at, _)| *at)
    }

    /// The next timer, if it is due at or before `now`.
    pub(super) fn pop_due(&mut self, now: Timestamp) -> Option<(Timestamp, Timer)> {
        let first = *self.queue.keys().next()?;
        if first.0 > now {
            return None;
        }
        self.queue.remove(&first).map(|t| (first.0, t))
    }

    /// When the next machine timer is due, if the next timer is one.
    pub(super) fn next_machine(&self) -> Option<Timestamp> {
        let ((at, _), timer) = self.queue.iter().next()?;
        (!timer.waits_for_person()).then_some(*at)
    }

    /// Drops every timer that waits for the person in `attempt` (the attempt ended).
    pub(super) fn forget_attempt(&mut self, attempt: u32) {
        self.queue.retain(|_, t| match t {
            Timer::SmsArrives(_) => true,
            Timer::CodeExpires { attempt: a, .. }
            | Timer::CallConnects { attempt: a, .. }
            | Timer::RingTimeout { attempt: a, .. }
            | Timer::InputTimeout { attempt: a, .. } => *a != attempt,
        });
    }
}
