//! A loopback Microsoft Graph for tests: a small HTTP/1.1 server on 127.0.0.1 that answers from
//! a route table with responses shaped exactly as Microsoft documents them (the fixtures in
//! `tests/graph_fixtures/`, each naming its source; made-up ones say `"synthetic": true`), and
//! records every request so a test can check paths, headers and bodies.
//!
//! Like Graph, it accepts a user by object id or by UPN (see [`GraphServer::alias`]) and an
//! action by its bare or its `microsoft.graph.`-qualified name.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Waits this long before answering (for time-outs and cancellation).
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A fixture from `tests/graph_fixtures/NAME.json`: `{"source", "synthetic", "status",
    /// "headers", "body"}`; `{base}` in the body becomes the server's own URL (next links).
    pub fn fixture(name: &str, base: &str) -> Self {
        let path = format!(
            "{}/tests/graph_fixtures/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let file: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(file.get("source").is_some(), "{path} names no source");
        assert!(
            file.get("synthetic").is_some(),
            "{path} does not say whether it is synthetic"
        );
        let status = file["status"].as_u64().unwrap() as u16;
        let headers = file
            .get("headers")
            .and_then(|h| h.as_object())
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let body = match &file["body"] {
            serde_json::Value::Null => String::new(),
            other => other.to_string().replace("{base}", base),
        };
        Self {
            status,
            headers,
            body,
            delay: Duration::ZERO,
        }
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or(&self.target)
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

struct Route {
    method: String,
    path: String,
    /// Matches only when the (decoded) query contains this.
    query_has: Option<String>,
    replies: VecDeque<Reply>,
}

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    requests: Vec<Recorded>,
    /// (UPN, object id): a path naming the UPN is matched as if it named the id.
    aliases: Vec<(String, String)>,
}

pub struct GraphServer {
    pub url: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl Drop for GraphServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

/// Percent-decoding, for matching (the recorded target keeps the bytes as sent).
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Adele Vance, the user of Microsoft's examples: her object id and UPN.
pub const ADELE: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
pub const ADELE_UPN: &str = "AdeleV@contoso.com";

impl GraphServer {
    /// Adele Vance as the docs show her, reachable by id and UPN.
    pub fn adele(&self, methods: &str) {
        let base = &self.url;
        self.alias(ADELE_UPN, ADELE);
        self.on(
            "GET",
            &format!("/v1.0/users/{ADELE}"),
            vec![Reply::fixture("user-get", base)],
        );
        self.on(
            "GET",
            &format!("/v1.0/users/{ADELE}/authentication/phoneMethods"),
            vec![Reply::fixture(methods, base)],
        );
        self.on(
            "GET",
            &format!("/beta/users/{ADELE}/authentication/signInPreferences"),
            vec![Reply::fixture("signin-preferences", base)],
        );
        self.on(
            "GET",
            &format!("/v1.0/users/{ADELE}/memberOf/microsoft.graph.directoryRole"),
            vec![Reply::json(200, &serde_json::json!({"value": []}))],
        );
    }

    /// Adele with her account disabled (`accountEnabled: false`): the tenant's own block.
    pub fn adele_disabled(&self) {
        self.adele("phone-methods-list");
        let mut blocked = Reply::fixture("user-get", &self.url);
        let mut body: serde_json::Value = serde_json::from_str(&blocked.body).unwrap();
        body["accountEnabled"] = serde_json::json!(false);
        blocked.body = body.to_string();
        self.on("GET", &format!("/v1.0/users/{ADELE}"), vec![blocked]);
    }

    /// The documented two-page search answer: a `$search` query gets page 1, whose next link
    /// (with `$skiptoken`) gets page 2.
    pub fn search_pages(&self) {
        let base = &self.url;
        self.on_query(
            "GET",
            "/v1.0/users",
            "$search",
            vec![Reply::fixture("users-search-page-1", base)],
        );
        self.on_query(
            "GET",
            "/v1.0/users",
            "$skiptoken",
            vec![Reply::fixture("users-search-page-2", base)],
        );
    }

    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let s = Arc::clone(&s);
                    std::thread::spawn(move || serve(stream, &s));
                }
            }
        });
        Self { url, state, stop }
    }

    /// Answers `method` on `path` (no query) with `replies` in turn; the last one repeats.
    pub fn on(&self, method: &str, path: &str, replies: Vec<Reply>) {
        self.route(method, path, None, replies);
    }

    /// Like [`GraphServer::on`], only for requests whose decoded query contains `query_has`.
    pub fn on_query(&self, method: &str, path: &str, query_has: &str, replies: Vec<Reply>) {
        self.route(method, path, Some(query_has.to_owned()), replies);
    }

    fn route(&self, method: &str, path: &str, query_has: Option<String>, replies: Vec<Reply>) {
        let mut state = self.state.lock().unwrap();
        // A newer route for the same request wins.
        state.routes.insert(
            0,
            Route {
                method: method.to_owned(),
                path: path.to_owned(),
                query_has,
                replies: replies.into(),
            },
        );
    }

    /// A user named by `upn` in a path is the user with object id `id`.
    pub fn alias(&self, upn: &str, id: &str) {
        self.state
            .lock()
            .unwrap()
            .aliases
            .push((upn.to_ascii_lowercase(), id.to_owned()));
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.state.lock().unwrap().requests.clear();
    }
}

/// The path as routes are written: decoded, a UPN replaced by its object id, and an action's
/// `microsoft.graph.` prefix dropped.
fn normal_path(path: &str, aliases: &[(String, String)]) -> String {
    let mut path = decode(path);
    for (upn, id) in aliases {
        for form in [format!("/users('{upn}')"), format!("/users/{upn}")] {
            if let Some(at) = path.to_ascii_lowercase().find(&form) {
                let rest = &path[at + form.len()..];
                // A whole segment only: `/users/kim@x` but not `/users/kim@x.example2`.
                if rest.is_empty() || rest.starts_with('/') {
                    path = format!("{}/users/{id}{rest}", &path[..at]);
                }
            }
        }
    }
    path.replace("/microsoft.graph.enableSmsSignIn", "/enableSmsSignIn")
        .replace("/microsoft.graph.disableSmsSignIn", "/disableSmsSignIn")
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return;
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let recorded = Recorded {
        method: method.clone(),
        target: target.clone(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let reply = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded.clone());
        let path = normal_path(recorded.path(), &state.aliases);
        let query = decode(recorded.query());
        let route = state.routes.iter_mut().find(|r| {
            r.method == method
                && r.path == path
                && r.query_has
                    .as_ref()
                    .is_none_or(|q| query.contains(q.as_str()))
        });
        match route {
            Some(route) if route.replies.len() > 1 => route.replies.pop_front().unwrap(),
            Some(route) => route.replies.front().cloned().unwrap(),
            None => Reply::json(
                404,
                &serde_json::json!({"error": {"code": "itemNotFound", "message": format!("(replay server) no route for {method} {path}")}}),
            ),
        }
    };
    std::thread::sleep(reply.delay);
    let reason = match reply.status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nConnection: close\r\nContent-Length: {}\r\n",
        reply.status,
        reply.body.len()
    );
    if !reply.body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(reply.body.as_bytes());
    let _ = out.flush();
}
