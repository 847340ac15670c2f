//! What an operator reads when the database is damaged: one line, in plain words, naming the
//! database, never sled's internals (`Read corrupted data at file offset None backtrace ()`,
//! `tried to serialize Uninitialized`, debug-printed I/O errors).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::{Path, PathBuf};

use support::{fresh, phonedesk};

const INTERNALS: [&str; 8] = [
    "backtrace",
    "Some(",
    "None",
    "Os {",
    "REPORT",
    "Uninitialized",
    "os error",
    "serialize",
];

/// The one generation directory of a database.
fn generation(db: &Path) -> PathBuf {
    std::fs::read_dir(db)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.is_dir()
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("sled.")
        })
        .unwrap()
}

fn assert_plain_refusal(db: &Path, code: i32, stderr: &str, what: &str) {
    assert_eq!(code, 1, "{what}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line\n{stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(&db.display().to_string()),
        "{what}: names the database: {}",
        lines[0]
    );
    for internal in INTERNALS {
        assert!(
            !lines[0].contains(internal),
            "{what}: shows sled's {internal:?}: {}",
            lines[0]
        );
    }
}

/// sled's configuration file cut short (its checksum gone): sled calls that corruption; its words
/// were `Read corrupted data at file offset None backtrace ()`.
#[test]
fn a_damaged_configuration_is_reported_in_plain_words() {
    let (_dir, db) = fresh();
    assert_eq!(phonedesk(&db, &["user", "search", "rosa"]).code, 0);
    let conf = generation(&db).join("conf");
    std::fs::write(&conf, "segment_size: 1").unwrap();
    for args in [
        &["export"][..],
        &["user", "show", "rosa.delgado@fabrikam.example"],
    ] {
        let run = phonedesk(&db, args);
        assert_plain_refusal(&db, run.code, &run.stderr, &format!("{args:?}"));
        assert!(run.stderr.contains("is damaged"), "{}", run.stderr);
        assert!(
            run.stderr.contains("restore from an export"),
            "{}",
            run.stderr
        );
    }
}
