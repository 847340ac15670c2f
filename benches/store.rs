//! Budgets: a durable edit (rules, the user, the claims, the change log and the audit entry in
//! one transaction, flushed) p99 <= 1 ms; a save in the TUI <= 5 ms on the UI thread including
//! the index update; at every size (with `PHONEDESK_BENCH_1M=1`, 1,000,000 users).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::domain::{Edit, PhoneNumber, PhoneType};
use phonedesk::store::{self, Record, SystemClock};
use phonedesk::tui::keymap::Command;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// The user edited: in the demo tenant, and in the generated ones.
fn target(size: common::Size) -> &'static str {
    match size.users {
        None => "priya.raman@fabrikam.example",
        Some(_) => "ava.smith@contoso-generated.example",
    }
}

fn bench(c: &mut Criterion) {
    let numbers = [
        PhoneNumber::parse_canonical("+1 4255550110").unwrap(),
        PhoneNumber::parse_canonical("+1 4255550111").unwrap(),
    ];
    for size in common::sizes() {
        let scratch = common::scratch_copy(&common::tenant_db(size));
        let path = scratch.path().join("db");
        let upn = target(size);
        let op = common::operator();
        let mut group = c.benchmark_group(format!("store/{}", size.name));
        group.sample_size(20);
        {
            let store = store::open_sled(&path, Arc::new(SystemClock)).unwrap();
            let mut flip = 0;
            let mut latencies = common::Latencies::new(format!("store/{}/edit_flushed", size.name));
            group.bench_function("edit_flushed", |b| {
                b.iter_custom(|iterations| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        flip ^= 1;
                        let edit = Edit::UpdatePhone {
                            slot: PhoneType::Mobile,
                            number: numbers[flip].clone(),
                        };
                        let (result, took) = latencies.time(|| store.edit(&op, upn, &edit));
                        result.unwrap();
                        total += took;
                    }
                    total
                });
            });
            group.bench_function("user_point_read", |b| {
                b.iter(|| store.user(upn).unwrap().phone_methods.len());
            });
        }
        // The TUI's save path: the confirming key of a number update, on the UI thread. The
        // store's flushed edit, the profile reload and the index catch-up run on the worker
        // (issue 9: no directory call on the UI thread), so this is what the key itself costs;
        // `edit_flushed` above is the edit's own figure.
        let store = common::open(&path);
        let (mut app, mut rx) = common::app(store);
        for ch in upn.chars() {
            app.handle_event(&Event::Key(KeyEvent::new(
                KeyCode::Char(ch),
                KeyModifiers::NONE,
            )));
        }
        common::settle(&mut app, &mut rx);
        let press = |app: &mut phonedesk::tui::app::App, command: Command| {
            let key = app.keymap.keys(command)[0];
            app.handle_event(&Event::Key(KeyEvent::new(key.code, key.modifiers)));
        };
        press(&mut app, Command::Submit);
        common::settle(&mut app, &mut rx);
        let mut flip = 0;
        let mut latencies = common::Latencies::new(format!("store/{}/tui_save", size.name));
        group.bench_function("tui_save_on_ui_thread", |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    flip ^= 1;
                    press(&mut app, Command::Edit);
                    // Ctrl-U empties the field (readline).
                    app.handle_event(&Event::Key(KeyEvent::new(
                        KeyCode::Char('u'),
                        KeyModifiers::CONTROL,
                    )));
                    for ch in numbers[flip].to_string().chars() {
                        app.handle_event(&Event::Key(KeyEvent::new(
                            KeyCode::Char(ch),
                            KeyModifiers::NONE,
                        )));
                    }
                    press(&mut app, Command::Submit);
                    let start = Instant::now();
                    press(&mut app, Command::Confirm);
                    let took = start.elapsed();
                    latencies.push(took);
                    total += took;
                    common::settle(&mut app, &mut rx);
                }
                total
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
