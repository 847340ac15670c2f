//! One-time codes (ROBUSTNESS.md "One-time codes").
//!
//! - Digits come from the operating system's generator, drawn without modulo bias; only in
//!   deterministic mode (`--seed`) from the seeded generator, so a demo replays exactly.
//! - The store keeps an HMAC-SHA256 of the code (keyed with a random per-database secret kept in
//!   the `Meta` tree and bound to the challenge's sequence number), never the code, and checks it
//!   in constant time with `Mac::verify_slice`.
//! - A check and its consequence (used, one more wrong entry, dead) commit in one flushed
//!   transaction, so a code cannot be used twice.
//! - A challenge stores its issue time and its expiry: a clock that jumps backwards (now before
//!   the issue time) never extends it.
//!
//! Entry rule: spaces and dashes are removed; what remains must be exactly the code length of
//! ASCII digits. Anything else (letters, full-width digits, a wrong length, more than
//! [`MAX_ENTRY_CHARS`] characters) is an incorrect code, decided without hashing.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::domain::{Timestamp, hex};
use crate::rng::SeededRng;
use crate::store::{TreeId, Txn, TxnError, decode, decode_u64, encode, next_seq};

type HmacSha256 = Hmac<Sha256>;

/// The longest entry looked at: a code with separators never needs more.
pub const MAX_ENTRY_CHARS: usize = 64;
const SECRET_BYTES: usize = 32;
const KEY_OTP_SECRET: &[u8] = b"otp_secret";
const KEY_CHALLENGE_SEQ: &[u8] = b"challenge_seq";

/// A code in the clear. It lives only on the virtual phone; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    /// The digits, for the text message on the virtual phone.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(..)")
    }
}

/// Where code digits come from.
#[derive(Clone, Debug)]
pub enum CodeSource {
    /// The operating system's generator: the live app.
    Os,
    /// Deterministic mode.
    Seeded(SeededRng),
}

/// Why no code could be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoRandomness(pub String);

fn os_u64() -> Result<u64, NoRandomness> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| NoRandomness(e.to_string()))?;
    Ok(u64::from_le_bytes(bytes))
}

/// A uniform value below `bound` from the OS generator (rejection sampling, like
/// [`SeededRng::below`]).
fn os_below(bound: u64) -> Result<u64, NoRandomness> {
    if bound == 0 {
        return Ok(0);
    }
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let v = os_u64()?;
        if v < zone {
            return Ok(v % bound);
        }
    }
}

/// A random secret for the per-database key, from the OS.
pub fn fresh_secret() -> Result<[u8; SECRET_BYTES], NoRandomness> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| NoRandomness(e.to_string()))?;
    Ok(bytes)
}

impl CodeSource {
    /// A code of `length` digits (leading zeros kept), uniform over all `10^length` codes.
    pub fn draw(&mut self, length: u8) -> Result<OneTimeCode, NoRandomness> {
        let length = u32::from(length.clamp(1, 18));
        let bound = 10u64.pow(length);
        let value = match self {
            Self::Os => os_below(bound)?,
            Self::Seeded(rng) => rng.below(bound),
        };
        Ok(OneTimeCode(format!(
            "{value:0width$}",
            width = length as usize
        )))
    }
}

/// Applies the entry rule: `Some(digits)` when the entry has the shape of a code.
pub fn normalise(entry: &str, length: u8) -> Option<String> {
    if entry.len() > MAX_ENTRY_CHARS * 4 || entry.chars().count() > MAX_ENTRY_CHARS {
        return None;
    }
    let mut digits = String::with_capacity(usize::from(length));
    for c in entry.chars() {
        match c {
            ' ' | '-' => {}
            '0'..='9' if digits.len() < usize::from(length) => digits.push(c),
            _ => return None,
        }
    }
    (digits.len() == usize::from(length)).then_some(digits)
}

/// Where a challenge stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChallengeState {
    Live,
    Used,
    /// Too many wrong entries.
    Dead,
    /// A resend replaced it.
    Superseded,
    Expired,
}

/// A code as the store keeps it: its keyed hash, never the code. `Debug` leaves the hash out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    pub seq: u64,
    pub upn_key: String,
    pub correlation_id: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// Hex HMAC-SHA256 over the sequence number and the code.
    pub mac: String,
    pub wrong_entries: u32,
    pub max_wrong: u32,
    pub state: ChallengeState,
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("seq", &self.seq)
            .field("upn_key", &self.upn_key)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("wrong_entries", &self.wrong_entries)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Challenge {
    /// Whether the code is past its lifetime at `now`, or `now` is before it was issued (a clock
    /// moved backwards: refusing is the only way a jump cannot extend a code).
    pub fn expired_at(&self, now: Timestamp) -> bool {
        now >= self.expires_at || now < self.issued_at
    }
}

