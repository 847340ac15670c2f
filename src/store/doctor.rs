//! `phonedesk doctor`: reads a whole database and says what does not add up, without changing
//! anything.
//!
//! Every user record must decode and sit in the right bucket; the SMS sign-in claims, the user
//! count and the search index (saved file plus change log) must agree with the users; the audit
//! trail and the sign-in log must have no gaps and their per-user indexes must point at entries
//! of that user.

use std::collections::HashMap;

use super::backend::{Backend, TreeId};
use super::buckets::{ClaimBucket, UserBucket, claim_bucket_key};
use super::codec;
use super::directory::Store;
use super::schema::{self, KEY_AUDIT_SEQ, SCHEMA_VERSION};
use super::{Directory, LocalIndex, StoreError, local_index};
use crate::domain::rules;
use crate::domain::search::IndexStamp;

/// One thing that does not add up.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// What was checked: `users`, `claims`, `count`, `index`, `audit`, `signins`, `changes`.
    pub area: &'static str,
    pub detail: String,
}

/// What the doctor checked and found.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
    pub users: usize,
    pub audit_entries: usize,
    pub sign_ins: usize,
    pub findings: Vec<Finding>,
    /// What is worth knowing but not wrong.
    pub notes: Vec<String>,
}

impl Report {
    pub fn healthy(&self) -> bool {
        self.findings.is_empty()
    }

    fn find(&mut self, area: &'static str, detail: impl Into<String>) {
        // A damaged database can have a million problems; the first hundred tell the story.
        if self.findings.len() < 100 {
            self.findings.push(Finding {
                area,
                detail: detail.into(),
            });
        }
    }
}

impl<B: Backend> Store<B> {
    /// Checks the database end to end; changes nothing.
    pub fn doctor(&self) -> Result<Report, StoreError> {
        let mut report = Report::default();
        let found = self
            .backend
            .get(TreeId::Meta, schema::KEY_SCHEMA)?
            .and_then(|b| schema::decode_u64(&b));
        if found != Some(u64::from(SCHEMA_VERSION)) {
            report.find(
                "schema",
                format!("schema version {found:?}, expected {SCHEMA_VERSION}"),
            );
        }
        let expected_claims = self.check_users(&mut report)?;
        self.check_claims(&mut report, &expected_claims)?;
        self.check_index(&mut report)?;
        report.audit_entries = check_journal(&self.backend, &mut report, "audit", Journal::AUDIT)?;
        report.sign_ins = check_journal(&self.backend, &mut report, "signins", Journal::SIGNINS)?;
        let latest = self.change_seq()?;
        for change in self.changes_since(0)? {
            if change.seq > latest {
                report.find(
                    "changes",
                    format!(
                        "change {} is after the last one handed out ({latest})",
                        change.seq
                    ),
                );
            }
        }
        Ok(report)
    }

    /// Walks every bucket; returns the claims the users imply.
    fn check_users(&self, report: &mut Report) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let mut claims: HashMap<String, Vec<String>> = HashMap::new();
        let mut last_key: Option<String> = None;
        self.backend
            .scan(TreeId::Users, &[], &mut |bucket_key, value| {
                let bucket = match UserBucket::decode(value) {
                    Ok(b) => b,
                    Err(e) => {
                        report.find("users", format!("a bucket does not decode: {e}"));
                        return true;
                    }
                };
                if bucket.first_key().map(str::as_bytes) != Some(bucket_key) {
                    report.find(
                        "users",
                        format!(
                            "bucket {} is filed under another key",
                            String::from_utf8_lossy(bucket_key)
                        ),
                    );
                }
                for (key, record) in &bucket.users {
                    if last_key.as_ref().is_some_and(|last| last >= key) {
                        report.find("users", format!("{key} is out of order"));
                    }
                    last_key = Some(key.clone());
                    match codec::decode_user(record) {
                        Ok(user) => {
                            if user.upn().key() != *key {
                                report.find(
                                    "users",
                                    format!("{key} holds the record of {}", user.upn()),
                                );
                            }
                            if let Some((number, claim)) = rules::claim_of(&user) {
                                claims
                                    .entry(number.to_string())
                                    .or_default()
                                    .push(claim.upn_key);
                            }
                            report.users += 1;
                        }
                        Err(e) => report.find("users", format!("{key} does not decode: {e}")),
                    }
                }
                true
            })?;
        let counted = self.user_count()?;
        if counted != report.users {
            report.find(
                "count",
                format!(
                    "the user count says {counted}, the buckets hold {}",
                    report.users
                ),
            );
        }
        Ok(claims)
    }

    fn check_claims(
        &self,
        report: &mut Report,
        expected: &HashMap<String, Vec<String>>,
    ) -> Result<(), StoreError> {
        let mut stored: HashMap<String, Vec<String>> = HashMap::new();
        self.backend.scan(TreeId::Claims, &[], &mut |key, value| {
            match ClaimBucket::decode(value) {
                Ok(bucket) => {
                    for (number, claims) in bucket.numbers {
                        if claim_bucket_key(&number) != key {
                            report.find(
                                "claims",
                                format!("claims on {} are in the wrong bucket", mask(&number)),
                            );
                        }
                        stored.insert(number, claims.into_iter().map(|c| c.upn_key).collect());
                    }
                }
                Err(e) => report.find("claims", format!("a claim bucket does not decode: {e}")),
            }
            true
        })?;
        let sorted = |m: &HashMap<String, Vec<String>>| {
            let mut v: Vec<(String, Vec<String>)> = m
                .iter()
                .map(|(k, l)| {
                    let mut l = l.clone();
                    l.sort();
                    (k.clone(), l)
                })
                .collect();
            v.sort();
            v
        };
        let (want, have) = (sorted(expected), sorted(&stored));
        if want != have {
            let differing = want.iter().filter(|w| !have.contains(w)).count()
                + have.iter().filter(|h| !want.contains(h)).count();
            report.find(
                "claims",
                format!("the SMS sign-in claims disagree with the users on {differing} numbers"),
            );
        }
        Ok(())
    }

    fn check_index(&self, report: &mut Report) -> Result<(), StoreError> {
        let name = local_index::file_name(self.generation());
        if self.backend.read_side(&name).is_none() {
            // Not damage: the index is rebuilt (and saved) on next use.
            report
                .notes
                .push(format!("no saved search index ({name}) yet"));
            return Ok(());
        }
        let Some(loaded) = LocalIndex::load(self, &|| false)? else {
            return Ok(());
        };
        if let local_index::Origin::Rebuilt { why } = &loaded.origin {
            report.find(
                "index",
                format!("the saved search index cannot be used: {why}"),
            );
            return Ok(());
        }
        let Some(rebuilt) = LocalIndex::rebuild(self, "doctor".into(), &|| false)? else {
            return Ok(());
        };
        let stamp = IndexStamp {
            generation: self.generation(),
            seq: 0,
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let saved = loaded
            .index
            .save(stamp, &mut a)
            .and(rebuilt.index.save(stamp, &mut b));
        if saved.is_err() || a != b {
            report.find(
                "index",
                "the search index disagrees with the users (it will be rebuilt)",
            );
        }
        Ok(())
    }
}

