//! Budget: a keystroke in the search box to updated results, under 16 ms at the median, on the
//! demo tenant and on 100,000 users. Measured two ways: the index scan alone, and the whole path
//! a key takes (crossterm event -> keymap -> search worker thread -> results applied).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::domain::search::{Query, SearchIndex};
use phonedesk::store::Directory;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn index_of(store: &dyn Directory) -> SearchIndex {
    let mut users = Vec::new();
    store.for_each_user(&mut |u| users.push(u)).unwrap();
    SearchIndex::build(
        &users,
        &store.policy().unwrap(),
        &store.all_claims().unwrap(),
    )
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn backspace() -> Event {
    Event::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))
}

fn bench(c: &mut Criterion) {
    for (name, users) in [("demo", None), ("100k", Some(common::LARGE_USERS))] {
        let store = common::directory(users);
        let index = index_of(store.as_ref());
        let now = store.now();
        let mut group = c.benchmark_group(format!("search/{name}"));
        for (label, text) in [
            ("digits", "5550"),
            ("name", "kim"),
            ("upn", "smith@"),
            ("two_words", "ava smith"),
        ] {
            let query = Query::parse(text);
            group.bench_function(format!("scan_{label}"), |b| {
                b.iter(|| {
                    index
                        .search(&query, now, None, &|| false)
                        .unwrap()
                        .rows
                        .len()
                });
            });
        }
        // The whole path of one key: event -> keymap -> worker -> results applied (and the
        // selected user's profile, which the worker loads when the first row changes).
        let (mut app, mut rx) = common::app(store);
        app.handle_event(&key('5'));
        common::settle(&mut app, &mut rx);
        group.bench_function("keystroke_to_results_narrowing", |b| {
            b.iter_custom(|iterations| {
                let mut timed = std::time::Duration::ZERO;
                for _ in 0..iterations {
                    let start = std::time::Instant::now();
                    app.handle_event(&key('5'));
                    common::settle(&mut app, &mut rx);
                    timed += start.elapsed();
                    app.handle_event(&backspace());
                    common::settle(&mut app, &mut rx);
                }
                timed
            });
        });
        group.bench_function("keystroke_to_results_widening", |b| {
            b.iter_custom(|iterations| {
                let mut timed = std::time::Duration::ZERO;
                for _ in 0..iterations {
                    app.handle_event(&key('5'));
                    common::settle(&mut app, &mut rx);
                    let start = std::time::Instant::now();
                    app.handle_event(&backspace());
                    common::settle(&mut app, &mut rx);
                    timed += start.elapsed();
                }
                timed
            });
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
