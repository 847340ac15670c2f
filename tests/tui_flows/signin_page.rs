//! The Sign-in pane's page box shows what the real page shows: Microsoft's wording for a wrong
//! code, and at a denial the person's message only; the internal reason and its AADSTS code are
//! in the timeline beside it.

use super::Harness;
use phonedesk::tui::keymap::Command;

/// The text inside the "Sign-in page" box, its wrapped rows joined by single spaces.
fn page_box(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(top) = lines.iter().position(|l| l.contains("Sign-in page")) else {
        panic!("no sign-in page on\n{screen}");
    };
    let width = lines[top]
        .chars()
        .position(|c| c == '╮')
        .expect("the page box's corner");
    let mut out = String::new();
    for line in &lines[top + 1..] {
        let row: String = line.chars().take(width + 1).collect();
        if row.starts_with('╰') {
            break;
        }
        let inner = row.trim_start_matches('│').trim_end_matches('│').trim();
        if !inner.is_empty() {
            out.push_str(inner);
            out.push(' ');
        }
    }
    out
}

#[test]
fn a_wrong_code_and_a_denial_show_the_real_pages_words_only() {
    let mut t = Harness::new(120, 40);
    // Out of the search box first (it takes the digits as text).
    t.press(Command::Cancel);
    t.press(Command::PaneSignIn);
    t.press(Command::NewSignIn);
    t.press(Command::Open);
    t.type_text("+1 (206) 555-0101");
    t.press(Command::Open);
    t.press(Command::AdvanceTime);
    let asking = page_box(&t.screen());
    assert!(
        asking.contains("We texted your phone +1 ********01. Please enter the code to sign in."),
        "{asking}"
    );
    t.type_text("000000");
    t.press(Command::Open);
    let wrong = page_box(&t.screen());
    assert!(
        wrong.contains("You didn't enter the expected verification code. Please try again."),
        "{wrong}"
    );
    assert!(
        !wrong.contains("left"),
        "tries left are the timeline's: {wrong}"
    );
    // Wrong codes until the code dies: the sign-in is denied.
    for _ in 0..4 {
        t.type_text("000000");
        t.press(Command::Open);
    }
    let screen = t.screen();
    let denied = page_box(&screen);
    assert!(
        denied.contains("You've entered the wrong code too many times"),
        "{denied}"
    );
    assert!(!denied.contains("AADSTS"), "{denied}");
    assert!(!denied.contains("Sign-in log"), "{denied}");
    assert!(
        !denied.contains("incorrect code too many times"),
        "{denied}"
    );
    // The reason and the code are in the timeline.
    assert!(screen.contains("AADSTS"), "{screen}");
}
