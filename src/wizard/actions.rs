//! The named fixes a remedy can offer. Each is planned from the facts (what exactly it will do,
//! in words the operator confirms), tried on paper with the domain's own rules, and performed
//! through the same store operations as the Methods pane (`Directory::edit`, audited and flushed)
//! or the simulator's audited reset. The wizard decides nothing the domain decides: a refused
//! plan carries the domain's reason.

use crate::domain::diagnosis::{FindingKind, diagnose};
use crate::domain::rules::{EditContext, apply_edit, sms_blocker};
use crate::domain::{DefaultMethod, Edit, Operator, PhoneNumber, PhoneType, User};
use crate::sim::reset::reset_verification;
use crate::store::{Record, StoreError};

use super::checks::{CheckSpec, Status};
use super::facts::Facts;

/// An action as the tree names it.
pub struct ActionSpec {
    pub name: &'static str,
    pub title: &'static str,
}

/// Every action, by name.
pub static ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        name: "unblock-user",
        title: "Unblock the user",
    },
    ActionSpec {
        name: "replace-number",
        title: "Replace the number with the suggested correction",
    },
    ActionSpec {
        name: "enable-sms-sign-in",
        title: "Enable SMS sign-in on the mobile number",
    },
    ActionSpec {
        name: "move-to-office",
        title: "Move the landline from the mobile slot to the office slot",
    },
    ActionSpec {
        name: "set-default",
        title: "Set another default method",
    },
    ActionSpec {
        name: "reset-verification",
        title: "Clear the failure count and the codes left open",
    },
];

/// The reason an unblock records in the audit trail.
pub const UNBLOCK_REASON: &str =
    "unblocked in the troubleshooting wizard after confirming with the user";

/// The action with this name.
pub fn find(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}

/// One change of a plan, in the order it is made.
#[derive(Clone, Debug)]
enum Change {
    /// A store edit, with what to say once it is done.
    Edit { edit: Edit, done: String },
    /// The simulator's audited reset of failures and open codes.
    ResetVerification,
}

/// What an action will do, ready to confirm.
#[derive(Clone, Debug)]
pub struct Plan {
    pub name: &'static str,
    pub title: &'static str,
    /// The exact change, for the confirmation prompt (numbers masked unless revealed).
    pub description: String,
    changes: Vec<Change>,
}

/// Why a performed action stopped, with what it had already done (each change is its own
/// flushed transaction).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub done: Vec<String>,
    pub why: String,
}

/// Plans `name` for the facts; `origin` is the check that found the problem (a new default must
/// make it pass). `Err` says why there is nothing to apply.
pub fn plan(
    name: &str,
    facts: &Facts,
    origin: Option<&CheckSpec>,
    operator: &Operator,
) -> Result<Plan, String> {
    let spec = find(name).ok_or_else(|| format!("no action \"{name}\""))?;
    let (description, changes) = match spec.name {
        "unblock-user" => unblock(facts)?,
        "replace-number" => replace_number(facts, origin)?,
        "enable-sms-sign-in" => enable_sms_sign_in(facts)?,
        "move-to-office" => move_to_office(facts)?,
        "set-default" => set_default(facts, origin, operator)?,
        "reset-verification" => reset(facts)?,
        other => return Err(format!("the action \"{other}\" has no plan")),
    };
    let edits: Vec<Edit> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Edit { edit, .. } => Some(edit.clone()),
            Change::ResetVerification => None,
        })
        .collect();
    on_paper(facts, operator, &edits)?;
    operator
        .may_act_on(&facts.user)
        .map_err(|e| e.to_string())?;
    Ok(Plan {
        name: spec.name,
        title: spec.title,
        description,
        changes,
    })
}

