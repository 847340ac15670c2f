//! Every troubleshooting scenario of the demo tenant, and the log-based ones made by playing real
//! sign-ins first: with no answers, the wizard reaches the right finding first. Each ticket note
//! is snapshot-tested.

use phonedesk::domain::{DefaultMethod, Edit, PhoneNumber, PhoneType};
use phonedesk::sim::{Channel, Event, Fault, Reason};
use phonedesk::wizard::Current;

use crate::support::{
    assert_first_finding, assert_ticket, current_step, first_finding, mfa, sspr, world,
};

// ---- the account ----------------------------------------------------------------------------

#[test]
fn admin_block_tomas() {
    let w = world();
    let wizard = w.start("tomas.silva", "user-blocked");
    assert_first_finding(
        &wizard,
        "blocked.user",
        &["blocked by an administrator", "Lost phone reported"],
    );
    assert_eq!(current_step(&wizard), "fix.unblock");
    assert_ticket("admin_block", &wizard);
}

#[test]
fn fraud_block_elena() {
    let w = world();
    let wizard = w.start("elena.petrova", "user-blocked");
    assert_first_finding(
        &wizard,
        "blocked.user",
        &["blocked after a fraud report", "until 2027-02-23T08:30:00Z"],
    );
    assert_ticket("fraud_block", &wizard);
}

#[test]
fn fraud_reported_during_a_call_blocks_noah() {
    let w = world();
    let s = w.play(4, mfa("noah.patel", Some(Channel::Voice)), &["keys:0#1"]);
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::FraudReported));
    let wizard = w.start("noah.patel", "user-blocked");
    assert_first_finding(&wizard, "blocked.user", &["blocked after a fraud report"]);
    assert_ticket("fraud_reported_in_call", &wizard);
}

#[test]
fn no_methods_nora() {
    let w = world();
    let wizard = w.start("nora.lindqvist", "no-method");
    assert_first_finding(&wizard, "nomethod.methods", &["no phone methods"]);
    assert_eq!(current_step(&wizard), "fix.register-phone");
    assert_ticket("no_methods", &wizard);
}

#[test]
fn no_default_method() {
    let w = world();
    w.edit("ethan.ward", Edit::SetDefault { method: None });
    let wizard = w.start("ethan.ward", "never-arrives");
    assert_first_finding(&wizard, "arrive.default", &["no default MFA method"]);
    assert_ticket("no_default", &wizard);
}

// ---- the numbers ----------------------------------------------------------------------------

#[test]
fn wrong_country_code_liam() {
    let w = world();
    let wizard = w.start("liam.obrien", "never-arrives");
    assert_first_finding(
        &wizard,
        "arrive.valid",
        &[
            "not a valid number for +1 (US)",
            "suggested correction +61 *******57",
        ],
    );
    let action = wizard.pending_action().unwrap();
    assert_eq!(action.name, "replace-number");
    assert_eq!(
        action.description.as_deref(),
        Some("Replace the mobile number +1 *******57 with +61 *******57")
    );
    assert_ticket("wrong_country_code", &wizard);
}

#[test]
fn right_shape_but_invalid_chen() {
    let w = world();
    let wizard = w.start("chen.wei", "never-arrives");
    assert_first_finding(&wizard, "arrive.valid", &["not a valid number for +1 (US)"]);
    let action = wizard.pending_action().unwrap();
    assert!(action.description.is_none());
    assert!(
        action
            .unavailable
            .as_deref()
            .unwrap()
            .contains("no correction")
    );
    assert_ticket("invalid_number", &wizard);
}

#[test]
fn a_number_from_another_country() {
    let w = world();
    w.edit(
        "ethan.ward",
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: PhoneNumber::parse_canonical("+61 491570156").unwrap(),
        },
    );
    let mut wizard = w.start("ethan.ward", "never-arrives");
    assert_first_finding(
        &wizard,
        "arrive.country",
        &["a +61 (AU) number, but the user's usage location is US"],
    );
    // The number is valid, so the wizard asks before it treats the country code as wrong.
    assert_eq!(current_step(&wizard), "arrive.abroad");
    wizard.answer("not-abroad").unwrap();
    assert_ticket("country_mismatch", &wizard);
}

