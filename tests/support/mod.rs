//! Running the real binary on a temporary database, shared by the command-line test suites.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of phonedesk printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or("")
    }
}

/// Runs phonedesk with `--db db` and `args`, as operator `cli.tester`.
pub fn phonedesk(db: &Path, args: &[&str]) -> Run {
    phonedesk_with(db, args, &[])
}

/// As [`phonedesk`], with extra environment variables for the run.
pub fn phonedesk_with(db: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_phonedesk"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "cli.tester");
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A fresh temporary directory and the database path inside it (created on first run).
pub fn fresh() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    (dir, db)
}
