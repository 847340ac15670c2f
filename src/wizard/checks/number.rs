//! Checks on the registered numbers, asking the domain's diagnosis: the shape, validity (with the
//! suggested correction), the country, a landline or a service number in a mobile slot, a country
//! that needs an opt-in, and the extension password reset drops.

use super::{CheckResult, slot_phrase};
use crate::domain::diagnosis::{Finding, FindingKind, diagnose};
use crate::domain::opt_in::needs_opt_in;
use crate::domain::{PhoneMethod, PhoneNumber, PhoneType};
use crate::sim::flow::{FlowKind, plan_verification};
use crate::wizard::facts::Facts;

/// The diagnosis findings of `kind` for each registered number, as finding phrases.
fn problems(f: &Facts, kind: FindingKind, slots: &[PhoneType]) -> Vec<String> {
    f.user
        .phone_methods
        .iter()
        .filter(|m| slots.contains(&m.phone_type))
        .flat_map(|m| {
            let found = diagnose(&m.phone_number, Some(m.phone_type), f.user.usage_location);
            found
                .errors
                .into_iter()
                .chain(found.warnings)
                .filter(|w| w.kind == kind)
                .map(|w| phrase(f, m, &w))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn phrase(f: &Facts, method: &PhoneMethod, finding: &Finding) -> String {
    let mut text = format!(
        "{} {}: {}",
        slot_phrase(method.phone_type),
        f.show(&method.phone_number),
        finding.message
    );
    if let Some(fixed) = &finding.suggestion {
        text.push_str(&format!("; suggested correction {}", f.show(fixed)));
    }
    text
}

fn verdict(found: Vec<String>, fine: &str) -> CheckResult {
    if found.is_empty() {
        CheckResult::pass(fine)
    } else {
        CheckResult::fail(found.join("; "))
    }
}

pub fn shape(f: &Facts) -> CheckResult {
    let mut found = problems(f, FindingKind::Slot, &PhoneType::ALL);
    for m in &f.user.phone_methods {
        if PhoneNumber::parse_canonical(&m.phone_number.to_string()).is_err() {
            found.push(format!(
                "{} {} is not in the canonical +CC NUMBER form",
                slot_phrase(m.phone_type),
                f.show(&m.phone_number)
            ));
        }
    }
    verdict(
        found,
        "every number has the +CC NUMBER form, with an extension only on the office phone",
    )
}

pub fn valid(f: &Facts) -> CheckResult {
    verdict(
        problems(f, FindingKind::InvalidNumber, &PhoneType::ALL),
        "every number is a valid number for its country",
    )
}

pub fn country_code(f: &Facts) -> CheckResult {
    verdict(
        problems(f, FindingKind::CountryMismatch, &PhoneType::ALL),
        "every number belongs to the user's usage location (or none is set)",
    )
}

pub fn landline_in_mobile_slot(f: &Facts) -> CheckResult {
    verdict(
        problems(f, FindingKind::LandlineInMobileSlot, &[PhoneType::Mobile]),
        "the mobile slot holds no fixed-line number",
    )
}

pub fn service_number(f: &Facts) -> CheckResult {
    verdict(
        problems(f, FindingKind::ServiceNumber, &PhoneType::ALL),
        "no toll-free, premium-rate, VoIP or other service number is registered",
    )
}

pub fn country_opt_in(f: &Facts) -> CheckResult {
    let found: Vec<String> = f
        .user
        .phone_methods
        .iter()
        .filter(|m| needs_opt_in(m.phone_number.country_code()))
        .map(|m| {
            format!(
                "{} {} has the country code +{}, where verification texts and calls need the tenant to opt in",
                slot_phrase(m.phone_type),
                f.show(&m.phone_number),
                m.phone_number.country_code()
            )
        })
        .collect();
    verdict(
        found,
        "no number is in a country that needs an opt-in for verification texts and calls",
    )
}

pub fn sspr_extension(f: &Facts) -> CheckResult {
    match plan_verification(&f.user, &f.policy, FlowKind::Sspr, None, None, f.now) {
        Ok(plan) => match &plan.removed_extension {
            Some(_) => CheckResult::fail(format!(
                "password reset calls {} {} without its extension: it dials the main line, and nobody is asked to transfer the call",
                slot_phrase(plan.slot),
                f.show(&plan.registered)
            )),
            None => CheckResult::pass(format!(
                "password reset uses {} {} by {}, with no extension to lose",
                slot_phrase(plan.slot),
                f.show(&plan.registered),
                if plan.channel == crate::sim::Channel::Sms {
                    "text"
                } else {
                    "call"
                }
            )),
        },
        Err(denial) => CheckResult::unknown(format!(
            "password reset cannot use a phone: {}",
            denial.detail
        )),
    }
}
