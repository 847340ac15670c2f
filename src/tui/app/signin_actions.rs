//! The Sign-in pane's input: starting flows and demos, typing into the sign-in page or the
//! phone's keypad, answering calls, letting virtual time pass, and changing phone and provider
//! conditions. Every action is a [`crate::sim::Event`]; the simulator decides what it means.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{App, Modal};
use crate::domain::{PhoneNumber, PhoneType, Timestamp};
use crate::sim::sandbox::Sandbox;
use crate::sim::session::Waiting;
use crate::sim::telecom::{self, Fault};
use crate::sim::{
    DemoPlayer, DemoScript, DeviceChange, Event, FlowRequest, Session, SessionOptions, SimError,
    demo_script,
};
use crate::tui::keymap::Command;
use crate::tui::panes::signin::flow_choices;
use crate::tui::widgets::dialog::{Confirm, OnYes};
use crate::tui::widgets::dialog::{Picker, PickerKind};
use crate::tui::widgets::toast::ToastKind;
use crate::tui::words;

/// Virtual time one press of "advance time" lets pass.
const ADVANCE_SECONDS: u32 = 30;
/// How often a visible countdown or a ringing phone is redrawn.
const ANIMATION_STEP: Duration = Duration::from_secs(1);

/// A condition the operator can flip from the Sign-in pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Power,
    Signal,
    Sms,
    Voicemail,
    Landline,
    /// Blocks the sender of the newest text (or the caller), as a user who blocked a short code.
    BlockLastSender,
    UnblockAll,
    /// Cycles a provider's fault: none, sms-drop, call-fail, dtmf-loss.
    Provider(&'static str),
}

/// Where the simulator runs: the simulated tenant itself, or (on a real tenant) a local copy of
/// the selected user with stand-in numbers.
#[derive(Clone)]
pub(super) enum World {
    Record(Arc<dyn crate::store::Record>),
    Copy(Arc<Sandbox>),
}

impl World {
    pub(super) fn directory(&self) -> Option<&dyn crate::store::Directory> {
        match self {
            Self::Record(record) => record.simulated(),
            Self::Copy(sandbox) => Some(sandbox.directory()),
        }
    }
}

impl App {
    /// The simulator's world now, if there is one.
    pub(super) fn sim_world(&self) -> Option<World> {
        if self.store.simulated().is_some() {
            return Some(World::Record(Arc::clone(&self.store)));
        }
        self.tenant_copy.clone().map(World::Copy)
    }

    /// On a real tenant: a fresh local copy of `upn` (the profile shown) with stand-in numbers,
    /// for one simulated sign-in. No call to the tenant: the profile was read already.
    /// Returns the stand-in of each slot, or `None` (and a notice) when there is no copy.
    fn copy_for_simulation(&mut self, upn: &str) -> Option<Vec<(PhoneType, PhoneNumber)>> {
        let Some(profile) = self.profile.as_ref().filter(|p| p.is(upn)) else {
            self.toast(ToastKind::Info, "select the user in Lookup first");
            return None;
        };
        let (copy, stand_ins) = crate::sim::stand_in::pseudonymised(&profile.user);
        match Sandbox::with_users(self.store.as_ref(), vec![copy], self.clock.clone()) {
            Ok(sandbox) => {
                self.tenant_copy = Some(Arc::new(sandbox));
                let phones = stand_ins
                    .iter()
                    .map(|(slot, number)| format!("{} {number}", slot.label()))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.toast(
                    ToastKind::Info,
                    format!("a simulation on a local copy with stand-in numbers ({phones}); nothing is sent to the tenant"),
                );
                Some(stand_ins)
            }
            Err(e) => {
                self.report("Cannot prepare the simulation", &e);
                None
            }
        }
    }

    /// On a real tenant the simulator has no world here: it never writes to a real tenant.
    fn simulator_only(&mut self) {
        self.alert(
            "The simulator works on the simulated tenant only",
            "On a real tenant, start a sign-in of the selected user (n): it plays on a local copy with stand-in numbers, and nothing is sent to the tenant. The guided demos play on the embedded demo tenant. Phone and provider conditions and resetting the simulated world need the simulated tenant or a sign-in under way.",
        );
    }

