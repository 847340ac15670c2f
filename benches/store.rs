//! An edit on the sled directory: rules, the user, the claims index and the audit entry in one
//! transaction, flushed to disk before it returns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::domain::{Edit, PhoneNumber, PhoneType};
use phonedesk::store::{self, Directory, SystemClock};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open_sled(&dir.path().join("db"), Arc::new(SystemClock)).unwrap();
    common::fill(&store, None);
    let op = common::operator();
    let upn = "priya.raman@fabrikam.example";
    let numbers = [
        PhoneNumber::parse_canonical("+1 4255550110").unwrap(),
        PhoneNumber::parse_canonical("+1 4255550111").unwrap(),
    ];
    let mut flip = 0;
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    group.bench_function("edit_flushed_sled", |b| {
        b.iter(|| {
            flip ^= 1;
            let edit = Edit::UpdatePhone {
                slot: PhoneType::Mobile,
                number: numbers[flip].clone(),
            };
            store.edit(&op, upn, &edit).unwrap();
        });
    });
    group.bench_function("user_point_read", |b| {
        b.iter(|| store.user(upn).unwrap().phone_methods.len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
