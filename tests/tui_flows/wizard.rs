//! The Troubleshoot pane walked through the real input path: no answer under the cursor where
//! the answers lead to different remedies, a footer that says what Enter does, findings that
//! wrap, a path that scrolls, `r` wherever a remedy says to sign in again, and the check-up
//! when no symptom is named.

use super::{Harness, PaneId};
use phonedesk::tui::keymap::Command;

/// Selects `who` in Lookup, opens pane 4 and picks the symptom at `index` of the picker (0 is
/// the check-up; the symptoms follow in the tree's order).
fn wizard_for(width: u16, height: u16, who: &str, index: usize) -> Harness {
    let mut t = Harness::new(width, height);
    t.type_text(who);
    t.press(Command::Down);
    t.press(Command::PaneTroubleshoot);
    t.press(Command::NewWizard);
    // From wherever the picker rests (on the suggested symptom, else the check-up) to the top.
    for _ in 0..12 {
        t.press(Command::Up);
    }
    for _ in 0..index {
        t.press(Command::Down);
    }
    t.press(Command::Open);
    t
}

/// The footer of key hints: the lines below the last box, but the status line (it may wrap).
fn footer(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let below = lines
        .iter()
        .rposition(|l| l.starts_with('╰'))
        .map_or(0, |i| i + 1);
    lines[below..lines.len().saturating_sub(1)].join(" ")
}

#[test]
fn enter_enter_enter_does_not_answer_for_the_caller() {
    let mut t = wizard_for(120, 40, "rosa", 1);
    let question = t.screen();
    assert!(question.contains("Is the phone switched on"), "{question}");
    assert!(
        footer(&question).contains("answer (choose one first)"),
        "{question}"
    );
    insta::assert_snapshot!("wizard_question_unchosen_120x40", question);
    for _ in 0..3 {
        t.press(Command::Open);
    }
    let still = t.screen();
    assert!(still.contains("Is the phone switched on"), "{still}");
    assert!(!still.contains("Unblock the sender"), "{still}");
    assert!(
        still.contains("choose the caller's answer first"),
        "{still}"
    );
    // Choosing is explicit: Down takes the first answer, Enter gives it.
    t.press(Command::Down);
    assert!(footer(&t.screen()).contains("give the chosen answer"));
    t.press(Command::Open);
    let next = t.screen();
    assert!(
        next.contains("Does the phone receive other text messages"),
        "{next}"
    );
    assert!(
        footer(&next).contains("answer (choose one first)"),
        "{next}"
    );
}

#[test]
fn the_footer_says_what_enter_does_on_a_remedy() {
    let mut t = wizard_for(120, 40, "liam", 1);
    let remedy = t.screen();
    assert!(remedy.contains("Replace the mobile number"), "{remedy}");
    assert!(footer(&remedy).contains("apply the fix"), "{remedy}");
}

#[test]
fn findings_wrap_instead_of_being_cut_at_80_columns() {
    let mut t = wizard_for(80, 24, "liam", 1);
    let screen = t.screen();
    // The end of the long number finding, which runs past 80 columns.
    assert!(screen.contains("suggested correction"), "{screen}");
    assert!(screen.contains("+61 *******57"), "{screen}");
    insta::assert_snapshot!("wizard_wrapped_finding_80x24", screen);
}

#[test]
fn the_path_scrolls_with_page_up_and_down() {
    let mut t = wizard_for(80, 24, "rosa", 1);
    let bottom = t.screen();
    assert!(!bottom.contains("Is the user blocked?"), "{bottom}");
    assert!(bottom.contains("more lines"), "{bottom}");
    for _ in 0..20 {
        t.press(Command::PageUp);
    }
    let top = t.screen();
    assert!(top.contains("Is the user blocked?"), "{top}");
    assert!(top.contains("↓"), "{top}");
    t.press(Command::PageDown);
    t.press(Command::Bottom);
    assert!(!t.screen().contains("Is the user blocked?"));
}

#[test]
fn r_retries_wherever_the_remedy_says_to_sign_in_again() {
    // Marcus's phone is switched off: "switch it on, then sign in again".
    let mut t = wizard_for(120, 40, "marcus", 1);
    t.press(Command::DeviceAnswer);
    let remedy = t.screen();
    assert!(remedy.contains("Switch the phone on"), "{remedy}");
    assert!(
        remedy.contains("have the user retry in the Sign-in pane"),
        "{remedy}"
    );
    assert!(footer(&remedy).contains("retry"), "{remedy}");
    // Enter has nothing to apply here, so the footer does not offer it.
    assert!(!footer(&remedy).contains("Enter"), "{remedy}");
    t.press(Command::RetryInSignIn);
    assert_eq!(t.app.pane, PaneId::SignIn);
}

#[test]
fn the_checkup_lists_every_problem_and_enter_walks_the_suggestion() {
    let mut t = wizard_for(120, 40, "margaret", 0);
    let screen = t.screen();
    assert!(screen.contains("Check-up"), "{screen}");
    assert!(screen.contains("2 problems"), "{screen}");
    assert!(
        screen.contains("Is a landline in the mobile slot?"),
        "{screen}"
    );
    assert!(
        screen.contains("not in a group the SMS sign-in policy targets"),
        "{screen}"
    );
    assert!(
        footer(&screen).contains("walk the suggested symptom"),
        "{screen}"
    );
    insta::assert_snapshot!("wizard_checkup_120x40", screen);
    let mut small = wizard_for(80, 24, "margaret", 0);
    insta::assert_snapshot!("wizard_checkup_80x24", small.screen());
    t.press(Command::Open);
    let walk = t.screen();
    assert!(
        walk.contains("A landline sits in the mobile slot"),
        "{walk}"
    );
}

/// A step that reads the record runs on the worker: until it is back, the walk on screen is the
/// one before it, the status says so, and only scrolling works on it.
#[test]
fn a_step_on_the_worker_shows_checking_and_holds_the_other_keys() {
    let mut t = wizard_for(120, 40, "rosa", 1);
    assert!(t.screen().contains("Is the phone switched on"));
    // The device answers on the worker; the UI has not heard back yet.
    t.press_only(Command::DeviceAnswer);
    assert!(t.screen().contains("checking…"), "{}", t.screen());
    t.press_only(Command::Down);
    let held = t.screen();
    assert!(held.contains("the wizard is still checking"), "{held}");
    assert!(held.contains("Is the phone switched on"), "{held}");
    // Once it is back, the walk has moved on by the device's answer.
    t.settle();
    let after = t.screen();
    assert!(!after.contains("still checking"), "{after}");
    assert!(
        after.contains("the simulated device"),
        "the device's answer is on the path: {after}"
    );
}
