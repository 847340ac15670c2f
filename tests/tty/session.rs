//! One phonedesk in its own tmux server: `send-keys` types, `capture-pane` reads the screen,
//! `pipe-pane` records every byte phonedesk writes. Every wait is on screen text, pane state or
//! recorded output, never a fixed sleep.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_phonedesk");
pub const WAIT: Duration = Duration::from_secs(20);

pub fn tmux(socket: &str, args: &[&str]) -> Output {
    Command::new("tmux")
        .args(["-L", socket, "-f", "/dev/null"])
        .args(args)
        .output()
        .expect("tmux is needed for these tests (.ci/run installs it)")
}

/// Quotes `text` for `sh`.
pub fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// How to start phonedesk.
#[derive(Default)]
pub struct Options<'a> {
    pub env: &'a [(&'a str, &'a str)],
    /// Arguments after `--db DB` (default `--operator helpdesk`).
    pub args: Option<&'a [&'a str]>,
    /// The database (default `db` in the session's directory).
    pub db: Option<PathBuf>,
    /// The window size (default 120x35).
    pub size: Option<(u16, u16)>,
    /// Record everything phonedesk writes to the terminal (see [`Session::recorded`]).
    pub record: bool,
}

/// One phonedesk in its own tmux server (a private socket, so tests run in parallel).
pub struct Session {
    pub socket: String,
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    recording: Option<PathBuf>,
}

impl Session {
    pub fn start(name: &str, env: &[(&str, &str)]) -> Self {
        Self::start_with(
            name,
            &Options {
                env,
                ..Options::default()
            },
        )
    }

    pub fn start_with(name: &str, options: &Options<'_>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = options.db.clone().unwrap_or_else(|| dir.path().join("db"));
        let mut session = Self {
            socket: format!("phonedesk-test-{name}-{}", std::process::id()),
            dir,
            db,
            recording: None,
        };
        session.spawn_with("main", options);
        session
    }

    pub fn spawn(&mut self, window: &str, env: &[(&str, &str)]) {
        self.spawn_with(
            window,
            &Options {
                env,
                ..Options::default()
            },
        );
    }

    fn spawn_with(&mut self, window: &str, options: &Options<'_>) {
        let mut command = format!("{BIN} --db {}", sh_quote(&self.db.display().to_string()));
        for arg in options.args.unwrap_or(&["--operator", "helpdesk"]) {
            command = format!("{command} {}", sh_quote(arg));
        }
        for (k, v) in options.env {
            command = format!("{k}={} {command}", sh_quote(v));
        }
        // When recording, the shell waits for a line before it starts phonedesk, so that
        // `pipe-pane` is attached before the first byte; the recording is cut at phonedesk's
        // first byte (see `recorded`).
        let wait = if options.record { "read go; " } else { "" };
        // A shell runs phonedesk and stays alive after it, so the pane's state (alternate
        // screen, cursor) can be read after the exit; its status is printed on the screen.
        let command =
            format!("{wait}env TERM=xterm-256color {command}; echo phonedesk-exit=$?; exec cat");
        let command = format!("sh -c {}", sh_quote(&command));
        // Files phonedesk writes (ticket notes) land in the test's own directory.
        let cwd = self.dir.path().display().to_string();
        let (w, h) = options.size.unwrap_or((120, 35));
        let (w, h) = (w.to_string(), h.to_string());
        let out = if window == "main" {
            tmux(
                &self.socket,
                &[
                    "new-session",
                    "-d",
                    "-s",
                    "t",
                    "-n",
                    window,
                    "-x",
                    &w,
                    "-y",
                    &h,
                    "-c",
                    &cwd,
                    &command,
                ],
            )
        } else {
            tmux(
                &self.socket,
                &[
                    "new-window",
                    "-d",
                    "-t",
                    "t",
                    "-n",
                    window,
                    "-c",
                    &cwd,
                    &command,
                ],
            )
        };
        assert!(
            out.status.success(),
            "tmux failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if options.record {
            let file = self.dir.path().join(format!("{window}.out"));
            let pipe = format!("cat >> {}", sh_quote(&file.display().to_string()));
            let target = Self::target(window);
            let out = tmux(&self.socket, &["pipe-pane", "-O", "-t", &target, &pipe]);
            assert!(out.status.success(), "pipe-pane failed");
            // The pipe exists once its file does; then phonedesk may start.
            let start = Instant::now();
            while !file.exists() {
                assert!(start.elapsed() < WAIT, "pipe-pane never opened its file");
                std::thread::sleep(Duration::from_millis(2));
            }
            self.recording = Some(file);
            self.keys_to(window, &["Enter"]);
        }
    }

    pub fn target(window: &str) -> String {
        format!("t:{window}")
    }

    pub fn keys(&self, keys: &[&str]) {
        self.keys_to("main", keys);
    }

    pub fn keys_to(&self, window: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t"];
        let target = Self::target(window);
        args.push(&target);
        args.extend_from_slice(keys);
        tmux(&self.socket, &args);
    }

    /// Types `text` literally.
    pub fn text(&self, text: &str) {
        let target = Self::target("main");
        tmux(&self.socket, &["send-keys", "-t", &target, "-l", text]);
    }

    /// Sends raw bytes to phonedesk, as a terminal would (any bytes, complete or not).
    pub fn bytes(&self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let target = Self::target("main");
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut args = vec!["send-keys", "-t", &target, "-H"];
        args.extend(hex.iter().map(String::as_str));
        tmux(&self.socket, &args);
    }

