//! Issue 10, item 17: small screens. At 80x24 the blocked marker, the SMS column and the footer
//! keys stay visible; the least important columns go first; the footer wraps.

use phonedesk::tui::keymap::Command;

use super::harness::Harness;

#[test]
fn at_80x24_the_list_keeps_the_blocked_marker_and_the_sms_column() {
    let mut t = Harness::new(80, 24);
    t.type_text("e");
    let screen = t.screen();
    let elena = screen
        .lines()
        .find(|l| l.contains("Elena Petrova"))
        .unwrap_or_default();
    assert!(elena.contains("blocked"), "{screen}");
    assert!(elena.contains("not in policy"), "{screen}");
    insta::assert_snapshot!("small_list_80x24", screen);
}

#[test]
fn at_80x24_the_footer_wraps_instead_of_losing_keys() {
    let mut t = Harness::new(80, 24);
    t.type_text("daniel");
    t.press(Command::Submit);
    let screen = t.screen();
    let footer: String = screen.lines().rev().take(4).collect::<Vec<_>>().join("\n");
    for hint in [
        "e edit",
        "d delete",
        "s SMS sign-in",
        "b block",
        "Esc back",
        "? help",
    ] {
        assert!(footer.contains(hint), "{hint} is missing:\n{screen}");
    }
    insta::assert_snapshot!("small_methods_80x24", screen);
}

#[test]
fn narrower_lists_drop_the_least_important_columns_first() {
    let mut t = Harness::new(120, 40);
    t.type_text("e");
    let wide = t.screen();
    assert!(wide.contains(" loc") && wide.contains(" mobile "), "{wide}");
    t.resize(64, 20);
    let narrow = t.screen();
    assert!(
        narrow.contains("SMS sign-in") && narrow.contains("blocked"),
        "{narrow}"
    );
    assert!(
        !narrow.contains(" mobile "),
        "the masked mobile stayed:\n{narrow}"
    );
    t.resize(60, 16);
    let smallest = t.screen();
    assert!(
        smallest.contains("SMS sign-in") && smallest.contains("blocked"),
        "{smallest}"
    );
}
