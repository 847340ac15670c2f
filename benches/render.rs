//! Budgets: a full frame at 120x40 under 2 ms; start to first frame under 300 ms (opening the
//! sled database, building the app, drawing once; the index loads in the background after that).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod common;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use phonedesk::store::{self, Directory, SystemClock};
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

fn bench(c: &mut Criterion) {
    for (name, users) in [("demo", None), ("100k", Some(common::LARGE_USERS))] {
        let mut group = c.benchmark_group(format!("render/{name}"));
        let store = common::directory(users);
        let (mut app, mut rx) = common::app(Arc::clone(&store));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        press(&mut app, Command::Down);
        common::settle(&mut app, &mut rx);
        group.bench_function("frame_120x40_lookup", |b| {
            b.iter(|| terminal.draw(|f| view::render(&app, f)).unwrap().area.width);
        });
        press(&mut app, Command::Open);
        group.bench_function("frame_120x40_methods", |b| {
            b.iter(|| terminal.draw(|f| view::render(&app, f)).unwrap().area.width);
        });
        group.finish();

        // Start-up on a real sled database of the same tenant.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        {
            let sled_store = store::open_sled(&path, Arc::new(SystemClock)).unwrap();
            common::fill(&sled_store, users);
        }
        let mut group = c.benchmark_group(format!("startup/{name}"));
        group.sample_size(10);
        group.bench_function("open_db_build_app_first_frame", |b| {
            b.iter(|| {
                let store: Arc<dyn Directory> =
                    Arc::new(store::open_sled(&path, Arc::new(SystemClock)).unwrap());
                let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
                let app = App::new(store, common::operator(), common::startup(), tx).unwrap();
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
                terminal.draw(|f| view::render(&app, f)).unwrap().area.width
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
