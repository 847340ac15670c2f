//! The session as data: what `--json` prints and what the ticket note is rendered from. Numbers
//! are masked unless the operator revealed them; sign-in records carry masked numbers already
//! and never a code.

use serde::Serialize;

use super::WizardError;
use super::checks;
use super::facts::{Facts, Route};
use super::path::{ActionRecord, Current, PendingAction, Visit};
use super::session::Wizard;
use super::tree::Answer;
use crate::domain::diagnosis::diagnose;
use crate::domain::sanitize::display_safe;
use crate::domain::{PhoneType, Timestamp};
use crate::sim::log::SignInRecord;

/// The most sign-in lines a report carries (newest kept).
pub const MAX_LOG_LINES: usize = 20;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportUser {
    pub user_principal_name: String,
    pub display_name: String,
    pub usage_location: Option<String>,
    pub default_method: Option<String>,
    pub phones: Vec<ReportPhone>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportPhone {
    pub phone_type: PhoneType,
    /// Masked unless revealed.
    pub phone_number: String,
}

#[derive(Serialize)]
pub struct ReportSymptom {
    pub name: String,
    pub title: String,
}

/// Where the walk stands.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ReportCurrent<'a> {
    #[serde(rename_all = "camelCase")]
    Question {
        step: &'a str,
        title: &'a str,
        text: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        help: Option<&'a str>,
        answers: &'a [Answer],
        device_shortcut: bool,
    },
    #[serde(rename_all = "camelCase")]
    Remedy {
        step: &'a str,
        title: &'a str,
        text: &'a str,
        action: Option<&'a PendingAction>,
        retry_in_sign_in: bool,
        support_case: bool,
    },
}

/// One sign-in attempt, as a ticket and a support case want it.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    pub started_at: Timestamp,
    pub correlation_id: String,
    pub attempt: u32,
    pub flow: &'static str,
    pub channel: Option<&'static str>,
    pub phone_type: Option<PhoneType>,
    /// Masked, as the log keeps it.
    pub phone_number: Option<String>,
    pub provider: Option<String>,
    pub result: &'static str,
    pub reason: Option<&'static str>,
    pub reason_text: Option<&'static str>,
    pub error_code: Option<u32>,
    /// The attempt failed at the telecom provider.
    pub provider_fault: bool,
}

impl LogLine {
    fn of(r: &SignInRecord) -> Self {
        Self {
            started_at: r.started_at,
            correlation_id: r.correlation_id.clone(),
            attempt: r.attempt,
            flow: r.flow.as_str(),
            channel: r.channel.map(|c| c.as_str()),
            phone_type: r.slot,
            phone_number: r.number.clone(),
            provider: r.provider.clone(),
            result: r.result.as_str(),
            reason: r.reason.map(|x| x.name()),
            reason_text: r.reason.map(|x| x.text()),
            error_code: r.error_code,
            provider_fault: checks::log_provider_fault(r),
        }
    }
}

/// What Microsoft's support case asks for after the retries failed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportCase {
    pub display_name: String,
    pub user_principal_name: String,
    /// Masked unless revealed.
    pub phone_number: Option<String>,
    pub phone_type: Option<PhoneType>,
    /// The region and calling code of the number (`US (+1)`).
    pub country: Option<String>,
    /// The attempts that failed at the provider, oldest first.
    pub failed_attempts: Vec<LogLine>,
    pub providers: Vec<String>,
    /// Each reason with how often it was logged.
    pub reasons: Vec<(String, usize)>,
}

/// The whole session.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report<'a> {
    pub user: ReportUser,
    pub symptom: ReportSymptom,
    /// When the facts were read.
    pub at: Timestamp,
    pub operator: String,
    /// Numbers are shown in full (the reveal was audited).
    pub revealed: bool,
    pub path: &'a [Visit],
    pub current: ReportCurrent<'a>,
    pub actions: &'a [ActionRecord],
    /// The user's attempts of the last day, oldest first.
    pub sign_ins: Vec<LogLine>,
    pub support_case: Option<SupportCase>,
}

pub(super) fn build(w: &Wizard) -> Result<Report<'_>, WizardError> {
    let facts = w.facts();
    let current = match w.current()? {
        Current::Question {
            step,
            text,
            help,
            answers,
            device_shortcut,
        } => ReportCurrent::Question {
            step: &step.name,
            title: &step.title,
            text,
            help,
            answers,
            device_shortcut,
        },
        Current::Remedy {
            step,
            text,
            action,
            retry_in_sign_in,
            support_case,
        } => ReportCurrent::Remedy {
            step: &step.name,
            title: &step.title,
            text,
            action,
            retry_in_sign_in,
            support_case,
        },
    };
    let support = matches!(
        current,
        ReportCurrent::Remedy {
            support_case: true,
            ..
        }
    );
    let mut sign_ins: Vec<LogLine> = facts
        .log
        .iter()
        .take(MAX_LOG_LINES)
        .map(LogLine::of)
        .collect();
    sign_ins.reverse();
    Ok(Report {
        user: user(facts),
        symptom: ReportSymptom {
            name: w.symptom().name.clone(),
            title: w.symptom().title.clone(),
        },
        at: facts.now,
        operator: display_safe(&w.operator().name).into_owned(),
        revealed: facts.reveal,
        path: w.path(),
        current,
        actions: w.actions(),
        support_case: support.then(|| support_case(facts, &sign_ins)),
        sign_ins,
    })
}

fn user(f: &Facts) -> ReportUser {
    ReportUser {
        user_principal_name: f.user.upn().to_string(),
        display_name: display_safe(&f.user.display_name).into_owned(),
        usage_location: f.user.usage_location.map(|r| r.code().to_owned()),
        default_method: f.user.default_mfa_method.map(|m| m.as_str().to_owned()),
        phones: f
            .user
            .phone_methods
            .iter()
            .map(|m| ReportPhone {
                phone_type: m.phone_type,
                phone_number: f.show(&m.phone_number),
            })
            .collect(),
    }
}

fn support_case(f: &Facts, lines: &[LogLine]) -> SupportCase {
    let phone = match &f.route {
        Route::Planned { number, slot, .. } => Some((number.clone(), *slot)),
        Route::Refused(_) => f
            .user
            .phone_methods
            .first()
            .map(|m| (m.phone_number.clone(), m.phone_type)),
    };
    let country = phone.as_ref().map(|(number, _)| {
        let region = diagnose(number, None, None)
            .region
            .unwrap_or_else(|| "?".into());
        format!("{region} (+{})", number.country_code())
    });
    let failed: Vec<LogLine> = lines.iter().filter(|l| l.provider_fault).cloned().collect();
    let mut providers: Vec<String> = failed.iter().filter_map(|l| l.provider.clone()).collect();
    providers.sort();
    providers.dedup();
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for line in &failed {
        let text = line.reason_text.unwrap_or("unknown").to_owned();
        match reasons.iter_mut().find(|(r, _)| *r == text) {
            Some((_, n)) => *n += 1,
            None => reasons.push((text, 1)),
        }
    }
    SupportCase {
        display_name: display_safe(&f.user.display_name).into_owned(),
        user_principal_name: f.user.upn().to_string(),
        phone_number: phone.as_ref().map(|(n, _)| f.show(n)),
        phone_type: phone.map(|(_, slot)| slot),
        country,
        failed_attempts: failed,
        providers,
        reasons,
    }
}
