//! What can go wrong talking to a real tenant, in the operator's words.
//!
//! Graph's error bodies are `{"error": {"code", "message", "innerError": {...}}}`; phonedesk
//! branches on the status and `code` only, never on the message (which Microsoft says may
//! change), and shows the message as Graph wrote it where it explains a refusal (400, 409).

use std::time::Duration;

use crate::store::StoreError;

/// Why a call to Microsoft Graph (or its sign-in endpoint) did not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// 401, also after a refresh: the operator must sign in again.
    SignInNeeded { message: String },
    /// 403: the signed-in account or the app lacks a permission or role.
    Forbidden { needs: String, message: String },
    /// 404: no such user or method.
    NotFound { what: String },
    /// 400, 409 and other refusals: Graph's own message.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    /// 429, still after the retries Retry-After allowed.
    Throttled { retry_after: Option<Duration> },
    /// 5xx, still after retries.
    Unavailable { status: u16 },
    /// No answer within `after`. A write may still have been made by the tenant.
    Timeout { after: Duration, write: bool },
    /// No connection (no network, a wrong URL, TLS).
    Network(String),
    /// An answer phonedesk cannot read.
    Malformed(String),
    /// The operator cancelled (Esc) while waiting.
    Cancelled,
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignInNeeded { message } => write!(
                f,
                "the tenant did not accept the sign-in ({message}); run `phonedesk login` again"
            ),
            Self::Forbidden { needs, message } => {
                write!(f, "the tenant refused: {needs}")?;
                if !message.is_empty() {
                    write!(f, " ({message})")?;
                }
                Ok(())
            }
            Self::NotFound { what } => write!(f, "{what} does not exist in the tenant"),
            Self::Refused {
                status,
                code,
                message,
            } => write!(f, "the tenant refused ({status} {code}): {message}"),
            Self::Throttled { retry_after } => match retry_after {
                Some(d) => write!(
                    f,
                    "Microsoft Graph is throttling requests; try again in {} s",
                    d.as_secs().max(1)
                ),
                None => write!(
                    f,
                    "Microsoft Graph is throttling requests; try again shortly"
                ),
            },
            Self::Unavailable { status } => write!(
                f,
                "Microsoft Graph is not available right now ({status}); try again shortly"
            ),
            Self::Timeout {
                after,
                write: false,
            } => write!(
                f,
                "Microsoft Graph did not answer within {} s; try again",
                after.as_secs()
            ),
            // The request went out: the tenant may have made the change all the same.
            Self::Timeout { after, write: true } => write!(
                f,
                "Microsoft Graph did not answer within {} s; the change may still have been made: look at the user again before you repeat it",
                after.as_secs()
            ),
            Self::Network(why) => write!(f, "cannot reach Microsoft Graph: {why}"),
            Self::Malformed(why) => write!(
                f,
                "Microsoft Graph sent an answer phonedesk cannot read: {why}"
            ),
            // Cancelled calls were not sent, or were refused (a throttled one): nothing changed.
            Self::Cancelled => write!(
                f,
                "stopped waiting for the tenant; nothing more was sent to it"
            ),
        }
    }
}

impl std::error::Error for GraphError {}

impl From<GraphError> for StoreError {
    /// A refusal or an outage of the tenant is a message the session survives; none of these is
    /// the local database failing.
    fn from(e: GraphError) -> Self {
        match e {
            GraphError::NotFound { what } => Self::NotFound {
                upn: what,
                suggestions: Vec::new(),
            },
            GraphError::SignInNeeded { .. }
            | GraphError::Forbidden { .. }
            | GraphError::Refused { .. } => Self::Tenant(e.to_string()),
            other => Self::Unavailable(other.to_string()),
        }
    }
}
