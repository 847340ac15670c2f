//! The directory store: transactions with their audit entries, durability, and every way opening
//! a database can fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use phonedesk::domain::{
    DefaultMethod, Edit, Operator, PhoneNumber, PhoneType, Role, RuleError, SmsSignInState,
    Timestamp, Upn,
};
use phonedesk::store::{self, AuditTrail, Clock, Directory, Record, StoreError, TreeId};
use proptest::prelude::*;

struct FixedClock(Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(Timestamp::from_secs(1_795_857_061)))
}

fn operator() -> Operator {
    Operator::new("helpdesk", Role::AuthAdmin)
}

fn seeded_memory() -> impl Directory {
    let store = store::open_memory(clock()).unwrap();
    phonedesk::demo::seed_if_empty(&store, &operator()).unwrap();
    store
}

fn seeded_sled(dir: &std::path::Path) -> store::Store<store::SledBackend> {
    let store = store::open_sled(dir, clock()).unwrap();
    phonedesk::demo::seed_if_empty(&store, &operator()).unwrap();
    store
}

fn number(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s, None).unwrap()
}

const PRIYA: &str = "priya.raman@fabrikam.example";

#[test]
fn an_edit_and_its_audit_entry_commit_together_with_numbers_masked() {
    let store = seeded_memory();
    let before = store.audit(None, 1000).unwrap().len();
    store
        .edit(
            &operator(),
            PRIYA,
            &Edit::AddPhone {
                slot: PhoneType::Office,
                number: number("+1 4255550150x77"),
            },
        )
        .unwrap();
    let trail = store.audit(Some(&Upn::parse(PRIYA).unwrap()), 10).unwrap();
    assert_eq!(store.audit(None, 1000).unwrap().len(), before + 1);
    let entry = &trail[0];
    assert_eq!(entry.action, "phone.add");
    assert_eq!(entry.operator, "helpdesk");
    assert_eq!(entry.before.as_deref(), Some("(none)"));
    assert_eq!(entry.after.as_deref(), Some("+1 ********50x**"));
    let json = serde_json::to_string(&trail).unwrap();
    assert!(
        !json.contains("4255550150"),
        "a full number reached the audit log: {json}"
    );
}

#[test]
fn a_refused_edit_changes_nothing_and_writes_no_audit_entry() {
    let store = seeded_memory();
    let user_before = store.user(PRIYA).unwrap();
    let audit_before = store.audit(None, 1000).unwrap().len();
    let err = store
        .edit(
            &operator(),
            PRIYA,
            &Edit::AddPhone {
                slot: PhoneType::Mobile,
                number: number("+1 4255550199"),
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        StoreError::Rule(RuleError::SlotTaken {
            slot: PhoneType::Mobile
        })
    );
    assert_eq!(store.user(PRIYA).unwrap(), user_before);
    assert_eq!(store.audit(None, 1000).unwrap().len(), audit_before);
}

#[test]
fn roles_are_enforced_in_the_store() {
    let store = seeded_memory();
    let err = store
        .edit(
            &operator(),
            "grace.kim@fabrikam.example",
            &Edit::SetDefault {
                method: Some(DefaultMethod::Sms),
            },
        )
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Rule(RuleError::NeedsPrivilegedRole)
    ));
    let reveal = store.reveal(&operator(), "grace.kim@fabrikam.example", "test");
    assert!(reveal.is_err(), "an auth-admin revealed an admin's numbers");
    let privileged = Operator::new("lead", Role::PrivilegedAuthAdmin);
    assert!(
        store
            .reveal(&privileged, "grace.kim@fabrikam.example", "test")
            .is_ok()
    );
}

#[test]
fn a_reveal_is_audited() {
    let store = seeded_memory();
    store.reveal(&operator(), PRIYA, "profile card").unwrap();
    let trail = store.audit(Some(&Upn::parse(PRIYA).unwrap()), 1).unwrap();
    assert_eq!(trail[0].action, "numbers.reveal");
    assert_eq!(trail[0].reason.as_deref(), Some("profile card"));
}

