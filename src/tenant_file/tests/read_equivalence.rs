//! The streaming reader gives exactly what the old whole-file `parse` gave: the same snapshot,
//! or the same problems with the same paths in the same order, for the inputs of the existing
//! tests, for hand-written broken files, and for thousands of mutations of the demo tenant
//! (every value replaced by each JSON type, every member deleted), with the top-level keys in
//! the usual order and with `policy` after `users`.

use serde_json::Value;

use super::reference;
use super::support::{demo, generated_file, now, with_key_order};
use crate::tenant_file::{ExportOptions, parse};

/// Asserts both readers agree on `input`.
fn same(input: &str, label: &str) {
    let old = reference::parse(input.as_bytes(), now());
    let new = parse(input.as_bytes(), now());
    assert_eq!(new, old, "{label}:\n{input}");
}

const HEAD: &str = r#""version": 1, "tenant": {"name": "T", "domain": "t.example"}"#;

/// Inputs of the command-line tests and hand-written broken files.
fn corpus() -> Vec<String> {
    let mut cases: Vec<String> = [
        // tests/cli.rs: every problem with its path.
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
        // tests/cli.rs: not JSON, trailing comma, a newer version.
        "hello",
        "{\"version\": 1, \"users\": [],}",
        "{\"version\": 2, \"tenant\": {\"name\": \"T\", \"domain\": \"t\"}, \"users\": []}",
        // tests/cli.rs: control characters in a name are data, not problems.
        "{\"version\":1,\"tenant\":{\"name\":\"T\",\"domain\":\"t.example\"},\"users\":[{\"userPrincipalName\":\"e@t.example\",\"displayName\":\"Eve \\u001b[31mRed\\u202e\\nX %s\"}]}",
        // tests/signin_cli.rs: devices, PINs and knobs.
        r#"{
  "version": 1,
  "tenant": { "name": "T", "domain": "t.example" },
  "policy": {
    "smsSignInGroups": [],
    "officePhoneAllowed": true,
    "verification": { "codeLength": 4, "pinMode": "yes", "colour": 1 }
  },
  "users": [
    { "userPrincipalName": "a@t.example", "displayName": "A", "pin": "12" },
    { "userPrincipalName": "b@t.example", "displayName": "B", "pin": { "algorithm": "md5", "iterations": 1, "salt": "00", "hash": "00" } },
    { "userPrincipalName": "c@t.example", "displayName": "C", "pin": "x2468" }
  ],
  "devices": [
    { "phoneNumber": "+1 2065550180x14" },
    { "phoneNumber": "+1 2065550101", "blockedSenders": ["12", "26096", "26096"], "wifi": true },
    { "phoneNumber": "+1 2065550101" }
  ]
}"#,
        // Not an object, or empty.
        "",
        "   ",
        "[]",
        "[1, [2, {\"a\": 3}]]",
        "[1, 2",
        "\"text\"",
        "null",
        "true",
        "-3",
        "1.5",
        "{}",
        "{} {}",
        "{\"version\": 1}",
        "{\"version\": 1, \"users\": [{\"userPrincipalName\": \"a@t",
        "{\"version\": 1, \"tenant\": {\"name\": \"T\", \"domain\": \"t\"}, \"users\": [], \"zeta\": 1, \"alpha\": {\"x\": [1]}}",
    ]
    .map(str::to_owned)
    .to_vec();
    for version in ["\"1\"", "2", "0", "-1", "1.0", "null", "[]", "{}"] {
        cases.push(format!(
            r#"{{"version": {version}, "tenant": {{"name": "T", "domain": "t"}}, "users": []}}"#
        ));
    }
    for tenant in [
        "[]",
        "null",
        "{}",
        r#"{"name": ""}"#,
        r#"{"name": " ", "domain": " d "}"#,
        r#"{"name": 1, "domain": true, "x": 0}"#,
    ] {
        cases.push(format!(
            r#"{{"version": 1, "tenant": {tenant}, "users": []}}"#
        ));
    }
    for users in [
        "{}",
        "{\"a\": [1]}",
        "\"x\"",
        "null",
        "5",
        "[1, \"x\", null, [], {}, true]",
    ] {
        cases.push(format!("{{{HEAD}, \"users\": {users}}}"));
    }
    for devices in [
        "{}",
        "7",
        "[1, {}]",
        r#"[{"phoneNumber": "+1 2065550180"}, {"phoneNumber": "+1 2065550180", "poweredOn": "no"}]"#,
        r#"[{"phoneNumber": "+1 ********80"}, {"phoneNumber": "+1 2065550181", "blockedSenders": "x"}]"#,
    ] {
        cases.push(format!("{{{HEAD}, \"users\": [], \"devices\": {devices}}}"));
    }
    for policy in [
        "[]",
        "null",
        r#"{"officePhoneAllowed": "no", "smsSignInGroups": [1, ""]}"#,
        r#"{"verification": []}"#,
        r#"{"verification": {"codeLength": 99, "sendLimit": -1, "maxWrongCodes": 1.5, "fraudAutoBlock": 1}}"#,
    ] {
        cases.push(format!("{{{HEAD}, \"policy\": {policy}, \"users\": []}}"));
    }
    // Office phones under a policy that forbids them, with the policy before and after users.
    let office_users = r#"[
        {"userPrincipalName": "a@t.example", "displayName": "A",
         "phoneMethods": [{"phoneType": "office", "phoneNumber": "+1 2065550100x12"},
                          {"phoneType": "office", "phoneNumber": "+1 2065550101"}]},
        {"userPrincipalName": "b@t.example", "displayName": "B",
         "phoneMethods": [{"phoneType": "mobile", "phoneNumber": "+1 2065550102x1"},
                          {"phoneType": "office", "phoneNumber": "bad"}]}
    ]"#;
    for allowed in ["false", "true", "\"no\""] {
        let policy = format!(r#"{{"officePhoneAllowed": {allowed}}}"#);
        cases.push(format!(
            "{{{HEAD}, \"policy\": {policy}, \"users\": {office_users}}}"
        ));
        cases.push(format!(
            "{{{HEAD}, \"users\": {office_users}, \"policy\": {policy}}}"
        ));
    }
    cases.push(format!("{{{HEAD}, \"users\": {office_users}}}"));
    // Users of every shape of problem.
    for user in [
        r#"{"userPrincipalName": "nobody", "displayName": "  ", "userType": "robot", "usageLocation": "ZZ"}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "groups": "x", "roles": [1], "mobilePhone": "\u0007", "businessPhones": ["1", "2"]}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "blocked": false, "block": {"kind": "admin"}}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "blocked": true, "block": {"kind": "x", "reason": 1, "since": "yesterday", "until": 5, "why": 0}}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "blocked": "yes"}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "defaultMfaMethod": "voiceOffice"}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "defaultMfaMethod": "fax"}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "phoneMethods": {}}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "phoneMethods": [1, {}, {"phoneType": "pager", "phoneNumber": 5, "smsSignInEnabled": "y", "smsSignInSince": "x"}, {"phoneType": "alternateMobile", "phoneNumber": "+1 2065550100", "smsSignInEnabled": true}]}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "pin": "hidden"}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "pin": 1234}"#,
        r#"{"userPrincipalName": "a@t.example", "displayName": "A", "pin": {"algorithm": "pbkdf2-sha256", "iterations": "x"}}"#,
    ] {
        cases.push(format!("{{{HEAD}, \"users\": [{user}, {user}]}}"));
    }
    // Nesting past the parser's recursion limit.
    cases.push(format!(
        "{{{HEAD}, \"users\": [{}{}]}}",
        "[".repeat(200),
        "]".repeat(200)
    ));
    cases
}

