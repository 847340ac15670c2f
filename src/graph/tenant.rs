//! The operations phonedesk asks of a real tenant, each as the documented Graph call (GRAPH.md
//! §1): read a user with their phone methods, change one method, SMS sign-in on or off, the
//! default method (beta), block or unblock sign-in, search users, and read their sign-ins.

use serde_json::{Value, json};

use super::error::GraphError;
use super::http::{Call, GraphClient, Verb, encode};
use super::model::{self, RemoteUser};
use super::permissions::Operation;
use crate::domain::{DefaultMethod, Edit, PhoneType, Timestamp};

/// A tenant reached through Graph.
pub struct GraphTenant {
    pub client: GraphClient,
    /// The tenant as the operator named it (`contoso.onmicrosoft.com` or an id).
    pub name: String,
}

/// A user path segment: the object id, or a UPN (`#` in a guest's UPN encoded; a UPN starting
/// with `$` in the `('…')` form Graph documents).
fn user_path(key: &str) -> String {
    if key.starts_with('$') {
        format!("/users('{}')", encode(key))
    } else {
        format!("/users/{}", encode(key))
    }
}

/// One row of a tenant search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub id: String,
    pub upn: String,
    pub display_name: String,
    pub usage_location: Option<String>,
    pub enabled: Option<bool>,
    pub user_type: Option<String>,
}

/// The outcome of a tenant search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    pub rows: Vec<Found>,
    /// `@odata.count`, when the tenant gave it.
    pub count: Option<u64>,
    /// More rows wait on the server (the list pages in as the operator scrolls).
    pub more: bool,
    /// Said plainly when a query cannot cover what the operator may expect.
    pub note: Option<&'static str>,
}

/// One attempt of the tenant's sign-in log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantSignIn {
    pub at: String,
    pub correlation_id: String,
    /// `status.errorCode`: 0 for success.
    pub error_code: u32,
    pub failure_reason: Option<String>,
    pub additional_details: Option<String>,
    pub app: Option<String>,
}

/// Names typed into the search are matched by Graph's tokenized `$search` on displayName and
/// `startswith` on userPrincipalName; digits only against the directory's mobilePhone.
pub const DIGITS_NOTE: &str = "Graph cannot search authentication phones: digits are matched against each user's directory mobile phone only";

impl GraphTenant {
    fn url(&self, path: &str) -> String {
        self.client.url("v1.0", path)
    }

    /// The user with their phone methods, default method and roles.
    pub fn user(
        &self,
        upn: &str,
        now: Timestamp,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<RemoteUser, GraphError> {
        let what = format!("user {upn}");
        let body = self.client.send(
            &Call::get(
                self.url(&format!(
                    "{}?$select={}",
                    user_path(upn),
                    model::USER_SELECT
                )),
                Operation::ReadUser,
                &what,
            ),
            cancelled,
        )?;
        let id = body
            .body
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or(upn)
            .to_owned();
        let base = user_path(&id);
        let methods = self
            .client
            .send(
                &Call::get(
                    self.url(&format!("{base}/authentication/phoneMethods")),
                    Operation::ReadPhoneMethods,
                    &what,
                ),
                cancelled,
            )?
            .body;
        // Optional views: a tenant or a role that does not show them leaves them unknown.
        let optional = |call: Call<'_>| match self.client.send(&call, cancelled) {
            Ok(reply) => Ok(Some(reply.body)),
            Err(GraphError::Forbidden { .. } | GraphError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        };
        let preferences = optional(Call::get(
            self.client
                .url("beta", &format!("{base}/authentication/signInPreferences")),
            Operation::ReadDefaultMethod,
            &what,
        ))?;
        let roles = optional(Call::get(
            self.url(&format!(
                "{base}/memberOf/microsoft.graph.directoryRole?$select=displayName"
            )),
            Operation::ReadRoles,
            &what,
        ))?
        .map(|list| {
            model::roles(
                list.get("value")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice),
            )
        });
        model::user(&body.body, &methods, preferences.as_ref(), roles, now)
            .map_err(GraphError::Malformed)
    }