#[test]
fn a_country_that_needs_an_opt_in() {
    let w = world();
    w.edit(
        "ethan.ward",
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: PhoneNumber::parse_canonical("+374 77123456").unwrap(),
        },
    );
    let wizard = w.start("ethan.ward", "never-arrives");
    assert_first_finding(&wizard, "arrive.opt-in", &["+374", "opt in"]);
    assert_eq!(current_step(&wizard), "fix.opt-in");
    assert_ticket("opt_in_country", &wizard);
}

#[test]
fn landline_in_the_mobile_slot_margaret() {
    let w = world();
    let wizard = w.start("margaret.hughes", "never-arrives");
    assert_first_finding(
        &wizard,
        "arrive.landline",
        &["a fixed-line number in the mobile slot cannot receive text messages"],
    );
    assert_ticket("landline_in_mobile_slot", &wizard);
}

#[test]
fn toll_free_in_the_mobile_slot_victor() {
    let w = world();
    let wizard = w.start("victor.hale", "never-arrives");
    assert_first_finding(&wizard, "arrive.service", &["a toll-free number"]);
    assert_eq!(current_step(&wizard), "fix.real-mobile");
    assert_ticket("toll_free", &wizard);
}

#[test]
fn extension_on_the_password_reset_phone_daniel() {
    let w = world();
    let wizard = w.start("daniel.fischer", "sspr");
    assert_first_finding(
        &wizard,
        "sspr.extension",
        &[
            "password reset calls the office number",
            "without its extension",
        ],
    );
    assert_ticket("sspr_extension", &wizard);
}

#[test]
fn office_phone_only_hannah() {
    let w = world();
    let wizard = w.start("hannah.weber", "sspr");
    assert_first_finding(&wizard, "sspr.extension", &["without its extension"]);
    let action = wizard.pending_action().unwrap();
    assert!(
        action
            .unavailable
            .as_deref()
            .unwrap()
            .contains("register another phone")
    );
    assert_ticket("office_only", &wizard);
}

// ---- SMS sign-in ----------------------------------------------------------------------------

#[test]
fn sms_sign_in_on_a_landline_isabelle() {
    let w = world();
    let wizard = w.start("isabelle.martin", "sms-sign-in");
    let found = first_finding(&wizard);
    assert_eq!(found.case, Some("notConfigured"));
    assert_first_finding(
        &wizard,
        "sms.state",
        &["SMS sign-in not configured", "fixed line"],
    );
    assert_eq!(current_step(&wizard), "fix.move-landline");
    assert_ticket("sms_sign_in_not_configured", &wizard);
}

#[test]
fn sms_sign_in_number_not_unique_jo() {
    let w = world();
    let wizard = w.start("jo.okafor", "sms-sign-in");
    assert_first_finding(
        &wizard,
        "sms.state",
        &["SMS sign-in not unique", "sam.okafor@fabrikam.example"],
    );
    assert_ticket("sms_sign_in_not_unique", &wizard);
}

#[test]
fn sms_sign_in_outside_the_policy_priya() {
    let w = world();
    let wizard = w.start("priya.raman", "sms-sign-in");
    assert_first_finding(&wizard, "sms.state", &["SMS sign-in not in policy"]);
    assert_eq!(current_step(&wizard), "fix.sms-policy");
    assert_ticket("sms_sign_in_not_in_policy", &wizard);
}

#[test]
fn sms_sign_in_not_enabled_kwame() {
    let w = world();
    let wizard = w.start("kwame.mensah", "sms-sign-in");
    assert_first_finding(&wizard, "sms.state", &["SMS sign-in not enabled"]);
    assert_eq!(wizard.pending_action().unwrap().name, "enable-sms-sign-in");
    assert_ticket("sms_sign_in_not_enabled", &wizard);
}

// ---- the sign-in log --------------------------------------------------------------------------

