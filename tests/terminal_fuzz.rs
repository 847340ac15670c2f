//! A seeded fuzzer for the terminal UI: the built binary in tmux, on a tenant full of hostile
//! text, gets random keys, typed and raw bytes, pastes of up to 10,000 characters, unfinished
//! escape sequences and resizes from 1x1 to 300x100. It asserts that every resize is drawn
//! within 2 s, that one Ctrl-C (after whatever came before it) quits with exit 0 and the terminal
//! restored, that nothing panicked, and that nothing phonedesk wrote to the terminal carries a
//! character from data, arguments or input that acts on a terminal (U+2028 and U+2029
//! included).
//!
//! A run is a series of lives: phonedesk starts, takes random actions, and is ended with
//! Ctrl-C; the database carries over. `cargo test` fuzzes for 15 s; `PHONEDESK_FUZZ_SECS=600`
//! runs longer. The seed is printed at the start (shown when the test fails) and is in every
//! failure message; `PHONEDESK_FUZZ_SEED=N` replays it (the same actions; the timing of a
//! real terminal varies, so a replay is close, not exact).
//!
//! Waits are on recorded output and screen text, never fixed sleeps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tty;

use std::time::{Duration, Instant};

use tty::hostile;
use tty::session::{Options, Session};

const DEFAULT_SECS: u64 = 15;
const REDRAW: Duration = Duration::from_secs(2);
const QUIT: Duration = Duration::from_secs(5);
const MAX_PASTE_CHARS: usize = 10_000;

/// splitmix64: small, fast, and the same sequence for a seed everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

/// tmux key names. `q` and Ctrl-C are left out: they quit, and a life ends only by the Ctrl-C
/// the fuzzer checks.
const KEYS: &[&str] = &[
    "Enter", "Escape", "Tab", "BTab", "Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home",
    "End", "BSpace", "DC", "IC", "F1", "F2", "F5", "F10", "F12", "Space", "C-u", "C-w", "C-a",
    "C-z", "C-j", "M-x", "M-Enter", "S-Up", "C-Left", "a", "b", "c", "d", "e", "f", "g", "G", "h",
    "j", "k", "m", "n", "p", "r", "s", "t", "w", "x", "y", "/", "?", "1", "2", "3", "4", "+", "0",
    "5", "7", "#", "*",
];

/// Characters for typed text and pastes: ASCII, other scripts, wide and combining characters,
/// and text that acts on terminals.
const CHARS: &[&str] = &[
    "a",
    "e",
    "l",
    "i",
    "m",
    "o",
    "5",
    "7",
    "0",
    "1",
    "+",
    " ",
    "-",
    "(",
    ")",
    ".",
    "@",
    "é",
    "李",
    "🙂",
    "ש",
    "\u{301}",
    "\u{2028}",
    "\u{2029}",
    "\u{202E}",
    "\u{200B}",
    "\u{85}",
    "\u{9b}",
    "\u{1b}",
    "\u{1b}[",
    "\u{1b}]2;x\u{7}",
    "\u{7}",
    "\u{8}",
    "\t",
    "\n",
    "\r",
    "\u{7f}",
    "\u{FEFF}",
    "\u{E0041}",
];

/// Unfinished sequences (see `tests/terminal.rs`).
const UNFINISHED: &[&[u8]] = &[
    b"\x1b[",
    b"\x1bO",
    b"\xc2",
    b"\xe6\x9d",
    b"\x1b[?",
    b"\x1b[?1049l",
    b"\x1b[200~",
    b"\x1b[200~half a paste",
    b"\x1b]2;title",
    b"\x1bP",
    b"\x1b[1;",
    b"\x1b[0;0R",
    b"\x1b",
];

/// Random text from `CHARS`, without `q` (a key that quits) or ETX.
fn text(rng: &mut Rng, chars: usize) -> String {
    (0..chars).map(|_| *rng.pick(CHARS)).collect()
}

/// Random bytes, without `q` and ETX.
fn raw(rng: &mut Rng) -> Vec<u8> {
    let n = rng.range(1, 16);
    (0..n)
        .map(|_| (rng.next() & 0xFF) as u8)
        .filter(|b| !matches!(b, 0x03 | b'q'))
        .collect()
}

fn size(rng: &mut Rng, current: (u16, u16)) -> (u16, u16) {
    loop {
        let next = match rng.range(0, 9) {
            0 | 1 => (rng.range(1, 5), rng.range(1, 5)),
            2 | 3 => (rng.range(55, 65), rng.range(13, 18)),
            4 => (rng.range(290, 300), rng.range(95, 100)),
            _ => (rng.range(1, 300), rng.range(1, 100)),
        };
        let next = (next.0 as u16, next.1 as u16);
        if next != current {
            return next;
        }
    }
}

struct Run {
    seed: u64,
    rng: Rng,
    life: usize,
    /// The actions of the current life, for failure messages.
    log: Vec<String>,
    actions: usize,
    resizes: usize,
    pastes: usize,
}

impl Run {
    fn fail(&self, s: &Session, what: &str) -> ! {
        let recent: Vec<&str> = self
            .log
            .iter()
            .rev()
            .take(25)
            .rev()
            .map(String::as_str)
            .collect();
        panic!(
            "terminal fuzz (PHONEDESK_FUZZ_SEED={}), life {}: {what}\nlast actions:\n  {}\nscreen:\n{}",
            self.seed,
            self.life,
            recent.join("\n  "),
            s.screen()
        );
    }

