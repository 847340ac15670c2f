//! `phonedesk telecom status|fault`: the simulated providers.

use serde::Serialize;

use super::Outcome;
use super::output;
use crate::domain::Operator;
use crate::sim::telecom::{self, Fault};
use crate::store::Directory;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProviderJson {
    id: &'static str,
    name: &'static str,
    sms_latency_ms: i64,
    call_latency_ms: i64,
    fault: Fault,
}

pub fn status(store: &dyn Directory, json: bool) -> Outcome {
    let providers = telecom::status(store.backend())?;
    if json {
        let value: Vec<ProviderJson> = providers
            .iter()
            .map(|(p, fault)| ProviderJson {
                id: p.id,
                name: p.name,
                sms_latency_ms: p.sms_latency_ms,
                call_latency_ms: p.call_latency_ms,
                fault: *fault,
            })
            .collect();
        return output::json(&serde_json::json!({ "value": value }));
    }
    let seconds = |ms: i64| format!("{}.{} s", ms / 1000, ms % 1000 / 100);
    let rows: Vec<Vec<String>> = providers
        .iter()
        .map(|(p, fault)| {
            vec![
                p.id.to_owned(),
                p.name.to_owned(),
                seconds(p.sms_latency_ms),
                seconds(p.call_latency_ms),
                fault.as_str().to_owned(),
            ]
        })
        .collect();
    output::table(&["ID", "PROVIDER", "SMS", "CALL", "FAULT"], &rows);
    Ok(())
}

pub fn fault(store: &dyn Directory, operator: &Operator, provider: &str, fault: Fault) -> Outcome {
    let found = telecom::set_fault(store, operator, provider, fault)?;
    output::line(&format!("{} ({}): fault {fault}", found.id, found.name));
    Ok(())
}
