//! `phonedesk user ...`

use serde::Serialize;

use super::output::{self, safe};
use super::{Failure, Outcome};
use crate::domain::search::{Hits, Query};
use crate::domain::{DefaultMethod, Edit, Operator, PhoneType, Upn, User};
use crate::store::{Directory, LocalIndex, StoreError};
use crate::tenant_file;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchRow<'a> {
    user_principal_name: &'a str,
    display_name: &'a str,
    mobile: Option<&'a str>,
    sms_sign_in_state: Option<&'static str>,
    methods: u8,
    blocked: bool,
    admin: bool,
    guest: bool,
}

#[derive(Serialize)]
struct SearchJson<'a> {
    total: usize,
    value: Vec<SearchRow<'a>>,
}

pub fn search(store: &dyn Directory, query: &str, limit: usize, json: bool) -> Outcome {
    let Some(local) = LocalIndex::load(store, &|| false)? else {
        return Ok(());
    };
    if local.worth_saving() {
        // The next command starts from the saved index; a read-only database just rebuilds.
        let _ = local.save(store);
    }
    let index = &local.index;
    let mut query = Query::parse(query);
    query.region = crate::config::operator_region().map_err(Failure::usage)?;
    let now = store.now();
    let hits = index
        .search(&query, now, None, &|| false)
        .unwrap_or_else(|| Hits::empty(query, now));
    let entries: Vec<_> = hits
        .rows
        .iter()
        .take(limit)
        .filter_map(|r| index.entry_at(r.entry, now))
        .collect();
    let rows: Vec<SearchRow<'_>> = entries
        .iter()
        .map(|e| SearchRow {
            user_principal_name: &e.upn,
            display_name: &e.display_name,
            mobile: e.mobile_masked.as_deref(),
            sms_sign_in_state: e.sms_state.map(|s| s.as_str()),
            methods: e.method_count,
            blocked: e.is_blocked(),
            admin: e.is_admin(),
            guest: e.is_guest(),
        })
        .collect();
    if json {
        return output::json(&SearchJson {
            total: hits.total.count(),
            value: rows,
        });
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut flags = Vec::new();
            if r.blocked {
                flags.push("blocked");
            }
            if r.admin {
                flags.push("admin");
            }
            if r.guest {
                flags.push("guest");
            }
            vec![
                r.display_name.to_owned(),
                r.user_principal_name.to_owned(),
                r.mobile.unwrap_or("-").to_owned(),
                r.sms_sign_in_state.unwrap_or("-").to_owned(),
                flags.join(","),
            ]
        })
        .collect();
    output::table(&["NAME", "UPN", "MOBILE", "SMS SIGN-IN", "FLAGS"], &table);
    if hits.rows.len() > rows.len() {
        output::line(&format!(
            "({} of {} shown; use --limit)",
            rows.len(),
            hits.rows.len()
        ));
    } else if hits.rows.is_empty() {
        output::line("(no users match)");
    }
    Ok(())
}

/// A `--user` filter: the user must exist, so a typo gets near matches rather than an empty
/// listing.
pub fn existing_user(store: &dyn Directory, user: Option<&str>) -> Result<Option<Upn>, Failure> {
    let Some(text) = user else {
        return Ok(None);
    };
    let upn = Upn::parse(text).map_err(Failure::usage)?;
    store.user(upn.as_str())?;
    Ok(Some(upn))
}

/// The user, revealed (and audited) or plain.
pub fn fetch(
    store: &dyn Directory,
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
    store: &dyn Directory,
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
    let block = match user.active_block(now) {
        Some(b) => format!(
            "yes, {} since {} ({}){}",
            b.kind.describe(),
            b.since,
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
    store: &dyn Directory,
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
    store: &dyn Directory,
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
    Ok(())
}

pub fn set_default(
    store: &dyn Directory,
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
