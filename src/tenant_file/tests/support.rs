//! Shared inputs for the tenant-file tests.

use crate::domain::Timestamp;
use crate::store::Snapshot;
use crate::tenant_file::ExportOptions;
use crate::tenant_file::tests::reference;

pub fn now() -> Timestamp {
    Timestamp::from_secs(1_767_225_600)
}

pub fn demo() -> Snapshot {
    crate::demo::snapshot(now()).unwrap()
}

/// A generated tenant as the old writer wrote it, revealed.
pub fn generated_file(users: usize, seed: u64) -> String {
    let snapshot = crate::demo::generate::generate(users, seed, now());
    reference::to_json(&snapshot, &ExportOptions { reveal: &|_| true })
}

/// The top-level members of a tenant file written in `order`, each value in pretty JSON.
pub fn with_key_order(file: &str, order: &[&str]) -> String {
    let value: serde_json::Value = serde_json::from_str(file).unwrap();
    let object = value.as_object().unwrap();
    let members: Vec<String> = order
        .iter()
        .filter_map(|key| {
            object
                .get(*key)
                .map(|v| format!("{}: {}", serde_json::json!(key), v))
        })
        .collect();
    format!("{{{}}}", members.join(",\n"))
}
