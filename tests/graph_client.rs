//! phonedesk's Graph client against a loopback server that answers as Microsoft documents
//! (`tests/support/graph_server.rs`): the paths and bodies it sends, paging with
//! `ConsistencyLevel` on every page, throttling with `Retry-After`, token refresh after a 401,
//! every device-code state, the errors a real tenant gives, and masked numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/graph_server.rs"]
mod graph_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use graph_server::{ADELE, ADELE_UPN, GraphServer, Reply};
use phonedesk::domain::{DefaultMethod, Edit, PhoneNumber, PhoneType, SmsSignInState, Timestamp};
use phonedesk::graph::GraphError;
use phonedesk::graph::auth::{self, CachedTokens, FixedToken, Login, Tokens};
use phonedesk::graph::http::{CALL_TIMEOUT, GraphClient};
use phonedesk::graph::tenant::GraphTenant;

fn never() -> bool {
    false
}

fn tenant(server: &GraphServer) -> GraphTenant {
    GraphTenant {
        client: GraphClient::new(
            &server.url,
            Arc::new(FixedToken("test-token".into())),
            CALL_TIMEOUT,
        ),
        name: "contoso.onmicrosoft.com".into(),
    }
}

#[test]
fn a_user_is_read_by_upn_then_by_object_id_with_a_bearer_token() {
    let server = GraphServer::start();
    server.adele("phone-methods-list");
    let remote = tenant(&server)
        .user(ADELE_UPN, Timestamp(0), &never)
        .unwrap();
    assert_eq!(remote.id, ADELE);
    assert_eq!(remote.user.display_name, "Adele Vance");
    assert_eq!(remote.user.phone_methods.len(), 3);
    assert_eq!(remote.sms_state, Some(SmsSignInState::Ready));
    assert_eq!(remote.other_default.as_deref(), Some("push"));
    assert!(remote.roles_known);
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/v1.0/users/AdeleV%40contoso.com");
    assert!(
        requests[0].query().contains("accountEnabled"),
        "{}",
        requests[0].query()
    );
    // Everything after the first call names the object id.
    for r in &requests[1..] {
        assert!(r.path().contains(ADELE), "{}", r.target);
    }
    for r in &requests {
        assert_eq!(r.header("authorization"), Some("Bearer test-token"));
        assert_eq!(r.method, "GET");
    }
}

#[test]
fn search_follows_next_links_with_consistency_level_on_every_page() {
    let server = GraphServer::start();
    server.search_pages();
    let found = tenant(&server).search("oscar", 50, &never).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    for r in &requests {
        assert_eq!(
            r.header("consistencylevel"),
            Some("eventual"),
            "{}",
            r.target
        );
    }
    let first = graph_server::decode(requests[0].query());
    assert!(
        first.contains("$search=\"displayName:oscar\" OR \"userPrincipalName:oscar\""),
        "{first}"
    );
    assert!(first.contains("$count=true"), "{first}");
    // The next link is followed as given, whole.
    assert!(
        requests[1]
            .target
            .contains("$skiptoken=X%274453707402000100000017"),
        "{}",
        requests[1].target
    );
    assert_eq!(found.count, Some(7));
    assert!(found.rows.len() >= 2);
    assert_eq!(found.rows[0].upn, "oscarward@contoso.com");
    assert!(found.note.is_none());
}

#[test]
fn a_search_stops_at_its_limit_and_says_more_remain() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on_query(
        "GET",
        "/v1.0/users",
        "$search",
        vec![Reply::fixture("users-search-page-1", base)],
    );
    let found = tenant(&server).search("oscar", 1, &never).unwrap();
    assert_eq!(found.rows.len(), 1);
    assert!(found.more);
    assert_eq!(
        server.requests().len(),
        1,
        "the second page is not fetched before it is needed"
    );
}

#[test]
fn digits_search_the_directory_phone_and_say_authentication_phones_cannot_be_searched() {
    let server = GraphServer::start();
    server.on_query(
        "GET",
        "/v1.0/users",
        "startsWith(mobilePhone",
        vec![Reply::json(200, &serde_json::json!({"value": []}))],
    );
    let found = tenant(&server).search("425 555", 10, &never).unwrap();
    let query = graph_server::decode(server.requests()[0].query());
    assert!(
        query.contains("startsWith(mobilePhone,'425555') or startsWith(mobilePhone,'+425555')"),
        "{query}"
    );
    assert!(
        found
            .note
            .unwrap()
            .contains("cannot search authentication phones")
    );
}

