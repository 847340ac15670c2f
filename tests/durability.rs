//! kill -9 in the middle of writes: every change a process acknowledged is there after a restart,
//! and no change is half applied (the user and their audit trail always agree).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_phonedesk");
const UPN: &str = "priya.raman@fabrikam.example";

fn phonedesk(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn acknowledged_changes_survive_kill_9_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(phonedesk(&db, &["user", "search", "x"]).status.success());
    let mut previous = String::from("+1 4255550110");
    for cycle in 0..20u32 {
        let number = format!("+1 42555501{:02}", 20 + cycle);
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["phone", "update", UPN, "--type", "mobile", &number])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Kill at a different moment each cycle: before, during or after the write.
        std::thread::sleep(Duration::from_micros(u64::from(cycle % 10) * 1500));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let acknowledged = String::from_utf8_lossy(&out.stdout).contains("updated mobile");
        // Whatever happened, the database opens and the user agrees with the audit trail.
        let shown = phonedesk(
            &db,
            &[
                "--role",
                "privileged-auth-admin",
                "phone",
                "list",
                UPN,
                "--json",
                "--reveal",
            ],
        );
        assert!(
            shown.status.success(),
            "cycle {cycle}: {}",
            String::from_utf8_lossy(&shown.stderr)
        );
        let list: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
        let current = list["value"][0]["phoneNumber"].as_str().unwrap().to_owned();
        let audit = phonedesk(&db, &["audit", "--user", UPN, "--json", "--limit", "1"]);
        let audit: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
        let last = &audit["value"][0];
        let masked_now = format!("+1 ********{}", &current[current.len() - 2..]);
        if last["action"] == "phone.update" {
            assert_eq!(
                last["after"],
                masked_now.as_str(),
                "cycle {cycle}: audit and user disagree"
            );
        }
        if acknowledged {
            assert_eq!(
                current, number,
                "cycle {cycle}: an acknowledged change is missing"
            );
        } else {
            assert!(
                current == number || current == previous,
                "cycle {cycle}: unexpected {current}"
            );
        }
        previous = current;
    }
}

/// The saved search index plus the change log must agree with the records after kill -9 at any
/// moment: loading replays exactly the edits that committed.
#[test]
fn the_search_index_agrees_with_the_records_after_kill_9() {
    use phonedesk::domain::search::IndexStamp;
    use phonedesk::store::{self, Directory, LocalIndex, SystemClock};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(phonedesk(&db, &["user", "search", "x"]).status.success());
    // Numbers that two users take turns to enable for SMS sign-in, so one edit changes another
    // user's entry (the holder of an earlier claim on the same number).
    let frontline = [
        "rosa.delgado@fabrikam.example",
        "kenji.tanaka@fabrikam.example",
    ];
    for cycle in 0..24u32 {
        let upn = frontline[cycle as usize % 2];
        let number = format!("+1 20655501{:02}", 40 + cycle % 3);
        let args: Vec<&str> = match cycle % 3 {
            0 => vec!["phone", "update", upn, "--type", "mobile", &number],
            1 => vec!["phone", "sms-signin", "enable", upn],
            _ => vec!["user", "block", upn, "--reason", "kill test"],
        };
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(u64::from(cycle % 8) * 2000));
        let _ = child.kill();
        let _ = child.wait();
        let _ = phonedesk(&db, &["user", "unblock", upn, "--reason", "kill test"]);
    }
    let store = store::open_sled(&db, std::sync::Arc::new(SystemClock)).unwrap();
    let loaded = LocalIndex::load(&store, &|| false).unwrap().unwrap();
    let rebuilt = LocalIndex::rebuild(&store, "check".into(), &|| false)
        .unwrap()
        .unwrap();
    let stamp = IndexStamp {
        generation: store.generation(),
        seq: 0,
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    loaded.index.save(stamp, &mut a).unwrap();
    rebuilt.index.save(stamp, &mut b).unwrap();
    assert!(
        a == b,
        "the loaded index differs from one rebuilt from the records"
    );
    assert_eq!(loaded.stamp.seq, store.change_seq().unwrap());
}

/// An import killed at any moment leaves either the previous directory or the new one, whole.
#[test]
fn a_killed_import_leaves_the_previous_directory_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let file = dir.path().join("tenant.json");
    assert!(phonedesk(&db, &["user", "search", "x"]).status.success());
    let made = phonedesk(
        &db,
        &[
            "demo",
            "generate",
            "--users",
            "3000",
            "--seed",
            "5",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(made.status.success());
    let count = |db: &std::path::Path| -> u64 {
        let out = phonedesk(db, &["user", "search", "", "--json", "--limit", "1"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["total"].as_u64().unwrap()
    };
    let demo = count(&db);
    for cycle in 0..12u32 {
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args([
                "--role",
                "privileged-auth-admin",
                "import",
                file.to_str().unwrap(),
                "--replace",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(u64::from(cycle) * 40));
        let _ = child.kill();
        let _ = child.wait();
        let now = count(&db);
        assert!(
            now == demo || now == 3000,
            "cycle {cycle}: {now} users is neither directory"
        );
        if now == 3000 {
            // Back to the demo, so the next cycle imports over it again.
            assert!(
                phonedesk(
                    &db,
                    &["--role", "privileged-auth-admin", "demo", "reset", "--yes"]
                )
                .status
                .success()
            );
        }
    }
    // And an import left alone completes.
    assert!(
        phonedesk(
            &db,
            &[
                "--role",
                "privileged-auth-admin",
                "import",
                file.to_str().unwrap(),
                "--replace"
            ]
        )
        .status
        .success()
    );
    assert_eq!(count(&db), 3000);
}
