//! Issue 10, item 15: the mouse clicks pane tabs, rows and buttons; the wheel scrolls lists,
//! the timeline, the wizard's path and help.

use phonedesk::tui::app::PaneId;
use phonedesk::tui::keymap::Command;

use super::harness::Harness;

#[test]
fn a_click_on_a_tab_a_row_or_a_footer_key_does_what_its_key_does() {
    let mut t = Harness::new(120, 40);
    t.type_text("okafor");
    t.click("Sam Okafor");
    assert!(
        t.screen().contains("sam.okafor@fabrikam.example"),
        "the row was not selected"
    );
    assert!(!t.app.is_typing());
    t.click("2 Methods");
    assert_eq!(t.app.pane, PaneId::Methods);
    t.click("Office  ");
    assert!(t.screen().contains("Checks · office"), "{}", t.screen());
    t.click("? help");
    assert!(t.screen().contains("Help · keys"));
    t.keys(&["esc"]);
    t.click("3 Sign-in");
    assert_eq!(t.app.pane, PaneId::SignIn);
}

#[test]
fn dialog_buttons_and_choices_are_clickable() {
    let mut t = Harness::new(120, 40);
    t.type_text("daniel");
    t.press(Command::Submit);
    t.press(Command::Down);
    t.press(Command::Delete);
    t.click_into("· n no", 2);
    assert!(t.app.modal.is_none());
    assert_eq!(
        t.app
            .store
            .user("daniel.fischer@fabrikam.example")
            .unwrap()
            .phone_methods
            .len(),
        3
    );
    t.press(Command::DefaultMethod);
    t.click("Text to mobile");
    let daniel = t.app.store.user("daniel.fischer@fabrikam.example").unwrap();
    assert_eq!(
        daniel.default_mfa_method.map(|m| m.label()),
        Some("Text to mobile")
    );
}

#[test]
fn the_wheel_scrolls_the_list_and_the_help() {
    let mut t = Harness::new(120, 40);
    t.keys(&["esc"]);
    t.wheel("Ava Thompson", 2);
    assert_eq!(
        t.app.lookup.selected, 6,
        "the wheel did not move down the list"
    );
    t.press(Command::Help);
    let top = t.screen();
    t.wheel("Everywhere", 3);
    let scrolled = t.screen();
    assert_ne!(top, scrolled, "the wheel did not scroll the help");
    assert!(scrolled.contains("lines 10-"), "{scrolled}");
}

#[test]
fn the_wheel_scrolls_the_timeline() {
    let mut t = Harness::new(80, 24);
    t.type_text("noah");
    t.keys(&["esc", "3"]);
    t.press(Command::NewSignIn);
    t.press(Command::Down);
    t.press(Command::Open);
    for _ in 0..2 {
        t.press(Command::AdvanceTime);
        t.press(Command::AdvanceTime);
        t.press(Command::Resend);
    }
    let newest = t.screen();
    assert!(
        !newest.contains("[+0.0s] service: MFA for"),
        "the first step fits: {newest}"
    );
    t.wheel("[+", -10);
    let older = t.screen();
    assert!(older.contains("[+0.0s] service: MFA for"), "{older}");
    t.wheel("[+", 10);
    assert_eq!(t.screen(), newest);
}
