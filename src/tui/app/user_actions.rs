//! What the operator does to the selected user: reveal, block, add/change/delete/fix numbers,
//! SMS sign-in, the default method; each through the store, then the views are refreshed.
//! A change the domain refuses on paper is refused before the operator confirms it.

use super::changes::{InFlight, first_warning};
use super::{App, Modal};
use crate::domain::rules;
use crate::domain::{Applied, DefaultMethod, Edit, PhoneMethod, PhoneType, User};
use crate::store::StoreError;
use crate::tui::keymap::Command;
use crate::tui::widgets::dialog::{
    PendingEdit, Picker, PickerKind, REASON_MAX_CHARS, ReasonPrompt,
};
use crate::tui::widgets::phone_field::{FieldMode, PhoneField};
use crate::tui::widgets::text_input::TextInput;
use crate::tui::widgets::toast::ToastKind;
use crate::tui::words;
use crate::tui::worker::Change;

impl App {
    // ----- actions on the selected user -----

    pub(super) fn profile_upn(&self) -> Option<String> {
        self.profile.as_ref().map(|p| p.user.upn().to_string())
    }

    pub(super) fn user_label(&self) -> String {
        self.profile.as_ref().map_or_else(String::new, |p| {
            crate::domain::sanitize::display_safe(&p.user.display_name).into_owned()
        })
    }

    pub(super) fn selected_method(&self) -> Option<&PhoneMethod> {
        self.profile.as_ref()?.user.method(self.methods.slot())
    }

    /// Whether the operator's role lets them reveal (and change) the shown user's numbers.
    pub fn may_act_on_profile(&self) -> Result<(), rules::RuleError> {
        match &self.profile {
            Some(p) => self.operator.may_act_on(&p.user),
            None => Ok(()),
        }
    }

    /// `r`: reveals the numbers (audited), or masks them again (nothing to audit).
    pub(super) fn reveal(&mut self) {
        let Some(profile) = &mut self.profile else {
            return;
        };
        let upn = profile.user.upn().to_string();
        if profile.revealed {
            profile.revealed = false;
            self.toast(ToastKind::Info, format!("numbers of {upn} masked again"));
            return;
        }
        if let Err(rule) = self.operator.may_act_on(&profile.user) {
            let name = self.user_label();
            self.alert(
                format!("The numbers of {name} stay masked"),
                rule.to_string(),
            );
            return;
        }
        self.start_change(
            Change::Reveal {
                operator: self.operator.clone(),
                upn: upn.clone(),
                context: "tui profile".into(),
            },
            InFlight::Reveal { upn },
        );
    }

    /// The worker recorded the reveal (or could not).
    pub(super) fn finish_reveal(&mut self, upn: &str, result: Result<(), StoreError>) {
        match result {
            Ok(()) => {
                self.load_profile(upn, true);
                self.toast(
                    ToastKind::Info,
                    format!(
                        "numbers of {upn} revealed; the reveal is audited; press {} to mask them",
                        self.keymap.hint(Command::Reveal)
                    ),
                );
            }
            Err(e) => self.report(&format!("Cannot reveal the numbers of {upn}"), &e),
        }
    }

    pub(super) fn ask_block(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let block = profile.active_block.is_none();
        let name = self.user_label();
        let upn = profile.user.upn().to_string();
        // The rules that need no reason are checked before the operator types one.
        let trial = PendingEdit {
            upn: upn.clone(),
            edit: if block {
                Edit::Block { reason: "-".into() }
            } else {
                Edit::Unblock { reason: "-".into() }
            },
            done: String::new(),
            what: String::new(),
        };
        if let Some(rule) = self.refusal(&trial) {
            let verb = if block { "block" } else { "unblock" };
            self.alert(format!("Cannot {verb} {name}"), rule.to_string());
            return;
        }
        let title = if block && self.store.kind().is_graph() {
            // Graph has one switch for this, accountEnabled: not a phone-only block.
            format!("Block {name}: disables the account, every sign-in, not only phone MFA")
        } else if block {
            format!("Block {name} from phone MFA")
        } else {
            format!("Unblock {name}")
        };
        self.modal = Some(Modal::Reason(ReasonPrompt {
            title,
            input: TextInput::new(REASON_MAX_CHARS),
            upn,
            block,
        }));
    }

