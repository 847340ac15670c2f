//! Issue 10, item 6: plain words everywhere: no raw enum or action names, the audit line names
//! the slot that changed, the Graph method ids stay out of the rows, times are relative.

use phonedesk::tui::keymap::Command;

use super::harness::Harness;

const RAW: [&str; 11] = [
    "notAllowedByPolicy",
    "notSupported",
    "notEnabled",
    "phoneNumberNotUnique",
    "voiceMobile",
    "voiceOffice",
    "alternateMobile",
    "phone.update",
    "numbers.reveal",
    "phonedesk-sim",
    "sms-drop",
];

fn assert_plain(screen: &str) {
    for raw in RAW {
        assert!(!screen.contains(raw), "{raw} on screen:\n{screen}");
    }
    assert!(
        !screen.contains("T09:"),
        "a raw UTC time on screen:\n{screen}"
    );
}

#[test]
fn no_raw_names_in_the_profile_the_methods_pane_or_the_audit_trail() {
    let mut t = Harness::new(120, 40);
    for name in ["ahmed", "daniel", "jo okafor", "elena"] {
        t.press(Command::FocusSearch);
        t.type_text(name);
        assert_plain(&t.screen());
        t.press(Command::Submit);
        assert_plain(&t.screen());
    }
    // Daniel: a change of the alternate mobile, the default method, a reveal.
    t.press(Command::FocusSearch);
    t.type_text("daniel");
    t.press(Command::Submit);
    t.press(Command::Down);
    t.press(Command::Edit);
    t.keys(&["ctrl-u"]);
    t.type_text("+1 425 555 0122");
    t.press(Command::Submit);
    t.press(Command::Confirm);
    t.press(Command::DefaultMethod);
    t.press(Command::Up);
    t.press(Command::Open);
    t.press(Command::Reveal);
    let screen = t.screen();
    assert_plain(&screen);
    assert!(
        // (The line may wrap after the slot's name: the trail shares its row.)
        screen.contains("changed the alternate mobile"),
        "the audit line does not name the slot:\n{screen}"
    );
    assert!(screen.contains("just now"), "{screen}");
    insta::assert_snapshot!("audit_trail_120x40", screen);
}

#[test]
fn the_method_ids_stay_out_of_the_slot_rows() {
    let mut t = Harness::new(120, 40);
    t.type_text("daniel");
    t.press(Command::Submit);
    let screen = t.screen();
    for row in screen
        .lines()
        .filter(|l| l.contains("Mobile  ") || l.contains("Office  "))
    {
        assert!(
            !row.contains("-4051-") && !row.contains("-4abe-") && !row.contains("-4958-"),
            "{row}"
        );
    }
}

#[test]
fn provider_faults_and_the_simulated_service_have_names() {
    let mut t = Harness::new(120, 40);
    t.type_text("noah");
    t.keys(&["esc", "3"]);
    t.press(Command::Conditions);
    let picker = t.screen();
    assert_plain(&picker);
    for _ in 0..20 {
        t.press(Command::Down);
    }
    t.press(Command::Open);
    let faulted = t.screen();
    assert_plain(&faulted);
    assert!(
        faulted.contains("loses texts")
            || faulted.contains("cannot place calls")
            || faulted.contains("loses key tones"),
        "{faulted}"
    );
}

#[test]
fn a_text_on_the_phone_is_timed_like_the_timeline_not_in_utc() {
    let mut t = Harness::new(120, 40);
    t.press(Command::Cancel);
    t.press(Command::PaneSignIn);
    t.press(Command::NewSignIn);
    t.press(Command::Open);
    t.type_text("+1 (206) 555-0101");
    t.press(Command::Open);
    t.press(Command::AdvanceTime);
    let screen = t.screen();
    assert!(
        screen.contains("is your Microsoft sign-in code"),
        "{screen}"
    );
    assert!(
        !screen.contains("UTC"),
        "a raw UTC clock on screen:\n{screen}"
    );
    assert!(screen.contains(" · [+"), "{screen}");
}
