//! Guided demos for presenting: scripts in `assets/demos/*.toml` (compiled in), each a list of
//! steps with a caption and one simulator action, played one step at a time by [`DemoPlayer`]
//! (a key press in the sign-in pane, a loop in `phonedesk demo play NAME`).
//!
//! A script names a seed (so it replays exactly), the users to unblock before it starts (a
//! fraud demo leaves its user blocked), and the end it must reach.
//!
//! ```toml
//! title = "SMS sign-in that succeeds"
//! summary = "..."
//! seed = 4
//! expect = { result = "success" }            # or { result = "denied", reason = "voicemail" }
//!
//! [[steps]]
//! caption = "Rosa opens the sign-in page."
//! start = "sms-signin"                       # or "mfa" / "sspr" with user, via, slot
//!
//! [[steps]]
//! caption = "She types her number."
//! type-number = "+1 (206) 555-0101"
//!
//! [[steps]]
//! caption = "The code arrives; she types it."
//! respond = "auto"                           # any --respond value
//! ```
//!
//! Other actions: `device = { number = "...", power = false, voicemail = true, block-sender =
//! "26096", ... }` and `fault = { provider = "northwind", fault = "sms-drop" }`.

use std::sync::Arc;

use serde::Deserialize;

use super::SimError;
use super::clock::VirtualClock;
use super::device::DeviceChange;
use super::flow::{Channel, FlowRequest};
use super::person::{self, Response};
use super::reason::{Outcome, Reason, SignInResult};
use super::session::{Event, Session, SessionOptions};
use super::telecom::Fault;
use crate::domain::{Edit, Operator, PhoneNumber, PhoneType, SenderId};
use crate::store::{Directory, StoreError};

/// The demos, by name.
const DEMOS: &[(&str, &str)] = &[
    (
        "sms-sign-in",
        include_str!("../../assets/demos/sms-sign-in.toml"),
    ),
    (
        "wrong-code",
        include_str!("../../assets/demos/wrong-code.toml"),
    ),
    (
        "voicemail",
        include_str!("../../assets/demos/voicemail.toml"),
    ),
    (
        "fraud-report",
        include_str!("../../assets/demos/fraud-report.toml"),
    ),
    (
        "blocked-sender",
        include_str!("../../assets/demos/blocked-sender.toml"),
    ),
];

