//! The admin rule everywhere (DOMAIN.md §1: "an Authentication Administrator acts on non-admin
//! users only"), through the real binary: every command `phonedesk --help` lists, found
//! recursively, is run as an auth-admin against an admin, and is either refused (exit 1, one
//! line, nothing written) or changes nothing about the admin by its nature. "Nothing written" is
//! checked the way a lead would check: a privileged-auth-admin's `export --reveal`, and the
//! admin's audit trail and sign-in log, are the same before and after.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::{Run, fresh, phonedesk};

const ADA: &str = "ada.admin@walk.example";
const ADA_MOBILE: &str = "+1 2065550150";
const LEAD: [&str; 2] = ["--role", "privileged-auth-admin"];

/// Ada holds an admin role; her mobile is ready for SMS sign-in, so every path reaches her. Bea
/// is an admin whose SMS sign-in is enabled but outside the policy: a sign-in with her number is
/// denied, and the denial would be logged under her.
const TENANT: &str = r#"{"version": 1,
  "tenant": {"name": "Walk", "domain": "walk.example"},
  "policy": {"smsSignInGroups": ["Frontline"], "officePhoneAllowed": true},
  "users": [
    {"userPrincipalName": "ada.admin@walk.example", "displayName": "Ada Admin",
     "usageLocation": "US", "groups": ["Frontline"], "roles": ["Global Administrator"],
     "defaultMfaMethod": "sms",
     "phoneMethods": [
       {"phoneType": "mobile", "phoneNumber": "+1 2065550150", "smsSignInEnabled": true,
        "smsSignInSince": "2026-01-01T00:00:00Z"},
       {"phoneType": "office", "phoneNumber": "+1 2065550151"}]},
    {"userPrincipalName": "bea.admin@walk.example", "displayName": "Bea Admin",
     "usageLocation": "US", "groups": ["IT"], "roles": ["Helpdesk Administrator"],
     "phoneMethods": [
       {"phoneType": "mobile", "phoneNumber": "+1 2065550155", "smsSignInEnabled": true,
        "smsSignInSince": "2026-01-01T00:00:00Z"}]},
    {"userPrincipalName": "nick.user@walk.example", "displayName": "Nick User",
     "usageLocation": "US", "groups": ["Frontline"], "defaultMfaMethod": "sms",
     "phoneMethods": [{"phoneType": "mobile", "phoneNumber": "+1 2065550152"}]}
  ]}"#;

fn lead(db: &Path, args: &[&str]) -> Run {
    phonedesk(db, &[&LEAD[..], args].concat())
}

/// What an invocation is, and so what the walk asserts about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Acts on the admin: exit 1, one line naming the rule, nothing written.
    Refused,
    /// Reads only (a reveal the role covers is none): exit 0, nothing about the admin changes.
    ReadOnly,
    /// Takes no user and cannot be pointed at one (a provider, a demo, a file): exits with this
    /// code, and nothing about the admin changes.
    NoUser(i32),
}

/// Every leaf command of `phonedesk --help`, as its words (`["user", "block"]`).
fn leaf_commands(db: &Path, path: &mut Vec<String>, out: &mut BTreeSet<String>) {
    let args: Vec<&str> = path.iter().map(String::as_str).chain(["--help"]).collect();
    let help = phonedesk(db, &args);
    assert_eq!(help.code, 0, "{args:?}: {}", help.stderr);
    let subcommands: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|name| name != "help")
        .collect();
    if subcommands.is_empty() {
        out.insert(path.join(" "));
        return;
    }
    for name in subcommands {
        path.push(name);
        leaf_commands(db, path, out);
        path.pop();
    }
}

