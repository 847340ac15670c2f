//! Answering a query: ranked, first screenful first.
//!
//! Results come in tiers: an exact UPN or number first, then users with a name word starting
//! with every word typed, then users matching anywhere (name, UPN, any number), then names a typo
//! away. Within a tier, display order. [`SearchIndex::search`] with a limit stops as soon as it
//! has that many rows, so a first character typed into an empty box costs a screenful of work,
//! not a million checks; without a limit it returns the whole ranked list and the exact count.

use memchr::memmem::Finder;

use super::arena::Arena;
use super::fuzzy::{allowed_edits, close_to};
use super::index::{ADMIN, GUEST, NO_METHODS, SMS_READY, SearchIndex};
use super::words::{MergeEnd, merge_postings, starts_a_word, words};
use super::{Filters, Query, number_readings};
use crate::domain::time::Timestamp;

/// Rows worth answering at once: more than any screen shows.
pub const FIRST_SCREEN: usize = 200;
/// Entries scanned between looks at the cancellation flag and merges of candidate streams.
const CHUNK: usize = 16_384;

/// Why a row matched, for the operator and for ranking (the tier).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Why {
    /// The UPN typed in full.
    ExactUpn,
    /// A whole phone number.
    ExactNumber,
    /// Every word typed starts a word of the name.
    NameStart,
    /// Part of the name.
    Name,
    /// Part of the UPN.
    Upn,
    /// Part of a phone number.
    Number,
    /// A name a typo or two away.
    Similar,
    /// No text typed: everyone (who passes the filters).
    Listed,
}

impl Why {
    pub fn tier(self) -> u8 {
        match self {
            Self::ExactUpn | Self::ExactNumber => 0,
            Self::NameStart => 1,
            Self::Name | Self::Upn | Self::Number | Self::Listed => 2,
            Self::Similar => 3,
        }
    }

    /// A short label for the result list.
    pub fn label(self) -> &'static str {
        match self {
            Self::ExactUpn => "UPN",
            Self::ExactNumber => "number",
            Self::NameStart | Self::Name => "name",
            Self::Upn => "UPN part",
            Self::Number => "number part",
            Self::Similar => "similar name",
            Self::Listed => "",
        }
    }
}

/// One result row: an entry of the index and why it matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub entry: u32,
    pub why: Why,
}

/// How many users match: known, or at least this many (the first screenful came first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Total {
    Exact(usize),
    AtLeast(usize),
}

impl Total {
    pub fn count(self) -> usize {
        match self {
            Self::Exact(n) | Self::AtLeast(n) => n,
        }
    }

    pub fn is_exact(self) -> bool {
        matches!(self, Self::Exact(_))
    }
}

/// The outcome of a search, ranked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hits {
    pub query: Query,
    pub rows: Vec<Row>,
    pub total: Total,
    /// When the search ran: blocks are judged at this time, in the list too.
    pub at: Timestamp,
}

impl Hits {
    pub fn empty(query: Query, at: Timestamp) -> Self {
        Self {
            query,
            rows: Vec::new(),
            total: Total::Exact(0),
            at,
        }
    }

    pub fn is_complete(&self) -> bool {
        self.total.is_exact()
    }
}

/// The union of two ascending lists, ascending, each value once.
fn merge_two<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || match (a.get(i), b.get(j)) {
        (Some(&x), Some(&y)) => {
            if x <= y {
                i += 1;
                if x == y {
                    j += 1;
                }
                Some(x)
            } else {
                j += 1;
                Some(y)
            }
        }
        (Some(&x), None) => {
            i += 1;
            Some(x)
        }
        (None, Some(&y)) => {
            j += 1;
            Some(y)
        }
        (None, None) => None,
    })
}

/// A query prepared for matching.
struct Plan {
    tokens: Vec<Token>,
    /// Digit strings for a query that reads as a phone number; `None` otherwise.
    needles: Option<Vec<Vec<u8>>>,
    filters: Filters,
    now: Timestamp,
}

struct Token {
    text: String,
    chars: Vec<char>,
    edits: usize,
    digits: bool,
}

impl Token {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        Self {
            edits: allowed_edits(chars.len()),
            digits: text.bytes().all(|b| b.is_ascii_digit()),
            chars,
            text: text.to_owned(),
        }
    }

    /// The part a UPN local part holds: up to and including `@`.
    fn local_needle(&self) -> &str {
        match self.text.find('@') {
            Some(at) => &self.text[..=at],
            None => &self.text,
        }
    }
}

/// A bitset over entries, for "already listed" in a full search.
struct Seen(Vec<u64>);

impl Seen {
    fn new(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }

