//! The built binary in a real terminal: tmux runs phonedesk, `send-keys` types, `capture-pane`
//! reads the screen. Every wait is on screen text or pane state, never a fixed sleep.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_phonedesk");
const WAIT: Duration = Duration::from_secs(20);

fn tmux(socket: &str, args: &[&str]) -> Output {
    Command::new("tmux")
        .args(["-L", socket, "-f", "/dev/null"])
        .args(args)
        .output()
        .expect("tmux is needed for these tests (.ci/run installs it)")
}

/// One phonedesk in its own tmux server (a private socket, so tests run in parallel).
struct Session {
    socket: String,
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Session {
    fn start(name: &str, env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let session = Self {
            socket: format!("phonedesk-test-{name}-{}", std::process::id()),
            dir,
            db,
        };
        session.spawn("main", env);
        session
    }

    fn spawn(&self, window: &str, env: &[(&str, &str)]) {
        let mut command = format!("{BIN} --db '{}' --operator helpdesk", self.db.display());
        for (k, v) in env {
            command = format!("{k}='{v}' {command}");
        }
        // A shell runs phonedesk and stays alive after it, so the pane's state (alternate
        // screen, cursor) can be read after the exit; its status is printed on the screen.
        let command = format!(
            "sh -c \"env TERM=xterm-256color {} ; echo phonedesk-exit=\\$?; exec cat\"",
            command.replace('"', "\\\"")
        );
        // Files phonedesk writes (ticket notes) land in the test's own directory.
        let cwd = self.dir.path().display().to_string();
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
                    "120",
                    "-y",
                    "35",
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
    }

    fn target(window: &str) -> String {
        format!("t:{window}")
    }

    fn keys(&self, keys: &[&str]) {
        self.keys_to("main", keys);
    }

    fn keys_to(&self, window: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t"];
        let target = Self::target(window);
        args.push(&target);
        args.extend_from_slice(keys);
        tmux(&self.socket, &args);
    }

    fn text(&self, text: &str) {
        let target = Self::target("main");
        tmux(&self.socket, &["send-keys", "-t", &target, "-l", text]);
    }

    fn screen_of(&self, window: &str) -> String {
        let target = Self::target(window);
        String::from_utf8_lossy(&tmux(&self.socket, &["capture-pane", "-p", "-t", &target]).stdout)
            .into_owned()
    }

    fn pane_var(&self, window: &str, var: &str) -> String {
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
    fn wait_for_in(&self, window: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen_of(window);
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < WAIT,
                "waited for {needle:?}; the screen is:\n{screen}"
            );
            std::thread::yield_now();
        }
    }

    fn wait_for(&self, needle: &str) -> String {
        self.wait_for_in("main", needle)
    }

    /// Waits for phonedesk in `window` to end; returns its exit status.
    fn wait_exit(&self, window: &str) -> i32 {
        let screen = self.wait_for_in(window, "phonedesk-exit=");
        let status = screen
            .split("phonedesk-exit=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok());
        status.unwrap_or_else(|| panic!("no exit status on the screen:\n{screen}"))
    }

    /// The pid of phonedesk, the child of the pane's shell.
    fn pid(&self, window: &str) -> String {
        let shell = self.pane_var(window, "pane_pid");
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&self.socket, &["kill-server"]);
    }
}

fn phonedesk(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_edit_in_the_tui_survives_quit_and_the_terminal_is_restored() {
    let s = Session::start("edit", &[]);
    s.wait_for("Results · 29 of 29");
    assert_eq!(s.pane_var("main", "alternate_on"), "1");
    // Find the user with a wrong country code by part of their number, fix it with the suggestion.
    s.text("570157");
    s.wait_for("Liam O'Brien");
    s.keys(&["Enter"]);
    s.wait_for("valid with AU's country code");
    s.keys(&["x"]);
    s.wait_for("Apply the suggested correction?");
    s.keys(&["y"]);
    s.wait_for("saved: corrected the mobile number");
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
    assert_eq!(
        s.pane_var("main", "alternate_on"),
        "0",
        "the alternate screen was not left"
    );
    assert_eq!(
        s.pane_var("main", "cursor_flag"),
        "1",
        "the cursor was not shown again"
    );
    let out = phonedesk(
        &s.db,
        &[
            "--role",
            "privileged-auth-admin",
            "phone",
            "list",
            "liam.obrien@fabrikam.example",
            "--json",
            "--reveal",
        ],
    );
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("+61 491570157"), "{list}");
}

#[test]
fn a_second_instance_reports_in_use_and_leaves_the_terminal_alone() {
    let s = Session::start("second", &[]);
    s.wait_for("Results · 29 of 29");
    s.spawn("second", &[]);
    assert_eq!(s.wait_exit("second"), 1);
    let screen = s.screen_of("second");
    assert!(screen.contains("in use"), "{screen}");
    assert!(screen.contains(&s.db.display().to_string()), "{screen}");
    assert_eq!(s.pane_var("second", "alternate_on"), "0");
    // q is a letter in the search box; Esc leaves it first.
    // Wait for the focus to move before q: an ESC and a q read together are Alt-q.
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let s = Session::start(&format!("sig{signal}"), &[]);
        s.wait_for("Results · 29 of 29");
        let pid = s.pid("main");
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        assert_eq!(s.wait_exit("main"), code, "exit status after SIG{signal}");
        assert_eq!(s.pane_var("main", "alternate_on"), "0");
    }
}

