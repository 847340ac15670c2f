//! The database on difficult disks: read-only media, a full disk, and the promise that an
//! acknowledged change is on disk (synced) before phonedesk says so.
//!
//! The read-only and full-disk cases mount a read-only bind and a small tmpfs, which needs root
//! (as on the build and CI machines); elsewhere they say so and check nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use support::{Run, phonedesk, phonedesk_with};

const UPN: &str = "priya.raman@fabrikam.example";

/// A mount point that is unmounted again however the test ends.
struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn run_mount(args: &[&str], target: &Path) -> bool {
    let ok = Command::new("mount")
        .args(args)
        .arg(target)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("mount {args:?} is not permitted here: this check needs root");
    }
    ok
}

fn mount(args: &[&str], target: &Path) -> Option<Mount> {
    run_mount(args, target).then(|| Mount(target.to_path_buf()))
}

fn read_only_bind(source: &Path, target: &Path) -> Option<Mount> {
    let bound = mount(&["--bind", source.to_str().unwrap()], target)?;
    run_mount(&["-o", "remount,bind,ro"], target).then_some(bound)
}

fn reads_work(db: &Path) {
    for args in [
        &["user", "search", "priya"][..],
        &["user", "show", UPN],
        &["phone", "list", UPN],
        &["audit", "--limit", "5"],
        &["log"],
        &["export"],
        &["doctor"],
    ] {
        let run = phonedesk(db, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
}

fn seeded(db: &Path) {
    let run = phonedesk(
        db,
        &["phone", "update", UPN, "--type", "mobile", "+1 4255550133"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_backup_on_read_only_media_can_be_read_and_refuses_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    seeded(&db);
    let mounted = dir.path().join("ro");
    std::fs::create_dir_all(&mounted).unwrap();
    let Some(_mount) = read_only_bind(&db, &mounted) else {
        return;
    };
    reads_work(&mounted);
    // Its own temporary directory, so the full-disk test running beside it cannot be counted.
    let scratch = dir.path().join("tmp");
    std::fs::create_dir_all(&scratch).unwrap();
    let refused: Run = phonedesk_with(
        &mounted,
        &["phone", "update", UPN, "--type", "mobile", "+1 4255550134"],
        &[("TMPDIR", &scratch)],
    );
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("read-only"), "{}", refused.stderr);
    // The copy phonedesk read from is gone with it.
    let left = std::fs::read_dir(&scratch)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("phonedesk-read-only-")
        })
        .count();
    assert_eq!(left, 0, "a read-only copy was left behind");
}

#[test]
fn a_full_disk_refuses_changes_and_damages_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let Some(_mount) = mount(&["-t", "tmpfs", "-o", "size=12m", "tmpfs"], &disk) else {
        return;
    };
    let db = disk.join("db");
    seeded(&db);
    // Fill the disk to its last byte.
    let filler = disk.join("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k"])
        .arg(format!("of={}", filler.display()))
        .output();
    reads_work(&db);
    for i in 0..5 {
        let run = phonedesk(
            &db,
            &[
                "phone",
                "update",
                UPN,
                "--type",
                "mobile",
                &format!("+1 425555014{i}"),
            ],
        );
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        if run.code == 1 {
            assert!(run.stderr.contains("full"), "{}", run.stderr);
        }
    }
    reads_work(&db);
    std::fs::remove_file(&filler).unwrap();
    let doctor = phonedesk(&db, &["doctor"]);
    assert_eq!(doctor.code, 0, "{}{}", doctor.stdout, doctor.stderr);
    // With room again, changes are saved as before.
    let run = phonedesk(
        &db,
        &["phone", "update", UPN, "--type", "mobile", "+1 4255550177"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// An edit's `fdatasync` of sled's log comes before the line that says it was saved: the
/// promise holds for a crash of the machine, not only of the process.
#[test]
fn an_edit_is_synced_to_disk_before_it_is_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    seeded(&db);
    let trace = dir.path().join("trace");
    let out = Command::new("strace")
        .args(["-f", "-y", "-e", "trace=fsync,fdatasync,write", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_phonedesk"))
        .arg("--db")
        .arg(&db)
        .args(["phone", "update", UPN, "--type", "mobile", "+1 4255550155"])
        .output()
        .expect("strace is needed for this test (.ci/run installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    let said = lines
        .iter()
        .position(|l| l.contains("write(1") && l.contains("updated mobile"))
        .expect("the acknowledgement was not written to standard output");
    let synced = lines[..said]
        .iter()
        .any(|l| (l.contains("fdatasync(") || l.contains("fsync(")) && l.contains("/db>"));
    assert!(
        synced,
        "no sync of the sled log before the acknowledgement:\n{trace}"
    );
}
