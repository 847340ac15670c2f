//! The selected user as the panes show them: the record, the SMS sign-in state, the block in
//! force, what the domain says about each number, the claims on the mobile number, and the
//! user's audit trail, read at one moment.

use crate::domain::diagnosis::{Diagnosis, diagnose};
use crate::domain::{Block, Claim, PhoneNumber, PhoneType, Timestamp, User};
use crate::store::{AuditEntry, Record, SmsStatus, StoreError};

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
    /// The SMS sign-in claims on the mobile number, so an edit can be tried on paper before the
    /// operator confirms it.
    pub mobile_claims: Vec<Claim>,
    /// When this was read: times are shown relative to it.
    pub loaded_at: Timestamp,
}

impl Profile {
    /// Reads everything the panes show about `upn`. Runs on the search worker when the
    /// selection moves, so the key press itself does no I/O.
    pub fn load(store: &dyn Record, upn: &str, revealed: bool) -> Result<Self, StoreError> {
        let user = store.user(upn)?;
        let sms = store.sms_status(&user)?;
        let audit = store.audit(Some(user.upn()), AUDIT_ROWS)?;
        let mobile_claims = match user.method(PhoneType::Mobile) {
            Some(m) => store.claims_on(&m.phone_number.without_extension())?,
            None => Vec::new(),
        };
        let checks = user
            .phone_methods
            .iter()
            .map(|m| {
                let found = diagnose(&m.phone_number, Some(m.phone_type), user.usage_location);
                (m.phone_type, found)
            })
            .collect();
        let loaded_at = store.now();
        Ok(Self {
            active_block: user.active_block(loaded_at).cloned(),
            checks,
            user,
            sms,
            revealed,
            audit,
            mobile_claims,
            loaded_at,
        })
    }

    /// What the domain says about the number in `slot`, if one is registered.
    pub fn check(&self, slot: PhoneType) -> Option<&Diagnosis> {
        self.checks.iter().find(|(s, _)| *s == slot).map(|(_, d)| d)
    }

    /// `number` as this profile shows numbers: in full while revealed, else masked. Every box
    /// that shows a number asks here, so they all agree.
    pub fn show(&self, number: &PhoneNumber) -> String {
        if self.revealed {
            number.to_string()
        } else {
            number.masked()
        }
    }

    /// The number in `slot` as shown, or `(empty)`.
    pub fn show_slot(&self, slot: PhoneType) -> String {
        self.user
            .method(slot)
            .map_or_else(|| "(empty)".to_owned(), |m| self.show(&m.phone_number))
    }

    /// Whether this is `upn`'s profile.
    pub fn is(&self, upn: &str) -> bool {
        self.user.upn().as_str().eq_ignore_ascii_case(upn)
    }
}