#[test]
fn a_throttled_call_waits_as_retry_after_says_then_succeeds() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![
            Reply::fixture("error-throttled", base),
            Reply::fixture("error-unavailable", base),
            Reply::fixture("user-get", base),
        ],
    );
    let started = Instant::now();
    let remote = tenant(&server).user(ADELE, Timestamp(0), &never).unwrap();
    // 0.2 s (429) and 0.1 s (503), fractional seconds honoured.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(remote.id, ADELE);
    let gets = server
        .requests()
        .iter()
        .filter(|r| r.path() == format!("/v1.0/users/{ADELE}"))
        .count();
    assert_eq!(gets, 3);
}

#[test]
fn throttling_that_does_not_end_is_a_message_after_bounded_retries() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-throttled", base)],
    );
    let err = tenant(&server)
        .user(ADELE, Timestamp(0), &never)
        .unwrap_err();
    assert!(matches!(err, GraphError::Throttled { .. }), "{err:?}");
    assert!(err.to_string().contains("throttling"), "{err}");
    assert_eq!(server.requests().len(), 4, "one call and three retries");
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-unavailable", base)],
    );
    let err = tenant(&server)
        .user(ADELE, Timestamp(0), &never)
        .unwrap_err();
    assert_eq!(err, GraphError::Unavailable { status: 503 });
}

#[test]
fn esc_ends_a_retry_wait_at_once() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-throttled", base).header("Retry-After", "20")],
    );
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let setter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        flag.store(true, Ordering::SeqCst);
    });
    let started = Instant::now();
    let err = tenant(&server)
        .user(ADELE, Timestamp(0), &|| cancel.load(Ordering::SeqCst))
        .unwrap_err();
    setter.join().unwrap();
    assert_eq!(err, GraphError::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

fn expired_cache(dir: &std::path::Path, server: &GraphServer) -> (std::path::PathBuf, Login) {
    let login = Login {
        url: server.url.clone(),
        tenant: "contoso.onmicrosoft.com".into(),
        client_id: auth::DEFAULT_CLIENT_ID.into(),
    };
    let path = auth::cache_path(dir, &login.tenant);
    auth::save(
        &path,
        &Tokens {
            access_token: "old-access".into(),
            refresh_token: Some("old-refresh".into()),
            expires_at: i64::MAX / 2,
            account: Some("helpdesk@contoso.example".into()),
            tenant: login.tenant.clone(),
            client_id: login.client_id.clone(),
        },
    )
    .unwrap();
    (path, login)
}

#[test]
fn a_401_refreshes_the_token_once_saves_it_and_repeats_the_call() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![
            Reply::fixture("error-unauthorized", base),
            Reply::fixture("user-get", base),
        ],
    );
    server.on(
        "POST",
        "/contoso.onmicrosoft.com/oauth2/v2.0/token",
        vec![Reply::fixture("token-success", base)],
    );
    let dir = tempfile::tempdir().unwrap();
    let (path, login) = expired_cache(dir.path(), &server);
    let tokens = CachedTokens::open(path.clone(), login, "User.Read.All").unwrap();
    let graph = GraphTenant {
        client: GraphClient::new(&server.url, Arc::new(tokens), CALL_TIMEOUT),
        name: "contoso.onmicrosoft.com".into(),
    };
    graph.user(ADELE, Timestamp(0), &never).unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer old-access")
    );
    let refresh = requests
        .iter()
        .find(|r| r.path().ends_with("/token"))
        .unwrap();
    let form = graph_server::decode(&refresh.body);
    assert!(form.contains("grant_type=refresh_token"), "{form}");
    assert!(form.contains("refresh_token=old-refresh"), "{form}");
    let after = &requests[2];
    assert!(after.header("authorization").unwrap().ends_with("-access"));
    assert_ne!(after.header("authorization"), Some("Bearer old-access"));
    // The cache holds the new tokens, still readable by the user alone.
    let saved = auth::load(&path).unwrap();
    assert!(saved.access_token.ends_with("Q-access"));
    assert_eq!(saved.account.as_deref(), Some("helpdesk@contoso.example"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_refused_refresh_says_to_sign_in_again() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-unauthorized", base)],
    );
    server.on(
        "POST",
        "/contoso.onmicrosoft.com/oauth2/v2.0/token",
        vec![Reply::fixture("token-invalid-grant", base)],
    );
    let dir = tempfile::tempdir().unwrap();
    let (path, login) = expired_cache(dir.path(), &server);
    let tokens = CachedTokens::open(path, login, "User.Read.All").unwrap();
    let graph = GraphTenant {
        client: GraphClient::new(&server.url, Arc::new(tokens), CALL_TIMEOUT),
        name: "contoso.onmicrosoft.com".into(),
    };
    let err = graph.user(ADELE, Timestamp(0), &never).unwrap_err();
    assert!(matches!(err, GraphError::SignInNeeded { .. }), "{err:?}");
    assert!(err.to_string().contains("phonedesk login"), "{err}");
}

