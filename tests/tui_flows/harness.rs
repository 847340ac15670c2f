//! The harness: an app on an in-memory copy of the demo tenant, keys through the real input path,
//! the screen from ratatui's `TestBackend`.

use std::sync::Arc;

use phonedesk::domain::{Operator, Role, Timestamp, User};
use phonedesk::sim::VirtualClock;
use phonedesk::store::{self, Directory};
use phonedesk::tui::app::{App, Startup};
use phonedesk::tui::keymap::{Command, Key, Keymap};
use phonedesk::tui::theme::Theme;
use phonedesk::tui::view;
use phonedesk::tui::worker::WorkerMsg;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tokio::sync::mpsc::UnboundedReceiver;

pub const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

pub struct Harness {
    pub app: App,
    worker: UnboundedReceiver<WorkerMsg>,
    terminal: Terminal<TestBackend>,
    pub keymap: Keymap,
}

impl Harness {
    pub fn new(width: u16, height: u16) -> Self {
        Self::with(width, height, Role::AuthAdmin, None)
    }

    /// An app whose operator has `role`, with a user keymap file's text when given.
    pub fn with(width: u16, height: u16, role: Role, keymap_file: Option<&str>) -> Self {
        Self::build(width, height, role, keymap_file, Vec::new(), &[])
    }

    /// The demo tenant plus `extra` users.
    pub fn with_users(width: u16, height: u16, extra: Vec<User>) -> Self {
        Self::build(width, height, Role::AuthAdmin, None, extra, &[])
    }

    /// The demo tenant without the users `gone` (like an imported tenant without a demo's cast).
    pub fn without_users(width: u16, height: u16, gone: &[&str]) -> Self {
        Self::build(width, height, Role::AuthAdmin, None, Vec::new(), gone)
    }

    fn build(
        width: u16,
        height: u16,
        role: Role,
        keymap_file: Option<&str>,
        extra: Vec<User>,
        gone: &[&str],
    ) -> Self {
        // A standing clock: snapshots never depend on when the tests run.
        let clock = Arc::new(VirtualClock::at(Timestamp::from_secs(1_795_857_061)));
        let store = store::open_memory(clock.clone()).unwrap();
        let operator = Operator::new("helpdesk", role);
        phonedesk::demo::seed_if_empty(&store, &operator).unwrap();
        if !extra.is_empty() || !gone.is_empty() {
            let mut snapshot = store.export().unwrap();
            snapshot.users.extend(extra);
            snapshot.users.retain(|u| !gone.contains(&u.upn().as_str()));
            store.import(&operator, &snapshot, true).unwrap();
        }
        let store: Arc<dyn Directory> = Arc::new(store);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let (keymap, keymap_problem) = Keymap::with_user_file(keymap_file);
        let startup = Startup {
            keymap: keymap.clone(),
            keymap_problem,
            theme: Theme { color: false },
            clock,
            sim_seed: Some(7),
            region: None,
        };
        let app = App::new(store, operator, startup, tx).unwrap();
        let mut harness = Self {
            app,
            worker: rx,
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
            keymap,
        };
        harness.settle();
        harness
    }

    /// Applies background results until the newest search is answered.
    pub fn settle(&mut self) {
        while !self.app.search_settled() {
            let msg = self
                .worker
                .blocking_recv()
                .expect("the search worker stopped");
            self.app.on_worker(msg);
        }
    }

    pub fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.app
            .handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
        self.settle();
    }

    /// Presses the first key the keymap binds to `command`, without waiting for the worker.
    pub fn press_only(&mut self, command: Command) {
        let key = *self
            .keymap
            .keys(command)
            .first()
            .expect("command without a key");
        self.app
            .handle_event(&Event::Key(KeyEvent::new(key.code, key.modifiers)));
    }

    /// Presses the first key the keymap binds to `command`.
    pub fn press(&mut self, command: Command) {
        let key = *self
            .keymap
            .keys(command)
            .first()
            .expect("command without a key");
        self.key(key.code, key.modifiers);
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    pub fn screen(&mut self) -> String {
        self.terminal.draw(|f| view::render(&self.app, f)).unwrap();
        let buffer = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                out.push_str(buffer[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.app.handle_event(&Event::Resize(width, height));
    }

    /// Presses the first key of the command named `name` in `keymap.toml` (for commands this
    /// keymap may not have, so a missing one fails the test rather than its compilation).
    pub fn run(&mut self, name: &str) {
        let command = *Command::ALL
            .iter()
            .find(|c| c.name() == name)
            .unwrap_or_else(|| panic!("no command {name}"));
        self.press(command);
    }

    /// Presses keys written as in `keymap.toml` (`ctrl-a`, `home`, `esc`).
    pub fn keys(&mut self, keys: &[&str]) {
        for written in keys {
            let key = Key::parse(written).unwrap_or_else(|e| panic!("{e}"));
            self.key(key.code, key.modifiers);
        }
    }

    /// Where `text` starts on the last screen drawn: (column, row).
    pub fn find(&mut self, text: &str) -> (u16, u16) {
        let screen = self.screen();
        for (y, line) in screen.lines().enumerate() {
            if let Some(at) = line.find(text) {
                let x = line[..at].chars().count();
                return (u16::try_from(x).unwrap(), u16::try_from(y).unwrap());
            }
        }
        panic!("{text:?} is not on the screen:\n{screen}");
    }

    fn mouse(&mut self, kind: MouseEventKind, (column, row): (u16, u16)) {
        self.app.handle_event(&Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
        self.settle();
    }

    /// Clicks where `text` is on the screen.
    pub fn click(&mut self, text: &str) {
        self.click_into(text, 0);
    }

    /// Clicks `offset` columns into where `text` is on the screen.
    pub fn click_into(&mut self, text: &str, offset: u16) {
        let (x, y) = self.find(text);
        self.mouse(MouseEventKind::Down(MouseButton::Left), (x + offset, y));
    }

    /// Turns the wheel over where `text` is, `notches` towards the end (negative: the start).
    pub fn wheel(&mut self, text: &str, notches: i32) {
        let at = self.find(text);
        let kind = if notches > 0 {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        };
        for _ in 0..notches.unsigned_abs() {
            self.mouse(kind, at);
        }
    }

    /// The number of audit entries in the whole trail.
    pub fn audit_len(&self) -> usize {
        self.app.store.audit(None, usize::MAX).unwrap().len()
    }
}
