//! The headless commands on a real tenant (`--tenant`), against the loopback Graph of
//! `tests/support/graph_server.rs`: the same commands, exit codes and `--json` shapes as on the
//! simulated tenant; the calls they make; the audit kept locally with Graph's request id; a
//! refused or failed call that writes nothing; the simulator's commands refused; and the
//! device-code sign-in saving its tokens readable by the user alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/graph_server.rs"]
mod graph_server;

use std::path::Path;
use std::process::Command;

use graph_server::{ADELE, ADELE_UPN, GraphServer, Reply};

const TENANT: &str = "contoso.onmicrosoft.com";
const MOBILE_ID: &str = "3179e48a-750b-4051-897c-87b9720928f7";
const OFFICE_ID: &str = "e37fc753-ff3b-4958-9484-eaa9425c82bc";
const ACCESS: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik5HVEZ2ZEstZnl0aEV1Q-access";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// phonedesk on the loopback tenant, with a fixed token unless `token` is `None` (then the saved
/// sign-in in `home`'s config directory is used).
fn graph_run(server: &GraphServer, home: &Path, token: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_phonedesk"));
    command
        .arg("--db")
        .arg(home.join("db"))
        .args(args)
        .env("PHONEDESK_TENANT", TENANT)
        .env("PHONEDESK_GRAPH_URL", &server.url)
        .env("PHONEDESK_LOGIN_URL", &server.url)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .env("USER", "cli.tester")
        .env_remove("PHONEDESK_GRAPH_TOKEN")
        .env_remove("PHONEDESK_CLIENT_ID");
    if let Some(token) = token {
        command.env("PHONEDESK_GRAPH_TOKEN", token);
    }
    let out = command.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn run(server: &GraphServer, home: &Path, args: &[&str]) -> Run {
    graph_run(server, home, Some("test-token"), args)
}

fn writes(server: &GraphServer) -> Vec<graph_server::Recorded> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect()
}

fn audit_json(server: &GraphServer, home: &Path) -> serde_json::Value {
    let audit = run(server, home, &["audit", "--json"]);
    assert_eq!(audit.code, 0, "{}", audit.stderr);
    serde_json::from_str(&audit.stdout).unwrap()
}

#[test]
fn show_and_list_read_the_tenant_with_numbers_masked() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    let home = tempfile::tempdir().unwrap();
    let show = run(&server, home.path(), &["user", "show", ADELE_UPN]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains("Adele Vance"), "{}", show.stdout);
    assert!(!show.stdout.contains("2065555555"), "{}", show.stdout);
    let list = run(
        &server,
        home.path(),
        &["phone", "list", ADELE_UPN, "--json"],
    );
    assert_eq!(list.code, 0, "{}", list.stderr);
    let value: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let methods = value["value"].as_array().unwrap();
    assert_eq!(methods.len(), 3, "{value}");
    assert_eq!(methods[0]["phoneType"], "mobile");
    assert!(!list.stdout.contains("2065555555"), "{}", list.stdout);
    // Every call carried the token.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer test-token"))
    );
    // Reading is never audited as a change; nothing was written to the tenant.
    assert!(writes(&server).is_empty());
}