#[test]
fn an_unknown_user_is_not_found_with_near_matches() {
    let store = seeded_memory();
    match store.user("priya.ramen@fabrikam.example").unwrap_err() {
        StoreError::NotFound { suggestions, .. } => {
            assert_eq!(suggestions.first().map(String::as_str), Some(PRIYA));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn sms_sign_in_claims_follow_the_edits() {
    let store = seeded_memory();
    let kwame = "kwame.mensah@fabrikam.example";
    store
        .edit(&operator(), kwame, &Edit::SetSmsSignIn { enabled: true })
        .unwrap();
    let user = store.user(kwame).unwrap();
    assert_eq!(
        store.sms_status(&user).unwrap().unwrap().state,
        SmsSignInState::Ready
    );
    // Rosa holds +1 2065550101: moving Kwame onto it makes him the later claimant.
    store
        .edit(
            &operator(),
            kwame,
            &Edit::UpdatePhone {
                slot: PhoneType::Mobile,
                number: number("+1 2065550101"),
            },
        )
        .unwrap();
    let user = store.user(kwame).unwrap();
    assert_eq!(
        store.sms_status(&user).unwrap().unwrap().state,
        SmsSignInState::PhoneNumberNotUnique
    );
    assert!(
        store
            .claims_on(&number("+1 3125550102"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.claims_on(&number("+1 2065550101")).unwrap().len(), 2);
}

#[test]
fn changes_survive_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = seeded_sled(&path);
        store
            .edit(
                &operator(),
                PRIYA,
                &Edit::Block {
                    reason: "lost phone".into(),
                },
            )
            .unwrap();
    }
    let store = store::open_sled(&path, clock()).unwrap();
    assert!(store.user(PRIYA).unwrap().block.is_some());
    assert_eq!(store.audit(None, 1).unwrap()[0].action, "user.block");
}

#[test]
fn a_second_process_gets_in_use_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _held = seeded_sled(&path);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_phonedesk"))
        .args(["user", "search", "--db"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("in use"), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = sled::open(&path).unwrap();
        let meta = db.open_tree("meta").unwrap();
        meta.insert("schema_version", &99u64.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    match store::open_sled(&path, clock()) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
}

#[test]
fn a_directory_of_other_files_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    assert!(matches!(
        store::open_sled(dir.path(), clock()),
        Err(StoreError::NotADatabase { .. })
    ));
    assert!(
        !dir.path().join("conf").exists(),
        "sled files were scattered"
    );
    let file = dir.path().join("notes.txt");
    assert!(matches!(
        store::open_sled(&file, clock()),
        Err(StoreError::NotADatabase { .. })
    ));
}

#[test]
fn a_sled_database_of_another_program_is_not_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("users").unwrap().insert("x", "y").unwrap();
        db.flush().unwrap();
    }
    assert!(matches!(
        store::open_sled(&path, clock()),
        Err(StoreError::NotADatabase { .. })
    ));
}

#[test]
fn a_corrupt_database_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    drop(seeded_sled(&path));
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let current = std::fs::read_to_string(path.join("CURRENT")).unwrap();
    let live = path.join(format!("sled.{}", current.trim()));
    std::fs::write(live.join("conf"), &garbage).unwrap();
    std::fs::write(live.join("db"), &garbage).unwrap();
    let result = phonedesk::panic_guard::quietly(|| store::open_sled(&path, clock()).map(drop));
    match result {
        // Either sled finds the damage, or the checkpoint sees the log shorter than it was.
        Ok(Err(StoreError::Corrupt { .. } | StoreError::RolledBack { .. })) => {}
        Ok(Err(other)) => panic!("unexpected error kind: {other}"),
        Ok(Ok(())) => panic!("a corrupt database opened"),
        Err(panic) => panic!("open panicked: {panic}"),
    }
}

#[test]
fn an_unwritable_location_is_reported_as_read_only() {
    // Root ignores file modes, so use a place no one may create directories in.
    let path = std::path::Path::new("/sys/fs/phonedesk-test-db");
    match store::open_sled(path, clock()) {
        Err(StoreError::ReadOnly { .. }) => {}
        Err(other) => panic!("unexpected error kind: {other}"),
        Ok(_) => panic!("opened a database under /sys/fs"),
    }
}

#[test]
fn import_into_a_non_empty_database_needs_replace() {
    let store = seeded_memory();
    let snapshot = phonedesk::demo::snapshot(store.now()).unwrap();
    assert!(matches!(
        store.import(&operator(), &snapshot, false),
        Err(StoreError::Invalid(_))
    ));
    let summary = store.import(&operator(), &snapshot, true).unwrap();
    assert_eq!(summary.replaced, snapshot.users.len());
}

/// The SMS sign-in claims tree is a derived index: it must always equal what the users imply.
fn claims_match_users(store: &dyn Directory) {
    let mut expected: std::collections::HashMap<String, Vec<String>> = Default::default();
    store
        .for_each_user(&mut |u| {
            if let Some((n, c)) = phonedesk::domain::rules::claim_of(&u) {
                expected.entry(n.to_string()).or_default().push(c.upn_key);
            }
        })
        .unwrap();
    let mut actual: std::collections::HashMap<String, Vec<String>> = store
        .all_claims()
        .unwrap()
        .into_iter()
        .map(|(n, cs)| (n, cs.into_iter().map(|c| c.upn_key).collect()))
        .collect();
    for list in expected.values_mut().chain(actual.values_mut()) {
        list.sort();
    }
    assert_eq!(actual, expected);
}

fn arb_edit() -> impl Strategy<Value = (usize, Edit)> {
    let slot = prop_oneof![
        Just(PhoneType::Mobile),
        Just(PhoneType::AlternateMobile),
        Just(PhoneType::Office)
    ];
    let numbers = prop_oneof![
        Just("+1 2065550101"),
        Just("+1 2065550142"),
        Just("+1 3125550102"),
        Just("+61 491570156"),
        Just("+44 2079460001"),
        Just("+1 4255550150x9"),
    ];
    let edit = prop_oneof![
        (slot.clone(), numbers.clone()).prop_map(|(slot, n)| Edit::AddPhone {
            slot,
            number: number(n)
        }),
        (slot.clone(), numbers).prop_map(|(slot, n)| Edit::UpdatePhone {
            slot,
            number: number(n)
        }),
        slot.prop_map(|slot| Edit::DeletePhone { slot }),
        any::<bool>().prop_map(|enabled| Edit::SetSmsSignIn { enabled }),
        prop_oneof![
            Just(None),
            Just(Some(DefaultMethod::Sms)),
            Just(Some(DefaultMethod::VoiceOffice))
        ]
        .prop_map(|method| Edit::SetDefault { method }),
        Just(Edit::Block {
            reason: "test".into()
        }),
        Just(Edit::Unblock {
            reason: "test".into()
        }),
    ];
    (0usize..6, edit)
}

const USERS: [&str; 6] = [
    "rosa.delgado@fabrikam.example",
    "sam.okafor@fabrikam.example",
    "jo.okafor@fabrikam.example",
    "kwame.mensah@fabrikam.example",
    "grace.kim@fabrikam.example",
    PRIYA,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// sled and the in-memory twin accept and refuse the same edits and end in the same state;
    /// every accepted edit adds exactly one audit entry; the claims index stays consistent.
    #[test]
    fn sled_and_memory_agree_on_any_sequence_of_edits(edits in proptest::collection::vec(arb_edit(), 1..25)) {
        let dir = tempfile::tempdir().unwrap();
        let sled_store = seeded_sled(&dir.path().join("db"));
        let memory = seeded_memory();
        let op = operator();
        for (who, edit) in &edits {
            let upn = USERS[*who];
            let audit_before = memory.audit(None, 10_000).unwrap().len();
            let a = sled_store.edit(&op, upn, edit).map(|applied| applied.user);
            let b = memory.edit(&op, upn, edit).map(|applied| applied.user);
            prop_assert_eq!(&a, &b);
            let audit_after = memory.audit(None, 10_000).unwrap().len();
            prop_assert_eq!(audit_after, audit_before + usize::from(a.is_ok()));
        }
        prop_assert_eq!(sled_store.export().unwrap(), memory.export().unwrap());
        claims_match_users(&sled_store);
        claims_match_users(&memory);
    }
}

#[test]
fn every_tree_has_a_stable_name() {
    let names: std::collections::HashSet<_> = TreeId::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(names.len(), TreeId::ALL.len());
    for (i, tree) in TreeId::ALL.iter().enumerate() {
        assert_eq!(
            *tree as usize, i,
            "TreeId::ALL must list trees in declaration order"
        );
    }
}

/// A database written by schema 1 (one JSON record per user, sled's files directly in the
/// directory) upgrades on open without losing a user, a claim or the audit trail.
#[test]
fn a_schema_1_database_upgrades_on_open_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let demo = phonedesk::demo::snapshot(Timestamp::from_secs(1_795_857_061)).unwrap();
    {
        let db = sled::open(&path).unwrap();
        let meta = db.open_tree("meta").unwrap();
        meta.insert("schema_version", &1u64.to_be_bytes()).unwrap();
        meta.insert("app", "phonedesk").unwrap();
        meta.insert("tenant", serde_json::to_vec(&demo.tenant).unwrap())
            .unwrap();
        meta.insert("policy", serde_json::to_vec(&demo.policy).unwrap())
            .unwrap();
        meta.insert("audit_seq", &1u64.to_be_bytes()).unwrap();
        db.open_tree("audit")
            .unwrap()
            .insert(1u64.to_be_bytes(), br#"{"seq":1,"at":"2026-11-01T00:00:00Z","operator":"old","role":"auth-admin","action":"directory.import","target":null,"slot":null,"before":null,"after":"29 users","reason":null}"#.to_vec())
            .unwrap();
        let users = db.open_tree("users").unwrap();
        for u in &demo.users {
            users
                .insert(u.upn().key(), serde_json::to_vec(u).unwrap())
                .unwrap();
        }
        db.flush().unwrap();
    }
    let notices = std::sync::Mutex::new(Vec::new());
    let store = store::open_sled_with(&path, clock(), &|n| {
        notices.lock().unwrap().push(n.to_owned());
    })
    .unwrap();
    assert!(notices.lock().unwrap()[0].contains("upgrading"));
    assert_eq!(store.user_count().unwrap(), demo.users.len());
    assert_eq!(
        store.user(PRIYA).unwrap(),
        *demo
            .users
            .iter()
            .find(|u| u.upn().as_str() == PRIYA)
            .unwrap()
    );
    let trail = store.audit(None, 10).unwrap();
    assert!(
        trail.iter().any(|e| e.operator == "old"),
        "the old audit trail is kept"
    );
    assert!(trail.iter().any(|e| e.action == "directory.upgrade"));
    claims_match_users(&store);
    drop(store);
    // Reopening finds the upgraded database: no second upgrade, the old files are gone.
    let notices = std::sync::Mutex::new(Vec::new());
    let again = store::open_sled_with(&path, clock(), &|n| {
        notices.lock().unwrap().push(n.to_owned());
    })
    .unwrap();
    assert!(notices.lock().unwrap().is_empty());
    assert_eq!(again.user_count().unwrap(), demo.users.len());
    assert!(!path.join("conf").exists() && path.join("CURRENT").exists());
}

/// A refused import (a user the store cannot take) leaves the directory exactly as it was, in
/// sled and in memory alike.
#[test]
fn a_refused_import_leaves_the_directory_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let sled_store = seeded_sled(&dir.path().join("db"));
    let memory = seeded_memory();
    for store in [&sled_store as &dyn Directory, &memory] {
        let before = store.export().unwrap();
        let generation = store.generation();
        let mut twice = before.clone();
        twice.users.push(twice.users[0].clone());
        assert!(matches!(
            store.import(&operator(), &twice, true),
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(store.export().unwrap(), before);
        assert_eq!(store.generation(), generation);
    }
}

/// The user count is a counter kept with the import, and an import replaces every user.
#[test]
fn the_user_count_follows_imports_without_scanning() {
    let store = seeded_memory();
    let mut snapshot = store.export().unwrap();
    assert_eq!(store.user_count().unwrap(), snapshot.users.len());
    snapshot.users.truncate(5);
    let summary = store.import(&operator(), &snapshot, true).unwrap();
    assert_eq!(summary.users, 5);
    assert_eq!(store.user_count().unwrap(), 5);
    assert!(store.user(PRIYA).is_err() || snapshot.users.iter().any(|u| u.upn().as_str() == PRIYA));
}

/// A database that lost its newest changes (here: sled's snapshot file deleted after an import,
/// which made sled rebuild an older state from its log) is refused, and nothing on disk is
/// touched: the same files are there afterwards, byte for byte.
#[test]
fn a_database_behind_its_checkpoint_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = seeded_sled(&path);
        for i in 0..5 {
            store
                .edit(
                    &operator(),
                    PRIYA,
                    &Edit::UpdatePhone {
                        slot: PhoneType::Mobile,
                        number: number(&format!("+1 425555012{i}")),
                    },
                )
                .unwrap();
        }
    }
    let current = std::fs::read_to_string(path.join("CURRENT")).unwrap();
    let live = path.join(format!("sled.{}", current.trim()));
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        all.sort();
        all
    };
    // Remove sled's snapshot if it wrote one, else cut the log: either way the newest changes
    // are gone from what sled can read.
    let snapshots: Vec<_> = std::fs::read_dir(&live)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("snap."))
        .collect();
    if snapshots.is_empty() {
        let log = live.join("db");
        let len = std::fs::metadata(&log).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&log)
            .unwrap()
            .set_len(len / 2)
            .unwrap();
    } else {
        for s in snapshots {
            std::fs::remove_file(s.path()).unwrap();
        }
    }
    let before = files(&live);
    match store::open_sled(&path, clock()) {
        Err(StoreError::RolledBack { .. }) => {}
        Err(other) => panic!("unexpected error kind: {other}"),
        Ok(_) => panic!("a database behind its checkpoint opened"),
    }
    assert!(files(&live) == before, "the refused open changed the files");
    let message = match store::open_sled(&path, clock()) {
        Err(e) => e.to_string(),
        Ok(_) => unreachable!(),
    };
    assert!(message.contains("CHECKPOINT"), "{message}");
    // Deleting the checkpoint accepts the older database as it is.
    std::fs::remove_file(path.join("CHECKPOINT")).unwrap();
    let _ = phonedesk::panic_guard::quietly(|| store::open_sled(&path, clock()).map(drop));
}
