//! The Troubleshoot pane's input: pick a symptom (or the check-up), answer (or let the simulated
//! device answer), go back, confirm the remedy's fix, retry in the Sign-in pane and come back,
//! scroll the path, write the ticket.

use super::changes::InFlight;
use super::{App, Modal, PaneId};
use crate::domain::Timestamp;
use crate::tui::keymap::Command;
use crate::tui::panes::troubleshoot::PAGE;
use crate::tui::widgets::dialog::{Confirm, OnYes, Picker, PickerKind};
use crate::tui::widgets::toast::ToastKind;
use crate::tui::worker::{Change, WizardDone, WizardJob, WizardStep};
use crate::wizard::{Current, Tree, Wizard, WizardError};

/// The symptom picker's value for the check-up (no symptom names itself so).
const CHECKUP: &str = "";

impl App {
    pub(super) fn troubleshoot_command(&mut self, command: Command) {
        // While a step reads the record, the walk on screen is the one before it: only
        // scrolling it makes sense (Esc stops the waiting, before any command sees it).
        let scrolls = matches!(
            command,
            Command::PageUp | Command::PageDown | Command::Top | Command::Bottom
        );
        if self.wizard_checking() && !scrolls {
            self.toast(
                ToastKind::Info,
                "the wizard is still checking; Esc stops waiting",
            );
            return;
        }
        match command {
            Command::NewWizard => self.ask_symptom(),
            Command::Down => self.move_answer(1),
            Command::Up => self.move_answer(-1),
            Command::Open => self.answer_or_fix(),
            Command::DeviceAnswer => self.wizard_step(WizardStep::DeviceAnswer),
            Command::RetryInSignIn => self.retry_in_sign_in(),
            Command::WriteTicket => self.write_ticket(),
            Command::Back => self.wizard_back(),
            Command::PageUp => self.troubleshoot.scroll_path(PAGE),
            Command::PageDown => self.troubleshoot.scroll_path(-PAGE),
            Command::Top => self.troubleshoot.scroll_path(isize::MAX),
            Command::Bottom => self.troubleshoot.path_up = 0,
            _ => {}
        }
    }

    /// Back in the pane after a retry in the Sign-in pane: the log-based checks read again.
    pub(super) fn troubleshoot_entered(&mut self) {
        if std::mem::take(&mut self.troubleshoot.awaiting_retry) {
            self.wizard_step(WizardStep::Refresh);
        }
    }

    /// True while a wizard step waits for the worker.
    fn wizard_checking(&self) -> bool {
        matches!(self.in_flight, Some((_, InFlight::Wizard)))
    }

    /// Hands a wizard job to the worker ("checking…" meanwhile).
    fn wizard_job(&mut self, job: WizardJob) {
        self.start_change(Change::Wizard(Box::new(job)), InFlight::Wizard);
    }

    /// Asks the worker which symptom the findings point to; the picker opens with its answer.
    fn ask_symptom(&mut self) {
        let Some(upn) = self.profile_upn() else {
            self.toast(ToastKind::Info, "select the caller in Lookup first");
            return;
        };
        self.wizard_job(WizardJob::Suggest { upn });
    }

    /// The symptom picker, the findings' suggestion marked and under the cursor.
    fn show_symptoms(&mut self, suggested: Option<String>) {
        let tree = match Tree::embedded() {
            Ok(tree) => tree,
            Err(e) => {
                self.report("Cannot load the troubleshooting steps", &e);
                return;
            }
        };
        // The check-up first: for a caller who cannot yet say what they see.
        let options: Vec<(String, String)> = std::iter::once((
            "No symptom yet: run every automatic check (check-up)".to_owned(),
            CHECKUP.to_owned(),
        ))
        .chain(tree.symptoms.iter().map(|s| {
            let hint = if Some(&s.name) == suggested.as_ref() {
                "  (suggested by the findings)"
            } else {
                ""
            };
            (format!("{}{hint}", s.title), s.name.clone())
        }))
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

    /// Starts the walk for `symptom`, or the check-up for [`CHECKUP`], on the worker.
    pub(super) fn start_wizard(&mut self, symptom: &str) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        let revealed = self.profile.as_ref().is_some_and(|p| p.revealed);
        let operator = self.operator.clone();
        self.wizard_job(if symptom == CHECKUP {
            WizardJob::Checkup {
                operator,
                upn,
                revealed,
            }
        } else {
            WizardJob::Start {
                operator,
                upn,
                symptom: symptom.to_owned(),
                revealed,
            }
        });
    }