    pub(super) fn signin_command(&mut self, command: Command) {
        if self.signin.demo.is_some() {
            match command {
                Command::NextStep | Command::Open => self.next_demo_step(),
                Command::Back => {
                    self.signin.demo = None;
                    self.signin.step = None;
                    self.demo_world = None;
                }
                _ => self.toast(
                    ToastKind::Info,
                    "a demo is playing: Space for the next step, Esc to leave it",
                ),
            }
            return;
        }
        match command {
            Command::NewSignIn => self.ask_flow(),
            Command::PlayDemo => self.ask_demo(),
            Command::Open | Command::Submit => self.submit_field(),
            Command::AnswerCall => self.sim_event(Event::AnswerCall),
            Command::HangUp => self.sim_event(Event::HangUp),
            Command::Resend => self.sim_event(Event::Resend),
            Command::AdvanceTime => self.sim_event(Event::Advance {
                seconds: ADVANCE_SECONDS,
            }),
            Command::Conditions => self.open_conditions(0),
            Command::ResetWorld => self.ask_reset_world(),
            Command::Back | Command::Cancel if !self.signin.input.value().is_empty() => {
                self.signin.input.set("");
            }
            Command::Back | Command::Cancel => self.back_to_lookup(),
            _ => {}
        }
    }

    fn submit_field(&mut self) {
        let waiting = self.signin.session.as_ref().map(Session::waiting);
        let text = self.signin.input.value().to_owned();
        match waiting {
            Some(Waiting::PhoneNumber) => self.sim_event(Event::TypeNumber(text)),
            Some(Waiting::Code) => self.sim_event(Event::TypeCode(text)),
            _ => return,
        }
        self.signin.input.set("");
    }

    /// The operator's session, created on first use.
    fn session(&mut self) -> &mut Session {
        let clock = self.clock.clone();
        let operator = self.operator.clone();
        let seed = self.sim_seed;
        self.signin.session.get_or_insert_with(|| {
            Session::new(SessionOptions {
                seed,
                clock,
                operator,
            })
        })
    }

    /// Applies one simulator event, then lets the machines run up to now (a text arrives, a call
    /// connects) and refreshes what shows the user.
    pub(super) fn sim_event(&mut self, event: Event) {
        let world = self.sim_world();
        let Some(world) = world.as_ref().and_then(World::directory) else {
            self.simulator_only();
            return;
        };
        let now = self.clock.now();
        let session = self.session();
        let result = session
            .handle(world, event)
            .and_then(|()| session.tick(world, now.max(session.now())).map(drop));
        self.after_sim(result);
    }

    fn after_sim(&mut self, result: Result<(), SimError>) {
        if let Err(e) = result {
            self.report("The sign-in simulator could not do that", &e);
        }
        // The simulation changes the directory only as an attempt ends (a fraud report blocks
        // the user, with its sign-in record): reload what shows the user then, not on every key.
        let records = self.signin.active().map_or(0, |s| s.records().len());
        let ended = std::mem::replace(&mut self.signin.seen_records, records) != records;
        if ended {
            self.reload_profile();
            self.users_changed();
        }
        self.dirty = true;
    }

    fn ask_reset_world(&mut self) {
        self.modal = Some(Modal::Confirm(Confirm {
            title: "Reset the simulated world?".into(),
            message: vec![
                "Phone conditions, provider faults, send and failure counters and live codes go back to a fresh start.".into(),
                "Users, their methods, the audit trail and the sign-in log stay. The reset is audited.".into(),
            ],
            on_yes: OnYes::ResetWorld,
            refusal: None,
        }));
    }