    /// Carries out `edit` on `remote` (already checked by phonedesk's rules); returns Graph's
    /// request id for the audit trail.
    pub fn apply(
        &self,
        remote: &RemoteUser,
        edit: &Edit,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<String>, GraphError> {
        let base = user_path(&remote.id);
        let method_url = |slot: PhoneType| {
            self.url(&format!(
                "{base}/authentication/phoneMethods/{}",
                slot.method_id()
            ))
        };
        let what = format!("a phone method of {}", remote.user.upn());
        let write = |verb, url: String, body: Option<Value>, op| Call {
            verb,
            url,
            body,
            consistency: false,
            op,
            what: &what,
        };
        let call = match edit {
            Edit::AddPhone { slot, number } => write(
                Verb::Post,
                self.url(&format!("{base}/authentication/phoneMethods")),
                Some(json!({"phoneNumber": number.to_string(), "phoneType": slot.as_str()})),
                Operation::WritePhoneMethods,
            ),
            Edit::UpdatePhone { slot, number } => write(
                Verb::Patch,
                method_url(*slot),
                Some(json!({"phoneNumber": number.to_string(), "phoneType": slot.as_str()})),
                Operation::WritePhoneMethods,
            ),
            Edit::DeletePhone { slot } => write(
                Verb::Delete,
                method_url(*slot),
                None,
                Operation::WritePhoneMethods,
            ),
            Edit::SetSmsSignIn { enabled } => write(
                Verb::Post,
                format!(
                    "{}/{}",
                    method_url(PhoneType::Mobile),
                    if *enabled {
                        "enableSmsSignIn"
                    } else {
                        "disableSmsSignIn"
                    }
                ),
                None,
                Operation::WritePhoneMethods,
            ),
            Edit::SetDefault { method } => {
                let Some(method) = method else {
                    return Err(GraphError::Refused {
                        status: 0,
                        code: "notSupported".into(),
                        message: "a tenant always keeps a default method; choose another one instead of none".into(),
                    });
                };
                write(
                    Verb::Patch,
                    self.client
                        .url("beta", &format!("{base}/authentication/signInPreferences")),
                    Some(
                        json!({"userPreferredMethodForSecondaryAuthentication": default_name(*method)}),
                    ),
                    Operation::WriteDefaultMethod,
                )
            }
            Edit::Block { .. } | Edit::Unblock { .. } => write(
                Verb::Patch,
                self.url(&base),
                Some(json!({"accountEnabled": matches!(edit, Edit::Unblock { .. })})),
                Operation::BlockUser,
            ),
            Edit::FraudBlock => {
                return Err(GraphError::Refused {
                    status: 0,
                    code: "notSupported".into(),
                    message: "a fraud report happens only in the simulator".into(),
                });
            }
        };
        Ok(self.client.send(&call, cancelled)?.request_id)
    }

    /// Users whose name or UPN starts with `text` (tokenized `$search` on displayName, as Graph
    /// offers), or whose directory mobile phone starts with its digits.
    pub fn search(
        &self,
        text: &str,
        limit: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Search, GraphError> {
        let text = text.trim();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let phone_like = !digits.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || c == '+' || crate::domain::phone::is_separator(c));
        let select =
            "$select=id,userPrincipalName,displayName,usageLocation,accountEnabled,userType";
        let top = limit.clamp(1, 999);
        let (url, note) = if text.is_empty() {
            (format!("/users?{select}&$top={top}&$count=true"), None)
        } else if phone_like {
            // The documented phone-fragment lookup; Graph stores directory phones as typed, so
            // both the digits and the `+`-prefixed digits are tried.
            let filter = format!(
                "startsWith(mobilePhone,'{d}') or startsWith(mobilePhone,'+{d}')",
                d = digits
            );
            (
                format!(
                    "/users?$filter={}&{select}&$top={top}&$count=true",
                    encode(&filter)
                ),
                Some(DIGITS_NOTE),
            )
        } else {
            let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
            let search = format!("\"displayName:{quoted}\" OR \"userPrincipalName:{quoted}\"");
            (
                format!(
                    "/users?$search={}&{select}&$top={top}&$count=true",
                    encode(&search)
                ),
                None,
            )
        };
        let call = Call {
            verb: Verb::Get,
            url: self.url(&url),
            body: None,
            // Needed for $search and $count, and resent on every page.
            consistency: true,
            op: Operation::SearchUsers,
            what: "the users",
        };
        let page = self.client.pages(&call, limit, cancelled)?;
        let rows = page
            .items
            .iter()
            .filter_map(|u| {
                Some(Found {
                    id: u.get("id")?.as_str()?.to_owned(),
                    upn: u.get("userPrincipalName")?.as_str()?.to_owned(),
                    display_name: u
                        .get("displayName")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    usage_location: u
                        .get("usageLocation")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    enabled: u.get("accountEnabled").and_then(Value::as_bool),
                    user_type: u.get("userType").and_then(Value::as_str).map(str::to_owned),
                })
            })
            .collect();
        Ok(Search {
            rows,
            count: page.count,
            more: page.more,
            note,
        })
    }

    /// The user's sign-ins since `since` (RFC 3339), newest first, at most `limit`.
    pub fn sign_ins(
        &self,
        user_id: &str,
        since: &str,
        limit: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Vec<TenantSignIn>, GraphError> {
        let filter = format!(
            "userId eq '{}' and createdDateTime ge {since}",
            user_id.replace('\'', "''")
        );
        let call = Call::get(
            self.url(&format!(
                "/auditLogs/signIns?$filter={}&$top={}",
                encode(&filter),
                limit.clamp(1, 1000)
            )),
            Operation::ReadSignIns,
            "the sign-in log",
        );
        let page = self.client.pages(&call, limit, cancelled)?;
        Ok(page
            .items
            .iter()
            .map(|s| {
                let status = s.get("status");
                let field = |key: &str| {
                    status
                        .and_then(|st| st.get(key))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                };
                TenantSignIn {
                    at: s
                        .get("createdDateTime")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    correlation_id: s
                        .get("correlationId")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    error_code: status
                        .and_then(|st| st.get("errorCode"))
                        .and_then(Value::as_u64)
                        .and_then(|c| u32::try_from(c).ok())
                        .unwrap_or(0),
                    failure_reason: field("failureReason"),
                    additional_details: field("additionalDetails"),
                    app: s
                        .get("appDisplayName")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                }
            })
            .collect())
    }
}

/// The name Graph's signInPreferences uses for a default method.
fn default_name(method: DefaultMethod) -> &'static str {
    method.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_paths_encode_guests_and_dollar_upns() {
        assert_eq!(user_path("kim@contoso.com"), "/users/kim%40contoso.com");
        assert_eq!(
            user_path("kim_contoso.com#EXT#@fabrikam.onmicrosoft.com"),
            "/users/kim_contoso.com%23EXT%23%40fabrikam.onmicrosoft.com"
        );
        assert_eq!(user_path("$x@y.com"), "/users('%24x%40y.com')");
    }
}
