//! The simulator's command line, run as the real binary on a temporary database: `signin`,
//! `device`, `telecom`, `log`, `demo play`, and the tenant file's devices, PINs and knobs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

mod support;

use support::{fresh, phonedesk};

#[test]
fn sms_sign_in_prints_a_timeline_and_succeeds() {
    let (_dir, db) = fresh();
    let run = phonedesk(
        &db,
        &[
            "signin",
            "sms-signin",
            "--phone",
            "+1 2065550101",
            "--seed",
            "4",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.last_line(), "result: success");
    assert!(run.stdout.starts_with("[+0.0s] service: SMS sign-in"));
    assert!(
        run.stdout
            .contains("phone: +1 ********01 receives a text from ")
    );
}

#[test]
fn the_same_seed_prints_the_same_timeline() {
    let (_a, first) = fresh();
    let (_b, second) = fresh();
    let args = [
        "signin",
        "mfa",
        "--user",
        "mia.rossi@fabrikam.example",
        "--via",
        "sms",
        "--seed",
        "9",
        "--respond",
        "auto",
        "--respond",
        "wait:30",
        "--respond",
        "resend",
        "--respond",
        "auto",
    ];
    let one = phonedesk(&first, &args);
    let two = phonedesk(&second, &args);
    assert_eq!(one.code, 0, "{}", one.stdout);
    assert_eq!(one.stdout, two.stdout);
    let other = phonedesk(&second, &[&args[..7], &["10"]].concat());
    assert_ne!(one.stdout, other.stdout);
}

#[test]
fn denied_sign_ins_exit_1_with_the_reason() {
    let (_dir, db) = fresh();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "signin",
                "mfa",
                "--user",
                "margaret.hughes@fabrikam.example",
                "--respond",
                "none",
            ],
            "result: denied (phone call went to voicemail)",
        ),
        (
            &["signin", "mfa", "--user", "tomas.silva@fabrikam.example"],
            "result: denied (user is blocked)",
        ),
        (
            &[
                "signin",
                "mfa",
                "--user",
                "sofia.alvarez@fabrikam.example",
                "--respond",
                "keys:1111#",
            ],
            "result: denied (user entered incorrect PIN)",
        ),
        (
            &[
                "signin",
                "mfa",
                "--user",
                "noah.patel@fabrikam.example",
                "--via",
                "voice",
                "--respond",
                "hangup",
            ],
            "result: denied (user hung up the phone call without succeeding the authentication)",
        ),
        (
            &[
                "signin",
                "mfa",
                "--user",
                "priya.raman@fabrikam.example",
                "--via",
                "sms",
            ],
            "result: denied (SMS could not be sent (provider))",
        ),
        (
            &["signin", "sms-signin", "--phone", "+1 4255550110"],
            "result: denied (SMS sign-in is not ready for this number)",
        ),
        (
            &[
                "signin",
                "sspr",
                "--user",
                "noah.patel@fabrikam.example",
                "--slot",
                "alternateMobile",
            ],
            "result: denied (password reset cannot use the alternate mobile phone)",
        ),
    ];
    for (args, last) in cases {
        let run = phonedesk(&db, args);
        assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.last_line(), *last, "{args:?}");
        assert!(
            run.stderr.trim().is_empty() || run.stderr.starts_with("note:"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_fraud_report_blocks_the_user_and_pin_mode_takes_the_pin() {
    let (_dir, db) = fresh();
    let run = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "noah.patel@fabrikam.example",
            "--via",
            "voice",
            "--respond",
            "keys:0#1",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.last_line(), "result: denied (fraud code entered)");
    let show = phonedesk(&db, &["user", "show", "noah.patel@fabrikam.example"]);
    assert!(
        show.stdout.contains("blocked after a fraud report"),
        "{}",
        show.stdout
    );
    let run = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "sofia.alvarez@fabrikam.example",
            "--respond",
            "keys:2580#",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("2580"), "the PIN never shows");
}

#[test]
fn sspr_removes_the_office_extension() {
    let (_dir, db) = fresh();
    let run = phonedesk(
        &db,
        &[
            "signin",
            "sspr",
            "--user",
            "daniel.fischer@fabrikam.example",
            "--via",
            "voice",
            "--slot",
            "office",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("removes the extension x2301"));
    let mfa = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "daniel.fischer@fabrikam.example",
            "--slot",
            "office",
        ],
    );
    assert_eq!(mfa.code, 0, "{}", mfa.stdout);
    assert!(
        mfa.stdout
            .contains("Please transfer this call to extension 2301.")
    );
}

