//! The sign-in simulator end to end on the in-memory store (and sled where persistence is the
//! point): every phone-related result of DOMAIN.md §5 reached with a seed and the virtual clock,
//! the one-time-code rules of ROBUSTNESS.md, limits, determinism and the sign-in log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use phonedesk::domain::{Operator, PhoneNumber, Role, Timestamp, Upn};
use phonedesk::sim::log::{self, Query};
use phonedesk::sim::reason::StepKind;
use phonedesk::sim::session::Screen;
use phonedesk::sim::{
    Channel, DeviceChange, Event, Fault, FlowRequest, Reason, Response, Session, SessionOptions,
    VirtualClock, Waiting, otp, person, throttle,
};
use phonedesk::store::{self, AuditTrail, Directory, MemoryBackend, Record, Store, TreeId};

const T0: &str = "2026-11-28T09:00:00Z";

struct World {
    clock: Arc<VirtualClock>,
    store: Store<MemoryBackend>,
}

fn operator() -> Operator {
    Operator::new("helpdesk.tester", Role::AuthAdmin)
}

fn world() -> World {
    let clock = Arc::new(VirtualClock::at(T0.parse().unwrap()));
    let store = store::open_memory(clock.clone()).unwrap();
    phonedesk::demo::seed_if_empty(&store, &operator()).unwrap();
    World { clock, store }
}

impl World {
    fn session(&self, seed: u64) -> Session {
        Session::new(SessionOptions {
            seed: Some(seed),
            clock: self.clock.clone(),
            operator: operator(),
        })
    }

    /// Starts with `events`, plays `responses`, lets the rest happen.
    fn play(&self, seed: u64, events: Vec<Event>, responses: &[&str]) -> Session {
        let mut s = self.session(seed);
        for e in events {
            s.handle(&self.store, e).unwrap();
        }
        for r in responses {
            self.respond(&mut s, r);
        }
        person::finish(&mut s, &self.store).unwrap();
        s
    }

    fn respond(&self, s: &mut Session, response: &str) {
        let response: Response = response.parse().unwrap();
        person::perform(s, &self.store, &response).unwrap();
    }

    fn advance(&self, seconds: i64) {
        self.clock.set(self.clock.now().plus_secs(seconds));
    }

    fn set_device(&self, number: &str, change: DeviceChange) {
        let number = PhoneNumber::parse_canonical(number).unwrap();
        phonedesk::sim::device::set_device(&self.store, &operator(), &number, &change).unwrap();
    }

    fn fault_everywhere(&self, fault: Fault) {
        for p in phonedesk::sim::telecom::PROVIDERS {
            phonedesk::sim::telecom::set_fault(&self.store, &operator(), p.id, fault).unwrap();
        }
    }

    fn log_for(&self, upn: &str) -> Vec<phonedesk::sim::SignInRecord> {
        log::for_user(self.store.backend(), &Upn::parse(upn).unwrap(), None).unwrap()
    }
}

fn sms_sign_in(number: &str) -> Vec<Event> {
    vec![
        Event::Start(FlowRequest::SmsSignIn),
        Event::TypeNumber(number.into()),
    ]
}

fn mfa(upn: &str, via: Option<Channel>) -> Vec<Event> {
    vec![Event::Start(FlowRequest::Mfa {
        upn: upn.into(),
        via,
        slot: None,
    })]
}

fn mfa_slot(upn: &str, via: Channel, slot: phonedesk::domain::PhoneType) -> Vec<Event> {
    vec![Event::Start(FlowRequest::Mfa {
        upn: upn.into(),
        via: Some(via),
        slot: Some(slot),
    })]
}

fn sspr(upn: &str, via: Option<Channel>) -> Vec<Event> {
    vec![Event::Start(FlowRequest::Sspr {
        upn: upn.into(),
        via,
        slot: None,
    })]
}

fn reason(s: &Session) -> Option<Reason> {
    s.outcome().expect("the attempt ended").reason
}

fn timeline_text(s: &Session) -> String {
    s.timeline()
        .iter()
        .map(|e| e.line())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Starts a text flow and lets the text arrive; returns the session and the code on the phone.
fn code_delivered(w: &World, seed: u64, events: Vec<Event>) -> (Session, String) {
    let mut s = w.session(seed);
    for e in events {
        s.handle(&w.store, e).unwrap();
    }
    s.settle(&w.store).unwrap();
    let code = s.code_on_phone().expect("a code reached the phone");
    (s, code)
}

/// A six-digit code that is not `code`.
fn other_than(code: &str) -> String {
    if code == "000000" { "111111" } else { "000000" }.to_owned()
}

// ---- SMS sign-in -------------------------------------------------------------------------

#[test]
fn sms_sign_in_succeeds_and_is_logged() {
    let w = world();
    let s = w.play(4, sms_sign_in("+1 (206) 555-0101"), &["auto"]);
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    let records = w.log_for("rosa.delgado@fabrikam.example");
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.flow, phonedesk::sim::FlowKind::SmsSignIn);
    assert_eq!(r.number.as_deref(), Some("+1 ********01"));
    assert_eq!(r.channel, Some(Channel::Sms));
    assert!(r.provider.is_some());
    assert_eq!(r.error_code, None);
    assert!(r.steps.iter().any(|st| st.kind == StepKind::SmsDelivered));
    assert_eq!(r.correlation_id, s.correlation_id().unwrap());
}

