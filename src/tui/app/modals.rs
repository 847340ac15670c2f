//! Keys while something covers the panes: the help, the message log, confirmations, the number
//! field, the reason prompt, pickers. Esc always closes what is on top (or leaves its field).

use super::{App, Modal};
use crate::domain::{Edit, rules};
use crate::tui::keymap::Command;
use crate::tui::widgets::dialog::{Confirm, OnYes, PendingEdit, Picker, PickerKind};
use crate::tui::widgets::help::HelpView;
use crate::tui::widgets::message_log::MessagesView;
use crate::tui::widgets::phone_field::{FieldMode, PhoneField};
use crate::tui::widgets::toast::ToastKind;
use crate::tui::words;

/// Lines a page key scrolls the help and the log.
const PAGE_LINES: isize = 10;

impl App {
    pub(super) fn open_help(&mut self) {
        self.modal = Some(Modal::Help(HelpView::default()));
    }

    pub(super) fn open_messages(&mut self) {
        self.modal = Some(Modal::Messages(MessagesView::new(self.clock.now())));
    }

    pub(super) fn modal_command(&mut self, command: Command) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        self.modal = match modal {
            Modal::Help(help) => self.help_command(help, command),
            Modal::Messages(mut log) => {
                let delta = match command {
                    Command::Up => Some(1),
                    Command::Down => Some(-1),
                    Command::PageUp => Some(PAGE_LINES),
                    Command::PageDown => Some(-PAGE_LINES),
                    Command::Top => Some(isize::MAX / 2),
                    Command::Bottom => Some(isize::MIN / 2),
                    _ => None,
                };
                match (delta, command) {
                    (Some(delta), _) => {
                        log.scroll_by(delta);
                        Some(Modal::Messages(log))
                    }
                    (None, Command::Quit) => {
                        self.quit = true;
                        None
                    }
                    (None, Command::Help) => {
                        self.open_help();
                        self.modal.take()
                    }
                    _ => None,
                }
            }
            Modal::Confirm(dialog) => self.confirm_command(dialog, command),
            Modal::Phone(field) => self.phone_command(field, command),
            Modal::Reason(prompt) => match command {
                Command::Submit => self.submit_reason(prompt),
                Command::Cancel => None,
                _ => Some(Modal::Reason(prompt)),
            },
            Modal::DefaultMethod(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(method) => {
                    self.set_default(method);
                    None
                }
                Picked::Open => Some(Modal::DefaultMethod(picker)),
                Picked::Closed => None,
            },
            Modal::Filters(mut picker) => match pick(&mut picker, command) {
                Picked::Chosen(filter) => {
                    self.toggle_filter(filter);
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

    /// The help: scroll, filter with `/`, Esc leaves the filter field, then clears the filter,
    /// then closes.
    fn help_command(&mut self, mut help: HelpView, command: Command) -> Option<Modal> {
        if help.filtering {
            match command {
                Command::Submit | Command::Down => help.filtering = false,
                Command::Cancel => {
                    help.filtering = false;
                    help.filter.set("");
                    help.scroll = 0;
                }
                _ => {}
            }
            return Some(Modal::Help(help));
        }
        match command {
            Command::Down => help.scroll_by(1),
            Command::Up => help.scroll_by(-1),
            Command::PageDown => help.scroll_by(PAGE_LINES),
            Command::PageUp => help.scroll_by(-PAGE_LINES),
            Command::Top => help.scroll = 0,
            Command::Bottom => help.scroll_by(isize::MAX / 2),
            Command::FocusSearch => {
                help.filtering = true;
                help.filter.select_all();
            }
            Command::Back if !help.filter.value().is_empty() => {
                help.filter.set("");
                help.scroll = 0;
            }
            Command::Quit => {
                self.quit = true;
                return None;
            }
            Command::Messages => {
                self.open_messages();
                return self.modal.take();
            }
            _ => return None,
        }
        Some(Modal::Help(help))
    }

    fn confirm_command(&mut self, dialog: Confirm, command: Command) -> Option<Modal> {
        match command {
            Command::Confirm | Command::Open if dialog.refusal.is_none() => {
                match &dialog.on_yes {
                    OnYes::Edit(pending) => self.apply(pending),
                    OnYes::WizardAction => self.apply_wizard_action(),
                    OnYes::Undo => self.apply_undo(),
                    OnYes::ResetWorld => self.reset_world(),
                }
                None
            }
            Command::Deny | Command::Back | Command::Open | Command::Confirm => {
                if dialog.refusal.is_none() {
                    self.toast(ToastKind::Info, "cancelled; nothing changed");
                }
                None
            }
            _ => Some(Modal::Confirm(dialog)),
        }
    }

    /// A confirmation for `pending`, or, when the domain already refuses it on paper, the same
    /// dialog saying why in place of the question.
    pub(super) fn confirm_edit(&mut self, title: &str, message: Vec<String>, pending: PendingEdit) {
        let refusal = self.refusal(&pending).map(|e| e.to_string());
        let (title, message) = match &refusal {
            Some(why) => {
                self.messages.push(
                    self.clock.now(),
                    ToastKind::Error,
                    format!("cannot {}: {why}", pending.what),
                );
                (format!("Cannot {}", pending.what), Vec::new())
            }
            None => (title.to_owned(), message),
        };
        self.modal = Some(Modal::Confirm(Confirm {
            title,
            message,
            on_yes: OnYes::Edit(pending),
            refusal,
        }));
    }

    /// Why the domain refuses `pending` for the shown profile, tried on paper (the store
    /// decides again when it is made).
    pub(super) fn refusal(&self, pending: &PendingEdit) -> Option<rules::RuleError> {
        let profile = self.profile.as_ref().filter(|p| p.is(&pending.upn))?;
        let ctx = rules::EditContext {
            operator: &self.operator,
            policy: &self.policy,
            now: self.clock.now(),
            mobile_claims: &profile.mobile_claims,
        };
        rules::apply_edit(&profile.user, &pending.edit, &ctx).err()
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
                    // The field shows its errors as long as they last: no popup on top.
                    let why = if field.input.value().trim().is_empty() {
                        "type a number first"
                    } else {
                        "fix the errors shown in the field first"
                    };
                    self.toast(ToastKind::Info, format!("not saved: {why}"));
                    return Some(Modal::Phone(field));
                };
                let slot = field.slot;
                let noun = words::slot_number(slot);
                let pending = match field.mode {
                    FieldMode::Add => PendingEdit {
                        upn: field.upn.clone(),
                        edit: Edit::AddPhone {
                            slot,
                            number: number.clone(),
                        },
                        done: format!("added the {noun} {}", number.masked()),
                        what: format!("add the {noun} for {}", field.user_label),
                    },
                    FieldMode::Update => PendingEdit {
                        upn: field.upn.clone(),
                        edit: Edit::UpdatePhone {
                            slot,
                            number: number.clone(),
                        },
                        done: format!("changed the {noun} to {}", number.masked()),
                        what: format!("change the {noun} of {}", field.user_label),
                    },
                };
                // A number the rules refuse keeps the field open, with the reason on top.
                if let Some(why) = self.refusal(&pending) {
                    self.alert(format!("Cannot {}", pending.what), why.to_string());
                    return Some(Modal::Phone(field));
                }
                if field.mode == FieldMode::Add {
                    self.apply(&pending);
                    return None;
                }
                // Replacing a number loses the old one: confirm like any destructive change.
                let shown = |n: &crate::domain::PhoneNumber| {
                    self.profile
                        .as_ref()
                        .map_or_else(|| n.masked(), |p| p.show(n))
                };
                let old = self
                    .profile
                    .as_ref()
                    .map(|p| p.show_slot(slot))
                    .unwrap_or_default();
                let message = vec![
                    format!("Replace the {noun} of {}", field.user_label),
                    format!("{old} → {}", shown(&number)),
                ];
                self.confirm_edit("Replace number?", message, pending);
                self.modal.take()
            }
            _ => Some(Modal::Phone(field)),
        }
    }
}

/// What a key did to a picker.
pub(super) enum Picked<T> {
    /// Still open (moved, or an unrelated key).
    Open,
    Chosen(T),
    Closed,
}

/// The one way every picker reads keys: move, choose with Open, close with anything else.
pub(super) fn pick<T: Clone>(picker: &mut Picker<T>, command: Command) -> Picked<T> {
    match command {
        Command::Down => {
            picker.down();
            Picked::Open
        }
        Command::Up => {
            picker.up();
            Picked::Open
        }
        Command::Top => {
            picker.selected = 0;
            Picked::Open
        }
        Command::Bottom => {
            picker.selected = picker.options.len().saturating_sub(1);
            Picked::Open
        }
        Command::Open => picker
            .chosen()
            .cloned()
            .map_or(Picked::Closed, Picked::Chosen),
        _ if picker.kind == PickerKind::Toggle && command != Command::Back => Picked::Open,
        _ => Picked::Closed,
    }
}
