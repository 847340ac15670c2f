//! Issue 10, item 8: reveal toggles (a second `r` masks again, with no audit entry), every box
//! shows the revealed number, and no reveal is offered where the role cannot reveal.

use phonedesk::tui::keymap::Command;

use super::harness::{Harness, SIZES};

#[test]
fn a_second_r_masks_again_without_another_audit_entry() {
    let mut t = Harness::new(120, 40);
    t.type_text("rosa");
    t.keys(&["esc"]);
    t.press(Command::Reveal);
    assert!(t.screen().contains("+1 2065550101"));
    let audited = t.audit_len();
    t.press(Command::Reveal);
    let screen = t.screen();
    assert!(!screen.contains("2065550101"), "{screen}");
    assert!(screen.contains("+1 ********01"), "{screen}");
    assert_eq!(t.audit_len(), audited, "masking again was audited");
}

#[test]
fn while_revealed_every_box_shows_the_revealed_number() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.type_text("sam okafor");
        t.press(Command::Submit);
        t.press(Command::Reveal);
        let screen = t.screen();
        assert!(
            !screen.contains("********42"),
            "a box still shows the masked number at {w}x{h}:\n{screen}"
        );
        assert!(screen.contains("+1 2065550142 looks right"), "{screen}");
        insta::assert_snapshot!(format!("revealed_{w}x{h}"), screen);
        t.press(Command::Delete);
        assert!(t.screen().contains("+1 2065550142"), "the dialog masks it");
    }
}

#[test]
fn no_reveal_is_offered_where_the_role_cannot_reveal() {
    let mut t = Harness::new(120, 40);
    t.type_text("grace");
    t.keys(&["esc"]);
    let screen = t.screen();
    assert!(!screen.contains("r reveal"), "{screen}");
    assert!(screen.contains("Numbers stay masked"), "{screen}");
    t.press(Command::Submit);
    let methods = t.screen();
    assert!(!methods.contains("r reveal"), "{methods}");
}
