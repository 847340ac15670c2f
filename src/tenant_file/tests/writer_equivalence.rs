//! The streaming writer writes exactly the bytes the old whole-snapshot `to_json` wrote.

use super::reference;
use super::support::{demo, now};
use crate::domain::{Device, User};
use crate::store::Snapshot;
use crate::tenant_file::{ExportOptions, parse, to_json};

type Reveal = Box<dyn Fn(&User) -> bool>;

/// Who is revealed: nobody, everybody, and a mix (like an auth-admin's export).
fn reveals() -> [(&'static str, Reveal); 4] {
    [
        ("masked", Box::new(|_: &User| false)),
        ("revealed", Box::new(|_: &User| true)),
        ("non-admins", Box::new(|u: &User| u.roles.is_empty())),
        (
            "every third",
            Box::new(|u: &User| u.upn().as_str().len().is_multiple_of(3)),
        ),
    ]
}

fn same_bytes(snapshot: &Snapshot, label: &str) {
    for (name, reveal) in reveals() {
        let options = ExportOptions { reveal: &reveal };
        let old = reference::to_json(snapshot, &options);
        let new = to_json(snapshot, &options);
        assert!(old == new, "{label}, {name}: the bytes differ");
    }
}

#[test]
fn the_demo_tenant_exports_byte_for_byte_as_before() {
    let demo = demo();
    assert!(!demo.devices.is_empty() && demo.users.iter().any(|u| u.pin.is_some()));
    same_bytes(&demo, "demo");
    // And it still reads back to the same snapshot.
    let revealed = to_json(&demo, &ExportOptions { reveal: &|_| true });
    assert_eq!(parse(revealed.as_bytes(), now()).unwrap(), demo);
}

#[test]
fn a_generated_tenant_with_devices_exports_byte_for_byte_as_before() {
    let mut snapshot = crate::demo::generate::generate(3000, 11, now());
    // Devices on some held lines (office lines with extensions included) and on lines nobody holds.
    let mut devices: Vec<Device> = snapshot
        .users
        .iter()
        .step_by(7)
        .filter_map(|u| u.phone_methods.last())
        .map(|m| Device::defaults_for(&m.phone_number.without_extension()))
        .collect();
    for n in 0..5 {
        let free =
            crate::domain::PhoneNumber::from_parts(1, &format!("206555019{n}"), None).unwrap();
        devices.push(Device::defaults_for(&free));
    }
    devices.sort_by(|a, b| a.phone_number.cmp(&b.phone_number));
    devices.dedup_by(|a, b| a.phone_number == b.phone_number);
    snapshot.devices = devices;
    same_bytes(&snapshot, "3000 generated users");
}

#[test]
fn empty_lists_export_byte_for_byte_as_before() {
    let mut snapshot = demo();
    snapshot.users.clear();
    same_bytes(&snapshot, "no users");
    snapshot.devices.clear();
    same_bytes(&snapshot, "nothing");
}
