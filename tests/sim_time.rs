//! The simulated world's one time line across processes (`sim::clock`): a run skips ahead of the
//! wall clock (a code left to expire is 180 s in a fraction of a second), so what it stores would
//! stand in the future of a process that started again from the wall clock, and the limits would
//! refuse for it. These tests run the real binary several times on one database and check that
//! nothing stored is ever ahead of the clock that reads it next, and that repeated sign-ins after
//! failures meet exactly the documented limits (README "The sign-in simulator"), no more.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::sync::Arc;

use phonedesk::domain::Timestamp;
use phonedesk::sim::VirtualClock;
use phonedesk::store::{self, Directory, SystemClock, TreeId};
use support::{fresh, phonedesk};

const ROSA: &str = "rosa.delgado@fabrikam.example";

fn mfa_by_text(db: &Path, seed: &str, responses: &[&str]) -> support::Run {
    let mut args = vec![
        "signin", "mfa", "--user", ROSA, "--via", "sms", "--seed", seed,
    ];
    for r in responses {
        args.extend(["--respond", r]);
    }
    phonedesk(db, &args)
}

/// Every instant the simulator and the audit trail stored, except deadlines (a code's expiry, a
/// block's end), which lie in the future by design.
fn stored_instants(db: &Path) -> (Vec<(String, Timestamp)>, Option<Timestamp>) {
    let store = store::open_sled(db, Arc::new(SystemClock)).unwrap();
    let mut found = Vec::new();
    for tree in [
        TreeId::SignIns,
        TreeId::Throttles,
        TreeId::Challenges,
        TreeId::Audit,
    ] {
        store
            .backend()
            .scan(tree, &[], &mut |_, value| {
                let json: serde_json::Value = serde_json::from_slice(value).unwrap();
                collect(&json, &format!("{tree:?}"), &mut found);
                true
            })
            .unwrap();
    }
    let reached = phonedesk::sim::clock::reached(store.backend()).unwrap();
    (found, reached)
}

fn collect(value: &serde_json::Value, path: &str, out: &mut Vec<(String, Timestamp)>) {
    const DEADLINES: [&str; 3] = ["expiresAt", "blockedUntil", "until"];
    match value {
        serde_json::Value::String(text) => {
            if let Ok(at) = text.parse::<Timestamp>() {
                out.push((path.to_owned(), at));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                if !DEADLINES.contains(&key.as_str()) {
                    collect(item, &format!("{path}.{key}"), out);
                }
            }
        }
        _ => {}
    }
}

