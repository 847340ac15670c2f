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