    pub(super) fn reset_world(&mut self) {
        let world = self.sim_world();
        let Some(world) = world.as_ref().and_then(World::directory) else {
            self.simulator_only();
            return;
        };
        match crate::sim::world::reset_world(world, &self.operator) {
            Ok(cleared) => {
                self.signin.session = None;
                self.toast(
                    ToastKind::Success,
                    format!(
                        "the simulated world is fresh again: cleared {}",
                        cleared.describe()
                    ),
                );
            }
            Err(e) => self.report("Cannot reset the simulated world", &e),
        }
        self.reload_profile();
    }

    /// Once per session, before the first manual simulation: it runs on the simulated tenant
    /// itself, so what it does stays (the guided demos run on a copy instead).
    fn tell_sim_changes_tenant(&mut self) {
        if std::mem::replace(&mut self.told_sim_changes_tenant, true) {
            return;
        }
        self.toast(
            ToastKind::Info,
            format!(
                "simulations change the simulated tenant (a fraud report blocks the user); {} resets the world",
                self.keymap.hint(Command::ResetWorld)
            ),
        );
    }

    fn ask_flow(&mut self) {
        let user = self.profile.as_ref().map(|p| &p.user);
        let options = flow_choices(user)
            .into_iter()
            .map(|c| (c.label, c.request))
            .collect();
        let title = match &self.profile {
            Some(p) => format!(
                "Start a sign-in · {}",
                crate::domain::sanitize::display_safe(&p.user.display_name)
            ),
            None => "Start a sign-in (select a user in Lookup for MFA)".into(),
        };
        self.modal = Some(Modal::Flow(Picker {
            title,
            options,
            selected: 0,
            kind: PickerKind::Choose,
        }));
    }

    pub(super) fn start_flow(&mut self, request: FlowRequest) {
        self.signin.subject = match &request {
            FlowRequest::SmsSignIn => Some("SMS sign-in".into()),
            FlowRequest::Mfa { upn, .. } => Some(format!("MFA for {upn}")),
            FlowRequest::Sspr { upn, .. } => Some(format!("password reset for {upn}")),
        };
        self.signin.input.set("");
        let mut typed_mobile = None;
        if self.store.kind().is_graph() {
            // A copy of the user, never the tenant. An SMS sign-in starts from a number, which
            // Graph cannot look up: it plays the selected user, their stand-in mobile typed.
            let upn = match &request {
                FlowRequest::Mfa { upn, .. } | FlowRequest::Sspr { upn, .. } => Some(upn.clone()),
                FlowRequest::SmsSignIn => self.profile_upn(),
            };
            let Some(upn) = upn else {
                self.toast(
                    ToastKind::Info,
                    "select the user in Lookup first: on a real tenant an SMS sign-in plays on a copy of the selected user",
                );
                return;
            };
            let Some(stand_ins) = self.copy_for_simulation(&upn) else {
                return;
            };
            if request == FlowRequest::SmsSignIn {
                typed_mobile = stand_ins
                    .iter()
                    .find(|(slot, _)| *slot == PhoneType::Mobile)
                    .map(|(_, number)| number.to_string());
            }
            self.signin.subject = self
                .signin
                .subject
                .take()
                .map(|s| format!("{s} · simulation on a local copy"));
        } else {
            self.tell_sim_changes_tenant();
        }
        self.sim_event(Event::Start(request));
        // The page waits for the number: the copy's stand-in mobile is ready to send.
        if let Some(number) = typed_mobile {
            self.signin.input.set(&number);
        }
    }

    fn ask_demo(&mut self) {
        let options = demo_script::names()
            .filter_map(|name| DemoScript::load(name).ok())
            .map(|script| (script.title.clone(), script.name))
            .collect();
        self.modal = Some(Modal::Demo(Picker {
            title: "Guided demos".into(),
            options,
            selected: 0,
            kind: PickerKind::Choose,
        }));
    }

