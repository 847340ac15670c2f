//! Finding users as you type: by display name (typos forgiven), UPN, or any phone number as a
//! caller reads it (`020 7946 0123`, `0044 20 7946 0123`, `+44 (0)20…`, `5550100`).
//!
//! [`SearchIndex`] holds one compact entry per user; the engine ranks matches (exact UPN or
//! number, then name-word starts, then anywhere, then near names) and answers the first screenful
//! before counting the rest. The index is built once per import and persisted by the store, so
//! start-up, the TUI and the CLI share it.

mod arena;
mod build;
mod engine;
mod fuzzy;
mod index;
mod near;
mod persist;
#[cfg(test)]
mod tests;
mod words;

pub use build::{EntryParts, IndexBuilder, parts_for, parts_with_claims};
pub use engine::{FIRST_SCREEN, Hits, Row, Total, Why};
pub use index::{Entry, Meta, SearchIndex};
pub use near::near_matches;
pub use persist::{IndexFormatError, IndexStamp};

use super::phone::{self, PhoneNumber};
use super::region::Region;

/// Filters a search can add; all that are set must hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub struct Filters {
    pub blocked: bool,
    pub sms_ready: bool,
    pub no_methods: bool,
    pub admins: bool,
    pub guests: bool,
}

impl Filters {
    pub fn any(self) -> bool {
        self.blocked || self.sms_ready || self.no_methods || self.admins || self.guests
    }
}

/// A query as typed: free text plus filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub filters: Filters,
    /// The operator's region, for numbers read out in national form (besides every usage
    /// location in the directory).
    pub region: Option<Region>,
}

/// A filter as typed in a search box: `is:blocked`, `is:ready`, `is:nomethods`, `is:admin`,
/// `is:guest`. Filters live in the text itself, so the CLI and the TUI share one syntax and a
/// filter is always visible where the operator types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Filter {
    Blocked,
    SmsReady,
    NoMethods,
    Admins,
    Guests,
}

impl Filter {
    pub const ALL: [Self; 5] = [
        Self::Blocked,
        Self::SmsReady,
        Self::NoMethods,
        Self::Admins,
        Self::Guests,
    ];

    /// The token that turns this filter on.
    pub fn token(self) -> &'static str {
        match self {
            Self::Blocked => "is:blocked",
            Self::SmsReady => "is:ready",
            Self::NoMethods => "is:nomethods",
            Self::Admins => "is:admin",
            Self::Guests => "is:guest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Blocked => "blocked",
            Self::SmsReady => "SMS sign-in ready",
            Self::NoMethods => "no methods",
            Self::Admins => "admins",
            Self::Guests => "guests",
        }
    }

    fn from_token(token: &str) -> Option<Self> {
        match token.to_ascii_lowercase().as_str() {
            "is:blocked" => Some(Self::Blocked),
            "is:ready" | "is:sms-ready" => Some(Self::SmsReady),
            "is:nomethods" | "is:no-methods" => Some(Self::NoMethods),
            "is:admin" | "is:admins" => Some(Self::Admins),
            "is:guest" | "is:guests" => Some(Self::Guests),
            _ => None,
        }
    }

    fn set(self, filters: &mut Filters) {
        match self {
            Self::Blocked => filters.blocked = true,
            Self::SmsReady => filters.sms_ready = true,
            Self::NoMethods => filters.no_methods = true,
            Self::Admins => filters.admins = true,
            Self::Guests => filters.guests = true,
        }
    }

    pub fn is_on(self, filters: Filters) -> bool {
        match self {
            Self::Blocked => filters.blocked,
            Self::SmsReady => filters.sms_ready,
            Self::NoMethods => filters.no_methods,
            Self::Admins => filters.admins,
            Self::Guests => filters.guests,
        }
    }

    /// `input` with this filter's token added, or removed if it was there.
    pub fn toggle_in(self, input: &str) -> String {
        let mut kept = Vec::new();
        let mut found = false;
        for word in input.split_whitespace() {
            if Self::from_token(word) == Some(self) {
                found = true;
            } else {
                kept.push(word);
            }
        }
        if !found {
            kept.push(self.token());
        }
        let mut out = kept.join(" ");
        if !out.is_empty() && !found {
            out.push(' ');
        }
        out
    }
}

impl Query {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            filters: Filters::default(),
            region: None,
        }
    }

    /// Reads a search box: `is:` tokens become filters, the rest is the text to match.
    pub fn parse(input: &str) -> Self {
        let mut filters = Filters::default();
        let mut words = Vec::new();
        for word in input.split_whitespace() {
            match Filter::from_token(word) {
                Some(filter) => filter.set(&mut filters),
                None => words.push(word),
            }
        }
        Self {
            text: words.join(" "),
            filters,
            region: None,
        }
    }
}

/// The digit strings a query stands for when it reads as a phone number (digits and the
/// separators a number field takes, `+` and extension-free), else `None`: the digits as typed;
/// without an international prefix (`00`, `011`) or a trunk `0`, for a part of a number; and
/// every canonical reading of it as the number field reads it ([`phone::read_in_regions`]) in
/// `regions` (the directory's usage locations and the operator's), for a whole number.
pub fn number_readings(text: &str, regions: &[Region]) -> Option<Vec<Vec<u8>>> {
    let text = text.trim();
    let phone_like = text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '+' || phone::is_separator(c));
    if !phone_like {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let mut readings = vec![digits.clone()];
    if !text.starts_with('+') {
        for idd in ["00", "011"] {
            if let Some(rest) = digits.strip_prefix(idd).filter(|r| r.len() > 3) {
                readings.push(rest.to_owned());
            }
        }
        if let Some(rest) = digits
            .strip_prefix('0')
            .filter(|r| !r.starts_with('0') && r.len() > 3)
        {
            readings.push(rest.to_owned());
        }
    }
    readings.extend(
        phone::read_in_regions(text, regions)
            .iter()
            .map(PhoneNumber::digits),
    );
    readings.sort();
    readings.dedup();
    readings.retain(|r| !r.is_empty());
    Some(readings.into_iter().map(String::into_bytes).collect())
}