    /// Marks `e`; false when it was marked already.
    fn insert(&mut self, e: u32) -> bool {
        let (word, bit) = ((e / 64) as usize, e % 64);
        let Some(w) = self.0.get_mut(word) else {
            return false;
        };
        let fresh = *w & (1 << bit) == 0;
        *w |= 1 << bit;
        fresh
    }

    fn contains(&self, e: u32) -> bool {
        self.0
            .get((e / 64) as usize)
            .is_some_and(|w| w & (1 << (e % 64)) != 0)
    }
}

/// Rows gathered so far, with the limit that ends the search early.
struct Gather {
    rows: Vec<Row>,
    seen: Seen,
    limit: usize,
}

impl Gather {
    fn full(&self) -> bool {
        self.rows.len() >= self.limit
    }

    fn push(&mut self, entry: u32, why: Why) {
        if self.seen.insert(entry) {
            self.rows.push(Row { entry, why });
        }
    }
}

impl SearchIndex {
    /// Runs `query` at `now` (blocks lapse). With `limit`, stops once that many rows are ranked
    /// (the total is then `AtLeast` unless everything was seen); without, ranks every match.
    /// Returns `None` when `cancelled` turned true.
    pub fn search(
        &self,
        query: &Query,
        now: Timestamp,
        limit: Option<usize>,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<Hits> {
        let plan = self.plan(query, now);
        let mut gather = Gather {
            rows: Vec::new(),
            seen: Seen::new(self.len()),
            limit: limit.unwrap_or(usize::MAX),
        };
        let complete = if let Some(needles) = &plan.needles {
            self.by_number(&plan, needles, &mut gather, cancelled)?
        } else if plan.tokens.is_empty() {
            self.everyone(&plan, &mut gather, cancelled)?
        } else {
            self.by_text(&plan, &mut gather, cancelled)?
        };
        let count = gather.rows.len();
        Some(Hits {
            query: query.clone(),
            rows: gather.rows,
            total: if complete {
                Total::Exact(count)
            } else {
                Total::AtLeast(count)
            },
            at: now,
        })
    }

    fn plan(&self, query: &Query, now: Timestamp) -> Plan {
        let text = query.text.trim();
        let mut regions = self.locations.clone();
        if let Some(r) = query.region
            && !regions.contains(&r)
        {
            regions.push(r);
        }
        Plan {
            needles: number_readings(text, &regions),
            tokens: text
                .to_lowercase()
                .split_whitespace()
                .map(Token::new)
                .collect(),
            filters: query.filters,
            now,
        }
    }

    fn passes(&self, e: u32, filters: Filters, now: Timestamp) -> bool {
        let Some(m) = self.meta(e) else {
            return false;
        };
        let flag = |on: bool, bit: u8| !on || m.flags & bit != 0;
        flag(filters.sms_ready, SMS_READY)
            && flag(filters.no_methods, NO_METHODS)
            && flag(filters.admins, ADMIN)
            && flag(filters.guests, GUEST)
            && (!filters.blocked || m.blocked_at(now))
    }

    /// No text: everyone who passes the filters, in display order.
    fn everyone(&self, plan: &Plan, g: &mut Gather, cancelled: &dyn Fn() -> bool) -> Option<bool> {
        let n = self.len();
        if !plan.filters.any() {
            let take = n.min(g.limit);
            for e in 0..take {
                g.push(u32::try_from(e).unwrap_or(u32::MAX), Why::Listed);
            }
            return Some(take == n);
        }
        for e in 0..n {
            if e % CHUNK == 0 && cancelled() {
                return None;
            }
            let e = u32::try_from(e).unwrap_or(u32::MAX);
            if self.passes(e, plan.filters, plan.now) {
                g.push(e, Why::Listed);
                if g.full() {
                    return Some(false);
                }
            }
        }
        Some(true)
    }

    /// How entry `e` matches the words typed: the weakest word decides.
    fn judge_text(&self, e: u32, plan: &Plan) -> Option<Why> {
        let name = self.names.text(e as usize);
        let local = self.locals.text(e as usize);
        let mut worst = Why::NameStart;
        for t in &plan.tokens {
            let why = if starts_a_word(name, &t.text) {
                Why::NameStart
            } else if name.contains(t.text.as_str()) {
                Why::Name
            } else if self.upn_contains(e, local, &t.text) {
                Why::Upn
            } else if t.digits
                && memchr::memmem::find(self.digits_of(e), t.text.as_bytes()).is_some()
            {
                Why::Number
            } else if t.edits > 0 && words(name).any(|w| close_to(&t.chars, w, t.edits)) {
                Why::Similar
            } else {
                return None;
            };
            if why.tier() > worst.tier() {
                worst = why;
            }
        }
        Some(worst)
    }

    fn upn_contains(&self, e: u32, local: &str, token: &str) -> bool {
        if token.contains('@') {
            self.upn_key(e).contains(token)
        } else {
            local.contains(token)
        }
    }

    fn by_text(&self, plan: &Plan, g: &mut Gather, cancelled: &dyn Fn() -> bool) -> Option<bool> {
        // Tier 0: the UPN typed in full.
        if let [only] = plan.tokens.as_slice()
            && only.text.contains('@')
            && let Some(e) = self.find_upn(&only.text)
            && self.passes(e, plan.filters, plan.now)
        {
            g.push(e, Why::ExactUpn);
        }
        // One plain word (the common case while typing) needs no judging: a posting of a word
        // with its prefix starts a name word, and a hit in an arena says where it matched.
        let single = match plan.tokens.as_slice() {
            [t] if t.text.chars().all(char::is_alphanumeric) => Some(t),
            _ => None,
        };
        // Tier 1: every word starts a name word. Driven by the word with the fewest postings.
        let driver = plan
            .tokens
            .iter()
            .map(|t| self.vocab.prefix_range(&t.text))
            .min_by_key(|r| self.vocab.postings_in(r))
            .unwrap_or(0..0);
        let lists: Vec<&[u32]> = driver.clone().map(|w| self.vocab.postings(w)).collect();
        let end = merge_postings(
            &lists,
            g.limit.saturating_sub(g.rows.len()),
            &mut |e| {
                let take = !g.seen.contains(e)
                    && self.passes(e, plan.filters, plan.now)
                    && (single.is_some() || self.judge_text(e, plan) == Some(Why::NameStart));
                if take {
                    g.push(e, Why::NameStart);
                }
                take
            },
            cancelled,
        )?;
        if end == MergeEnd::Stopped || g.full() {
            return Some(false);
        }
        // Tier 2: anywhere. Driven by the longest word, through the name, UPN and digit arenas.
        let Some(longest) = plan.tokens.iter().max_by_key(|t| t.text.len()) else {
            return Some(true);
        };
        let name_needle = Finder::new(longest.text.as_bytes());
        let local_needle = Finder::new(longest.local_needle().as_bytes());
        let mut sources: Vec<(&Arena, &Finder<'_>)> =
            vec![(&self.names, &name_needle), (&self.locals, &local_needle)];
        if longest.digits {
            sources.push((&self.digits, &name_needle));
        }
        let moved: Vec<u32> = if longest.digits {
            self.moved_matching(&[longest.text.as_bytes().to_vec()])
        } else {
            Vec::new()
        };
        let done = self.each_candidate(&sources, &moved, cancelled, &mut |e| {
            if g.seen.contains(e) || !self.passes(e, plan.filters, plan.now) {
                return !g.full();
            }
            let why = match single {
                Some(t) => Some(if self.names.text(e as usize).contains(t.text.as_str()) {
                    Why::Name
                } else if self.locals.text(e as usize).contains(t.text.as_str()) {
                    Why::Upn
                } else {
                    Why::Number
                }),
                // A word with a separator in it (`o'con`) can start a name word without being a
                // word of the vocabulary: it is found here, and kept whatever its tier.
                None => self.judge_text(e, plan).filter(|w| w.tier() <= 2),
            };
            if let Some(why) = why {
                g.push(e, why);
            }
            !g.full()
        })?;
        if !done {
            return Some(false);
        }
        // Tier 3: a typo away. Driven by the first word long enough to forgive.
        let Some(fuzzy) = plan.tokens.iter().find(|t| t.edits > 0) else {
            return Some(true);
        };
        let close: Vec<&[u32]> = (0..self.vocab.len())
            .filter(|&w| {
                let word = self.vocab.word(w);
                !word.contains(fuzzy.text.as_str()) && close_to(&fuzzy.chars, word, fuzzy.edits)
            })
            .map(|w| self.vocab.postings(w))
            .collect();
        let end = merge_postings(
            &close,
            g.limit.saturating_sub(g.rows.len()),
            &mut |e| {
                let take = !g.seen.contains(e)
                    && self.passes(e, plan.filters, plan.now)
                    && self.judge_text(e, plan) == Some(Why::Similar);
                if take {
                    g.push(e, Why::Similar);
                }
                take
            },
            cancelled,
        )?;
        Some(end == MergeEnd::Exhausted && !g.full())
    }

    /// Entries whose moved digits contain a needle, ascending.
    fn moved_matching(&self, needles: &[Vec<u8>]) -> Vec<u32> {
        self.moved_digits
            .iter()
            .filter(|(_, d)| {
                needles
                    .iter()
                    .any(|n| memchr::memmem::find(d.as_bytes(), n).is_some())
            })
            .map(|(e, _)| *e)
            .collect()
    }

    /// Visits, in display order and once each, every entry whose field in one of `sources`
    /// contains that source's needle (plus `extra` entries), chunk by chunk so the streams stay
    /// merged and a cancelled search stops soon. `visit` returns false to stop early; the result
    /// says whether every entry was seen.
    fn each_candidate(
        &self,
        sources: &[(&Arena, &Finder<'_>)],
        extra: &[u32],
        cancelled: &dyn Fn() -> bool,
        visit: &mut dyn FnMut(u32) -> bool,
    ) -> Option<bool> {
        let n = self.len();
        // One ascending list per source (an arena yields its fields in order), merged.
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); sources.len() + 1];
        let mut lo = 0;
        while lo < n {
            if cancelled() {
                return None;
            }
            let hi = (lo + CHUNK).min(n);
            for ((arena, needle), list) in sources.iter().zip(lists.iter_mut()) {
                list.clear();
                arena.each_containing(needle, lo..hi, &mut |f, _| {
                    list.push(u32::try_from(f).unwrap_or(u32::MAX));
                    true
                });
            }
            if let Some(last) = lists.last_mut() {
                last.clear();
                last.extend(extra.iter().filter(|e| (lo..hi).contains(&(**e as usize))));
            }
            // The usual case is one or two non-empty streams: walk them with two cursors.
            let live: Vec<&Vec<u32>> = lists.iter().filter(|l| !l.is_empty()).collect();
            let merged: Box<dyn Iterator<Item = u32> + '_> = match live.as_slice() {
                [] => Box::new(std::iter::empty()),
                [one] => Box::new(one.iter().copied()),
                [a, b] => Box::new(merge_two(a, b)),
                more => {
                    let mut all: Vec<u32> = more.iter().flat_map(|l| l.iter().copied()).collect();
                    all.sort_unstable();
                    all.dedup();
                    Box::new(all.into_iter())
                }
            };
            for e in merged {
                if !visit(e) {
                    return Some(false);
                }
            }
            lo = hi;
        }
        Some(true)
    }

    /// A query that reads as a phone number: whole numbers first, then numbers containing it.
    fn by_number(
        &self,
        plan: &Plan,
        needles: &[Vec<u8>],
        g: &mut Gather,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<bool> {
        // Only needles that contain no other needle need scanning: every reading of the number
        // (with its country code, without its trunk prefix) contains the shortest one.
        let scan: Vec<&Vec<u8>> = needles
            .iter()
            .filter(|n| {
                !needles
                    .iter()
                    .any(|m| m.len() < n.len() && memchr::memmem::find(n, m).is_some())
            })
            .collect();
        let finders: Vec<Finder<'_>> = scan.iter().map(|n| Finder::new(n.as_slice())).collect();
        let mut sources: Vec<(&Arena, &Finder<'_>)> =
            finders.iter().map(|f| (&self.digits, f)).collect();
        // Digits in a UPN (`ava.smith42@`) count as part of it.
        let raw: String = plan.tokens.iter().map(|t| t.text.as_str()).collect();
        let raw_digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let local_needle = Finder::new(raw_digits.as_bytes());
        if !raw_digits.is_empty() {
            sources.push((&self.locals, &local_needle));
        }
        let moved = self.moved_matching(needles);
        let exact_possible = needles
            .iter()
            .any(|n| n.len() >= usize::from(self.shortest_number));
        let mut parts: Vec<Row> = Vec::new();
        let mut dropped = false;
        let limit = g.limit;
        let done = self.each_candidate(&sources, &moved, cancelled, &mut |e| {
            if !self.passes(e, plan.filters, plan.now) {
                return true;
            }
            let digits = self.digits_of(e);
            let whole = exact_possible
                && digits
                    .split(|b| *b == b'|')
                    .any(|number| !number.is_empty() && needles.iter().any(|n| n == number));
            if whole {
                g.push(e, Why::ExactNumber);
            } else if parts.len() < limit {
                let why = if needles
                    .iter()
                    .any(|n| memchr::memmem::find(digits, n).is_some())
                {
                    Why::Number
                } else {
                    Why::Upn
                };
                parts.push(Row { entry: e, why });
            } else {
                dropped = true;
            }
            // Without a possible whole number, the first screenful of parts is enough.
            exact_possible || g.rows.len() + parts.len() < limit
        })?;
        for row in parts {
            if g.full() {
                dropped = true;
                break;
            }
            g.push(row.entry, row.why);
        }
        Some(done && !dropped)
    }
}
