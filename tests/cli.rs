//! The command-line contract, exercised on the real binary with a temporary database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// A temporary database and a way to run phonedesk on it.
struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_phonedesk"))
            .arg("--db")
            .arg(self.db())
            .args(["--operator", "helpdesk"])
            .args(args)
            .env_remove("PHONEDESK_DB")
            .output()
            .unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
            "phonedesk panicked on {args:?}: {}",
            run.stderr
        );
        run
    }

    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{args:?} failed: {}", run.stderr);
        run
    }

    fn refused(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code, 1,
            "{args:?} was not refused: {} {}",
            run.stdout, run.stderr
        );
        assert_eq!(
            run.stderr
                .lines()
                .filter(|l| l.starts_with("error:"))
                .count()
                .min(1),
            1
        );
        run
    }

    /// Everything the database holds, revealed, for before/after comparisons.
    fn snapshot(&self) -> String {
        self.ok(&["--role", "privileged-auth-admin", "export", "--reveal"])
            .stdout
    }
}

const ROSA: &str = "rosa.delgado@fabrikam.example";
const NORA: &str = "nora.lindqvist@fabrikam.example";

#[test]
fn the_first_run_seeds_the_demo_tenant() {
    let desk = Desk::new();
    let run = desk.ok(&["user", "search", "--json"]);
    let total = run.json()["total"].as_u64().unwrap();
    assert!((20..=40).contains(&total), "{total} users");
    assert!(run.stderr.contains("seeded the demo tenant"));
    let again = desk.ok(&["user", "search", "--json"]);
    assert!(!again.stderr.contains("seeded"));
}

#[test]
fn search_matches_names_upns_and_phone_digits_in_any_format() {
    let desk = Desk::new();
    for query in [
        "5550101",
        "206-555-0101",
        "(206) 555-0101",
        "+1 2065550101",
        "rosa",
        "DELGADO",
        "rosa.delgado@",
    ] {
        let run = desk.ok(&["user", "search", query, "--json"]);
        let upns: Vec<&str> = run.json()["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userPrincipalName"].as_str().unwrap())
            .map(|s| Box::leak(s.to_owned().into_boxed_str()) as &str)
            .collect();
        assert_eq!(upns, [ROSA], "query {query:?}");
    }
    // Directory (public) numbers are searchable too.
    let run = desk.ok(&["user", "search", "5550170", "--json"]);
    assert_eq!(
        run.json()["value"][0]["userPrincipalName"],
        "marcus.brown@fabrikam.example"
    );
    let limited = desk.ok(&["user", "search", "", "--limit", "3", "--json"]);
    assert_eq!(limited.json()["value"].as_array().unwrap().len(), 3);
}

#[test]
fn search_results_mask_authentication_numbers() {
    let desk = Desk::new();
    let run = desk.ok(&["user", "search", "rosa"]);
    assert!(run.stdout.contains("+1 ********01"), "{}", run.stdout);
    assert!(!run.stdout.contains("2065550101"));
}

#[test]
fn show_masks_numbers_unless_revealed_and_the_reveal_is_audited() {
    let desk = Desk::new();
    let masked = desk.ok(&["user", "show", ROSA, "--json"]).json();
    assert_eq!(masked["phoneMethods"][0]["phoneNumber"], "+1 ********01");
    assert_eq!(masked["phoneMethods"][0]["smsSignInState"], "ready");
    let plain = desk.ok(&["user", "show", ROSA]).stdout;
    assert!(plain.contains("Authentication phones"));
    assert!(plain.contains("ready"));
    let revealed = desk
        .ok(&["user", "show", ROSA, "--json", "--reveal"])
        .json();
    assert_eq!(revealed["phoneMethods"][0]["phoneNumber"], "+1 2065550101");
    let audit = desk.ok(&["audit", "--user", ROSA, "--json"]).json();
    assert_eq!(audit["value"][0]["action"], "numbers.reveal");
    assert_eq!(audit["value"][0]["operator"], "helpdesk");
}