#[test]
fn tiny_and_changing_sizes_show_a_notice_not_a_crash() {
    let s = Session::start("resize", &[]);
    s.wait_for("Results · 29 of 29");
    for (w, h) in [("40", "10"), ("1", "1"), ("200", "3"), ("59", "16")] {
        tmux(&s.socket, &["resize-window", "-t", "t", "-x", w, "-y", h]);
    }
    s.wait_for("too small");
    tmux(
        &s.socket,
        &["resize-window", "-t", "t", "-x", "120", "-y", "35"],
    );
    s.wait_for("Results · 29 of 29");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
}

#[test]
fn no_color_keeps_the_selection_visible() {
    let s = Session::start("nocolor", &[("NO_COLOR", "1")]);
    s.wait_for("Results · 29 of 29");
    s.keys(&["Down"]);
    let screen = s.wait_for("> Ahmed Haddad");
    assert!(screen.contains("> Ahmed Haddad"), "{screen}");
    let target = Session::target("main");
    let styled = String::from_utf8_lossy(
        &tmux(&s.socket, &["capture-pane", "-p", "-e", "-t", &target]).stdout,
    )
    .into_owned();
    let coloured = styled.split('\u{1b}').any(|seq| {
        let b = seq.as_bytes();
        b.len() > 3
            && b[0] == b'['
            && matches!(b[1], b'3' | b'4' | b'9')
            && (b'0'..=b'8').contains(&b[2])
    });
    assert!(!coloured, "a colour was drawn under NO_COLOR: {styled:?}");
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
}

#[test]
fn without_a_terminal_phonedesk_refuses_and_writes_no_escape_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("--db")
        .arg(dir.path().join("db"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "wrote to stdout: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs a terminal") && err.contains("phonedesk --help"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'));
}

#[test]
fn a_dumb_terminal_gets_a_clear_refusal() {
    let s = Session::start("dumb", &[("TERM", "dumb")]);
    assert_eq!(s.wait_exit("main"), 1);
    let screen = s.screen_of("main");
    assert!(screen.contains("TERM=dumb"), "{screen}");
    assert_eq!(s.pane_var("main", "alternate_on"), "0");
}

#[test]
fn the_sms_sign_in_demo_plays_in_the_tui_to_success() {
    let s = Session::start("demo", &[]);
    s.wait_for("Results · 29 of 29");
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["3"]);
    s.wait_for("Nothing is running.");
    s.keys(&["p"]);
    s.wait_for("Guided demos");
    s.keys(&["Enter"]);
    s.wait_for("step 1/3");
    s.keys(&["Space"]);
    s.wait_for("step 2/3");
    s.keys(&["Space"]);
    s.wait_for("You're signed in.");
    s.keys(&["Space"]);
    s.wait_for("demo over: success");
    s.keys(&["Escape"]);
    s.wait_for("Nothing is running.");
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
    let log = phonedesk(
        &s.db,
        &["log", "--user", "rosa.delgado@fabrikam.example", "--json"],
    );
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(
        text.contains("\"success\""),
        "the sign-in log has no success: {text}"
    );
}

#[test]
fn the_wizard_walks_a_scenario_from_symptom_to_fix_in_the_tui() {
    let s = Session::start("wizard", &[]);
    s.wait_for("Results · 29 of 29");
    s.text("liam");
    s.wait_for("1 of 29");
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["4"]);
    s.wait_for("pick the symptom");
    s.keys(&["n"]);
    s.wait_for("What does the caller report?");
    s.keys(&["Enter"]);
    s.wait_for("Replace the mobile number");
    s.keys(&["Enter"]);
    s.wait_for("It is audited like any edit.");
    s.keys(&["y"]);
    s.wait_for("done; re-check");
    s.keys(&["w"]);
    // The full path, not a name the operator has to find.
    let written = s.wait_for("ticket note written to");
    let dir = s.dir.path().canonicalize().unwrap().display().to_string();
    let shown = written.replace('\n', "");
    assert!(
        shown.contains(&format!("{dir}/phonedesk-ticket-liam.obrien-")),
        "{written}"
    );
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
    let out = phonedesk(
        &s.db,
        &[
            "phone",
            "list",
            "liam.obrien@fabrikam.example",
            "--json",
            "--reveal",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("+61 491570157"));
}

#[test]
fn y_puts_the_upn_on_the_terminals_clipboard_with_osc_52() {
    let s = Session::start("osc52", &[]);
    // tmux takes OSC 52 from the programs it runs only when told to.
    tmux(&s.socket, &["set-option", "-g", "set-clipboard", "on"]);
    s.wait_for("Results · 29 of 29");
    s.text("rosa");
    s.wait_for("1 of 29");
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["y"]);
    s.wait_for("copied the UPN");
    let start = Instant::now();
    loop {
        let buffer = tmux(&s.socket, &["show-buffer"]);
        let text = String::from_utf8_lossy(&buffer.stdout).into_owned();
        if text == "rosa.delgado@fabrikam.example" {
            break;
        }
        assert!(start.elapsed() < WAIT, "the clipboard holds {text:?}");
        std::thread::yield_now();
    }
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
}

#[test]
fn a_keymap_file_with_a_mistake_is_shown_with_its_line_and_column_and_ignored() {
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("phonedesk")).unwrap();
    std::fs::write(
        config.path().join("phonedesk/keymap.toml"),
        "help = [\"?\"]\nquit = [\"r\"]\n",
    )
    .unwrap();
    let dir = config.path().display().to_string();
    let s = Session::start("keymap", &[("XDG_CONFIG_HOME", &dir)]);
    let screen = s.wait_for("keymap.toml was ignored");
    assert!(screen.contains("line 2, column 9"), "{screen}");
    s.keys(&["Escape"]);
    s.wait_for("Results · 29 of 29");
    // The defaults are in use: q (not r) quits once out of the search box.
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
}