#[test]
fn sms_sign_in_needs_a_ready_number() {
    let w = world();
    // Priya's mobile is not enabled for SMS sign-in: no one claims the number. The page does not
    // say so (it never reveals whether a number belongs to someone); the log does.
    let s = w.play(1, sms_sign_in("+1 4255550110"), &[]);
    assert_eq!(reason(&s), Some(Reason::SmsSignInNotReady));
    match s.view().screen {
        Screen::Finished { message, .. } => {
            assert_eq!(
                message,
                phonedesk::sim::session::page::end_message(Some(Reason::InvalidFormat))
            );
        }
        other => panic!("{other:?}"),
    }
    // Isabelle is enabled, but her number is a French landline: notConfigured, attributed to her.
    let s = w.play(1, sms_sign_in("+33 199001234"), &[]);
    assert_eq!(reason(&s), Some(Reason::SmsSignInNotReady));
    assert_eq!(w.log_for("isabelle.martin@fabrikam.example").len(), 1);
    // A shared number signs in its first claimant (Sam), never the later one (Jo).
    let s = w.play(1, sms_sign_in("+1 2065550142"), &["auto"]);
    assert!(s.outcome().unwrap().is_success());
    assert_eq!(w.log_for("sam.okafor@fabrikam.example").len(), 1);
    assert!(w.log_for("jo.okafor@fabrikam.example").is_empty());
}

#[test]
fn sms_sign_in_refuses_numbers_it_cannot_read() {
    let w = world();
    let s = w.play(1, sms_sign_in("+1 555"), &[]);
    assert_eq!(reason(&s), Some(Reason::InvalidFormat));
    let s = w.play(1, sms_sign_in("rosa.delgado@fabrikam.example"), &[]);
    assert_eq!(reason(&s), Some(Reason::InvalidFormat));
}

#[test]
fn guests_cannot_use_sms_sign_in() {
    let w = world();
    let mut snapshot = w.store.export().unwrap();
    let guest = snapshot
        .users
        .iter_mut()
        .find(|u| u.is_guest())
        .expect("the demo tenant has a guest");
    // A guest whose mobile was enabled anyway (imported data can say so).
    let mobile = guest.phone_methods.first_mut().unwrap();
    mobile.sms_sign_in_enabled = true;
    mobile.sms_sign_in_since = Some(Timestamp::from_secs(1));
    let number = mobile.phone_number.to_string();
    w.store.import(&operator(), &snapshot, true).unwrap();
    let s = w.play(1, sms_sign_in(&number), &[]);
    assert_eq!(reason(&s), Some(Reason::GuestNotAllowed));
}

// ---- codes -------------------------------------------------------------------------------

#[test]
fn a_wrong_code_then_the_right_one_succeeds() {
    let w = world();
    let (mut s, code) = code_delivered(&w, 11, sms_sign_in("+1 6045550190"));
    s.handle(&w.store, Event::TypeCode(other_than(&code)))
        .unwrap();
    assert!(matches!(
        s.view().screen,
        Screen::EnterCode { wrong_left: 4, .. }
    ));
    s.handle(&w.store, Event::TypeCode(code)).unwrap();
    assert!(s.outcome().unwrap().is_success());
}

#[test]
fn a_wrong_code_left_to_expire_is_incorrect_code() {
    let w = world();
    let (mut s, code) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    s.handle(&w.store, Event::TypeCode(other_than(&code)))
        .unwrap();
    person::finish(&mut s, &w.store).unwrap();
    assert_eq!(reason(&s), Some(Reason::IncorrectCode));
}

#[test]
fn five_wrong_codes_kill_the_challenge_and_a_sixth_guess_is_refused() {
    let w = world();
    let (mut s, code) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    for _ in 0..5 {
        s.handle(&w.store, Event::TypeCode(other_than(&code)))
            .unwrap();
    }
    assert_eq!(reason(&s), Some(Reason::TooManyIncorrectCodes));
    // The right code after the fifth wrong one: still dead.
    s.handle(&w.store, Event::TypeCode(code)).unwrap();
    assert_eq!(reason(&s), Some(Reason::TooManyIncorrectCodes));
    assert_eq!(w.log_for("lucas.meyer@fabrikam.example").len(), 2);
}

#[test]
fn a_replayed_code_is_already_used() {
    let w = world();
    let (mut s, code) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    s.handle(&w.store, Event::TypeCode(code.clone())).unwrap();
    assert!(s.outcome().unwrap().is_success());
    s.handle(&w.store, Event::TypeCode(code)).unwrap();
    assert_eq!(reason(&s), Some(Reason::CodeAlreadyUsed));
    let records = w.log_for("lucas.meyer@fabrikam.example");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].correlation_id, records[1].correlation_id);
    assert_eq!(records[0].attempt, 2);
}

#[test]
fn a_code_never_typed_expires_as_never_entered_and_late_entry_is_expired() {
    let w = world();
    let (mut s, code) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    assert!(s.view().code_expires_in_ms.unwrap() > 170_000);
    s.handle(&w.store, Event::Advance { seconds: 181 }).unwrap();
    assert_eq!(reason(&s), Some(Reason::NeverEntered));
    assert_eq!(s.next_due(), None, "nothing pending once the attempt ended");
    s.handle(&w.store, Event::TypeCode(code)).unwrap();
    assert_eq!(reason(&s), Some(Reason::CodeExpired));
}