#[test]
fn a_fixed_token_is_never_refreshed() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-unauthorized", base)],
    );
    let err = tenant(&server)
        .user(ADELE, Timestamp(0), &never)
        .unwrap_err();
    assert!(matches!(err, GraphError::SignInNeeded { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

fn login_with(
    server: &GraphServer,
    polls: Vec<Reply>,
) -> (Result<Tokens, GraphError>, Vec<String>, Duration) {
    let base = &server.url;
    server.on(
        "POST",
        "/contoso.onmicrosoft.com/oauth2/v2.0/devicecode",
        vec![Reply::fixture("devicecode", base)],
    );
    server.on("POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token", polls);
    let login = Login {
        url: server.url.clone(),
        tenant: "contoso.onmicrosoft.com".into(),
        client_id: "my-client".into(),
    };
    let mut shown = Vec::new();
    let started = Instant::now();
    let result = auth::device_code(
        &login,
        "offline_access User.Read.All",
        &mut |p| shown.push(format!("{} {}", p.verification_uri, p.user_code)),
        &never,
    );
    (result, shown, started.elapsed())
}

#[test]
fn device_code_polls_while_pending_and_saves_nothing_itself() {
    let server = GraphServer::start();
    let base = &server.url;
    let (tokens, shown, _) = login_with(
        &server,
        vec![
            Reply::fixture("token-authorization-pending", base),
            Reply::fixture("token-success", base),
        ],
    );
    let tokens = tokens.unwrap();
    assert_eq!(shown, ["https://microsoft.com/devicelogin ABCD-EFGH"]);
    assert_eq!(tokens.account.as_deref(), Some("helpdesk@contoso.example"));
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.client_id, "my-client");
    let requests = server.requests();
    let first = graph_server::decode(&requests[0].body);
    assert!(
        first.contains("client_id=my-client")
            && first.contains("scope=offline_access User.Read.All"),
        "{first}"
    );
    let polls: Vec<_> = requests
        .iter()
        .filter(|r| r.path().ends_with("/token"))
        .collect();
    assert_eq!(polls.len(), 2);
    let poll = graph_server::decode(&polls[0].body);
    assert!(
        poll.contains("grant_type=urn:ietf:params:oauth:grant-type:device_code"),
        "{poll}"
    );
    assert!(
        poll.contains("device_code=GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8"),
        "{poll}"
    );
}

#[test]
fn slow_down_adds_five_seconds_to_the_interval() {
    let server = GraphServer::start();
    let base = &server.url;
    let (tokens, _, took) = login_with(
        &server,
        vec![
            Reply::fixture("token-slow-down", base),
            Reply::fixture("token-success", base),
        ],
    );
    tokens.unwrap();
    // 1 s before the first poll, then 1 + 5 s.
    assert!(took >= Duration::from_secs(7), "{took:?}");
}

#[test]
fn declined_expired_and_unknown_codes_end_the_sign_in_with_their_reason() {
    for (fixture, says) in [
        ("token-authorization-declined", "declined"),
        ("token-expired-token", "expired"),
        ("token-bad-verification-code", "did not recognise"),
    ] {
        let server = GraphServer::start();
        let base = &server.url;
        let (tokens, _, _) = login_with(&server, vec![Reply::fixture(fixture, base)]);
        let err = tokens.unwrap_err();
        assert!(
            matches!(err, GraphError::SignInNeeded { .. }),
            "{fixture}: {err:?}"
        );
        assert!(err.to_string().contains(says), "{fixture}: {err}");
        // Microsoft's error_description is never shown.
        assert!(!err.to_string().contains("AADSTS"), "{fixture}: {err}");
    }
}

#[test]
fn edits_send_the_documented_paths_and_bodies() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    let methods = format!("/v1.0/users/{ADELE}/authentication/phoneMethods");
    server.on(
        "POST",
        &methods,
        vec![Reply::fixture("phone-method-created", base)],
    );
    server.on(
        "PATCH",
        &format!("{methods}/b6332ec1-7057-4abe-9331-3d72feddfe41"),
        vec![Reply::fixture("no-content", base)],
    );
    server.on(
        "DELETE",
        &format!("{methods}/e37fc753-ff3b-4958-9484-eaa9425c82bc"),
        vec![Reply::fixture("no-content", base)],
    );
    server.on(
        "POST",
        &format!("{methods}/3179e48a-750b-4051-897c-87b9720928f7/enableSmsSignIn"),
        vec![Reply::fixture("no-content", base)],
    );
    server.on(
        "POST",
        &format!("{methods}/3179e48a-750b-4051-897c-87b9720928f7/disableSmsSignIn"),
        vec![Reply::fixture("no-content", base)],
    );
    server.on(
        "PATCH",
        &format!("/beta/users/{ADELE}/authentication/signInPreferences"),
        vec![Reply::fixture("no-content", base)],
    );
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("no-content", base)],
    );
    let graph = tenant(&server);
    let remote = graph.user(ADELE_UPN, Timestamp(0), &never).unwrap();
    server.clear_requests();
    let number = PhoneNumber::parse("+1 425 555 0100", None).unwrap();
    let edits = [
        Edit::AddPhone {
            slot: PhoneType::Mobile,
            number: number.clone(),
        },
        Edit::UpdatePhone {
            slot: PhoneType::AlternateMobile,
            number: number.clone(),
        },
        Edit::DeletePhone {
            slot: PhoneType::Office,
        },
        Edit::SetSmsSignIn { enabled: true },
        Edit::SetSmsSignIn { enabled: false },
        Edit::SetDefault {
            method: Some(DefaultMethod::VoiceMobile),
        },
        Edit::Block {
            reason: "lost phone".into(),
        },
        Edit::Unblock {
            reason: "found".into(),
        },
    ];
    for edit in &edits {
        graph
            .apply(&remote, edit, &never)
            .unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    }
    let seen: Vec<(String, String, String)> = server
        .requests()
        .into_iter()
        .map(|r| {
            (
                r.method.clone(),
                r.path().replace(ADELE, "ID"),
                r.body.clone(),
            )
        })
        .collect();
    let want = [
        (
            "POST",
            "/v1.0/users/ID/authentication/phoneMethods",
            r#"{"phoneNumber":"+1 4255550100","phoneType":"mobile"}"#,
        ),
        (
            "PATCH",
            "/v1.0/users/ID/authentication/phoneMethods/b6332ec1-7057-4abe-9331-3d72feddfe41",
            r#"{"phoneNumber":"+1 4255550100","phoneType":"alternateMobile"}"#,
        ),
        (
            "DELETE",
            "/v1.0/users/ID/authentication/phoneMethods/e37fc753-ff3b-4958-9484-eaa9425c82bc",
            "",
        ),
        (
            "POST",
            "/v1.0/users/ID/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7/enableSmsSignIn",
            "",
        ),
        (
            "POST",
            "/v1.0/users/ID/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7/disableSmsSignIn",
            "",
        ),
        (
            "PATCH",
            "/beta/users/ID/authentication/signInPreferences",
            r#"{"userPreferredMethodForSecondaryAuthentication":"voiceMobile"}"#,
        ),
        ("PATCH", "/v1.0/users/ID", r#"{"accountEnabled":false}"#),
        ("PATCH", "/v1.0/users/ID", r#"{"accountEnabled":true}"#),
    ];
    assert_eq!(seen.len(), want.len(), "{seen:#?}");
    for ((method, path, body), (m, p, b)) in seen.iter().zip(want) {
        assert_eq!((method.as_str(), path.as_str()), (m, p));
        if b.is_empty() {
            assert!(body.is_empty(), "{path}: {body}");
        } else {
            let sent: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(
                sent,
                serde_json::from_str::<serde_json::Value>(b).unwrap(),
                "{path}"
            );
        }
    }
}

#[test]
fn the_server_accepts_the_qualified_action_name_and_a_upn_too() {
    // The replay server treats `/users/{upn}/…/microsoft.graph.enableSmsSignIn` as Graph does;
    // phonedesk sends the bare name with the object id, which works in every tenant.
    let server = GraphServer::start();
    let base = &server.url;
    server.alias(ADELE_UPN, ADELE);
    let action = format!(
        "/v1.0/users/{ADELE}/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7/enableSmsSignIn"
    );
    server.on("POST", &action, vec![Reply::fixture("no-content", base)]);
    let agent = ureq::Agent::new_with_defaults();
    let qualified = format!(
        "{base}/v1.0/users/{ADELE_UPN}/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7/microsoft.graph.enableSmsSignIn"
    );
    let status = agent
        .post(&qualified)
        .send_empty()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 204);
}