#[test]
fn an_unknown_upn_suggests_near_matches() {
    let desk = Desk::new();
    let run = desk.refused(&["user", "show", "rosa.delgato@fabrikam.example"]);
    assert!(
        run.stderr.contains("no user rosa.delgato@fabrikam.example"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(ROSA), "{}", run.stderr);
}

#[test]
fn phone_check_reports_the_canonical_form_and_json_fields() {
    let desk = Desk::new();
    let run = desk.ok(&["phone", "check", "+1 (206) 555-0100 ext. 12", "--json"]);
    let v = run.json();
    for key in [
        "input",
        "canonical",
        "countryCode",
        "nationalNumber",
        "extension",
        "region",
        "numberType",
        "valid",
        "errors",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["canonical"], "+1 2065550100x12");
    assert_eq!(v["countryCode"], 1);
    assert_eq!(v["nationalNumber"], "2065550100");
    assert_eq!(v["extension"], "12");
    assert_eq!(v["valid"], true);
}

#[test]
fn phone_check_accepts_warnings_and_rejects_shape_errors() {
    let desk = Desk::new();
    let invalid = desk
        .ok(&["phone", "check", "+1 4251234567", "--json"])
        .json();
    assert_eq!(invalid["valid"], false);
    assert_eq!(invalid["warnings"][0]["code"], "invalidNumber");
    let suggested = desk
        .ok(&["phone", "check", "+1 491570157", "--region", "AU", "--json"])
        .json();
    assert_eq!(suggested["warnings"][0]["suggestion"], "+61 491570157");
    let landline = desk
        .ok(&[
            "phone",
            "check",
            "+44 2079460001",
            "--slot",
            "mobile",
            "--json",
        ])
        .json();
    assert!(
        landline["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "landlineInMobileSlot")
    );
    let national = desk.ok(&["phone", "check", "(206) 555-0100", "--region", "US"]);
    assert!(national.stdout.contains("+1 2065550100"));
    for bad in [
        "",
        "   ",
        "+1 206abc0100",
        "++1 2065550100",
        "+1 2065550100 ext 1a",
        "+999 1234567",
        "+１ 2065550100",
    ] {
        let run = desk.refused(&["phone", "check", bad]);
        assert!(
            run.stderr.contains("is not accepted"),
            "{bad:?}: {}",
            run.stderr
        );
    }
    let long = "1".repeat(10_000);
    desk.refused(&["phone", "check", &long]);
}

/// A refused number's error is said once: on stderr, one line, not again in the report.
#[test]
fn phone_check_prints_an_error_once() {
    let desk = Desk::new();
    let run = desk.refused(&["phone", "check", "+1 206abc0100"]);
    let everything = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(everything.matches("error").count(), 1, "{everything}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("input:"), "{}", run.stdout);
}

#[test]
fn phone_list_has_graphs_shape() {
    let desk = Desk::new();
    let v = desk
        .ok(&["phone", "list", "daniel.fischer@fabrikam.example", "--json"])
        .json();
    let value = v["value"].as_array().unwrap();
    assert_eq!(value.len(), 3);
    assert_eq!(value[0]["id"], "3179e48a-750b-4051-897c-87b9720928f7");
    assert_eq!(value[0]["phoneType"], "mobile");
    assert_eq!(value[1]["phoneType"], "alternateMobile");
    assert_eq!(value[2]["id"], "e37fc753-ff3b-4958-9484-eaa9425c82bc");
    assert_eq!(value[2]["smsSignInState"], "notSupported");
    for m in value {
        let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "phoneNumber", "phoneType", "smsSignInState"]);
        assert!(m["phoneNumber"].as_str().unwrap().contains('*'));
    }
    let revealed = desk
        .ok(&[
            "phone",
            "list",
            "daniel.fischer@fabrikam.example",
            "--json",
            "--reveal",
        ])
        .json();
    assert_eq!(revealed["value"][2]["phoneNumber"], "+1 4255550150x2301");
}

#[test]
fn add_update_delete_follow_the_slot_rules_with_clear_errors() {
    let desk = Desk::new();
    let run = desk.refused(&[
        "phone",
        "add",
        NORA,
        "--type",
        "alternateMobile",
        "+1 2125550176",
    ]);
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        format!("error: cannot add alternateMobile for {NORA}: add a mobile phone first")
    );
    let added = desk.ok(&["phone", "add", NORA, "--type", "mobile", "(212) 555-0177"]);
    assert!(added.stdout.contains("+1 2125550177"), "{}", added.stdout);
    desk.refused(&["phone", "add", NORA, "--type", "mobile", "+1 2125550178"]);
    desk.ok(&["phone", "update", NORA, "--type", "mobile", "+1 2125550178"]);
    desk.ok(&[
        "phone",
        "add",
        NORA,
        "--type",
        "alternateMobile",
        "+1 2125550176",
    ]);
    let run = desk.refused(&["phone", "delete", NORA, "--type", "mobile"]);
    assert!(run.stderr.contains("alternate"), "{}", run.stderr);
    desk.ok(&["phone", "delete", NORA, "--type", "alternateMobile"]);
    desk.ok(&["phone", "delete", NORA, "--type", "mobile"]);
    let v = desk.ok(&["phone", "list", NORA, "--json"]).json();
    assert!(v["value"].as_array().unwrap().is_empty());
}

