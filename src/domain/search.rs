//! Finding users as you type: by display name, UPN, or any fragment of any of their phone numbers
//! in any format (`5550100` finds `+1 2065550100`, so does `(206) 555-0100`).
//!
//! The index holds one compact entry per user, built once; a query is a linear scan over
//! lowercase text and digit strings, which stays well inside a frame for 100,000 users. A query
//! that extends the previous one only rescans the previous hits, and a long scan checks a
//! cancellation flag so a newer keystroke can supersede it.

use std::collections::HashMap;

use memchr::memmem::Finder;

use super::method::{PhoneType, SmsSignInState};
use super::phone::PhoneNumber;
use super::policy::Policy;
use super::rules::{self, Claim};
use super::sanitize::display_safe;
use super::time::Timestamp;
use super::user::User;

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
    fn mask(self) -> u8 {
        [
            (self.blocked, BLOCKED),
            (self.sms_ready, SMS_READY),
            (self.no_methods, NO_METHODS),
            (self.admins, ADMIN),
            (self.guests, GUEST),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |mask, (_, bit)| mask | bit)
    }

    /// True when `self` keeps a subset of what `other` keeps.
    fn narrows(self, other: Self) -> bool {
        self.mask() & other.mask() == other.mask()
    }

    pub fn any(self) -> bool {
        self.mask() != 0
    }
}

const BLOCKED: u8 = 1;
const SMS_READY: u8 = 2;
const NO_METHODS: u8 = 4;
const ADMIN: u8 = 8;
const GUEST: u8 = 16;

/// One user as the result list shows them. Text is already display-safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub upn: Box<str>,
    pub display_name: Box<str>,
    /// The masked mobile authentication number, if any.
    pub mobile_masked: Option<Box<str>>,
    pub sms_state: Option<SmsSignInState>,
    pub method_count: u8,
    flags: u8,
    /// Lowercase `display name` + `\u{1}` + `upn`.
    text: Box<str>,
    /// Digits of every number (authentication and directory), separated by `|`.
    digits: Box<str>,
}

impl Entry {
    pub fn is_blocked(&self) -> bool {
        self.flags & BLOCKED != 0
    }

    pub fn is_admin(&self) -> bool {
        self.flags & ADMIN != 0
    }

    pub fn is_guest(&self) -> bool {
        self.flags & GUEST != 0
    }

    fn matches(&self, query: &Parsed) -> bool {
        if self.flags & query.filter_mask != query.filter_mask {
            return false;
        }
        if query.tokens.is_empty() {
            return true;
        }
        if let Some(digits) = &query.digits
            && digits.find(self.digits.as_bytes()).is_some()
        {
            return true;
        }
        query
            .tokens
            .iter()
            .all(|t| t.find(self.text.as_bytes()).is_some())
    }

    /// Builds the entry for `user`, given the SMS sign-in claims on their mobile number.
    pub fn new(user: &User, policy: &Policy, mobile_claims: &[Claim], now: Timestamp) -> Self {
        let mobile = user.method(PhoneType::Mobile);
        let sms_state = mobile.map(|m| rules::sms_sign_in_state(user, m, policy, mobile_claims).0);
        let mut flags = 0;
        if user.active_block(now).is_some() {
            flags |= BLOCKED;
        }
        if sms_state == Some(SmsSignInState::Ready) {
            flags |= SMS_READY;
        }
        if user.phone_methods.is_empty() {
            flags |= NO_METHODS;
        }
        if user.is_admin() {
            flags |= ADMIN;
        }
        if user.is_guest() {
            flags |= GUEST;
        }
        let name = display_safe(&user.display_name);
        let upn = display_safe(user.upn().as_str());
        let mut digits = String::new();
        let numbers = user
            .phone_methods
            .iter()
            .map(|m| m.phone_number.digits())
            .chain(user.mobile_phone.iter().map(|p| digits_of(p)))
            .chain(user.business_phones.iter().map(|p| digits_of(p)));
        for number in numbers {
            digits.push_str(&number);
            digits.push('|');
        }
        Self {
            text: format!("{}\u{1}{}", name.to_lowercase(), upn.to_lowercase()).into(),
            upn: upn.into(),
            display_name: name.into(),
            mobile_masked: mobile.map(|m| m.phone_number.masked().into()),
            sms_state,
            method_count: u8::try_from(user.phone_methods.len()).unwrap_or(u8::MAX),
            flags,
            digits: digits.into(),
        }
    }
}

fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A query as typed: free text plus filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub filters: Filters,
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
        }
    }

    /// True when every user matching `self` also matches `previous`, so `self` can be answered
    /// by rescanning `previous`'s hits.
    pub fn refines(&self, previous: &Self) -> bool {
        let (new, old) = (Parsed::from(self), Parsed::from(previous));
        self.filters.narrows(previous.filters)
            && new.raw.starts_with(old.raw.as_str())
            && new.digits.is_some() == old.digits.is_some()
            && new.tokens.len() >= old.tokens.len()
    }
}

/// A query prepared for matching.
struct Parsed {
    raw: String,
    /// One prepared substring searcher per word: built once per query, not once per entry.
    tokens: Vec<Finder<'static>>,
    /// The digits to look for, when the query looks like part of a phone number.
    digits: Option<Finder<'static>>,
    filter_mask: u8,
}

impl From<&Query> for Parsed {
    fn from(query: &Query) -> Self {
        let raw = query.text.trim().to_lowercase();
        let phone_like = raw.bytes().any(|b| b.is_ascii_digit())
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || b" +-().".contains(&b));
        let digits = phone_like.then(|| Finder::new(digits_of(&raw).as_bytes()).into_owned());
        let tokens = raw
            .split_whitespace()
            .map(|t| Finder::new(t.as_bytes()).into_owned())
            .collect();
        Self {
            raw,
            tokens,
            digits,
            filter_mask: query.filters.mask(),
        }
    }
}

/// The outcome of a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hits {
    pub query: Query,
    /// Indices into the index's entries, in index order (display name, then UPN).
    pub rows: Vec<u32>,
}

/// Previous hits are rescanned only when they are fewer than one in this many entries.
const REFINE_RATIO: usize = 8;
/// How often a scan checks whether it has been superseded.
const CANCEL_CHECK_EVERY: usize = 4096;

/// One searchable field of every entry, concatenated: entry `i` is `bytes[starts[i]..ends[i]]`,
/// followed by a newline no query can contain. A query scans the whole arena with one SIMD
/// substring search instead of visiting 100,000 scattered allocations, then maps each hit back to
/// its entry.
#[derive(Clone, Debug, Default)]
struct Arena {
    bytes: Vec<u8>,
    starts: Vec<u32>,
}

impl Arena {
    fn build<'a>(fields: impl Iterator<Item = &'a str>) -> Self {
        let mut arena = Self::default();
        for field in fields {
            arena
                .starts
                .push(u32::try_from(arena.bytes.len()).unwrap_or(u32::MAX));
            arena.bytes.extend_from_slice(field.as_bytes());
            arena.bytes.push(b'\n');
        }
        arena
    }

    /// Entries whose field contains `needle`, ascending, each once; `None` if cancelled. After a
    /// hit the search jumps to the next entry, so a one-character query costs one find per
    /// entry, not one per occurrence.
    fn containing(&self, needle: &Finder<'_>, cancelled: &dyn Fn() -> bool) -> Option<Vec<u32>> {
        if cancelled() {
            return None;
        }
        let mut rows: Vec<u32> = Vec::new();
        let mut from = 0;
        let mut row = 0;
        while let Some(found) = self.bytes.get(from..).and_then(|rest| needle.find(rest)) {
            let at = from + found;
            // Offsets only grow, so the entry index walks forward with them.
            while self.starts.get(row + 1).is_some_and(|s| *s as usize <= at) {
                row += 1;
            }
            rows.push(u32::try_from(row).unwrap_or(u32::MAX));
            if rows.len().is_multiple_of(CANCEL_CHECK_EVERY) && cancelled() {
                return None;
            }
            from = self
                .starts
                .get(row + 1)
                .map_or(self.bytes.len(), |s| *s as usize);
        }
        Some(rows)
    }
}

/// All users, ready to search.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    text: Arena,
    digits: Arena,
}

impl SearchIndex {
    /// Builds the index from every user and every SMS sign-in claim.
    pub fn build(
        users: impl IntoIterator<Item = User>,
        policy: &Policy,
        claims: &HashMap<PhoneNumber, Vec<Claim>>,
        now: Timestamp,
    ) -> Self {
        Self::from_entries(
            users
                .into_iter()
                .map(|user| entry_for(&user, policy, claims, now))
                .collect(),
        )
    }

    /// An index of ready-made entries, sorted for display.
    pub fn from_entries(mut entries: Vec<Entry>) -> Self {
        // Display name, then UPN: both lowercase, which is exactly the `text` key.
        entries.sort_unstable_by(|a, b| a.text.cmp(&b.text));
        let mut index = Self {
            entries,
            text: Arena::default(),
            digits: Arena::default(),
        };
        index.rebuild_arenas();
        index
    }