#[test]
fn json_output_carries_the_result_and_the_attempts() {
    let (_dir, db) = fresh();
    let run = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "lucas.meyer@fabrikam.example",
            "--via",
            "sms",
            "--respond",
            "code:000000",
            "--respond",
            "none",
            "--json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["result"], "denied");
    assert_eq!(value["reason"], "incorrectCode");
    assert_eq!(value["errorCode"], 500121);
    assert_eq!(value["attempts"][0]["user"], "lucas.meyer@fabrikam.example");
    assert!(value["timeline"].as_array().unwrap().len() > 3);
}

#[test]
fn usage_errors_exit_2_and_unknown_users_exit_1() {
    let (_dir, db) = fresh();
    let keys_for_text = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "rosa.delgado@fabrikam.example",
            "--via",
            "sms",
            "--respond",
            "keys:#",
        ],
    );
    assert_eq!(keys_for_text.code, 2, "{}", keys_for_text.stderr);
    assert!(keys_for_text.stderr.contains("does not fit"));
    let code_for_call = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "noah.patel@fabrikam.example",
            "--slot",
            "office",
            "--respond",
            "code:123456",
        ],
    );
    assert_eq!(code_for_call.code, 2);
    assert!(
        !code_for_call.stderr.contains("123456"),
        "codes are never echoed"
    );
    let bad = phonedesk(
        &db,
        &[
            "signin",
            "sms-signin",
            "--phone",
            "+1 2065550101",
            "--respond",
            "dance",
        ],
    );
    assert_eq!(bad.code, 2);
    let bad_wait = phonedesk(
        &db,
        &[
            "signin",
            "sms-signin",
            "--phone",
            "+1 2065550101",
            "--respond",
            "wait:x",
        ],
    );
    assert_eq!(bad_wait.code, 2);
    let resend_in_call = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "noah.patel@fabrikam.example",
            "--via",
            "voice",
            "--respond",
            "answer",
            "--respond",
            "resend",
        ],
    );
    assert_eq!(resend_in_call.code, 2, "{}", resend_in_call.stderr);
    assert!(
        resend_in_call
            .stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("result: ")
    );
    let nobody = phonedesk(&db, &["signin", "mfa", "--user", "nobody@fabrikam.example"]);
    assert_eq!(nobody.code, 1);
    assert!(nobody.stderr.contains("no user nobody@fabrikam.example"));
    assert!(nobody.stdout.is_empty());
}

/// A sign-in refused before any code was sent (a blocked user, a number nobody holds) ran and
/// was denied: exit 1 with the denial as the last line, not a usage error about the `code:` the
/// person never got to type.
#[test]
fn a_sign_in_refused_before_a_code_exits_1_with_the_denial_whatever_the_script() {
    let (_dir, db) = fresh();
    let block = phonedesk(
        &db,
        &[
            "--role",
            "privileged-auth-admin",
            "user",
            "block",
            "rosa.delgado@fabrikam.example",
            "--reason",
            "lost phone",
        ],
    );
    assert_eq!(block.code, 0, "{}", block.stderr);
    let blocked = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "rosa.delgado@fabrikam.example",
            "--respond",
            "code:123456",
        ],
    );
    assert_eq!(blocked.code, 1, "{}{}", blocked.stdout, blocked.stderr);
    assert_eq!(blocked.last_line(), "result: denied (user is blocked)");
    assert_eq!(blocked.stderr, "");
    let nobody = phonedesk(
        &db,
        &[
            "signin",
            "sms-signin",
            "--phone",
            "+1 2065550199",
            "--respond",
            "code:123456",
            "--respond",
            "code:654321",
        ],
    );
    assert_eq!(nobody.code, 1, "{}{}", nobody.stdout, nobody.stderr);
    assert_eq!(
        nobody.last_line(),
        "result: denied (SMS sign-in is not ready for this number)"
    );
    assert_eq!(nobody.stderr, "");
    assert!(!nobody.stdout.contains("123456"), "codes are never echoed");
}

#[test]
fn the_sixth_text_within_five_minutes_is_throttled() {
    let (_dir, db) = fresh();
    let args = [
        "signin",
        "mfa",
        "--user",
        "lucas.meyer@fabrikam.example",
        "--via",
        "sms",
    ];
    for i in 0..5 {
        let run = phonedesk(&db, &args);
        assert_eq!(run.code, 0, "attempt {i}: {}", run.stdout);
    }
    let run = phonedesk(&db, &args);
    assert_eq!(run.code, 1);
    assert_eq!(run.last_line(), "result: denied (throttled)");
    assert!(
        run.stdout
            .contains("you've hit our limit on text verification codes")
    );
    let audit = phonedesk(&db, &["audit", "--user", "lucas.meyer@fabrikam.example"]);
    assert!(audit.stdout.contains("signIn.throttled"));
    let cleared = phonedesk(
        &db,
        &[
            "signin",
            "clear-failures",
            "--user",
            "lucas.meyer@fabrikam.example",
        ],
    );
    assert_eq!(cleared.code, 0);
}