#[test]
fn an_update_goes_to_graph_and_is_audited_locally_with_the_request_id() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}/authentication/phoneMethods/{MOBILE_ID}"),
        vec![Reply::empty(204).header("request-id", "7f1c2a10-req-0001")],
    );
    let home = tempfile::tempdir().unwrap();
    let update = run(
        &server,
        home.path(),
        &[
            "phone",
            "update",
            ADELE_UPN,
            "--type",
            "mobile",
            "+44 20 7946 0123",
        ],
    );
    assert_eq!(update.code, 0, "{}", update.stderr);
    let sent = writes(&server);
    assert_eq!(sent.len(), 1, "one write");
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["phoneNumber"], "+44 2079460123");
    assert_eq!(body["phoneType"], "mobile");
    let audit = audit_json(&server, home.path());
    let entry = &audit["value"][0];
    assert_eq!(entry["action"], "phone.update", "{audit}");
    assert_eq!(entry["target"], ADELE_UPN);
    assert_eq!(entry["requestId"], "7f1c2a10-req-0001", "{audit}");
    // The audit keeps masked numbers only.
    assert!(!audit.to_string().contains("2079460123"), "{audit}");
    assert!(!audit.to_string().contains("2065555555"), "{audit}");
    let table = run(&server, home.path(), &["audit"]);
    assert!(table.stdout.contains("REQUEST ID"), "{}", table.stdout);
    assert!(
        table.stdout.contains("7f1c2a10-req-0001"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_refused_or_failed_call_changes_nothing_and_writes_no_audit() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    let methods = format!("/v1.0/users/{ADELE}/authentication/phoneMethods");
    server.on(
        "DELETE",
        &format!("{methods}/{OFFICE_ID}"),
        vec![Reply::fixture("error-default-method", base)],
    );
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-forbidden", base)],
    );
    server.on(
        "POST",
        &format!("{methods}/{MOBILE_ID}/disableSmsSignIn"),
        vec![Reply::fixture("error-unavailable", base)],
    );
    let home = tempfile::tempdir().unwrap();
    let delete = run(
        &server,
        home.path(),
        &["phone", "delete", ADELE_UPN, "--type", "office"],
    );
    assert_eq!(delete.code, 1, "{}", delete.stderr);
    assert!(
        delete
            .stderr
            .contains("cannot be deleted until the default authentication method is changed"),
        "Graph's own message: {}",
        delete.stderr
    );
    let block = run(
        &server,
        home.path(),
        &["user", "block", ADELE_UPN, "--reason", "lost phone"],
    );
    assert_eq!(block.code, 1, "{}", block.stderr);
    assert!(block.stderr.contains("refused"), "{}", block.stderr);
    let sms = run(
        &server,
        home.path(),
        &["phone", "sms-signin", "disable", ADELE_UPN],
    );
    assert_eq!(sms.code, 1, "{}", sms.stderr);
    assert!(sms.stderr.contains("not available"), "{}", sms.stderr);
    for out in [&delete, &block, &sms] {
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    }
    assert_eq!(
        audit_json(&server, home.path())["value"],
        serde_json::json!([])
    );
}

#[test]
fn rules_and_refusals_known_in_advance_send_nothing() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    let home = tempfile::tempdir().unwrap();
    // A landline in the mobile slot: phonedesk's own rule refuses it before Graph is asked.
    let landline = run(
        &server,
        home.path(),
        &[
            "phone",
            "update",
            ADELE_UPN,
            "--type",
            "mobile",
            "+44 20 7946 0123x",
        ],
    );
    assert_ne!(landline.code, 0);
    let none = run(
        &server,
        home.path(),
        &["user", "set-default", ADELE_UPN, "none"],
    );
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stderr.contains("always keeps a default"),
        "{}",
        none.stderr
    );
    assert!(writes(&server).is_empty(), "nothing was sent");
    assert_eq!(
        audit_json(&server, home.path())["value"],
        serde_json::json!([])
    );
}

#[test]
fn block_says_it_disables_every_sign_in() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::empty(204)],
    );
    let home = tempfile::tempdir().unwrap();
    let block = run(
        &server,
        home.path(),
        &["user", "block", ADELE_UPN, "--reason", "lost phone"],
    );
    assert_eq!(block.code, 0, "{}", block.stderr);
    assert!(
        block.stderr.contains("blocks every sign-in"),
        "{}",
        block.stderr
    );
    let sent = writes(&server);
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body, serde_json::json!({"accountEnabled": false}));
}

#[test]
fn an_unknown_user_is_not_found_with_exit_1() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        "/v1.0/users/nobody%40contoso.com",
        vec![Reply::fixture("error-not-found", base)],
    );
    server.on(
        "GET",
        "/v1.0/users/nobody@contoso.com",
        vec![Reply::fixture("error-not-found", base)],
    );
    let home = tempfile::tempdir().unwrap();
    let show = run(
        &server,
        home.path(),
        &["user", "show", "nobody@contoso.com"],
    );
    assert_eq!(show.code, 1, "{}", show.stderr);
    assert!(
        show.stderr.contains("nobody@contoso.com"),
        "{}",
        show.stderr
    );
}

#[test]
fn throttling_waits_as_retry_after_says() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![
            Reply::fixture("error-throttled", base),
            Reply::fixture("user-get", base),
        ],
    );
    let home = tempfile::tempdir().unwrap();
    let show = run(&server, home.path(), &["user", "show", ADELE_UPN]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains("Adele Vance"));
}

