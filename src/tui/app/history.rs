//! The selected user's sign-in attempts beside their audit trail: asked of the worker whenever a
//! profile is shown and whenever the Methods pane is opened (an attempt in the Sign-in pane, or
//! one on the real tenant, changes the log without changing the user).

use super::App;
use crate::tui::history::SignInHistory;
use crate::tui::widgets::toast::ToastKind;

/// What the Methods pane has of the shown user's sign-in log.
#[derive(Clone, Debug)]
pub enum SignIns {
    Loaded(SignInHistory),
    /// The log could not be read (on a real tenant: no permission for it, or the network).
    Failed {
        upn: crate::domain::Upn,
        why: String,
    },
}

impl SignIns {
    /// Whether this is about `upn` (an answer for the previous user is not shown).
    pub fn is(&self, upn: &crate::domain::Upn) -> bool {
        match self {
            Self::Loaded(history) => history.is(upn),
            Self::Failed { upn: of, .. } => of.as_str().eq_ignore_ascii_case(upn.as_str()),
        }
    }
}

impl App {
    /// Asks the worker for the shown user's attempts; with no user shown, forgets the last ones.
    pub(super) fn refresh_sign_ins(&mut self) {
        match self.profile.as_ref().map(|p| p.user.upn().clone()) {
            Some(upn) => self.sign_ins_pending = self.worker.load_sign_ins(&upn),
            None => {
                self.sign_ins = None;
                self.sign_ins_pending = self.worker.supersede_sign_ins();
                self.sign_ins_answered = self.sign_ins_pending;
            }
        }
    }

    /// The worker's answer; only the newest request's is kept.
    pub(super) fn sign_ins_loaded(
        &mut self,
        generation: u64,
        loaded: Result<Box<SignInHistory>, String>,
    ) {
        if generation != self.sign_ins_pending {
            return;
        }
        self.sign_ins_answered = generation;
        let Some(upn) = self.profile.as_ref().map(|p| p.user.upn().clone()) else {
            return;
        };
        self.sign_ins = Some(match loaded {
            Ok(history) => SignIns::Loaded(*history),
            Err(why) => {
                // In the log, not a popup: the pane says it in place, and a popup on every
                // selection of a tenant whose log cannot be read would stop the operator.
                self.messages.push(
                    self.clock.now(),
                    ToastKind::Error,
                    format!("Cannot read the sign-in log of {upn}: {why}"),
                );
                SignIns::Failed { upn, why }
            }
        });
    }
}
