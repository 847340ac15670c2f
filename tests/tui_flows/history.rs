//! Item 13: the Methods pane shows the user's recent sign-in attempts, with how each ended and
//! why and when, beside the audit trail; read by the worker, refreshed when the pane is opened.

use std::time::{Duration, Instant};

use phonedesk::tui::app::PaneId;
use phonedesk::tui::keymap::Command;

use super::harness::Harness;

/// Runs an SMS sign-in with Rosa Delgado's number, typing `code` (or the right one).
fn sms_sign_in(t: &mut Harness, code: Option<&str>) {
    t.press(Command::PaneSignIn);
    t.press(Command::NewSignIn);
    t.press(Command::Open);
    t.type_text("+1 (206) 555-0101");
    t.press(Command::Open);
    t.press(Command::AdvanceTime);
    let sent = t
        .app
        .signin
        .session
        .as_ref()
        .unwrap()
        .code_on_phone()
        .unwrap();
    t.type_text(code.unwrap_or(&sent));
    t.press(Command::Open);
}

#[test]
fn the_methods_pane_lists_the_users_sign_in_attempts_beside_the_audit_trail() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut t = Harness::new(w, h);
        t.type_text("rosa");
        t.press(Command::Submit);
        assert_eq!(t.app.pane, PaneId::Methods);
        let before = t.screen();
        assert!(before.contains("Sign-in attempts"), "{before}");
        assert!(
            before.contains("No sign-in attempts in the last 30"),
            "{before}"
        );
        sms_sign_in(&mut t, Some("000000"));
        sms_sign_in(&mut t, None);
        assert!(t.screen().contains("You're signed in."), "{}", t.screen());
        // Back on Methods: the log is read again, newest first.
        t.press(Command::PaneMethods);
        t.settle();
        // The notice of the first simulation has gone, as it does after a few seconds.
        t.app.tick(Instant::now() + Duration::from_secs(600));
        let after = t.screen();
        assert!(after.contains("Audit trail"), "{after}");
        let signed_in = after.find("✓ signed in · SMS sign-in");
        let denied = after.find("✗ denied: user entered");
        assert!(
            signed_in.is_some() && denied.is_some() && denied > signed_in,
            "the attempts are missing or out of order at {w}x{h}:\n{after}"
        );
        if w >= 120 {
            assert!(
                after.contains("✗ denied: user entered incorrect code"),
                "{after}"
            );
        }
        // Times relative to the app's clock (the Sign-in pane moved it on).
        assert!(
            after.contains("s ago  ✓") || after.contains("min ago  ✓"),
            "{after}"
        );
        insta::assert_snapshot!(format!("sign_in_history_{w}x{h}"), after);
    }
}
