//! Where things live and who is working: the database path, the operator and their role, the
//! config directory. Flags win over the environment, which wins over platform defaults.

use std::path::PathBuf;

use crate::domain::{Operator, Role};

/// The environment variable that names the database when `--db` is not given.
pub const DB_ENV: &str = "PHONEDESK_DB";
/// Longest operator name accepted (it is written into every audit entry).
const MAX_OPERATOR_CHARS: usize = 64;

/// The database directory: `--db`, else `$PHONEDESK_DB`, else the platform data directory.
pub fn database_path(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = flag {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "phonedesk")
        .map(|dirs| dirs.data_dir().join("db"))
        .ok_or_else(|| {
            format!("cannot find a data directory for this user; pass --db PATH or set {DB_ENV}")
        })
}

/// The environment variable naming the operator's region (`GB`, `US`): numbers a caller reads out
/// in national form are read in it, as well as in each user's usage location.
pub const REGION_ENV: &str = "PHONEDESK_REGION";

/// The operator's region from `$PHONEDESK_REGION`, if set and known.
pub fn operator_region() -> Result<Option<crate::domain::Region>, String> {
    match std::env::var(REGION_ENV) {
        Ok(code) if !code.trim().is_empty() => crate::domain::Region::parse(&code)
            .map(Some)
            .map_err(|e| format!("{REGION_ENV}: {e}")),
        _ => Ok(None),
    }
}

/// The platform config directory (for `keymap.toml`), if there is one.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "phonedesk").map(|dirs| dirs.config_dir().to_path_buf())
}

/// The operator: `--operator`, else `$USER`, else `operator`.
pub fn operator(flag: Option<String>, role: Role) -> Result<Operator, String> {
    let name = flag
        .or_else(|| std::env::var("USER").ok())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "operator".to_owned());
    if name.chars().count() > MAX_OPERATOR_CHARS {
        return Err(format!(
            "the operator name is longer than {MAX_OPERATOR_CHARS} characters"
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() || crate::domain::phone::is_invisible_or_bidi(c))
    {
        return Err("the operator name contains control or invisible characters".into());
    }
    Ok(Operator::new(name, role))
}
