//! Issue 10, item 5: errors are never lost. A refusal known in advance is in the dialog before
//! any "yes"; long messages wrap; errors wait in a popup until dismissed; every notice and error
//! is in the message log.

use std::time::{Duration, Instant};

use phonedesk::tui::keymap::Command;

use super::harness::{Harness, SIZES};

#[test]
fn deleting_the_default_method_says_why_in_the_dialog_and_offers_no_yes() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.type_text("sam okafor");
        t.press(Command::Submit);
        t.press(Command::Delete);
        let dialog = t.screen();
        assert!(dialog.contains("is the default MFA method"), "{dialog}");
        assert!(!dialog.contains("y yes"), "{dialog}");
        insta::assert_snapshot!(format!("refused_delete_{w}x{h}"), dialog);
        let before = t.audit_len();
        t.press(Command::Confirm);
        t.press(Command::Back);
        assert!(t.app.modal.is_none());
        let sam = t.app.store.user("sam.okafor@fabrikam.example").unwrap();
        assert_eq!(sam.phone_methods.len(), 1, "the number was deleted");
        assert_eq!(t.audit_len(), before);
    }
}

#[test]
fn a_long_error_wraps_and_waits_until_it_is_dismissed() {
    let mut t = Harness::new(80, 24);
    t.type_text("grace");
    t.keys(&["esc"]);
    t.press(Command::Block);
    let screen = t.screen();
    // The whole reason, wrapped, not cut at the screen's edge.
    assert!(screen.contains("Cannot block Grace Kim"), "{screen}");
    assert!(
        screen.contains("privileged-auth-admin may act") && screen.contains("on admins"),
        "{screen}"
    );
    insta::assert_snapshot!("error_popup_80x24", screen);
    t.app.tick(Instant::now() + Duration::from_secs(600));
    assert!(
        t.screen().contains("Cannot block Grace Kim"),
        "the error went away by itself"
    );
    // Keys other than the ones that dismiss do nothing while it waits.
    t.type_text("q");
    assert!(!t.app.should_quit());
    t.keys(&["esc"]);
    assert!(!t.screen().contains("Cannot block Grace Kim"));
}

#[test]
fn every_notice_and_error_is_in_the_message_log() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.type_text("grace");
        t.keys(&["esc"]);
        t.press(Command::Reveal);
        t.keys(&["esc"]);
        t.press(Command::FocusSearch);
        t.type_text("kwame");
        t.keys(&["esc"]);
        t.press(Command::Block);
        t.type_text("lost phone");
        t.press(Command::Submit);
        t.app.tick(Instant::now() + Duration::from_secs(600));
        assert!(
            !t.screen().contains("saved: blocked"),
            "the notice did not expire"
        );
        t.run("messages");
        let log = t.screen();
        assert!(log.contains("saved: blocked"), "{log}");
        assert!(log.contains("stay masked"), "{log}");
        insta::assert_snapshot!(format!("message_log_{w}x{h}"), log);
        t.keys(&["esc"]);
        assert!(t.app.modal.is_none());
    }
}