    fn rebuild_arenas(&mut self) {
        self.text = Arena::build(self.entries.iter().map(|e| &*e.text));
        self.digits = Arena::build(self.entries.iter().map(|e| &*e.digits));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entry(&self, row: u32) -> Option<&Entry> {
        self.entries.get(row as usize)
    }

    /// Replaces (or adds) one user's entry after an edit, keeping the order.
    pub fn upsert(&mut self, entry: Entry) {
        if let Some(old) = self
            .entries
            .iter()
            .position(|e| e.upn.eq_ignore_ascii_case(&entry.upn))
        {
            self.entries.remove(old);
        }
        let at = self.entries.partition_point(|e| e.text < entry.text);
        self.entries.insert(at, entry);
        self.rebuild_arenas();
    }

    /// Runs `query`. `previous` (the last answered query and its hits) narrows the scan when the
    /// new query refines it. Returns `None` if `cancelled` turned true during the scan.
    pub fn search(
        &self,
        query: &Query,
        previous: Option<&Hits>,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<Hits> {
        let parsed = Parsed::from(query);
        let mut rows = Vec::new();
        // Rescanning the previous hits pays only when they are few: the arena scan visits
        // 100,000 entries in well under a millisecond, while rechecking most of them one by one
        // takes several.
        let worth_it = |p: &&Hits| p.rows.len().saturating_mul(REFINE_RATIO) < self.entries.len();
        match previous
            .filter(|p| query.refines(&p.query))
            .filter(worth_it)
        {
            Some(previous) => {
                for (n, &row) in previous.rows.iter().enumerate() {
                    if n % CANCEL_CHECK_EVERY == 0 && cancelled() {
                        return None;
                    }
                    if self
                        .entries
                        .get(row as usize)
                        .is_some_and(|e| e.matches(&parsed))
                    {
                        rows.push(row);
                    }
                }
            }
            None => rows = self.scan(&parsed, cancelled)?,
        }
        Some(Hits {
            query: query.clone(),
            rows,
        })
    }
}

impl SearchIndex {
    /// A full scan through the arenas: candidates from the first word (and, for a phone-like
    /// query, from the digits), each checked against the whole query.
    fn scan(&self, parsed: &Parsed, cancelled: &dyn Fn() -> bool) -> Option<Vec<u32>> {
        let matches = |row: &u32| {
            self.entries
                .get(*row as usize)
                .is_some_and(|e| e.matches(parsed))
        };
        let Some(first) = parsed.tokens.first() else {
            let mut rows = Vec::new();
            for (n, entry) in self.entries.iter().enumerate() {
                if n % CANCEL_CHECK_EVERY == 0 && cancelled() {
                    return None;
                }
                if entry.matches(parsed) {
                    rows.push(u32::try_from(n).unwrap_or(u32::MAX));
                }
            }
            return Some(rows);
        };
        let mut rows = self.text.containing(first, cancelled)?;
        if let Some(digits) = &parsed.digits {
            let by_digits = self.digits.containing(digits, cancelled)?;
            rows = merge_sorted(&rows, &by_digits);
        }
        rows.retain(matches);
        Some(rows)
    }
}

/// The union of two ascending lists, ascending, without duplicates.
fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x <= y => {
                i += 1;
                if x == y {
                    j += 1;
                }
                *x
            }
            (Some(_), Some(y)) | (None, Some(y)) => {
                j += 1;
                *y
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

/// The entry for one user, looking up the claims on their mobile number.
pub fn entry_for(
    user: &User,
    policy: &Policy,
    claims: &HashMap<PhoneNumber, Vec<Claim>>,
    now: Timestamp,
) -> Entry {
    let mobile_claims = user
        .method(PhoneType::Mobile)
        .and_then(|m| claims.get(&m.phone_number.without_extension()))
        .map_or(&[][..], Vec::as_slice);
    Entry::new(user, policy, mobile_claims, now)
}

/// Up to `limit` candidates close to `wanted` (same local part prefix, or a few edits away), for
/// "did you mean" hints when a UPN is not found.
pub fn near_matches<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let wanted = wanted.trim().to_lowercase();
    let wanted_local = wanted.split('@').next().unwrap_or(&wanted).to_owned();
    let mut scored: Vec<(usize, String)> = candidates
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let local = lower.split('@').next().unwrap_or(&lower);
            let distance = edit_distance(&wanted, &lower).min(edit_distance(&wanted_local, local));
            let close = distance <= 2
                || (wanted_local.len() >= 3 && local.starts_with(wanted_local.as_str()));
            close.then(|| (distance, c.to_owned()))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Levenshtein distance, capped early: only "a few edits" matters here.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 3 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::method::PhoneMethod;
    use crate::domain::user::Upn;

    fn user(upn: &str, name: &str, mobile: Option<&str>) -> User {
        let mut u = User::new(Upn::parse(upn).unwrap(), name);
        if let Some(m) = mobile {
            u.phone_methods.push(PhoneMethod {
                phone_type: PhoneType::Mobile,
                phone_number: PhoneNumber::parse(m, None).unwrap(),
                sms_sign_in_enabled: false,
                sms_sign_in_since: None,
            });
        }
        u
    }

    fn index() -> SearchIndex {
        let users = vec![
            user("kim@contoso.example", "Kim Akers", Some("+1 2065550100")),
            user("alex@contoso.example", "Alex Wilber", Some("+61 491570156")),
            user("megan@contoso.example", "Megan Bowen", None),
        ];
        SearchIndex::build(users, &Policy::default(), &HashMap::new(), Timestamp(0))
    }

    fn names(index: &SearchIndex, text: &str) -> Vec<String> {
        let hits = index.search(&Query::new(text), None, &|| false).unwrap();
        hits.rows
            .iter()
            .map(|r| index.entry(*r).unwrap().display_name.to_string())
            .collect()
    }

    #[test]
    fn finds_by_name_upn_and_digits_in_any_format() {
        let index = index();
        assert_eq!(names(&index, "kim"), ["Kim Akers"]);
        assert_eq!(names(&index, "AKERS kim"), ["Kim Akers"]);
        assert_eq!(names(&index, "alex@"), ["Alex Wilber"]);
        assert_eq!(names(&index, "5550100"), ["Kim Akers"]);
        assert_eq!(names(&index, "(206) 555-0100"), ["Kim Akers"]);
        assert_eq!(names(&index, "+61 491"), ["Alex Wilber"]);
        assert_eq!(names(&index, "").len(), 3);
        assert!(names(&index, "nobody").is_empty());
    }

    #[test]
    fn is_tokens_become_filters() {
        let q = Query::parse("kim is:blocked IS:guest");
        assert_eq!(q.text, "kim");
        assert!(q.filters.blocked && q.filters.guests && !q.filters.admins);
        assert_eq!(Filter::Admins.toggle_in("kim"), "kim is:admin ");
        assert_eq!(Filter::Admins.toggle_in("kim is:admin "), "kim");
    }

    #[test]
    fn filters_narrow_the_results() {
        let index = index();
        let mut query = Query::new("");
        query.filters.no_methods = true;
        let hits = index.search(&query, None, &|| false).unwrap();
        assert_eq!(hits.rows.len(), 1);
    }

    #[test]
    fn refining_query_reuses_previous_hits() {
        let index = index();
        let first = index.search(&Query::new("a"), None, &|| false).unwrap();
        let second = index
            .search(&Query::new("ak"), Some(&first), &|| false)
            .unwrap();
        assert_eq!(second.rows.len(), 1);
        assert!(Query::new("ak").refines(&Query::new("a")));
        assert!(!Query::new("b").refines(&Query::new("a")));
    }

    #[test]
    fn merging_keeps_order_and_drops_duplicates() {
        assert_eq!(merge_sorted(&[1, 3, 5], &[2, 3, 6]), [1, 2, 3, 5, 6]);
        assert_eq!(merge_sorted(&[], &[4]), [4]);
    }

    #[test]
    fn scans_and_refinements_agree_with_a_plain_filter() {
        let index = index();
        for text in ["a", "e", "55501", "+61", "bowen", "k a", "zzz", "5"] {
            let query = Query::parse(text);
            let parsed = Parsed::from(&query);
            let expected: Vec<u32> = (0..index.len())
                .filter(|i| index.entries[*i].matches(&parsed))
                .map(|i| u32::try_from(i).unwrap())
                .collect();
            let hits = index.search(&query, None, &|| false).unwrap();
            assert_eq!(hits.rows, expected, "query {text:?}");
        }
    }

    #[test]
    fn a_cancelled_scan_returns_nothing() {
        assert!(index().search(&Query::new("k"), None, &|| true).is_none());
    }

    #[test]
    fn near_matches_suggest_close_upns() {
        let upns = [
            "kim@contoso.example",
            "kimberly@contoso.example",
            "alex@contoso.example",
        ];
        let found = near_matches("kin@contoso.example", upns.iter().copied(), 3);
        assert_eq!(found[0], "kim@contoso.example");
        assert!(near_matches("zzz@x.example", upns.iter().copied(), 3).is_empty());
    }
}