    pub(super) fn start_demo(&mut self, name: &str) {
        match DemoScript::load(name) {
            Ok(script) => {
                // A scratch copy of the cast: the demo never changes the open tenant, and says
                // up front when the tenant lacks its cast.
                match Sandbox::for_demo(self.store.as_ref(), &script, self.clock.clone()) {
                    Ok(world) => self.demo_world = Some(world),
                    Err(e) => {
                        self.report(&format!("The demo \"{}\" cannot start", script.title), &e);
                        return;
                    }
                }
                // On a real tenant the demo's people are the embedded demo tenant's.
                let on_tenant = self.store.kind().is_graph();
                self.signin.subject = Some(if on_tenant {
                    format!("{} · demo tenant", script.title)
                } else {
                    script.title.clone()
                });
                if on_tenant {
                    self.toast(
                        ToastKind::Info,
                        format!(
                            "the demo plays on the embedded demo tenant; nothing is read from or sent to {}",
                            self.tenant.name
                        ),
                    );
                }
                self.signin.step = None;
                self.signin.demo = Some(DemoPlayer::new(
                    script,
                    self.clock.clone(),
                    self.operator.clone(),
                ));
                self.next_demo_step();
            }
            Err(e) => self.report("Cannot play this demo", &e),
        }
    }

    fn next_demo_step(&mut self) {
        let (Some(demo), Some(world)) = (&mut self.signin.demo, &self.demo_world) else {
            return;
        };
        let store = world.directory();
        match demo.next_step(store) {
            Ok(Some(step)) => {
                self.signin.step = Some(step);
                // The timeline follows the demo: the new step's lines, not where it was scrolled.
                self.signin.timeline_up = 0;
                self.after_sim(Ok(()));
            }
            Ok(None) => {
                let verdict = demo.verdict(store);
                match verdict {
                    Ok(v) if v.met => {
                        self.toast(ToastKind::Success, format!("demo over: {}", v.actual))
                    }
                    Ok(v) => self.toast(
                        ToastKind::Error,
                        format!("demo over: expected {}, got {}", v.expected, v.actual),
                    ),
                    Err(e) => self.after_sim(Err(e)),
                }
            }
            Err(e) => self.after_sim(Err(e)),
        }
    }

    /// The phone whose conditions the picker changes: the one in use, else the selected user's
    /// mobile (or any registered phone).
    fn condition_number(&self) -> Option<crate::domain::PhoneNumber> {
        let in_use = self
            .signin
            .active()
            .and_then(|s| s.view().phone.map(|p| p.device.phone_number.clone()));
        in_use.or_else(|| {
            let user = &self.profile.as_ref()?.user;
            let method = user
                .method(PhoneType::Mobile)
                .or_else(|| user.phone_methods.first())?;
            Some(method.phone_number.without_extension())
        })
    }

    pub(super) fn open_conditions(&mut self, selected: usize) {
        let world = self.sim_world();
        let Some(world) = world.as_ref().and_then(World::directory) else {
            self.simulator_only();
            return;
        };
        self.tell_sim_changes_tenant();
        let number = self.condition_number();
        let device = match &number {
            Some(n) => crate::store::devices::device(world.backend(), n).ok(),
            None => None,
        };
        let mut options = Vec::new();
        if let Some(d) = &device {
            let on = |b: bool| if b { "on" } else { "off" };
            options.push((
                format!("Power {} ({})", on(d.powered_on), d.phone_number.masked()),
                Condition::Power,
            ));
            options.push((format!("Signal {}", on(d.signal)), Condition::Signal));
            options.push((
                format!("SMS service {}", on(d.sms_subscribed)),
                Condition::Sms,
            ));
            options.push((
                format!("Voicemail forwarding {}", on(d.voicemail)),
                Condition::Voicemail,
            ));
            options.push((format!("Landline {}", on(d.landline)), Condition::Landline));
            options.push((
                "Block the last sender or caller".into(),
                Condition::BlockLastSender,
            ));
            if !d.blocked_senders.is_empty() {
                options.push((
                    format!("Unblock {} sender(s)", d.blocked_senders.len()),
                    Condition::UnblockAll,
                ));
            }
        }
        match telecom::status(world.backend()) {
            Ok(providers) => {
                for (provider, fault) in providers {
                    options.push((
                        format!("Provider {}: {}", provider.name, words::fault(fault)),
                        Condition::Provider(provider.id),
                    ));
                }
            }
            Err(e) => self.report("Cannot read the telecom providers", &e),
        }
        let title = match &number {
            Some(_) => "Phone and telecom conditions".to_owned(),
            None => "Telecom conditions (select a user for their phone)".to_owned(),
        };
        let selected = selected.min(options.len().saturating_sub(1));
        self.modal = Some(Modal::Conditions(Picker {
            title,
            options,
            selected,
            kind: PickerKind::Toggle,
        }));
    }

