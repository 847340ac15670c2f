//! Signing in to a real tenant: the OAuth device-code flow, refresh, and the token cache.
//!
//! `phonedesk login` asks the login endpoint for a code, prints it with the address to enter it
//! at, and polls until the operator has signed in (handling `authorization_pending`,
//! `slow_down`, `authorization_declined`, `expired_token` and `bad_verification_code`). The
//! tokens go to a file in the config directory that only the user can read (mode 0600), written
//! atomically; an access token is refreshed with the refresh token when it expires, and
//! `phonedesk logout` deletes the file. `PHONEDESK_GRAPH_TOKEN` gives an access token to use as
//! it is, for scripts (no cache, no refresh). Tokens are never printed or logged.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::GraphError;
use super::http::{agent, encode, pause};

/// Microsoft's own public client for command-line access to Graph ("Microsoft Graph Command
/// Line Tools"), usable with the device-code flow in any tenant that allows it. An organisation
/// that registers its own app sets `PHONEDESK_CLIENT_ID` (or `--client-id`).
pub const DEFAULT_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
/// Refresh this long before the token says it expires.
const EARLY: i64 = 60;

/// Where access tokens come from.
pub trait TokenSource: Send + Sync {
    /// A token to send now.
    fn access_token(&self) -> Result<String, GraphError>;
    /// Gets a fresh token after a 401; false when there is no way to (a fixed token).
    fn refresh(&self) -> Result<bool, GraphError>;
    /// The signed-in account, when known.
    fn account(&self) -> Option<String>;
}

/// `PHONEDESK_GRAPH_TOKEN`: used as it is.
pub struct FixedToken(pub String);

impl TokenSource for FixedToken {
    fn access_token(&self) -> Result<String, GraphError> {
        Ok(self.0.clone())
    }

    fn refresh(&self) -> Result<bool, GraphError> {
        Ok(false)
    }

    fn account(&self) -> Option<String> {
        None
    }
}

/// The login endpoint of a tenant: `https://login.microsoftonline.com/{tenant}/oauth2/v2.0`.
#[derive(Clone, Debug)]
pub struct Login {
    pub url: String,
    pub tenant: String,
    pub client_id: String,
}

impl Login {
    fn endpoint(&self, what: &str) -> String {
        format!(
            "{}/{}/oauth2/v2.0/{what}",
            self.url.trim_end_matches('/'),
            encode(&self.tenant)
        )
    }
}

/// What the cache file holds. `Debug` and `Display` never show the tokens.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Seconds since the epoch.
    pub expires_at: i64,
    pub account: Option<String>,
    pub tenant: String,
    pub client_id: String,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("account", &self.account)
            .field("tenant", &self.tenant)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Display for Tokens {
    /// Never the tokens themselves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in tenant {}",
            self.account.as_deref().unwrap_or("(account unknown)"),
            self.tenant
        )
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Posts a form to the login endpoint; returns the status and the JSON body.
fn post_form(url: &str, form: &[(&str, &str)]) -> Result<(u16, Value), GraphError> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut response = agent()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body)
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => GraphError::Timeout {
                after: super::http::CALL_TIMEOUT,
                write: false,
            },
            other => GraphError::Network(other.to_string()),
        })?;
    let status = response.status().as_u16();
    let bytes = response
        .body_mut()
        .read_to_vec()
        .map_err(|e| GraphError::Network(e.to_string()))?;
    let value = serde_json::from_slice(&bytes)
        .map_err(|e| GraphError::Malformed(format!("the sign-in endpoint: {e}")))?;
    Ok((status, value))
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The signed-in account from an ID token's `preferred_username` (the token is not verified:
/// it only labels the title bar; Graph checks the access token).
fn account_of(id_token: Option<&str>) -> Option<String> {
    let payload = id_token?.split('.').nth(1)?;
    let bytes = base64url(payload)?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    text(&claims, "preferred_username").or_else(|| text(&claims, "upn"))
}

