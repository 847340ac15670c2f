//! What the operator does to the selected user: reveal, block, add/change/delete/fix numbers,
//! SMS sign-in, the default method; each through the store, then the views are refreshed.

use super::{App, Modal};
use crate::domain::rules;
use crate::domain::{DefaultMethod, Edit, PhoneMethod, PhoneType};
use crate::store::StoreError;
use crate::tui::keymap::Command;
use crate::tui::widgets::dialog::{
    Confirm, OnYes, PendingEdit, Picker, REASON_MAX_CHARS, ReasonPrompt,
};
use crate::tui::widgets::phone_field::{FieldMode, PhoneField};
use crate::tui::widgets::text_input::TextInput;
use crate::tui::widgets::toast::ToastKind;

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

    pub(super) fn reveal(&mut self) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        match self.store.reveal(&self.operator, &upn, "tui profile") {
            Ok(_) => {
                self.profile = self.load_profile(&upn, true);
                self.toast(
                    ToastKind::Info,
                    format!("numbers of {upn} revealed; the reveal is audited"),
                );
            }
            Err(e) => self.toast(
                ToastKind::Error,
                format!("cannot reveal numbers of {upn}: {e}"),
            ),
        }
    }

    pub(super) fn ask_block(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let block = profile.active_block.is_none();
        let title = if block {
            format!("Block {} from phone MFA", self.user_label())
        } else {
            format!("Unblock {}", self.user_label())
        };
        self.modal = Some(Modal::Reason(ReasonPrompt {
            title,
            input: TextInput::new(REASON_MAX_CHARS),
            upn: profile.user.upn().to_string(),
            block,
        }));
    }

    pub(super) fn submit_reason(&mut self, prompt: ReasonPrompt) -> Option<Modal> {
        if prompt.input.value().trim().is_empty() {
            self.toast(ToastKind::Error, "a reason is required");
            return Some(Modal::Reason(prompt));
        }
        let reason = prompt.input.value().trim().to_owned();
        let (edit, done, what) = if prompt.block {
            (Edit::Block { reason }, "blocked", "block")
        } else {
            (Edit::Unblock { reason }, "unblocked", "unblock")
        };
        self.apply(&PendingEdit {
            upn: prompt.upn,
            edit,
            done: done.into(),
            what: what.into(),
        });
        None
    }

    pub(super) fn ask_number(&mut self, mode: FieldMode) {
        let Some(profile) = &self.profile else {
            return;
        };
        let slot = self.methods.slot();
        let user = profile.user.clone();
        let revealed = profile.revealed;
        let existing = user.method(slot);
        let (verb, other) = match mode {
            FieldMode::Add => ("add", Command::Edit),
            FieldMode::Update => ("update", Command::Add),
        };
        match (mode, existing) {
            (FieldMode::Add, Some(_)) => {
                let hint = self.keymap.hint(other);
                self.toast(
                    ToastKind::Info,
                    format!("the {slot} slot has a number; press {hint} to change it"),
                );
                return;
            }
            (FieldMode::Update, None) => {
                let hint = self.keymap.hint(other);
                self.toast(
                    ToastKind::Info,
                    format!("the {slot} slot is empty; press {hint} to add a number"),
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
        if let Some(rule) = refusal {
            self.toast(
                ToastKind::Error,
                format!("cannot {verb} {slot} for {}: {rule}", user.upn()),
            );
            return;
        }
        // A masked number is not shown in full just because it is being edited.
        let current = existing.filter(|_| revealed).map(|m| &m.phone_number);
        let field = PhoneField::new(
            slot,
            mode,
            current,
            user.usage_location,
            user.upn().as_str(),
            &self.user_label(),
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
        let Some(method) = profile.user.method(slot) else {
            self.toast(ToastKind::Info, "this slot is empty");
            return;
        };
        let Some((suggestion, why)) = profile.check(slot).and_then(|d| {
            d.warnings
                .iter()
                .find_map(|w| w.suggestion.clone().map(|s| (s, w.message.clone())))
        }) else {
            self.toast(
                ToastKind::Info,
                format!("no correction to suggest for the {slot} number"),
            );
            return;
        };
        let show = |n: &crate::domain::PhoneNumber| {
            if profile.revealed {
                n.to_string()
            } else {
                n.masked()
            }
        };
        let message = vec![
            format!(
                "Replace the {} number of {}",
                slot.label().to_lowercase(),
                self.user_label()
            ),
            format!("{} → {}", show(&method.phone_number), show(&suggestion)),
            why,
        ];
        let done = format!(
            "corrected the {} number to {}",
            slot.label().to_lowercase(),
            suggestion.masked()
        );
        self.modal = Some(Modal::Confirm(Confirm {
            title: "Apply the suggested correction?".into(),
            message,
            on_yes: OnYes::Edit(PendingEdit {
                upn: profile.user.upn().to_string(),
                edit: Edit::UpdatePhone {
                    slot,
                    number: suggestion,
                },
                done,
                what: format!("update {slot}"),
            }),
        }));
    }

    pub(super) fn ask_delete(&mut self) {
        let Some(method) = self.selected_method() else {
            self.toast(ToastKind::Info, "this slot is empty");
            return;
        };
        let slot = method.phone_type;
        let masked = method.phone_number.masked();
        let Some(upn) = self.profile_upn() else {
            return;
        };
        self.modal = Some(Modal::Confirm(Confirm {
            title: "Delete number?".into(),
            message: vec![
                format!(
                    "Delete the {} number {masked} of {}?",
                    slot.label().to_lowercase(),
                    self.user_label()
                ),
                "The user can no longer be called or texted on it.".into(),
            ],
            on_yes: OnYes::Edit(PendingEdit {
                upn,
                edit: Edit::DeletePhone { slot },
                done: format!("deleted the {} number", slot.label().to_lowercase()),
                what: format!("delete {slot}"),
            }),
        }));
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
        if enabled {
            self.modal = Some(Modal::Confirm(Confirm {
                title: "Disable SMS sign-in?".into(),
                message: vec![format!(
                    "{} will no longer sign in with their phone number and a text code.",
                    self.user_label()
                )],
                on_yes: OnYes::Edit(PendingEdit {
                    upn,
                    edit: Edit::SetSmsSignIn { enabled: false },
                    done: "SMS sign-in disabled".into(),
                    what: "disable SMS sign-in".into(),
                }),
            }));
        } else {
            self.apply(&PendingEdit {
                upn,
                edit: Edit::SetSmsSignIn { enabled: true },
                done: "SMS sign-in enabled".into(),
                what: "enable SMS sign-in".into(),
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
            .map(|m| (format!("{} ({m})", m.label()), Some(*m)))
            .collect();
        options.push(("No default".into(), None));
        let selected = options
            .iter()
            .position(|(_, m)| *m == profile.user.default_mfa_method)
            .unwrap_or(0);
        self.modal = Some(Modal::DefaultMethod(Picker {
            title: "Default MFA method".into(),
            options,
            selected,
        }));
    }

    /// Performs a confirmed edit through the store, then refreshes what shows the user.
    pub(super) fn apply(&mut self, pending: &PendingEdit) {
        match self.store.edit(&self.operator, &pending.upn, &pending.edit) {
            Ok(applied) => {
                let mut text = format!("saved: {} for {}", pending.done, pending.upn);
                if let Some(first) = applied.warnings.first() {
                    text.push_str(&format!(" (warning: {first})"));
                }
                let revealed = self.profile.as_ref().is_some_and(|p| p.revealed);
                self.profile = self.load_profile(&pending.upn, revealed);
                self.users_changed();
                self.toast(ToastKind::Success, text);
            }
            Err(StoreError::Io(e)) => {
                self.fatal = Some(format!("storage failed, nothing was saved: {e}"));
                self.dirty = true;
            }
            Err(e) => {
                let text = match e {
                    StoreError::Rule(rule) => {
                        format!("cannot {} for {}: {rule}", pending.what, pending.upn)
                    }
                    other => other.to_string(),
                };
                self.toast(ToastKind::Error, text);
            }
        }
    }
}
