//! Keys while a dialog is open: confirmations, the number field, the reason prompt, pickers.

use super::{App, Modal};
use crate::domain::{DefaultMethod, Edit};
use crate::tui::keymap::Command;
use crate::tui::widgets::dialog::{Confirm, OnYes, PendingEdit, Picker};
use crate::tui::widgets::phone_field::{FieldMode, PhoneField};
use crate::tui::widgets::toast::ToastKind;

impl App {
    pub(super) fn modal_command(&mut self, command: Command) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        self.modal = match modal {
            Modal::Help { scroll } => match command {
                Command::Down => Some(Modal::Help {
                    scroll: scroll.saturating_add(1),
                }),
                Command::Up => Some(Modal::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                Command::PageDown => Some(Modal::Help {
                    scroll: scroll.saturating_add(10),
                }),
                Command::PageUp => Some(Modal::Help {
                    scroll: scroll.saturating_sub(10),
                }),
                Command::Quit => {
                    self.quit = true;
                    None
                }
                _ => None,
            },
            Modal::Confirm(dialog) => match command {
                Command::Confirm => {
                    match &dialog.on_yes {
                        OnYes::Edit(pending) => self.apply(pending),
                        OnYes::WizardAction => self.apply_wizard_action(),
                    }
                    None
                }
                Command::Deny | Command::Back => {
                    self.toast(ToastKind::Info, "cancelled; nothing changed");
                    None
                }
                _ => Some(Modal::Confirm(dialog)),
            },
            Modal::Phone(field) => self.phone_command(field, command),
            Modal::Reason(prompt) => match command {
                Command::Submit => self.submit_reason(prompt),
                Command::Cancel => None,
                _ => Some(Modal::Reason(prompt)),
            },
            Modal::DefaultMethod(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(method) => {
                    if let Some(upn) = self.profile_upn() {
                        self.apply(&PendingEdit {
                            upn,
                            edit: Edit::SetDefault { method },
                            done: format!(
                                "default MFA method set to {}",
                                method.map_or("none", DefaultMethod::label)
                            ),
                            what: "set the default method".into(),
                        });
                    }
                    None
                }
                Picked::Open => Some(Modal::DefaultMethod(picker)),
                Picked::Closed => None,
            },
            Modal::Filters(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(filter) => {
                    let text = filter.toggle_in(self.lookup.input.value());
                    self.lookup.input.set(&text);
                    self.run_query();
                    Some(Modal::Filters(picker))
                }
                Picked::Open => Some(Modal::Filters(picker)),
                Picked::Closed => None,
            },
            Modal::Flow(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(request) => {
                    self.start_flow(request);
                    None
                }
                Picked::Open => Some(Modal::Flow(picker)),
                Picked::Closed => None,
            },
            Modal::Demo(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(name) => {
                    self.start_demo(&name);
                    None
                }
                Picked::Open => Some(Modal::Demo(picker)),
                Picked::Closed => None,
            },
            Modal::Symptom(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(name) => {
                    self.start_wizard(&name);
                    None
                }
                Picked::Open => Some(Modal::Symptom(picker)),
                Picked::Closed => None,
            },
            Modal::Conditions(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(condition) => {
                    self.apply_condition(&condition);
                    // Reopen with the new values, on the same row.
                    self.open_conditions(picker.selected);
                    self.modal.take()
                }
                Picked::Open => Some(Modal::Conditions(picker)),
                Picked::Closed => None,
            },
        };
    }

    pub(super) fn phone_command(
        &mut self,
        mut field: Box<PhoneField>,
        command: Command,
    ) -> Option<Modal> {
        match command {
            Command::ApplySuggestion => {
                if !field.apply_suggestion() {
                    self.toast(ToastKind::Info, "no suggestion for this number");
                }
                Some(Modal::Phone(field))
            }
            Command::Cancel => None,
            Command::Submit => {
                let Some(number) = field.number().cloned() else {
                    let why = field.check().errors.first().map_or_else(
                        || "the number is not accepted".to_owned(),
                        |e| e.message.clone(),
                    );
                    self.toast(ToastKind::Error, why);
                    return Some(Modal::Phone(field));
                };
                let slot = field.slot;
                let pending = match field.mode {
                    FieldMode::Add => PendingEdit {
                        upn: field.upn.clone(),
                        edit: Edit::AddPhone {
                            slot,
                            number: number.clone(),
                        },
                        done: format!("added {} {}", slot.label().to_lowercase(), number.masked()),
                        what: format!("add {slot}"),
                    },
                    FieldMode::Update => PendingEdit {
                        upn: field.upn.clone(),
                        edit: Edit::UpdatePhone {
                            slot,
                            number: number.clone(),
                        },
                        done: format!(
                            "changed {} to {}",
                            slot.label().to_lowercase(),
                            number.masked()
                        ),
                        what: format!("update {slot}"),
                    },
                };
                if field.mode == FieldMode::Update {
                    // Replacing a number loses the old one: confirm like any destructive change.
                    let old = self
                        .profile
                        .as_ref()
                        .and_then(|p| p.user.method(slot))
                        .map(|m| m.phone_number.masked())
                        .unwrap_or_default();
                    return Some(Modal::Confirm(Confirm {
                        title: "Replace number?".into(),
                        message: vec![
                            format!(
                                "Replace the {} number of {}",
                                slot.label().to_lowercase(),
                                field.user_label
                            ),
                            format!("{old} → {number}"),
                        ],
                        on_yes: OnYes::Edit(pending),
                    }));
                }
                self.apply(&pending);
                None
            }
            _ => Some(Modal::Phone(field)),
        }
    }
}

/// What a key did to a picker.
enum Picked<T> {
    /// Still open (moved, or an unrelated key).
    Open,
    Chosen(T),
    Closed,
}

/// The one way every picker reads keys: move, choose with Open, close with anything else.
fn pick<T: Clone>(picker: &mut Picker<T>, command: Command) -> Picked<T> {
    match command {
        Command::Down => {
            picker.down();
            Picked::Open
        }
        Command::Up => {
            picker.up();
            Picked::Open
        }
        Command::Open => picker
            .chosen()
            .cloned()
            .map_or(Picked::Closed, Picked::Chosen),
        _ => Picked::Closed,
    }
}