fn base64url(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' | b'+' => Some(62),
        b'_' | b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

fn tokens_from(reply: &Value, login: &Login, previous_refresh: Option<String>) -> Option<Tokens> {
    let access_token = text(reply, "access_token")?;
    let expires_in = reply
        .get("expires_in")
        .and_then(Value::as_i64)
        .unwrap_or(3600);
    Some(Tokens {
        access_token,
        // "Refresh tokens aren't revoked when used … discard the old refresh token."
        refresh_token: text(reply, "refresh_token").or(previous_refresh),
        expires_at: now_secs().saturating_add(expires_in),
        account: account_of(reply.get("id_token").and_then(Value::as_str)),
        tenant: login.tenant.clone(),
        client_id: login.client_id.clone(),
    })
}

/// The sign-in endpoint's error, as a GraphError; never its description (Microsoft: "Never use
/// this field to react to an error").
fn login_failure(status: u16, reply: &Value) -> GraphError {
    let code = text(reply, "error").unwrap_or_else(|| format!("status {status}"));
    let message = match code.as_str() {
        "authorization_declined" => "the sign-in was declined".to_owned(),
        "expired_token" => {
            "the code expired before it was used; run `phonedesk login` again".into()
        }
        "bad_verification_code" => "the sign-in endpoint did not recognise the code".into(),
        "invalid_grant" => "the saved sign-in expired or was revoked".into(),
        "invalid_client" | "unauthorized_client" => format!(
            "the app {} may not sign in to this tenant (set PHONEDESK_CLIENT_ID to your organisation's app)",
            text(reply, "client_id").unwrap_or_else(|| "in use".into())
        ),
        other => other.to_owned(),
    };
    GraphError::SignInNeeded { message }
}

/// What the operator must do to sign in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: Duration,
}

/// The device-code flow, from the first request to the tokens. `show` tells the operator the
/// code; `cancelled` stops the polling.
pub fn device_code(
    login: &Login,
    scopes: &str,
    show: &mut dyn FnMut(&Prompt),
    cancelled: &dyn Fn() -> bool,
) -> Result<Tokens, GraphError> {
    let (status, reply) = post_form(
        &login.endpoint("devicecode"),
        &[("client_id", &login.client_id), ("scope", scopes)],
    )?;
    if !(200..300).contains(&status) {
        return Err(login_failure(status, &reply));
    }
    let device_code = text(&reply, "device_code")
        .ok_or_else(|| GraphError::Malformed("no device_code in the answer".into()))?;
    let expires_in = reply
        .get("expires_in")
        .and_then(Value::as_u64)
        .unwrap_or(900);
    let mut interval = reply
        .get("interval")
        .and_then(Value::as_u64)
        .unwrap_or(5)
        .max(1);
    show(&Prompt {
        user_code: text(&reply, "user_code").unwrap_or_default(),
        verification_uri: text(&reply, "verification_uri").unwrap_or_default(),
        expires_in: Duration::from_secs(expires_in),
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(expires_in);
    loop {
        pause(Duration::from_secs(interval), cancelled)?;
        if std::time::Instant::now() > deadline {
            return Err(login_failure(
                400,
                &serde_json::json!({"error": "expired_token"}),
            ));
        }
        let (status, reply) = post_form(
            &login.endpoint("token"),
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", &login.client_id),
                ("device_code", &device_code),
            ],
        )?;
        if (200..300).contains(&status) {
            return tokens_from(&reply, login, None)
                .ok_or_else(|| GraphError::Malformed("no access_token in the answer".into()));
        }
        match text(&reply, "error").as_deref() {
            Some("authorization_pending") => {}
            // RFC 8628: five seconds more from now on (MSAL does the same).
            Some("slow_down") => interval += 5,
            _ => return Err(login_failure(status, &reply)),
        }
    }
}

/// Exchanges a refresh token for new tokens.
pub fn refresh(login: &Login, refresh_token: &str, scopes: &str) -> Result<Tokens, GraphError> {
    let (status, reply) = post_form(
        &login.endpoint("token"),
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &login.client_id),
            ("refresh_token", refresh_token),
            ("scope", scopes),
        ],
    )?;
    if !(200..300).contains(&status) {
        return Err(login_failure(status, &reply));
    }
    tokens_from(&reply, login, Some(refresh_token.to_owned()))
        .ok_or_else(|| GraphError::Malformed("no access_token in the answer".into()))
}

