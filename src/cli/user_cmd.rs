//! `phonedesk user ...`

use serde::Serialize;

use super::output::{self, safe};
use super::{Failure, Outcome};
use crate::domain::{DefaultMethod, Edit, Operator, PhoneType, Upn, User};
use crate::store::{Record, StoreError};
use crate::tenant_file;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchRow<'a> {
    user_principal_name: &'a str,
    display_name: &'a str,
    mobile: Option<&'a str>,
    sms_sign_in_state: Option<&'static str>,
    /// `null` when the directory does not say (a tenant search reads no methods).
    methods: Option<u8>,
    blocked: bool,
    /// `null` when the directory does not say (a tenant search reads no roles).
    admin: Option<bool>,
    guest: bool,
}

#[derive(Serialize)]
struct SearchJson<'a> {
    /// Matches in all; `null` when the directory cannot count them.
    total: Option<usize>,
    value: Vec<SearchRow<'a>>,
    /// What the search cannot cover (Graph cannot search authentication phones).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

pub fn search(record: &dyn Record, query: &str, limit: usize, json: bool) -> Outcome {
    let region = crate::config::operator_region().map_err(Failure::usage)?;
    let found = record
        .user_search()?
        .find(query, region, limit, &|| false)?;
    let rows: Vec<SearchRow<'_>> = found
        .rows
        .iter()
        .map(|e| SearchRow {
            user_principal_name: &e.upn,
            display_name: &e.display_name,
            mobile: e.mobile.as_deref(),
            sms_sign_in_state: e.sms_state.map(|s| s.as_str()),
            methods: e.methods,
            blocked: e.blocked,
            admin: e.admin,
            guest: e.guest,
        })
        .collect();
    if json {
        return output::json(&SearchJson {
            total: found.total,
            value: rows,
            note: found.note.as_deref(),
        });
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut flags = Vec::new();
            if r.blocked {
                flags.push("blocked");
            }
            if r.admin == Some(true) {
                flags.push("admin");
            }
            if r.guest {
                flags.push("guest");
            }
            vec![
                safe(r.display_name),
                safe(r.user_principal_name),
                r.mobile.unwrap_or("-").to_owned(),
                r.sms_sign_in_state.unwrap_or("-").to_owned(),
                flags.join(","),
            ]
        })
        .collect();
    output::table(&["NAME", "UPN", "MOBILE", "SMS SIGN-IN", "FLAGS"], &table);
    if let Some(note) = &found.note {
        output::line(&format!("note: {note}"));
    }
    if found.more {
        match found.total {
            Some(total) => output::line(&format!("({} of {total} shown; use --limit)", rows.len())),
            None => output::line(&format!("(first {} shown; use --limit)", rows.len())),
        }
    } else if rows.is_empty() {
        output::line("(no users match)");
    }
    Ok(())
}

/// A `--user` filter: the user must exist, so a typo gets near matches rather than an empty
/// listing.
pub fn existing_user(store: &dyn Record, user: Option<&str>) -> Result<Option<Upn>, Failure> {
    let Some(text) = user else {
        return Ok(None);
    };
    let upn = Upn::parse(text).map_err(Failure::usage)?;
    store.user(upn.as_str())?;
    Ok(Some(upn))
}

/// The user, revealed (and audited) or plain.
pub fn fetch(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    reveal: bool,
    context: &str,
) -> Result<User, Failure> {
    if reveal {
        store.reveal(operator, upn, context).map_err(|e| match e {
            StoreError::Rule(rule) => {
                Failure::refused(format!("cannot reveal numbers of {upn}: {rule}"))
            }
            other => other.into(),
        })
    } else {
        Ok(store.user(upn)?)
    }
}

