//! Issue 10, item 3: Esc always gets you out and never into a text field; `/` starts a fresh
//! query; the footer says when Esc comes first.

use phonedesk::tui::keymap::Command;

use super::harness::{Harness, SIZES};

#[test]
fn esc_leaves_a_search_with_no_results_and_q_then_quits() {
    let mut t = Harness::new(80, 24);
    t.type_text("zzzzqq");
    assert!(t.screen().contains("No users match."));
    t.keys(&["esc"]);
    assert!(!t.app.is_typing(), "Esc left the cursor in the search box");
    t.type_text("q");
    assert!(t.app.should_quit(), "q after Esc did not quit");
    assert_eq!(t.app.lookup.input.value(), "zzzzqq");
}

#[test]
fn esc_in_the_results_does_not_put_the_cursor_back_into_the_search_box() {
    let mut t = Harness::new(80, 24);
    t.type_text("rosa");
    t.keys(&["esc", "esc"]);
    assert!(!t.app.is_typing(), "a second Esc went back into the box");
    t.type_text("q");
    assert!(t.app.should_quit());
}

#[test]
fn esc_back_from_the_methods_pane_lands_in_the_list() {
    let mut t = Harness::new(80, 24);
    t.type_text("sam");
    t.keys(&["enter"]);
    assert!(t.screen().contains("Phone methods · Sam Okafor"));
    t.keys(&["esc"]);
    assert!(t.screen().contains("Results"));
    t.type_text("q");
    assert!(t.app.should_quit(), "q was typed into the search box");
}

#[test]
fn slash_starts_a_fresh_query_that_typing_replaces() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.type_text("rosa");
        t.keys(&["esc", "3"]);
        t.press(Command::FocusSearch);
        let selected = t.screen();
        assert!(selected.contains("type to replace"), "{selected}");
        insta::assert_snapshot!(format!("fresh_query_{w}x{h}"), selected);
        t.type_text("liam");
        assert_eq!(t.app.lookup.input.value(), "liam");
        assert!(t.screen().contains("Liam O'Brien"));
    }
}

#[test]
fn an_arrow_keeps_the_old_query_to_edit_it() {
    let mut t = Harness::new(80, 24);
    t.type_text("rosa");
    t.keys(&["esc", "/", "left"]);
    t.type_text("x");
    assert_eq!(t.app.lookup.input.value(), "rosxa");
}

#[test]
fn the_search_box_footer_says_esc_comes_first_and_tab_works_from_it() {
    let mut t = Harness::new(80, 24);
    let screen = t.screen();
    assert!(screen.contains("Esc first, then 1-4 panes"), "{screen}");
    t.keys(&["tab"]);
    assert_eq!(t.app.pane, phonedesk::tui::app::PaneId::Methods);
}
