//! A real tenant's sign-in log in phonedesk's words: each `status.errorCode` mapped to the
//! reasons the simulator uses (GRAPH.md §4.4, DOMAIN.md §5), an unknown code kept as it is, and
//! Microsoft's own texts kept beside it for the operator.

use super::tenant::TenantSignIn;
use crate::domain::Timestamp;
use crate::domain::signin::{FlowKind, Reason, SignInRecord, SignInResult, Step, StepKind};

/// The reason an error code stands for. The MFA failures (50074, 500121) say why only in
/// `additionalDetails` ("user entered incorrect code", "phone call went to voicemail"), in the
/// same words as DOMAIN.md §5: those are matched, nothing else is read from the texts.
pub fn reason_of(code: u32, details: Option<&str>) -> Option<Reason> {
    match code {
        0 => None,
        50088 => Some(Reason::Throttled),
        50072 | 50079 => Some(Reason::NoMethodsRegistered),
        50057 => Some(Reason::UserBlocked),
        50074 | 500121 => details.and_then(reason_in_details),
        _ => None,
    }
}

fn reason_in_details(details: &str) -> Option<Reason> {
    let details = details.to_ascii_lowercase();
    if details.contains("fraud") {
        return Some(Reason::FraudReported);
    }
    // Longest texts first, so "entered incorrect code too many times" wins over "incorrect code".
    let mut known: Vec<Reason> = Reason::ALL.to_vec();
    known.sort_by_key(|r| std::cmp::Reverse(r.text().len()));
    known
        .into_iter()
        .find(|r| details.contains(&r.text().to_ascii_lowercase()))
}

/// `2020-03-13T19:15:41.6195833Z` (any number of fraction digits) to milliseconds.
pub fn timestamp(text: &str) -> Option<Timestamp> {
    let whole = text.get(..19)?;
    let rest = text.get(19..)?.strip_suffix('Z')?;
    let ms = match rest.strip_prefix('.') {
        None if rest.is_empty() => 0,
        None => return None,
        Some(frac) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => {
            let three: String = frac.chars().chain("000".chars()).take(3).collect();
            three.parse::<i64>().ok()?
        }
        Some(_) => return None,
    };
    let base: Timestamp = format!("{whole}Z").parse().ok()?;
    Some(base.plus_millis(ms))
}

/// One tenant sign-in as a log record. `seq` numbers the records of one answer.
pub fn record(seq: u64, upn: Option<&str>, s: &TenantSignIn) -> SignInRecord {
    let at = timestamp(&s.at).unwrap_or(Timestamp(0));
    let failed = s.error_code != 0;
    let reason = reason_of(s.error_code, s.additional_details.as_deref());
    let detail = [
        s.app.as_deref().map(|a| format!("app: {a}")),
        s.failure_reason.clone(),
        s.additional_details.clone(),
    ]
    .into_iter()
    .flatten()
    .map(|t| crate::domain::sanitize::display_safe(&t).into_owned())
    .collect::<Vec<_>>()
    .join("; ");
    SignInRecord {
        seq,
        correlation_id: s.correlation_id.clone(),
        attempt: 1,
        started_at: at,
        ended_at: at,
        // The sign-in log holds sign-ins; password resets are in the audit log.
        flow: FlowKind::Mfa,
        user: upn.map(str::to_owned),
        number: None,
        channel: None,
        slot: None,
        provider: None,
        result: if failed {
            SignInResult::Denied
        } else {
            SignInResult::Success
        },
        reason,
        error_code: failed.then_some(s.error_code),
        steps: vec![Step {
            at,
            kind: if failed {
                StepKind::ServiceError
            } else {
                StepKind::Completed
            },
            detail,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_map_to_phonedesk_reasons_and_unknown_ones_stay() {
        assert_eq!(reason_of(50088, None), Some(Reason::Throttled));
        assert_eq!(reason_of(50079, None), Some(Reason::NoMethodsRegistered));
        assert_eq!(reason_of(50057, None), Some(Reason::UserBlocked));
        assert_eq!(
            reason_of(
                500121,
                Some("MFA denied; user entered incorrect code too many times")
            ),
            Some(Reason::TooManyIncorrectCodes)
        );
        assert_eq!(
            reason_of(50074, Some("Phone call went to voicemail")),
            Some(Reason::Voicemail)
        );
        assert_eq!(
            reason_of(500121, Some("Fraud reported - user is blocked for MFA")),
            Some(Reason::FraudReported)
        );
        assert_eq!(reason_of(65001, Some("consent")), None);
        let s = TenantSignIn {
            at: "2020-03-13T19:15:41.6195833Z".into(),
            correlation_id: "c".into(),
            error_code: 65001,
            failure_reason: Some("The user or administrator has not consented".into()),
            additional_details: None,
            app: Some("Graph explorer".into()),
        };
        let r = record(1, Some("kim@contoso.com"), &s);
        assert_eq!(
            r.error_code,
            Some(65001),
            "an unknown code is kept as it is"
        );
        assert_eq!(r.reason, None);
        assert_eq!(r.result, SignInResult::Denied);
        assert!(r.steps[0].detail.contains("not consented"));
    }

    #[test]
    fn graph_times_with_seven_fraction_digits_are_read() {
        let t = timestamp("2020-03-13T19:15:41.6195833Z").unwrap();
        assert_eq!(t.to_string(), "2020-03-13T19:15:41.619Z");
        assert_eq!(
            timestamp("2020-03-13T19:15:41Z").unwrap().to_string(),
            "2020-03-13T19:15:41Z"
        );
        assert_eq!(timestamp("2020-03-13T19:15:41.Z"), None);
        assert_eq!(timestamp("yesterday"), None);
    }
}
