//! The terminal UI on a real tenant: the built binary in tmux against the loopback Graph of
//! `tests/support/graph_server.rs`. The title names the tenant, the list is the tenant's own
//! answer, the profile loads from Graph, a confirmed change goes to Graph from the worker and is
//! audited locally with the request id, and a refusal is a message the session survives. Every
//! wait is on screen text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/graph_server.rs"]
mod graph_server;
mod tty;

use graph_server::{ADELE, ADELE_UPN, GraphServer, Reply};
use tty::session::{BIN, Options, Session};

const TENANT: &str = "contoso.onmicrosoft.com";
const OFFICE_ID: &str = "e37fc753-ff3b-4958-9484-eaa9425c82bc";

/// The loopback tenant's environment for phonedesk, with the config home it keeps (no tokens in
/// it: `PHONEDESK_GRAPH_TOKEN` is the access token).
struct OnTenant {
    env: Vec<(&'static str, String)>,
    _config: tempfile::TempDir,
}

impl OnTenant {
    fn new(server: &GraphServer) -> Self {
        let config = tempfile::tempdir().unwrap();
        let env = vec![
            ("PHONEDESK_TENANT", TENANT.to_owned()),
            ("PHONEDESK_GRAPH_URL", server.url.clone()),
            ("PHONEDESK_LOGIN_URL", server.url.clone()),
            ("PHONEDESK_GRAPH_TOKEN", "test-token".to_owned()),
            ("XDG_CONFIG_HOME", config.path().display().to_string()),
        ];
        Self {
            env,
            _config: config,
        }
    }

