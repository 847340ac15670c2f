//! The tenant file through the real binary: what the stricter reader refuses or accepts on
//! import, and `demo generate` writing its file quietly and atomically.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{fresh, phonedesk};

#[test]
fn import_takes_a_file_with_a_utf8_byte_order_mark() {
    let (dir, db) = fresh();
    let file = dir.path().join("bom.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        br#"{"version": 1, "tenant": {"name": "T", "domain": "t.example"},
  "users": [{"userPrincipalName": "a@t.example", "displayName": "A"}]}"#,
    );
    std::fs::write(&file, bytes).unwrap();
    let run = phonedesk(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("imported 1 users"), "{}", run.stdout);
}

#[test]
fn import_refuses_duplicate_keys_and_utf16_with_clear_problems() {
    let (dir, db) = fresh();
    let twice = dir.path().join("twice.json");
    std::fs::write(
        &twice,
        r#"{"version": 1, "tenant": {"name": "T", "domain": "t.example"},
  "users": [{"userPrincipalName": "a@t.example", "displayName": "A", "displayName": "B"}]}"#,
    )
    .unwrap();
    let run = phonedesk(&db, &["import", twice.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "users[0].displayName: duplicate key (a key may appear only once in an object)"
        ),
        "{}",
        run.stderr
    );
    let utf16 = dir.path().join("utf16.json");
    let bytes: Vec<u8> = "\u{feff}{}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(&utf16, bytes).unwrap();
    let run = phonedesk(&db, &["import", utf16.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("save it as UTF-8"), "{}", run.stderr);
    // Nothing was imported by either.
    let run = phonedesk(&db, &["user", "show", "a@t.example"]);
    assert_ne!(run.code, 0);
}

#[test]
fn generate_in_a_pipe_prints_only_its_summary_and_leaves_no_temporary_file() {
    let (dir, db) = fresh();
    let out = dir.path().join("gen.json");
    let run = phonedesk(
        &db,
        &[
            "demo",
            "generate",
            "--users",
            "25000",
            "--seed",
            "3",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no progress in a pipe");
    assert_eq!(
        run.stdout.trim(),
        format!("wrote 25000 users (seed 3) to {}", out.display())
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "db")
        .collect();
    assert_eq!(names, ["gen.json"]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.ends_with("]\n}\n") && text.contains("\"devices\": []"));
}

#[test]
fn generate_into_a_missing_directory_fails_cleanly() {
    let (dir, db) = fresh();
    let out = dir.path().join("no/such/dir/gen.json");
    let run = phonedesk(
        &db,
        &[
            "demo",
            "generate",
            "--users",
            "10",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

/// A byte-order mark is no problem of its own: a file that has one reads as the same file
/// without it, problems included, with the same lines and columns; a UTF-16 mark either way
/// round asks for UTF-8.
#[test]
fn a_byte_order_mark_changes_nothing_and_its_neighbours_get_plain_messages() {
    let (dir, db) = fresh();
    let body = br#"{"version": 1, "tenant": {"name": "T", "domain": "t.example"},
  "users": [{"userPrincipalName": "a@t.example", "displayName": "A", "colour": 1}],,}"#;
    let plain = dir.path().join("plain.json");
    std::fs::write(&plain, body).unwrap();
    let marked = dir.path().join("marked.json");
    std::fs::write(&marked, [&b"\xEF\xBB\xBF"[..], body].concat()).unwrap();
    let without = phonedesk(&db, &["import", plain.to_str().unwrap()]);
    let with = phonedesk(&db, &["import", marked.to_str().unwrap()]);
    assert_eq!(without.code, 1);
    assert_eq!(with.code, 1);
    assert!(
        without.stderr.contains("at line 2 column"),
        "{}",
        without.stderr
    );
    assert_eq!(
        with.stderr.replace("marked.json", "plain.json"),
        without.stderr,
        "the mark moves no line or column"
    );
    for (name, bytes) in [
        ("le.json", &b"\xFF\xFE{\0}\0"[..]),
        ("be.json", &b"\xFE\xFF\0{\0}"[..]),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let run = phonedesk(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.starts_with(
                "error: the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8\n"
            ),
            "{}",
            run.stderr
        );
    }
}