    pub(super) fn apply_condition(&mut self, condition: &Condition) {
        let world = self.sim_world();
        let Some(world) = world.as_ref().and_then(World::directory) else {
            self.simulator_only();
            return;
        };
        if let Condition::Provider(id) = condition {
            let current = telecom::find(id)
                .and_then(|p| telecom::fault_of(world.backend(), p).ok())
                .unwrap_or_default();
            let next = Fault::ALL
                .iter()
                .cycle()
                .skip_while(|f| **f != current)
                .nth(1)
                .copied()
                .unwrap_or_default();
            self.sim_event(Event::SetFault {
                provider: (*id).to_owned(),
                fault: next,
            });
            return;
        }
        let Some(number) = self.condition_number() else {
            return;
        };
        let Ok(device) = crate::store::devices::device(world.backend(), &number) else {
            return;
        };
        let mut change = DeviceChange::default();
        match condition {
            Condition::Power => change.powered_on = Some(!device.powered_on),
            Condition::Signal => change.signal = Some(!device.signal),
            Condition::Sms => change.sms_subscribed = Some(!device.sms_subscribed),
            Condition::Voicemail => change.voicemail = Some(!device.voicemail),
            Condition::Landline => change.landline = Some(!device.landline),
            Condition::UnblockAll => change.unblock = device.blocked_senders.clone(),
            Condition::BlockLastSender => match self.last_sender() {
                Some(sender) => change.block.push(sender),
                None => {
                    self.toast(
                        ToastKind::Info,
                        "no text or call has reached this phone yet",
                    );
                    return;
                }
            },
            Condition::Provider(_) => {}
        }
        self.sim_event(Event::SetDevice { number, change });
    }

    fn last_sender(&self) -> Option<crate::domain::SenderId> {
        let view = self.signin.active()?.view();
        let phone = view.phone?;
        phone
            .call
            .map(|c| c.from.clone())
            .or_else(|| phone.inbox.last().map(|sms| sms.from.clone()))
    }

    /// When the pane next needs the loop to wake: a simulator timer, or the next second of a
    /// visible countdown or ringing phone.
    pub(super) fn signin_deadline(&self) -> Option<Instant> {
        let session = self
            .signin
            .session
            .as_ref()
            .filter(|_| self.signin.demo.is_none())?;
        let now = Instant::now();
        let due = session.next_due().map(|at| {
            let wait = at.since(self.clock.now()).max(0);
            now + Duration::from_millis(u64::try_from(wait).unwrap_or(0))
        });
        let animating = matches!(
            session.waiting(),
            Waiting::Code | Waiting::IncomingCall | Waiting::Keys
        );
        let repaint = animating.then(|| now + ANIMATION_STEP);
        match (due, repaint) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Fires the simulator's timers that are due by the live clock.
    pub(super) fn signin_tick(&mut self) {
        let world = self.sim_world();
        let now: Timestamp = self.clock.now();
        let Some(session) = self
            .signin
            .session
            .as_mut()
            .filter(|_| self.signin.demo.is_none())
        else {
            return;
        };
        let animating = matches!(
            session.waiting(),
            Waiting::Code | Waiting::IncomingCall | Waiting::Keys
        );
        let Some(world) = world.as_ref().and_then(World::directory) else {
            return;
        };
        match session.tick(world, now.max(session.now())) {
            Ok(true) => self.after_sim(Ok(())),
            Ok(false) => self.dirty |= animating,
            Err(e) => self.after_sim(Err(e)),
        }
    }
}
