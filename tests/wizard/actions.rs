//! Each action fixes the problem it names: applied through the store (audited), the check that
//! found the problem runs again and passes. Refusals come from the domain's rules and roles.

use phonedesk::domain::{
    Block, BlockKind, DefaultMethod, Edit, PhoneNumber, PhoneType, SmsSignInState,
};
use phonedesk::sim::Channel;
use phonedesk::store::{AuditTrail, Directory, Record};
use phonedesk::wizard::{Status, Wizard, WizardError};

use crate::support::{World, assert_ticket, current_step, mfa, operator, privileged, upn, world};

/// Applies the pending action named `name` and asserts the re-run check passes.
fn apply_and_recheck(w: &World, wizard: &mut Wizard, name: &str, check: &str) {
    assert_eq!(wizard.pending_action().unwrap().name, name);
    let record = wizard.apply_action(&w.store).unwrap().clone();
    assert_eq!(record.name, name);
    assert!(record.error.is_none(), "{record:?}");
    let again = record.recheck.expect("the check ran again");
    assert_eq!(again.check, check);
    assert_eq!(again.status, Status::Pass, "{}", again.finding);
    let visit = wizard.path().iter().rev().find(|v| v.recheck).unwrap();
    assert_eq!(visit.check, Some(check));
}

fn audited(w: &World, local: &str, action: &str) -> bool {
    let upn = phonedesk::domain::Upn::parse(&upn(local)).unwrap();
    w.store
        .audit(Some(&upn), 50)
        .unwrap()
        .iter()
        .any(|e| e.action == action && e.operator == operator().name)
}

#[test]
fn unblock_user_lifts_an_admin_block() {
    let w = world();
    let mut wizard = w.start("tomas.silva", "user-blocked");
    apply_and_recheck(&w, &mut wizard, "unblock-user", "user-blocked");
    assert!(w.store.user(&upn("tomas.silva")).unwrap().block.is_none());
    assert!(audited(&w, "tomas.silva", "user.unblock"));
    // The walk went on to the next checks and ended at a remedy.
    assert_eq!(current_step(&wizard), "fix.not-blocked");
}

#[test]
fn unblock_user_lifts_a_fraud_block() {
    let w = world();
    let mut wizard = w.start("elena.petrova", "never-arrives");
    apply_and_recheck(&w, &mut wizard, "unblock-user", "user-blocked");
    assert!(w.store.user(&upn("elena.petrova")).unwrap().block.is_none());
}

#[test]
fn replace_number_applies_the_suggested_country_code() {
    let w = world();
    let mut wizard = w.start("liam.obrien", "never-arrives");
    apply_and_recheck(&w, &mut wizard, "replace-number", "number-valid");
    let liam = w.store.user(&upn("liam.obrien")).unwrap();
    assert_eq!(
        liam.method(PhoneType::Mobile).unwrap().phone_number,
        PhoneNumber::parse_canonical("+61 491570157").unwrap()
    );
    assert!(audited(&w, "liam.obrien", "phone.update"));
    let done = &wizard.actions()[0].done;
    assert_eq!(done, &["updated the mobile number to +61 *******57"]);
}

#[test]
fn replace_number_corrects_a_country_mismatch() {
    let w = world();
    // A UK number for a US user whose digits are a valid US number.
    w.edit(
        "ethan.ward",
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: PhoneNumber::parse_canonical("+44 2079460123").unwrap(),
        },
    );
    let mut wizard = w.start("ethan.ward", "never-arrives");
    // A valid foreign number may be right: the swap waits until the caller says the user is not
    // abroad.
    assert_eq!(current_step(&wizard), "arrive.abroad");
    assert!(wizard.pending_action().is_none());
    wizard.answer("not-abroad").unwrap();
    assert_eq!(current_step(&wizard), "fix.correct-country");
    apply_and_recheck(&w, &mut wizard, "replace-number", "country-code");
    let ethan = w.store.user(&upn("ethan.ward")).unwrap();
    assert_eq!(
        ethan.method(PhoneType::Mobile).unwrap().phone_number,
        PhoneNumber::parse_canonical("+1 2079460123").unwrap()
    );
}

