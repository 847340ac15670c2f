//! The orders the result list can be shown in. Sorting runs on the worker thread, over the
//! complete list, never on the key path.
//!
//! Choice: a sort keeps the match ranks. Rows are ordered by the chosen column *within* their
//! rank (a UPN typed in full first, then name-word starts, then matches anywhere, then similar
//! names), so an exact match never sinks below a hundred similar names; within a rank, ties keep
//! the name order. With a query that matches at one rank (`priya raman`, or an empty box with a
//! filter) this is simply the column's order.

use crate::domain::Timestamp;
use crate::domain::search::{Row, SearchIndex};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// The search's own order: rank, then name.
    #[default]
    BestMatch,
    Name,
    Upn,
    /// Usage location, then name.
    Location,
    /// SMS sign-in state: ready first, then the others, users without a mobile last.
    SignIn,
    /// Blocked first, then admins, then guests.
    Flags,
}

impl SortKey {
    pub const ALL: [Self; 6] = [
        Self::BestMatch,
        Self::Name,
        Self::Upn,
        Self::Location,
        Self::SignIn,
        Self::Flags,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::BestMatch => "best match",
            Self::Name => "name",
            Self::Upn => "UPN",
            Self::Location => "usage location",
            Self::SignIn => "SMS sign-in",
            Self::Flags => "blocked, admin, guest",
        }
    }

    /// The next order `sort` cycles to.
    #[must_use]
    pub fn next(self) -> Self {
        let at = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }
}

/// Orders `rows` by `key` within their rank (see the module comment). Entries are numbered in
/// name order, so the entry number is the name tie-break.
pub fn sort_rows(index: &SearchIndex, rows: &mut [Row], key: SortKey, now: Timestamp) {
    let meta = |e: u32| index.meta(e).copied().unwrap_or_default();
    match key {
        SortKey::BestMatch => {}
        SortKey::Name => rows.sort_by_key(|r| (r.why.tier(), r.entry)),
        SortKey::Upn => rows.sort_by_cached_key(|r| (r.why.tier(), index.upn_key(r.entry))),
        SortKey::Location => rows.sort_by_key(|r| {
            let m = meta(r.entry);
            // No location sorts last.
            (r.why.tier(), m.location == *b"  ", m.location, r.entry)
        }),
        SortKey::SignIn => rows.sort_by_key(|r| {
            let m = meta(r.entry);
            // Ready (code 6) first, no mobile (0) last.
            let order = match m.sms {
                6 => 0,
                0 => u8::MAX,
                code => code,
            };
            (r.why.tier(), order, r.entry)
        }),
        // The flags come from the entry as the list shows it: one read per row.
        SortKey::Flags => rows.sort_by_cached_key(|r| {
            let flags = index
                .entry_at(r.entry, now)
                .map_or((true, true, true), |e| {
                    (!e.is_blocked(), !e.is_admin(), !e.is_guest())
                });
            (r.why.tier(), flags, r.entry)
        }),
    }
}