    pub(super) fn submit_reason(&mut self, prompt: ReasonPrompt) -> Option<Modal> {
        if prompt.input.value().trim().is_empty() {
            self.toast(
                ToastKind::Info,
                "a reason is required: type why (it goes into the audit trail)",
            );
            return Some(Modal::Reason(prompt));
        }
        let reason = prompt.input.value().trim().to_owned();
        let name = self.user_label();
        let (edit, done, what) = if prompt.block {
            (Edit::Block { reason }, "blocked", format!("block {name}"))
        } else {
            (
                Edit::Unblock { reason },
                "unblocked",
                format!("unblock {name}"),
            )
        };
        self.apply(&PendingEdit {
            upn: prompt.upn,
            edit,
            done: done.into(),
            what,
        });
        None
    }

    pub(super) fn ask_number(&mut self, mode: FieldMode) {
        let Some(profile) = &self.profile else {
            return;
        };
        let slot = self.methods.slot();
        let user = profile.user.clone();
        let existing = user.method(slot);
        let noun = words::slot_number(slot);
        let (verb, other) = match mode {
            FieldMode::Add => ("add", Command::Edit),
            FieldMode::Update => ("change", Command::Add),
        };
        match (mode, existing) {
            (FieldMode::Add, Some(_)) => {
                let hint = self.keymap.hint(other);
                self.toast(
                    ToastKind::Info,
                    format!("the {noun} is already set; press {hint} to change it"),
                );
                return;
            }
            (FieldMode::Update, None) => {
                let hint = self.keymap.hint(other);
                self.toast(
                    ToastKind::Info,
                    format!("there is no {noun}; press {hint} to add one"),
                );
                return;
            }
            _ => {}
        }
        // The rules that need no number are checked before the operator types one.
        let refusal = self
            .operator
            .may_act_on(&user)
            .err()
            .or_else(|| match mode {
                FieldMode::Add => rules::can_add(&user, slot, &self.policy).err(),
                FieldMode::Update => None,
            });
        let name = self.user_label();
        if let Some(rule) = refusal {
            let whose = if mode == FieldMode::Add { "for" } else { "of" };
            self.alert(
                format!("Cannot {verb} the {noun} {whose} {name}"),
                rule.to_string(),
            );
            return;
        }
        // A masked number is not shown in full just because it is being edited.
        let current = existing
            .filter(|_| profile.revealed)
            .map(|m| &m.phone_number);
        let field = PhoneField::new(
            slot,
            mode,
            current,
            user.usage_location,
            user.upn().as_str(),
            &name,
        );
        self.modal = Some(Modal::Phone(Box::new(field)));
    }

    /// Offers the domain's suggested correction for the selected number, shown masked unless the
    /// numbers are revealed: fixing a wrong country code needs no reveal.
    pub(super) fn ask_fix(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let slot = self.methods.slot();
        let noun = words::slot_number(slot);
        let Some(method) = profile.user.method(slot) else {
            self.toast(ToastKind::Info, format!("there is no {noun} to fix"));
            return;
        };
        let Some((suggestion, why)) = profile.check(slot).and_then(|d| {
            d.warnings
                .iter()
                .find_map(|w| w.suggestion.clone().map(|s| (s, w.message.clone())))
        }) else {
            self.toast(
                ToastKind::Info,
                format!("no correction to suggest for the {noun}"),
            );
            return;
        };
        let name = self.user_label();
        let message = vec![
            format!("Replace the {noun} of {name}"),
            format!(
                "{} → {}",
                profile.show(&method.phone_number),
                profile.show(&suggestion)
            ),
            why,
        ];
        let pending = PendingEdit {
            upn: profile.user.upn().to_string(),
            done: format!("corrected the {noun} to {}", suggestion.masked()),
            edit: Edit::UpdatePhone {
                slot,
                number: suggestion,
            },
            what: format!("correct the {noun} of {name}"),
        };
        self.confirm_edit("Apply the suggested correction?", message, pending);
    }