#[test]
fn call_to_voicemail_margaret() {
    let w = world();
    let s = w.play(7, mfa("margaret.hughes", Some(Channel::Voice)), &["none"]);
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::Voicemail));
    let wizard = w.start("margaret.hughes", "call-fails");
    assert_first_finding(
        &wizard,
        "call.voicemail",
        &["went to voicemail", s.correlation_id().unwrap()],
    );
    assert_eq!(current_step(&wizard), "phone.call-power");
    assert_ticket("voicemail", &wizard);
}

#[test]
fn phone_switched_off_marcus() {
    let w = world();
    w.play(1, mfa("marcus.brown", None), &["auto"]);
    let wizard = w.start("marcus.brown", "never-arrives");
    assert_first_finding(
        &wizard,
        "text.unreachable",
        &["could not reach the phone", "switched off"],
    );
    assert_ticket("phone_off", &wizard);
}

#[test]
fn no_signal_ava() {
    let w = world();
    w.play(1, mfa("ava.thompson", None), &["auto"]);
    let wizard = w.start("ava.thompson", "never-arrives");
    assert_first_finding(&wizard, "text.unreachable", &["no signal"]);
    assert_ticket("no_signal", &wizard);
}

#[test]
fn no_messaging_service_priya() {
    let w = world();
    let s = w.play(1, mfa("priya.raman", Some(Channel::Sms)), &["auto"]);
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::SmsNotSent));
    let wizard = w.start("priya.raman", "never-arrives");
    assert_first_finding(&wizard, "text.provider", &["SMS could not be sent"]);
    assert_eq!(current_step(&wizard), "phone.sms-service");
    assert_ticket("no_sms_service", &wizard);
}

#[test]
fn blocked_short_codes_mia() {
    let w = world();
    let s = w.play(9, mfa("mia.rossi", None), &["auto"]);
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::NeverEntered));
    let wizard = w.start("mia.rossi", "never-arrives");
    assert_first_finding(&wizard, "text.unread", &["never completed"]);
    assert_eq!(current_step(&wizard), "phone.blocked-sender");
    assert_ticket("blocked_sender", &wizard);
}

#[test]
fn blocked_caller_id_zoe() {
    let w = world();
    w.play(1, mfa("zoe.clarke", None), &["auto"]);
    let wizard = w.start("zoe.clarke", "never-arrives");
    assert_first_finding(&wizard, "voice.unreachable", &["could not reach the phone"]);
    assert_eq!(current_step(&wizard), "phone.call-power");
    assert_ticket("blocked_caller_id", &wizard);
}

#[test]
fn wrong_pin_sofia() {
    let w = world();
    w.play(1, mfa("sofia.alvarez", None), &["keys:1111#"]);
    let wizard = w.start("sofia.alvarez", "call-fails");
    assert_first_finding(&wizard, "call.pin", &["wrong PIN"]);
    assert_eq!(current_step(&wizard), "fix.pin");
    assert_ticket("wrong_pin", &wizard);
}

/// Five calls that no provider can place, within five minutes: the support case, with the
/// details it asks for in the ticket.
#[test]
fn five_provider_failures_noah() {
    let w = world();
    w.fault_everywhere(Fault::CallFail);
    for seed in 0..5 {
        w.play(3 + seed, mfa("noah.patel", Some(Channel::Voice)), &["auto"]);
        w.advance(40);
    }
    let wizard = w.start("noah.patel", "never-arrives");
    assert_first_finding(
        &wizard,
        "voice.provider",
        &["5 attempts failed at the telecom provider"],
    );
    assert_eq!(current_step(&wizard), "fix.support-case");
    let report = wizard.report().unwrap();
    let case = report.support_case.as_ref().unwrap();
    assert_eq!(case.failed_attempts.len(), 5);
    assert_eq!(case.country.as_deref(), Some("US (+1)"));
    assert_eq!(case.phone_number.as_deref(), Some("+1 ********12"));
    assert_ticket("support_case", &wizard);
}