/// Performs a plan for `upn`: each change through the store, in order.
pub fn perform(
    plan: &Plan,
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
) -> Result<Vec<String>, Stopped> {
    let mut done = Vec::new();
    for change in &plan.changes {
        let result = match change {
            Change::Edit { edit, done: says } => store
                .edit(operator, upn, edit)
                .map(|applied| {
                    let mut line = says.clone();
                    for warning in applied.warnings {
                        line.push_str(&format!(" (warning: {warning})"));
                    }
                    line
                })
                .map_err(|e| match e {
                    StoreError::Rule(rule) => rule.to_string(),
                    other => other.to_string(),
                }),
            Change::ResetVerification => store
                .simulated()
                .ok_or_else(|| {
                    "a real tenant keeps its own failure counts: there is nothing phonedesk can \
                     clear there"
                        .to_owned()
                })
                .and_then(|local| {
                    reset_verification(local, operator, upn).map_err(|e| e.to_string())
                })
                .map(|cleared| {
                    format!(
                        "cleared {} consecutive failed verifications and closed {} open codes",
                        cleared.failures, cleared.codes
                    )
                }),
        };
        match result {
            Ok(line) => done.push(line),
            Err(why) => return Err(Stopped { done, why }),
        }
    }
    Ok(done)
}

/// Applies `edits` to a copy of the user under the domain's rules: a plan the rules refuse is
/// never offered, and a multi-step plan cannot stop half-way on a rule.
fn on_paper(facts: &Facts, operator: &Operator, edits: &[Edit]) -> Result<User, String> {
    let ctx = EditContext {
        operator,
        policy: &facts.policy,
        now: facts.now,
        mobile_claims: &facts.mobile_claims,
    };
    let mut user = facts.user.clone();
    for edit in edits {
        user = apply_edit(&user, edit, &ctx)
            .map_err(|e| e.to_string())?
            .user;
    }
    Ok(user)
}

fn edit(edit: Edit, done: String) -> Change {
    Change::Edit { edit, done }
}

fn unblock(f: &Facts) -> Result<(String, Vec<Change>), String> {
    let block = f
        .user
        .active_block(f.now)
        .ok_or("the user is not blocked")?;
    Ok((
        format!(
            "Unblock {} ({}); the audit trail records \"{UNBLOCK_REASON}\"",
            f.user.upn(),
            f.describe_block(block)
        ),
        vec![edit(
            Edit::Unblock {
                reason: UNBLOCK_REASON.into(),
            },
            format!("unblocked {}", f.user.upn()),
        )],
    ))
}

fn replace_number(f: &Facts, origin: Option<&CheckSpec>) -> Result<(String, Vec<Change>), String> {
    let wanted = match origin.map(|o| o.name) {
        Some("number-valid") => Some(FindingKind::InvalidNumber),
        Some("country-code") => Some(FindingKind::CountryMismatch),
        _ => None,
    };
    // The tree reaches a country-code fix only after the caller said the user is not abroad:
    // then the home reading of a valid foreign number is the correction. Otherwise only a
    // suggestion (for a number that cannot work as entered) is.
    let found = f.user.phone_methods.iter().find_map(|m| {
        diagnose(&m.phone_number, Some(m.phone_type), f.user.usage_location)
            .warnings
            .into_iter()
            .filter(|w| wanted.is_none_or(|k| w.kind == k))
            .find_map(|w| match w.kind {
                FindingKind::CountryMismatch if wanted == Some(FindingKind::CountryMismatch) => {
                    w.suggestion.or(w.other_reading)
                }
                _ => w.suggestion,
            })
            .map(|fixed| (m.phone_type, m.phone_number.clone(), fixed))
    });
    let (slot, old, fixed) =
        found.ok_or("no correction can be suggested: confirm the number with the user and correct it in the Methods pane")?;
    Ok((
        format!(
            "Replace the {slot} number {} with {}",
            f.show(&old),
            f.show(&fixed)
        ),
        vec![edit(
            Edit::UpdatePhone {
                slot,
                number: fixed.clone(),
            },
            format!("updated the {slot} number to {}", f.show(&fixed)),
        )],
    ))
}

fn enable_sms_sign_in(f: &Facts) -> Result<(String, Vec<Change>), String> {
    let mobile = f
        .user
        .method(PhoneType::Mobile)
        .ok_or("no mobile phone is registered")?;
    Ok((
        format!(
            "Enable SMS sign-in on the mobile number {}",
            f.show(&mobile.phone_number)
        ),
        vec![edit(
            Edit::SetSmsSignIn { enabled: true },
            "enabled SMS sign-in on the mobile number".into(),
        )],
    ))
}

