//! Budgets at 1,000,000 users: `import` <= 30 s with peak RSS <= 1 GB, `export` <= 10 s with peak
//! RSS <= 300 MB, `demo generate` <= 15 s. Each sample runs the real binary on the generated
//! tenant (`demo generate --users N --seed 1`): an import into a fresh database, an export of
//! the imported one to a pipe, a generation into a temporary file. Peak memory is measured with
//! `/usr/bin/time -v` (see BENCHMARKS.md), not here. Plain `cargo bench` runs these at 100,000
//! users; `PHONEDESK_BENCH_1M=1` adds 1,000,000.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn phonedesk(args: &[&std::ffi::OsStr]) {
    let status = Command::new(common::BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "phonedesk {args:?}");
}

fn bench(c: &mut Criterion) {
    for size in common::sizes() {
        let Some(users) = size.users else {
            continue;
        };
        let file = common::tenant_file(users);
        let db = common::tenant_db(size);
        let mut group = c.benchmark_group(format!("bulk/{}", size.name));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(1))
            .throughput(Throughput::Elements(users as u64));
        group.bench_function("import", |b| {
            b.iter_with_setup(
                || tempfile::tempdir().unwrap(),
                |dir| {
                    let fresh = dir.path().join("db");
                    phonedesk(&[
                        "--db".as_ref(),
                        fresh.as_os_str(),
                        "--role".as_ref(),
                        "privileged-auth-admin".as_ref(),
                        "import".as_ref(),
                        file.as_os_str(),
                    ]);
                    dir
                },
            );
        });
        group.bench_function("export_revealed", |b| {
            b.iter(|| {
                phonedesk(&[
                    "--db".as_ref(),
                    db.as_os_str(),
                    "--role".as_ref(),
                    "privileged-auth-admin".as_ref(),
                    "export".as_ref(),
                    "--reveal".as_ref(),
                ]);
            });
        });
        group.bench_function("generate", |b| {
            b.iter_with_setup(
                || tempfile::tempdir().unwrap(),
                |dir| {
                    let out = dir.path().join("tenant.json");
                    phonedesk(&[
                        "demo".as_ref(),
                        "generate".as_ref(),
                        "--users".as_ref(),
                        users.to_string().as_ref(),
                        "--seed".as_ref(),
                        "1".as_ref(),
                        "--out".as_ref(),
                        out.as_os_str(),
                    ]);
                    dir
                },
            );
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