    fn act(&mut self, s: &Session, current: &mut (u16, u16)) {
        self.actions += 1;
        match self.rng.range(0, 99) {
            0..=34 => {
                let n = self.rng.range(1, 12);
                let keys: Vec<&str> = (0..n).map(|_| *self.rng.pick(KEYS)).collect();
                self.log.push(format!("keys {keys:?}"));
                s.keys(&keys);
            }
            35..=49 => {
                let n = self.rng.range(1, 30);
                let typed = text(&mut self.rng, n);
                self.log.push(format!("type {typed:?}"));
                s.text(&typed);
            }
            50..=59 => {
                let bytes = raw(&mut self.rng);
                self.log
                    .push(format!("bytes {:?}", String::from_utf8_lossy(&bytes)));
                s.bytes(&bytes);
            }
            60..=71 => {
                let mut bytes = self.rng.pick(UNFINISHED).to_vec();
                if self.rng.chance(50) {
                    bytes.extend_from_slice(text(&mut self.rng, 3).as_bytes());
                }
                self.log
                    .push(format!("unfinished {:?}", String::from_utf8_lossy(&bytes)));
                s.bytes(&bytes);
            }
            72..=83 => {
                let n = if self.rng.chance(20) {
                    self.rng.range(1000, MAX_PASTE_CHARS)
                } else {
                    self.rng.range(1, 60)
                };
                let pasted = text(&mut self.rng, n);
                self.log
                    .push(format!("paste {} chars", pasted.chars().count()));
                self.pastes += 1;
                s.paste(&pasted);
            }
            _ => self.resize(s, current),
        }
    }

    /// Resizes and checks the redraw: phonedesk clears the screen for the new size (recorded)
    /// and draws what fits (on the screen), within 2 s.
    fn resize(&mut self, s: &Session, current: &mut (u16, u16)) {
        let (w, h) = size(&mut self.rng, *current);
        self.log.push(format!("resize {w}x{h}"));
        self.resizes += 1;
        let from = s.recorded_len();
        let start = Instant::now();
        s.resize(w, h);
        *current = (w, h);
        if !s.wait_recorded(from, b"\x1b[2J", REDRAW) {
            self.fail(
                s,
                &format!("no redraw within {REDRAW:?} of a resize to {w}x{h}"),
            );
        }
        let left = REDRAW.saturating_sub(start.elapsed());
        let drawn = if w >= 60 && h >= 16 {
            s.wait_until_in("main", left, |screen| {
                screen
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains("phonedesk"))
                    && screen.lines().count() == usize::from(h)
            })
        } else if w >= 40 && h >= 2 {
            let needle = format!("this is {w}x{h}.");
            s.wait_until_in("main", left, |screen| screen.contains(&needle))
        } else {
            Ok(String::new())
        };
        if drawn.is_err() {
            self.fail(
                s,
                &format!("the screen did not show {w}x{h} within {REDRAW:?}"),
            );
        }
    }

    /// Ends the life with (sometimes) an unfinished sequence and one Ctrl-C, then checks the
    /// exit, the terminal and everything phonedesk wrote.
    fn end(&mut self, s: &Session) {
        let mut bytes = if self.rng.chance(60) {
            self.rng.pick(UNFINISHED).to_vec()
        } else {
            Vec::new()
        };
        self.log.push(format!(
            "Ctrl-C after {:?}",
            String::from_utf8_lossy(&bytes)
        ));
        bytes.push(0x03);
        s.bytes(&bytes);
        match s.wait_exit_within("main", QUIT) {
            Ok(0) => {}
            Ok(code) => self.fail(s, &format!("exit status {code}")),
            Err(_) => self.fail(s, &format!("one Ctrl-C did not quit within {QUIT:?}")),
        }
        if s.pane_var("main", "alternate_on") != "0" || s.pane_var("main", "cursor_flag") != "1" {
            self.fail(s, "the terminal was not restored");
        }
        if s.screen().contains("internal error") {
            self.fail(s, "phonedesk panicked");
        }
        // The recording lags the screen: let the exit status reach it, so the stream is whole.
        let _ = s.wait_recorded(0, b"phonedesk-exit=", tty::session::WAIT);
        if let Err(e) = hostile::check_terminal_stream(&s.recorded()) {
            self.fail(s, &format!("text reached the terminal: {e}"));
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn random_keys_pastes_unfinished_sequences_and_resizes_never_break_the_ui() {
    let seed = env_number("PHONEDESK_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (now.as_nanos() as u64) ^ u64::from(std::process::id())
    });
    let budget = Duration::from_secs(env_number("PHONEDESK_FUZZ_SECS").unwrap_or(DEFAULT_SECS));
    println!(
        "terminal fuzz: seed {seed}, {budget:?} (replay: PHONEDESK_FUZZ_SEED={seed} cargo test --test terminal_fuzz)"
    );
    let fixtures = tempfile::tempdir().unwrap();
    let db = hostile::database(fixtures.path());
    let mut run = Run {
        seed,
        rng: Rng(seed),
        life: 0,
        log: Vec::new(),
        actions: 0,
        resizes: 0,
        pastes: 0,
    };
    let started = Instant::now();
    while run.life == 0 || started.elapsed() < budget {
        run.life += 1;
        run.log.clear();
        let s = Session::start_with(
            &format!("fuzz{}", run.life),
            &Options {
                db: Some(db.clone()),
                args: Some(&["--operator", "fuzz\u{2028}er"]),
                record: true,
                ..Options::default()
            },
        );
        s.wait_for("Results · ");
        let mut current = (120, 35);
        let steps = run.rng.range(10, 60);
        for _ in 0..steps {
            if started.elapsed() >= budget {
                break;
            }
            run.act(&s, &mut current);
        }
        run.end(&s);
    }
    println!(
        "terminal fuzz: seed {seed}: {} lives, {} actions ({} resizes, {} pastes) in {:.1?}",
        run.life,
        run.actions,
        run.resizes,
        run.pastes,
        started.elapsed()
    );
}
