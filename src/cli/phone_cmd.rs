//! `phonedesk phone ...`

use serde::Serialize;

use super::output::{self, safe};
use super::user_cmd::{apply, fetch};
use super::{Failure, Outcome};
use crate::domain::diagnosis::check as check_number;
use crate::domain::{Edit, Operator, PhoneNumber, PhoneType, Region, SmsSignInState};
use crate::store::Record;

pub fn check(number: &str, region: Option<&str>, slot: Option<PhoneType>, json: bool) -> Outcome {
    let region = region
        .map(Region::parse)
        .transpose()
        .map_err(|e| Failure::usage(e.to_string()))?;
    // The region the operator names is also where the number is expected to belong.
    let result = check_number(number, region, slot, region);
    if json {
        output::json(&result)?;
    } else {
        output::line(&format!("input:     {}", safe(&result.input)));
        if let Some(canonical) = &result.canonical {
            output::line(&format!("canonical: {canonical}"));
            output::line(&format!(
                "region:    {}",
                result.region.as_deref().unwrap_or("(unknown)")
            ));
            output::line(&format!("type:      {}", result.number_type.as_str()));
            output::line(&format!(
                "valid:     {}",
                if result.valid { "yes" } else { "no" }
            ));
        }
        for w in &result.warnings {
            output::line(&format!("warning:   {}", w.message));
        }
        if let Some(s) = result.suggestion() {
            output::line(&format!("suggested: {s}"));
        }
    }
    // The errors are said once, on stderr, as every refusal is (the report above holds the
    // rest; `--json` carries them in `errors` too).
    if result.accepted() {
        Ok(())
    } else {
        let why: Vec<&str> = result.errors.iter().map(|e| e.message.as_str()).collect();
        Err(Failure::refused(format!(
            "{} is not accepted: {}",
            safe(&result.input),
            why.join("; ")
        )))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MethodJson {
    id: &'static str,
    phone_number: String,
    phone_type: PhoneType,
    sms_sign_in_state: SmsSignInState,
}

#[derive(Serialize)]
struct ListJson {
    value: Vec<MethodJson>,
}

pub fn list(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    json: bool,
    reveal: bool,
) -> Outcome {
    let user = fetch(store, operator, upn, reveal, "phone list")?;
    let status = store.sms_status(&user)?;
    let value: Vec<MethodJson> = user
        .phone_methods
        .iter()
        .map(|m| MethodJson {
            id: m.phone_type.method_id(),
            phone_number: if reveal {
                m.phone_number.to_string()
            } else {
                m.phone_number.masked()
            },
            phone_type: m.phone_type,
            sms_sign_in_state: match (&status, m.phone_type) {
                (Some(s), PhoneType::Mobile) => s.state,
                _ => SmsSignInState::NotSupported,
            },
        })
        .collect();
    if json {
        return output::json(&ListJson { value });
    }
    let rows: Vec<Vec<String>> = value
        .iter()
        .map(|m| {
            vec![
                m.phone_type.as_str().to_owned(),
                m.id.to_owned(),
                m.phone_number.clone(),
                m.sms_sign_in_state.as_str().to_owned(),
            ]
        })
        .collect();
    output::table(&["TYPE", "ID", "NUMBER", "SMS SIGN-IN"], &rows);
    Ok(())
}

/// `phone add` and `phone update`: the number is read in the user's usage location when it has
/// no `+`, normalised, and saved with its warnings printed.
pub fn save(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    slot: PhoneType,
    input: &str,
    update: bool,
) -> Outcome {
    let verb = if update { "update" } else { "add" };
    let what = format!("{verb} {slot}");
    let user = store.user(upn)?;
    let number = PhoneNumber::parse(input, user.usage_location)
        .map_err(|e| Failure::refused(format!("cannot {what} for {upn}: {e}")))?;
    let edit = if update {
        Edit::UpdatePhone {
            slot,
            number: number.clone(),
        }
    } else {
        Edit::AddPhone {
            slot,
            number: number.clone(),
        }
    };
    let applied = apply(store, operator, upn, &edit, &what)?;
    for warning in &applied.warnings {
        output::warn(warning);
    }
    output::line(&format!(
        "{} {slot} {number} for {}",
        if update { "updated" } else { "added" },
        safe(applied.user.upn().as_str())
    ));
    Ok(())
}

pub fn delete(store: &dyn Record, operator: &Operator, upn: &str, slot: PhoneType) -> Outcome {
    let applied = apply(
        store,
        operator,
        upn,
        &Edit::DeletePhone { slot },
        &format!("delete {slot}"),
    )?;
    output::line(&format!(
        "deleted {slot} of {}",
        safe(applied.user.upn().as_str())
    ));
    Ok(())
}

pub fn sms_sign_in(store: &dyn Record, operator: &Operator, upn: &str, enabled: bool) -> Outcome {
    let what = if enabled {
        "enable SMS sign-in"
    } else {
        "disable SMS sign-in"
    };
    let applied = apply(store, operator, upn, &Edit::SetSmsSignIn { enabled }, what)?;
    let state = store
        .sms_status(&applied.user)?
        .map_or_else(|| "-".to_owned(), |s| format!("{} ({})", s.state, s.reason));
    output::line(&format!(
        "SMS sign-in {} for {}; state: {state}",
        if enabled { "enabled" } else { "disabled" },
        safe(applied.user.upn().as_str())
    ));
    Ok(())
}