#[test]
fn an_expired_fixed_token_says_to_sign_in() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-unauthorized", base)],
    );
    server.alias(ADELE_UPN, ADELE);
    let home = tempfile::tempdir().unwrap();
    let show = run(&server, home.path(), &["user", "show", ADELE_UPN]);
    assert_eq!(show.code, 1, "{}", show.stderr);
    assert!(show.stderr.contains("phonedesk login"), "{}", show.stderr);
}

#[test]
fn search_pages_with_consistency_level_and_keeps_the_json_shape() {
    let server = GraphServer::start();
    server.search_pages();
    let home = tempfile::tempdir().unwrap();
    let search = run(&server, home.path(), &["user", "search", "oscar", "--json"]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let value: serde_json::Value = serde_json::from_str(&search.stdout).unwrap();
    let rows = value["value"].as_array().unwrap();
    assert!(!rows.is_empty(), "{value}");
    assert_eq!(
        rows[0]["userPrincipalName"], "oscarward@contoso.com",
        "{value}"
    );
    assert_eq!(rows[1]["blocked"], true, "{value}");
    assert_eq!(value["total"], 7, "{value}");
    let gets: Vec<_> = server.requests();
    assert_eq!(gets.len(), 2, "both pages");
    assert!(
        gets.iter()
            .all(|r| r.header("consistencylevel") == Some("eventual")),
        "ConsistencyLevel on every page"
    );
    let query = graph_server::decode(gets[0].query());
    assert!(query.contains("$search="), "{query}");
}

#[test]
fn digits_say_graph_cannot_search_authentication_phones() {
    let server = GraphServer::start();
    server.on(
        "GET",
        "/v1.0/users",
        vec![Reply::json(200, &serde_json::json!({"value": []}))],
    );
    let home = tempfile::tempdir().unwrap();
    let search = run(&server, home.path(), &["user", "search", "425 555"]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let all = format!("{}{}", search.stdout, search.stderr);
    assert!(all.contains("cannot search authentication phones"), "{all}");
}

#[test]
fn the_sign_in_log_is_the_tenants_for_one_user() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    server.on(
        "GET",
        "/v1.0/auditLogs/signIns",
        vec![Reply::fixture("signins-list", base)],
    );
    let home = tempfile::tempdir().unwrap();
    let log = run(
        &server,
        home.path(),
        &["log", "--user", ADELE_UPN, "--json"],
    );
    assert_eq!(log.code, 0, "{}", log.stderr);
    let value: serde_json::Value = serde_json::from_str(&log.stdout).unwrap();
    assert_eq!(
        value["value"][0]["correlationId"], "d79f5bee-5860-4832-928f-3133e22ae912",
        "{value}"
    );
    let query = server
        .requests()
        .iter()
        .find(|r| r.path().ends_with("/signIns"))
        .map(|r| graph_server::decode(r.query()))
        .unwrap();
    assert!(query.contains(&format!("userId eq '{ADELE}'")), "{query}");
    let everyone = run(&server, home.path(), &["log"]);
    assert_eq!(everyone.code, 1);
    assert!(everyone.stderr.contains("--user"), "{}", everyone.stderr);
}

#[test]
fn the_simulators_commands_never_touch_a_real_tenant() {
    let server = GraphServer::start();
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["device", "show", "+1 206 555 5555"][..],
        &["telecom", "status"],
        &["demo", "reset", "--yes"],
        &["demo", "reset-world"],
        &["import", "tenant.json"],
        &["export"],
    ] {
        let out = run(&server, home.path(), args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("simulated tenant only"),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(server.requests().is_empty(), "no call reached the tenant");
    // And the simulated tenant was not created or seeded by them.
    assert!(!home.path().join("db").exists());
}

/// A guided demo is for presenting: on a real tenant it plays on a sandbox of the embedded demo
/// tenant, reaches its end, and asks the tenant nothing.
#[test]
fn a_demo_on_a_real_tenant_plays_on_the_demo_tenant_and_asks_the_tenant_nothing() {
    let server = GraphServer::start();
    let home = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = run(&server, home.path(), &["demo", "play", "fraud-report"]);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains("embedded demo tenant"),
            "{}",
            out.stderr
        );
        assert!(
            out.stdout.contains("reached its expected end"),
            "{}",
            out.stdout
        );
    }
    assert!(server.requests().is_empty(), "no call reached the tenant");
}