#[test]
fn a_backwards_clock_jump_does_not_extend_a_code() {
    let w = world();
    let (mut s, code) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    s.handle(&w.store, Event::ClockJump { seconds: -600 })
        .unwrap();
    s.handle(&w.store, Event::TypeCode(code)).unwrap();
    assert_eq!(reason(&s), Some(Reason::CodeExpired));
}

#[test]
fn a_clock_jump_never_revives_a_challenge() {
    let w = world();
    let now = w.clock.now();
    let code = otp::CodeSource::Seeded(phonedesk::rng::SeededRng::new(1))
        .draw(6)
        .unwrap();
    let challenge = store::transact(w.store.backend(), |txn| {
        otp::issue(
            txn,
            &otp::Issue {
                upn_key: "kim@contoso.example",
                correlation_id: "c",
                code: &code,
                now,
                lifetime_ms: 180_000,
                max_wrong: 5,
                replaces: None,
                secret_candidate: &[9; 32],
            },
        )
    })
    .unwrap();
    let check = |at: Timestamp| {
        store::transact(w.store.backend(), |txn| {
            otp::check(txn, challenge.seq, Some(code.expose()), at).map(|(c, _)| c)
        })
        .unwrap()
    };
    // Ten minutes later the code is dead, and a clock set back to before the issue time does
    // not bring it back.
    assert_eq!(check(now.plus_secs(600)), otp::Check::Expired);
    assert_eq!(check(now.plus_secs(10)), otp::Check::Expired);
    assert!(challenge.expired_at(now.plus_secs(-1)));
}

#[test]
fn resend_kills_the_old_code() {
    let w = world();
    let (mut s, first) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    s.handle(&w.store, Event::Advance { seconds: 20 }).unwrap();
    s.handle(&w.store, Event::Resend).unwrap();
    s.settle(&w.store).unwrap();
    let second = s.code_on_phone().unwrap();
    assert_ne!(first, second);
    s.handle(&w.store, Event::TypeCode(first)).unwrap();
    assert_eq!(
        s.waiting(),
        Waiting::Code,
        "the old code is only a wrong entry"
    );
    assert!(matches!(
        s.view().screen,
        Screen::EnterCode { wrong_left: 4, .. }
    ));
    s.handle(&w.store, Event::TypeCode(second)).unwrap();
    assert!(s.outcome().unwrap().is_success());
}

#[test]
fn a_code_from_another_users_challenge_is_incorrect() {
    let w = world();
    let (mut s, rosas) = code_delivered(&w, 5, sms_sign_in("+1 2065550101"));
    // Olivia's sign-in starts on the same desk; Rosa's code is typed into it.
    s.handle(&w.store, Event::Start(FlowRequest::SmsSignIn))
        .unwrap();
    s.handle(&w.store, Event::TypeNumber("+1 6045550190".into()))
        .unwrap();
    s.settle(&w.store).unwrap();
    let olivias = s.code_on_phone().unwrap();
    assert_ne!(olivias, rosas);
    s.handle(&w.store, Event::TypeCode(rosas)).unwrap();
    person::finish(&mut s, &w.store).unwrap();
    assert_eq!(reason(&s), Some(Reason::IncorrectCode));
    // Rosa's abandoned attempt is logged and her code is dead.
    let rosa = w.log_for("rosa.delgado@fabrikam.example");
    assert_eq!(rosa[0].reason, Some(Reason::NeverEntered));
}

#[test]
fn the_entry_rule_strips_spaces_and_dashes_and_refuses_the_rest_cheaply() {
    let w = world();
    let (mut s, code) = code_delivered(
        &w,
        5,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
    );
    let full_width: String = code
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap())
        .collect();
    s.handle(&w.store, Event::TypeCode(full_width)).unwrap();
    let started = std::time::Instant::now();
    s.handle(&w.store, Event::TypeCode("7".repeat(10_000)))
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert!(matches!(
        s.view().screen,
        Screen::EnterCode { wrong_left: 3, .. }
    ));
    let spaced = format!("{} {}-{}", &code[..2], &code[2..4], &code[4..]);
    s.handle(&w.store, Event::TypeCode(spaced)).unwrap();
    assert!(s.outcome().unwrap().is_success());
}

// ---- voice -------------------------------------------------------------------------------