#[test]
fn fewer_than_five_provider_failures_means_retry() {
    let w = world();
    w.fault_everywhere(Fault::CallFail);
    w.play(3, mfa("noah.patel", Some(Channel::Voice)), &["auto"]);
    let wizard = w.start("noah.patel", "never-arrives");
    assert_first_finding(
        &wizard,
        "voice.provider",
        &["1 attempt failed at the telecom provider"],
    );
    assert_eq!(current_step(&wizard), "fix.retry");
    let finding = wizard
        .path()
        .iter()
        .find(|v| v.step == "retry.five")
        .unwrap();
    assert!(
        finding
            .finding
            .as_deref()
            .unwrap()
            .contains("fewer than the 5")
    );
    assert!(matches!(
        wizard.current().unwrap(),
        Current::Remedy {
            retry_in_sign_in: true,
            ..
        }
    ));
    assert_ticket("retry_below_five", &wizard);
}

#[test]
fn throttled_by_the_send_limit_lucas() {
    let w = world();
    let s = w.play(
        2,
        mfa("lucas.meyer", Some(Channel::Sms)),
        &["resend", "resend", "resend", "resend", "resend"],
    );
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::Throttled));
    let wizard = w.start("lucas.meyer", "limit-reached");
    assert_first_finding(
        &wizard,
        "limit.throttled",
        &[
            "refused by the send limit",
            "5 texts and 5 calls per user and per number in 300 s",
        ],
    );
    assert_ticket("throttled", &wizard);
}

#[test]
fn wrong_codes_lucas() {
    let w = world();
    w.play(2, mfa("lucas.meyer", Some(Channel::Sms)), &["code:000001"]);
    let wizard = w.start("lucas.meyer", "code-rejected");
    assert_first_finding(&wizard, "code.wrong", &["ended with a wrong code"]);
    assert_eq!(current_step(&wizard), "code.latest");
    assert_ticket("wrong_codes", &wizard);
}

#[test]
fn code_typed_after_it_expired_lucas() {
    let w = world();
    let mut s = w.session(2);
    s.handle(
        &w.store,
        Event::Start(mfa("lucas.meyer", Some(Channel::Sms))),
    )
    .unwrap();
    s.settle(&w.store).unwrap();
    let code = s.code_on_phone().unwrap();
    s.handle(&w.store, Event::Advance { seconds: 200 }).unwrap();
    s.handle(&w.store, Event::TypeCode(code.clone())).unwrap();
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::CodeExpired));
    let wizard = w.start("lucas.meyer", "code-rejected");
    assert_first_finding(
        &wizard,
        "code.expired",
        &["after it expired", "a code lives 180 s"],
    );
    assert!(!wizard.ticket().unwrap().contains(&code));
    assert_ticket("code_expired", &wizard);
}

#[test]
fn code_used_twice_lucas() {
    let w = world();
    let mut s = w.session(2);
    s.handle(
        &w.store,
        Event::Start(mfa("lucas.meyer", Some(Channel::Sms))),
    )
    .unwrap();
    s.settle(&w.store).unwrap();
    let code = s.code_on_phone().unwrap();
    s.handle(&w.store, Event::TypeCode(code.clone())).unwrap();
    assert!(s.outcome().unwrap().is_success());
    w.advance(20);
    s.handle(&w.store, Event::TypeCode(code.clone())).unwrap();
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::CodeAlreadyUsed));
    let wizard = w.start("lucas.meyer", "code-rejected");
    assert_first_finding(&wizard, "code.reused", &["already used once"]);
    assert!(!wizard.ticket().unwrap().contains(&code));
    assert_ticket("code_reused", &wizard);
}

#[test]
fn failures_in_a_row_hold_the_account_back() {
    let w = world();
    let five = ["code:000001"; 5];
    let s = w.play(2, mfa("lucas.meyer", Some(Channel::Sms)), &five);
    assert_eq!(
        s.outcome().unwrap().reason,
        Some(Reason::TooManyIncorrectCodes)
    );
    let wizard = w.start("lucas.meyer", "code-rejected");
    assert_first_finding(
        &wizard,
        "code.lock",
        &[
            "5 failed verifications in a row",
            "the next check is allowed at",
        ],
    );
    assert_eq!(wizard.pending_action().unwrap().name, "reset-verification");
    assert_ticket("failure_delay", &wizard);
}

