//! Changes of the directory of record (edits, undo, reveals) run on the worker, never on the
//! UI thread: on a real tenant each is a network call that may wait for throttling. One change
//! is in flight at a time, so they apply in the order the operator made them; Esc asks the
//! record to give up waiting.

use super::App;
use crate::domain::{Applied, User};
use crate::store::StoreError;
use crate::tui::app::undo::UndoStep;
use crate::tui::widgets::dialog::PendingEdit;
use crate::tui::widgets::toast::ToastKind;
use crate::tui::worker::{Change, ChangeOutcome};

/// The change the worker is making, with what finishing it needs.
#[derive(Debug)]
pub enum InFlight {
    Edit {
        pending: Box<PendingEdit>,
        /// The user as shown before the edit (for undo).
        before: Option<Box<User>>,
    },
    Undo(UndoStep),
    Reveal {
        upn: String,
    },
    /// A step of the troubleshooting wizard (its answer carries all it needs).
    Wizard,
}

impl App {
    /// Hands `change` to the worker; false (and a notice) when another is still in flight.
    pub(super) fn start_change(&mut self, change: Change, what: InFlight) -> bool {
        if self.in_flight.is_some() {
            self.toast(
                ToastKind::Info,
                "the last change is still being saved; try again when it is done",
            );
            return false;
        }
        let working = match what {
            _ if self.store.kind().is_graph() => {
                "working… (the tenant is answering; Esc stops waiting)"
            }
            InFlight::Wizard => "checking…",
            _ => "saving…",
        };
        let id = self.worker.change(change);
        self.in_flight = Some((id, what));
        self.status_toast(working);
        true
    }

    /// True while a change waits for the worker.
    pub fn is_changing(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Esc while a change is in flight: the record stops waiting (a slow or throttled tenant);
    /// the change then ends as cancelled, or done if it was already made.
    pub(super) fn stop_waiting(&mut self) {
        self.store.interrupt();
        self.status_toast("stopping…");
    }

    /// The worker finished change `id`.
    pub(super) fn on_changed(&mut self, id: u64, outcome: ChangeOutcome) {
        let Some((expected, what)) = self.in_flight.take() else {
            return;
        };
        if expected != id {
            self.in_flight = Some((expected, what));
            return;
        }
        match (what, outcome) {
            (InFlight::Edit { pending, before }, ChangeOutcome::Edited(result)) => {
                let result = result.map_err(|(_, e)| e).and_then(|mut applied| {
                    applied
                        .pop()
                        .ok_or_else(|| StoreError::Invalid("nothing was applied".into()))
                });
                self.finish_edit(&pending, before.as_deref(), result);
            }
            (InFlight::Undo(step), ChangeOutcome::Edited(result)) => {
                self.finish_undo(&step, result.map(drop).map_err(|(_, e)| e));
            }
            (InFlight::Reveal { upn }, ChangeOutcome::Revealed(result)) => {
                self.finish_reveal(&upn, result);
            }
            (InFlight::Wizard, ChangeOutcome::Wizard(done)) => self.finish_wizard(*done),
            (what, _) => self.alert(
                "A change came back for another request",
                format!("{what:?}: nothing is known to have changed; check the audit trail"),
            ),
        }
    }
}

/// The applied edit's warning, if any, for the saved notice.
pub(super) fn first_warning(applied: &Applied) -> Option<&str> {
    applied.warnings.first().map(String::as_str)
}
