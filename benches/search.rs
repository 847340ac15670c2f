//! Budget: a keystroke in the search box to updated results, p95 <= 16 ms at every query length
//! from the first character, typing and Backspace, for names, UPNs and digits; on the demo
//! tenant, 100,000 users and (with `PHONEDESK_BENCH_1M=1`) 1,000,000.
//!
//! The keystroke benchmarks time the whole path of one key: the crossterm event goes through the
//! keymap to the app, the query to the worker thread, and the first screenful of ranked results
//! back into the app. `latency …` lines on stderr give per-key percentiles while typing whole
//! words and erasing them, the way an operator does. The `scan_*` benchmarks time the index
//! alone: the first screenful, and the complete ranked list with its exact count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::domain::search::{FIRST_SCREEN, Query};
use phonedesk::store::LocalIndex;
use phonedesk::tui::app::App;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::UnboundedReceiver;

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn backspace() -> Event {
    Event::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))
}

type Worker = UnboundedReceiver<phonedesk::tui::worker::WorkerMsg>;

/// Sets the search box to `text`, waiting for every answer.
fn set_box(app: &mut App, rx: &mut Worker, text: &str) {
    while !app.lookup.input.value().is_empty() {
        app.handle_event(&backspace());
    }
    for c in text.chars() {
        app.handle_event(&key(c));
    }
    common::settle(app, rx);
}

/// Times one key from `before` (settled) until the first screenful is back.
fn time_key(app: &mut App, rx: &mut Worker, before: &str, event: &Event) -> Duration {
    set_box(app, rx, before);
    let start = Instant::now();
    app.handle_event(event);
    common::first_answer(app, rx);
    start.elapsed()
}

const QUERIES: [(&str, &str); 8] = [
    ("one_letter", "a"),
    ("name", "raman"),
    ("two_words", "priya raman"),
    ("upn", "smith@"),
    ("one_digit", "5"),
    ("digits", "5550"),
    ("national_number", "020 7946 0123"),
    ("typo", "delagdo"),
];

fn bench(c: &mut Criterion) {
    for size in common::sizes() {
        let store = common::open(&common::tenant_db(size));
        let local = LocalIndex::load(store.as_ref(), &|| false)
            .unwrap()
            .unwrap();
        let now = store.now();
        let mut group = c.benchmark_group(format!("search/{}", size.name));
        for (label, text) in QUERIES {
            let query = Query::parse(text);
            group.bench_function(format!("scan_{label}_first_screen"), |b| {
                b.iter(|| {
                    local
                        .index
                        .search(&query, now, Some(FIRST_SCREEN), &|| false)
                        .unwrap()
                        .rows
                        .len()
                });
            });
            group.bench_function(format!("scan_{label}_complete"), |b| {
                b.iter(|| {
                    local
                        .index
                        .search(&query, now, None, &|| false)
                        .unwrap()
                        .rows
                        .len()
                });
            });
        }
        drop(local);
        let (mut app, mut rx) = common::app(store);
        for (label, before, event) in [
            ("first_char_into_empty_box", "", key('a')),
            ("second_char", "a", key('v')),
            ("backspace_to_one_char", "av", backspace()),
            ("backspace_to_empty", "a", backspace()),
            ("first_digit_into_empty_box", "", key('5')),
            ("fourth_digit", "555", key('0')),
            ("upn_at_sign", "smith", key('@')),
            ("second_word", "priya ", key('r')),
            ("typo_last_letter", "delagd", key('o')),
        ] {
            group.bench_function(format!("keystroke_{label}"), |b| {
                b.iter_custom(|iterations| {
                    (0..iterations)
                        .map(|_| time_key(&mut app, &mut rx, before, &event))
                        .sum()
                });
            });
        }
        group.finish();
        // Typing whole words and erasing them again, without waiting for the complete counts:
        // the operator's rhythm. Each key is timed until its first screenful is back.
        for (kind, words) in [
            (
                "names",
                &["priya raman", "ava smith", "delgado", "lindquist"][..],
            ),
            ("upns", &["ava.smith@contoso", "priya.raman1"][..]),
            ("digits", &["2065550", "020 7946 0123", "+61 491"][..]),
        ] {
            let mut typing = common::Latencies::new(format!("search/{}/typing_{kind}", size.name));
            let mut erasing =
                common::Latencies::new(format!("search/{}/erasing_{kind}", size.name));
            for _ in 0..5 {
                for word in words {
                    set_box(&mut app, &mut rx, "");
                    for ch in word.chars() {
                        typing.time(|| {
                            app.handle_event(&key(ch));
                            common::first_answer(&mut app, &mut rx);
                        });
                    }
                    for _ in word.chars() {
                        erasing.time(|| {
                            app.handle_event(&backspace());
                            common::first_answer(&mut app, &mut rx);
                        });
                    }
                }
            }
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
