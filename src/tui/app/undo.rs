//! Undo of the last change made in this session: the domain says which edits put the user back
//! ([`crate::domain::undo::undo_of`]), the operator confirms, and they go through the store's
//! audited edit like any change. One level: after an undo there is nothing left to undo, and a
//! change that cannot be undone (a wizard fix, a fraud report) clears what could be.

use super::changes::InFlight;
use super::{App, Modal};
use crate::domain::Edit;
use crate::domain::undo::undo_of;
use crate::store::StoreError;
use crate::tui::widgets::dialog::{Confirm, OnYes, PendingEdit};
use crate::tui::widgets::toast::ToastKind;
use crate::tui::worker::Change;

/// How to undo the last change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoStep {
    pub upn: String,
    /// Done in order; each is audited.
    pub edits: Vec<Edit>,
    /// What the undo does, for the confirmation ("put back the mobile number +1 ********01").
    pub describe: String,
    /// What the change being undone did ("changed the mobile number to +1 ********02").
    pub undoes: String,
}

impl App {
    /// After `pending` was saved: how to undo it, from the user as they were before it. A
    /// change that cannot be undone replaces what could be: undo is of the last change only.
    pub(super) fn remember_undo(
        &mut self,
        before: Option<&crate::domain::User>,
        pending: &PendingEdit,
    ) {
        self.undo = before.and_then(|user| {
            let edits = undo_of(user, &pending.edit)?;
            let shown = |n: &crate::domain::PhoneNumber| {
                self.profile
                    .as_ref()
                    .filter(|p| p.is(&pending.upn))
                    .map_or_else(|| n.masked(), |p| p.show(n))
            };
            let describe = match (&pending.edit, edits.first()) {
                (_, Some(Edit::UpdatePhone { slot, number })) => format!(
                    "put the {} back to {}",
                    crate::tui::words::slot_number(*slot),
                    shown(number)
                ),
                (_, Some(Edit::AddPhone { slot, number })) => {
                    let sms = if edits.len() > 1 {
                        " with SMS sign-in enabled"
                    } else {
                        ""
                    };
                    format!(
                        "add the {} {} again{sms}",
                        crate::tui::words::slot_number(*slot),
                        shown(number)
                    )
                }
                (_, Some(Edit::DeletePhone { slot })) => format!(
                    "delete the {} just added",
                    crate::tui::words::slot_number(*slot)
                ),
                (_, Some(Edit::SetSmsSignIn { enabled: true })) => {
                    "enable SMS sign-in again".to_owned()
                }
                (_, Some(Edit::SetSmsSignIn { enabled: false })) => {
                    "disable SMS sign-in again".to_owned()
                }
                (_, Some(Edit::SetDefault { method })) => format!(
                    "set the default MFA method back to {}",
                    crate::tui::words::default_method(*method)
                ),
                (_, Some(Edit::Unblock { .. })) => "unblock the user".to_owned(),
                (_, Some(Edit::Block { .. })) => {
                    "block the user again (as an administrator's block)".to_owned()
                }
                _ => return None,
            };
            Some(UndoStep {
                upn: pending.upn.clone(),
                edits,
                describe,
                undoes: pending.done.clone(),
            })
        });
    }

    /// A change that cannot be undone here: what came before it cannot be undone either.
    pub(super) fn forget_undo(&mut self) {
        self.undo = None;
    }

    /// `u`: asks to undo the last change.
    pub(super) fn ask_undo(&mut self) {
        let Some(step) = &self.undo else {
            self.toast(
                ToastKind::Info,
                "nothing to undo: no change of this session can be undone now",
            );
            return;
        };
        self.modal = Some(Modal::Confirm(Confirm {
            title: "Undo the last change?".into(),
            message: vec![
                format!("The last change: {} for {}.", step.undoes, step.upn),
                format!("Undo: {}.", step.describe),
                "The undo is saved and audited like any change.".into(),
            ],
            on_yes: OnYes::Undo,
            refusal: None,
        }));
    }

    /// The operator confirmed the undo: each edit through the store.
    pub(super) fn apply_undo(&mut self) {
        let Some(step) = self.undo.take() else {
            return;
        };
        let change = Change::Edits {
            operator: self.operator.clone(),
            upn: step.upn.clone(),
            edits: step.edits.clone(),
        };
        if !self.start_change(change, InFlight::Undo(step.clone())) {
            self.undo = Some(step);
        }
    }

    /// The worker made the undo's edits (or stopped at the first it could not make).
    pub(super) fn finish_undo(&mut self, step: &UndoStep, result: Result<(), StoreError>) {
        if let Err(e) = result {
            self.report(&format!("Cannot undo ({})", step.describe), &e);
            self.after_undo(&step.upn);
            return;
        }
        self.after_undo(&step.upn);
        self.toast(
            ToastKind::Success,
            format!("undone: {} for {}", step.describe, step.upn),
        );
    }

    fn after_undo(&mut self, upn: &str) {
        let shown = self
            .profile
            .as_ref()
            .filter(|p| p.is(upn))
            .map(|p| p.revealed);
        if let Some(revealed) = shown {
            self.load_profile(upn, revealed);
        }
        self.users_changed();
    }
}
