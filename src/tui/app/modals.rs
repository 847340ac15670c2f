//! Keys while a dialog is open: confirmations, the number field, the reason prompt, pickers.

use super::{App, Modal};
use crate::domain::{DefaultMethod, Edit};
use crate::tui::keymap::Command;
use crate::tui::widgets::dialog::{Confirm, PendingEdit};
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
                    self.apply(&dialog.pending);
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
            Modal::DefaultMethod(mut picker) => match command {
                Command::Down => {
                    picker.down();
                    Some(Modal::DefaultMethod(picker))
                }
                Command::Up => {
                    picker.up();
                    Some(Modal::DefaultMethod(picker))
                }
                Command::Open => {
                    if let (Some(method), Some(upn)) =
                        (picker.chosen().copied(), self.profile_upn())
                    {
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
                _ => None,
            },
            Modal::Filters(mut picker) => match command {
                Command::Down => {
                    picker.down();
                    Some(Modal::Filters(picker))
                }
                Command::Up => {
                    picker.up();
                    Some(Modal::Filters(picker))
                }
                Command::Open => {
                    if let Some(filter) = picker.chosen().copied() {
                        let text = filter.toggle_in(self.lookup.input.value());
                        self.lookup.input.set(&text);
                        self.run_query();
                    }
                    Some(Modal::Filters(picker))
                }
                _ => None,
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
                        pending,
                    }));
                }
                self.apply(&pending);
                None
            }
            _ => Some(Modal::Phone(field)),
        }
    }
}
