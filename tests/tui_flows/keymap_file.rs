//! Issue 10, item 14: keymap file mistakes are refused with their line and column, and the file
//! is ignored: two commands on one key, quit, force-quit (Ctrl-C must always quit) or help left
//! without their key.

use phonedesk::domain::Role;
use phonedesk::tui::keymap::{Command, Keymap};

use super::harness::Harness;

fn problem(text: &str) -> String {
    let (map, problem) = Keymap::with_user_file(Some(text));
    assert_eq!(map.hint(Command::Quit), "q", "a bad file was not ignored");
    problem.unwrap_or_else(|| panic!("{text:?} was accepted"))
}

#[test]
fn two_commands_on_one_key_are_refused_where_they_are_written() {
    let why = problem("# mine\nhelp = [\"?\"]\nquit = [\"x\", \"r\"]\n");
    assert!(why.contains("line 3, column 14"), "{why}");
    assert!(why.contains("quit") && why.contains("reveal"), "{why}");
}

#[test]
fn ctrl_c_always_quits() {
    let why = problem("force_quit = [\"ctrl-q\"]\n");
    assert!(
        why.contains("line 1, column 14") && why.contains("ctrl-c"),
        "{why}"
    );
    let why = problem("copy = [\"ctrl-c\"]\n");
    assert!(
        why.contains("line 1, column 9") && why.contains("Ctrl-C"),
        "{why}"
    );
}

#[test]
fn quit_and_help_keep_a_key() {
    let why = problem("quit = []\n");
    assert!(why.contains("line 1, column 8"), "{why}");
    let why = problem("x = 1\nhelp = []\n");
    assert!(why.contains("line 1"), "{why}");
    let why = problem("\n\nhelp = []\n");
    assert!(
        why.contains("line 3, column 8") && why.contains("help"),
        "{why}"
    );
}

#[test]
fn shape_mistakes_have_a_place_too() {
    for (text, at) in [
        ("quit = \"q\"\n", "line 1, column 8"),
        ("\nfrobnicate = [\"x\"]\n", "line 2, column 1"),
        ("quit = [\"ctrl-\"]\n", "line 1, column 9"),
        ("quit = [\"q\"\n", "line 1"),
    ] {
        let why = problem(text);
        assert!(why.contains(at), "{text:?}: {why}");
    }
}

#[test]
fn a_good_file_still_applies() {
    let (map, problem) = Keymap::with_user_file(Some("quit = [\"ctrl-q\"]\ncopy = [\"Y\"]\n"));
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(map.hint(Command::Quit), "Ctrl-Q");
}

#[test]
fn the_app_shows_the_mistake_with_its_place_until_dismissed() {
    let mut t = Harness::with(80, 24, Role::AuthAdmin, Some("quit = [\"r\"]\n"));
    let screen = t.screen();
    assert!(screen.contains("keymap.toml was ignored"), "{screen}");
    assert!(screen.contains("line 1, column 9"), "{screen}");
    insta::assert_snapshot!("keymap_refused_80x24", screen);
    t.keys(&["esc"]);
    assert!(!t.screen().contains("line 1, column 9"));
}