#[test]
fn a_user_abroad_keeps_the_foreign_number() {
    let w = world();
    w.edit(
        "ethan.ward",
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: PhoneNumber::parse_canonical("+44 2079460123").unwrap(),
        },
    );
    let mut wizard = w.start("ethan.ward", "never-arrives");
    assert_eq!(current_step(&wizard), "arrive.abroad");
    wizard.answer("abroad").unwrap();
    assert_ne!(current_step(&wizard), "fix.correct-country");
    assert!(
        wizard
            .pending_action()
            .is_none_or(|a| a.name != "replace-number")
    );
    let ethan = w.store.user(&upn("ethan.ward")).unwrap();
    assert_eq!(
        ethan.method(PhoneType::Mobile).unwrap().phone_number,
        PhoneNumber::parse_canonical("+44 2079460123").unwrap()
    );
}

#[test]
fn enable_sms_sign_in_makes_the_number_ready() {
    let w = world();
    let mut wizard = w.start("kwame.mensah", "sms-sign-in");
    apply_and_recheck(&w, &mut wizard, "enable-sms-sign-in", "sms-sign-in-state");
    let kwame = w.store.user(&upn("kwame.mensah")).unwrap();
    let state = w.store.sms_status(&kwame).unwrap().unwrap().state;
    assert_eq!(state, SmsSignInState::Ready);
    assert!(audited(&w, "kwame.mensah", "smsSignIn.enable"));
}

#[test]
fn move_to_office_changes_the_default_and_says_so() {
    let w = world();
    let mut wizard = w.start("margaret.hughes", "never-arrives");
    let description = wizard
        .pending_action()
        .unwrap()
        .description
        .clone()
        .unwrap();
    assert!(
        description.contains("change the default method from voiceMobile to voiceOffice"),
        "{description}"
    );
    apply_and_recheck(&w, &mut wizard, "move-to-office", "landline-in-mobile-slot");
    let margaret = w.store.user(&upn("margaret.hughes")).unwrap();
    assert!(margaret.method(PhoneType::Mobile).is_none());
    assert_eq!(
        margaret.method(PhoneType::Office).unwrap().phone_number,
        PhoneNumber::parse_canonical("+44 2079460123").unwrap()
    );
    assert_eq!(
        margaret.default_mfa_method,
        Some(DefaultMethod::VoiceOffice)
    );
    assert_eq!(wizard.actions()[0].done.len(), 3);
    for action in ["phone.add", "defaultMethod.set", "phone.delete"] {
        assert!(audited(&w, "margaret.hughes", action), "{action}");
    }
    // The walk goes on to the calls: her phone forwards them to voicemail.
    w.device_walk(&mut wizard);
    assert_eq!(current_step(&wizard), "fix.voicemail");
    assert_ticket("after_move_to_office", &wizard);
}

#[test]
fn move_to_office_ends_sms_sign_in_on_the_landline() {
    let w = world();
    let mut wizard = w.start("isabelle.martin", "sms-sign-in");
    apply_and_recheck(&w, &mut wizard, "move-to-office", "landline-in-mobile-slot");
    let isabelle = w.store.user(&upn("isabelle.martin")).unwrap();
    assert!(isabelle.method(PhoneType::Mobile).is_none());
    assert!(w.store.sms_status(&isabelle).unwrap().is_none());
}

#[test]
fn move_to_office_is_refused_while_an_alternate_mobile_exists() {
    let w = world();
    w.edit(
        "margaret.hughes",
        Edit::AddPhone {
            slot: PhoneType::AlternateMobile,
            number: PhoneNumber::parse_canonical("+44 2079460124").unwrap(),
        },
    );
    let mut wizard = w.start("margaret.hughes", "never-arrives");
    let action = wizard.pending_action().unwrap();
    let why = action.unavailable.clone().unwrap();
    assert!(why.contains("an alternate mobile is registered"), "{why}");
    let before = w.store.user(&upn("margaret.hughes")).unwrap();
    assert!(matches!(
        wizard.apply_action(&w.store),
        Err(WizardError::ActionUnavailable(_))
    ));
    assert_eq!(w.store.user(&upn("margaret.hughes")).unwrap(), before);
}

