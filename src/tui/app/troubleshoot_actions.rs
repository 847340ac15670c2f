//! The Troubleshoot pane's input: pick a symptom, answer (or let the simulated device answer),
//! go back, confirm the remedy's fix, retry in the Sign-in pane and come back, write the ticket.

use super::{App, Modal, PaneId};
use crate::domain::Timestamp;
use crate::tui::keymap::Command;
use crate::tui::widgets::dialog::{Confirm, OnYes, Picker, PickerKind};
use crate::tui::widgets::toast::ToastKind;
use crate::wizard::{Current, Tree, Wizard, WizardError, suggest_symptom};

impl App {
    pub(super) fn troubleshoot_command(&mut self, command: Command) {
        // Each wizard step reads the record on the spot; on a real tenant that is a network
        // call, which the UI thread never waits for: the command line walks it instead.
        if self.store.kind().is_graph() && command != Command::Back {
            self.alert(
                "The wizard runs on the command line on a real tenant",
                format!(
                    "`phonedesk --tenant {} troubleshoot UPN` walks the same steps: it reads the real methods and sign-in log, asks the caller the rest, and fixes through Graph.",
                    self.tenant.name
                ),
            );
            return;
        }
        match command {
            Command::NewWizard => self.ask_symptom(),
            Command::Down => self.move_answer(1),
            Command::Up => self.move_answer(-1),
            Command::Open => self.answer_or_fix(),
            Command::DeviceAnswer => self.wizard_step(|w, store| w.answer_from_device(store)),
            Command::RetryInSignIn => self.retry_in_sign_in(),
            Command::WriteTicket => self.write_ticket(),
            Command::Back => self.wizard_back(),
            _ => {}
        }
    }

    /// Back in the pane after a retry in the Sign-in pane: the log-based checks read again.
    pub(super) fn troubleshoot_entered(&mut self) {
        if std::mem::take(&mut self.troubleshoot.awaiting_retry) {
            self.wizard_step(|w, store| w.refresh(store));
            self.toast(
                ToastKind::Info,
                "re-checked the sign-in log after the retry",
            );
        }
    }

    fn ask_symptom(&mut self) {
        let Some(upn) = self.profile_upn() else {
            self.toast(ToastKind::Info, "select the caller in Lookup first");
            return;
        };
        let tree = match Tree::embedded() {
            Ok(tree) => tree,
            Err(e) => {
                self.report("Cannot load the troubleshooting steps", &e);
                return;
            }
        };
        let suggested = suggest_symptom(self.store.as_ref(), &upn).ok().flatten();
        let options: Vec<(String, String)> = tree
            .symptoms
            .iter()
            .map(|s| {
                let hint = if Some(&s.name) == suggested.as_ref() {
                    "  (suggested by the findings)"
                } else {
                    ""
                };
                (format!("{}{hint}", s.title), s.name.clone())
            })
            .collect();
        let selected = options
            .iter()
            .position(|(_, name)| Some(name) == suggested.as_ref())
            .unwrap_or(0);
        self.modal = Some(Modal::Symptom(Picker {
            title: "What does the caller report?".into(),
            options,
            selected,
            kind: PickerKind::Choose,
        }));
    }