#[test]
fn a_call_answered_with_pound_succeeds() {
    let w = world();
    let s = w.play(
        3,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    let text = timeline_text(&s);
    assert!(text.contains("press the pound key"), "{text}");
    assert!(text.contains("+1 8553308653"), "US caller ID: {text}");
}

#[test]
fn unanswered_calls_go_to_voicemail_or_nowhere() {
    let w = world();
    let s = w.play(
        7,
        mfa("margaret.hughes@fabrikam.example", Some(Channel::Voice)),
        &["none"],
    );
    assert_eq!(reason(&s), Some(Reason::Voicemail));
    // Marcus's phone is off and forwards to voicemail: straight to voicemail.
    let s = w.play(
        7,
        mfa("marcus.brown@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::Voicemail));
    // Ava has no signal and no voicemail; Noah lets it ring: unable to reach.
    let s = w.play(
        7,
        mfa("ava.thompson@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::UnableToReach));
    let s = w.play(
        7,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["none"],
    );
    assert_eq!(reason(&s), Some(Reason::UnableToReach));
    // Zoe's phone blocks the caller ID.
    let s = w.play(
        7,
        mfa("zoe.clarke@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::UnableToReach));
    let zoe = &w.log_for("zoe.clarke@fabrikam.example")[0];
    assert!(
        zoe.steps
            .iter()
            .any(|st| st.detail.contains("blocked caller ID"))
    );
}

#[test]
fn hanging_up_or_staying_silent_is_denied() {
    let w = world();
    let s = w.play(
        3,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["hangup"],
    );
    assert_eq!(reason(&s), Some(Reason::HungUp));
    let s = w.play(
        3,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["answer"],
    );
    assert_eq!(reason(&s), Some(Reason::NeverEntered));
}

#[test]
fn pin_mode_asks_for_the_pin() {
    let w = world();
    let sofia = "sofia.alvarez@fabrikam.example";
    let s = w.play(3, mfa(sofia, Some(Channel::Voice)), &["keys:1111#"]);
    assert_eq!(reason(&s), Some(Reason::IncorrectPin));
    assert!(timeline_text(&s).contains("enter your PIN"));
    // `auto` does not know the PIN: only `#` is pressed.
    let s = w.play(3, mfa(sofia, Some(Channel::Voice)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::IncorrectPin));
    let s = w.play(3, mfa(sofia, Some(Channel::Voice)), &["keys:2580#"]);
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    // The PIN is never in the timeline or the log.
    assert!(!timeline_text(&s).contains("2580"));
    let json = serde_json::to_string(&w.log_for(sofia)).unwrap();
    assert!(!json.contains("2580"));
}

#[test]
fn a_confirmed_fraud_report_blocks_the_user() {
    let w = world();
    let noah = "noah.patel@fabrikam.example";
    let s = w.play(3, mfa(noah, Some(Channel::Voice)), &["keys:0#1"]);
    assert_eq!(reason(&s), Some(Reason::FraudReported));
    let user = w.store.user(noah).unwrap();
    let block = user.active_block(w.clock.now()).expect("blocked");
    assert_eq!(block.kind, phonedesk::domain::BlockKind::FraudReport);
    let audit = w.store.audit(Some(&Upn::parse(noah).unwrap()), 10).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "user.fraudBlock" && a.operator == "phonedesk-sim")
    );
    // Every later attempt is denied.
    let s = w.play(3, mfa(noah, Some(Channel::Sms)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::UserBlocked));
}

#[test]
fn an_unconfirmed_fraud_report_or_the_knob_off_does_not_block() {
    let w = world();
    let noah = "noah.patel@fabrikam.example";
    let s = w.play(3, mfa(noah, Some(Channel::Voice)), &["keys:0#"]);
    assert_eq!(reason(&s), Some(Reason::FraudReported));
    assert!(w.store.user(noah).unwrap().block.is_none());
    let mut snapshot = w.store.export().unwrap();
    snapshot.policy.verification.fraud_auto_block = false;
    w.store.import(&operator(), &snapshot, true).unwrap();
    let s = w.play(3, mfa(noah, Some(Channel::Voice)), &["keys:0#1"]);
    assert_eq!(reason(&s), Some(Reason::FraudReported));
    assert!(w.store.user(noah).unwrap().block.is_none());
}

#[test]
fn office_extensions_transfer_for_mfa_and_are_removed_for_sspr() {
    let w = world();
    let daniel = "daniel.fischer@fabrikam.example";
    let s = w.play(
        3,
        mfa_slot(daniel, Channel::Voice, phonedesk::domain::PhoneType::Office),
        &["auto"],
    );
    assert!(s.outcome().unwrap().is_success());
    assert!(timeline_text(&s).contains("Please transfer this call to extension 2301."));
    let s = w.play(3, sspr(daniel, Some(Channel::Voice)), &["auto"]);
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    let text = timeline_text(&s);
    assert!(text.contains("removes the extension x2301"), "{text}");
    assert!(!text.contains("transfer this call"), "{text}");
    // Key tones lost on every route: the extension cannot be reached.
    w.fault_everywhere(Fault::DtmfLoss);
    let s = w.play(
        3,
        mfa_slot(daniel, Channel::Voice, phonedesk::domain::PhoneType::Office),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::InvalidExtension));
}

#[test]
fn lost_key_tones_leave_the_call_unanswered() {
    let w = world();
    w.fault_everywhere(Fault::DtmfLoss);
    let s = w.play(
        3,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::NeverEntered));
    assert!(
        s.records()[0]
            .steps
            .iter()
            .any(|st| st.kind == StepKind::DtmfLost)
    );
}

// ---- preconditions -------------------------------------------------------------------------

#[test]
fn preconditions_carry_their_documented_reasons() {
    let w = world();
    let cases: &[(Vec<Event>, Reason)] = &[
        (
            mfa("tomas.silva@fabrikam.example", None),
            Reason::UserBlocked,
        ),
        (
            mfa("elena.petrova@fabrikam.example", None),
            Reason::UserBlocked,
        ),
        (
            mfa("nora.lindqvist@fabrikam.example", None),
            Reason::NoMethodsRegistered,
        ),
        (
            mfa("chen.wei@fabrikam.example", Some(Channel::Voice)),
            Reason::InvalidFormat,
        ),
        (
            mfa("liam.obrien@fabrikam.example", Some(Channel::Sms)),
            Reason::InvalidFormat,
        ),
        (
            mfa_slot(
                "daniel.fischer@fabrikam.example",
                Channel::Sms,
                phonedesk::domain::PhoneType::Office,
            ),
            Reason::TextToVoiceOnlySlot,
        ),
        (
            mfa("margaret.hughes@fabrikam.example", Some(Channel::Sms)),
            Reason::TextToLandline,
        ),
        (
            mfa_slot(
                "hannah.weber@fabrikam.example",
                Channel::Voice,
                phonedesk::domain::PhoneType::Mobile,
            ),
            Reason::MethodNotRegistered,
        ),
        (
            vec![Event::Start(FlowRequest::Sspr {
                upn: "noah.patel@fabrikam.example".into(),
                via: None,
                slot: Some(phonedesk::domain::PhoneType::AlternateMobile),
            })],
            Reason::AlternateNotForSspr,
        ),
    ];
    for (events, expected) in cases {
        let s = w.play(1, events.clone(), &[]);
        assert_eq!(reason(&s), Some(*expected), "{}", timeline_text(&s));
        let record = s.records().last().unwrap();
        assert!(
            record
                .steps
                .iter()
                .any(|st| st.kind == StepKind::PreconditionFailed)
        );
        assert!(record.error_code.is_some());
    }
    assert_eq!(
        Reason::NoMethodsRegistered.text(),
        "user doesn't have any verification methods registered"
    );
}

#[test]
fn an_unknown_user_is_an_error_not_an_attempt() {
    let w = world();
    let mut s = w.session(1);
    let e = s
        .handle(&w.store, mfa("nobody@fabrikam.example", None).remove(0))
        .unwrap_err();
    assert!(e.to_string().contains("no user"));
    assert!(s.records().is_empty());
}

// ---- devices and providers ------------------------------------------------------------------

#[test]
fn texts_meet_the_phone_conditions() {
    let w = world();
    // Priya's line has no messaging service.
    let s = w.play(
        1,
        mfa("priya.raman@fabrikam.example", Some(Channel::Sms)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::SmsNotSent));
    // Marcus's phone is off: the network holds the text; the code runs out.
    let s = w.play(
        1,
        mfa("marcus.brown@fabrikam.example", Some(Channel::Sms)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::UnableToReach));
    assert_eq!(s.view().phone.unwrap().held, 1);
    // A line marked as a landline takes no texts, whatever its number type says.
    w.set_device(
        "+1 4155550115",
        DeviceChange {
            landline: Some(true),
            ..DeviceChange::default()
        },
    );
    let s = w.play(
        1,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::SmsNotSent));
}

#[test]
fn a_held_text_arrives_when_the_phone_comes_back() {
    let w = world();
    let mut s = w.session(1);
    s.handle(
        &w.store,
        mfa("marcus.brown@fabrikam.example", Some(Channel::Sms)).remove(0),
    )
    .unwrap();
    s.settle(&w.store).unwrap();
    assert_eq!(s.code_on_phone(), None);
    s.handle(
        &w.store,
        Event::SetDevice {
            number: PhoneNumber::parse_canonical("+1 2065550171").unwrap(),
            change: DeviceChange {
                powered_on: Some(true),
                ..DeviceChange::default()
            },
        },
    )
    .unwrap();
    w.respond(&mut s, "auto");
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
}

#[test]
fn a_dropped_text_is_a_provider_failure_and_a_resend_takes_another_route() {
    let lucas = "lucas.meyer@fabrikam.example";
    // Which provider seed 5 routes the first text through (same seed, same route).
    let provider = {
        let w = world();
        let mut s = w.session(5);
        s.handle(&w.store, mfa(lucas, Some(Channel::Sms)).remove(0))
            .unwrap();
        assert!(s.records().is_empty(), "the attempt is still waiting");
        let line = s
            .timeline()
            .iter()
            .find(|e| e.text.contains("carries the text"))
            .unwrap()
            .text
            .clone();
        phonedesk::sim::telecom::PROVIDERS
            .iter()
            .find(|p| line.starts_with(p.name))
            .unwrap()
            .id
    };
    let w = world();
    phonedesk::sim::telecom::set_fault(&w.store, &operator(), provider, Fault::SmsDrop).unwrap();
    let s = w.play(5, mfa(lucas, Some(Channel::Sms)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::SmsNotSent));
    assert!(
        s.records()[0]
            .steps
            .iter()
            .any(|st| st.kind == StepKind::SmsNotSent)
    );
    let s = w.play(
        5,
        mfa(lucas, Some(Channel::Sms)),
        &["auto", "resend", "auto"],
    );
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    let record = s.records().last().unwrap();
    assert_ne!(
        record.provider.as_deref(),
        phonedesk::sim::telecom::find(provider).map(|p| p.name)
    );
}

#[test]
fn a_call_that_cannot_be_placed_is_a_provider_failure() {
    let w = world();
    w.fault_everywhere(Fault::CallFail);
    let s = w.play(
        3,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::CallNotPlaced));
    // A retry through a healthy provider gets through.
    phonedesk::sim::telecom::set_fault(&w.store, &operator(), "tailspin", Fault::None).unwrap();
    phonedesk::sim::telecom::set_fault(&w.store, &operator(), "litware", Fault::None).unwrap();
    let mut s = w.session(3);
    for e in mfa("noah.patel@fabrikam.example", Some(Channel::Voice)) {
        s.handle(&w.store, e).unwrap();
    }
    for _ in 0..3 {
        w.respond(&mut s, "auto");
        if s.outcome().is_some_and(|o| o.is_success()) {
            break;
        }
        w.respond(&mut s, "resend");
    }
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
}

#[test]
fn an_unreadable_record_is_a_service_error() {
    let w = world();
    store::transact(w.store.backend(), |txn| {
        txn.insert(TreeId::Devices, b"+1 4155550115", b"not json")
    })
    .unwrap();
    let s = w.play(
        1,
        mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms)),
        &[],
    );
    assert_eq!(reason(&s), Some(Reason::ServiceError));
}