#[test]
fn a_code_left_open_by_an_abandoned_sign_in() {
    let w = world();
    let mut s = w.session(2);
    s.handle(
        &w.store,
        Event::Start(mfa("lucas.meyer", Some(Channel::Sms))),
    )
    .unwrap();
    s.settle(&w.store).unwrap();
    // The app closed: nobody ends the attempt, the code stays live in the store.
    drop(s);
    w.advance(600);
    let wizard = w.start("lucas.meyer", "code-rejected");
    assert_first_finding(&wizard, "code.stale", &["1 code was never closed"]);
    assert_ticket("stale_code", &wizard);
}

#[test]
fn password_reset_blocked_by_its_limit() {
    let w = world();
    for seed in 0..5 {
        w.play(10 + seed, sspr("rosa.delgado"), &["auto"]);
        w.advance(20);
    }
    let wizard = w.start("rosa.delgado", "sspr");
    assert_first_finding(&wizard, "sspr.limit", &["password reset is blocked until"]);
    assert_eq!(current_step(&wizard), "fix.wait-sspr");
    assert_ticket("sspr_limit", &wizard);
}

#[test]
fn the_default_method_texts_a_landline() {
    let w = world();
    w.edit(
        "margaret.hughes",
        Edit::SetDefault {
            method: Some(DefaultMethod::Sms),
        },
    );
    let wizard = w.start("margaret.hughes", "no-method");
    // The caller still has the phone; the default method is what is wrong.
    let mut wizard = wizard;
    wizard.answer("yes").unwrap();
    assert_first_finding(&wizard, "nomethod.default", &["cannot receive texts"]);
    assert_ticket("default_texts_landline", &wizard);
}

#[test]
fn key_tones_lost_on_every_route_noah() {
    let w = world();
    w.fault_everywhere(Fault::DtmfLoss);
    w.play(3, mfa("noah.patel", Some(Channel::Voice)), &["auto"]);
    let wizard = w.start("noah.patel", "call-fails");
    assert_first_finding(&wizard, "call.tones", &["lost the key tones"]);
    assert_eq!(current_step(&wizard), "fix.retry");
    assert_ticket("key_tones_lost", &wizard);
}

#[test]
fn transfer_to_the_extension_fails_daniel() {
    let w = world();
    w.fault_everywhere(Fault::DtmfLoss);
    let request = phonedesk::sim::FlowRequest::Mfa {
        upn: crate::support::upn("daniel.fischer"),
        via: Some(Channel::Voice),
        slot: Some(PhoneType::Office),
    };
    let s = w.play(3, request, &["auto"]);
    assert_eq!(s.outcome().unwrap().reason, Some(Reason::InvalidExtension));
    let wizard = w.start("daniel.fischer", "call-fails");
    assert_first_finding(
        &wizard,
        "call.extension",
        &["could not be transferred to the extension"],
    );
    assert_eq!(current_step(&wizard), "fix.extension");
    assert_ticket("invalid_extension", &wizard);
}

#[test]
fn hung_up_before_approving_noah() {
    let w = world();
    w.play(3, mfa("noah.patel", Some(Channel::Voice)), &["hangup"]);
    let wizard = w.start("noah.patel", "call-fails");
    assert_first_finding(&wizard, "call.hung-up", &["hanging up"]);
    assert_eq!(current_step(&wizard), "fix.press-pound");
    assert_ticket("hung_up", &wizard);
}

#[test]
fn sms_sign_in_for_a_guest_ahmed() {
    let w = world();
    let wizard = w.start("ahmed.haddad_partner.example#ext#", "sms-sign-in");
    assert_eq!(first_finding(&wizard).case, Some("notSupported"));
    assert_eq!(current_step(&wizard), "fix.sms-guest");
    assert_ticket("sms_sign_in_guest", &wizard);
}

#[test]
fn sms_sign_in_without_a_mobile_hannah() {
    let w = world();
    let wizard = w.start("hannah.weber", "sms-sign-in");
    assert_eq!(first_finding(&wizard).case, Some("noMobile"));
    assert_eq!(current_step(&wizard), "fix.register-phone");
    assert_ticket("sms_sign_in_no_mobile", &wizard);
}
