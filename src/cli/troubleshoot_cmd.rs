//! `phonedesk troubleshoot UPN`: the guided troubleshooting wizard headless. It runs every
//! automatic check, applies the answers given (`--answer STEP=ANSWER`, `--device`) and the
//! confirmed actions (`--apply ACTION`), and prints the path, the findings and the remedy (or the
//! session as JSON); `--ticket FILE` writes the Markdown note.
//!
//! Exit codes: 0 a remedy was reached; 1 refused (no such user, an action the rules or the role
//! refuse, a database problem); 2 usage (an unknown symptom, step, answer or action, an action
//! the remedy does not offer, or a question left without an answer).

use std::collections::BTreeMap;

use super::admin_cmd::write_atomically;
use super::output::{self, safe};
use super::{Failure, Outcome, TroubleshootArgs};
use crate::domain::Operator;
use crate::store::Record;
use crate::wizard::{
    AnswerSource, Current, Status, Tree, Visit, VisitKind, Wizard, WizardError, actions,
    suggest_symptom,
};

/// The answer that asks the simulated device instead of the caller.
const DEVICE: &str = "device";

impl From<WizardError> for Failure {
    fn from(e: WizardError) -> Self {
        match e {
            WizardError::Store(e) => e.into(),
            WizardError::UnknownSymptom { .. }
            | WizardError::UnknownAnswer { .. }
            | WizardError::NotAQuestion
            | WizardError::NoDeviceShortcut { .. }
            | WizardError::NoAction => Self::usage(e.to_string()),
            other => Self::refused(other.to_string()),
        }
    }
}

/// Checks every name on the command line against the tree before anything is read, so a typo
/// is a usage error that lists the valid names.
fn parse_answers(
    tree: &Tree,
    args: &TroubleshootArgs,
) -> Result<BTreeMap<String, String>, Failure> {
    if let Some(name) = &args.symptom
        && tree.symptom(name).is_none()
    {
        let known: Vec<&str> = tree.symptoms.iter().map(|s| s.name.as_str()).collect();
        return Err(Failure::usage(format!(
            "unknown symptom \"{}\": use {}",
            safe(name),
            known.join(", ")
        )));
    }
    for name in &args.apply {
        if actions::find(name).is_none() {
            let known: Vec<&str> = actions::ACTIONS.iter().map(|a| a.name).collect();
            return Err(Failure::usage(format!(
                "unknown action \"{}\": use {}",
                safe(name),
                known.join(", ")
            )));
        }
    }
    let mut answers = BTreeMap::new();
    for given in &args.answers {
        let Some((step, answer)) = given.split_once('=') else {
            return Err(Failure::usage(format!(
                "--answer \"{}\" is not STEP=ANSWER",
                safe(given)
            )));
        };
        let Some((_, choices)) = tree.questions().find(|(s, _)| s.name == step) else {
            let known: Vec<&str> = tree.questions().map(|(s, _)| s.name.as_str()).collect();
            return Err(Failure::usage(format!(
                "--answer: \"{}\" is not a question; questions: {}",
                safe(step),
                known.join(", ")
            )));
        };
        if answer != DEVICE && !choices.iter().any(|c| c.name == answer) {
            let known: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
            return Err(Failure::usage(format!(
                "--answer {step}: \"{}\" is not an answer; use {} or {DEVICE}",
                safe(answer),
                known.join(", ")
            )));
        }
        answers.insert(step.to_owned(), answer.to_owned());
    }
    Ok(answers)
}

/// The symptom named, or the one the findings point to; without either, the list.
fn choose_symptom(
    store: &dyn Record,
    args: &TroubleshootArgs,
    tree: &Tree,
) -> Result<String, Failure> {
    if let Some(name) = &args.symptom {
        return Ok(name.clone());
    }
    if let Some(name) = suggest_symptom(store, &args.upn)? {
        eprintln!("note: no --symptom given; the findings point to \"{name}\"");
        return Ok(name);
    }
    output::line("Symptoms (name one with --symptom):");
    for s in &tree.symptoms {
        output::line(&format!("  {:<14} {}", s.name, s.title));
    }
    Err(Failure::usage(
        "nothing in the account or the sign-in log points to a symptom: name one with --symptom",
    ))
}