    fn env(&self) -> Vec<(&str, &str)> {
        self.env.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    /// `phonedesk audit --json` on the tenant, with the session's database beside its state.
    fn audit(&self, s: &Session) -> String {
        let audit = std::process::Command::new(BIN)
            .arg("--db")
            .arg(&s.db)
            .args(["audit", "--json"])
            .envs(self.env())
            .output()
            .unwrap();
        String::from_utf8_lossy(&audit.stdout).into_owned()
    }

    /// The TUI on the tenant in a tmux session called `name`.
    fn start(&self, name: &str) -> Session {
        Session::start_with(
            name,
            &Options {
                env: &self.env(),
                ..Options::default()
            },
        )
    }
}

fn list(users: &[(&str, &str, &str)]) -> Reply {
    let value: Vec<serde_json::Value> = users
        .iter()
        .map(|(id, upn, name)| {
            serde_json::json!({
                "id": id, "userPrincipalName": upn, "displayName": name,
                "usageLocation": "US", "accountEnabled": true, "userType": "Member"
            })
        })
        .collect();
    Reply::json(
        200,
        &serde_json::json!({"@odata.count": value.len(), "value": value}),
    )
}

#[test]
fn the_tui_searches_shows_and_changes_a_real_tenant_through_the_worker() {
    let server = GraphServer::start();
    let base = server.url.clone();
    server.adele("phone-methods-list");
    server.on(
        "GET",
        "/v1.0/users",
        vec![list(&[
            (ADELE, ADELE_UPN, "Adele Vance"),
            (
                "11111111-1111-1111-1111-111111111111",
                "oscarward@contoso.com",
                "Oscar Ward",
            ),
        ])],
    );
    server.on_query(
        "GET",
        "/v1.0/users",
        "adele",
        vec![list(&[(ADELE, ADELE_UPN, "Adele Vance")])],
    );
    server.on_query(
        "GET",
        "/v1.0/users",
        "zzz",
        vec![Reply::fixture("error-forbidden", &base)],
    );
    server.on(
        "DELETE",
        &format!("/v1.0/users/{ADELE}/authentication/phoneMethods/{OFFICE_ID}"),
        vec![Reply::empty(204).header("request-id", "tui-delete-1")],
    );
    let tenant = OnTenant::new(&server);
    let s = tenant.start("graph");
    s.wait_for("(Microsoft Graph)");
    s.wait_for("2 from the tenant");
    s.text("adele");
    s.wait_for("1 from the tenant");
    // A refusal of the search is a message; the session goes on.
    s.text("zzz");
    s.wait_for("The tenant could not answer the search");
    s.keys(&["Enter"]);
    s.keys(&["C-u"]);
    s.text("adele");
    s.wait_for("1 from the tenant");
    s.keys(&["Enter"]);
    s.wait_for("Adele Vance");
    s.wait_for("Office");
    // The office phone, deleted through Graph.
    s.keys(&["Down", "Down"]);
    s.keys(&["d"]);
    s.wait_for("Delete number?");
    s.keys(&["y"]);
    s.wait_for("saved");
    // A simulated MFA of Adele plays on a local copy with stand-in numbers.
    s.keys(&["3"]);
    s.wait_for("Nothing is running.");
    s.keys(&["n"]);
    s.wait_for("Start a sign-in");
    s.keys(&["Down", "Enter"]);
    s.wait_for("stand-in numbers");
    s.wait_for("simulation on a local copy");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
    let writes = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(
        writes, 1,
        "only the confirmed delete was sent to the tenant"
    );

    let deletes: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert_eq!(deletes.len(), 1, "one DELETE reached the tenant");
    assert!(
        deletes[0].path().ends_with(OFFICE_ID),
        "{}",
        deletes[0].path()
    );
    // The audit was kept locally, with Graph's request id.
    let text = tenant.audit(&s);
    assert!(text.contains("tui-delete-1"), "{text}");
    assert!(text.contains("phone.delete"), "{text}");
}

fn users_page(from: usize, to: usize, next: Option<String>) -> Reply {
    let value: Vec<serde_json::Value> = (from..to)
        .map(|i| {
            serde_json::json!({
                "id": format!("00000000-0000-0000-0000-{i:012}"),
                "userPrincipalName": format!("user{i:03}@contoso.com"),
                "displayName": format!("User {i:03}"),
            })
        })
        .collect();
    let mut body = serde_json::json!({ "value": value });
    if let Some(next) = next {
        body["@odata.nextLink"] = serde_json::json!(next);
    }
    Reply::json(200, &body)
}

#[test]
fn the_tenants_list_pages_in_as_the_operator_scrolls() {
    let server = GraphServer::start();
    let base = server.url.clone();
    server.on(
        "GET",
        "/v1.0/users",
        vec![users_page(
            0,
            100,
            Some(format!("{base}/v1.0/users?$skiptoken=page2")),
        )],
    );
    server.on_query(
        "GET",
        "/v1.0/users",
        "$skiptoken",
        vec![users_page(100, 105, None)],
    );
    let tenant = OnTenant::new(&server);
    let s = tenant.start("graph-pages");
    s.wait_for("100+ from the tenant");
    let first_pages = server.requests().len();
    let list = s.screen();
    assert!(
        !list.contains("no mobile"),
        "a tenant search knows no phones: {list}"
    );
    // These made-up users have no record behind them: the profile of the first says so, and
    // the message waits to be read.
    s.wait_for("Cannot show this user");
    s.keys(&["Enter"]);
    s.wait_until_in("main", tty::session::WAIT, |screen| {
        !screen.contains("Cannot show this user")
    })
    .expect("the message stays until dismissed, then goes");
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["G"]);
    s.wait_for("105 from the tenant");
    assert!(
        server.requests().len() > first_pages,
        "another page was asked for"
    );
    // The made-up users' profiles wait as messages (q does not pass them); Ctrl-C quits from
    // anywhere.
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
}

/// The wizard on a real tenant: its checks read the tenant's record and sign-in log on the
/// worker ("working…", Esc stops a throttled wait and the session goes on), the caller's
/// answers stay local, and the confirmed fix is one PATCH to Graph, audited with its request id.
#[test]
fn the_wizard_walks_a_real_tenant_from_the_worker_and_fixes_through_graph() {
    let server = GraphServer::start();
    let base = server.url.clone();
    server.adele_disabled();
    server.on(
        "GET",
        "/v1.0/users",
        vec![list(&[(ADELE, ADELE_UPN, "Adele Vance")])],
    );
    // The sign-in log answers the Methods pane's history (20 rows); the wizard's read (a day's
    // 200) is throttled for long the first time (Esc stops that wait), then answered.
    let mut throttled = Reply::fixture("error-throttled", &base);
    throttled
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("retry-after"));
    let no_sign_ins = Reply::json(200, &serde_json::json!({"value": []}));
    server.on("GET", "/v1.0/auditLogs/signIns", vec![no_sign_ins.clone()]);
    server.on_query(
        "GET",
        "/v1.0/auditLogs/signIns",
        "$top=200",
        vec![throttled.header("Retry-After", "30"), no_sign_ins],
    );
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::empty(204).header("request-id", "tui-unblock-1")],
    );
    let tenant = OnTenant::new(&server);
    let s = tenant.start("graph-wizard");
    s.wait_for("1 from the tenant");
    s.keys(&["Enter"]);
    s.wait_for("No sign-in attempts in the last");
    // The tenant does not say when the account was disabled: no time is made up.
    let methods = s.screen();
    assert!(methods.contains("accountEnabled is false"), "{methods}");
    assert!(!methods.contains("just now"), "{methods}");
    s.keys(&["4"]);
    s.wait_for("pick the symptom the caller reports");
    s.keys(&["n"]);
    s.wait_for("working…");
    // Esc once the throttled read is waiting out its Retry-After.
    let deadline = std::time::Instant::now() + tty::session::WAIT;
    while !server
        .requests()
        .iter()
        .any(|r| graph_server::decode(r.query()).contains("$top=200"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the wizard never read the log"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.keys(&["Escape"]);
    s.wait_for("The troubleshooting wizard could not do that");
    s.wait_for("stopped waiting for the tenant");
    s.keys(&["Enter"]);
    // Asked again, the log answers: the findings suggest the symptom.
    s.keys(&["n"]);
    s.wait_for("What does the caller report?");
    s.wait_for("(suggested by the findings)");
    s.keys(&["Enter"]);
    s.wait_for("Unblock the user");
    s.keys(&["Enter"]);
    s.wait_for("Unblock the user?");
    s.keys(&["y"]);
    s.wait_for("Unblock the user done");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
    let writes: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    assert_eq!(writes.len(), 1, "only the confirmed fix was sent");
    let sent: serde_json::Value = serde_json::from_str(&writes[0].body).unwrap();
    assert_eq!(sent, serde_json::json!({"accountEnabled": true}));
    let text = tenant.audit(&s);
    assert!(text.contains("tui-unblock-1"), "{text}");
    assert!(text.contains("user.unblock"), "{text}");
}

/// On a real tenant a guided demo plays on the embedded demo tenant, says so, and asks the
/// tenant nothing.
#[test]
fn a_demo_on_a_real_tenant_plays_on_the_demo_tenant() {
    let server = GraphServer::start();
    server.on("GET", "/v1.0/users", vec![list(&[])]);
    let tenant = OnTenant::new(&server);
    let s = tenant.start("graph-demo");
    s.wait_for("0 from the tenant");
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    let asked = server.requests().len();
    s.keys(&["3"]);
    s.wait_for("Nothing is running.");
    s.keys(&["p"]);
    s.wait_for("Guided demos");
    s.keys(&["Enter"]);
    s.wait_for("the demo plays on the embedded demo tenant");
    s.keys(&["Space"]);
    s.wait_for("step 2/");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
    assert_eq!(
        server.requests().len(),
        asked,
        "the demo asked the tenant nothing"
    );
}

/// An SMS sign-in on a real tenant plays the selected user on a local copy: the page waits with
/// the copy's stand-in mobile typed, and the text reaches the virtual phone, not the tenant.
#[test]
fn an_sms_sign_in_on_a_real_tenant_plays_on_a_copy_of_the_selected_user() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    server.on(
        "GET",
        "/v1.0/users",
        vec![list(&[(ADELE, ADELE_UPN, "Adele Vance")])],
    );
    server.on(
        "GET",
        "/v1.0/auditLogs/signIns",
        vec![Reply::json(200, &serde_json::json!({"value": []}))],
    );
    let tenant = OnTenant::new(&server);
    let s = tenant.start("graph-sms");
    s.wait_for("1 from the tenant");
    s.keys(&["Enter"]);
    s.wait_for("No sign-in attempts in the last");
    s.keys(&["3"]);
    s.wait_for("Nothing is running.");
    s.keys(&["n"]);
    s.wait_for("Start a sign-in");
    s.keys(&["Enter"]);
    s.wait_for("stand-in numbers");
    s.wait_for("simulation on a local copy");
    s.keys(&["Enter"]);
    s.wait_for("We texted");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "nothing was sent to the tenant"
    );
}