    pub(super) fn start_wizard(&mut self, symptom: &str) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        let revealed = self.profile.as_ref().is_some_and(|p| p.revealed);
        match Wizard::start(self.store.as_ref(), &self.operator, &upn, symptom, revealed) {
            Ok(wizard) => {
                self.troubleshoot.wizard = Some(wizard);
                self.troubleshoot.selected = 0;
            }
            Err(e) => self.wizard_error(e),
        }
    }

    fn move_answer(&mut self, delta: isize) {
        let count = match self.troubleshoot.wizard.as_ref().map(Wizard::current) {
            Some(Ok(Current::Question { answers, .. })) => answers.len(),
            _ => 0,
        };
        let next = self.troubleshoot.selected.saturating_add_signed(delta);
        self.troubleshoot.selected = next.min(count.saturating_sub(1));
    }

    /// Enter: answers the selected answer of a question, or asks to confirm a remedy's fix.
    fn answer_or_fix(&mut self) {
        let Some(wizard) = &self.troubleshoot.wizard else {
            self.ask_symptom();
            return;
        };
        match wizard.current() {
            Ok(Current::Question { answers, .. }) => {
                let Some(answer) = answers
                    .get(self.troubleshoot.selected)
                    .map(|a| a.name.clone())
                else {
                    return;
                };
                self.wizard_step(move |w, _| w.answer(&answer));
            }
            Ok(Current::Remedy {
                action: Some(action),
                ..
            }) => match (&action.description, &action.unavailable) {
                (Some(what), _) => {
                    self.modal = Some(Modal::Confirm(Confirm {
                        title: format!("{}?", action.title),
                        message: vec![what.clone(), "It is audited like any edit.".into()],
                        on_yes: OnYes::WizardAction,
                        refusal: None,
                    }));
                }
                (None, why) => {
                    let why = why.clone().unwrap_or_default();
                    self.toast(
                        ToastKind::Info,
                        format!("{} is not possible: {why}", action.title),
                    );
                }
            },
            Ok(Current::Remedy { .. }) => {
                self.toast(ToastKind::Info, "this remedy has no fix to apply here")
            }
            Err(e) => self.wizard_error(e),
        }
    }

    /// The operator confirmed the remedy's fix.
    pub(super) fn apply_wizard_action(&mut self) {
        let store = self.store.clone();
        let Some(wizard) = &mut self.troubleshoot.wizard else {
            return;
        };
        let outcome = wizard.apply_action(store.as_ref()).map(|record| {
            let recheck = record
                .recheck
                .as_ref()
                .map(|r| format!("; re-check: {}", r.finding))
                .unwrap_or_default();
            format!("{} done{recheck}", record.title)
        });
        match outcome {
            Ok(text) => self.toast(ToastKind::Success, text),
            Err(e) => self.wizard_error(e),
        }
        // A wizard fix may be several edits: undo does not reach back past it.
        self.forget_undo();
        self.troubleshoot.selected = 0;
        self.after_wizard_change();
    }

    /// Runs one wizard step that may read or change the store, then refreshes the views.
    fn wizard_step(
        &mut self,
        step: impl FnOnce(&mut Wizard, &dyn crate::store::Record) -> Result<(), WizardError>,
    ) {
        let store = self.store.clone();
        let Some(wizard) = &mut self.troubleshoot.wizard else {
            return;
        };
        if let Err(e) = step(wizard, store.as_ref()) {
            self.wizard_error(e);
        }
        self.troubleshoot.selected = 0;
        self.after_wizard_change();
    }

    fn wizard_back(&mut self) {
        let went_back = self.troubleshoot.wizard.as_mut().is_some_and(Wizard::back);
        if went_back {
            self.troubleshoot.selected = 0;
        } else if self.troubleshoot.wizard.is_some() {
            self.toast(
                ToastKind::Info,
                "this is the first question; n picks another symptom",
            );
        } else {
            self.back_to_lookup();
        }
    }

    fn retry_in_sign_in(&mut self) {
        let Some(request) = self
            .troubleshoot
            .wizard
            .as_ref()
            .and_then(Wizard::retry_request)
        else {
            self.toast(ToastKind::Info, "this step offers no retry");
            return;
        };
        self.troubleshoot.awaiting_retry = true;
        self.pane = PaneId::SignIn;
        self.start_flow(request);
    }

    /// Writes the ticket note to the working directory, atomically.
    fn write_ticket(&mut self) {
        let Some(wizard) = &self.troubleshoot.wizard else {
            self.toast(ToastKind::Info, "start the wizard first");
            return;
        };
        let note = match wizard.ticket() {
            Ok(note) => note,
            Err(e) => {
                self.wizard_error(e);
                return;
            }
        };
        let local: String = wizard
            .user()
            .upn()
            .local_part()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        let stamp = ticket_stamp(self.store.now());
        let name = std::path::PathBuf::from(format!("phonedesk-ticket-{local}-{stamp}.md"));
        // The full path: "written to phonedesk-ticket-….md" leaves the operator to guess where.
        let path = std::path::absolute(&name).unwrap_or(name);
        match crate::atomic_file::write(&path, &note) {
            Ok(()) => self.toast(
                ToastKind::Success,
                format!("ticket note written to {}", path.display()),
            ),
            Err(e) => self.alert(
                "Cannot write the ticket note",
                format!("{}: {e}", path.display()),
            ),
        }
    }

    fn wizard_error(&mut self, e: WizardError) {
        self.report("The troubleshooting wizard could not do that", &e);
    }

    /// An answer or a fix may have changed the directory: the profile and the list follow.
    fn after_wizard_change(&mut self) {
        if self.profile.is_some() {
            self.reload_profile();
            self.users_changed();
        }
    }
}

/// `20261128T091101Z` for file names.
fn ticket_stamp(at: Timestamp) -> String {
    at.to_string()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == 'T')
        .take(15)
        .collect::<String>()
        + "Z"
}
