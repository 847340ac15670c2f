//! Building the index from users: what one user contributes, and the whole index from all of
//! them (at import, or when no saved index can be used).

use std::collections::{BTreeSet, HashMap};

use super::arena::Arena;
use super::index::{
    ADMIN, GUEST, Meta, NO_METHODS, SMS_READY, SearchIndex, shortest_number, sms_code,
};
use super::words::Vocab;
use crate::domain::method::{PhoneType, SmsSignInState};
use crate::domain::policy::Policy;
use crate::domain::region::Region;
use crate::domain::rules::{self, Claim};
use crate::domain::sanitize::display_safe;
use crate::domain::user::User;

/// What one user contributes to the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryParts {
    /// The display name, display-safe.
    pub shown: String,
    /// The display name in lowercase, for matching.
    pub name: String,
    /// The UPN's local part in lowercase, followed by `@`.
    pub local: String,
    pub domain: String,
    /// The UPN as written, when it is not all lowercase.
    pub upn_as_written: Option<String>,
    /// Digits of every number, each followed by `|`.
    pub digits: String,
    /// The facts (its `domain` is filled in by the index).
    pub meta: Meta,
}

/// The index entry of `user`, given the SMS sign-in claims on their mobile number.
pub fn parts_for(user: &User, policy: &Policy, mobile_claims: &[Claim]) -> EntryParts {
    let mobile = user.method(PhoneType::Mobile);
    let sms = mobile.map(|m| rules::sms_sign_in_state(user, m, policy, mobile_claims).0);
    let mut flags = 0;
    if sms == Some(SmsSignInState::Ready) {
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
    let mut digits = String::new();
    for method in &user.phone_methods {
        digits.push_str(&method.phone_number.digits());
        digits.push('|');
    }
    for text in user.mobile_phone.iter().chain(&user.business_phones) {
        let before = digits.len();
        digits.extend(text.chars().filter(char::is_ascii_digit));
        if digits.len() > before {
            digits.push('|');
        }
    }
    let (mobile_cc, mobile_len, mobile_tail) = match mobile {
        Some(m) => {
            let national = m.phone_number.national().as_bytes();
            let tail = match national {
                [.., a, b] => [*a, *b],
                _ => *b"  ",
            };
            (
                m.phone_number.country_code(),
                u8::try_from(national.len()).unwrap_or(u8::MAX),
                tail,
            )
        }
        None => (0, 0, *b"  "),
    };
    let location = user.usage_location.map_or(*b"  ", |r| {
        let code = r.code().as_bytes();
        [
            code.first().copied().unwrap_or(b' '),
            code.get(1).copied().unwrap_or(b' '),
        ]
    });
    let key = user.upn().key();
    let (local, domain) = key.split_once('@').unwrap_or((key.as_str(), ""));
    let written = display_safe(user.upn().as_str()).into_owned();
    let shown = display_safe(&user.display_name).into_owned();
    EntryParts {
        name: shown.to_lowercase(),
        shown,
        local: format!("{local}@"),
        domain: domain.to_owned(),
        upn_as_written: (written != key).then_some(written),
        digits,
        meta: Meta {
            block_until: user
                .block
                .as_ref()
                .map_or(i64::MIN, |b| b.until.map_or(i64::MAX, |t| t.0)),
            mobile_cc,
            domain: 0,
            location,
            mobile_tail,
            mobile_len,
            flags,
            sms: sms_code(sms),
            methods: u8::try_from(user.phone_methods.len()).unwrap_or(u8::MAX),
        },
    }
}

/// The index entry of `user`, looking up the claims on their mobile number in `claims`.
pub fn parts_with_claims(
    user: &User,
    policy: &Policy,
    claims: &HashMap<String, Vec<Claim>>,
) -> EntryParts {
    let mobile_claims = user
        .method(PhoneType::Mobile)
        .and_then(|m| claims.get(&m.phone_number.without_extension().to_string()))
        .map_or(&[][..], Vec::as_slice);
    parts_for(user, policy, mobile_claims)
}

/// Collects entries in any order, then sorts them into an index.
#[derive(Default)]
pub struct IndexBuilder {
    shown: Arena,
    names: Arena,
    locals: Arena,
    digits: Arena,
    meta: Vec<Meta>,
    written: Vec<(u32, String)>,
    domains: Vec<String>,
    domain_ids: HashMap<String, u16>,
    locations: BTreeSet<[u8; 2]>,
}

impl IndexBuilder {
    pub fn with_capacity(users: usize) -> Self {
        Self {
            shown: Arena::with_capacity(users, users * 14),
            names: Arena::with_capacity(users, users * 14),
            locals: Arena::with_capacity(users, users * 16),
            digits: Arena::with_capacity(users, users * 24),
            meta: Vec::with_capacity(users),
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.meta.len()
    }

    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    pub fn push(&mut self, parts: EntryParts) {
        let n = u32::try_from(self.meta.len()).unwrap_or(u32::MAX);
        let domain = self.domain_id(&parts.domain);
        self.shown.push(&parts.shown);
        self.names.push(&parts.name);
        self.locals.push(&parts.local);
        self.digits.push(&parts.digits);
        if let Some(written) = parts.upn_as_written {
            self.written.push((n, written));
        }
        self.locations.insert(parts.meta.location);
        self.meta.push(Meta {
            domain,
            ..parts.meta
        });
    }

    fn domain_id(&mut self, domain: &str) -> u16 {
        if let Some(id) = self.domain_ids.get(domain) {
            return *id;
        }
        let id = u16::try_from(self.domains.len()).unwrap_or(u16::MAX);
        self.domains.push(domain.to_owned());
        self.domain_ids.insert(domain.to_owned(), id);
        id
    }

    /// Sorts the entries into display order (lowercase name, then UPN) and builds the lookups.
    pub fn finish(self) -> SearchIndex {
        let n = self.meta.len();
        let upn_cmp = |a: usize, b: usize| {
            self.locals
                .field(a)
                .cmp(self.locals.field(b))
                .then_with(|| {
                    let domain =
                        |i: usize| self.domains[usize::from(self.meta[i].domain)].as_bytes();
                    domain(a).cmp(domain(b))
                })
        };
        let mut order: Vec<u32> = (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            self.names
                .field(a)
                .cmp(self.names.field(b))
                .then_with(|| upn_cmp(a, b))
        });
        let mut position = vec![0u32; n];
        for (new, &old) in order.iter().enumerate() {
            position[old as usize] = u32::try_from(new).unwrap_or(u32::MAX);
        }
        let reorder = |arena: &Arena, extra: usize| {
            let mut out = Arena::with_capacity(n, arena.bytes.len() + extra);
            for &old in &order {
                out.push(arena.text(old as usize));
            }
            out
        };
        let shown = reorder(&self.shown, 0);
        let names = reorder(&self.names, 0);
        let locals = reorder(&self.locals, 0);
        let digits = reorder(&self.digits, 0);
        let meta: Vec<Meta> = order.iter().map(|&old| self.meta[old as usize]).collect();
        let mut by_upn: Vec<u32> = (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
        by_upn.sort_unstable_by(|&a, &b| upn_cmp(a as usize, b as usize));
        let by_upn = by_upn
            .into_iter()
            .map(|old| position[old as usize])
            .collect();
        let upn_case = self
            .written
            .into_iter()
            .map(|(old, s)| (position[old as usize], s))
            .collect();
        let vocab =
            Vocab::build((0..n).map(|i| (u32::try_from(i).unwrap_or(u32::MAX), names.text(i))));
        let shortest_number = (0..n)
            .map(|i| shortest_number(digits.field(i)))
            .filter(|s| *s > 0)
            .min()
            .unwrap_or(u8::MAX);
        let locations = self
            .locations
            .iter()
            .filter_map(|code| Region::parse(std::str::from_utf8(code).ok()?).ok())
            .collect();
        SearchIndex {
            shown,
            names,
            locals,
            domains: self.domains,
            upn_case,
            digits,
            moved_digits: Default::default(),
            meta,
            by_upn,
            vocab,
            locations,
            shortest_number,
        }
    }
}

impl SearchIndex {
    /// Builds an index from users and the SMS sign-in claims by canonical number.
    pub fn build<'a>(
        users: impl IntoIterator<Item = &'a User>,
        policy: &Policy,
        claims: &HashMap<String, Vec<Claim>>,
    ) -> Self {
        let mut builder = IndexBuilder::default();
        for user in users {
            builder.push(parts_with_claims(user, policy, claims));
        }
        builder.finish()
    }

    /// Replaces entry `upn`'s digits and facts after an edit; returns false when the index has
    /// no such user (it was built before an import).
    pub fn apply(&mut self, parts: &EntryParts) -> bool {
        let key = format!("{}{}", parts.local, parts.domain);
        match self.find_upn(&key) {
            Some(i) => {
                self.update(i, &parts.digits, parts.meta);
                true
            }
            None => false,
        }
    }
}
