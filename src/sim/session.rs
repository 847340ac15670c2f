//! The driver: one simulated sign-in desk. It takes events (start a flow, type a number or a
//! code, answer, press keys, resend, let time pass, change a device or a provider), runs the
//! flows against the store, and exposes what a screen needs: the sign-in page, the virtual phone,
//! the timeline, the code countdown, and when it next needs a tick.
//!
//! Nothing blocks and nothing sleeps: every delay is an instant on the virtual clock, so a pane
//! runs a timer only while [`Session::next_due`] is `Some`, and tests replay exactly.

mod attempt;
mod call;
mod entry;
mod finish;
mod keypad;
mod limits;
pub mod page;
mod phone;
mod send;
mod start;
mod text;
mod timers;
mod view;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

pub use phone::{CallScreen, CallView, Sms, VirtualPhone};
pub use view::{PhoneView, Screen, SessionView, Waiting};

use self::attempt::Attempt;
use self::timers::{Timer, Timers};
use super::SimError;
use super::clock::VirtualClock;
use super::device::{self as sim_device, DeviceChange};
use super::flow::FlowRequest;
use super::log::SignInRecord;
use super::otp::CodeSource;
use super::reason::Outcome;
use super::telecom::{self, Fault};
use crate::domain::{Operator, PhoneNumber, Timestamp};
use crate::rng::SeededRng;
use crate::store::{Directory, StoreError, devices};

/// How a session is set up.
pub struct SessionOptions {
    /// Deterministic mode: the same seed gives the same codes, senders, routes and timeline.
    /// `None` draws codes from the operating system.
    pub seed: Option<u64>,
    /// The virtual clock; share it with the store so audit entries carry simulated times.
    pub clock: Arc<VirtualClock>,
    /// Who is at the keyboard (recorded for device and provider changes).
    pub operator: Operator,
}

/// Something the operator or the simulated person does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Starts a flow (a live attempt is abandoned first).
    Start(FlowRequest),
    /// SMS sign-in's first page: the phone number instead of a user name.
    TypeNumber(String),
    /// The code from the text, typed into the sign-in page.
    TypeCode(String),
    AnswerCall,
    /// Declines a ringing call (voicemail takes it if forwarding is on).
    DeclineCall,
    /// Ends a call (a ringing call is declined).
    HangUp,
    /// Keys on the phone's keypad during a call: digits, `#`, `*`.
    PressKeys(String),
    /// "Send me a new code" while waiting for one; "try again" after an attempt ended.
    Resend,
    /// Lets virtual time pass (timers fire in order).
    Advance {
        seconds: u32,
    },
    /// The wall clock is corrected by `seconds` (may be negative); nothing fires.
    ClockJump {
        seconds: i64,
    },
    SetDevice {
        number: PhoneNumber,
        change: DeviceChange,
    },
    SetFault {
        provider: String,
        fault: Fault,
    },
}

/// Who a timeline entry is about.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Actor {
    /// The sign-in service.
    Service,
    /// A telecom provider.
    Provider,
    /// The user's phone (the only actor whose lines may show a code: it is the phone's screen).
    Phone,
    /// The person signing in.
    User,
    /// The helpdesk operator running the simulation.
    Operator,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Provider => "provider",
            Self::Phone => "phone",
            Self::User => "user",
            Self::Operator => "operator",
        }
    }
}

/// One line of the timeline. Never persisted.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub at: Timestamp,
    /// Milliseconds since the session started.
    pub offset_ms: i64,
    pub actor: Actor,
    pub text: String,
}

impl TimelineEntry {
    /// `[+12.0s] service: ...`
    pub fn line(&self) -> String {
        let tenths = self.offset_ms.div_euclid(100);
        format!(
            "[{}{}.{}s] {}: {}",
            if tenths < 0 { "-" } else { "+" },
            tenths.abs() / 10,
            tenths.abs() % 10,
            self.actor.as_str(),
            self.text
        )
    }
}

/// The system name under which the simulated service itself acts (fraud blocks, throttling).
pub const SIM_OPERATOR: &str = "phonedesk-sim";

/// The operator the simulated service acts as.
pub fn system_operator() -> Operator {
    Operator::new(SIM_OPERATOR, crate::domain::Role::AuthAdmin)
}

