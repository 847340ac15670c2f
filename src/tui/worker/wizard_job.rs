//! The troubleshooting wizard's steps that read or change the directory of record, run on the
//! worker: on a real tenant each check reads the methods and the sign-in log over the network,
//! and a fix is a Graph call. Answering the caller's question is plain data and stays on the UI
//! thread.

use crate::domain::Operator;
use crate::store::Record;
use crate::wizard::{Checkup, Wizard, WizardError, checkup, suggest_symptom};

/// A wizard step for the worker.
#[derive(Clone, Debug)]
pub enum WizardJob {
    /// Which symptom the findings point to, for the symptom picker.
    Suggest { upn: String },
    /// Every automatic check, for a caller who cannot yet say what they see.
    Checkup {
        operator: Operator,
        upn: String,
        revealed: bool,
    },
    /// The walk for `symptom`, up to its first question or remedy.
    Start {
        operator: Operator,
        upn: String,
        symptom: String,
        revealed: bool,
    },
    /// A step of a walk under way, on a copy of it (the pane keeps drawing the original).
    Step {
        wizard: Box<Wizard>,
        step: WizardStep,
    },
}

/// The steps of a walk that read the record again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WizardStep {
    /// Read the world again and re-run the live check (after the user retried).
    Refresh,
    /// Answer the question from the simulated phone.
    DeviceAnswer,
    /// Apply the remedy's fix the operator confirmed.
    ApplyAction,
}

/// What a [`WizardJob`] came to.
#[derive(Debug)]
pub enum WizardDone {
    /// The symptom the findings point to, if any; an error when the record could not be read
    /// (the walk would need the same reads).
    Suggested(Result<Option<String>, WizardError>),
    Checkup(Result<Box<Checkup>, WizardError>),
    Started(Result<Box<Wizard>, WizardError>),
    /// The walk after the step: changed as far as the step went, also when it failed (a fix
    /// that stopped half-way is recorded in it).
    Stepped {
        wizard: Box<Wizard>,
        step: WizardStep,
        outcome: Result<(), WizardError>,
    },
}

/// Runs `job` against `store`.
pub fn run(store: &dyn Record, job: WizardJob) -> WizardDone {
    match job {
        WizardJob::Suggest { upn } => WizardDone::Suggested(suggest_symptom(store, &upn)),
        WizardJob::Checkup {
            operator,
            upn,
            revealed,
        } => WizardDone::Checkup(checkup::run(store, &operator, &upn, revealed).map(Box::new)),
        WizardJob::Start {
            operator,
            upn,
            symptom,
            revealed,
        } => WizardDone::Started(
            Wizard::start(store, &operator, &upn, &symptom, revealed).map(Box::new),
        ),
        WizardJob::Step { mut wizard, step } => {
            let outcome = match step {
                WizardStep::Refresh => wizard.refresh(store),
                WizardStep::DeviceAnswer => wizard.answer_from_device(store),
                WizardStep::ApplyAction => wizard.apply_action(store).map(drop),
            };
            WizardDone::Stepped {
                wizard,
                step,
                outcome,
            }
        }
    }
}
