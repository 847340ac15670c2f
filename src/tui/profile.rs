//! The selected user as the panes show them: the record, the SMS sign-in state, the block in
//! force, what the domain says about each number, and the user's audit trail.

use crate::domain::diagnosis::{Diagnosis, diagnose};
use crate::domain::{Block, PhoneType, User};
use crate::store::{AuditEntry, Directory, SmsStatus, StoreError};

/// How many audit entries the Methods pane shows.
pub const AUDIT_ROWS: usize = 50;

#[derive(Clone, Debug)]
pub struct Profile {
    pub user: User,
    /// What the domain says about each registered number, computed once per load.
    pub checks: Vec<(PhoneType, Diagnosis)>,
    pub sms: Option<SmsStatus>,
    pub active_block: Option<Block>,
    pub revealed: bool,
    pub audit: Vec<AuditEntry>,
}

impl Profile {
    /// Reads everything the panes show about `upn`. Runs on the search worker when the
    /// selection moves, so the key press itself does no I/O.
    pub fn load(store: &dyn Directory, upn: &str, revealed: bool) -> Result<Self, StoreError> {
        let user = store.user(upn)?;
        let sms = store.sms_status(&user)?;
        let audit = store.audit(Some(user.upn()), AUDIT_ROWS)?;
        let checks = user
            .phone_methods
            .iter()
            .map(|m| {
                let found = diagnose(&m.phone_number, Some(m.phone_type), user.usage_location);
                (m.phone_type, found)
            })
            .collect();
        Ok(Self {
            active_block: user.active_block(store.now()).cloned(),
            checks,
            user,
            sms,
            revealed,
            audit,
        })
    }

    /// What the domain says about the number in `slot`, if one is registered.
    pub fn check(&self, slot: PhoneType) -> Option<&Diagnosis> {
        self.checks.iter().find(|(s, _)| *s == slot).map(|(_, d)| d)
    }
}