#[test]
fn the_inputs_of_the_existing_tests_and_broken_files_read_as_before() {
    for (i, case) in corpus().iter().enumerate() {
        same(case, &format!("case {i}"));
    }
}

#[test]
fn the_demo_tenant_and_its_exports_read_as_before() {
    let demo = demo();
    let revealed = reference::to_json(&demo, &ExportOptions { reveal: &|_| true });
    let masked = reference::to_json(&demo, &ExportOptions { reveal: &|_| false });
    same(crate::demo::DEMO_TENANT, "the demo tenant file");
    same(&revealed, "a revealed export");
    same(&masked, "a masked export");
    let shuffled = ["devices", "users", "version", "policy", "tenant"];
    same(
        &with_key_order(&masked, &shuffled),
        "a masked export, shuffled",
    );
    assert!(parse(masked.as_bytes(), now()).is_err());
}

#[test]
fn a_generated_tenant_reads_as_before() {
    let file = generated_file(2000, 3);
    same(&file, "2000 generated users");
    let snapshot = parse(file.as_bytes(), now()).unwrap();
    assert_eq!(snapshot.users.len(), 2000);
}

/// Every path into `value`, as keys and indices.
fn paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                here.push(Step::Key(key.clone()));
                out.push(here.clone());
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Step::Index(i));
                out.push(here.clone());
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// The value at `path`, and whether its parent is an object (so it can be deleted).
fn at<'v>(value: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

#[test]
fn every_mutation_of_the_demo_tenant_reads_as_before() {
    let demo: Value = serde_json::from_str(crate::demo::DEMO_TENANT).unwrap();
    let mut all = Vec::new();
    paths(&demo, &mut Vec::new(), &mut all);
    let replacements = [
        Value::Null,
        Value::Bool(false),
        serde_json::json!(7),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
    let policy_last = ["version", "tenant", "users", "devices", "policy"];
    let mut cases = 0;
    for path in &all {
        let mut variants: Vec<Value> = replacements
            .iter()
            .map(|r| {
                let mut v = demo.clone();
                *at(&mut v, path) = r.clone();
                v
            })
            .collect();
        if let Some((Step::Key(key), parent)) = path.split_last() {
            let mut v = demo.clone();
            at(&mut v, parent)
                .as_object_mut()
                .unwrap()
                .remove(key.as_str());
            variants.push(v);
        }
        for v in variants {
            let text = v.to_string();
            same(&text, &format!("{path:?}"));
            // With `policy` last, for what the policy decides about users.
            if matches!(path.first(), Some(Step::Key(k)) if k == "policy") {
                same(
                    &with_key_order(&text, &policy_last),
                    &format!("{path:?}, policy last"),
                );
            }
            cases += 1;
        }
    }
    assert!(cases > 1000, "only {cases} mutations");
}