#[test]
fn refusals_say_what_the_tenant_said_and_what_would_allow_it() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    let graph = tenant(&server);
    let remote = graph.user(ADELE, Timestamp(0), &never).unwrap();
    let methods = format!("/v1.0/users/{ADELE}/authentication/phoneMethods");
    server.on(
        "DELETE",
        &format!("{methods}/3179e48a-750b-4051-897c-87b9720928f7"),
        vec![Reply::fixture("error-default-method", base)],
    );
    server.on(
        "POST",
        &methods,
        vec![Reply::fixture("error-forbidden", base)],
    );
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply::fixture("error-not-found", base)],
    );

    let err = graph
        .apply(
            &remote,
            &Edit::DeletePhone {
                slot: PhoneType::Mobile,
            },
            &never,
        )
        .unwrap_err();
    assert!(
        matches!(&err, GraphError::Refused { status: 400, code, .. } if code == "badRequest"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("cannot be deleted until the default authentication method is changed"),
        "{err}"
    );

    let number = PhoneNumber::parse("+1 425 555 0100", None).unwrap();
    let err = graph
        .apply(
            &remote,
            &Edit::AddPhone {
                slot: PhoneType::Mobile,
                number,
            },
            &never,
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("UserAuthMethod-Phone.ReadWrite.All"),
        "{err}"
    );
    assert!(
        err.to_string().contains("Authentication Administrator"),
        "{err}"
    );

    let err = graph
        .apply(&remote, &Edit::Block { reason: "x".into() }, &never)
        .unwrap_err();
    assert!(matches!(err, GraphError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string().contains("does not exist in the tenant"),
        "{err}"
    );
}

#[test]
fn a_role_that_cannot_read_preferences_or_roles_still_shows_the_methods() {
    let server = GraphServer::start();
    let base = &server.url;
    server.adele("phone-methods-list");
    server.on(
        "GET",
        &format!("/beta/users/{ADELE}/authentication/signInPreferences"),
        vec![Reply::fixture("error-forbidden", base)],
    );
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}/memberOf/microsoft.graph.directoryRole"),
        vec![Reply::fixture("error-forbidden", base)],
    );
    let remote = tenant(&server).user(ADELE, Timestamp(0), &never).unwrap();
    assert_eq!(remote.user.phone_methods.len(), 3);
    assert!(!remote.roles_known);
    assert!(remote.other_default.is_none());
    // Without phone methods there is nothing to show: that is a refusal naming the permission.
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}/authentication/phoneMethods"),
        vec![Reply::fixture("error-forbidden", base)],
    );
    let err = tenant(&server)
        .user(ADELE, Timestamp(0), &never)
        .unwrap_err();
    assert!(
        err.to_string().contains("UserAuthMethod-Phone.Read.All"),
        "{err}"
    );
}