/// The names of the demos, in presentation order.
pub fn names() -> impl Iterator<Item = &'static str> {
    DEMOS.iter().map(|(name, _)| *name)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptFile {
    title: String,
    summary: String,
    seed: u64,
    #[serde(default)]
    prepare: PrepareFile,
    expect: ExpectFile,
    steps: Vec<StepFile>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PrepareFile {
    /// Users unblocked (if blocked) before the demo starts, audited.
    #[serde(default)]
    unblock: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectFile {
    result: String,
    reason: Option<String>,
    /// A user who must be blocked at the end.
    blocked: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct StepFile {
    caption: String,
    start: Option<String>,
    user: Option<String>,
    via: Option<String>,
    slot: Option<String>,
    type_number: Option<String>,
    respond: Option<String>,
    device: Option<DeviceFile>,
    fault: Option<FaultFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DeviceFile {
    number: String,
    power: Option<bool>,
    signal: Option<bool>,
    sms: Option<bool>,
    voicemail: Option<bool>,
    landline: Option<bool>,
    block_sender: Option<String>,
    unblock_sender: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultFile {
    provider: String,
    fault: String,
}

/// What a step does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemoAction {
    Start(FlowRequest),
    TypeNumber(String),
    Respond(Response),
    Device {
        number: PhoneNumber,
        change: DeviceChange,
    },
    Fault {
        provider: String,
        fault: Fault,
    },
}

/// One step: what the presenter says, and what happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoStep {
    pub caption: String,
    pub action: DemoAction,
}

/// The end a demo must reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub outcome: Outcome,
    pub blocked: Option<String>,
}

/// A parsed demo script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoScript {
    pub name: String,
    pub title: String,
    pub summary: String,
    pub seed: u64,
    pub unblock_first: Vec<String>,
    pub expect: Expectation,
    pub steps: Vec<DemoStep>,
}

fn invalid(name: &str, what: impl std::fmt::Display) -> SimError {
    SimError::Invalid(format!("demo {name}: {what}"))
}

fn reason_named(name: &str) -> Option<Reason> {
    Reason::ALL.into_iter().find(|r| r.name() == name)
}

impl DemoScript {
    /// The embedded demo called `name`.
    pub fn load(name: &str) -> Result<Self, SimError> {
        let wanted = name.trim().to_ascii_lowercase();
        match DEMOS.iter().find(|(n, _)| *n == wanted) {
            Some((n, text)) => Self::parse(n, text),
            None => Err(SimError::Invalid(format!(
                "no demo \"{}\" (demos: {})",
                name.chars().take(40).collect::<String>(),
                names().collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// Parses a script; every mistake names the demo and the step.
    pub fn parse(name: &str, text: &str) -> Result<Self, SimError> {
        let file: ScriptFile = toml::from_str(text).map_err(|e| invalid(name, e.message()))?;
        let result = match file.expect.result.as_str() {
            "success" => SignInResult::Success,
            "denied" => SignInResult::Denied,
            other => return Err(invalid(name, format!("expect.result \"{other}\""))),
        };
        let reason = match &file.expect.reason {
            Some(r) => Some(
                reason_named(r).ok_or_else(|| invalid(name, format!("unknown reason \"{r}\"")))?,
            ),
            None => None,
        };
        let steps = file
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, step)| {
                step_of(step).map_err(|e| invalid(name, format!("step {}: {e}", i + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if steps.is_empty() {
            return Err(invalid(name, "no steps"));
        }
        Ok(Self {
            name: name.to_owned(),
            title: file.title,
            summary: file.summary,
            seed: file.seed,
            unblock_first: file.prepare.unblock,
            expect: Expectation {
                outcome: Outcome { result, reason },
                blocked: file.expect.blocked,
            },
            steps,
        })
    }
}

fn step_of(step: StepFile) -> Result<DemoStep, String> {
    let actions = [
        step.start.is_some(),
        step.type_number.is_some(),
        step.respond.is_some(),
        step.device.is_some(),
        step.fault.is_some(),
    ];
    if actions.iter().filter(|a| **a).count() != 1 {
        return Err("a step has exactly one of start, type-number, respond, device, fault".into());
    }
    let start_options = step.user.is_some() || step.via.is_some() || step.slot.is_some();
    if start_options && step.start.is_none() {
        return Err("user, via and slot belong to a start step".into());
    }
    let action = if let Some(flow) = step.start {
        let via = step.via.map(|v| v.parse::<Channel>()).transpose()?;
        let slot = step.slot.map(|s| s.parse::<PhoneType>()).transpose()?;
        let user = || step.user.clone().ok_or("mfa and sspr need a user");
        DemoAction::Start(match flow.as_str() {
            "sms-signin" => FlowRequest::SmsSignIn,
            "mfa" => FlowRequest::Mfa {
                upn: user()?,
                via,
                slot,
            },
            "sspr" => FlowRequest::Sspr {
                upn: user()?,
                via,
                slot,
            },
            other => return Err(format!("start \"{other}\": use sms-signin, mfa or sspr")),
        })
    } else if let Some(number) = step.type_number {
        DemoAction::TypeNumber(number)
    } else if let Some(respond) = step.respond {
        DemoAction::Respond(respond.parse()?)
    } else if let Some(device) = step.device {
        let number = PhoneNumber::parse(&device.number, None).map_err(|e| e.to_string())?;
        let sender = |s: Option<String>| s.map(|s| SenderId::parse(&s)).transpose();
        DemoAction::Device {
            number,
            change: DeviceChange {
                powered_on: device.power,
                signal: device.signal,
                sms_subscribed: device.sms,
                voicemail: device.voicemail,
                landline: device.landline,
                block: sender(device.block_sender)?.into_iter().collect(),
                unblock: sender(device.unblock_sender)?.into_iter().collect(),
            },
        }
    } else if let Some(fault) = step.fault {
        DemoAction::Fault {
            provider: fault.provider,
            fault: fault.fault.parse()?,
        }
    } else {
        return Err("a step needs an action".into());
    };
    Ok(DemoStep {
        caption: step.caption,
        action,
    })
}

/// One step as it was played.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayedStep {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub caption: String,
    /// Where this step's entries start in the session's timeline.
    pub timeline_from: usize,
}

/// Whether a played demo reached its expected end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub met: bool,
    pub expected: String,
    pub actual: String,
}

/// Plays a script against a session, one step per call.
///
/// Between two steps the demo's world stands still: a presenter may talk for a minute before the
/// next key, and on a live clock that minute would let a ringing phone give up or a code expire
/// before the step that answers it. Each step starts at the instant the previous one ended.
pub struct DemoPlayer {
    script: DemoScript,
    next: usize,
    session: Session,
    operator: Operator,
    clock: Arc<VirtualClock>,
    /// When the last step ended.
    paused_at: Option<crate::domain::Timestamp>,
}

impl DemoPlayer {
    pub fn new(script: DemoScript, clock: Arc<VirtualClock>, operator: Operator) -> Self {
        let session = Session::new(SessionOptions {
            seed: Some(script.seed),
            clock: Arc::clone(&clock),
            operator: operator.clone(),
        });
        Self {
            script,
            next: 0,
            session,
            operator,
            clock,
            paused_at: None,
        }
    }

    pub fn script(&self) -> &DemoScript {
        &self.script
    }

    /// The session the demo drives (its view is what the pane draws).
    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn is_finished(&self) -> bool {
        self.next >= self.script.steps.len()
    }

    /// The caption of the step [`Self::next_step`] will play.
    pub fn upcoming(&self) -> Option<&DemoStep> {
        self.script.steps.get(self.next)
    }

    /// Plays the next step; `None` when the demo is over. After the last step, time runs until
    /// nothing is pending, so the demo ends where the flow ends.
    pub fn next_step(&mut self, store: &dyn Directory) -> Result<Option<PlayedStep>, SimError> {
        let Some(step) = self.script.steps.get(self.next).cloned() else {
            return Ok(None);
        };
        if self.next == 0 {
            self.prepare(store)?;
        }
        if let Some(at) = self.paused_at
            && self.clock.now() > at
        {
            self.clock.set(at);
        }
        let timeline_from = self.session.timeline().len();
        match step.action {
            DemoAction::Start(request) => self.session.handle(store, Event::Start(request))?,
            DemoAction::TypeNumber(number) => {
                self.session.handle(store, Event::TypeNumber(number))?;
            }
            DemoAction::Respond(response) => person::perform(&mut self.session, store, &response)?,
            DemoAction::Device { number, change } => self
                .session
                .handle(store, Event::SetDevice { number, change })?,
            DemoAction::Fault { provider, fault } => self
                .session
                .handle(store, Event::SetFault { provider, fault })?,
        }
        self.next += 1;
        if self.is_finished() {
            person::finish(&mut self.session, store)?;
        }
        self.paused_at = Some(self.clock.now());
        Ok(Some(PlayedStep {
            number: self.next,
            total: self.script.steps.len(),
            caption: step.caption,
            timeline_from,
        }))
    }

    /// Unblocks the users the script names, so a demo that blocks someone can run again.
    fn prepare(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        for upn in &self.script.unblock_first {
            let user = store.user(upn)?;
            if user.active_block(store.now()).is_some() {
                store.edit(
                    &self.operator,
                    upn,
                    &Edit::Unblock {
                        reason: format!("guided demo {}: starting again", self.script.name),
                    },
                )?;
            }
        }
        Ok(())
    }

    /// Compares the end with the script's expectation.
    pub fn verdict(&self, store: &dyn Directory) -> Result<Verdict, SimError> {
        let expect = &self.script.expect;
        let outcome = self.session.outcome();
        let mut met = outcome == Some(expect.outcome);
        let mut expected = expect.outcome.describe();
        let mut actual = outcome.map_or_else(|| "no result".to_owned(), |o| o.describe());
        if let Some(upn) = &expect.blocked {
            let blocked = match store.user(upn) {
                Ok(user) => user.active_block(store.now()).is_some(),
                Err(StoreError::NotFound { .. }) => false,
                Err(e) => return Err(e.into()),
            };
            met &= blocked;
            expected.push_str(&format!(", {upn} blocked"));
            if !blocked {
                actual.push_str(&format!(", {upn} not blocked"));
            }
        }
        Ok(Verdict {
            met,
            expected,
            actual,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_parses() {
        for name in names() {
            let script = DemoScript::load(name).unwrap();
            assert!(!script.steps.is_empty(), "{name}");
        }
    }

    #[test]
    fn every_demo_file_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demos");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(names().any(|n| n == stem), "{stem} is not in DEMOS");
        }
    }

    #[test]
    fn mistakes_name_the_step() {
        let text = r#"
            title = "t"
            summary = "s"
            seed = 1
            expect = { result = "success" }
            [[steps]]
            caption = "c"
            respond = "auto"
            start = "mfa"
        "#;
        let e = DemoScript::parse("x", text).unwrap_err().to_string();
        assert!(e.contains("step 1"), "{e}");
        assert!(DemoScript::load("nope").is_err());
    }
}
