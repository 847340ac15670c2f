//! Damaged databases: seeded bit flips at many positions, truncations and deleted files in
//! every file of a database of a few thousand users. Whatever the damage, every command ends
//! within a bounded time, with a one-line error (exit 1) or an answer (exit 0); none hangs and
//! none panics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_phonedesk");
/// Far longer than any of these commands takes on an intact database.
const LIMIT: Duration = Duration::from_secs(20);

/// A small deterministic generator (splitmix64), so a failure names a reproducible seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn run_bounded(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            return (
                status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            );
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return (None, String::new());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            out.extend(files(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out.sort();
    out
}

#[test]
fn no_damage_makes_a_command_hang_or_panic() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine");
    let tenant = dir.path().join("tenant.json");
    let made = Command::new(BIN)
        .args([
            "demo", "generate", "--users", "3000", "--seed", "9", "--out",
        ])
        .arg(&tenant)
        .output()
        .unwrap();
    assert!(made.status.success());
    let (code, err) = run_bounded(
        &pristine,
        &[
            "--role",
            "privileged-auth-admin",
            "import",
            tenant.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    // A few edits, so there is a change log, an audit trail and a checkpoint to damage too.
    let (code, err) = run_bounded(&pristine, &["user", "search", "ava", "--limit", "1"]);
    assert_eq!(code, Some(0), "{err}");
    let seed = 20_261_201;
    let mut rng = Rng(seed);
    let commands: [&[&str]; 3] = [
        &["user", "search", "ava", "--limit", "3"],
        &["export", "--reveal", "--role", "privileged-auth-admin"],
        &["doctor"],
    ];
    for trial in 0..40 {
        let work = dir.path().join(format!("trial-{trial}"));
        copy_dir(&pristine, &work);
        let all = files(&work);
        let victim = &all[rng.below(all.len() as u64) as usize];
        let len = std::fs::metadata(victim).unwrap().len();
        let damage = match rng.below(5) {
            0 => {
                std::fs::remove_file(victim).unwrap();
                "deleted".to_owned()
            }
            1 => {
                let cut = rng.below(len + 1);
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(victim)
                    .unwrap()
                    .set_len(cut)
                    .unwrap();
                format!("cut to {cut}")
            }
            _ if len > 0 => {
                let mut bytes = std::fs::read(victim).unwrap();
                let at = rng.below(len) as usize;
                bytes[at] ^= 1 << rng.below(8);
                std::fs::write(victim, bytes).unwrap();
                format!("bit flip at {at}")
            }
            _ => "left empty".to_owned(),
        };
        let name = victim.strip_prefix(&work).unwrap().display().to_string();
        for args in commands {
            let (code, err) = run_bounded(&work, args);
            let what = format!("seed {seed}, trial {trial}: {name} {damage}, {args:?}");
            assert!(code.is_some(), "{what}: still running after {LIMIT:?}");
            assert!(matches!(code, Some(0 | 1)), "{what}: exit {code:?}: {err}");
            assert!(!err.contains("panicked"), "{what}: {err}");
            assert!(
                err.lines().count() <= 2,
                "{what}: more than a one-line error: {err}"
            );
        }
        std::fs::remove_dir_all(&work).unwrap();
    }
}