#[test]
fn warnings_do_not_block_saving_but_are_printed() {
    let desk = Desk::new();
    let run = desk.ok(&["phone", "add", NORA, "--type", "mobile", "+1 4251234567"]);
    assert!(run.stderr.contains("warning:"), "{}", run.stderr);
}

#[test]
fn the_default_method_cannot_be_deleted() {
    let desk = Desk::new();
    let run = desk.refused(&[
        "phone",
        "delete",
        "hannah.weber@fabrikam.example",
        "--type",
        "office",
    ]);
    assert!(run.stderr.contains("default MFA method"), "{}", run.stderr);
    desk.ok(&[
        "user",
        "set-default",
        "hannah.weber@fabrikam.example",
        "none",
    ]);
    desk.ok(&[
        "phone",
        "delete",
        "hannah.weber@fabrikam.example",
        "--type",
        "office",
    ]);
    assert_eq!(desk.run(&["user", "set-default", ROSA, "fax"]).code, 2);
}

#[test]
fn admins_need_the_privileged_role() {
    let desk = Desk::new();
    let grace = "grace.kim@fabrikam.example";
    let run = desk.refused(&["user", "block", grace, "--reason", "test"]);
    assert!(
        run.stderr.contains("privileged-auth-admin"),
        "{}",
        run.stderr
    );
    desk.refused(&["phone", "list", grace, "--reveal"]);
    desk.ok(&[
        "--role",
        "privileged-auth-admin",
        "user",
        "block",
        grace,
        "--reason",
        "test",
    ]);
}