    pub(super) fn ask_delete(&mut self) {
        let slot = self.methods.slot();
        let noun = words::slot_number(slot);
        let Some(method) = self.selected_method() else {
            self.toast(ToastKind::Info, format!("there is no {noun} to delete"));
            return;
        };
        let number = method.phone_number.clone();
        let (Some(upn), Some(profile)) = (self.profile_upn(), &self.profile) else {
            return;
        };
        let shown = profile.show(&number);
        let name = self.user_label();
        let message = vec![
            format!("Delete the {noun} {shown} of {name}?"),
            "The user can no longer be called or texted on it.".into(),
        ];
        let pending = PendingEdit {
            upn,
            edit: Edit::DeletePhone { slot },
            done: format!("deleted the {noun}"),
            what: format!("delete the {noun} of {name}"),
        };
        self.confirm_edit("Delete number?", message, pending);
    }

    pub(super) fn toggle_sms_sign_in(&mut self) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        let enabled = self
            .profile
            .as_ref()
            .and_then(|p| p.user.method(PhoneType::Mobile))
            .is_some_and(|m| m.sms_sign_in_enabled);
        let name = self.user_label();
        if enabled {
            let message = vec![format!(
                "{name} will no longer sign in with their phone number and a text code."
            )];
            let pending = PendingEdit {
                upn,
                edit: Edit::SetSmsSignIn { enabled: false },
                done: "SMS sign-in disabled".into(),
                what: format!("disable SMS sign-in for {name}"),
            };
            self.confirm_edit("Disable SMS sign-in?", message, pending);
        } else {
            self.apply(&PendingEdit {
                upn,
                edit: Edit::SetSmsSignIn { enabled: true },
                done: "SMS sign-in enabled".into(),
                what: format!("enable SMS sign-in for {name}"),
            });
        }
    }

    pub(super) fn ask_default(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let mut options: Vec<(String, Option<DefaultMethod>)> = DefaultMethod::ALL
            .iter()
            .filter(|m| profile.user.method(m.slot()).is_some())
            .map(|m| (m.label().to_owned(), Some(*m)))
            .collect();
        options.push(("No default".into(), None));
        let current = profile.user.default_mfa_method;
        for (label, method) in &mut options {
            if *method == current {
                label.push_str("  (current)");
            }
        }
        let selected = options.iter().position(|(_, m)| *m == current).unwrap_or(0);
        self.modal = Some(Modal::DefaultMethod(Picker {
            title: "Default MFA method".into(),
            options,
            selected,
            kind: PickerKind::Choose,
        }));
    }

    /// The default picker's choice: a change through the store; the current method again is
    /// no change at all (nothing is saved or audited).
    pub(super) fn set_default(&mut self, method: Option<DefaultMethod>) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        let name = self.user_label();
        let pending = PendingEdit {
            upn,
            edit: Edit::SetDefault { method },
            done: format!(
                "default MFA method set to {}",
                words::default_method(method)
            ),
            what: format!("set the default MFA method of {name}"),
        };
        if let Some(rules::RuleError::DefaultAlready { .. }) = self.refusal(&pending) {
            self.toast(
                ToastKind::Info,
                format!(
                    "{} is already the default; nothing changed",
                    words::default_method(method)
                ),
            );
            return;
        }
        self.apply(&pending);
    }

    /// Performs a confirmed edit through the store, then refreshes what shows the user, and
    /// remembers how to undo it.
    pub(super) fn apply(&mut self, pending: &PendingEdit) {
        let before = self
            .profile
            .as_ref()
            .filter(|p| p.is(&pending.upn))
            .map(|p| p.user.clone());
        self.start_change(
            Change::Edits {
                operator: self.operator.clone(),
                upn: pending.upn.clone(),
                edits: vec![pending.edit.clone()],
            },
            InFlight::Edit {
                pending: Box::new(pending.clone()),
                before: before.map(Box::new),
            },
        );
    }

    /// The worker made (or could not make) a confirmed edit.
    pub(super) fn finish_edit(
        &mut self,
        pending: &PendingEdit,
        before: Option<&User>,
        result: Result<Applied, StoreError>,
    ) {
        match result {
            Ok(applied) => {
                let mut text = format!("saved: {} for {}", pending.done, pending.upn);
                if let Some(first) = first_warning(&applied) {
                    text.push_str(&format!(" (warning: {first})"));
                }
                self.remember_undo(before, pending);
                let revealed =
                    before.is_some() && self.profile.as_ref().is_some_and(|p| p.revealed);
                self.load_profile(&pending.upn, revealed);
                self.users_changed();
                self.toast(ToastKind::Success, text);
            }
            Err(e) => self.report(&format!("Cannot {}", pending.what), &e),
        }
    }
}