/// The per-database key, created (from `candidate`) the first time one is needed, inside the
/// caller's transaction.
fn secret_in(txn: &dyn Txn, candidate: &[u8; SECRET_BYTES]) -> Result<Vec<u8>, TxnError> {
    if let Some(secret) = txn.get(TreeId::Meta, KEY_OTP_SECRET)? {
        return Ok(secret);
    }
    txn.insert(TreeId::Meta, KEY_OTP_SECRET, candidate)?;
    Ok(candidate.to_vec())
}

fn keyed(secret: &[u8], seq: u64, digits: &str) -> Result<HmacSha256, TxnError> {
    let mut mac = HmacSha256::new_from_slice(secret)
        .map_err(|e| TxnError::Storage(format!("code key: {e}")))?;
    mac.update(&seq.to_be_bytes());
    mac.update(b":");
    mac.update(digits.as_bytes());
    Ok(mac)
}

fn challenge_key(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

/// Reads a challenge inside a transaction.
pub fn challenge_in(txn: &dyn Txn, seq: u64) -> Result<Option<Challenge>, TxnError> {
    txn.get(TreeId::Challenges, &challenge_key(seq))?
        .map(|bytes| decode(&bytes, "challenge").map_err(TxnError::Refused))
        .transpose()
}

fn put(txn: &dyn Txn, challenge: &Challenge) -> Result<(), TxnError> {
    txn.insert(
        TreeId::Challenges,
        &challenge_key(challenge.seq),
        &encode(challenge)?,
    )
}

/// What a new challenge needs.
pub struct Issue<'a> {
    pub upn_key: &'a str,
    pub correlation_id: &'a str,
    pub code: &'a OneTimeCode,
    pub now: Timestamp,
    pub lifetime_ms: i64,
    pub max_wrong: u32,
    /// The challenge this one replaces (a resend): it dies in the same transaction.
    pub replaces: Option<u64>,
    /// Used only if the database has no code key yet.
    pub secret_candidate: &'a [u8; SECRET_BYTES],
}

/// Stores a new challenge inside the caller's transaction.
pub fn issue(txn: &dyn Txn, issue: &Issue<'_>) -> Result<Challenge, TxnError> {
    let secret = secret_in(txn, issue.secret_candidate)?;
    if let Some(old) = issue.replaces
        && let Some(mut previous) = challenge_in(txn, old)?
        && previous.state == ChallengeState::Live
    {
        previous.state = ChallengeState::Superseded;
        put(txn, &previous)?;
    }
    let seq = next_seq(txn, KEY_CHALLENGE_SEQ)?;
    let mac = keyed(&secret, seq, issue.code.expose())?
        .finalize()
        .into_bytes();
    let challenge = Challenge {
        seq,
        upn_key: issue.upn_key.to_owned(),
        correlation_id: issue.correlation_id.to_owned(),
        issued_at: issue.now,
        expires_at: issue.now.plus_millis(issue.lifetime_ms),
        mac: hex::encode(&mac),
        wrong_entries: 0,
        max_wrong: issue.max_wrong,
        state: ChallengeState::Live,
    };
    put(txn, &challenge)?;
    Ok(challenge)
}

/// The answer to one entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Check {
    Accepted,
    /// Wrong; `left` more wrong entries are allowed.
    Incorrect {
        left: u32,
    },
    /// This entry was the last wrong one allowed, or the challenge is already dead.
    TooMany,
    /// The right code, again.
    AlreadyUsed,
    Expired,
    /// A resend replaced this code.
    Superseded,
    NotFound,
}

fn matches(secret: &[u8], challenge: &Challenge, digits: &str) -> Result<bool, TxnError> {
    let Some(expected) = hex::decode(&challenge.mac) else {
        return Err(TxnError::Refused(crate::store::StoreError::Corrupt {
            path: "(challenge)".into(),
            detail: "unreadable code hash".into(),
        }));
    };
    Ok(keyed(secret, challenge.seq, digits)?
        .verify_slice(&expected)
        .is_ok())
}

