//! The check-up: what the wizard does when the operator names no symptom. Every automatic check
//! runs once against the account, its phones and the sign-in log of the last day, and the
//! problems are listed together (a landline in the mobile slot, a wrong country code, a block,
//! SMS sign-in not ready and why), each with the symptom whose walk handles it and where that
//! walk would go next. Nothing is asked and nothing is changed: a caller who cannot yet say what
//! they see still gets a complete picture.
//!
//! Titles and "what next" come from the tree (`assets/troubleshooting.toml`), so the check-up
//! says the same as the walk.

use serde::Serialize;

use super::WizardError;
use super::checks::{self, Status};
use super::facts::Facts;
use super::session::suggest_symptom;
use super::tree::{StepKind, Tree};
use crate::domain::{Operator, User};
use crate::sim::flow::FlowKind;
use crate::store::Record;

/// The checks of the check-up, most pressing first, each with the symptom whose walk runs it.
pub const CHECKUP: &[(&str, &str)] = &[
    ("user-blocked", "user-blocked"),
    ("methods-registered", "no-method"),
    ("number-shape", "never-arrives"),
    ("number-valid", "never-arrives"),
    ("country-code", "never-arrives"),
    ("landline-in-mobile-slot", "never-arrives"),
    ("service-number", "never-arrives"),
    ("country-opt-in", "never-arrives"),
    ("default-method", "never-arrives"),
    ("sms-sign-in-state", "sms-sign-in"),
    ("sspr-extension", "sspr"),
    ("sspr-limit", "sspr"),
    ("failure-lock", "code-rejected"),
    ("stale-code", "code-rejected"),
    ("log-throttled", "limit-reached"),
    ("planned-route", "never-arrives"),
    ("log-unreachable", "never-arrives"),
    ("log-voicemail", "never-arrives"),
    ("log-provider-failures", "never-arrives"),
    ("log-never-entered", "never-arrives"),
    ("log-wrong-codes", "code-rejected"),
    ("log-code-expired", "code-rejected"),
    ("log-code-reused", "code-rejected"),
    ("log-wrong-pin", "call-fails"),
    ("log-key-tones", "call-fails"),
    ("log-invalid-extension", "call-fails"),
    ("log-hung-up", "call-fails"),
];

/// Checks left out, and why: the five-attempts count only decides between retrying and a
/// support case once a walk has got that far; on its own it finds nothing.
pub const NOT_IN_CHECKUP: &[&str] = &["five-attempts"];

/// One check's answer in the check-up.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckupItem {
    pub check: &'static str,
    /// The question the check answers, as the tree words it.
    pub title: String,
    pub status: Status,
    pub finding: String,
    /// The symptom whose walk deals with this, and its title.
    pub symptom: String,
    pub symptom_title: String,
    /// Where that walk goes from this answer: a remedy's or a question's title.
    pub next: Option<String>,
}

impl CheckupItem {
    /// A problem: the check found what it looks for, or cannot tell (no phone can be reached).
    pub fn is_problem(&self) -> bool {
        matches!(self.status, Status::Fail | Status::Unknown)
    }
}

/// Every check's answer for one user.
#[derive(Clone, Debug)]
pub struct Checkup {
    pub user: User,
    pub items: Vec<CheckupItem>,
    /// The symptom to walk next: the one the findings point to, else the first problem's; and
    /// its title.
    pub suggested: Option<String>,
    pub suggested_title: Option<String>,
}

impl Checkup {
    pub fn problems(&self) -> impl Iterator<Item = &CheckupItem> {
        self.items.iter().filter(|i| i.is_problem())
    }

    pub fn passed(&self) -> impl Iterator<Item = &CheckupItem> {
        self.items.iter().filter(|i| !i.is_problem())
    }

    /// The check-up as data (the CLI's `--json`).
    pub fn report(&self) -> serde_json::Value {
        serde_json::json!({
            "user": {
                "userPrincipalName": self.user.upn().as_str(),
                "displayName": self.user.display_name,
            },
            "problems": self.problems().collect::<Vec<_>>(),
            "passed": self.passed().collect::<Vec<_>>(),
            "suggestedSymptom": self.suggested,
        })
    }
}

/// Runs every check of [`CHECKUP`] for `upn`. With `reveal`, numbers are shown in full (the
/// reveal is audited, and refused when the role does not cover the user).
pub fn run(
    store: &dyn Record,
    operator: &Operator,
    upn: &str,
    reveal: bool,
) -> Result<Checkup, WizardError> {
    let tree = Tree::embedded().map_err(WizardError::Tree)?;
    let user = if reveal {
        store.reveal(operator, upn, "troubleshoot")?
    } else {
        store.user(upn)?
    };
    let upn = user.upn().to_string();
    // One read per flow: the route, the device and the SMS state depend on it.
    let mut gathered: Vec<(FlowKind, Facts)> = Vec::new();
    let mut items = Vec::new();
    for (check, symptom_name) in CHECKUP {
        let spec = checks::find(check)
            .ok_or_else(|| WizardError::Tree(format!("the check-up names no check {check}")))?;
        let symptom = tree.symptom(symptom_name).ok_or_else(|| {
            WizardError::Tree(format!("the check-up names no symptom {symptom_name}"))
        })?;
        let facts = match gathered.iter().find(|(flow, _)| *flow == symptom.flow) {
            Some((_, facts)) => facts,
            None => {
                let facts = Facts::gather(store, &upn, symptom.flow, reveal)?;
                gathered.push((symptom.flow, facts));
                &gathered[gathered.len() - 1].1
            }
        };
        let result = (spec.run)(facts);
        // The symptom's own step for this check (its names share the start's prefix), else any.
        let prefix = symptom.start.split('.').next().unwrap_or_default();
        let runs_it = |s: &&super::tree::Step| matches!(&s.kind, StepKind::Check { spec, .. } if spec.name == *check);
        let step = tree
            .steps()
            .filter(runs_it)
            .find(|s| s.name.starts_with(&format!("{prefix}.")))
            .or_else(|| tree.steps().find(runs_it));
        let next = step
            .and_then(|s| s.after(&result))
            .and_then(|name| tree.step(name))
            .map(|s| s.title.clone());
        items.push(CheckupItem {
            check: spec.name,
            title: step.map_or_else(|| (*check).to_owned(), |s| s.title.clone()),
            status: result.status,
            finding: result.finding,
            symptom: symptom.name.clone(),
            symptom_title: symptom.title.clone(),
            next,
        });
    }
    let suggested = match suggest_symptom(store, &upn)? {
        Some(name) => Some(name),
        None => items
            .iter()
            .find(|i| i.is_problem())
            .map(|i| i.symptom.clone()),
    };
    let suggested_title = suggested
        .as_ref()
        .and_then(|name| tree.symptom(name))
        .map(|s| s.title.clone());
    Ok(Checkup {
        user,
        items,
        suggested,
        suggested_title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_in_the_checkup_or_said_why_not() {
        for spec in checks::CHECKS {
            let listed = CHECKUP.iter().filter(|(c, _)| *c == spec.name).count();
            let left_out = NOT_IN_CHECKUP.contains(&spec.name);
            assert!(
                (listed == 1) ^ left_out,
                "{}: in the check-up {listed} times, left out: {left_out}",
                spec.name
            );
        }
    }

    #[test]
    fn every_symptom_named_exists() {
        let tree = Tree::embedded().unwrap();
        for (_, symptom) in CHECKUP {
            assert!(tree.symptom(symptom).is_some(), "{symptom}");
        }
    }
}