/// The whole audit trail, less the reveals the snapshots' own exports record.
fn audit_trail(db: &Path) -> Vec<serde_json::Value> {
    let run = phonedesk(db, &["audit", "--limit", "100000", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    json["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !(e["action"] == "numbers.reveal" && e["reason"] == "export"))
        .cloned()
        .collect()
}

/// The whole sign-in log.
fn sign_ins(db: &Path) -> String {
    let run = phonedesk(db, &["log", "--limit", "100000", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// What a lead sees of the admin: the full export, her audit trail, her sign-in log.
fn snapshot(db: &Path) -> String {
    let export = lead(db, &["export", "--reveal"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let audit = phonedesk(db, &["audit", "--user", ADA, "--json"]);
    let log = phonedesk(db, &["log", "--user", ADA, "--json"]);
    format!("{}\n{}\n{}", export.stdout, audit.stdout, log.stdout)
}

/// Each command with the invocations that point it at Ada (or, for commands that take no user,
/// the one that runs it), and what each must be.
fn invocations(file: &str, generated: &str) -> Vec<(&'static str, Vec<String>, Kind)> {
    use Kind::{NoUser, ReadOnly, Refused};
    let v = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        ("user search", v(&["user", "search", "ada"]), ReadOnly),
        ("user show", v(&["user", "show", ADA]), ReadOnly),
        ("user show", v(&["user", "show", ADA, "--reveal"]), Refused),
        (
            "user block",
            v(&["user", "block", ADA, "--reason", "walk"]),
            Refused,
        ),
        (
            "user unblock",
            v(&["user", "unblock", ADA, "--reason", "walk"]),
            Refused,
        ),
        (
            "user set-default",
            v(&["user", "set-default", ADA, "voiceOffice"]),
            Refused,
        ),
        ("phone check", v(&["phone", "check", ADA_MOBILE]), NoUser(0)),
        // Without --tenant there is no real tenant to sign in to: a usage error.
        ("login", v(&["login"]), NoUser(2)),
        // The admin's failure counter is part of the simulated world.
        ("demo reset-world", v(&["demo", "reset-world"]), Refused),
        ("logout", v(&["logout"]), NoUser(2)),
        ("phone list", v(&["phone", "list", ADA]), ReadOnly),
        (
            "phone list",
            v(&["phone", "list", ADA, "--reveal"]),
            Refused,
        ),
        (
            "phone add",
            v(&[
                "phone",
                "add",
                ADA,
                "--type",
                "alternateMobile",
                "+1 2065550153",
            ]),
            Refused,
        ),
        (
            "phone update",
            v(&["phone", "update", ADA, "--type", "mobile", "+1 2065550154"]),
            Refused,
        ),
        (
            "phone delete",
            v(&["phone", "delete", ADA, "--type", "office"]),
            Refused,
        ),
        (
            "phone sms-signin",
            v(&["phone", "sms-signin", "disable", ADA]),
            Refused,
        ),
        ("audit", v(&["audit", "--user", ADA]), ReadOnly),
        ("export", v(&["export"]), ReadOnly),
        // The reveal covers what the role covers: Ada's numbers stay masked (and it says so).
        ("export", v(&["export", "--reveal"]), ReadOnly),
        ("import", v(&["import", file, "--replace"]), Refused),
        ("demo reset", v(&["demo", "reset", "--yes"]), Refused),
        (
            "demo generate",
            v(&["demo", "generate", "--users", "5", "--out", generated]),
            NoUser(0),
        ),
        // A guided demo plays on its own demo user, who is not in this tenant: it says so up
        // front, and it cannot be pointed at Ada.
        ("demo play", v(&["demo", "play", "sms-sign-in"]), NoUser(1)),
        ("demo list", v(&["demo", "list"]), NoUser(0)),
        (
            "signin sms-signin",
            v(&["signin", "sms-signin", "--phone", ADA_MOBILE]),
            Refused,
        ),
        (
            "signin sms-signin",
            v(&["signin", "sms-signin", "--phone", "+1 2065550155"]),
            Refused,
        ),
        (
            "signin mfa",
            v(&["signin", "mfa", "--user", ADA, "--respond", "code:000000"]),
            Refused,
        ),
        (
            "signin mfa",
            v(&[
                "signin",
                "mfa",
                "--user",
                ADA,
                "--via",
                "voice",
                "--respond",
                "keys:0#1",
            ]),
            Refused,
        ),
        (
            "signin sspr",
            v(&["signin", "sspr", "--user", ADA]),
            Refused,
        ),
        (
            "signin clear-failures",
            v(&["signin", "clear-failures", "--user", ADA]),
            Refused,
        ),
        ("device show", v(&["device", "show", ADA_MOBILE]), ReadOnly),
        (
            "device set",
            v(&["device", "set", ADA_MOBILE, "--voicemail", "on"]),
            Refused,
        ),
        (
            "device set",
            v(&["device", "set", "+1 2065550151x12", "--power", "off"]),
            Refused,
        ),
        ("telecom status", v(&["telecom", "status"]), NoUser(0)),
        (
            "telecom fault",
            v(&["telecom", "fault", "northwind", "sms-drop"]),
            NoUser(0),
        ),
        ("troubleshoot", v(&["troubleshoot", ADA]), ReadOnly),
        (
            "troubleshoot",
            v(&["troubleshoot", ADA, "--symptom", "user-blocked", "--reveal"]),
            Refused,
        ),
        (
            "troubleshoot",
            v(&[
                "troubleshoot",
                ADA,
                "--symptom",
                "user-blocked",
                "--apply",
                "unblock-user",
            ]),
            Refused,
        ),
        ("doctor", v(&["doctor"]), ReadOnly),
        ("log", v(&["log", "--user", ADA]), ReadOnly),
    ]
}

#[test]
fn every_command_refuses_an_auth_admin_acting_on_an_admin_or_only_reads() {
    let (dir, db) = fresh();
    let tenant = dir.path().join("walk.json");
    std::fs::write(&tenant, TENANT).unwrap();
    let imported = lead(&db, &["import", tenant.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    // Ada has a failure to clear and a block to lift, so those commands have work to refuse.
    let failed = lead(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            ADA,
            "--via",
            "sms",
            "--respond",
            "code:000000",
        ],
    );
    assert_eq!(failed.code, 1, "{}", failed.stdout);
    let blocked = lead(&db, &["user", "block", ADA, "--reason", "walk setup"]);
    assert_eq!(blocked.code, 0, "{}", blocked.stderr);
    let backup = dir.path().join("backup.json");
    let saved = lead(
        &db,
        &["export", "--reveal", "--out", backup.to_str().unwrap()],
    );
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    let generated = dir.path().join("generated.json");

    let walk = invocations(backup.to_str().unwrap(), generated.to_str().unwrap());
    let mut leaves = BTreeSet::new();
    leaf_commands(&db, &mut Vec::new(), &mut leaves);
    let covered: BTreeSet<String> = walk.iter().map(|(c, _, _)| (*c).to_owned()).collect();
    assert_eq!(
        leaves, covered,
        "every command of --help is walked (a new command needs a line here)"
    );

    for (command, args, kind) in &walk {
        let trail = audit_trail(&db);
        let log = sign_ins(&db);
        let before = snapshot(&db);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = phonedesk(&db, &argv);
        match kind {
            Kind::Refused => {
                assert_eq!(run.code, 1, "{argv:?}: {}{}", run.stdout, run.stderr);
                let lines: Vec<&str> = run.stderr.lines().collect();
                assert_eq!(lines.len(), 1, "{argv:?}: one line\n{}", run.stderr);
                assert!(
                    lines[0].starts_with("error: ")
                        && lines[0].contains("admin role")
                        && lines[0].contains("privileged-auth-admin"),
                    "{argv:?}: {}",
                    lines[0]
                );
                assert_eq!(audit_trail(&db), trail, "{argv:?} wrote to the audit trail");
                assert_eq!(sign_ins(&db), log, "{argv:?} wrote to the sign-in log");
            }
            Kind::ReadOnly => {
                assert_eq!(run.code, 0, "{argv:?}: {}{}", run.stdout, run.stderr);
            }
            Kind::NoUser(code) => {
                assert_eq!(run.code, *code, "{argv:?}: {}{}", run.stdout, run.stderr);
            }
        }
        assert_eq!(
            snapshot(&db),
            before,
            "{command} ({kind:?}) changed what a lead sees of the admin: {argv:?}"
        );
    }
    // And the lead may do what the auth-admin was refused: the rule is the role, not a lock.
    let cleared = lead(&db, &["signin", "clear-failures", "--user", ADA]);
    assert_eq!(cleared.code, 0, "{}", cleared.stderr);
    assert!(
        cleared.stdout.contains("cleared 1 consecutive"),
        "{}",
        cleared.stdout
    );
    let phone = lead(&db, &["device", "set", ADA_MOBILE, "--voicemail", "on"]);
    assert_eq!(phone.code, 0, "{}", phone.stderr);
    let reset = lead(&db, &["demo", "reset", "--yes"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
}

/// An import sets the methods of every user in the file: an auth-admin may import a tenant
/// without admins (into an empty database, or over one without admins), never one with an
/// admin, and never over a directory that holds one.
#[test]
fn an_auth_admin_imports_only_tenants_and_directories_without_admins() {
    let (dir, db) = fresh();
    let plain = dir.path().join("plain.json");
    std::fs::write(
        &plain,
        r#"{"version": 1, "tenant": {"name": "T", "domain": "t.example"},
  "users": [{"userPrincipalName": "a@t.example", "displayName": "A"}]}"#,
    )
    .unwrap();
    let with_admin = dir.path().join("admin.json");
    std::fs::write(&with_admin, TENANT).unwrap();

    let run = phonedesk(&db, &["import", with_admin.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "users[0]: ada.admin@walk.example holds an admin role; an import sets their methods"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("nothing was imported"),
        "{}",
        run.stderr
    );
    // Still empty: an import without --replace goes in.
    let run = phonedesk(&db, &["import", plain.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = phonedesk(&db, &["import", plain.to_str().unwrap(), "--replace"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Over a directory without admins, a file with one is still refused, all or nothing.
    let run = phonedesk(&db, &["import", with_admin.to_str().unwrap(), "--replace"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(phonedesk(&db, &["user", "show", "a@t.example"]).code, 0);

    let run = lead(&db, &["import", with_admin.to_str().unwrap(), "--replace"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = phonedesk(&db, &["import", plain.to_str().unwrap(), "--replace"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the directory holds users with an admin role (ada.admin@walk.example"),
        "{}",
        run.stderr
    );
    assert_eq!(phonedesk(&db, &["user", "show", ADA]).code, 0);
}

/// The first run seeds the embedded demo tenant (admins included) whatever the role: that is
/// the app setting itself up, not an operator acting on anyone; resetting it later is an import.
#[test]
fn the_first_run_seeds_the_demo_but_an_auth_admin_cannot_reset_it() {
    let (_dir, db) = fresh();
    let run = phonedesk(&db, &["user", "show", "grace.kim@fabrikam.example"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("seeded the demo tenant"),
        "{}",
        run.stderr
    );
    let reset = phonedesk(&db, &["demo", "reset", "--yes"]);
    assert_eq!(reset.code, 1);
    assert!(
        reset.stderr.contains("privileged-auth-admin"),
        "{}",
        reset.stderr
    );
    let reset = lead(&db, &["demo", "reset", "--yes"]);
    assert_eq!(reset.code, 0, "{}", reset.stderr);
}

/// The rule lives where the write happens, not in the command line or the wizard in front of
/// it: the simulator's own functions refuse an auth-admin acting on an admin, and write nothing.
#[test]
fn the_simulators_own_functions_refuse_an_auth_admin_on_an_admin() {
    use phonedesk::domain::{Operator, PhoneNumber, Role, RuleError, Timestamp};
    use phonedesk::sim::{
        DeviceChange, Event, FlowRequest, Session, SessionOptions, SimError, VirtualClock, person,
        reset, throttle,
    };
    use phonedesk::store::{Directory, StoreError, devices};
    use std::sync::Arc;

    let clock = Arc::new(VirtualClock::at(Timestamp::from_secs(1_790_000_000)));
    let store = phonedesk::store::open_memory(clock.clone()).unwrap();
    let desk = Operator::new("desk", Role::AuthAdmin);
    let lead = Operator::new("lead", Role::PrivilegedAuthAdmin);
    phonedesk::demo::seed_if_empty(&store, &lead).unwrap();
    let grace = "grace.kim@fabrikam.example";
    let session = |operator: &Operator| {
        Session::new(SessionOptions {
            seed: Some(1),
            clock: clock.clone(),
            operator: operator.clone(),
        })
    };
    // The lead's simulated sign-in leaves Grace one failure.
    let mut s = session(&lead);
    let mfa = FlowRequest::Mfa {
        upn: grace.into(),
        via: Some(phonedesk::sim::Channel::Sms),
        slot: None,
    };
    s.handle(&store, Event::Start(mfa.clone())).unwrap();
    person::perform(&mut s, &store, &"code:000000".parse().unwrap()).unwrap();
    person::finish(&mut s, &store).unwrap();
    let failures = || {
        throttle::failures_of(store.backend(), "grace.kim@fabrikam.example")
            .unwrap()
            .consecutive
    };
    assert_eq!(failures(), 1);
    let audit_len = || {
        phonedesk::store::AuditTrail::audit(&store, None, usize::MAX)
            .unwrap()
            .len()
    };
    let audited = audit_len();
    let role = |e: SimError| matches!(e, SimError::Store(StoreError::Rule(_)));

    let cleared = throttle::reset_failures(&store, &desk, grace).unwrap_err();
    assert!(role(cleared.clone()), "{cleared:?}");
    let reset = reset::reset_verification(&store, &desk, grace).unwrap_err();
    assert!(role(reset.clone()), "{reset:?}");
    let office = PhoneNumber::parse_canonical("+1 2065550161").unwrap();
    let change = DeviceChange {
        voicemail: Some(true),
        ..DeviceChange::default()
    };
    let phone = phonedesk::sim::device::set_device(&store, &desk, &office, &change).unwrap_err();
    assert_eq!(
        phone,
        SimError::Store(StoreError::Rule(RuleError::PhoneOfAdmin {
            upn: grace.into()
        }))
    );
    let mut s = session(&desk);
    let started = s.handle(&store, Event::Start(mfa)).unwrap_err();
    assert_eq!(
        started,
        SimError::Store(StoreError::Rule(RuleError::NeedsPrivilegedRole))
    );
    assert_eq!(failures(), 1, "nothing was cleared or counted");
    assert!(!devices::is_configured(store.backend(), &office).unwrap());
    assert_eq!(audit_len(), audited, "nothing was audited");
    // The lead may.
    assert_eq!(throttle::reset_failures(&store, &lead, grace).unwrap(), 1);
    phonedesk::sim::device::set_device(&store, &lead, &office, &change).unwrap();
}
