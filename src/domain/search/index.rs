//! The search index: one compact entry per user, in display order (lowercase display name, then
//! UPN), built once per import and kept current by edits.
//!
//! A million entries take about 120 MB: the searchable and displayed texts live in a few
//! [`Arena`]s, the rest in a fixed-size [`Meta`] per entry. Names and UPNs only change by import,
//! so their arenas never change afterwards; an edit rewrites the entry's phone digits in place (or
//! moves them aside when they grew) and its meta, without moving any other entry.

use std::collections::{BTreeMap, HashMap};

use super::arena::Arena;
use super::words::Vocab;
use crate::domain::method::SmsSignInState;
use crate::domain::region::Region;
use crate::domain::time::Timestamp;

pub(super) const SMS_READY: u8 = 1;
pub(super) const NO_METHODS: u8 = 2;
pub(super) const ADMIN: u8 = 4;
pub(super) const GUEST: u8 = 8;

/// The fixed-size facts of one entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// `i64::MIN`: not blocked; `i64::MAX`: blocked until unblocked; else blocked until then.
    pub block_until: i64,
    /// The mobile number's country code; 0 when there is no mobile.
    pub mobile_cc: u16,
    /// Index into the UPN domains.
    pub domain: u16,
    /// Usage location (two ASCII letters), or two spaces.
    pub location: [u8; 2],
    /// The mobile number's last two digits, for the masked form.
    pub mobile_tail: [u8; 2],
    /// The mobile number's national length, for the masked form.
    pub mobile_len: u8,
    pub flags: u8,
    /// `SmsSignInState` code + 1; 0 when there is no mobile.
    pub sms: u8,
    pub methods: u8,
}

impl Meta {
    pub fn blocked_at(&self, now: Timestamp) -> bool {
        self.block_until != i64::MIN && now.0 < self.block_until
    }
}

pub(super) fn sms_code(state: Option<SmsSignInState>) -> u8 {
    use SmsSignInState as S;
    match state {
        None => 0,
        Some(S::NotSupported) => 1,
        Some(S::NotAllowedByPolicy) => 2,
        Some(S::NotEnabled) => 3,
        Some(S::NotConfigured) => 4,
        Some(S::PhoneNumberNotUnique) => 5,
        Some(S::Ready) => 6,
        Some(S::UnknownFutureValue) => 7,
    }
}

pub(super) fn sms_state(code: u8) -> Option<SmsSignInState> {
    use SmsSignInState as S;
    Some(match code {
        1 => S::NotSupported,
        2 => S::NotAllowedByPolicy,
        3 => S::NotEnabled,
        4 => S::NotConfigured,
        5 => S::PhoneNumberNotUnique,
        6 => S::Ready,
        7 => S::UnknownFutureValue,
        _ => return None,
    })
}

/// One user as the result list shows them. Text is display-safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub upn: String,
    pub display_name: String,
    /// The masked mobile authentication number, if any.
    pub mobile_masked: Option<String>,
    pub sms_state: Option<SmsSignInState>,
    pub method_count: u8,
    pub usage_location: Option<String>,
    pub blocked: bool,
    pub admin: bool,
    pub guest: bool,
}

impl Entry {
    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    pub fn is_admin(&self) -> bool {
        self.admin
    }

    pub fn is_guest(&self) -> bool {
        self.guest
    }
}

/// Every user, ready to search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchIndex {
    /// Display-safe display names, as shown.
    pub(super) shown: Arena,
    /// Lowercase display names, as searched.
    pub(super) names: Arena,
    /// Lowercase UPN local parts followed by `@`.
    pub(super) locals: Arena,
    /// Distinct lowercase UPN domains.
    pub(super) domains: Vec<String>,
    /// Entries whose UPN is not all lowercase: the UPN as written.
    pub(super) upn_case: HashMap<u32, String>,
    /// Digits of every number of each entry, each followed by `|`.
    pub(super) digits: Arena,
    /// Digits of entries that outgrew their slot in `digits` (which is blanked).
    pub(super) moved_digits: BTreeMap<u32, String>,
    pub(super) meta: Vec<Meta>,
    /// Entries in UPN order, for exact UPN lookups.
    pub(super) by_upn: Vec<u32>,
    pub(super) vocab: Vocab,
    /// Distinct usage locations, for reading numbers written in national form.
    pub(super) locations: Vec<Region>,
    /// Digits in the shortest number held (exact number matches need at least this many).
    pub(super) shortest_number: u8,
}

