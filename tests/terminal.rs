//! The built binary in a real terminal: tmux runs phonedesk, `send-keys` types, `capture-pane`
//! reads the screen, `pipe-pane` records what phonedesk writes. Every wait is on screen text,
//! pane state or recorded output, never a fixed sleep (the one pause models an operator who
//! stops typing, so that the input decoder's timeout passes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tty;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tty::hostile;
use tty::session::{BIN, Options, Session, WAIT, tmux};

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
    let mut s = Session::start("second", &[]);
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
    s.wait_for("step 1/4");
    s.keys(&["Space"]);
    s.wait_for("step 2/4");
    s.keys(&["Space"]);
    // The code is on the phone before it is typed: a step of its own.
    let arrived = s.wait_for("step 3/4");
    let arrived = if arrived.contains("is your Microsoft sign-in") {
        arrived
    } else {
        s.wait_for("is your Microsoft sign-in")
    };
    assert!(!arrived.contains("You're signed in."), "{arrived}");
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
    // The demo played on a sandbox copy of its cast: the database's log is untouched.
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(
        !text.contains("\"success\""),
        "the demo wrote to the open database's sign-in log: {text}"
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
    // Nothing points to a symptom: the picker rests on the check-up, which suggests one.
    s.keys(&["Enter"]);
    s.wait_for("Check-up");
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

/// Beginnings of escape sequences and characters that never end, as a broken or hostile
/// terminal (or a paste of raw bytes) delivers them. crossterm 0.29 swallowed every key after
/// the long ones and the first key after the short ones, and held back the resize redraw.
const UNFINISHED: &[(&str, &[u8])] = &[
    ("ESC [", b"\x1b["),
    ("ESC O", b"\x1bO"),
    ("a lone 0xc2", b"\xc2"),
    ("ESC [ ?", b"\x1b[?"),
    ("ESC [ ? 1049 l", b"\x1b[?1049l"),
    ("ESC [ 200 ~ without its end", b"\x1b[200~"),
    ("ESC ] (OSC) without its end", b"\x1b]2;title"),
    ("ESC [ 1 ;", b"\x1b[1;"),
];

/// Longer than the input decoder waits for the rest of a sequence or paste (300 ms).
const PAUSE: Duration = Duration::from_millis(400);
/// How soon a resize must be drawn.
const REDRAW: Duration = Duration::from_secs(2);

/// Resizes the window and waits for phonedesk to have drawn the new size: the "too small" notice
/// names the size, so alternating sizes below the minimum proves each redraw.
fn resize_and_see_it_drawn(s: &Session, width: u16, height: u16) {
    s.resize(width, height);
    let needle = format!("this is {width}x{height}.");
    if let Err(screen) = s.wait_until_in("main", REDRAW, |screen| screen.contains(&needle)) {
        panic!("no redraw within {REDRAW:?} of a resize to {width}x{height}:\n{screen}");
    }
}

#[test]
fn keys_and_resizes_after_an_unfinished_sequence_are_not_lost() {
    let s = Session::start("unfinished", &[]);
    s.wait_for("Results · 29 of 29");
    for (i, (name, bytes)) in UNFINISHED.iter().enumerate() {
        s.bytes(bytes);
        // A resize is drawn at once, however the input stands.
        resize_and_see_it_drawn(&s, 50, 10 + i as u16);
        s.resize(120, 35);
        s.wait_for("Results · 29");
        // The operator pauses, then types: every key arrives.
        std::thread::sleep(PAUSE);
        s.text("liam");
        if let Err(screen) = s.wait_until_in("main", tty::session::WAIT, |screen| {
            screen.contains("/ liam ")
        }) {
            panic!("after {name}, typed keys were lost:\n{screen}");
        }
        s.wait_for("1 of 29");
        s.keys(&["C-u"]);
        s.wait_for("29 of 29");
    }
    s.keys(&["C-c"]);
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
    s.wait_for("keymap.toml was ignored");
    // (Waited for, not read off the first capture: tmux may show a frame half drawn.)
    s.wait_for("line 2, column 9");
    s.keys(&["Escape"]);
    s.wait_for("Results · 29 of 29");
    // The defaults are in use: q (not r) quits once out of the search box.
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["q"]);
    assert_eq!(s.wait_exit("main"), 0);
}

#[test]
fn ctrl_c_right_after_an_unfinished_sequence_quits_the_first_time() {
    for (i, (name, bytes)) in UNFINISHED
        .iter()
        .chain([("a paste with a Ctrl-C inside", &b"\x1b[200~+1 555"[..])].iter())
        .enumerate()
    {
        let s = Session::start(&format!("ctrlc{i}"), &[]);
        s.wait_for("Results · 29 of 29");
        let mut sent = bytes.to_vec();
        sent.push(0x03);
        s.bytes(&sent);
        match s.wait_exit_within("main", Duration::from_secs(5)) {
            Ok(code) => assert_eq!(code, 0, "after {name}"),
            Err(screen) => panic!("one Ctrl-C after {name} did not quit:\n{screen}"),
        }
        assert_eq!(s.pane_var("main", "alternate_on"), "0", "after {name}");
        assert_eq!(s.pane_var("main", "cursor_flag"), "1", "after {name}");
    }
}