/// Checks an entry (already normalised: `None` when it broke the entry rule) against challenge
/// `seq` and records the consequence, all inside the caller's transaction.
pub fn check(
    txn: &dyn Txn,
    seq: u64,
    entry: Option<&str>,
    now: Timestamp,
) -> Result<(Check, Option<Challenge>), TxnError> {
    let Some(mut challenge) = challenge_in(txn, seq)? else {
        return Ok((Check::NotFound, None));
    };
    let Some(secret) = txn.get(TreeId::Meta, KEY_OTP_SECRET)? else {
        return Ok((Check::NotFound, Some(challenge)));
    };
    let right = match entry {
        Some(digits) => matches(&secret, &challenge, digits)?,
        None => false,
    };
    let answer = match challenge.state {
        ChallengeState::Used if right => Check::AlreadyUsed,
        ChallengeState::Used => Check::Incorrect { left: 0 },
        ChallengeState::Dead => Check::TooMany,
        ChallengeState::Superseded => Check::Superseded,
        ChallengeState::Expired => Check::Expired,
        ChallengeState::Live if challenge.expired_at(now) => {
            challenge.state = ChallengeState::Expired;
            put(txn, &challenge)?;
            Check::Expired
        }
        ChallengeState::Live if right => {
            challenge.state = ChallengeState::Used;
            put(txn, &challenge)?;
            Check::Accepted
        }
        ChallengeState::Live => {
            challenge.wrong_entries = challenge.wrong_entries.saturating_add(1);
            let answer = if challenge.wrong_entries >= challenge.max_wrong {
                challenge.state = ChallengeState::Dead;
                Check::TooMany
            } else {
                Check::Incorrect {
                    left: challenge.max_wrong - challenge.wrong_entries,
                }
            };
            put(txn, &challenge)?;
            answer
        }
    };
    Ok((answer, Some(challenge)))
}

/// Marks a live challenge expired (its lifetime ran out with nobody entering it).
pub fn expire(txn: &dyn Txn, seq: u64) -> Result<(), TxnError> {
    if let Some(mut challenge) = challenge_in(txn, seq)?
        && challenge.state == ChallengeState::Live
    {
        challenge.state = ChallengeState::Expired;
        put(txn, &challenge)?;
    }
    Ok(())
}

/// How many challenges the database has issued (for tests and diagnostics).
pub fn issued_count(
    backend: &dyn crate::store::DynBackend,
) -> Result<u64, crate::store::StoreError> {
    Ok(backend
        .get(TreeId::Meta, KEY_CHALLENGE_SEQ)?
        .and_then(|b| decode_u64(&b))
        .unwrap_or(0))
}

/// The user's challenges still marked live, oldest first: a code in flight, or one left behind
/// when a sign-in was abandoned without an end (the app closed while a code was pending).
/// Challenges have no per-user index, so this scans them all; it is a helpdesk look, not a hot path.
pub fn live_for(
    backend: &dyn crate::store::DynBackend,
    upn_key: &str,
) -> Result<Vec<Challenge>, crate::store::StoreError> {
    let mut live = Vec::new();
    let mut failure = None;
    backend.scan(TreeId::Challenges, &[], &mut |_, value| {
        match decode::<Challenge>(value, "challenge") {
            Ok(c) if c.upn_key == upn_key && c.state == ChallengeState::Live => live.push(c),
            Ok(_) => {}
            Err(e) => failure = Some(e),
        }
        failure.is_none()
    })?;
    failure.map_or(Ok(live), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_strips_spaces_and_dashes_only() {
        assert_eq!(normalise("123456", 6).as_deref(), Some("123456"));
        assert_eq!(normalise(" 123-456 ", 6).as_deref(), Some("123456"));
        assert_eq!(normalise("12345", 6), None);
        assert_eq!(normalise("1234567", 6), None);
        assert_eq!(normalise("12345a", 6), None);
        assert_eq!(normalise("１２３４５６", 6), None);
        assert_eq!(normalise("123\t456", 6), None);
        assert_eq!(normalise(&"9".repeat(10_000), 6), None);
        assert_eq!(normalise(&" ".repeat(10_000), 6), None);
    }

    #[test]
    fn seeded_codes_replay_and_keep_leading_zeros() {
        let mut a = CodeSource::Seeded(SeededRng::new(3));
        let mut b = CodeSource::Seeded(SeededRng::new(3));
        for _ in 0..50 {
            let (x, y) = (a.draw(6).unwrap(), b.draw(6).unwrap());
            assert_eq!(x, y);
            assert_eq!(x.expose().len(), 6);
        }
        assert_eq!(CodeSource::Os.draw(8).unwrap().expose().len(), 8);
        assert!(!format!("{:?}", a.draw(6).unwrap()).contains(|c: char| c.is_ascii_digit()));
    }

    #[test]
    fn os_codes_cover_every_digit_position() {
        let mut seen = [[false; 10]; 6];
        let mut source = CodeSource::Os;
        for _ in 0..400 {
            let code = source.draw(6).unwrap();
            for (i, b) in code.expose().bytes().enumerate() {
                seen[i][usize::from(b - b'0')] = true;
            }
        }
        assert!(seen.iter().all(|pos| pos.iter().all(|d| *d)));
    }
}