/// A stream offset so that route and sender choices do not shift the codes of a seed.
const CODE_STREAM: u64 = 0x00C0_DE5E_ED00_0001;
/// Most timers one run fires before it stops (a guard; real flows need a handful).
const MAX_TIMER_FIRES: usize = 100_000;

/// One simulated sign-in desk.
pub struct Session {
    clock: Arc<VirtualClock>,
    started_at: Timestamp,
    operator: Operator,
    rng: SeededRng,
    codes: CodeSource,
    timers: Timers,
    attempts: u32,
    calls: u32,
    current: Option<Attempt>,
    timeline: Vec<TimelineEntry>,
    phones: BTreeMap<PhoneNumber, VirtualPhone>,
    focus: Option<PhoneNumber>,
    records: Vec<SignInRecord>,
}

impl Session {
    pub fn new(options: SessionOptions) -> Self {
        let started_at = options.clock.now();
        let (rng, codes) = match options.seed {
            Some(seed) => (
                SeededRng::new(seed),
                CodeSource::Seeded(SeededRng::new(seed ^ CODE_STREAM)),
            ),
            // Routes need no secrecy: the OS seeds them when it can, the clock otherwise.
            None => {
                let mut bytes = [0u8; 8];
                let seed = match getrandom::fill(&mut bytes) {
                    Ok(()) => u64::from_le_bytes(bytes),
                    Err(_) => started_at.millis().unsigned_abs(),
                };
                (SeededRng::new(seed), CodeSource::Os)
            }
        };
        Self {
            clock: options.clock,
            started_at,
            operator: options.operator,
            rng,
            codes,
            timers: Timers::default(),
            attempts: 0,
            calls: 0,
            current: None,
            timeline: Vec::new(),
            phones: BTreeMap::new(),
            focus: None,
            records: Vec::new(),
        }
    }

