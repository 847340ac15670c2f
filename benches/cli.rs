//! Budgets: each headless command <= 50 ms wall at 1,000,000 users (`user show`, `phone list`,
//! `phone update`, `user block`/`unblock`, `audit --limit 10`, `troubleshoot … --json`,
//! `signin mfa …`), and `user search QUERY --limit 10` <= 300 ms. Each sample runs the real
//! binary as a new process, as a script would: exec, open, answer, exit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn target(size: common::Size) -> &'static str {
    match size.users {
        None => "priya.raman@fabrikam.example",
        Some(_) => "ava.smith@contoso-generated.example",
    }
}

fn run(db: &std::path::Path, args: &[&str]) {
    let status = Command::new(common::BIN)
        .arg("--db")
        .arg(db)
        .args(["--role", "privileged-auth-admin"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "phonedesk {args:?}");
}

fn bench(c: &mut Criterion) {
    for size in common::sizes() {
        let scratch = common::scratch_copy(&common::tenant_db(size));
        let db = scratch.path().join("db");
        let upn = target(size);
        let mut group = c.benchmark_group(format!("cli/{}", size.name));
        group.sample_size(20).warm_up_time(Duration::from_secs(1));
        let fixed: [(&str, Vec<&str>); 7] = [
            ("user_show", vec!["user", "show", upn]),
            ("phone_list", vec!["phone", "list", upn]),
            ("audit_limit_10", vec!["audit", "--limit", "10"]),
            (
                "troubleshoot_json",
                vec![
                    "troubleshoot",
                    upn,
                    "--symptom",
                    "never-arrives",
                    "--device",
                    "--json",
                ],
            ),
            (
                "signin_mfa_sms",
                vec![
                    "signin", "mfa", "--user", upn, "--via", "sms", "--seed", "1",
                ],
            ),
            (
                "user_search_name",
                vec!["user", "search", "priya raman", "--limit", "10"],
            ),
            (
                "user_search_digits",
                vec!["user", "search", "5550", "--limit", "10"],
            ),
        ];
        for (label, args) in &fixed {
            group.bench_function(*label, |b| b.iter(|| run(&db, args)));
        }
        let mut flip = false;
        group.bench_function("phone_update", |b| {
            b.iter(|| {
                flip = !flip;
                let number = if flip {
                    "+1 4255550110"
                } else {
                    "+1 4255550111"
                };
                run(&db, &["phone", "update", upn, "--type", "mobile", number]);
            });
        });
        let mut blocked = false;
        group.bench_function("user_block_or_unblock", |b| {
            b.iter(|| {
                blocked = !blocked;
                let verb = if blocked { "block" } else { "unblock" };
                run(&db, &["user", verb, upn, "--reason", "benchmark"]);
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
