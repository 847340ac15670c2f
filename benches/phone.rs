//! The phone-number field re-checks its text on every keystroke: parse, validity, number type and
//! (for invalid numbers) the search for a suggested correction.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::domain::diagnosis::check;
use phonedesk::domain::{PhoneNumber, PhoneType, Region};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("phone");
    let au = Region::parse("AU").ok();
    for (label, input) in [
        ("valid_us", "+1 (206) 555-0100"),
        ("office_extension", "+1 425 555 0150 ext. 2301"),
        ("invalid_with_suggestion", "+1 491570157"),
        ("invalid_no_suggestion", "+1 4251234567"),
        ("shape_error", "+1 206 CALL NOW"),
    ] {
        group.bench_function(format!("check_{label}"), |b| {
            b.iter(|| check(input, None, Some(PhoneType::Mobile), au).accepted());
        });
    }
    group.bench_function("parse_canonical", |b| {
        b.iter(|| PhoneNumber::parse_canonical("+1 2065550100x12").is_ok());
    });
    let long = "9".repeat(10_000);
    group.bench_function("reject_10k_paste", |b| {
        b.iter(|| check(&long, None, None, None).accepted());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
