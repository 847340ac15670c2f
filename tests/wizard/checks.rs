//! Checks on states the store's rules never let the demo tenant reach (an extension in the mobile
//! slot from an old import, a blocked user's route): the facts are edited directly, so each
//! check is seen failing as well as passing.

use phonedesk::domain::{Block, BlockKind, PhoneNumber};
use phonedesk::sim::flow::FlowKind;
use phonedesk::wizard::Status;
use phonedesk::wizard::checks::find;
use phonedesk::wizard::facts::Facts;

use crate::support::{upn, world};

fn facts(local: &str, flow: FlowKind) -> Facts {
    let w = world();
    Facts::gather(&w.store, &upn(local), flow, false).unwrap()
}

fn run(check: &str, facts: &Facts) -> phonedesk::wizard::checks::CheckResult {
    (find(check).unwrap().run)(facts)
}

#[test]
fn number_shape_fails_on_an_extension_outside_the_office_slot() {
    let mut f = facts("rosa.delgado", FlowKind::Mfa);
    assert_eq!(run("number-shape", &f).status, Status::Pass);
    f.user.phone_methods[0].phone_number =
        PhoneNumber::parse_canonical("+1 2065550101x12").unwrap();
    let result = run("number-shape", &f);
    assert_eq!(result.status, Status::Fail);
    assert!(
        result
            .finding
            .contains("the mobile number +1 ********01x**: extensions are only meaningful"),
        "{}",
        result.finding
    );
}

fn blocked(f: &Facts) -> Facts {
    let mut user = f.user.clone();
    user.block = Some(Block {
        kind: BlockKind::Admin,
        reason: "test".into(),
        since: f.now,
        until: None,
    });
    f.with_user(user)
}

#[test]
fn a_blocked_user_has_no_route_and_no_password_reset_phone() {
    let f = blocked(&facts("daniel.fischer", FlowKind::Sspr));
    let route = run("planned-route", &f);
    assert_eq!((route.status, route.case), (Status::Unknown, Some("none")));
    assert!(
        route.finding.contains("cannot reach a phone"),
        "{}",
        route.finding
    );
    let sspr = run("sspr-extension", &f);
    assert_eq!(sspr.status, Status::Unknown);
}

#[test]
fn with_user_recomputes_the_route_and_the_sms_state() {
    let f = facts("kwame.mensah", FlowKind::SmsSignIn);
    assert_eq!(run("sms-sign-in-state", &f).case, Some("notEnabled"));
    let mut user = f.user.clone();
    user.phone_methods[0].sms_sign_in_enabled = true;
    user.phone_methods[0].sms_sign_in_since = Some(f.now);
    assert_eq!(
        run("sms-sign-in-state", &f.with_user(user)).status,
        Status::Pass
    );
}

#[test]
fn every_check_answers_only_what_it_declares() {
    let samples = [
        facts("rosa.delgado", FlowKind::Mfa),
        facts("liam.obrien", FlowKind::Mfa),
        facts("hannah.weber", FlowKind::Sspr),
        facts("isabelle.martin", FlowKind::SmsSignIn),
        blocked(&facts("noah.patel", FlowKind::Mfa)),
    ];
    for check in phonedesk::wizard::checks::CHECKS {
        for f in &samples {
            let result = (check.run)(f);
            assert!(
                check
                    .outcomes
                    .iter()
                    .any(|(s, c)| *s == result.status && *c == result.case),
                "{} answered {:?} {:?}",
                check.name,
                result.status,
                result.case
            );
            assert!(!result.finding.is_empty(), "{}", check.name);
        }
    }
}

/// Every action the tree may name has a plan: planned on any user, it either plans or says why
/// it cannot, never that it does not exist.
#[test]
fn every_action_has_a_plan() {
    let samples = [
        facts("tomas.silva", FlowKind::Mfa),
        facts("liam.obrien", FlowKind::Mfa),
        facts("rosa.delgado", FlowKind::Mfa),
    ];
    for action in phonedesk::wizard::actions::ACTIONS {
        for f in &samples {
            match phonedesk::wizard::actions::plan(
                action.name,
                f,
                None,
                &crate::support::operator(),
            ) {
                Ok(plan) => assert!(!plan.description.is_empty()),
                Err(why) => assert!(!why.contains("has no plan"), "{}: {why}", action.name),
            }
        }
    }
}