/// A mixed day at the desk: a wrong code left to expire, a sign-in tried again after ten
/// minutes, a call that rings out to voicemail, a password reset, an administrator's reset, a phone's conditions.
#[test]
fn nothing_stored_is_ever_ahead_of_the_clock_that_reads_it_next() {
    let (_dir, db) = fresh();
    let wall_before = Timestamp::now();
    assert_eq!(mfa_by_text(&db, "1", &["code:000000"]).code, 1);
    let again = mfa_by_text(&db, "2", &["auto", "wait:600", "resend", "auto"]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    let voicemail = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "margaret.hughes@fabrikam.example",
            "--respond",
            "none",
        ],
    );
    assert_eq!(voicemail.code, 1, "{}", voicemail.stdout);
    let sspr = phonedesk(
        &db,
        &[
            "signin",
            "sspr",
            "--user",
            "daniel.fischer@fabrikam.example",
            "--slot",
            "office",
            "--seed",
            "3",
        ],
    );
    assert!(sspr.code <= 1, "{}{}", sspr.stdout, sspr.stderr);
    let clear = phonedesk(&db, &["signin", "clear-failures", "--user", ROSA]);
    assert_eq!(clear.code, 0, "{}", clear.stderr);
    let device = phonedesk(
        &db,
        &["device", "set", "+1 2065550101", "--voicemail", "on"],
    );
    assert_eq!(device.code, 0, "{}", device.stderr);

    let (instants, reached) = stored_instants(&db);
    let reached = reached.expect("the simulator keeps the instant its world reached");
    assert!(
        reached.since(wall_before) >= 600_000,
        "the second run tried again ten virtual minutes on: {reached}"
    );
    let latest = instants.iter().map(|(_, at)| *at).max().unwrap();
    for (path, at) in &instants {
        assert!(
            *at <= reached,
            "{path} = {at} is ahead of the mark {reached}"
        );
    }
    // The clock any process starts with reads at or after everything stored.
    let next = VirtualClock::at(Timestamp::now());
    let store = store::open_sled(&db, Arc::new(SystemClock)).unwrap();
    next.resume(store.backend()).unwrap();
    assert!(next.now() >= latest, "{} < {latest}", next.now());
    drop(store);
    // And the next run, as a process, starts there: its attempt is not before the last one.
    let run = mfa_by_text(&db, "4", &["auto"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let log = phonedesk(&db, &["log", "--user", ROSA, "--limit", "1", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
    let started: Timestamp = json["value"][0]["startedAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(started >= latest, "{started} < {latest}");
}

/// The reported failure: one wrong code, then the next sign-ins were refused ("too many failed
/// verifications") for as long as the first run had skipped ahead. One wrong code costs nothing;
/// what limits the next runs is the documented send limit, 5 texts per user in 300 s, exactly.
#[test]
fn one_wrong_code_costs_no_wait_and_the_send_limit_holds_exactly() {
    let (_dir, db) = fresh();
    let first = mfa_by_text(&db, "1", &["code:000000"]);
    assert_eq!(first.code, 1, "{}", first.stdout);
    assert_eq!(
        first.last_line(),
        "result: denied (user entered incorrect code)"
    );
    // Texts 2 to 5 of the window go out and verify.
    for seed in 2..=5 {
        let run = mfa_by_text(&db, &seed.to_string(), &["auto"]);
        assert_eq!(run.code, 0, "run {seed}: {}", run.stdout);
        assert_eq!(run.last_line(), "result: success");
    }
    // The sixth text within 300 s is the limit, and nothing else.
    let sixth = mfa_by_text(&db, "6", &["auto"]);
    assert_eq!(sixth.code, 1, "{}", sixth.stdout);
    assert_eq!(sixth.last_line(), "result: denied (throttled)");
    assert!(
        sixth
            .stdout
            .contains("limit on text verification codes (5 per user in 300 s)"),
        "{}",
        sixth.stdout
    );
}

/// Five wrong codes: the next check waits 30 s from the last failure (README "The sign-in
/// simulator"; `throttle::failure_delay`), in the next process as in the same one: refused at
/// 29 s, allowed at 31 s, and the refusal names the instant exactly.
#[test]
fn after_five_wrong_codes_the_next_process_waits_exactly_30_seconds() {
    let (_dir, db) = fresh();
    let wrong = ["code:000000"; 5];
    let first = mfa_by_text(&db, "1", &wrong);
    assert_eq!(
        first.last_line(),
        "result: denied (entered incorrect code too many times)",
        "{}",
        first.stdout
    );
    let log = phonedesk(&db, &["log", "--user", ROSA, "--limit", "1", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
    let last_failure: Timestamp = json["value"][0]["endedAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Attempt 1 at once, attempt 2 after 27 s + a 2 s click, attempt 3 after 1 s + 2 s more.
    let next = mfa_by_text(&db, "2", &["wait:27", "resend", "wait:1", "resend", "auto"]);
    assert_eq!(next.code, 0, "{}", next.stdout);
    let allowed_at = last_failure.plus_secs(30);
    let refusal = format!("too many failed attempts: the next check is allowed at {allowed_at}");
    let refused: Vec<&str> = next
        .stdout
        .lines()
        .filter(|l| l.contains("refused: "))
        .collect();
    assert_eq!(refused.len(), 2, "{}", next.stdout);
    assert!(
        refused.iter().all(|l| l.ends_with(&refusal)),
        "{}",
        next.stdout
    );
    assert!(
        next.stdout.contains("[+29.0s] service: refused: "),
        "{}",
        next.stdout
    );
    assert_eq!(next.last_line(), "result: success");
}
