//! Issue 10, item 16: copy to the clipboard with OSC 52: the UPN, a correlation id, the ticket
//! note. (tests/terminal.rs checks that the sequence reaches the terminal's clipboard.)

use phonedesk::tui::keymap::Command;

use super::harness::Harness;

#[test]
fn y_copies_the_upn_the_correlation_id_and_the_ticket_note() {
    let mut t = Harness::new(120, 40);
    t.type_text("liam");
    t.keys(&["esc"]);
    t.run("copy");
    assert!(
        t.screen()
            .contains("copied the UPN liam.obrien@fabrikam.example")
    );
    assert_eq!(
        t.app.take_clipboard().as_deref(),
        Some("liam.obrien@fabrikam.example")
    );
    t.press(Command::PaneSignIn);
    t.press(Command::NewSignIn);
    t.press(Command::Down);
    t.press(Command::Open);
    t.run("copy");
    let id = t.app.take_clipboard().unwrap();
    assert!(
        t.screen().contains(&format!("Correlation id {id}")),
        "{}",
        t.screen()
    );
    t.press(Command::PaneTroubleshoot);
    t.press(Command::NewWizard);
    t.press(Command::Open);
    t.run("copy");
    let note = t.app.take_clipboard().unwrap();
    assert!(
        note.starts_with('#') && note.contains("liam.obrien"),
        "{note}"
    );
    assert!(t.screen().contains("copied the ticket note"));
}