#[test]
fn login_shows_the_code_saves_the_tokens_for_the_user_alone_and_logout_removes_them() {
    use std::os::unix::fs::PermissionsExt;
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "POST",
        &format!("/{TENANT}/oauth2/v2.0/devicecode"),
        vec![Reply::fixture("devicecode", base)],
    );
    server.on(
        "POST",
        &format!("/{TENANT}/oauth2/v2.0/token"),
        vec![
            Reply::fixture("token-authorization-pending", base),
            Reply::fixture("token-success", base),
        ],
    );
    let home = tempfile::tempdir().unwrap();
    let login = graph_run(&server, home.path(), None, &["login"]);
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert!(
        login.stdout.contains("https://microsoft.com/devicelogin")
            && login.stdout.contains("ABCD-EFGH"),
        "{}",
        login.stdout
    );
    assert!(
        login.stdout.contains("helpdesk@contoso.example"),
        "{}",
        login.stdout
    );
    let all = format!("{}{}", login.stdout, login.stderr);
    assert!(!all.contains(ACCESS) && !all.contains("-refresh"), "{all}");
    let saved = home
        .path()
        .join("config/phonedesk")
        .join(format!("graph-token-{TENANT}.json"));
    let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");

    // The saved sign-in is used, and the audit names the signed-in account.
    server.adele("phone-methods-list");
    server.on(
        "POST",
        &format!("/v1.0/users/{ADELE}/authentication/phoneMethods/{MOBILE_ID}/disableSmsSignIn"),
        vec![Reply::empty(204)],
    );
    server.clear_requests();
    let disable = graph_run(
        &server,
        home.path(),
        None,
        &["phone", "sms-signin", "disable", ADELE_UPN],
    );
    assert_eq!(disable.code, 0, "{}", disable.stderr);
    let bearer = format!("Bearer {ACCESS}");
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some(bearer.as_str()))
    );
    let audit = graph_run(&server, home.path(), None, &["audit", "--json"]);
    let audit: serde_json::Value = serde_json::from_str(&audit.stdout).unwrap();
    assert_eq!(
        audit["value"][0]["operator"], "helpdesk@contoso.example",
        "{audit}"
    );

    let logout = graph_run(&server, home.path(), None, &["logout"]);
    assert_eq!(logout.code, 0, "{}", logout.stderr);
    assert!(!saved.exists());
    let after = graph_run(&server, home.path(), None, &["user", "show", ADELE_UPN]);
    assert_eq!(after.code, 1);
    assert!(after.stderr.contains("phonedesk login"), "{}", after.stderr);
}

#[test]
fn a_declined_sign_in_saves_nothing() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "POST",
        &format!("/{TENANT}/oauth2/v2.0/devicecode"),
        vec![Reply::fixture("devicecode", base)],
    );
    server.on(
        "POST",
        &format!("/{TENANT}/oauth2/v2.0/token"),
        vec![Reply::fixture("token-authorization-declined", base)],
    );
    let home = tempfile::tempdir().unwrap();
    let login = graph_run(&server, home.path(), None, &["login"]);
    assert_eq!(login.code, 1, "{}", login.stderr);
    assert!(login.stderr.contains("declined"), "{}", login.stderr);
    assert!(
        !home.path().join("config/phonedesk").exists() || {
            std::fs::read_dir(home.path().join("config/phonedesk"))
                .unwrap()
                .next()
                .is_none()
        }
    );
}

#[test]
fn no_network_is_a_message() {
    // A port nothing listens on.
    let server = GraphServer::start();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_phonedesk"))
        .arg("--db")
        .arg(home.path().join("db"))
        .args(["--graph-url", &closed, "user", "show", ADELE_UPN])
        .env("PHONEDESK_TENANT", TENANT)
        .env("PHONEDESK_GRAPH_TOKEN", "t")
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot reach Microsoft Graph"), "{stderr}");
    drop(server);
}

/// `--graph-timeout` (or `PHONEDESK_GRAPH_TIMEOUT`) bounds one call: a tenant slower than that
/// is a one-line message, exit 1 (a write that timed out says it may still have happened:
/// `tests/graph_client.rs`).
#[test]
fn a_tenant_slower_than_the_timeout_is_a_message() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    let home = tempfile::tempdir().unwrap();
    let mut slow = Reply::fixture("user-get", &server.url);
    slow.delay = std::time::Duration::from_secs(4);
    server.on("GET", &format!("/v1.0/users/{ADELE}"), vec![slow]);
    let show = run(
        &server,
        home.path(),
        &["--graph-timeout", "1", "user", "show", ADELE_UPN],
    );
    assert_eq!(show.code, 1, "{}", show.stderr);
    assert!(
        show.stderr.contains("did not answer within 1 s; try again"),
        "{}",
        show.stderr
    );
    assert_eq!(show.stderr.trim().lines().count(), 1, "{}", show.stderr);
    let zero = run(
        &server,
        home.path(),
        &["--graph-timeout", "0", "user", "show", ADELE_UPN],
    );
    assert_eq!(
        zero.code, 2,
        "a time-out of 0 s is a usage error: {}",
        zero.stderr
    );
    assert!(writes(&server).is_empty());
}