#[test]
fn hostile_data_and_arguments_never_reach_the_terminal() {
    let fixtures = tempfile::tempdir().unwrap();
    let db = hostile::database(fixtures.path());
    // The database's path and the operator's name are shown in the title bar. (An operator name
    // with control characters is refused before the UI starts; U+2028 is not one.)
    let odd_dir = fixtures
        .path()
        .join("db \u{1b}]2;PWNED\u{7} \u{2028}\u{202E}x");
    std::fs::create_dir(&odd_dir).unwrap();
    let odd_db = odd_dir.join("db");
    std::fs::rename(&db, &odd_db).unwrap();
    let s = Session::start_with(
        "hostile",
        &Options {
            db: Some(odd_db),
            args: Some(&["--operator", "help\u{2028}desk\u{2029}"]),
            record: true,
            ..Options::default()
        },
    );
    s.wait_for("Results · 29 of 29");
    s.wait_for("Aa0 Evil");
    // The hostile users' profiles, their Methods pane with the audit trail, the troubleshooter.
    s.keys(&["Escape"]);
    s.wait_for(" / search ");
    s.keys(&["Enter"]);
    s.wait_for("Phone methods · Aa0");
    s.keys(&["4"]);
    s.wait_for("pick the symptom");
    s.keys(&["1", "/"]);
    s.wait_for("Results");
    // Text typed and pasted into the search box.
    s.paste(&hostile::hostile("Aa"));
    s.text("\u{2028}\u{2029}\u{202E}");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
    // The recording lags the screen: wait for the exit status to reach it.
    assert!(
        s.wait_recorded(0, b"phonedesk-exit=", tty::session::WAIT),
        "the recording never saw the exit"
    );
    let recorded = s.recorded();
    assert!(recorded.len() > 1000, "too little was recorded");
    if let Err(e) = hostile::check_terminal_stream(&recorded) {
        panic!("hostile text reached the terminal: {e}");
    }
}

#[test]
fn headless_commands_on_a_terminal_print_no_control_text() {
    let fixtures = tempfile::tempdir().unwrap();
    let db = hostile::database(fixtures.path());
    let odd = hostile::hostile("nobody");
    let runs: [&[&str]; 5] = [
        // The tenant file on the screen: names and reasons escaped as JSON does.
        &["export"],
        &["--role", "privileged-auth-admin", "export", "--reveal"],
        // clap writes its usage errors styled, with the argument raw, on a terminal.
        &[&odd],
        &["user", "search", "--limit", &odd],
        &["phone", "add", &odd, "--type", "mobile", "+1 2065550101"],
    ];
    for (i, args) in runs.iter().enumerate() {
        let s = Session::start_with(
            &format!("headless{i}"),
            &Options {
                db: Some(db.clone()),
                args: Some(args),
                record: true,
                ..Options::default()
            },
        );
        s.wait_exit("main");
        // tmux copies the pane's output to the recording on its own time: wait until the exit
        // status (written after everything phonedesk printed) is in the file too.
        assert!(
            s.wait_recorded(0, b"phonedesk-exit=", tty::session::WAIT),
            "{args:?}: the recording never saw the exit"
        );
        let text = s.recorded_text();
        assert!(text.len() > 20, "{args:?} printed nothing: {text:?}");
        hostile::assert_clean(&format!("phonedesk {args:?} on a terminal"), &text);
    }
}

/// Where `needle` starts on the screen, 1-based as mouse reports count (column, row).
fn cell_of(screen: &str, needle: &str) -> (usize, usize) {
    for (row, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (line[..at].chars().count() + 1, row + 1);
        }
    }
    panic!("{needle} is not on the screen:\n{screen}");
}

#[test]
fn a_click_and_the_wheel_from_the_terminal_do_what_their_keys_do() {
    let s = Session::start("mouse", &[]);
    let screen = s.wait_for("Results · 29 of 29");
    // Clicks and the wheel in SGR form; no report for every motion of the pointer.
    assert_eq!(s.pane_var("main", "mouse_sgr_flag"), "1");
    assert_eq!(s.pane_var("main", "mouse_standard_flag"), "1");
    assert_eq!(s.pane_var("main", "mouse_all_flag"), "0");
    assert_eq!(s.pane_var("main", "mouse_button_flag"), "0");
    // The wheel over the list moves the selection (three rows a notch) and leaves the box.
    let (x, y) = cell_of(&screen, "Ava Thompson");
    s.bytes(format!("\x1b[<65;{x};{y}M").as_bytes());
    s.wait_for("> Daniel Fischer");
    // A click on a tab, press and release as a terminal sends them.
    let (x, y) = cell_of(&screen, "2 Methods");
    s.bytes(format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m").as_bytes());
    s.wait_for("Phone methods · Daniel Fischer");
    // The old encoding, from a terminal without SGR reports: the tab of pane 1.
    let (x, y) = cell_of(&screen, "1 Lookup");
    let x10 = [0x1b, b'[', b'M', 32, 32 + x as u8, 32 + y as u8];
    s.bytes(&x10);
    s.wait_for("Results · 29 of 29");
    let back = s.screen();
    assert!(!back.contains("Phone methods"), "{back}");
    s.keys(&["C-c"]);
    assert_eq!(s.wait_exit("main"), 0);
    assert_eq!(
        s.pane_var("main", "mouse_any_flag"),
        "0",
        "mouse reports left on"
    );
}