impl SearchIndex {
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// The UPN key (lowercase) of entry `i`.
    pub fn upn_key(&self, i: u32) -> String {
        let local = self.locals.text(i as usize);
        let domain = self
            .meta
            .get(i as usize)
            .and_then(|m| self.domains.get(usize::from(m.domain)))
            .map_or("", String::as_str);
        format!("{local}{domain}")
    }

    /// The UPN of entry `i` as written.
    pub fn upn(&self, i: u32) -> String {
        self.upn_case
            .get(&i)
            .cloned()
            .unwrap_or_else(|| self.upn_key(i))
    }

    /// The display name of entry `i`, display-safe.
    pub fn display_name(&self, i: u32) -> &str {
        self.shown.text(i as usize)
    }

    pub fn meta(&self, i: u32) -> Option<&Meta> {
        self.meta.get(i as usize)
    }

    /// The digits field of entry `i` (numbers separated by `|`).
    pub(super) fn digits_of(&self, i: u32) -> &[u8] {
        self.digits_text(i).as_bytes()
    }

    pub(super) fn digits_text(&self, i: u32) -> &str {
        match self.moved_digits.get(&i) {
            Some(text) => text,
            None => self.digits.text(i as usize),
        }
    }

    /// Entry `i` as the list shows it, judged at `now` (blocks lapse).
    pub fn entry_at(&self, i: u32, now: Timestamp) -> Option<Entry> {
        let m = self.meta(i)?;
        let mobile_masked = (m.mobile_cc != 0).then(|| {
            let stars = usize::from(m.mobile_len).saturating_sub(2);
            let tail = String::from_utf8_lossy(&m.mobile_tail).into_owned();
            format!("+{} {}{tail}", m.mobile_cc, "*".repeat(stars))
        });
        let location =
            (m.location != *b"  ").then(|| String::from_utf8_lossy(&m.location).into_owned());
        Some(Entry {
            upn: self.upn(i),
            display_name: self.display_name(i).to_owned(),
            mobile_masked,
            sms_state: sms_state(m.sms),
            method_count: m.methods,
            usage_location: location,
            blocked: m.blocked_at(now),
            admin: m.flags & ADMIN != 0,
            guest: m.flags & GUEST != 0,
        })
    }

    /// The entry with this UPN (any case), by binary search over the UPN order.
    pub fn find_upn(&self, upn: &str) -> Option<u32> {
        let wanted = upn.trim().to_ascii_lowercase();
        let at = self
            .by_upn
            .partition_point(|&e| self.upn_key(e).as_str() < wanted.as_str());
        let e = *self.by_upn.get(at)?;
        (self.upn_key(e) == wanted).then_some(e)
    }

    /// Approximate heap bytes, for memory figures.
    pub fn heap_bytes(&self) -> usize {
        self.shown.heap_bytes()
            + self.names.heap_bytes()
            + self.locals.heap_bytes()
            + self.digits.heap_bytes()
            + self.meta.capacity() * std::mem::size_of::<Meta>()
            + self.by_upn.capacity() * 4
            + self.vocab.heap_bytes()
    }

    /// Replaces the phone digits and the facts of entry `i` after an edit. Names and UPNs only
    /// change by import, so nothing moves.
    pub fn update(&mut self, i: u32, digits: &str, meta: Meta) {
        let Some(slot) = self.meta.get_mut(i as usize) else {
            return;
        };
        *slot = Meta {
            domain: slot.domain,
            ..meta
        };
        if self.digits.overwrite(i as usize, digits, '|') {
            self.moved_digits.remove(&i);
        } else {
            self.digits.overwrite(i as usize, "", '|');
            self.moved_digits.insert(i, digits.to_owned());
        }
        let shortest = shortest_number(digits.as_bytes());
        if shortest > 0 && shortest < self.shortest_number {
            self.shortest_number = shortest;
        }
    }
}

/// Digits in the shortest number of a digits field (0 when it holds none).
pub(super) fn shortest_number(digits: &[u8]) -> u8 {
    digits
        .split(|b| *b == b'|')
        .filter(|n| !n.is_empty())
        .map(|n| u8::try_from(n.len()).unwrap_or(u8::MAX))
        .min()
        .unwrap_or(0)
}
