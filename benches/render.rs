//! Budgets: a full frame at 120x40 under 2 ms; launch to first frame <= 200 ms and to the first
//! results <= 1 s, at every size (with `PHONEDESK_BENCH_1M=1`, 1,000,000 users).
//!
//! Start-up does what `phonedesk` does before its first frame: open the sled database (checking
//! the schema), the demo-seeding check (a counter, not a scan), build the app (which starts the
//! worker that loads the saved search index) and draw. "To first results" waits on top of that
//! for the index and the first query's screenful.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::sim::VirtualClock;
use phonedesk::store::{self, Directory};
use phonedesk::tui::app::App;
use phonedesk::tui::keymap::Command;
use phonedesk::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyEvent};

fn press(app: &mut App, command: Command) {
    let key = app.keymap.keys(command)[0];
    app.handle_event(&Event::Key(KeyEvent::new(key.code, key.modifiers)));
}

/// Everything before the first frame: the app, and a terminal it was drawn on.
fn launch(
    path: &std::path::Path,
) -> (
    App,
    tokio::sync::mpsc::UnboundedReceiver<phonedesk::tui::worker::WorkerMsg>,
) {
    let clock = Arc::new(VirtualClock::live());
    let store = store::open_sled(path, clock.clone()).unwrap();
    phonedesk::demo::seed_if_empty(&store, &common::operator()).unwrap();
    let store: Arc<dyn Directory> = Arc::new(store);
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = App::new(store, common::operator(), common::startup(), tx).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| view::render(&app, f)).unwrap();
    (app, rx)
}

fn bench(c: &mut Criterion) {
    for size in common::sizes() {
        let db = common::tenant_db(size);
        {
            let mut group = c.benchmark_group(format!("render/{}", size.name));
            let (mut app, mut rx) = common::app(common::open(&db));
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            press(&mut app, Command::Down);
            common::settle(&mut app, &mut rx);
            group.bench_function("frame_120x40_lookup", |b| {
                b.iter(|| terminal.draw(|f| view::render(&app, f)).unwrap().area.width);
            });
            press(&mut app, Command::Open);
            common::settle(&mut app, &mut rx);
            group.bench_function("frame_120x40_methods", |b| {
                b.iter(|| terminal.draw(|f| view::render(&app, f)).unwrap().area.width);
            });
            group.finish();
        }
        let mut group = c.benchmark_group(format!("startup/{}", size.name));
        group.sample_size(10);
        group.bench_function("launch_to_first_frame", |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let start = Instant::now();
                    let launched = launch(&db);
                    total += start.elapsed();
                    // Closing waits for the worker; not part of start-up.
                    drop(launched);
                }
                total
            });
        });
        group.bench_function("launch_to_first_results", |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let start = Instant::now();
                    let (mut app, mut rx) = launch(&db);
                    common::first_answer(&mut app, &mut rx);
                    total += start.elapsed();
                    drop(app);
                }
                total
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
