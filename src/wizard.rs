//! The guided troubleshooting wizard (DOMAIN.md §6): a decision tree loaded from
//! `assets/troubleshooting.toml`, automatic checks that read the directory, the sign-in log and
//! the simulator, questions for the caller (with a shortcut that reads the simulated phone),
//! remedies with confirmed one-step fixes, and a Markdown ticket note.
//!
//! No terminal here: [`Wizard`] is plain state with accessors that do no I/O, and methods that
//! take the store when they must read or change it, so a pane can keep one while the operator is
//! elsewhere and `refresh` it on return. Layers: `cli`/`tui` -> `wizard` -> `sim` -> `store` ->
//! `domain`.

pub mod actions;
pub mod checks;
pub mod checkup;
pub mod facts;
mod path;
pub mod probes;
mod report;
mod session;
mod ticket;
pub mod tree;

use std::fmt;

pub use checks::Status;
pub use checkup::{Checkup, CheckupItem};
pub use path::{
    ActionRecord, AnswerSource, Answered, Current, PendingAction, Recheck, Visit, VisitKind,
};
pub use report::{LogLine, Report, SupportCase};
pub use session::{Wizard, suggest_symptom};
pub use tree::{Answer, Symptom, Tree};

use crate::store::StoreError;

/// Why the wizard did not do what it was asked. Nothing changed in any case, except where
/// [`WizardError::ActionFailed`] lists what was done before it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardError {
    Store(StoreError),
    /// The tree asset is broken (a build defect: the tree test catches it).
    Tree(String),
    UnknownSymptom {
        name: String,
        known: Vec<String>,
    },
    UnknownAnswer {
        step: String,
        answer: String,
        known: Vec<String>,
    },
    /// The current step is not a question.
    NotAQuestion,
    /// The current question has no simulated-device shortcut.
    NoDeviceShortcut {
        step: String,
    },
    /// The user has no phone whose simulated device could answer.
    NoDevice,
    /// The current step offers no action to apply.
    NoAction,
    /// The action cannot be applied, and why (no correction to offer, a role, a rule).
    ActionUnavailable(String),
    /// The action stopped part-way: what it did, and why it stopped.
    ActionFailed {
        done: Vec<String>,
        why: String,
    },
}

impl fmt::Display for WizardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Store(e) => write!(f, "{e}"),
            Self::Tree(e) => f.write_str(e),
            Self::UnknownSymptom { name, known } => write!(
                f,
                "unknown symptom \"{}\": use {}",
                name.chars().take(40).collect::<String>(),
                known.join(", ")
            ),
            Self::UnknownAnswer {
                step,
                answer,
                known,
            } => write!(
                f,
                "\"{}\" is not an answer to {step}: use {} (or device)",
                answer.chars().take(40).collect::<String>(),
                known.join(", ")
            ),
            Self::NotAQuestion => f.write_str("the current step is not a question"),
            Self::NoDeviceShortcut { step } => {
                write!(f, "{step} cannot be answered from the simulated device")
            }
            Self::NoDevice => f.write_str("the user has no phone to look at"),
            Self::NoAction => f.write_str("the current step offers no action"),
            Self::ActionUnavailable(why) => write!(f, "the action cannot be applied: {why}"),
            Self::ActionFailed { done, why } => {
                if done.is_empty() {
                    write!(f, "the action failed: {why}")
                } else {
                    write!(f, "the action stopped after it {}: {why}", done.join(", "))
                }
            }
        }
    }
}

impl std::error::Error for WizardError {}

impl From<StoreError> for WizardError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}