// ---- limits ------------------------------------------------------------------------------

#[test]
fn twenty_quick_resends_hit_the_cap_and_are_audited() {
    let w = world();
    let lucas = "lucas.meyer@fabrikam.example";
    let mut s = w.session(5);
    for e in mfa(lucas, Some(Channel::Sms)) {
        s.handle(&w.store, e).unwrap();
    }
    for _ in 0..20 {
        s.handle(&w.store, Event::Resend).unwrap();
        s.handle(&w.store, Event::Advance { seconds: 1 }).unwrap();
    }
    let records = w.log_for(lucas);
    let throttled = records
        .iter()
        .filter(|r| r.reason == Some(Reason::Throttled))
        .count();
    // Five texts go out (the first and four resends); the fifth resend and every retry after it
    // are refused.
    assert_eq!(otp::issued_count(w.store.backend()).unwrap(), 5);
    assert_eq!(throttled, 16);
    assert!(records.iter().all(|r| r.reason == Some(Reason::Throttled)));
    assert_eq!(records[0].error_code, Some(50088));
    assert!(records[0].steps.iter().any(|st| {
        st.detail
            .contains("you've hit our limit on text verification codes")
    }));
    let audit = w
        .store
        .audit(Some(&Upn::parse(lucas).unwrap()), 100)
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "signIn.throttled")
            .count(),
        16
    );
    // Five minutes later texts go out again.
    s.handle(&w.store, Event::Advance { seconds: 300 }).unwrap();
    w.respond(&mut s, "resend");
    w.respond(&mut s, "auto");
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
}