#[test]
fn devices_show_and_change_their_conditions() {
    let (_dir, db) = fresh();
    let show = phonedesk(&db, &["device", "show", "+1 2065550171"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains("(configured)"));
    assert!(show.stdout.contains("powered on:      no"));
    let rosa = phonedesk(&db, &["device", "show", "+1 (206) 555-0101"]);
    assert!(rosa.stdout.contains("defaults for this number"));
    let set = phonedesk(
        &db,
        &[
            "device",
            "set",
            "+1 2065550101",
            "--voicemail",
            "on",
            "--block-sender",
            "26096",
            "--block-sender",
            "+1 855 330 8653",
        ],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    let rosa = phonedesk(&db, &["device", "show", "+1 2065550101"]);
    assert!(rosa.stdout.contains("voicemail:       yes"));
    assert!(
        rosa.stdout
            .contains("blocked senders: 26096, +1 8553308653"),
        "{}",
        rosa.stdout
    );
    let audit = phonedesk(&db, &["audit", "--limit", "1"]);
    assert!(audit.stdout.contains("device.set"));
    // The blocked caller ID: her calls are now rejected and go to voicemail.
    let call = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "rosa.delgado@fabrikam.example",
            "--via",
            "voice",
        ],
    );
    assert_eq!(
        call.last_line(),
        "result: denied (phone call went to voicemail)"
    );
    let nothing = phonedesk(&db, &["device", "set", "+1 2065550101"]);
    assert_eq!(nothing.code, 2);
    let bad = phonedesk(&db, &["device", "set", "555-0101", "--power", "off"]);
    assert_eq!(bad.code, 1);
    let bad_sender = phonedesk(
        &db,
        &["device", "set", "+1 2065550101", "--block-sender", "12"],
    );
    assert_eq!(bad_sender.code, 1);
    let bad_flag = phonedesk(&db, &["device", "set", "+1 2065550101", "--power", "maybe"]);
    assert_eq!(bad_flag.code, 2);
}

#[test]
fn telecom_faults_are_shown_and_injected() {
    let (_dir, db) = fresh();
    let status = phonedesk(&db, &["telecom", "status"]);
    assert_eq!(status.code, 0);
    for name in ["Northwind Telecom", "Tailspin Mobile", "Litware Voice"] {
        assert!(status.stdout.contains(name));
    }
    for provider in ["northwind", "tailspin", "litware"] {
        let set = phonedesk(&db, &["telecom", "fault", provider, "call-fail"]);
        assert_eq!(set.code, 0, "{}", set.stderr);
    }
    let status = phonedesk(&db, &["telecom", "status", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert!(
        value["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["fault"] == "call-fail")
    );
    let call = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "noah.patel@fabrikam.example",
            "--via",
            "voice",
        ],
    );
    assert_eq!(
        call.last_line(),
        "result: denied (call could not be placed (provider))"
    );
    assert_eq!(
        phonedesk(&db, &["telecom", "fault", "nobody", "none"]).code,
        2
    );
    assert_eq!(
        phonedesk(&db, &["telecom", "fault", "northwind", "boom"]).code,
        2
    );
}

#[test]
fn the_log_lists_attempts_newest_first() {
    let (_dir, db) = fresh();
    phonedesk(
        &db,
        &[
            "signin",
            "sms-signin",
            "--phone",
            "+1 2065550101",
            "--seed",
            "4",
        ],
    );
    phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            "margaret.hughes@fabrikam.example",
            "--respond",
            "none",
        ],
    );
    let log = phonedesk(&db, &["log"]);
    assert_eq!(log.code, 0);
    let lines: Vec<&str> = log.stdout.lines().collect();
    assert!(lines[0].starts_with("TIME"));
    assert!(
        lines[1].contains("margaret.hughes") && lines[1].contains("phone call went to voicemail")
    );
    assert!(lines[2].contains("smsSignIn") && lines[2].contains("success"));
    let json = phonedesk(
        &db,
        &["log", "--user", "rosa.delgado@fabrikam.example", "--json"],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["value"].as_array().unwrap().len(), 1);
    assert_eq!(value["value"][0]["result"], "success");
    assert_eq!(value["value"][0]["number"], "+1 ********01");
    let since = phonedesk(&db, &["log", "--since", "2100-01-01T00:00:00Z"]);
    assert!(since.stdout.contains("(no sign-in attempts)"));
    assert_eq!(
        phonedesk(&db, &["log", "--user", "nobody@fabrikam.example"]).code,
        1
    );
    assert_eq!(phonedesk(&db, &["log", "--since", "yesterday"]).code, 2);
}

