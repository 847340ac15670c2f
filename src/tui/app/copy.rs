//! `y`: copies what the pane is about to the clipboard (OSC 52, so it works over SSH): the
//! selected user's UPN; in the Sign-in pane the correlation id; in the Troubleshoot pane the
//! ticket note.

use super::{App, PaneId};
use crate::tui::widgets::toast::ToastKind;

impl App {
    pub(super) fn copy(&mut self) {
        let found = match self.pane {
            PaneId::SignIn => self
                .signin
                .active()
                .and_then(|s| s.view().correlation_id.map(|id| id.to_string()))
                .map(|id| ("the correlation id", id))
                .ok_or("there is no sign-in with a correlation id yet"),
            PaneId::Troubleshoot => match &self.troubleshoot.wizard {
                Some(wizard) => match wizard.ticket() {
                    Ok(note) => Ok(("the ticket note", note)),
                    Err(e) => {
                        self.report("Cannot copy the ticket note", &e);
                        return;
                    }
                },
                None => Err("start the wizard first: there is no ticket note yet"),
            },
            PaneId::Lookup | PaneId::Methods => self
                .profile_upn()
                .or_else(|| self.selected_upn())
                .map(|upn| ("the UPN", upn))
                .ok_or("select a user first"),
        };
        match found {
            Ok((what, text)) => {
                let shown = if text.contains('\n') {
                    format!("{what} ({} lines)", text.lines().count())
                } else {
                    format!("{what} {text}")
                };
                self.clipboard = Some(text);
                self.toast(
                    ToastKind::Success,
                    format!("copied {shown} to the clipboard (the terminal must allow OSC 52)"),
                );
            }
            Err(why) => self.toast(ToastKind::Info, format!("nothing to copy: {why}")),
        }
    }
}