pub fn run(store: &dyn Record, operator: &Operator, args: &TroubleshootArgs) -> Outcome {
    let tree = Tree::embedded().map_err(Failure::refused)?;
    let answers = parse_answers(&tree, args)?;
    // An unknown user is refused (with near matches) before any symptom is guessed.
    store.user(&args.upn)?;
    let symptom = choose_symptom(store, args, &tree)?;
    let mut wizard = Wizard::start(store, operator, &args.upn, &symptom, args.reveal)?;
    let mut applied: Vec<String> = Vec::new();
    let mut stopped: Option<Failure> = None;
    // Each answer or action moves the walk on; a valid tree ends every walk at a remedy.
    for _ in 0..tree.steps().count() * 4 {
        let moved = match wizard.current()? {
            Current::Question {
                step,
                device_shortcut,
                ..
            } => match answers.get(&step.name) {
                Some(answer) if answer == DEVICE => wizard.answer_from_device(store).map(|()| true),
                Some(answer) => wizard.answer(answer).map(|()| true),
                None if args.device && device_shortcut => {
                    wizard.answer_from_device(store).map(|()| true)
                }
                None => Ok(false),
            },
            Current::Remedy {
                action: Some(action),
                ..
            } if args.apply.contains(&action.name) && !applied.contains(&action.name) => {
                applied.push(action.name.clone());
                wizard.apply_action(store).map(|_| true)
            }
            Current::Remedy { .. } => Ok(false),
        };
        match moved {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                stopped = Some(e.into());
                break;
            }
        }
    }
    if args.json {
        output::json(&wizard.report()?)?;
    } else {
        print(&wizard)?;
    }
    if let Some(path) = &args.ticket {
        write_atomically(path, &wizard.ticket()?)?;
        output::status(&format!("wrote the ticket note to {}", path.display()));
    }
    if let Some(failure) = stopped {
        return Err(failure);
    }
    finish(&wizard, args, &applied)
}

/// The exit: a remedy is success; an action asked for and never offered, or a question left
/// open, is a usage error that says what to add.
fn finish(wizard: &Wizard, args: &TroubleshootArgs, applied: &[String]) -> Outcome {
    let current = wizard.current()?;
    if let Some(missing) = args.apply.iter().find(|a| !applied.contains(a)) {
        let offered = match &current {
            Current::Remedy {
                action: Some(action),
                ..
            } => format!("it offers {}", action.name),
            _ => "it offers no action".to_owned(),
        };
        return Err(Failure::usage(format!(
            "--apply {missing}: the walk did not reach a remedy with that action ({offered})"
        )));
    }
    match current {
        Current::Remedy { .. } => Ok(()),
        Current::Question {
            step,
            answers,
            device_shortcut,
            ..
        } => {
            let mut names: Vec<&str> = answers.iter().map(|a| a.name.as_str()).collect();
            if device_shortcut {
                names.push(DEVICE);
            }
            Err(Failure::usage(format!(
                "the wizard needs the caller's answer: add --answer {}={}",
                step.name,
                names.join("|")
            )))
        }
    }
}

fn marker(v: &Visit) -> &'static str {
    match (v.kind, v.status) {
        (VisitKind::Check, Some(Status::Pass)) => "pass",
        (VisitKind::Check, Some(Status::Fail)) => "FAIL",
        (VisitKind::Check, Some(Status::Info)) => "info",
        (VisitKind::Check, _) => "????",
        (VisitKind::Question, _) => "ask",
        (VisitKind::Remedy, _) => "fix",
    }
}

fn print(wizard: &Wizard) -> Outcome {
    let user = wizard.user();
    output::line(&format!(
        "{} <{}>: {} [{}]",
        safe(&user.display_name),
        safe(user.upn().as_str()),
        wizard.symptom().title,
        wizard.symptom().name
    ));
    for (i, v) in wizard.path().iter().enumerate() {
        let again = if v.recheck { ", after the fix" } else { "" };
        output::line(&format!(
            "{:>3}. {:<4}  {} [{}{again}]",
            i + 1,
            marker(v),
            v.title,
            v.step
        ));
        if let Some(finding) = &v.finding {
            output::line(&format!("           {}", safe(finding)));
        }
        if let Some(a) = &v.answer {
            let from = match (&a.source, &a.observed) {
                (AnswerSource::Device, Some(seen)) => format!(" (simulated device: {seen})"),
                _ => String::new(),
            };
            output::line(&format!("           answer: {}{from}", a.label));
        }
    }
    for a in wizard.actions() {
        output::line(&format!("applied {}: {}", a.name, safe(&a.done.join("; "))));
        if let Some(error) = &a.error {
            output::line(&format!("  stopped: {}", safe(error)));
        }
        if let Some(again) = &a.recheck {
            output::line(&format!(
                "  re-check {}: {} - {}",
                again.check,
                again.status.as_str(),
                safe(&again.finding)
            ));
        }
    }
    match wizard.current()? {
        Current::Question {
            step,
            text,
            answers,
            device_shortcut,
            ..
        } => {
            output::line(&format!("question [{}]: {text}", step.name));
            for a in answers {
                output::line(&format!("  {:<10} {}", a.name, a.label));
            }
            if device_shortcut {
                output::line(&format!("  {DEVICE:<10} check the simulated device"));
            }
        }
        Current::Remedy {
            step, text, action, ..
        } => {
            output::line(&format!("remedy [{}]: {}", step.name, step.title));
            output::line(&format!("  {text}"));
            if let Some(action) = action {
                match (&action.description, &action.unavailable) {
                    (Some(what), _) => output::line(&format!(
                        "  fix: {} (confirm with --apply {})",
                        safe(what),
                        action.name
                    )),
                    (None, Some(why)) => output::line(&format!(
                        "  no automatic fix ({}): {}",
                        action.name,
                        safe(why)
                    )),
                    (None, None) => {}
                }
            }
        }
    }
    Ok(())
}
