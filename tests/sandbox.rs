//! The simulator in a sandbox: guided demos play on a scratch copy of their cast and never
//! change the open tenant, so they replay the same way; "reset the simulated world" clears the
//! simulator's state (phones, faults, counters, codes) and nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{fresh, phonedesk};

const NOAH: &str = "noah.patel@fabrikam.example";

fn count_lines(db: &std::path::Path, args: &[&str]) -> usize {
    let run = phonedesk(db, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout.lines().count()
}

#[test]
fn a_demo_never_changes_the_open_tenant_and_replays_the_same() {
    let (_dir, db) = fresh();
    // Seed the demo tenant.
    assert_eq!(phonedesk(&db, &["user", "show", NOAH]).code, 0);
    let audit_before = phonedesk(&db, &["audit", "--json"]).stdout;
    let log_before = phonedesk(&db, &["log", "--json"]).stdout;
    let mut timelines = Vec::new();
    for _ in 0..3 {
        let play = phonedesk(&db, &["demo", "play", "fraud-report"]);
        assert_eq!(play.code, 0, "{}{}", play.stdout, play.stderr);
        assert!(play.stderr.contains("sandbox"), "{}", play.stderr);
        assert!(
            play.last_line()
                .starts_with("demo: reached its expected end"),
            "{}",
            play.stdout
        );
        timelines.push(play.stdout);
    }
    assert!(
        timelines.windows(2).all(|w| w[0] == w[1]),
        "every play ends the same way"
    );
    let noah = phonedesk(&db, &["user", "show", NOAH]);
    assert!(noah.stdout.contains("blocked: no"), "{}", noah.stdout);
    assert_eq!(phonedesk(&db, &["audit", "--json"]).stdout, audit_before);
    assert_eq!(phonedesk(&db, &["log", "--json"]).stdout, log_before);
    // No sandbox is left behind.
    let left = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("phonedesk-sandbox-{}-", std::process::id()))
        })
        .count();
    assert_eq!(left, 0);
}

#[test]
fn a_demo_says_up_front_when_its_cast_is_not_in_the_tenant() {
    let (dir, db) = fresh();
    let file = dir.path().join("tenant.json");
    std::fs::write(
        &file,
        r#"{"version":1,"tenant":{"name":"Tiny","domain":"tiny.example"},"users":[{"userPrincipalName":"kim@tiny.example","displayName":"Kim"}]}"#,
    )
    .unwrap();
    let import = phonedesk(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let audit_before = phonedesk(&db, &["audit", "--json"]).stdout;
    let play = phonedesk(&db, &["demo", "play", "fraud-report"]);
    assert_eq!(play.code, 1, "{}{}", play.stdout, play.stderr);
    assert!(play.stderr.contains(NOAH), "{}", play.stderr);
    assert!(
        play.stderr.contains("not in this tenant"),
        "{}",
        play.stderr
    );
    assert!(play.stdout.is_empty(), "nothing played: {}", play.stdout);
    assert_eq!(phonedesk(&db, &["audit", "--json"]).stdout, audit_before);
}

#[test]
fn reset_world_clears_phones_faults_counters_and_codes_only() {
    let (_dir, db) = fresh();
    let mobile = "+1 206 555 0100";
    assert_eq!(phonedesk(&db, &["user", "show", NOAH]).code, 0);
    let set = phonedesk(&db, &["device", "set", mobile, "--power", "off"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let fault = phonedesk(&db, &["telecom", "fault", "northwind", "sms-drop"]);
    assert_eq!(fault.code, 0, "{}", fault.stderr);
    let users_before = phonedesk(&db, &["user", "search", "", "--limit", "100", "--json"]).stdout;
    let log_lines = count_lines(&db, &["log"]);

    let reset = phonedesk(&db, &["demo", "reset-world"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    assert!(
        reset.stdout.contains("fresh again") && reset.stdout.contains("1 telecom providers"),
        "{}",
        reset.stdout
    );
    let status = phonedesk(&db, &["telecom", "status"]);
    assert!(!status.stdout.contains("sms-drop"), "{}", status.stdout);
    let phone = phonedesk(&db, &["device", "show", mobile]);
    assert!(!phone.stdout.contains("power: off"), "{}", phone.stdout);
    assert_eq!(
        phonedesk(&db, &["user", "search", "", "--limit", "100", "--json"]).stdout,
        users_before,
        "users and methods stay"
    );
    assert_eq!(
        count_lines(&db, &["log"]),
        log_lines,
        "the sign-in log stays"
    );
    let audit = phonedesk(&db, &["audit", "--limit", "1"]);
    assert!(audit.stdout.contains("sim.reset"), "{}", audit.stdout);
}