#[test]
fn numbers_the_tenant_masks_stay_masked() {
    let server = GraphServer::start();
    server.adele("phone-methods-masked");
    let remote = tenant(&server).user(ADELE, Timestamp(0), &never).unwrap();
    let mobile = remote.user.method(PhoneType::Mobile).unwrap();
    assert!(mobile.phone_number.is_masked_by_tenant());
    assert!(!mobile.phone_number.to_string().contains("XXXX"));
    assert!(mobile.phone_number.to_string().ends_with("55"));
}

#[test]
fn the_sign_in_log_is_read_by_user_and_paced() {
    let server = GraphServer::start();
    let base = &server.url;
    server.on(
        "GET",
        "/v1.0/auditLogs/signIns",
        vec![Reply::fixture("signins-list", base)],
    );
    let graph = tenant(&server);
    let started = Instant::now();
    let first = graph
        .sign_ins(ADELE, "2020-03-01T00:00:00Z", 20, &never)
        .unwrap();
    graph
        .sign_ins(ADELE, "2020-03-01T00:00:00Z", 20, &never)
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(!first.is_empty());
    assert_eq!(
        first[0].correlation_id,
        "d79f5bee-5860-4832-928f-3133e22ae912"
    );
    let query = graph_server::decode(server.requests()[0].query());
    assert!(
        query.contains(&format!(
            "$filter=userId eq '{ADELE}' and createdDateTime ge 2020-03-01T00:00:00Z"
        )),
        "{query}"
    );
}

