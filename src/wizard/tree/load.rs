//! Reading the TOML into steps and symptoms, one at a time: every field checked against its kind,
//! every name against the code. The graph as a whole (targets, reachability, loops) is checked in
//! [`super::Tree::parse`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{Answer, Step, StepKind, Symptom};
use crate::sim::flow::FlowKind;
use crate::sim::reason::Reason;
use crate::wizard::actions;
use crate::wizard::checks::{self, CheckSpec, Status};
use crate::wizard::probes;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTree {
    pub version: u32,
    pub symptoms: Vec<RawSymptom>,
    pub steps: BTreeMap<String, RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSymptom {
    name: String,
    title: String,
    flow: String,
    start: String,
    #[serde(default)]
    triage: Vec<String>,
    #[serde(default)]
    reasons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    title: String,
    check: Option<String>,
    next: Option<BTreeMap<String, String>>,
    question: Option<String>,
    help: Option<String>,
    device: Option<String>,
    answers: Option<Vec<RawAnswer>>,
    remedy: Option<String>,
    action: Option<String>,
    #[serde(default)]
    signin: bool,
    #[serde(default)]
    support_case: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    name: String,
    label: String,
    next: String,
}

/// Step names may hold dots (`arrive.blocked`); symptom and answer names may not.
pub(super) fn is_name(name: &str, dots: bool) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (dots && b == b'.')
        })
}

pub(super) fn build_symptom(raw: RawSymptom, problems: &mut Vec<String>) -> Option<Symptom> {
    let at = format!("symptom \"{}\"", raw.name);
    if !is_name(&raw.name, false) {
        problems.push(format!("{at}: names use a-z, 0-9 and '-'"));
    }
    let flow = match raw.flow.as_str() {
        "mfa" => Some(FlowKind::Mfa),
        "sspr" => Some(FlowKind::Sspr),
        "smsSignIn" => Some(FlowKind::SmsSignIn),
        other => {
            problems.push(format!(
                "{at}: flow \"{other}\" is not mfa, sspr or smsSignIn"
            ));
            None
        }
    };
    let mut triage = Vec::new();
    for name in &raw.triage {
        match checks::find(name) {
            Some(spec) => triage.push(spec),
            None => problems.push(format!("{at}: triage check \"{name}\" is unknown")),
        }
    }
    let mut reasons = Vec::new();
    for name in &raw.reasons {
        match Reason::ALL.into_iter().find(|r| r.name() == name) {
            Some(reason) => reasons.push(reason),
            None => problems.push(format!("{at}: sign-in reason \"{name}\" is unknown")),
        }
    }
    if raw.title.trim().is_empty() {
        problems.push(format!("{at}: the title is empty"));
    }
    Some(Symptom {
        name: raw.name,
        title: raw.title,
        flow: flow?,
        start: raw.start,
        triage,
        reasons,
    })
}