#[test]
fn every_demo_plays_to_its_expected_end() {
    let list = phonedesk(&fresh().1, &["demo", "list"]);
    assert_eq!(list.code, 0);
    let names: Vec<String> = list
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    for required in ["sms-sign-in", "wrong-code", "voicemail", "fraud-report"] {
        assert!(names.iter().any(|n| n == required), "{required}");
    }
    let (_dir, db) = fresh();
    for name in &names {
        let run = phonedesk(&db, &["demo", "play", name]);
        assert_eq!(run.code, 0, "{name}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("step 1/"), "{name}");
        assert!(
            run.last_line()
                .starts_with("demo: reached its expected end"),
            "{name}"
        );
    }
    // The fraud demo can run again: it plays on a fresh sandbox copy of its cast.
    let again = phonedesk(&db, &["demo", "play", "fraud-report"]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert_eq!(phonedesk(&db, &["demo", "play", "nope"]).code, 2);
}

#[test]
fn export_keeps_devices_and_pins_and_round_trips_byte_for_byte() {
    let (dir, db) = fresh();
    let first = dir.path().join("first.json");
    let second = dir.path().join("second.json");
    let privileged = ["--role", "privileged-auth-admin"];
    let export = |out: &Path| {
        let run = phonedesk(
            &db,
            &[
                &privileged[..],
                &["export", "--reveal", "--out", out.to_str().unwrap()],
            ]
            .concat(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    phonedesk(&db, &["signin", "sms-signin", "--phone", "+1 2065550101"]);
    export(&first);
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("\"devices\""));
    assert!(text.contains("\"pbkdf2-sha256\""));
    assert!(text.contains("\"pinMode\": true"));
    assert!(!text.contains("2580"));
    let import = phonedesk(
        &db,
        &[
            "--role",
            "privileged-auth-admin",
            "import",
            first.to_str().unwrap(),
            "--replace",
        ],
    );
    assert_eq!(import.code, 0, "{}", import.stderr);
    export(&second);
    assert_eq!(text, std::fs::read_to_string(&second).unwrap());
    // A masked export hides PINs and device numbers; importing it is refused with paths.
    let masked = phonedesk(&db, &["export"]);
    assert!(masked.stdout.contains("\"pin\": \"hidden\""));
    assert!(!masked.stdout.contains("\"+1 2065550171\""));
    let masked_file = dir.path().join("masked.json");
    std::fs::write(&masked_file, &masked.stdout).unwrap();
    let refused = phonedesk(
        &db,
        &[
            "--role",
            "privileged-auth-admin",
            "import",
            masked_file.to_str().unwrap(),
            "--replace",
        ],
    );
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains(".pin: the PIN is hidden"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("devices[0].phoneNumber: the number is masked")
    );
}

#[test]
fn tenant_files_check_devices_pins_and_knobs_with_paths() {
    let (dir, db) = fresh();
    let file = dir.path().join("tenant.json");
    std::fs::write(
        &file,
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
    { "userPrincipalName": "c@t.example", "displayName": "C", "pin": "2468" }
  ],
  "devices": [
    { "phoneNumber": "+1 2065550180x14" },
    { "phoneNumber": "+1 2065550101", "blockedSenders": ["12", "26096", "26096"], "wifi": true },
    { "phoneNumber": "+1 2065550101" }
  ]
}"#,
    )
    .unwrap();
    let run = phonedesk(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    for expected in [
        "policy.verification.codeLength: expected a whole number from 6 to 10",
        "policy.verification.pinMode: expected true or false",
        "policy.verification.colour: unknown key",
        "users[0].pin: a PIN is 4 to 8 digits",
        "users[1].pin: unknown PIN algorithm",
        "devices[0].phoneNumber: a device is the whole line",
        "devices[1].blockedSenders[0]:",
        "devices[1].blockedSenders[2]: listed twice",
        "devices[1].wifi: unknown key",
        "devices[2].phoneNumber: duplicate of devices[1]",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            run.stderr
        );
    }
    // Nothing was written: the database is still empty until a valid file comes.
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        r#"{ "version": 1, "tenant": { "name": "T", "domain": "t.example" },
  "users": [ { "userPrincipalName": "c@t.example", "displayName": "C", "pin": "2468",
    "phoneMethods": [ { "phoneType": "mobile", "phoneNumber": "+1 2065550101" } ] } ] }"#,
    )
    .unwrap();
    let run = phonedesk(&db, &["import", good.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let export = phonedesk(
        &db,
        &["--role", "privileged-auth-admin", "export", "--reveal"],
    );
    assert!(
        !export.stdout.contains("2468"),
        "a plain PIN is never exported"
    );
    assert!(
        export.stdout.contains("\"codeLifetimeSeconds\": 180"),
        "defaults written"
    );
    assert!(export.stdout.contains("\"devices\": []"));
}