#[test]
fn block_and_unblock_need_a_reason_and_are_audited() {
    let desk = Desk::new();
    assert_eq!(desk.run(&["user", "block", ROSA]).code, 2);
    desk.refused(&["user", "block", ROSA, "--reason", "  "]);
    let invisible = desk.refused(&[
        "user",
        "block",
        ROSA,
        "--reason",
        "\u{200B}\u{200D}\u{2060}",
    ]);
    assert!(
        invisible.stderr.contains("a reason needs visible text"),
        "{}",
        invisible.stderr
    );
    desk.ok(&["user", "block", ROSA, "--reason", "lost phone"]);
    desk.refused(&["user", "block", ROSA, "--reason", "again"]);
    desk.ok(&["user", "unblock", ROSA, "--reason", "found it"]);
    let audit = desk.ok(&["audit", "--user", ROSA, "--json"]).json();
    let actions: Vec<&str> = audit["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(&actions[..2], ["user.unblock", "user.block"]);
    assert_eq!(audit["value"][0]["reason"], "found it");
}

#[test]
fn sms_sign_in_enable_and_disable() {
    let desk = Desk::new();
    let kwame = "kwame.mensah@fabrikam.example";
    let run = desk.ok(&["phone", "sms-signin", "enable", kwame]);
    assert!(run.stdout.contains("ready"), "{}", run.stdout);
    desk.ok(&["phone", "sms-signin", "disable", kwame]);
    let run = desk.refused(&[
        "phone",
        "sms-signin",
        "enable",
        "priya.raman@fabrikam.example",
    ]);
    assert!(run.stderr.contains("SMS sign-in policy"), "{}", run.stderr);
    desk.refused(&[
        "phone",
        "sms-signin",
        "enable",
        "ahmed.haddad_partner.example#EXT#@fabrikam.example",
    ]);
    assert_eq!(desk.run(&["phone", "sms-signin", "toggle", kwame]).code, 2);
}

#[test]
fn bad_numbers_are_refused_and_change_nothing() {
    let desk = Desk::new();
    let before = desk.snapshot();
    let long = "9".repeat(10_000);
    let bad = [
        "",
        " \t ",
        &long,
        "+1 20655501\u{e9}0",
        "+1 206 CALL NOW",
        "++1 2065550100",
        "+1 2065550100 ext 1a",
        "+999 1234567",
        "+1 206\u{202e}5550100",
        "\r+1 2125550177",
        "+1 2125550177\n",
    ];
    for input in bad {
        desk.refused(&["phone", "add", NORA, "--type", "mobile", input]);
        desk.refused(&["phone", "update", ROSA, "--type", "mobile", input]);
    }
    // A control character at either end is named, not trimmed away.
    for (input, named) in [
        ("\r+1 2125550177", "carriage return U+000D"),
        ("+1 2125550177\n", "line feed U+000A"),
    ] {
        let run = desk.refused(&["phone", "add", NORA, "--type", "mobile", input]);
        assert!(run.stderr.contains(named), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        let check = desk.refused(&["phone", "check", input]);
        assert!(check.stderr.contains(named), "{}", check.stderr);
    }
    desk.refused(&[
        "phone",
        "add",
        "nobody@fabrikam.example",
        "--type",
        "mobile",
        "+1 2065550100",
    ]);
    assert_eq!(desk.snapshot(), before);
}

#[test]
fn usage_errors_exit_two() {
    let desk = Desk::new();
    assert_eq!(desk.run(&["frobnicate"]).code, 2);
    assert_eq!(desk.run(&["--role", "root", "user", "search"]).code, 2);
    assert_eq!(
        desk.run(&["phone", "add", ROSA, "--type", "fax", "+1 2065550100"])
            .code,
        2
    );
    assert_eq!(desk.run(&["demo", "reset"]).code, 2);
    assert_eq!(desk.ok(&["--help"]).code, 0);
}

#[test]
fn export_masks_numbers_unless_revealed() {
    let desk = Desk::new();
    let masked = desk.ok(&["export"]).stdout;
    assert!(!masked.contains("2065550101"));
    assert!(masked.contains("+1 ********01"));
    let partial = desk.ok(&["export", "--reveal"]);
    assert!(partial.stdout.contains("2065550101"));
    assert!(partial.stderr.contains("stay masked"), "{}", partial.stderr);
    let audit = desk.ok(&["audit", "--json"]).json();
    assert_eq!(audit["value"][0]["action"], "numbers.reveal");
    // A masked export cannot be imported by mistake.
    let path = desk.file("masked.json");
    std::fs::write(&path, &masked).unwrap();
    let run = desk.refused(&[
        "--role",
        "privileged-auth-admin",
        "import",
        path.to_str().unwrap(),
        "--replace",
    ]);
    assert!(run.stderr.contains("masked"), "{}", run.stderr);
}

#[test]
fn export_import_export_is_byte_identical() {
    let desk = Desk::new();
    desk.ok(&["phone", "add", NORA, "--type", "mobile", "+1 2125550177"]);
    let first = desk.file("first.json");
    desk.ok(&[
        "--role",
        "privileged-auth-admin",
        "export",
        "--reveal",
        "--out",
        first.to_str().unwrap(),
    ]);
    let other = Desk::new();
    other.ok(&[
        "--role",
        "privileged-auth-admin",
        "import",
        first.to_str().unwrap(),
    ]);
    let second = other.file("second.json");
    other.ok(&[
        "--role",
        "privileged-auth-admin",
        "export",
        "--reveal",
        "--out",
        second.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn import_lists_every_problem_with_its_path_and_writes_nothing() {
    let desk = Desk::new();
    let before = desk.snapshot();
    let file = write(
        &desk.file("bad.json"),
        r#"{
  "version": 1,
  "tenant": {"name": "T", "domain": "t.example"},
  "policy": {"smsSignInGroups": [], "officePhoneAllowed": true},
  "users": [
    {"userPrincipalName": "a@t.example", "displayName": "A",
     "phoneMethods": [{"phoneType": "mobile", "phoneNumber": "+12065550100"},
                      {"phoneType": "mobile", "phoneNumber": "+1 2065550101"}]},
    {"userPrincipalName": "A@t.example", "displayName": "A again", "favourite": 1},
    {"userPrincipalName": "b@t.example", "displayName": "B",
     "phoneMethods": [{"phoneType": "alternateMobile", "phoneNumber": "+1 2065550102"}]},
    {"userPrincipalName": "c@t.example"}
  ]
}"#,
    );
    let run = desk.refused(&[
        "--role",
        "privileged-auth-admin",
        "import",
        &file,
        "--replace",
    ]);
    for expected in [
        "users[0].phoneMethods[0].phoneNumber: not in the canonical form +CC NUMBER[xEXT]; write it as +1 2065550100",
        "users[0].phoneMethods[1].phoneType: a second mobile phone",
        "users[1].userPrincipalName: duplicate of users[0]",
        "users[1].favourite: unknown key",
        "users[2].phoneMethods: an alternateMobile phone needs a mobile phone",
        "users[3].displayName: required",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("nothing was imported"));
    assert_eq!(desk.snapshot(), before);
}

#[test]
fn import_refuses_files_that_are_not_json() {
    let desk = Desk::new();
    let before = desk.snapshot();
    let cases: [(&str, &[u8]); 4] = [
        ("notjson.json", b"hello"),
        ("trailing.json", b"{\"version\": 1, \"users\": [],}"),
        ("binary.json", b"{\"version\": 1, \"x\": \"\xff\xfe\"}"),
        (
            "newer.json",
            b"{\"version\": 2, \"tenant\": {\"name\": \"T\", \"domain\": \"t\"}, \"users\": []}",
        ),
    ];
    for (name, bytes) in cases {
        let path = desk.file(name);
        std::fs::write(&path, bytes).unwrap();
        let run = desk.refused(&[
            "--role",
            "privileged-auth-admin",
            "import",
            path.to_str().unwrap(),
            "--replace",
        ]);
        assert!(!run.stderr.is_empty(), "{name}");
    }
    assert_eq!(desk.snapshot(), before);
    desk.refused(&["import", "/nonexistent/file.json"]);
}

#[test]
fn import_into_a_non_empty_database_needs_replace() {
    let desk = Desk::new();
    let file = desk.file("demo.json");
    desk.ok(&[
        "--role",
        "privileged-auth-admin",
        "export",
        "--reveal",
        "--out",
        file.to_str().unwrap(),
    ]);
    let run = desk.refused(&["import", file.to_str().unwrap()]);
    assert!(run.stderr.contains("--replace"), "{}", run.stderr);
    desk.ok(&[
        "--role",
        "privileged-auth-admin",
        "import",
        file.to_str().unwrap(),
        "--replace",
    ]);
}

#[test]
fn demo_reset_restores_the_demo_tenant() {
    let desk = Desk::new();
    let pristine = desk.snapshot();
    desk.ok(&[
        "user",
        "set-default",
        "priya.raman@fabrikam.example",
        "none",
    ]);
    desk.ok(&[
        "phone",
        "delete",
        "priya.raman@fabrikam.example",
        "--type",
        "mobile",
    ]);
    assert_ne!(desk.snapshot(), pristine);
    desk.ok(&["--role", "privileged-auth-admin", "demo", "reset", "--yes"]);
    let reset = desk.snapshot();
    // Timestamps of undated blocks may differ; everything else is the demo tenant again.
    assert_eq!(reset.lines().count(), pristine.lines().count());
    assert!(reset.contains("priya.raman"));
    let v = desk
        .ok(&["phone", "list", "priya.raman@fabrikam.example", "--json"])
        .json();
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
}

#[test]
fn demo_generate_is_deterministic_and_importable() {
    let desk = Desk::new();
    let a = desk.file("a.json");
    let b = desk.file("b.json");
    desk.ok(&[
        "demo",
        "generate",
        "--users",
        "300",
        "--seed",
        "7",
        "--out",
        a.to_str().unwrap(),
    ]);
    desk.ok(&[
        "demo",
        "generate",
        "--users",
        "300",
        "--seed",
        "7",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let c = desk.file("c.json");
    desk.ok(&[
        "demo",
        "generate",
        "--users",
        "300",
        "--seed",
        "8",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    let other = Desk::new();
    let run = other.ok(&[
        "--role",
        "privileged-auth-admin",
        "import",
        a.to_str().unwrap(),
    ]);
    assert!(run.stdout.contains("imported 300 users"), "{}", run.stdout);
    assert_eq!(
        desk.run(&["demo", "generate", "--users", "0", "--out", "x.json"])
            .code,
        2
    );
}

#[test]
fn the_database_path_comes_from_the_environment_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("envdb");
    let out = Command::new(env!("CARGO_BIN_EXE_phonedesk"))
        .args(["user", "search", "rosa"])
        .env("PHONEDESK_DB", &db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        db.join("CURRENT").exists(),
        "the database was not created at $PHONEDESK_DB"
    );
}

#[test]
fn names_from_the_database_are_printed_safely() {
    let desk = Desk::new();
    let file = write(
        &desk.file("evil.json"),
        "{\"version\":1,\"tenant\":{\"name\":\"T\",\"domain\":\"t.example\"},\"users\":[{\"userPrincipalName\":\"e@t.example\",\"displayName\":\"Eve \\u001b[31mRed\\u202e\\nX %s\"}]}",
    );
    desk.ok(&[
        "--role",
        "privileged-auth-admin",
        "import",
        &file,
        "--replace",
    ]);
    let run = desk.ok(&["user", "search", "eve"]);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    assert!(!run.stdout.contains('\u{202e}'));
    assert!(run.stdout.contains("%s"));
    let show = desk.ok(&["user", "show", "e@t.example"]);
    assert!(!show.stdout.contains('\u{1b}'));
}