    /// The virtual now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn started_at(&self) -> Timestamp {
        self.started_at
    }

    pub fn timeline(&self) -> &[TimelineEntry] {
        &self.timeline
    }

    /// The sign-in log records this session wrote, oldest first.
    pub fn records(&self) -> &[SignInRecord] {
        &self.records
    }

    /// How the latest attempt ended, if it has.
    pub fn outcome(&self) -> Option<Outcome> {
        self.current.as_ref().and_then(Attempt::outcome)
    }

    /// The correlation id of the latest sign-in.
    pub fn correlation_id(&self) -> Option<&str> {
        self.current.as_ref().map(|a| a.correlation_id.as_str())
    }

    /// The virtual phone of `number`'s line, if the session has used it.
    pub fn phone(&self, number: &PhoneNumber) -> Option<&VirtualPhone> {
        self.phones.get(&number.without_extension())
    }

    /// When something will next happen by itself; `None` when nothing is pending (a screen
    /// needs no timer then).
    pub fn next_due(&self) -> Option<Timestamp> {
        self.timers.next_due()
    }

    /// Applies one event.
    pub fn handle(&mut self, store: &dyn Directory, event: Event) -> Result<(), SimError> {
        match event {
            Event::Start(request) => self.start(store, request),
            Event::TypeNumber(text) => self.type_number(store, &text),
            Event::TypeCode(text) => self.type_code(store, &text),
            Event::AnswerCall => self.answer(store),
            Event::DeclineCall => self.decline(store),
            Event::HangUp => self.hang_up(store),
            Event::PressKeys(keys) => self.press_keys(store, &keys),
            Event::Resend => self.resend(store),
            Event::Advance { seconds } => {
                let until = self.now().plus_secs(i64::from(seconds));
                self.tick(store, until).map(drop)
            }
            Event::ClockJump { seconds } => {
                let to = self.now().plus_secs(seconds);
                self.clock.set(to);
                self.note(
                    Actor::Operator,
                    format!("the clock is corrected by {seconds:+} s"),
                );
                Ok(())
            }
            Event::SetDevice { number, change } => self.set_device(store, &number, &change),
            Event::SetFault { provider, fault } => {
                let found = telecom::set_fault(store, &self.operator, &provider, fault)?;
                self.note(
                    Actor::Operator,
                    format!("sets the fault of {} to {fault}", found.name),
                );
                Ok(())
            }
        }
    }

    /// Fires every timer due up to `until`, in order, and moves the clock there (never back).
    /// Returns whether anything happened.
    pub fn tick(&mut self, store: &dyn Directory, until: Timestamp) -> Result<bool, SimError> {
        let mut fired = 0;
        while let Some((at, timer)) = self.timers.pop_due(until) {
            if at > self.now() {
                self.clock.set(at);
            }
            self.fire(store, timer)?;
            fired += 1;
            if fired >= MAX_TIMER_FIRES {
                break;
            }
        }
        if until > self.now() {
            self.clock.set(until);
        }
        Ok(fired > 0)
    }

    /// Lets the machines finish what they are doing (texts arrive, calls connect) and stops where
    /// only the person can move things on.
    pub fn settle(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        for _ in 0..MAX_TIMER_FIRES {
            let Some(at) = self.timers.next_machine() else {
                return Ok(());
            };
            self.tick(store, at.max(self.now()))?;
        }
        Ok(())
    }

    /// Lets time run until nothing is pending: the attempt ends by itself (a code expires, a
    /// call rings out) if the person does nothing more.
    pub fn run_until_idle(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        for _ in 0..MAX_TIMER_FIRES {
            let Some(at) = self.timers.next_due() else {
                return Ok(());
            };
            self.tick(store, at.max(self.now()))?;
        }
        Ok(())
    }

    fn fire(&mut self, store: &dyn Directory, timer: Timer) -> Result<(), SimError> {
        match timer {
            Timer::SmsArrives(pending) => self.sms_arrives(store, *pending),
            Timer::CodeExpires { attempt, challenge } => {
                self.code_expires(store, attempt, challenge)
            }
            Timer::CallConnects { attempt, call } => self.call_connects(store, attempt, call),
            Timer::RingTimeout { attempt, call } => self.ring_timeout(store, attempt, call),
            Timer::InputTimeout {
                attempt,
                call,
                prompt,
            } => self.input_timeout(store, attempt, call, prompt),
        }
    }

    /// Adds what the simulated person does or thinks to the timeline (the person module's
    /// reaction times and choices).
    pub fn remark(&mut self, text: impl Into<String>) {
        self.note(Actor::User, text);
    }

    fn note(&mut self, actor: Actor, text: impl Into<String>) {
        let at = self.now();
        self.timeline.push(TimelineEntry {
            at,
            offset_ms: at.since(self.started_at),
            actor,
            text: text.into(),
        });
    }

    fn new_correlation_id(&mut self) -> String {
        let (a, b) = (self.rng.next_u64(), self.rng.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    /// The live attempt, or why an event does not fit now.
    fn live(&mut self, what: &str) -> Result<&mut Attempt, SimError> {
        match self.current.as_mut() {
            Some(a) if a.is_live() => Ok(a),
            _ => Err(SimError::NotNow(format!(
                "{what}: no sign-in is in progress"
            ))),
        }
    }

    /// Reads a device from the store and refreshes the phone's copy. `Ok(None)` when the stored
    /// record is unreadable (the flow then ends with a service error).
    fn load_device(
        &mut self,
        store: &dyn Directory,
        line: &PhoneNumber,
    ) -> Result<Option<crate::domain::Device>, SimError> {
        match devices::device(store.backend(), line) {
            Ok(device) => {
                self.phones
                    .entry(line.without_extension())
                    .or_insert_with(|| VirtualPhone::new(device.clone()))
                    .device = device.clone();
                Ok(Some(device))
            }
            Err(StoreError::Corrupt { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn set_device(
        &mut self,
        store: &dyn Directory,
        number: &PhoneNumber,
        change: &DeviceChange,
    ) -> Result<(), SimError> {
        let device = sim_device::set_device(store, &self.operator, number, change)?;
        let line = device.phone_number.clone();
        self.note(
            Actor::Operator,
            format!("sets the phone {}: {}", line.masked(), device.summary()),
        );
        let phone = self
            .phones
            .entry(line.clone())
            .or_insert_with(|| VirtualPhone::new(device.clone()));
        phone.device = device.clone();
        if device.reachable() && !phone.held.is_empty() {
            let held = std::mem::take(&mut phone.held);
            let at = self.now().plus_millis(1_000);
            for pending in held {
                self.timers
                    .schedule(at, Timer::SmsArrives(Box::new(pending)));
            }
            self.note(
                Actor::Provider,
                format!("{} is reachable again: held texts go out", line.masked()),
            );
        }
        Ok(())
    }
}
