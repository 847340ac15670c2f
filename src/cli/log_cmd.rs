//! `phonedesk log`: the sign-in log, newest first.

use super::Outcome;
use super::output::{self, safe};
use crate::domain::time::Since;
use crate::store::Record;

pub fn show(
    store: &dyn Record,
    user: Option<&str>,
    since: Option<Since>,
    limit: usize,
    json: bool,
) -> Outcome {
    let upn = super::user_cmd::existing_user(store, user)?;
    // "1h" is an hour before the clock that continues the database's time line.
    let since = since.map(|s| s.resolve(store.now()));
    let records = store.sign_ins(upn.as_ref(), since, limit)?;
    if json {
        return output::json(&serde_json::json!({ "value": records }));
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            vec![
                r.started_at.to_string(),
                r.flow.as_str().to_owned(),
                r.user.as_deref().map_or_else(|| "-".to_owned(), safe),
                r.number.clone().unwrap_or_else(|| "-".into()),
                r.channel.map_or("-", |c| c.as_str()).to_owned(),
                r.provider.clone().unwrap_or_else(|| "-".into()),
                r.result.as_str().to_owned(),
                r.reason
                    .map_or_else(String::new, |reason| reason.text().to_owned()),
                r.error_code.map_or_else(String::new, |c| c.to_string()),
                r.correlation_id.clone(),
            ]
        })
        .collect();
    output::table(
        &[
            "TIME",
            "FLOW",
            "USER",
            "NUMBER",
            "VIA",
            "PROVIDER",
            "RESULT",
            "REASON",
            "AADSTS",
            "CORRELATION",
        ],
        &rows,
    );
    if records.is_empty() {
        output::line("(no sign-in attempts)");
    }
    Ok(())
}
