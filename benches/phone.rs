//! The phone-number checks, per number: the live check of the number field (parse, validity,
//! number type and, for invalid numbers, the search for a suggested correction) on streams of
//! many regions, one region and a dozen; and the field's per-keystroke latency while typing.
//!
//! `keystroke_latency` runs first, in a fresh process (nothing compiled yet), and prints the
//! distribution of per-keystroke check times: criterion measures medians, not tails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::domain::diagnosis::check;
use phonedesk::domain::{PhoneNumber, PhoneType, Region};
use phonedesk::tui::widgets::phone_field::{FieldMode, PhoneField};
use phonenumber::metadata::DATABASE;

/// One input as the field sees it: the text, the region it is read in, the user's usage location.
type Input = (String, Option<Region>, Option<Region>);

/// Every region's example numbers (each type), written as E.164 for a user elsewhere and in the
/// region's national format for a user at home: ~3,000 inputs over ~245 regions.
fn mixed_stream(only: Option<&[&str]>) -> Vec<Input> {
    let mut homes: Vec<Region> = Vec::new();
    let mut out = Vec::new();
    for code in 1..1000u16 {
        for meta in DATABASE.by_code(&code).unwrap_or_default() {
            if only.is_some_and(|ids| !ids.contains(&meta.id())) {
                continue;
            }
            let region = Region::parse(meta.id()).ok();
            if let Some(r) = region {
                homes.push(r);
            }
            let d = meta.descriptors();
            let examples = [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.voip(),
                d.uan(),
            ]
            .into_iter()
            .flatten()
            .filter_map(|x| x.example());
            for example in examples {
                let elsewhere = homes.get(out.len() * 7 % homes.len().max(1)).copied();
                out.push((format!("+{code} {example}"), None, elsewhere));
                if let Some(r) = region {
                    let trunk = meta.national_prefix().unwrap_or("");
                    out.push((format!("{trunk}{example}"), Some(r), Some(r)));
                }
            }
        }
    }
    out
}

const TWELVE: &[&str] = &[
    "US", "GB", "DE", "FR", "AU", "IN", "BR", "JP", "CA", "ES", "IT", "NL",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Types every mixed-stream input into a number field one character at a time, in a process
/// where no pattern has been compiled yet, and reports the check time of each keystroke.
fn keystroke_latency(_: &mut Criterion) {
    let stream = mixed_stream(None);
    // The UI loads the metadata on a background thread at start (`phone::load_metadata`); the
    // patterns of each region still compile on first use, inside the keystrokes measured below.
    let start = Instant::now();
    phonedesk::domain::phone::load_metadata();
    println!(
        "phone/load_metadata (once, off the key path): {:?}",
        start.elapsed()
    );
    let mut times = Vec::new();
    for (text, _, home) in &stream {
        let mut field = PhoneField::new(PhoneType::Mobile, FieldMode::Add, None, *home, "u", "U");
        for c in text.chars() {
            field.input.insert(c);
            let start = Instant::now();
            field.changed();
            times.push(start.elapsed());
            black_box(field.check());
        }
    }
    times.sort_unstable();
    let over = |limit: Duration| times.iter().filter(|t| **t > limit).count();
    println!(
        "phone/keystroke_latency (cold process, {} keystrokes over {} inputs): p50 {:?} p90 {:?} p99 {:?} max {:?}; over 2 ms: {}, over 16 ms: {}",
        times.len(),
        stream.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.90),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default(),
        over(Duration::from_millis(2)),
        over(Duration::from_millis(16)),
    );
}

fn stream_bench(c: &mut Criterion, name: &str, stream: &[Input]) {
    let mut i = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            let (text, region, home) = &stream[i % stream.len()];
            i += 1;
            check(text, *region, Some(PhoneType::Mobile), *home).accepted()
        });
    });
}

fn streams(c: &mut Criterion) {
    let mixed = mixed_stream(None);
    stream_bench(c, "phone/check_mixed_240_regions", &mixed);
    stream_bench(c, "phone/check_12_countries", &mixed_stream(Some(TWELVE)));
    stream_bench(c, "phone/check_us_only", &mixed_stream(Some(&["US"])));
    // Typing: every prefix of every input, as the field checks it on each key.
    let mut prefixes = Vec::new();
    for (text, _, home) in &mixed {
        let mut typed = String::new();
        for ch in text.chars() {
            typed.push(ch);
            prefixes.push((typed.clone(), *home));
        }
    }
    let mut i = 0;
    c.bench_function("phone/keystroke_mixed_240_regions", |b| {
        b.iter(|| {
            let (typed, home) = &prefixes[i % prefixes.len()];
            i += 1;
            check(typed, None, Some(PhoneType::Mobile), *home).accepted()
        });
    });
}

fn singles(c: &mut Criterion) {
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

criterion_group!(benches, keystroke_latency, streams, singles);
criterion_main!(benches);