    /// Pastes `text` as the terminal does for an application that asked for bracketed paste.
    pub fn paste(&self, text: &str) {
        let file = self.dir.path().join("paste.txt");
        std::fs::write(&file, text).unwrap();
        let path = file.display().to_string();
        let out = tmux(&self.socket, &["load-buffer", "-b", "fuzz", &path]);
        assert!(out.status.success(), "load-buffer failed");
        let target = Self::target("main");
        let out = tmux(
            &self.socket,
            &["paste-buffer", "-p", "-d", "-b", "fuzz", "-t", &target],
        );
        assert!(out.status.success(), "paste-buffer failed");
    }

    pub fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        let out = tmux(
            &self.socket,
            &["resize-window", "-t", "t", "-x", &w, "-y", &h],
        );
        assert!(out.status.success(), "resize-window failed");
    }

    pub fn screen_of(&self, window: &str) -> String {
        let target = Self::target(window);
        String::from_utf8_lossy(&tmux(&self.socket, &["capture-pane", "-p", "-t", &target]).stdout)
            .into_owned()
    }

    pub fn screen(&self) -> String {
        self.screen_of("main")
    }

    pub fn pane_var(&self, window: &str, var: &str) -> String {
        let target = Self::target(window);
        let format = format!("#{{{var}}}");
        String::from_utf8_lossy(
            &tmux(
                &self.socket,
                &["display-message", "-p", "-t", &target, &format],
            )
            .stdout,
        )
        .trim()
        .to_owned()
    }

    /// Polls the screen until `needle` shows up.
    pub fn wait_for_in(&self, window: &str, needle: &str) -> String {
        self.wait_until_in(window, WAIT, |screen| screen.contains(needle))
            .unwrap_or_else(|screen| panic!("waited for {needle:?}; the screen is:\n{screen}"))
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_for_in("main", needle)
    }

    /// Polls the screen of `window` until `done` holds or `limit` passes; the last screen
    /// either way.
    pub fn wait_until_in(
        &self,
        window: &str,
        limit: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let start = Instant::now();
        loop {
            let screen = self.screen_of(window);
            if done(&screen) {
                return Ok(screen);
            }
            if start.elapsed() >= limit {
                return Err(screen);
            }
            std::thread::yield_now();
        }
    }

    /// Waits for phonedesk in `window` to end; returns its exit status.
    pub fn wait_exit(&self, window: &str) -> i32 {
        self.wait_exit_within(window, WAIT)
            .unwrap_or_else(|screen| panic!("phonedesk did not exit; the screen is:\n{screen}"))
    }

    /// The screen and its scrollback with wrapped lines joined (a small window wraps the exit
    /// status and scrolls it off).
    pub fn joined_screen_of(&self, window: &str) -> String {
        let target = Self::target(window);
        let out = tmux(
            &self.socket,
            &["capture-pane", "-p", "-J", "-S", "-", "-t", &target],
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits up to `limit` for phonedesk in `window` to end; its exit status, or the screen.
    pub fn wait_exit_within(&self, window: &str, limit: Duration) -> Result<i32, String> {
        let start = Instant::now();
        let screen = loop {
            let screen = self.joined_screen_of(window);
            if screen.contains("phonedesk-exit=") {
                break screen;
            }
            if start.elapsed() >= limit {
                return Err(screen);
            }
            std::thread::yield_now();
        };
        let status = screen
            .split("phonedesk-exit=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok());
        Ok(status.unwrap_or_else(|| panic!("no exit status on the screen:\n{screen}")))
    }

    /// The pid of phonedesk, the child of the pane's shell.
    pub fn pid(&self, window: &str) -> String {
        let shell = self.pane_var(window, "pane_pid");
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    /// Everything phonedesk has written to the terminal so far (a session started with
    /// `record`), from its first byte (entering the alternate screen) to its exit.
    pub fn recorded(&self) -> Vec<u8> {
        let file = self
            .recording
            .as_ref()
            .expect("the session does not record");
        let bytes = std::fs::read(file).unwrap_or_default();
        let start = find(&bytes, b"\x1b[?1049h").unwrap_or(bytes.len());
        let bytes = &bytes[start..];
        let end = find(bytes, b"phonedesk-exit=").unwrap_or(bytes.len());
        bytes[..end].to_vec()
    }

    /// Everything written to the terminal up to phonedesk's exit status, as text with the
    /// terminal's CR LF turned back into LF: what a headless command printed (and the echo of
    /// the line that started it).
    pub fn recorded_text(&self) -> String {
        let file = self
            .recording
            .as_ref()
            .expect("the session does not record");
        let bytes = std::fs::read(file).unwrap_or_default();
        let end = find(&bytes, b"phonedesk-exit=").unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end]).replace("\r\n", "\n")
    }

    /// How many bytes the recording holds (the shell's echo included).
    pub fn recorded_len(&self) -> usize {
        let file = self
            .recording
            .as_ref()
            .expect("the session does not record");
        std::fs::metadata(file).map_or(0, |m| m.len() as usize)
    }

    /// Waits up to `limit` until the recording after byte `from` holds `needle`.
    pub fn wait_recorded(&self, from: usize, needle: &[u8], limit: Duration) -> bool {
        let file = self
            .recording
            .as_ref()
            .expect("the session does not record");
        let start = Instant::now();
        loop {
            let bytes = std::fs::read(file).unwrap_or_default();
            if bytes.len() > from && find(&bytes[from..], needle).is_some() {
                return true;
            }
            if start.elapsed() >= limit {
                return false;
            }
            // The file grows only when phonedesk writes; look again shortly.
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&self.socket, &["kill-server"]);
    }
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