#[test]
fn five_attempts_within_five_minutes_stay_possible() {
    let w = world();
    for i in 0..5 {
        let s = w.play(
            i,
            mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
            &["none"],
        );
        assert_eq!(reason(&s), Some(Reason::UnableToReach), "attempt {i}");
    }
    let s = w.play(
        9,
        mfa("noah.patel@fabrikam.example", Some(Channel::Voice)),
        &["auto"],
    );
    assert_eq!(reason(&s), Some(Reason::Throttled));
    assert!(timeline_text(&s).contains("refused"));
    let record = s.records().last().unwrap();
    assert!(
        record
            .steps
            .iter()
            .any(|st| st.detail.contains("AADSTS50088"))
    );
}

#[test]
fn five_sspr_validations_in_an_hour_block_sspr_for_a_day() {
    let w = world();
    let lucas = "lucas.meyer@fabrikam.example";
    for _ in 0..5 {
        let s = w.play(5, sspr(lucas, Some(Channel::Sms)), &["auto"]);
        assert!(s.outcome().unwrap().is_success());
        w.advance(600);
    }
    let s = w.play(5, sspr(lucas, Some(Channel::Sms)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::SsprLimitReached));
    let s = w.play(5, mfa(lucas, Some(Channel::Sms)), &["auto"]);
    assert!(s.outcome().unwrap().is_success(), "MFA is not blocked");
    // Still blocked 23 hours later (a refused attempt counts as an attempt)...
    w.advance(23 * 3600);
    let s = w.play(5, sspr(lucas, Some(Channel::Sms)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::SsprLimitReached));
    // ...and free 24 hours after the last attempt.
    w.advance(24 * 3600 + 1);
    let s = w.play(5, sspr(lucas, Some(Channel::Sms)), &["auto"]);
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    let audit = w
        .store
        .audit(Some(&Upn::parse(lucas).unwrap()), 100)
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "sspr.blocked"));
}