    /// The worker finished a wizard job.
    pub(super) fn finish_wizard(&mut self, done: WizardDone) {
        // The "checking…" notice is over; what follows says how it went.
        self.toast = None;
        match done {
            WizardDone::Suggested(Ok(symptom)) => self.show_symptoms(symptom),
            WizardDone::Checkup(Ok(found)) => {
                self.troubleshoot.wizard = None;
                self.troubleshoot.checkup = Some(*found);
                // The check-up reads from the top: its most pressing problems come first.
                self.troubleshoot.path_up = usize::MAX;
            }
            WizardDone::Started(Ok(wizard)) => {
                self.troubleshoot.selected = wizard.preselected_answer();
                self.troubleshoot.wizard = Some(*wizard);
                self.troubleshoot.checkup = None;
                self.troubleshoot.path_up = 0;
            }
            WizardDone::Suggested(Err(e))
            | WizardDone::Checkup(Err(e))
            | WizardDone::Started(Err(e)) => self.wizard_error(e),
            WizardDone::Stepped {
                wizard,
                step,
                outcome,
            } => {
                let done = wizard.actions().last().map(|record| {
                    let recheck = record
                        .recheck
                        .as_ref()
                        .map(|r| format!("; re-check: {}", r.finding))
                        .unwrap_or_default();
                    format!("{} done{recheck}", record.title)
                });
                self.troubleshoot.wizard = Some(*wizard);
                match (outcome, step) {
                    (Err(e), _) => self.wizard_error(e),
                    (Ok(()), WizardStep::ApplyAction) => {
                        self.toast(ToastKind::Success, done.unwrap_or_default());
                    }
                    (Ok(()), WizardStep::Refresh) if self.store.kind().is_graph() => {
                        let again = self.keymap.hint(Command::RetryInSignIn);
                        self.toast(
                            ToastKind::Info,
                            format!("re-checked the tenant's sign-in log; the caller signs in again on their own phone, then {again} reads it again (a new attempt can take minutes to show)"),
                        );
                    }
                    (Ok(()), WizardStep::Refresh) => self.toast(
                        ToastKind::Info,
                        "re-checked the sign-in log after the retry",
                    ),
                    (Ok(()), WizardStep::DeviceAnswer) => {}
                }
                self.after_step();
                if step == WizardStep::ApplyAction {
                    // A wizard fix may be several edits: undo does not reach back past it.
                    self.forget_undo();
                    self.after_wizard_change();
                }
            }
        }
    }

    /// Up and Down: with no answer under the cursor, Down takes the first and Up the last.
    fn move_answer(&mut self, delta: isize) {
        let count = match self.troubleshoot.wizard.as_ref().map(Wizard::current) {
            Some(Ok(Current::Question { answers, .. })) => answers.len(),
            _ => 0,
        };
        if count == 0 {
            return;
        }
        let next = match self.troubleshoot.selected {
            None if delta > 0 => 0,
            None => count - 1,
            Some(at) => at.saturating_add_signed(delta).min(count - 1),
        };
        self.troubleshoot.selected = Some(next);
    }

    /// Enter: answers the selected answer of a question, or asks to confirm a remedy's fix; on
    /// the check-up, walks the symptom it suggests.
    fn answer_or_fix(&mut self) {
        let Some(wizard) = &self.troubleshoot.wizard else {
            let suggested = self
                .troubleshoot
                .checkup
                .as_ref()
                .and_then(|c| c.suggested.clone());
            match suggested {
                Some(symptom) => self.start_wizard(&symptom),
                None => self.ask_symptom(),
            }
            return;
        };
        match wizard.current() {
            Ok(Current::Question { answers, .. }) => {
                let Some(at) = self.troubleshoot.selected else {
                    self.toast(
                        ToastKind::Info,
                        "choose the caller's answer first (up/down), then Enter: each answer leads to another remedy",
                    );
                    return;
                };
                let Some(answer) = answers.get(at).map(|a| a.name.clone()) else {
                    return;
                };
                // The caller's answer walks on through checks of facts already read: no I/O.
                let answered = self.troubleshoot.wizard.as_mut().map(|w| w.answer(&answer));
                if let Some(Err(e)) = answered {
                    self.wizard_error(e);
                }
                self.after_step();
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
        self.wizard_step(WizardStep::ApplyAction);
    }

    /// Runs one step of the walk that reads or changes the record, on a copy of it on the
    /// worker; the views follow when it is back.
    fn wizard_step(&mut self, step: WizardStep) {
        let Some(wizard) = &self.troubleshoot.wizard else {
            return;
        };
        let wizard = Box::new(wizard.clone());
        self.wizard_job(WizardJob::Step { wizard, step });
    }

    /// After any step: the cursor as the new question allows, the path at its newest line.
    fn after_step(&mut self) {
        self.troubleshoot.selected = self
            .troubleshoot
            .wizard
            .as_ref()
            .and_then(Wizard::preselected_answer);
        self.troubleshoot.path_up = 0;
    }

    fn wizard_back(&mut self) {
        let went_back = self.troubleshoot.wizard.as_mut().is_some_and(Wizard::back);
        if went_back {
            self.after_step();
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
        if self.store.kind().is_graph() {
            // A real user retries on their own phone, and the tenant's log tells how it went.
            self.wizard_step(WizardStep::Refresh);
            return;
        }
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

    /// A fix changed the directory: the profile and the list follow.
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
