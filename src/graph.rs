//! A real tenant through Microsoft Graph: the directory of record when phonedesk runs with
//! `--tenant` (the embedded sled database stays the default, and keeps phonedesk's own state:
//! the audit of the operator's actions and the simulator's sandbox).
//!
//! - [`http`]: the one client (bearer token, retries on 429/503 with `Retry-After`, paging with
//!   `ConsistencyLevel` on every page, a gentle pace for the sign-in log);
//! - [`auth`]: the device-code sign-in, refresh and the token cache (mode 0600);
//! - [`model`]: Graph's JSON in the domain's words;
//! - [`tenant`]: the documented calls phonedesk makes;
//! - [`error`] and [`permissions`]: what went wrong, in the operator's words.
//!
//! This module sits on the store's floor: it knows the domain and the store's error type, never
//! the simulator.

pub mod auth;
pub mod directory;
pub mod error;
pub mod http;
pub mod model;
pub mod permissions;
pub mod signins;
pub mod tenant;

pub use directory::GraphDirectory;
pub use error::GraphError;
pub use tenant::GraphTenant;

/// The default endpoints (`--graph-url`, `--login-url` change them for national clouds and tests).
pub const DEFAULT_GRAPH_URL: &str = "https://graph.microsoft.com";
pub const DEFAULT_LOGIN_URL: &str = "https://login.microsoftonline.com";

/// Where a real tenant is and how to sign in to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphConfig {
    /// A tenant id or domain (`contoso.onmicrosoft.com`).
    pub tenant: String,
    pub graph_url: String,
    pub login_url: String,
    pub client_id: String,
    /// How long one call may take.
    pub timeout: std::time::Duration,
}