#[test]
fn consecutive_failures_grow_delays_and_time_alone_never_clears_them() {
    let w = world();
    let lucas = "lucas.meyer@fabrikam.example";
    let wrong_five = |w: &World| {
        let (mut s, code) = code_delivered(w, 5, mfa(lucas, Some(Channel::Sms)));
        for _ in 0..5 {
            s.handle(&w.store, Event::TypeCode(other_than(&code)))
                .unwrap();
        }
        s
    };
    let s = wrong_five(&w);
    assert_eq!(reason(&s), Some(Reason::TooManyIncorrectCodes));
    // Straight away: the account waits 30 s before anything is sent.
    let s = w.play(5, mfa(lucas, Some(Channel::Sms)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::TooManyFailures));
    w.advance(31);
    let (mut s, code) = code_delivered(&w, 5, mfa(lucas, Some(Channel::Sms)));
    s.handle(&w.store, Event::TypeCode(other_than(&code)))
        .unwrap();
    // The sixth failure: the next check waits 60 s and is not counted.
    s.handle(&w.store, Event::TypeCode(code.clone())).unwrap();
    assert_eq!(s.waiting(), Waiting::Code);
    assert!(timeline_text(&s).contains("not checked"));
    s.handle(&w.store, Event::Advance { seconds: 61 }).unwrap();
    s.handle(&w.store, Event::TypeCode(code)).unwrap();
    assert!(s.outcome().unwrap().is_success(), "{}", timeline_text(&s));
    let failures = |w: &World| {
        store::transact(w.store.backend(), |txn| throttle::failures_in(txn, lucas))
            .unwrap()
            .consecutive
    };
    assert_eq!(failures(&w), 0, "a success clears the count");
    // One wrong entry per attempt, each after the delay the previous one imposed.
    while failures(&w) < throttle::MAX_CONSECUTIVE_FAILURES {
        w.advance(16 * 60);
        let (mut s, code) = code_delivered(&w, 5, mfa(lucas, Some(Channel::Sms)));
        s.handle(&w.store, Event::TypeCode(other_than(&code)))
            .unwrap();
        person::finish(&mut s, &w.store).unwrap();
        assert_eq!(reason(&s), Some(Reason::IncorrectCode));
    }
    let audit = w
        .store
        .audit(Some(&Upn::parse(lucas).unwrap()), 200)
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "signIn.locked"));
    w.advance(16 * 60);
    let s = w.play(5, mfa(lucas, Some(Channel::Sms)), &["auto"]);
    assert_eq!(reason(&s), Some(Reason::TooManyFailures));
    w.advance(365 * 86_400);
    let s = w.play(5, mfa(lucas, Some(Channel::Sms)), &["auto"]);
    assert_eq!(
        reason(&s),
        Some(Reason::TooManyFailures),
        "time alone never unlocks"
    );
    let cleared = throttle::reset_failures(&w.store, &operator(), lucas).unwrap();
    assert_eq!(cleared, throttle::MAX_CONSECUTIVE_FAILURES);
    let s = w.play(5, mfa(lucas, Some(Channel::Sms)), &["auto"]);
    assert!(s.outcome().unwrap().is_success());
}

// ---- determinism, the log, secrecy -----------------------------------------------------------

#[test]
fn the_same_seed_gives_the_same_timeline() {
    let run = |seed: u64| {
        let w = world();
        let s = w.play(
            seed,
            mfa("mia.rossi@fabrikam.example", Some(Channel::Sms)),
            &["auto", "wait:30", "resend", "auto"],
        );
        let records: Vec<_> = s
            .records()
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        (timeline_text(&s), records)
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9).0, run(10).0);
}

#[test]
fn the_sign_in_log_survives_closing_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let clock = Arc::new(VirtualClock::at(T0.parse().unwrap()));
    let written = {
        let store = store::open_sled(&path, clock.clone()).unwrap();
        phonedesk::demo::seed_if_empty(&store, &operator()).unwrap();
        let mut s = Session::new(SessionOptions {
            seed: Some(4),
            clock: clock.clone(),
            operator: operator(),
        });
        for e in sms_sign_in("+1 2065550101") {
            s.handle(&store, e).unwrap();
        }
        person::perform(&mut s, &store, &Response::Code("000000".into())).unwrap();
        person::perform(&mut s, &store, &Response::Auto).unwrap();
        person::finish(&mut s, &store).unwrap();
        s.records().to_vec()
    };
    // Opening waits briefly for sled's background threads to release the closed database's lock.
    let store = store::open_sled(&path, clock.clone()).unwrap();
    let upn = Upn::parse("rosa.delgado@fabrikam.example").unwrap();
    let mut read = log::for_user(store.backend(), &upn, None).unwrap();
    read.reverse();
    assert_eq!(read, written);
    let all = log::query(
        store.backend(),
        &Query {
            user: None,
            since: Some(T0.parse().unwrap()),
            limit: 10,
        },
    )
    .unwrap();
    assert_eq!(all.len(), written.len());
}

#[test]
fn the_log_answers_the_wizards_questions() {
    let w = world();
    let noah = "noah.patel@fabrikam.example";
    w.play(1, mfa(noah, Some(Channel::Voice)), &["none"]);
    w.advance(600);
    let since = w.clock.now();
    w.play(2, mfa(noah, Some(Channel::Voice)), &["hangup"]);
    w.play(3, mfa(noah, Some(Channel::Voice)), &["auto"]);
    let upn = Upn::parse(noah).unwrap();
    let recent = log::for_user(w.store.backend(), &upn, Some(since)).unwrap();
    assert_eq!(recent.len(), 2);
    assert!(recent[0].outcome().is_success(), "newest first");
    assert_eq!(recent[1].reason, Some(Reason::HungUp));
    assert_eq!(
        log::for_user(w.store.backend(), &upn, None).unwrap().len(),
        3
    );
    let json = serde_json::to_value(&recent[1]).unwrap();
    assert_eq!(json["reason"], "hungUp");
    assert_eq!(json["flow"], "mfa");
    assert_eq!(json["channel"], "voice");
}

