//! The one way phonedesk talks to Microsoft Graph: a bearer token on every request, the
//! documented retries (429 and 503 with `Retry-After`, fractional seconds allowed; bounded), one
//! refresh of the token on a 401, paging through `@odata.nextLink` with `ConsistencyLevel:
//! eventual` resent on every page, and a gentler pace for the sign-in log, whose limit is much
//! tighter than the directory's.
//!
//! Blocking (ureq): the TUI calls it from its worker thread, the CLI directly. Every wait checks
//! `cancelled`, so Esc in the TUI ends a retry loop at once, and a read in progress is abandoned
//! (a write is waited for, up to the time-out: only its answer says whether it happened).

use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::auth::TokenSource;
use super::error::GraphError;
use super::permissions::Operation;

/// Requests to the authentication-methods APIs "time out after 60 seconds" on Microsoft's side:
/// the longest phonedesk waits for one call unless told otherwise (`--graph-timeout`).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries of a throttled or unavailable call before the operator is told.
const RETRIES: u32 = 3;
/// The longest single wait phonedesk accepts from `Retry-After`.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// The sign-in log allows about 5 requests per 10 s per app and tenant.
const SIGN_IN_LOG_SPACING: Duration = Duration::from_secs(2);
/// Pages followed for one listing, so a huge result cannot keep phonedesk busy for ever.
pub const MAX_PAGES: usize = 50;

/// How often a read in progress looks whether the operator stopped waiting.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// One HTTP answer, before the retries decide what it means.
struct Answer {
    status: u16,
    /// `Retry-After`, when given.
    wait: Option<Duration>,
    value: Value,
    request_id: Option<String>,
}

/// What one exchange needs, owned, so that a read can run on a thread of its own.
struct Exchange {
    agent: ureq::Agent,
    base: String,
    timeout: Duration,
}

/// The HTTP request for `call`, with the bearer `token`.
fn request(call: &Call<'_>, token: &str) -> Result<ureq::http::Request<String>, GraphError> {
    let method = match call.verb {
        Verb::Get => "GET",
        Verb::Post => "POST",
        Verb::Patch => "PATCH",
        Verb::Delete => "DELETE",
    };
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(&call.url)
        .header("Authorization", format!("Bearer {token}"))
        .header("Accept", "application/json");
    if call.consistency {
        request = request.header("ConsistencyLevel", "eventual");
    }
    let payload = call.body.as_ref().map(Value::to_string);
    if payload.is_some() {
        request = request.header("Content-Type", "application/json");
    }
    request
        .body(payload.unwrap_or_default())
        .map_err(|e| GraphError::Network(format!("bad request for {}: {e}", call.url)))
}

impl Exchange {
    fn run(&self, request: ureq::http::Request<String>) -> Result<Answer, GraphError> {
        let url = request.uri().to_string();
        let timeout = GraphError::Timeout {
            after: self.timeout,
            write: request.method() != ureq::http::Method::GET,
        };
        let mut response = self.agent.run(request).map_err(|e| match e {
            ureq::Error::Timeout(_) => timeout.clone(),
            ureq::Error::HostNotFound => {
                GraphError::Network(format!("{} was not found", self.base))
            }
            other => GraphError::Network(other.to_string()),
        })?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let wait = retry_after(header("retry-after").as_deref());
        let request_id = header("request-id").or_else(|| header("client-request-id"));
        let bytes = response.body_mut().read_to_vec().map_err(|e| match e {
            ureq::Error::Timeout(_) => timeout,
            other => GraphError::Network(other.to_string()),
        })?;
        let value = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|e| GraphError::Malformed(format!("{url}: {e}")))?
        };
        let request_id = request_id.or_else(|| {
            value
                .pointer("/error/innerError/request-id")
                .or_else(|| value.pointer("/error/innererror/request-id"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        Ok(Answer {
            status,
            wait,
            value,
            request_id,
        })
    }
}

/// A response: its status, body and Graph's request id (kept in the local audit trail).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
}

/// Items of a paged listing.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Value>,
    /// `@odata.count`, when asked for and given.
    pub count: Option<u64>,
    /// More items were left unread.
    pub more: bool,
}

/// HTTP verbs Graph's phone-method APIs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

pub struct GraphClient {
    agent: ureq::Agent,
    /// How long one call may take (for the message when it did not answer in time).
    timeout: Duration,
    /// `https://graph.microsoft.com` or a national cloud's, or a test server's.
    base: String,
    tokens: Arc<dyn TokenSource>,
    last_sign_in_log_call: Mutex<Option<Instant>>,
}

/// The agent every phonedesk HTTP call uses: timeouts always, status codes as answers.
pub fn agent() -> ureq::Agent {
    agent_with(CALL_TIMEOUT)
}

