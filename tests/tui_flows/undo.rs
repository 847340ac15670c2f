//! Issue 10, item 9: undo the last change of the session through the same audited store edit.

use phonedesk::tui::keymap::Command;

use super::harness::{Harness, SIZES};

const DANIEL: &str = "daniel.fischer@fabrikam.example";

#[test]
fn undo_puts_back_a_changed_number_and_is_audited() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.type_text("daniel");
        t.press(Command::Submit);
        t.press(Command::Down);
        t.press(Command::Edit);
        t.keys(&["ctrl-u"]);
        t.type_text("+1 425 555 0199");
        t.press(Command::Submit);
        t.press(Command::Confirm);
        let changed = t.app.store.user(DANIEL).unwrap();
        assert_eq!(
            changed.phone_methods[1].phone_number.to_string(),
            "+1 4255550199"
        );
        t.run("undo");
        let dialog = t.screen();
        assert!(dialog.contains("Undo the last change?"), "{dialog}");
        insta::assert_snapshot!(format!("undo_{w}x{h}"), dialog);
        t.press(Command::Confirm);
        let back = t.app.store.user(DANIEL).unwrap();
        assert_eq!(
            back.phone_methods[1].phone_number.to_string(),
            "+1 4255550121"
        );
        let trail = t.app.store.audit(None, 2).unwrap();
        assert!(
            trail.iter().all(|e| e.action == "phone.update"),
            "{trail:?}"
        );
        assert!(t.screen().contains("undone"), "{}", t.screen());
        t.run("undo");
        assert!(t.screen().contains("nothing to undo"));
    }
}

#[test]
fn undo_of_a_delete_adds_the_number_back_with_sms_sign_in() {
    let mut t = Harness::new(120, 40);
    t.type_text("lucas");
    t.press(Command::Submit);
    t.press(Command::DefaultMethod);
    t.press(Command::Down);
    t.press(Command::Down);
    t.press(Command::Open);
    t.press(Command::Delete);
    t.press(Command::Confirm);
    let upn = "lucas.meyer@fabrikam.example";
    assert!(t.app.store.user(upn).unwrap().phone_methods.is_empty());
    t.run("undo");
    t.press(Command::Confirm);
    let lucas = t.app.store.user(upn).unwrap();
    assert_eq!(lucas.phone_methods.len(), 1);
    assert!(
        lucas.phone_methods[0].sms_sign_in_enabled,
        "SMS sign-in was not re-enabled"
    );
}