pub(super) fn build_step(name: &str, raw: RawStep, problems: &mut Vec<String>) -> Option<Step> {
    let at = format!("step \"{name}\"");
    let kinds = [
        raw.check.is_some(),
        raw.question.is_some(),
        raw.remedy.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        problems.push(format!(
            "{at}: a step is exactly one of check, question or remedy"
        ));
        return None;
    }
    if raw.title.trim().is_empty() {
        problems.push(format!("{at}: the title is empty"));
    }
    let misplaced = |field: &str, present: bool, problems: &mut Vec<String>| {
        if present {
            problems.push(format!(
                "{at}: \"{field}\" does not belong to this kind of step"
            ));
        }
    };
    let kind = if let Some(check) = raw.check {
        misplaced("answers", raw.answers.is_some(), problems);
        misplaced("device", raw.device.is_some(), problems);
        misplaced("help", raw.help.is_some(), problems);
        misplaced("action", raw.action.is_some(), problems);
        misplaced("signin", raw.signin, problems);
        misplaced("support_case", raw.support_case, problems);
        let Some(spec) = checks::find(&check) else {
            problems.push(format!("{at}: check \"{check}\" is unknown to the code"));
            return None;
        };
        let next = raw.next.unwrap_or_default();
        check_branches(&at, spec, &next, problems);
        StepKind::Check { spec, next }
    } else if let Some(text) = raw.question {
        misplaced("next", raw.next.is_some(), problems);
        misplaced("action", raw.action.is_some(), problems);
        misplaced("signin", raw.signin, problems);
        misplaced("support_case", raw.support_case, problems);
        let answers: Vec<Answer> = raw
            .answers
            .unwrap_or_default()
            .into_iter()
            .map(|a| Answer {
                name: a.name,
                label: a.label,
                next: a.next,
            })
            .collect();
        check_answers(&at, &answers, problems);
        let device = match raw.device {
            Some(probe) => match probes::find(&probe) {
                Some(spec) => {
                    for answer in spec.answers {
                        if !answers.iter().any(|a| a.name == *answer) {
                            problems.push(format!(
                                "{at}: the device shortcut \"{probe}\" can answer \"{answer}\", which is not an answer"
                            ));
                        }
                    }
                    Some(spec)
                }
                None => {
                    problems.push(format!(
                        "{at}: device shortcut \"{probe}\" is unknown to the code"
                    ));
                    None
                }
            },
            None => None,
        };
        StepKind::Question {
            text,
            help: raw.help,
            device,
            answers,
        }
    } else {
        misplaced("next", raw.next.is_some(), problems);
        misplaced("answers", raw.answers.is_some(), problems);
        misplaced("device", raw.device.is_some(), problems);
        misplaced("help", raw.help.is_some(), problems);
        if let Some(action) = &raw.action
            && actions::find(action).is_none()
        {
            problems.push(format!("{at}: action \"{action}\" is unknown to the code"));
        }
        StepKind::Remedy {
            text: raw.remedy.unwrap_or_default(),
            action: raw.action,
            signin: raw.signin,
            support_case: raw.support_case,
        }
    };
    Some(Step {
        name: name.to_owned(),
        title: raw.title,
        kind,
    })
}

/// Every outcome the check can give must have a branch, and every branch must be an outcome.
fn check_branches(
    at: &str,
    spec: &CheckSpec,
    next: &BTreeMap<String, String>,
    problems: &mut Vec<String>,
) {
    for key in next.keys() {
        let is_status = Status::ALL
            .iter()
            .any(|s| s.as_str() == key && spec.outcomes.iter().any(|(o, _)| o == s));
        let is_case = spec.outcomes.iter().any(|(_, c)| *c == Some(key.as_str()));
        if !is_status && !is_case {
            problems.push(format!(
                "{at}: \"{key}\" is not an outcome of check \"{}\"",
                spec.name
            ));
        }
    }
    for (status, case) in spec.outcomes {
        let routed =
            case.is_some_and(|c| next.contains_key(c)) || next.contains_key(status.as_str());
        if !routed {
            let outcome = case.map_or_else(
                || status.as_str().to_owned(),
                |c| format!("{} ({c})", status.as_str()),
            );
            problems.push(format!(
                "{at}: check \"{}\" can answer {outcome}, and no branch takes it",
                spec.name
            ));
        }
    }
}

fn check_answers(at: &str, answers: &[Answer], problems: &mut Vec<String>) {
    if answers.is_empty() {
        problems.push(format!("{at}: a question needs answers"));
    }
    let mut names = BTreeSet::new();
    for a in answers {
        if !is_name(&a.name, false) {
            problems.push(format!(
                "{at}: answer \"{}\": names use a-z, 0-9 and '-'",
                a.name
            ));
        }
        if a.name == "device" {
            problems.push(format!(
                "{at}: \"device\" is reserved for the simulated-device shortcut"
            ));
        }
        if !names.insert(a.name.as_str()) {
            problems.push(format!("{at}: answer \"{}\" is defined twice", a.name));
        }
        if a.label.trim().is_empty() {
            problems.push(format!("{at}: answer \"{}\" has no label", a.name));
        }
    }
}
