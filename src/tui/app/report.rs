//! The one way the app tells the operator something.
//!
//! A notice (done, or nothing to do) goes on the status line for a few seconds; an error opens
//! a popup that waits until it is dismissed; a storage failure ends the session. All of them go
//! into the message log. Each error type says once how serious it is ([`Problem::severity`]),
//! instead of every caller deciding again.

use std::fmt;
use std::time::Instant;

use super::App;
use crate::domain::RuleError;
use crate::sim::SimError;
use crate::store::StoreError;
use crate::tui::widgets::alert::Alert;
use crate::tui::widgets::toast::{Toast, ToastKind};
use crate::wizard::WizardError;

/// How serious a problem is for the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Nothing went wrong; the operator asked for something that does not apply now.
    Info,
    /// Refused or failed; the operator must read why.
    Error,
    /// Storage cannot be trusted any more: the session ends.
    Fatal,
}

/// An error the app can report.
pub trait Problem: fmt::Display {
    fn severity(&self) -> Severity;
}

impl Problem for StoreError {
    fn severity(&self) -> Severity {
        match self {
            // sled cannot be trusted after an I/O error.
            Self::Io(_) => Severity::Fatal,
            _ => Severity::Error,
        }
    }
}

impl Problem for RuleError {
    fn severity(&self) -> Severity {
        Severity::Error
    }
}

impl Problem for SimError {
    fn severity(&self) -> Severity {
        match self {
            Self::Store(e) => e.severity(),
            Self::NotNow(_) => Severity::Info,
            Self::Invalid(_) => Severity::Error,
        }
    }
}

impl Problem for WizardError {
    fn severity(&self) -> Severity {
        match self {
            Self::Store(e) => e.severity(),
            _ => Severity::Error,
        }
    }
}

impl Problem for String {
    fn severity(&self) -> Severity {
        Severity::Error
    }
}

impl App {
    /// A notice on the status line (and in the log). Errors go to [`App::alert`] instead.
    pub(super) fn toast(&mut self, kind: ToastKind, text: impl Into<String>) {
        let text = text.into();
        if kind == ToastKind::Error {
            self.alert("Error", text);
            return;
        }
        self.messages.push(self.clock.now(), kind, text.clone());
        self.toast = Some(Toast::new(kind, text, Instant::now()));
        self.dirty = true;
    }

    /// A passing state ("saving…") in the toast line, not in the message log: the outcome that
    /// follows is what the log keeps.
    pub(super) fn status_toast(&mut self, text: impl Into<String>) {
        self.toast = Some(Toast::new(ToastKind::Info, text.into(), Instant::now()));
        self.dirty = true;
    }

    /// An error in a popup that waits until it is dismissed (and in the log).
    pub(super) fn alert(&mut self, title: impl Into<String>, text: impl Into<String>) {
        let alert = Alert {
            title: title.into(),
            text: text.into(),
        };
        self.messages.push(
            self.clock.now(),
            ToastKind::Error,
            format!("{}: {}", alert.title, alert.text),
        );
        self.alerts.push_back(alert);
        self.dirty = true;
    }

    /// Reports `problem` as its severity asks; `context` says what was being done
    /// ("Cannot delete the mobile number of Sam Okafor").
    pub(super) fn report(&mut self, context: &str, problem: &dyn Problem) {
        match problem.severity() {
            Severity::Info => self.toast(ToastKind::Info, problem.to_string()),
            Severity::Error => self.alert(context, problem.to_string()),
            Severity::Fatal => {
                self.fatal = Some(format!("{context}: {problem}; nothing more was saved"));
                self.dirty = true;
            }
        }
    }
}