/// [`agent`] with calls that may take up to `timeout`.
fn agent_with(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(CONNECT_TIMEOUT.min(timeout)))
        .http_status_as_error(false)
        .user_agent(concat!("phonedesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Sleeps `wait` in short steps, stopping early when `cancelled`.
pub fn pause(wait: Duration, cancelled: &dyn Fn() -> bool) -> Result<(), GraphError> {
    let until = Instant::now() + wait;
    while Instant::now() < until {
        if cancelled() {
            return Err(GraphError::Cancelled);
        }
        std::thread::sleep((until - Instant::now()).min(Duration::from_millis(100)));
    }
    if cancelled() {
        return Err(GraphError::Cancelled);
    }
    Ok(())
}

/// Reads `Retry-After`: whole or fractional seconds (Graph sends `2.128`).
pub fn retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: f64 = value?.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One request: where, what it carries, and what it is for (for messages).
pub struct Call<'a> {
    pub verb: Verb,
    pub url: String,
    pub body: Option<Value>,
    /// Sends `ConsistencyLevel: eventual` (advanced queries: `$search`, `$count`).
    pub consistency: bool,
    pub op: Operation,
    /// What is acted on, as a 404 names it.
    pub what: &'a str,
}

impl<'a> Call<'a> {
    pub fn get(url: String, op: Operation, what: &'a str) -> Self {
        Self {
            verb: Verb::Get,
            url,
            body: None,
            consistency: false,
            op,
            what,
        }
    }
}

/// What a failed call says: status, and Graph's error code and message when there is a body.
fn failure(status: u16, body: &Value, op: Operation, what: &str) -> GraphError {
    let code = body
        .pointer("/error/code")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let message = body
        .pointer("/error/message")
        .and_then(Value::as_str)
        .map(crate::domain::sanitize::display_safe)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default();
    match status {
        401 => GraphError::SignInNeeded {
            message: if message.is_empty() { code } else { message },
        },
        403 => GraphError::Forbidden {
            needs: op.needs().to_owned(),
            message,
        },
        404 => GraphError::NotFound {
            what: what.to_owned(),
        },
        429 => GraphError::Throttled { retry_after: None },
        500..=599 => GraphError::Unavailable { status },
        _ => GraphError::Refused {
            status,
            code: if code.is_empty() {
                "error".into()
            } else {
                code
            },
            message,
        },
    }
}

impl GraphClient {
    /// A client of the Graph at `base`, each call allowed `timeout`.
    pub fn new(base: &str, tokens: Arc<dyn TokenSource>, timeout: Duration) -> Self {
        Self {
            agent: agent_with(timeout),
            timeout,
            base: base.trim_end_matches('/').to_owned(),
            tokens,
            last_sign_in_log_call: Mutex::new(None),
        }
    }

    /// The base URL (for messages and the title bar).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The signed-in account, when the token says.
    pub fn account(&self) -> Option<String> {
        self.tokens.account()
    }

    /// `version` is `v1.0` or `beta`; `path` starts with `/`.
    pub fn url(&self, version: &str, path: &str) -> String {
        format!("{}/{version}{path}", self.base)
    }

    /// One exchange with Graph. A read runs on a thread of its own and is abandoned when
    /// `cancelled` (Esc in the TUI need not wait for a slow tenant; reading changes nothing). A
    /// write is waited for: once sent, only its answer tells whether it happened.
    fn attempt(&self, call: &Call<'_>, cancelled: &dyn Fn() -> bool) -> Result<Answer, GraphError> {
        let token = self.tokens.access_token()?;
        let request = request(call, &token)?;
        let exchange = Exchange {
            agent: self.agent.clone(),
            base: self.base.clone(),
            timeout: self.timeout,
        };
        if call.verb != Verb::Get {
            return exchange.run(request);
        }
        let (answer, answered) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("phonedesk-graph-read".into())
            .spawn(move || {
                let _ = answer.send(exchange.run(request));
            })
            .map_err(|e| GraphError::Network(format!("cannot start a request: {e}")))?;
        loop {
            match answered.recv_timeout(CANCEL_POLL) {
                Ok(result) => return result,
                Err(RecvTimeoutError::Timeout) if cancelled() => {
                    return Err(GraphError::Cancelled);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(GraphError::Network("the request stopped unanswered".into()));
                }
            }
        }
    }

    /// Sends one request with the documented retries; any 2xx is success (the docs disagree on
    /// 200, 201 and 204).
    pub fn send(&self, call: &Call<'_>, cancelled: &dyn Fn() -> bool) -> Result<Reply, GraphError> {
        let url = call.url.as_str();
        if url.contains("/auditLogs/") {
            self.pace_sign_in_log(cancelled)?;
        }
        let mut refreshed = false;
        let mut tries = 0;
        loop {
            if cancelled() {
                return Err(GraphError::Cancelled);
            }
            let Answer {
                status,
                wait,
                value,
                request_id,
            } = self.attempt(call, cancelled)?;
            match status {
                200..=299 => {
                    return Ok(Reply {
                        status,
                        body: value,
                        request_id,
                    });
                }
                401 if !refreshed && self.tokens.refresh()? => refreshed = true,
                429 | 503 | 504 if tries < RETRIES => {
                    tries += 1;
                    // "Wait the number of seconds specified", else back off exponentially.
                    let wait = wait
                        .unwrap_or(Duration::from_secs(1 << tries))
                        .min(MAX_WAIT);
                    pause(wait, cancelled)?;
                }
                429 => return Err(GraphError::Throttled { retry_after: wait }),
                _ => return Err(failure(status, &value, call.op, call.what)),
            }
        }
    }

    /// Follows `@odata.nextLink` from `first` (whole URLs, as Microsoft says), resending
    /// `ConsistencyLevel` on every page when asked; stops after `max_items` or [`MAX_PAGES`].
    /// Returns the items, `@odata.count` when the first page had it, and whether more remain.
    pub fn pages(
        &self,
        first: &Call<'_>,
        max_items: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Page, GraphError> {
        let mut items = Vec::new();
        let mut count = None;
        let mut next = Some(first.url.clone());
        let mut pages = 0;
        while let Some(url) = next.take() {
            if !url.starts_with(&self.base) {
                return Err(GraphError::Malformed(format!(
                    "a next page outside {}",
                    self.base
                )));
            }
            let call = Call {
                url,
                body: None,
                ..*first
            };
            let page = self.send(&call, cancelled)?.body;
            if count.is_none() {
                count = page.get("@odata.count").and_then(Value::as_u64);
            }
            if let Some(values) = page.get("value").and_then(Value::as_array) {
                items.extend(values.iter().cloned());
            }
            pages += 1;
            next = page
                .get("@odata.nextLink")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if items.len() >= max_items || pages >= MAX_PAGES {
                let more = next.is_some() || items.len() > max_items;
                items.truncate(max_items);
                return Ok(Page { items, count, more });
            }
        }
        Ok(Page {
            items,
            count,
            more: false,
        })
    }

    fn pace_sign_in_log(&self, cancelled: &dyn Fn() -> bool) -> Result<(), GraphError> {
        let wait = {
            let mut last = self
                .last_sign_in_log_call
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let wait = last
                .map(|t| SIGN_IN_LOG_SPACING.saturating_sub(now.duration_since(t)))
                .unwrap_or_default();
            *last = Some(now + wait);
            wait
        };
        pause(wait, cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_fractional_seconds() {
        assert_eq!(
            retry_after(Some("2.128")),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(retry_after(Some("5")), Some(Duration::from_secs(5)));
        assert_eq!(retry_after(Some("soon")), None);
        assert_eq!(retry_after(Some("-1")), None);
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("\"displayName:priya\""), "%22displayName%3Apriya%22");
        assert_eq!(encode("a b&c"), "a%20b%26c");
        assert_eq!(encode("kim.akers-1_~"), "kim.akers-1_~");
    }

    #[test]
    fn failures_branch_on_status_and_code_not_on_the_message() {
        let body: Value = serde_json::from_str(
            r#"{"error": {"code": "badRequest", "message": "The requested authentication method id of [x] matches the user's current default authentication method, and cannot be deleted until the default authentication method is changed"}}"#,
        )
        .unwrap();
        match failure(400, &body, Operation::WritePhoneMethods, "the mobile phone") {
            GraphError::Refused {
                status,
                code,
                message,
            } => {
                assert_eq!((status, code.as_str()), (400, "badRequest"));
                assert!(message.contains("default authentication method"));
            }
            other => panic!("{other:?}"),
        }
        let op = Operation::ReadUser;
        assert!(matches!(
            failure(404, &Value::Null, op, "x"),
            GraphError::NotFound { .. }
        ));
        assert!(matches!(
            failure(401, &Value::Null, op, "x"),
            GraphError::SignInNeeded { .. }
        ));
        assert!(matches!(
            failure(503, &Value::Null, op, "x"),
            GraphError::Unavailable { status: 503 }
        ));
        match failure(403, &Value::Null, Operation::ReadSignIns, "x") {
            GraphError::Forbidden { needs, .. } => assert!(needs.contains("AuditLog.Read.All")),
            other => panic!("{other:?}"),
        }
    }
}