pub fn show(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    json: bool,
    reveal: bool,
) -> Outcome {
    let user = fetch(store, operator, upn, reveal, "user show")?;
    let policy = store.policy()?;
    let claims = match user.method(PhoneType::Mobile) {
        Some(m) => store.claims_on(&m.phone_number)?,
        None => Vec::new(),
    };
    if json {
        return output::json(&tenant_file::user_json(&user, &policy, &claims, reveal));
    }
    let now = store.now();
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_owned()
        } else {
            safe(&items.join(", "))
        }
    };
    output::line(&format!(
        "{} <{}>",
        safe(&user.display_name),
        safe(user.upn().as_str())
    ));
    output::line(&format!(
        "  type: {}   usage location: {}",
        user.user_type.as_str(),
        user.usage_location.as_ref().map_or("(none)", |r| r.code())
    ));
    output::line(&format!("  groups: {}", list(&user.groups)));
    output::line(&format!("  roles: {}", list(&user.roles)));
    // A real tenant's disabled account does not say since when: no time is made up.
    let since = |b: &crate::domain::Block| match store.simulated() {
        Some(_) => format!(" since {}", b.since),
        None => String::new(),
    };
    let block = match user.active_block(now) {
        Some(b) => format!(
            "yes, {}{} ({}){}",
            b.kind.describe(),
            since(b),
            safe(&b.reason),
            b.until.map(|u| format!(", until {u}")).unwrap_or_default()
        ),
        None => "no".to_owned(),
    };
    output::line(&format!("  blocked: {block}"));
    output::line(&format!(
        "  default MFA method: {}",
        user.default_mfa_method.map_or_else(
            || "(none)".to_owned(),
            |m: DefaultMethod| format!("{m} ({})", m.label())
        )
    ));
    output::line("Directory phones (public contact data)");
    output::line(&format!(
        "  mobilePhone:    {}",
        user.mobile_phone
            .as_deref()
            .map_or_else(|| "(none)".to_owned(), safe)
    ));
    output::line(&format!(
        "  businessPhones: {}",
        list(&user.business_phones)
    ));
    output::line(if reveal {
        "Authentication phones (private; revealed, and the reveal is audited)"
    } else {
        "Authentication phones (private; masked, --reveal to show)"
    });
    let status = store.sms_status(&user)?;
    for slot in PhoneType::ALL {
        let text = match user.method(slot) {
            None => "(none)".to_owned(),
            Some(m) => {
                let number = if reveal {
                    m.phone_number.to_string()
                } else {
                    m.phone_number.masked()
                };
                match (&status, slot) {
                    (Some(s), PhoneType::Mobile) => {
                        format!("{number}   smsSignInState: {} ({})", s.state, s.reason)
                    }
                    _ => format!("{number}   smsSignInState: notSupported"),
                }
            }
        };
        output::line(&format!(
            "  {:<16} {}  {text}",
            slot.as_str(),
            slot.method_id()
        ));
    }
    Ok(())
}

/// Runs an edit and reports it: `cannot <what> for <upn>: <why>` on refusal.
pub fn apply(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    edit: &Edit,
    what: &str,
) -> Result<crate::domain::Applied, Failure> {
    store.edit(operator, upn, edit).map_err(|e| match e {
        StoreError::Rule(rule) => Failure::refused(format!("cannot {what} for {upn}: {rule}")),
        other => other.into(),
    })
}

pub fn block(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    reason: &str,
    block: bool,
) -> Outcome {
    let (edit, what) = if block {
        (
            Edit::Block {
                reason: reason.to_owned(),
            },
            "block",
        )
    } else {
        (
            Edit::Unblock {
                reason: reason.to_owned(),
            },
            "unblock",
        )
    };
    let applied = apply(store, operator, upn, &edit, what)?;
    output::line(&format!(
        "{} {}",
        if block { "blocked" } else { "unblocked" },
        safe(applied.user.upn().as_str())
    ));
    if store.kind().is_graph() {
        // Graph has one switch for this, accountEnabled: it is not a phone-only block.
        output::note(if block {
            "on a real tenant this disables the account: it blocks every sign-in, not only phone MFA"
        } else {
            "the account is enabled again: every sign-in is allowed"
        });
    }
    Ok(())
}

pub fn set_default(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    method: Option<DefaultMethod>,
) -> Outcome {
    let applied = apply(
        store,
        operator,
        upn,
        &Edit::SetDefault { method },
        "set the default method",
    )?;
    output::line(&format!(
        "default MFA method of {} is now {}",
        safe(applied.user.upn().as_str()),
        method.map_or("none", |m| m.as_str())
    ));
    Ok(())
}