fn move_to_office(f: &Facts) -> Result<(String, Vec<Change>), String> {
    let mobile = f
        .user
        .method(PhoneType::Mobile)
        .ok_or("no mobile phone is registered")?;
    let number: PhoneNumber = mobile.phone_number.clone();
    let shown = f.show(&number);
    let mut changes = vec![edit(
        Edit::AddPhone {
            slot: PhoneType::Office,
            number,
        },
        format!("added {shown} as the office phone"),
    )];
    let mut description =
        format!("Move {shown} from the mobile slot to the office slot: add it as the office phone");
    if let Some(current) = f
        .user
        .default_mfa_method
        .filter(|m| m.slot() == PhoneType::Mobile)
    {
        description.push_str(&format!(
            ", change the default method from {current} to {} (the mobile phone goes away)",
            DefaultMethod::VoiceOffice
        ));
        changes.push(edit(
            Edit::SetDefault {
                method: Some(DefaultMethod::VoiceOffice),
            },
            format!(
                "changed the default method from {current} to {}",
                DefaultMethod::VoiceOffice
            ),
        ));
    }
    description.push_str(", then delete the mobile phone");
    if mobile.sms_sign_in_enabled {
        description.push_str(" (SMS sign-in on it ends: a landline cannot receive the code)");
    }
    changes.push(edit(
        Edit::DeletePhone {
            slot: PhoneType::Mobile,
        },
        "deleted the mobile phone".into(),
    ));
    Ok((description, changes))
}

/// The first method that is registered, takes texts if it is a text, and makes the check that
/// found the problem pass; the domain refuses the rest.
fn set_default(
    f: &Facts,
    origin: Option<&CheckSpec>,
    operator: &Operator,
) -> Result<(String, Vec<Change>), String> {
    let current = f.user.default_mfa_method;
    let candidates = [
        DefaultMethod::Sms,
        DefaultMethod::VoiceMobile,
        DefaultMethod::VoiceOffice,
        DefaultMethod::VoiceAlternateMobile,
    ];
    let chosen = candidates.into_iter().find(|method| {
        if Some(*method) == current {
            return false;
        }
        if *method == DefaultMethod::Sms
            && f.user
                .method(PhoneType::Mobile)
                .is_none_or(|m| sms_blocker(&m.phone_number).is_some())
        {
            return false;
        }
        let change = Edit::SetDefault {
            method: Some(*method),
        };
        let Ok(user) = on_paper(f, operator, std::slice::from_ref(&change)) else {
            return false;
        };
        origin.is_none_or(|check| (check.run)(&f.with_user(user)).status == Status::Pass)
    });
    let method = chosen.ok_or(
        "no other registered phone avoids the problem: register another phone (a mobile) first",
    )?;
    let from = current.map_or_else(|| "none".to_owned(), |m| m.to_string());
    Ok((
        format!(
            "Change the default MFA method from {from} to {method} ({})",
            method.label().to_lowercase()
        ),
        vec![edit(
            Edit::SetDefault {
                method: Some(method),
            },
            format!("changed the default method from {from} to {method}"),
        )],
    ))
}

fn reset(f: &Facts) -> Result<(String, Vec<Change>), String> {
    let failures = f.failures.consecutive;
    let codes = f.live_codes.len();
    if failures == 0 && codes == 0 {
        return Err("nothing to clear: no failed verifications and no open codes".into());
    }
    let mut parts = Vec::new();
    if failures > 0 {
        parts.push(format!(
            "clear {failures} consecutive failed verification{}",
            plural(failures as usize)
        ));
    }
    if codes > 0 {
        parts.push(format!("close {codes} open code{}", plural(codes)));
    }
    let mut description = format!("{} of {}", parts.join(" and "), f.user.upn());
    if let Some(first) = description.get(..1) {
        description = first.to_uppercase() + &description[1..];
    }
    description.push_str(" (a new sign-in starts fresh)");
    Ok((description, vec![Change::ResetVerification]))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
