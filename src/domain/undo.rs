//! Undoing an edit: the edits that put a user back as they were before it.
//!
//! Undo is not a way around the rules: the edits returned here go through the store's audited
//! edit like any other, so they are checked and recorded. Some things cannot be put back exactly
//! and say so by returning `None`: a fraud block's 90 days after an unblock, and a user the
//! simulator blocked.

use super::rules::Edit;
use super::user::{BlockKind, User};

/// The reason recorded when an undo blocks or unblocks.
pub const UNDO_REASON: &str = "undo of the previous change";

/// The edits that undo `edit`, applied to `before` (the user just before it), in order.
pub fn undo_of(before: &User, edit: &Edit) -> Option<Vec<Edit>> {
    Some(match edit {
        Edit::AddPhone { slot, .. } => vec![Edit::DeletePhone { slot: *slot }],
        Edit::UpdatePhone { slot, .. } => {
            let old = before.method(*slot)?;
            vec![Edit::UpdatePhone {
                slot: *slot,
                number: old.phone_number.clone(),
            }]
        }
        Edit::DeletePhone { slot } => {
            let old = before.method(*slot)?;
            let mut edits = vec![Edit::AddPhone {
                slot: *slot,
                number: old.phone_number.clone(),
            }];
            if old.sms_sign_in_enabled {
                edits.push(Edit::SetSmsSignIn { enabled: true });
            }
            edits
        }
        Edit::SetSmsSignIn { enabled } => vec![Edit::SetSmsSignIn { enabled: !enabled }],
        Edit::SetDefault { .. } => vec![Edit::SetDefault {
            method: before.default_mfa_method,
        }],
        Edit::Block { .. } => vec![Edit::Unblock {
            reason: UNDO_REASON.into(),
        }],
        Edit::Unblock { .. } => {
            // A fraud block's kind and end date cannot be made again by hand.
            if before.block.as_ref()?.kind != BlockKind::Admin {
                return None;
            }
            vec![Edit::Block {
                reason: UNDO_REASON.into(),
            }]
        }
        Edit::FraudBlock => return None,
    })
}