#[test]
fn no_network_and_garbage_are_messages() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let graph = GraphTenant {
        client: GraphClient::new(&url, Arc::new(FixedToken("t".into())), CALL_TIMEOUT),
        name: "contoso".into(),
    };
    let err = graph.user(ADELE, Timestamp(0), &never).unwrap_err();
    assert!(matches!(err, GraphError::Network(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("cannot reach Microsoft Graph"),
        "{err}"
    );

    let server = GraphServer::start();
    server.on(
        "GET",
        &format!("/v1.0/users/{ADELE}"),
        vec![Reply {
            status: 200,
            headers: Vec::new(),
            body: "<html>captive portal</html>".into(),
            delay: Duration::ZERO,
        }],
    );
    let err = tenant(&server)
        .user(ADELE, Timestamp(0), &never)
        .unwrap_err();
    assert!(matches!(err, GraphError::Malformed(_)), "{err:?}");
}

#[test]
fn a_next_link_to_another_host_is_refused() {
    let server = GraphServer::start();
    server.on_query(
        "GET",
        "/v1.0/users",
        "$search",
        vec![Reply::json(
            200,
            &serde_json::json!({"value": [], "@odata.nextLink": "https://evil.example/v1.0/users?$skiptoken=1"}),
        )],
    );
    let err = tenant(&server).search("oscar", 50, &never).unwrap_err();
    assert!(matches!(err, GraphError::Malformed(_)), "{err:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "the token never goes to another host"
    );
}

/// A client whose calls may take `timeout`.
fn client_with(server: &GraphServer, timeout: Duration) -> GraphClient {
    GraphClient::new(
        &server.url,
        Arc::new(FixedToken("test-token".into())),
        timeout,
    )
}

fn slow(delay: Duration) -> Reply {
    let mut reply = Reply::json(200, &serde_json::json!({"value": []}));
    reply.delay = delay;
    reply
}

#[test]
fn a_call_slower_than_the_timeout_is_a_timeout_and_a_slow_write_may_have_happened() {
    use phonedesk::graph::http::{Call, Verb};
    use phonedesk::graph::permissions::Operation;
    let server = GraphServer::start();
    server.on("GET", "/v1.0/users", vec![slow(Duration::from_secs(5))]);
    server.on(
        "PATCH",
        &format!("/v1.0/users/{ADELE}"),
        vec![slow(Duration::from_secs(5))],
    );
    let client = client_with(&server, Duration::from_secs(1));
    let read = Call::get(
        client.url("v1.0", "/users"),
        Operation::SearchUsers,
        "users",
    );
    let err = client.send(&read, &never).unwrap_err();
    assert_eq!(
        err,
        GraphError::Timeout {
            after: Duration::from_secs(1),
            write: false
        }
    );
    assert!(err.to_string().contains("within 1 s"), "{err}");
    let write = Call {
        verb: Verb::Patch,
        url: client.url("v1.0", &format!("/users/{ADELE}")),
        body: Some(serde_json::json!({"accountEnabled": true})),
        consistency: false,
        op: Operation::BlockUser,
        what: "the user",
    };
    let err = client.send(&write, &never).unwrap_err();
    assert!(
        matches!(err, GraphError::Timeout { write: true, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("may still have been made"),
        "a write that timed out says it may have happened: {err}"
    );
}

#[test]
fn a_slow_read_is_abandoned_as_soon_as_the_operator_stops_waiting() {
    use phonedesk::graph::http::Call;
    use phonedesk::graph::permissions::Operation;
    let server = GraphServer::start();
    server.on("GET", "/v1.0/users", vec![slow(Duration::from_secs(30))]);
    let client = client_with(&server, Duration::from_secs(60));
    let stop = Arc::new(AtomicBool::new(false));
    let esc = Arc::clone(&stop);
    std::thread::scope(|scope| {
        // Esc once the request is at the server.
        scope.spawn(|| {
            while server.requests().is_empty() {
                std::thread::sleep(Duration::from_millis(10));
            }
            esc.store(true, Ordering::SeqCst);
        });
        let started = Instant::now();
        let read = Call::get(
            client.url("v1.0", "/users"),
            Operation::SearchUsers,
            "users",
        );
        let err = client
            .send(&read, &|| stop.load(Ordering::SeqCst))
            .unwrap_err();
        assert_eq!(err, GraphError::Cancelled);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the read did not wait out the tenant's 30 s"
        );
    });
}