/// An append-only journal and its per-user index.
struct Journal {
    tree: TreeId,
    by_user: TreeId,
    seq_key: &'static [u8],
    /// The JSON field naming the user an entry is about.
    user_field: &'static str,
}

impl Journal {
    const AUDIT: Self = Self {
        tree: TreeId::Audit,
        by_user: TreeId::AuditByUser,
        seq_key: KEY_AUDIT_SEQ,
        user_field: "target",
    };
    const SIGNINS: Self = Self {
        tree: TreeId::SignIns,
        by_user: TreeId::SignInsByUser,
        seq_key: b"signin_seq",
        user_field: "user",
    };
}

/// Entries must decode, be numbered 1, 2, 3... up to the counter, and the per-user index must
/// point at entries of that user. Returns the number of entries.
fn check_journal(
    backend: &dyn Backend,
    report: &mut Report,
    area: &'static str,
    journal: Journal,
) -> Result<usize, StoreError> {
    let last = backend
        .get(TreeId::Meta, journal.seq_key)?
        .and_then(|b| schema::decode_u64(&b))
        .unwrap_or(0);
    let mut expected = 1u64;
    let mut count = 0usize;
    let mut users: HashMap<u64, Option<String>> = HashMap::new();
    backend.scan(journal.tree, &[], &mut |k, v| {
        count += 1;
        let Some(seq) = schema::decode_u64(k) else {
            report.find(area, "an entry has a key that is not a sequence number");
            return true;
        };
        if seq != expected {
            report.find(
                area,
                format!(
                    "entries {expected} to {} are missing",
                    seq.saturating_sub(1)
                ),
            );
        }
        expected = seq + 1;
        match serde_json::from_slice::<serde_json::Value>(v) {
            Ok(entry) => {
                if entry.get("seq").and_then(serde_json::Value::as_u64) != Some(seq) {
                    report.find(area, format!("entry {seq} is numbered otherwise inside"));
                }
                let user = entry
                    .get(journal.user_field)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_ascii_lowercase);
                users.insert(seq, user);
            }
            Err(e) => report.find(area, format!("entry {seq} does not decode: {e}")),
        }
        true
    })?;
    if expected - 1 != last {
        report.find(
            area,
            format!(
                "the counter says {last} entries, the last one is {}",
                expected - 1
            ),
        );
    }
    backend.scan(journal.by_user, &[], &mut |k, _| {
        // The key is the user, a 0 byte, then the eight bytes of the sequence number.
        let split = k.len().checked_sub(9).filter(|at| k[*at] == 0);
        let Some(at) = split else {
            report.find(area, "a per-user index key is malformed");
            return true;
        };
        let user = String::from_utf8_lossy(&k[..at]).into_owned();
        let seq = schema::decode_u64(&k[at + 1..]).unwrap_or(0);
        match users.get(&seq) {
            Some(Some(owner)) if *owner == user => {}
            Some(_) => report.find(
                area,
                format!("the index files entry {seq} under {user}, whom it is not about"),
            ),
            None => report.find(
                area,
                format!("the index of {user} points at a missing entry {seq}"),
            ),
        }
        true
    })?;
    Ok(count)
}

/// A canonical number masked like everywhere else (`+1 ********01`).
fn mask(number: &str) -> String {
    crate::domain::PhoneNumber::parse_canonical(number)
        .map_or_else(|_| "(unreadable)".to_owned(), |n| n.masked())
}