#[test]
fn set_default_avoids_the_extension_password_reset_drops() {
    let w = world();
    let mut wizard = w.start("daniel.fischer", "sspr");
    apply_and_recheck(&w, &mut wizard, "set-default", "sspr-extension");
    let daniel = w.store.user(&upn("daniel.fischer")).unwrap();
    assert_eq!(daniel.default_mfa_method, Some(DefaultMethod::Sms));
    assert!(audited(&w, "daniel.fischer", "defaultMethod.set"));
}

#[test]
fn set_default_sets_one_when_none_is_set() {
    let w = world();
    w.edit("ethan.ward", Edit::SetDefault { method: None });
    let mut wizard = w.start("ethan.ward", "never-arrives");
    apply_and_recheck(&w, &mut wizard, "set-default", "default-method");
    let ethan = w.store.user(&upn("ethan.ward")).unwrap();
    assert_eq!(ethan.default_mfa_method, Some(DefaultMethod::Sms));
}

#[test]
fn reset_verification_clears_the_failure_count() {
    let w = world();
    let five = ["code:000001"; 5];
    w.play(2, mfa("lucas.meyer", Some(Channel::Sms)), &five);
    let mut wizard = w.start("lucas.meyer", "code-rejected");
    apply_and_recheck(&w, &mut wizard, "reset-verification", "failure-lock");
    assert!(audited(&w, "lucas.meyer", "signIn.reset"));
}

#[test]
fn reset_verification_closes_a_stale_code() {
    let w = world();
    let mut s = w.session(2);
    s.handle(
        &w.store,
        phonedesk::sim::Event::Start(mfa("lucas.meyer", Some(Channel::Sms))),
    )
    .unwrap();
    s.settle(&w.store).unwrap();
    drop(s);
    w.advance(600);
    let mut wizard = w.start("lucas.meyer", "code-rejected");
    assert_eq!(current_step(&wizard), "fix.clear-stale-code");
    apply_and_recheck(&w, &mut wizard, "reset-verification", "stale-code");
    let key = upn("lucas.meyer");
    assert!(
        phonedesk::sim::otp::live_for(w.store.backend(), &key)
            .unwrap()
            .is_empty()
    );
}

/// An Authentication Administrator cannot act on an admin: the action says so before anything
/// is tried, and changes nothing; a Privileged Authentication Administrator can.
#[test]
fn actions_respect_the_operator_role_grace() {
    let w = world();
    w.edit(
        "grace.kim",
        Edit::Block {
            reason: "suspicious sign-ins".into(),
        },
    );
    let mut wizard = w.start("grace.kim", "user-blocked");
    let why = wizard
        .pending_action()
        .unwrap()
        .unavailable
        .clone()
        .unwrap();
    assert!(why.contains("privileged-auth-admin"), "{why}");
    assert!(matches!(
        wizard.apply_action(&w.store),
        Err(WizardError::ActionUnavailable(_))
    ));
    assert!(matches!(
        w.store.user(&upn("grace.kim")).unwrap().block,
        Some(Block {
            kind: BlockKind::Admin,
            ..
        })
    ));
    let mut lead = Wizard::start(
        &w.store,
        &privileged(),
        &upn("grace.kim"),
        "user-blocked",
        false,
    )
    .unwrap();
    apply_and_recheck(&w, &mut lead, "unblock-user", "user-blocked");
}

/// The state changed between the wizard's look and the confirmation: the store's rule refuses,
/// and the wizard says what happened.
#[test]
fn an_action_refused_by_the_store_reports_why() {
    let w = world();
    let mut wizard = w.start("tomas.silva", "user-blocked");
    w.edit(
        "tomas.silva",
        Edit::Unblock {
            reason: "done elsewhere".into(),
        },
    );
    match wizard.apply_action(&w.store) {
        Err(WizardError::ActionFailed { done, why }) => {
            assert!(done.is_empty());
            assert!(why.contains("not blocked"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        wizard.actions()[0].error.as_deref(),
        Some("the user is not blocked")
    );
}