#[test]
fn a_simulated_sign_in_plays_on_a_local_copy_with_stand_in_numbers() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    let home = tempfile::tempdir().unwrap();
    let sim = run(
        &server,
        home.path(),
        &[
            "signin", "mfa", "--user", ADELE_UPN, "--via", "sms", "--json",
        ],
    );
    assert_eq!(sim.code, 0, "{}{}", sim.stdout, sim.stderr);
    assert!(sim.stderr.contains("local copy"), "{}", sim.stderr);
    assert!(sim.stderr.contains("stand-in numbers"), "{}", sim.stderr);
    let value: serde_json::Value = serde_json::from_str(&sim.stdout).unwrap();
    assert!(value.to_string().contains("success"), "{value}");
    // Only reads reached the tenant; the real numbers were never used.
    assert!(writes(&server).is_empty());
    assert!(!sim.stdout.contains("2065555555"), "{}", sim.stdout);
    // An SMS sign-in names the user (Graph finds nobody by an authentication phone) and
    // types the copy's stand-in mobile.
    let sms = run(
        &server,
        home.path(),
        &["signin", "sms-signin", "--user", ADELE_UPN, "--json"],
    );
    assert_eq!(sms.code, 0, "{}{}", sms.stdout, sms.stderr);
    assert!(sms.stderr.contains("stand-in numbers"), "{}", sms.stderr);
    assert!(sms.stdout.contains("success"), "{}", sms.stdout);
    assert!(!sms.stdout.contains("2065555555"), "{}", sms.stdout);
    let by_number = run(
        &server,
        home.path(),
        &["signin", "sms-signin", "--phone", "+1 206 555 5555"],
    );
    assert_eq!(by_number.code, 2, "{}", by_number.stderr);
    assert!(
        by_number.stderr.contains("needs --user UPN"),
        "{}",
        by_number.stderr
    );
    assert!(writes(&server).is_empty());
    // The local audit of the tenant holds nothing of the simulation.
    assert_eq!(
        audit_json(&server, home.path())["value"],
        serde_json::json!([])
    );
}

#[test]
fn troubleshoot_checks_the_real_record_asks_the_caller_and_fixes_through_graph() {
    let server = GraphServer::start();
    server.adele_disabled();
    server.on(
        "GET",
        "/v1.0/auditLogs/signIns",
        vec![Reply::json(200, &serde_json::json!({"value": []}))],
    );
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::empty(204).header("request-id", "unblock-req-1")],
    );
    let home = tempfile::tempdir().unwrap();
    let walk = run(
        &server,
        home.path(),
        &[
            "troubleshoot",
            ADELE_UPN,
            "--symptom",
            "user-blocked",
            "--apply",
            "unblock-user",
        ],
    );
    assert!(
        !walk.stdout.contains("check the simulated device"),
        "no simulated phone on a real tenant: {}",
        walk.stdout
    );
    // The tenant does not say since when the account is disabled: no time is made up.
    let show = run(&server, home.path(), &["user", "show", ADELE_UPN]);
    assert!(
        show.stdout
            .contains("blocked: yes, blocked by an administrator (sign-in blocked in the tenant"),
        "{}",
        show.stdout
    );
    assert!(
        walk.stdout.contains("blocked by an administrator")
            && !walk.stdout.contains("administrator since"),
        "{}",
        walk.stdout
    );
    let sent = writes(&server);
    assert_eq!(sent.len(), 1, "{}{}", walk.stdout, walk.stderr);
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body, serde_json::json!({"accountEnabled": true}));
    let audit = audit_json(&server, home.path());
    assert_eq!(audit["value"][0]["action"], "user.unblock", "{audit}");
    assert_eq!(audit["value"][0]["requestId"], "unblock-req-1", "{audit}");
    // The sign-in log was read from the tenant, for this user.
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.path().ends_with("/auditLogs/signIns"))
    );
}
