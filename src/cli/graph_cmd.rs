//! Graph mode on the command line: `login` and `logout`, and opening a real tenant as the
//! directory of record for the commands that work on one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Failure, Outcome, output};
use crate::config;
use crate::graph::auth::{self, CachedTokens, FixedToken, Login, TokenSource};
use crate::graph::http::GraphClient;
use crate::graph::{GraphConfig, GraphDirectory, GraphError, GraphTenant, permissions};
use crate::sim::VirtualClock;
use crate::store::Directory;

/// An access token used as it is, for scripts: no cache, no refresh.
pub const TOKEN_ENV: &str = "PHONEDESK_GRAPH_TOKEN";

fn login_of(config: &GraphConfig) -> Login {
    Login {
        url: config.login_url.clone(),
        tenant: config.tenant.clone(),
        client_id: config.client_id.clone(),
    }
}

/// Where the sign-in for `tenant` is saved (the platform config directory, mode 0600).
fn cache_file(tenant: &str) -> Result<PathBuf, Failure> {
    let dir = config::config_dir().ok_or_else(|| {
        Failure::refused("cannot find a config directory for this user to save the sign-in in")
    })?;
    Ok(auth::cache_path(&dir, tenant))
}

/// `phonedesk login`: the device-code flow; the tokens are saved readable by the user alone.
pub fn login(config: &GraphConfig) -> Outcome {
    let path = cache_file(&config.tenant)?;
    let tokens = auth::device_code(
        &login_of(config),
        permissions::SCOPES,
        &mut |prompt| {
            output::line(&format!(
                "To sign in to {}, open {} and enter the code {} (it expires in {} minutes).",
                config.tenant,
                prompt.verification_uri,
                prompt.user_code,
                prompt.expires_in.as_secs().div_ceil(60)
            ));
            output::note("waiting for the sign-in to finish (Ctrl-C to give up)");
        },
        &|| false,
    )
    .map_err(|e| Failure::refused(e.to_string()))?;
    auth::save(&path, &tokens).map_err(|e| {
        Failure::refused(format!(
            "signed in, but the sign-in could not be saved in {}: {e}",
            path.display()
        ))
    })?;
    output::line(&format!(
        "signed in as {}; saved in {} (readable by you alone)",
        tokens, // Display never shows a token
        path.display()
    ));
    Ok(())
}

/// `phonedesk logout`: removes the saved sign-in of the tenant.
pub fn logout(config: &GraphConfig) -> Outcome {
    let path = cache_file(&config.tenant)?;
    match std::fs::remove_file(&path) {
        Ok(()) => {
            output::line(&format!(
                "signed out of {}; removed {}",
                config.tenant,
                path.display()
            ));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            output::line(&format!("not signed in to {}", config.tenant));
            Ok(())
        }
        Err(e) => Err(Failure::refused(format!(
            "cannot remove {}: {e}",
            path.display()
        ))),
    }
}

/// The tokens to call Graph with: `PHONEDESK_GRAPH_TOKEN`, else the saved sign-in.
fn tokens(config: &GraphConfig) -> Result<Arc<dyn TokenSource>, Failure> {
    if let Some(token) = std::env::var(TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        return Ok(Arc::new(FixedToken(token.trim().to_owned())));
    }
    let path = cache_file(&config.tenant)?;
    CachedTokens::open(path, login_of(config), permissions::SCOPES)
        .map(|t| Arc::new(t) as Arc<dyn TokenSource>)
        .map_err(|e| match e {
            GraphError::SignInNeeded { .. } => Failure::refused(format!(
                "not signed in to {t}: run `phonedesk login --tenant {t}` (or set {TOKEN_ENV})",
                t = config.tenant
            )),
            other => Failure::refused(other.to_string()),
        })
}

/// phonedesk's own state for a tenant lives beside the simulated tenant's database, one
/// directory per tenant: `…/tenants/contoso.onmicrosoft.com`.
fn local_state_path(db: &Path, tenant: &str) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("tenants")
        .join(auth::file_name_of(tenant))
}

/// The tenant as the directory of record, with its local state opened (and created) beside
/// the database the flags name.
pub fn open(config: &GraphConfig, db: Option<PathBuf>) -> Result<GraphDirectory, Failure> {
    let tokens = tokens(config)?;
    let db = config::database_path(db).map_err(Failure::refused)?;
    let local_path = local_state_path(&db, &config.tenant);
    std::fs::create_dir_all(&local_path)
        .map_err(|e| Failure::refused(format!("cannot create {}: {e}", local_path.display())))?;
    let local = super::open_store_with(Some(local_path), Arc::new(VirtualClock::live()))?;
    let local: Box<dyn Directory> = Box::new(local);
    let tenant = GraphTenant {
        client: GraphClient::new(&config.graph_url, tokens, config.timeout),
        name: config.tenant.clone(),
    };
    Ok(GraphDirectory::new(tenant, local))
}

/// `signin mfa|sspr --user UPN` on a real tenant: simulated on a local sandbox holding a copy
/// of the user with stand-in numbers; nothing is sent to the tenant but the read of the user.
pub fn simulate_on_copy(
    record: &GraphDirectory,
    operator: &crate::domain::Operator,
    cmd: super::SigninCommand,
) -> Outcome {
    use crate::store::Record;
    let upn = match &cmd {
        super::SigninCommand::Mfa { user, .. } | super::SigninCommand::Sspr { user, .. } => {
            user.clone()
        }
        super::SigninCommand::SmsSignin {
            user: Some(user), ..
        } => user.clone(),
        super::SigninCommand::SmsSignin { user: None, .. } => {
            // A typed number names nobody here: Graph finds no user by an authentication phone.
            return Err(Failure::usage(format!(
                "on a real tenant ({}), `signin sms-signin` needs --user UPN instead of --phone: Graph cannot find a user by an authentication phone; the sign-in then plays on a local copy, the user's stand-in mobile typed",
                record.location()
            )));
        }
        super::SigninCommand::ClearFailures { .. } => {
            return Err(simulated_only("signin clear-failures", &record.location()));
        }
    };
    super::signin_cmd::check_usage(&cmd)?;
    let real = record.user(&upn)?;
    let (copy, stand_ins) = crate::sim::stand_in::pseudonymised(&real);
    let clock = Arc::new(VirtualClock::at(crate::domain::Timestamp::now()));
    let sandbox = crate::sim::sandbox::Sandbox::with_users(record, vec![copy], clock.clone())?;
    output::note(&format!(
        "a simulation on a local copy of {}'s methods: nothing is sent to {}; the phones are \
         played by stand-in numbers ({})",
        output::safe(real.upn().as_str()),
        record.location(),
        stand_ins
            .iter()
            .map(|(slot, number)| format!("{} {number}", slot.label()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    // An SMS sign-in types the copy's own (stand-in) mobile.
    let cmd = super::signin_cmd::typed_for_user(sandbox.directory(), cmd)?;
    super::signin_cmd::run(sandbox.directory(), operator, clock, cmd)
}

/// The refusal of a command that works only in the simulated world.
pub fn simulated_only(what: &str, tenant: &str) -> Failure {
    Failure::refused(format!(
        "`phonedesk {what}` works on the simulated tenant only, never on a real one ({tenant}); \
         run it without --tenant (and without PHONEDESK_TENANT)"
    ))
}
