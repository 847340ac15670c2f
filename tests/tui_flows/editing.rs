//! Issue 10, item 4: readline keys in every field (Home/End, Ctrl-A/E/K/U/W, Left/Right), listed
//! in the help.

use phonedesk::tui::keymap::Command;

use super::harness::Harness;

#[test]
fn the_search_box_takes_the_readline_keys() {
    let mut t = Harness::new(80, 24);
    t.type_text("rosa delgado");
    t.keys(&["home"]);
    t.type_text("<");
    t.keys(&["end"]);
    t.type_text(">");
    assert_eq!(t.app.lookup.input.value(), "<rosa delgado>");
    t.keys(&["ctrl-a", "right", "right"]);
    t.keys(&["ctrl-k"]);
    assert_eq!(t.app.lookup.input.value(), "<r");
    t.keys(&["ctrl-e"]);
    t.type_text("osa delgado");
    t.keys(&["ctrl-w"]);
    assert_eq!(t.app.lookup.input.value(), "<rosa ");
    t.keys(&["left", "left", "ctrl-u"]);
    assert_eq!(t.app.lookup.input.value(), "a ");
    assert!(t.app.is_typing(), "an editing key left the field");
}

#[test]
fn the_number_field_and_the_reason_take_them_too() {
    let mut t = Harness::new(120, 40);
    t.type_text("nora");
    t.press(Command::Submit);
    t.press(Command::Add);
    t.type_text("212 555 0177");
    t.keys(&["ctrl-a"]);
    t.type_text("+1 ");
    t.keys(&["end", "ctrl-w"]);
    t.type_text("0178");
    assert!(t.screen().contains("+1 2125550178"), "{}", t.screen());
    t.press(Command::Cancel);
    t.press(Command::Block);
    t.type_text("lost phone");
    t.keys(&["ctrl-a", "ctrl-k"]);
    t.type_text("stolen phone");
    t.keys(&["home", "delete"]);
    t.press(Command::Submit);
    let user = t.app.store.user("nora.lindqvist@fabrikam.example").unwrap();
    assert_eq!(user.block.unwrap().reason, "tolen phone");
}

#[test]
fn the_help_lists_the_editing_keys() {
    let mut t = Harness::new(120, 40);
    t.keys(&["esc"]);
    t.press(Command::Help);
    let mut seen = String::new();
    for _ in 0..12 {
        seen.push_str(&t.screen());
        t.press(Command::PageDown);
    }
    for key in [
        "Ctrl-A", "Ctrl-E", "Ctrl-K", "Ctrl-U", "Ctrl-W", "Home", "End", "←", "→",
    ] {
        assert!(seen.contains(key), "{key} is not in the help");
    }
    assert!(seen.contains("delete from the cursor to the end"), "{seen}");
}

/// Issue 9, item 1: a confirmed change is made on the worker, never on the UI thread; one at a
/// time, in order.
#[test]
fn a_confirmed_change_is_made_on_the_worker_and_one_waits_for_the_other() {
    let mut t = Harness::new(120, 40);
    let upn = "daniel.fischer@fabrikam.example";
    t.type_text("daniel");
    t.press(Command::Submit);
    t.press(Command::Down);
    t.press(Command::Delete);
    // The yes, without waiting for the worker: the UI answers at once and says it is saving.
    t.press_only(Command::Confirm);
    assert!(t.app.is_changing(), "the edit ran on the UI thread");
    assert!(t.screen().contains("saving…"), "{}", t.screen());
    // A second change asked meanwhile is not sent behind the first one's back.
    t.press_only(Command::Delete);
    t.press_only(Command::Confirm);
    assert!(t.screen().contains("still being saved"), "{}", t.screen());
    t.settle();
    assert!(!t.app.is_changing());
    assert_eq!(t.app.store.user(upn).unwrap().phone_methods.len(), 2);
    assert!(
        t.screen().contains("deleted the alternate mobile number"),
        "{}",
        t.screen()
    );
}