/// The cache file for a tenant, in the platform config directory.
pub fn cache_path(config_dir: &Path, tenant: &str) -> PathBuf {
    config_dir.join(format!("graph-token-{}.json", file_name_of(tenant)))
}

/// A tenant's name as one file name: letters, digits, `.` and `-` kept, anything else `_`.
pub fn file_name_of(tenant: &str) -> String {
    tenant
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes the cache atomically, readable and writable by the user alone.
pub fn save(path: &Path, tokens: &Tokens) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp-phonedesk");
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(&serde_json::to_vec(tokens).map_err(std::io::Error::other)?)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Reads the cache; `None` when there is none or it cannot be read.
pub fn load(path: &Path) -> Option<Tokens> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Tokens from the cache, refreshed (and saved again) when they expire.
pub struct CachedTokens {
    path: PathBuf,
    login: Login,
    scopes: String,
    tokens: Mutex<Tokens>,
}

impl CachedTokens {
    /// The cache of `login.tenant`, or a message that says to sign in.
    pub fn open(path: PathBuf, login: Login, scopes: &str) -> Result<Self, GraphError> {
        let tokens = load(&path).ok_or_else(|| GraphError::SignInNeeded {
            message: format!("no saved sign-in for tenant {}", login.tenant),
        })?;
        Ok(Self {
            path,
            login,
            scopes: scopes.to_owned(),
            tokens: Mutex::new(tokens),
        })
    }

    fn renew(&self, tokens: &mut Tokens) -> Result<(), GraphError> {
        let refresh_token =
            tokens
                .refresh_token
                .clone()
                .ok_or_else(|| GraphError::SignInNeeded {
                    message: "the saved sign-in expired".into(),
                })?;
        let fresh = refresh(&self.login, &refresh_token, &self.scopes)?;
        // A cache that cannot be written only costs a refresh next time.
        let _ = save(&self.path, &fresh);
        *tokens = fresh;
        Ok(())
    }
}

impl TokenSource for CachedTokens {
    fn access_token(&self) -> Result<String, GraphError> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        if tokens.expires_at - EARLY <= now_secs() {
            self.renew(&mut tokens)?;
        }
        Ok(tokens.access_token.clone())
    }

    fn refresh(&self) -> Result<bool, GraphError> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        self.renew(&mut tokens).map(|()| true)
    }

    fn account(&self) -> Option<String> {
        self.tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .account
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_comes_from_the_id_token() {
        // {"preferred_username":"helpdesk@contoso.example"}
        let token = "eyJhbGciOiJub25lIn0.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJoZWxwZGVza0Bjb250b3NvLmV4YW1wbGUifQ.";
        assert_eq!(
            account_of(Some(token)).as_deref(),
            Some("helpdesk@contoso.example")
        );
        assert_eq!(account_of(Some("garbage")), None);
        assert_eq!(account_of(None), None);
    }

    #[test]
    fn the_cache_is_readable_by_the_user_alone_and_never_shows_tokens() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path(), "contoso.onmicrosoft.com");
        let tokens = Tokens {
            access_token: "secret-access".into(),
            refresh_token: Some("secret-refresh".into()),
            expires_at: 1,
            account: Some("helpdesk@contoso.example".into()),
            tenant: "contoso.onmicrosoft.com".into(),
            client_id: DEFAULT_CLIENT_ID.into(),
        };
        save(&path, &tokens).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(load(&path), Some(tokens.clone()));
        for shown in [tokens.to_string(), format!("{tokens:?}")] {
            assert!(!shown.contains("secret"), "{shown}");
        }
    }
}