#[test]
fn codes_never_reach_the_log_the_audit_trail_or_an_export() {
    let w = world();
    let mut codes = Vec::new();
    let mut sessions = Vec::new();
    for (seed, events) in [
        (4, sms_sign_in("+1 2065550101")),
        (5, mfa("lucas.meyer@fabrikam.example", Some(Channel::Sms))),
        (6, sspr("ruby.nguyen@fabrikam.example", Some(Channel::Sms))),
        (11, sms_sign_in("+1 6045550190")),
    ] {
        let (mut s, code) = code_delivered(&w, seed, events);
        s.handle(&w.store, Event::TypeCode(other_than(&code)))
            .unwrap();
        s.handle(&w.store, Event::Resend).unwrap();
        s.settle(&w.store).unwrap();
        let second = s.code_on_phone().unwrap();
        s.handle(&w.store, Event::TypeCode(second.clone())).unwrap();
        codes.push(code);
        codes.push(second);
        sessions.push(s);
    }
    // The codes were real: they are on the virtual phones.
    assert!(sessions.iter().all(|s| s.outcome().unwrap().is_success()));
    let log = serde_json::to_string(
        &log::query(
            w.store.backend(),
            &Query {
                user: None,
                since: None,
                limit: 1000,
            },
        )
        .unwrap(),
    )
    .unwrap();
    let audit = serde_json::to_string(&w.store.audit(None, 1000).unwrap()).unwrap();
    let export = phonedesk::tenant_file::to_json(
        &w.store.export().unwrap(),
        &phonedesk::tenant_file::ExportOptions { reveal: &|_| true },
    );
    let mut raw = String::new();
    for tree in TreeId::ALL {
        w.store
            .backend()
            .scan(tree, &[], &mut |k, v| {
                raw.push_str(&String::from_utf8_lossy(k));
                raw.push_str(&String::from_utf8_lossy(v));
                true
            })
            .unwrap();
    }
    let debug = format!("{:?}", sessions[0].records());
    for code in &codes {
        assert!(!log.contains(code.as_str()), "code in the sign-in log");
        assert!(!audit.contains(code.as_str()), "code in the audit trail");
        assert!(!export.contains(code.as_str()), "code in the export");
        assert!(!raw.contains(code.as_str()), "code in the database");
        assert!(!debug.contains(code.as_str()), "code in Debug output");
    }
}

#[test]
fn every_reason_has_a_stable_name_text_and_code() {
    let mut names = std::collections::HashSet::new();
    for reason in Reason::ALL {
        assert!(names.insert(reason.name()));
        let json = serde_json::to_string(&reason).unwrap();
        assert_eq!(json, format!("\"{}\"", reason.name()));
        assert!(!reason.text().is_empty());
        assert!([50074, 50079, 50088, 500121].contains(&reason.error_code()));
    }
}

#[test]
fn the_view_follows_the_flow_and_times_only_while_pending() {
    let w = world();
    let mut s = w.session(4);
    assert!(matches!(s.view().screen, Screen::Idle));
    assert_eq!(s.next_due(), None);
    s.handle(&w.store, Event::Start(FlowRequest::SmsSignIn))
        .unwrap();
    assert!(matches!(s.view().screen, Screen::EnterPhoneNumber));
    s.handle(&w.store, Event::TypeNumber("+1 2065550101".into()))
        .unwrap();
    assert!(matches!(s.view().screen, Screen::EnterCode { .. }));
    let due = s.next_due().unwrap();
    assert!(s.view().phone.unwrap().inbox.is_empty());
    assert!(s.tick(&w.store, due).unwrap());
    let view = s.view();
    let phone = view.phone.unwrap();
    assert_eq!(phone.inbox.len(), 1);
    assert!(phone.inbox[0].from.to_string().len() >= 5);
    assert!(!format!("{:?}", phone.inbox[0]).contains(&s.code_on_phone().unwrap()));
    // Answering when nothing rings is refused, and changes nothing.
    assert!(s.handle(&w.store, Event::AnswerCall).is_err());
    assert_eq!(s.waiting(), Waiting::Code);
}

#[test]
fn every_demo_plays_step_by_step_to_its_expected_end() {
    for name in phonedesk::sim::demo_script::names() {
        let w = world();
        let script = phonedesk::sim::DemoScript::load(name).unwrap();
        let total = script.steps.len();
        let mut player = phonedesk::sim::DemoPlayer::new(script, w.clock.clone(), operator());
        let mut played = 0;
        while let Some(step) = player.next_step(&w.store).unwrap() {
            played += 1;
            assert_eq!(step.number, played);
            assert_eq!(step.total, total);
            assert!(!step.caption.is_empty());
            assert!(step.timeline_from <= player.session().timeline().len());
        }
        assert!(player.is_finished());
        assert_eq!(played, total, "{name}");
        let verdict = player.verdict(&w.store).unwrap();
        assert!(
            verdict.met,
            "{name}: expected {}, got {}",
            verdict.expected, verdict.actual
        );
        assert_eq!(
            player.session().next_due(),
            None,
            "{name} leaves nothing pending"
        );
    }
}

/// A presenter talks between steps: on a live clock minutes pass before the next key. The
/// demo's world waits for the step: the ringing phone is still ringing when Noah answers.
#[test]
fn a_demo_waits_for_its_next_step_however_long_the_presenter_talks() {
    for name in phonedesk::sim::demo_script::names() {
        let w = world();
        let script = phonedesk::sim::DemoScript::load(name).unwrap();
        let mut player = phonedesk::sim::DemoPlayer::new(script, w.clock.clone(), operator());
        while player.next_step(&w.store).unwrap().is_some() {
            // Four minutes of talk: longer than any ring, greeting or code lifetime.
            w.clock.set(w.clock.now().plus_secs(240));
        }
        let verdict = player.verdict(&w.store).unwrap();
        assert!(
            verdict.met,
            "{name} after pauses: expected {}, got {}",
            verdict.expected, verdict.actual
        );
    }
}
