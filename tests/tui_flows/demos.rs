//! Item 10: guided demos show each moment (the code on the phone before it is typed, the phone
//! ringing and its greeting, the fraud keys as `0#` then `1`), the caption is never cut, the
//! timeline wraps and keeps its share of an 80x24 screen, and a demo whose cast is not in the
//! open tenant says so before it plays.

use phonedesk::sim::demo_script;
use phonedesk::tui::keymap::Command;

use super::harness::Harness;

/// The text inside the full-width box whose title starts with `title`, its lines joined.
fn box_text(screen: &str, title: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(top) = lines.iter().position(|l| l.contains(&format!("╭ {title}"))) else {
        panic!("no {title} box:\n{screen}");
    };
    lines[top + 1..]
        .iter()
        .take_while(|l| !l.starts_with('╰'))
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many lines the box whose title starts with `title` has inside.
fn box_rows(screen: &str, title: &str) -> usize {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains(&format!("╭ {title}")))
        .unwrap_or_else(|| panic!("no {title} box:\n{screen}"));
    lines[top + 1..]
        .iter()
        .take_while(|l| !l.starts_with('╰'))
        .count()
}

/// Opens the demo picker and starts `name` (its first step plays).
fn start(t: &mut Harness, name: &str) {
    // Out of the search box first: there 3 is a letter of the query.
    t.press(Command::Cancel);
    t.press(Command::PaneSignIn);
    t.press(Command::PlayDemo);
    let at = demo_script::names().position(|n| n == name).unwrap();
    for _ in 0..at {
        t.press(Command::Down);
    }
    t.press(Command::Open);
}

/// The screen after the step just played, checked for what every step must show: the whole
/// caption with the key for what comes next, and a timeline of three lines or more.
fn step_screen(t: &mut Harness) -> String {
    let screen = t.screen();
    let step = t.app.signin.step.clone().expect("a step was played");
    let caption: String = step
        .caption
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let shown = box_text(&screen, "Demo");
    let shown: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        shown.contains(&caption),
        "step {} lost part of its caption:\n{screen}",
        step.number
    );
    assert!(
        shown.contains("next step") || shown.contains("the demo is over"),
        "the next key is hidden:\n{screen}"
    );
    assert!(box_rows(&screen, "Timeline") >= 3, "{screen}");
    screen
}

#[test]
fn the_fraud_demo_rings_greets_and_shows_0_pound_then_1() {
    let mut t = Harness::new(80, 24);
    start(&mut t, "fraud-report");
    step_screen(&mut t);
    t.press(Command::NextStep);
    let ringing = step_screen(&mut t);
    assert!(ringing.contains("Incoming call from"), "{ringing}");
    t.press(Command::NextStep);
    let answered = step_screen(&mut t);
    assert!(answered.contains("On a call with"), "{answered}");
    assert!(answered.contains("Thank you for using"), "{answered}");
    assert!(answered.contains("no keys pressed yet"), "{answered}");
    // The greeting's entry is longer than the screen is wide: it wraps, its end is there.
    let timeline = box_text(&answered, "Timeline");
    assert!(timeline.contains("fraud alert.\""), "{answered}");
    t.press(Command::NextStep);
    let reported = step_screen(&mut t);
    assert!(reported.contains("pressed 0#"), "{reported}");
    assert!(
        box_text(&reported, "Timeline").contains("presses 0#"),
        "{reported}"
    );
    t.press(Command::NextStep);
    let confirmed = step_screen(&mut t);
    assert!(
        box_text(&confirmed, "Timeline").contains("presses 1"),
        "{confirmed}"
    );
    insta::assert_snapshot!("fraud_demo_confirmed_80x24", confirmed);
}

#[test]
fn the_code_is_on_the_phone_before_it_is_typed() {
    let mut t = Harness::new(80, 24);
    start(&mut t, "sms-sign-in");
    t.press(Command::NextStep);
    step_screen(&mut t);
    t.press(Command::NextStep);
    let arrived = step_screen(&mut t);
    assert!(arrived.contains("is your Microsoft sign-in"), "{arrived}");
    assert!(arrived.contains("Enter code"), "{arrived}");
    assert!(
        !box_text(&arrived, "Timeline").contains("types a 6-digit code"),
        "typed in the same step:\n{arrived}"
    );
    t.press(Command::NextStep);
    let typed = step_screen(&mut t);
    assert!(
        box_text(&typed, "Timeline").contains("types a 6-digit code"),
        "{typed}"
    );
    assert!(typed.contains("the demo is over"), "{typed}");
}

#[test]
fn a_demo_whose_cast_is_missing_says_so_before_it_plays() {
    let noah = "noah.patel@fabrikam.example";
    let mut t = Harness::without_users(120, 40, &[noah]);
    let before = t.audit_len();
    start(&mut t, "fraud-report");
    let refused = t.screen();
    assert!(refused.contains("cannot start"), "{refused}");
    assert!(refused.contains("not in this tenant"), "{refused}");
    assert!(t.app.signin.demo.is_none(), "the demo started anyway");
    assert_eq!(t.audit_len(), before, "something was changed");
}
