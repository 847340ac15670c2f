//! The record of a walk: each step visited (a check with its status and finding, a question
//! with its answer, the remedy), the action a remedy offers, the actions applied, and the current
//! step a pane draws. Plain data, serialisable for `--json`.

use serde::Serialize;

use super::checks::{CheckResult, CheckSpec, Status};
use super::tree::{Answer, Step};
use crate::domain::Timestamp;

/// What kind of step a visit was.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum VisitKind {
    Check,
    Question,
    Remedy,
}

impl VisitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Check => "check",
            Self::Question => "question",
            Self::Remedy => "remedy",
        }
    }
}

/// Who answered a question.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AnswerSource {
    Caller,
    /// The "check the simulated device" shortcut.
    Device,
}

/// An answer given.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answered {
    pub name: String,
    pub label: String,
    pub source: AnswerSource,
    /// What the simulated phone showed, for a device answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
}

/// One step of the path walked so far.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    pub step: String,
    pub kind: VisitKind,
    pub title: String,
    /// The check a check step ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answered>,
    /// The check ran again after an action.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recheck: bool,
}

impl Visit {
    pub(super) fn of(step: &Step, kind: VisitKind) -> Self {
        Self {
            step: step.name.clone(),
            kind,
            title: step.title.clone(),
            check: None,
            status: None,
            case: None,
            finding: None,
            answer: None,
            recheck: false,
        }
    }

    pub(super) fn check(step: &Step, spec: &CheckSpec, result: CheckResult, recheck: bool) -> Self {
        Self {
            check: Some(spec.name),
            status: Some(result.status),
            case: result.case,
            finding: Some(result.finding),
            recheck,
            ..Self::of(step, VisitKind::Check)
        }
    }

    /// A check that found something to act on.
    pub(super) fn found_problem(&self) -> bool {
        matches!(self.status, Some(Status::Fail | Status::Unknown))
    }
}

/// The action a remedy offers, as the operator confirms it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingAction {
    pub name: String,
    pub title: String,
    /// Exactly what it will change; `None` when it cannot be applied.
    pub description: Option<String>,
    /// Why it cannot be applied (no correction to offer, the role, a rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

/// The check re-run after an action, and what it said.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recheck {
    pub step: String,
    pub check: &'static str,
    pub status: Status,
    pub finding: String,
}

/// An action that was applied (or tried).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRecord {
    pub name: String,
    pub title: String,
    pub description: String,
    pub at: Timestamp,
    /// What was done, change by change.
    pub done: Vec<String>,
    /// Why it stopped, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recheck: Option<Recheck>,
}

/// Where the walk stands: a question to ask or a remedy to give.
#[derive(Debug)]
pub enum Current<'a> {
    Question {
        step: &'a Step,
        text: &'a str,
        help: Option<&'a str>,
        answers: &'a [Answer],
        /// The simulated device can answer it.
        device_shortcut: bool,
    },
    Remedy {
        step: &'a Step,
        text: &'a str,
        action: Option<&'a PendingAction>,
        /// The operator can have the user retry in the sign-in pane, then `refresh`.
        retry_in_sign_in: bool,
        support_case: bool,
    },
}
