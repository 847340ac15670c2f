//! Issue 10, item 18: the rest the audit found.

use phonedesk::tui::keymap::Command;

use super::harness::{Harness, SIZES};

#[test]
fn the_conditions_popup_says_its_changes_apply_at_once() {
    let mut t = Harness::new(120, 40);
    t.type_text("rosa");
    t.keys(&["esc", "3"]);
    t.press(Command::Conditions);
    let screen = t.screen();
    assert!(screen.contains("applies at once"), "{screen}");
    assert!(!screen.contains("cancel"), "{screen}");
    insta::assert_snapshot!("conditions_120x40", screen);
}

#[test]
fn the_flow_picker_offers_only_the_users_own_phones() {
    let mut t = Harness::new(120, 40);
    t.type_text("rosa");
    t.keys(&["esc", "3"]);
    t.press(Command::NewSignIn);
    let screen = t.screen();
    assert!(screen.contains("MFA · text to mobile"), "{screen}");
    assert!(!screen.contains("office"), "{screen}");
    assert!(!screen.contains("alternate"), "{screen}");
}

#[test]
fn help_scrolls_with_an_indicator_and_filters_with_slash() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.keys(&["esc"]);
        t.press(Command::Help);
        assert!(t.screen().contains("↓ more"), "{}", t.screen());
        t.press(Command::FocusSearch);
        t.type_text("ticket");
        let filtered = t.screen();
        assert!(filtered.contains("write the ticket note"), "{filtered}");
        assert!(!filtered.contains("Lookup pane"), "{filtered}");
        insta::assert_snapshot!(format!("help_filtered_{w}x{h}"), filtered);
        t.keys(&["esc", "esc", "esc"]);
        assert!(t.app.modal.is_none());
    }
}

#[test]
fn the_methods_selection_does_not_carry_over_to_the_next_user() {
    let mut t = Harness::new(120, 40);
    t.type_text("daniel");
    t.press(Command::Submit);
    t.press(Command::Bottom);
    assert!(t.screen().contains("Checks · office"));
    t.press(Command::Back);
    t.press(Command::FocusSearch);
    t.type_text("rosa");
    t.press(Command::Submit);
    let screen = t.screen();
    assert!(screen.contains("Checks · mobile"), "{screen}");
}

#[test]
fn choosing_the_current_default_again_changes_and_audits_nothing() {
    let mut t = Harness::new(120, 40);
    t.type_text("rosa");
    t.press(Command::Submit);
    let before = t.audit_len();
    t.press(Command::DefaultMethod);
    t.press(Command::Open);
    assert_eq!(t.audit_len(), before, "a no-op change was audited");
    assert!(t.screen().contains("nothing changed"));
}

#[test]
fn the_keypad_line_counts_presses_in_words() {
    let mut t = Harness::new(120, 40);
    t.type_text("noah");
    t.keys(&["esc", "3"]);
    t.press(Command::NewSignIn);
    for _ in 0..3 {
        t.press(Command::Down);
    }
    t.press(Command::Open);
    t.press(Command::AdvanceTime);
    t.press(Command::AnswerCall);
    let screen = t.screen();
    assert!(screen.contains("no keys pressed yet"), "{screen}");
    assert!(!screen.contains("keypad: 0 pressed"), "{screen}");
}

#[test]
fn refusals_read_as_sentences() {
    let mut t = Harness::new(120, 40);
    t.type_text("grace");
    t.keys(&["esc"]);
    t.press(Command::Block);
    // The old reason prompt took a reason first: type one if it opens, as an operator would.
    if t.app.modal.is_some() {
        t.type_text("reason");
        t.press(Command::Submit);
    }
    let screen = t.screen();
    assert!(screen.contains("Cannot block Grace Kim"), "{screen}");
    assert!(!screen.contains("block for"), "{screen}");
}
