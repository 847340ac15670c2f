//! Tenant-file throughput in users per second: the streaming reader into a sink that keeps
//! nothing (the cost of checking, before any store work) and the streaming writer into
//! `io::sink` (the cost of serialising, before any disk). A generated tenant of 20,000 users by
//! default; `PHONEDESK_BENCH_1M=1` selects 1,000,000 (`demo generate --users 1000000 --seed 1`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use phonedesk::domain::{Device, Policy, Tenant, Timestamp, User};
use phonedesk::tenant_file::{
    Limits, TenantSink, TenantWriter, claims_by_number, mobile_claims, read_stream,
};

const SEED: u64 = 1;

fn users() -> usize {
    if std::env::var_os("PHONEDESK_BENCH_1M").is_some_and(|v| v == "1") {
        1_000_000
    } else {
        20_000
    }
}

fn now() -> Timestamp {
    Timestamp::from_secs(1_767_225_600)
}

/// Counts users and drops them, as a store sink would after writing them.
#[derive(Default)]
struct Count(usize);

impl TenantSink for Count {
    fn tenant(&mut self, _: Tenant) {}
    fn policy(&mut self, _: Policy) {}
    fn user(&mut self, _: usize, _: User) -> Result<(), String> {
        self.0 += 1;
        Ok(())
    }
    fn device(&mut self, _: Device) {}
}

/// Starts a new peak-memory measurement (Linux: resets the kernel's high-water mark).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory since the last reset, from the kernel (Linux), in MiB.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn bench(c: &mut Criterion) {
    let n = users();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tenant.json");
    let file = std::fs::File::create(&path).unwrap();
    phonedesk::demo::generate::write_tenant(
        n,
        SEED,
        now(),
        io::BufWriter::new(file),
        &mut |_, _| {},
    )
    .unwrap();
    let mut group = c.benchmark_group(format!("tenant_file/{n}"));
    group.throughput(Throughput::Elements(n as u64));
    if n > 100_000 {
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(60));
    }
    reset_peak_rss();
    group.bench_function("read_stream", |b| {
        b.iter(|| {
            let mut sink = Count::default();
            let input = std::fs::File::open(&path).unwrap();
            read_stream(input, now(), &mut sink, &Limits::default()).unwrap();
            assert_eq!(sink.0, n);
        });
    });
    eprintln!(
        "read_stream of a {} MiB file: peak RSS {:?} MiB",
        std::fs::metadata(&path).unwrap().len() >> 20,
        peak_rss_mib()
    );
    let snapshot = phonedesk::tenant_file::parse(&std::fs::read(&path).unwrap(), now()).unwrap();
    let claims = claims_by_number(&snapshot.users);
    group.bench_function("write_revealed", |b| {
        b.iter(|| {
            let mut writer = TenantWriter::begin(
                io::sink(),
                &snapshot.tenant,
                &snapshot.policy,
                &snapshot.devices,
            )
            .unwrap();
            for user in &snapshot.users {
                writer
                    .user(user, mobile_claims(user, &claims), true)
                    .unwrap();
            }
            writer.finish().unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
