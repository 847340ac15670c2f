//! No text from an argument, a file or the database reaches the terminal as control text: every
//! command that echoes a UPN, a number, a name, a path or a value into an error or an output
//! line prints it display-safe (ESC, CR, LF, BEL, C1 controls, U+2028, U+2029, bidi and
//! zero-width characters become a visible marker). The tenant in the database is itself full of
//! such text (`tty::hostile`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tty;

use std::path::Path;
use std::process::Command;

use tty::hostile::{self, assert_clean, hostile};
use tty::session::BIN;

/// A hostile user (display name full of control text), a blocked one (hostile block reason).
const EVIL: &str = "ahmed.haddad_partner.example#EXT#@fabrikam.example";
const BLOCKED: &str = "elena.petrova@fabrikam.example";

struct Printed {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn phonedesk(db: &Path, args: &[&str]) -> Printed {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "cli.tester")
        .output()
        .unwrap();
    Printed {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check(db: &Path, args: &[&str]) -> Printed {
    let printed = phonedesk(db, args);
    let what = format!("phonedesk {args:?}");
    assert_clean(&format!("{what} (stdout)"), &printed.stdout);
    assert_clean(&format!("{what} (stderr)"), &printed.stderr);
    printed
}

#[test]
fn no_user_errors_never_echo_control_text() {
    let fixtures = tempfile::tempdir().unwrap();
    let db = hostile::database(fixtures.path());
    let h = hostile("nobody");
    let number = "+1 2065550101";
    for args in [
        vec!["phone", "add", &h, "--type", "mobile", number],
        vec!["phone", "update", &h, "--type", "mobile", number],
        vec!["phone", "delete", &h, "--type", "mobile"],
        vec!["phone", "list", &h],
        vec!["phone", "sms-signin", "enable", &h],
        vec!["user", "show", &h],
        vec!["user", "block", &h, "--reason", "because"],
        vec!["user", "unblock", &h, "--reason", "because"],
        vec!["user", "set-default", &h, "sms"],
        vec!["troubleshoot", &h],
        vec!["troubleshoot", &h, "--symptom", "never-arrives"],
        vec!["signin", "mfa", "--user", &h],
        vec!["signin", "sspr", "--user", &h],
        vec!["signin", "clear-failures", "--user", &h],
        vec!["audit", "--user", &h],
        vec!["log", "--user", &h],
    ] {
        let printed = check(&db, &args);
        assert!(
            matches!(printed.code, Some(1 | 2)),
            "{args:?}: {}",
            printed.stderr
        );
        // These two echoed a raw ESC (issue 12); most of the others say "no user" too.
        if matches!(args[0], "phone" | "troubleshoot") {
            assert!(
                printed.stderr.contains("no user nobody\u{FFFD}"),
                "{args:?}: {}",
                printed.stderr
            );
        }
    }
}

#[test]
fn every_other_echoed_argument_is_display_safe() {
    let fixtures = tempfile::tempdir().unwrap();
    let db = hostile::database(fixtures.path());
    let h = hostile("odd");
    let odd_path = fixtures.path().join(&h).join("x.json");
    let odd_path = odd_path.to_str().unwrap();
    let ticket = fixtures.path().join(&h).join("note.md");
    let ticket = ticket.to_str().unwrap();
    let answer = format!("{h}=yes");
    let number = "+1 2065550101";
    for args in [
        // Numbers, values and names the commands quote back.
        vec!["phone", "check", &h],
        vec!["phone", "check", "5550101", "--region", &h],
        vec!["phone", "add", EVIL, "--type", "mobile", &h],
        vec!["user", "set-default", EVIL, &h],
        vec!["user", "search", &h],
        vec!["troubleshoot", EVIL, "--symptom", &h],
        vec![
            "troubleshoot",
            EVIL,
            "--symptom",
            "never-arrives",
            "--answer",
            &answer,
        ],
        vec![
            "troubleshoot",
            EVIL,
            "--symptom",
            "never-arrives",
            "--apply",
            &h,
        ],
        vec![
            "troubleshoot",
            EVIL,
            "--symptom",
            "user-blocked",
            "--ticket",
            ticket,
        ],
        vec!["signin", "sms-signin", "--phone", &h],
        vec!["signin", "mfa", "--user", EVIL, "--respond", &h],
        vec!["device", "show", &h],
        vec!["device", "set", &h, "--voicemail", "on"],
        vec!["device", "set", number, "--block-sender", &h],
        vec!["telecom", "fault", &h, "sms-drop"],
        vec!["telecom", "fault", "northwind", &h],
        vec!["log", "--since", &h],
        vec!["demo", "play", &h],
        // Paths.
        vec!["import", odd_path],
        vec!["export", "--out", odd_path],
        // Usage errors: clap quotes the argument it could not take.
        vec![&h],
        vec!["user", &h],
        vec!["user", "search", "--limit", &h],
        vec!["--role", &h, "user", "search", "x"],
        vec!["--operator", &h, "user", "search", "x"],
    ] {
        check(&db, &args);
    }
    // A database path is echoed in notes and errors.
    let odd_db = fixtures.path().join(&h).join("db");
    check(&odd_db, &["user", "search", "x"]);
    std::fs::write(fixtures.path().join("not-a-db"), "x").unwrap();
    check(&fixtures.path().join(&h), &["user", "search", "x"]);
}

#[test]
fn control_text_in_the_database_is_display_safe_in_every_output() {
    let fixtures = tempfile::tempdir().unwrap();
    let db = hostile::database(fixtures.path());
    let privileged = ["--role", "privileged-auth-admin"];
    // Some history: edits and sign-ins on the hostile users, a reason full of control text.
    phonedesk(&db, &["user", "block", EVIL, "--reason", &hostile("why ")]);
    phonedesk(&db, &["signin", "mfa", "--user", EVIL, "--seed", "1"]);
    for args in [
        vec!["user", "search", "Aa"],
        vec!["user", "search", "Aa", "--json"],
        vec!["user", "search", "is:blocked"],
        vec!["user", "show", EVIL],
        vec!["user", "show", EVIL, "--json"],
        vec!["user", "show", BLOCKED],
        vec!["phone", "list", EVIL],
        vec!["phone", "list", EVIL, "--json"],
        vec!["audit"],
        vec!["audit", "--json"],
        vec!["log"],
        vec!["log", "--json"],
        vec!["troubleshoot", BLOCKED],
        vec!["troubleshoot", BLOCKED, "--json"],
        vec![
            "troubleshoot",
            EVIL,
            "--symptom",
            "never-arrives",
            "--device",
        ],
        vec!["doctor"],
    ] {
        check(&db, &args);
        let mut with_role = privileged.to_vec();
        with_role.extend_from_slice(&args);
        check(&db, &with_role);
    }
}
