//! A world to troubleshoot in: the demo tenant on the in-memory store, a virtual clock shared
//! with the simulator, and helpers to play sign-ins and walk the wizard.

use std::sync::Arc;

use phonedesk::domain::{Operator, PhoneNumber, Role};
use phonedesk::sim::{
    Channel, DeviceChange, Event, Fault, FlowRequest, Response, Session, SessionOptions,
    VirtualClock, person, telecom,
};
use phonedesk::store::{self, MemoryBackend, Record, Store};
use phonedesk::wizard::{Current, Status, Visit, VisitKind, Wizard};

pub const T0: &str = "2026-11-28T09:00:00Z";
pub const DOMAIN: &str = "@fabrikam.example";

pub fn operator() -> Operator {
    Operator::new("helpdesk.tester", Role::AuthAdmin)
}

pub fn privileged() -> Operator {
    Operator::new("helpdesk.lead", Role::PrivilegedAuthAdmin)
}

pub fn upn(local: &str) -> String {
    format!("{local}{DOMAIN}")
}

pub struct World {
    pub clock: Arc<VirtualClock>,
    pub store: Store<MemoryBackend>,
}

pub fn world() -> World {
    let clock = Arc::new(VirtualClock::at(T0.parse().unwrap()));
    let store = store::open_memory(clock.clone()).unwrap();
    phonedesk::demo::seed_if_empty(&store, &operator()).unwrap();
    World { clock, store }
}

pub fn mfa(local: &str, via: Option<Channel>) -> FlowRequest {
    FlowRequest::Mfa {
        upn: upn(local),
        via,
        slot: None,
    }
}

pub fn sspr(local: &str) -> FlowRequest {
    FlowRequest::Sspr {
        upn: upn(local),
        via: None,
        slot: None,
    }
}

impl World {
    pub fn session(&self, seed: u64) -> Session {
        Session::new(SessionOptions {
            seed: Some(seed),
            clock: self.clock.clone(),
            operator: operator(),
        })
    }

    /// Starts `request`, plays `responses`, lets the rest happen (as `phonedesk signin` does).
    pub fn play(&self, seed: u64, request: FlowRequest, responses: &[&str]) -> Session {
        let mut s = self.session(seed);
        s.handle(&self.store, Event::Start(request)).unwrap();
        for r in responses {
            let r: Response = r.parse().unwrap();
            person::perform(&mut s, &self.store, &r).unwrap();
        }
        person::finish(&mut s, &self.store).unwrap();
        s
    }

    pub fn advance(&self, seconds: i64) {
        self.clock.set(self.clock.now().plus_secs(seconds));
    }

    pub fn fault_everywhere(&self, fault: Fault) {
        for p in telecom::PROVIDERS {
            telecom::set_fault(&self.store, &operator(), p.id, fault).unwrap();
        }
    }

    pub fn set_device(&self, number: &str, change: DeviceChange) {
        let number = PhoneNumber::parse_canonical(number).unwrap();
        phonedesk::sim::device::set_device(&self.store, &operator(), &number, &change).unwrap();
    }

    /// A privileged edit that sets the scene (not part of what is tested).
    pub fn edit(&self, local: &str, edit: phonedesk::domain::Edit) {
        self.store.edit(&privileged(), &upn(local), &edit).unwrap();
    }

    pub fn start(&self, local: &str, symptom: &str) -> Wizard {
        Wizard::start(&self.store, &operator(), &upn(local), symptom, false).unwrap()
    }

    /// Answers every question from the simulated device until a remedy (or a question the
    /// device cannot answer).
    pub fn device_walk(&self, wizard: &mut Wizard) {
        while let Current::Question {
            device_shortcut: true,
            ..
        } = wizard.current().unwrap()
        {
            wizard.answer_from_device(&self.store).unwrap();
        }
    }
}

/// The first check that found something: the wizard's first finding.
pub fn first_finding(wizard: &Wizard) -> &Visit {
    wizard
        .path()
        .iter()
        .find(|v| {
            v.kind == VisitKind::Check && matches!(v.status, Some(Status::Fail | Status::Unknown))
        })
        .unwrap_or_else(|| panic!("no finding on {:#?}", wizard.path()))
}

/// The name of the current step.
pub fn current_step(wizard: &Wizard) -> String {
    match wizard.current().unwrap() {
        Current::Question { step, .. } | Current::Remedy { step, .. } => step.name.clone(),
    }
}

/// Asserts the first finding is at `step` and says each of `words`.
pub fn assert_first_finding(wizard: &Wizard, step: &str, words: &[&str]) {
    let found = first_finding(wizard);
    assert_eq!(found.step, step, "{:#?}", wizard.path());
    let finding = found.finding.as_deref().unwrap_or("");
    for word in words {
        assert!(finding.contains(word), "{finding:?} lacks {word:?}");
    }
}

/// The ticket note, snapshot-tested under tests/snapshots, and checked for privacy: no
/// registered number appears in full unless revealed, and never a one-time code.
pub fn assert_ticket(name: &str, wizard: &Wizard) {
    let ticket = wizard.ticket().unwrap();
    if !wizard.facts().reveal {
        for m in &wizard.user().phone_methods {
            assert!(
                !ticket.contains(m.phone_number.national()),
                "{name}: the ticket shows {} in full",
                m.phone_type
            );
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("wizard_ticket_{name}"), ticket));
}
