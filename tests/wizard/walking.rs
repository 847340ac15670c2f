//! Walking the tree: the simulated-device shortcut answers the phone questions, `back` returns to
//! the previous question, `refresh` picks up a retry made in the sign-in pane, reveals are
//! audited, and mistakes are refused with the valid names.

use phonedesk::domain::Upn;
use phonedesk::sim::{Channel, DeviceChange, Fault, FlowRequest};
use phonedesk::store::AuditTrail;
use phonedesk::wizard::{AnswerSource, Current, VisitKind, Wizard, WizardError, suggest_symptom};

use crate::support::{current_step, mfa, operator, upn, world};

/// Each device scenario of the demo tenant: walking with the shortcut ends at its remedy, and
/// each answer says what the simulated phone showed.
#[test]
fn the_device_shortcut_answers_the_phone_questions() {
    let cases = [
        ("marcus.brown", "fix.power-on", "switched off"),
        ("ava.thompson", "fix.signal", "no signal"),
        ("priya.raman", "fix.sms-service", "no messaging service"),
        ("mia.rossi", "fix.unblock-sender", "26096, 51789"),
        ("zoe.clarke", "fix.unblock-caller", "+1 8553308653"),
        ("rosa.delgado", "fix.retry", "blocks none"),
    ];
    for (local, remedy, observed) in cases {
        let w = world();
        let mut wizard = w.start(local, "never-arrives");
        w.device_walk(&mut wizard);
        assert_eq!(
            current_step(&wizard),
            remedy,
            "{local}: {:#?}",
            wizard.path()
        );
        let answers: Vec<_> = wizard
            .path()
            .iter()
            .filter_map(|v| v.answer.as_ref())
            .collect();
        assert!(!answers.is_empty(), "{local}");
        assert!(answers.iter().all(|a| a.source == AnswerSource::Device));
        let last = answers.last().unwrap().observed.clone().unwrap();
        assert!(last.contains(observed), "{local}: {last}");
    }
}

#[test]
fn the_device_shortcut_finds_voicemail_margaret() {
    let w = world();
    w.play(7, mfa("margaret.hughes", Some(Channel::Voice)), &["none"]);
    let mut wizard = w.start("margaret.hughes", "call-fails");
    w.device_walk(&mut wizard);
    assert_eq!(current_step(&wizard), "fix.voicemail");
}

/// The shortcut reads the phone when asked, not when the wizard started.
#[test]
fn the_device_shortcut_reads_the_phone_now() {
    let w = world();
    let mut wizard = w.start("marcus.brown", "never-arrives");
    w.set_device(
        "+1 2065550171",
        DeviceChange {
            powered_on: Some(true),
            ..DeviceChange::default()
        },
    );
    wizard.answer_from_device(&w.store).unwrap();
    let answer = wizard
        .path()
        .iter()
        .rev()
        .find_map(|v| v.answer.clone())
        .unwrap();
    assert_eq!(answer.name, "yes");
    assert_eq!(current_step(&wizard), "phone.sms-service");
}

#[test]
fn back_returns_to_the_previous_question() {
    let w = world();
    let mut wizard = w.start("rosa.delgado", "never-arrives");
    assert_eq!(current_step(&wizard), "phone.text-power");
    let checks = wizard.path().len() - 1;
    wizard.answer("yes").unwrap();
    assert_eq!(current_step(&wizard), "phone.sms-service");
    wizard.answer("no").unwrap();
    assert_eq!(current_step(&wizard), "fix.sms-service");

    assert!(wizard.back());
    assert_eq!(current_step(&wizard), "phone.sms-service");
    assert!(wizard.path().last().unwrap().answer.is_none());
    assert!(wizard.back());
    assert_eq!(current_step(&wizard), "phone.text-power");
    assert_eq!(wizard.path().len(), checks + 1);
    // Nothing before the first question but automatic checks.
    assert!(!wizard.back());
    assert_eq!(current_step(&wizard), "phone.text-power");
    // Another answer takes another branch.
    wizard.answer("off").unwrap();
    assert_eq!(current_step(&wizard), "fix.power-on");
}

/// The operator sends the user to retry in the sign-in pane and comes back: the same wizard,
/// refreshed, sees the new attempts and moves on to the support case.
#[test]
fn refresh_after_a_retry_in_the_sign_in_pane() {
    let w = world();
    w.fault_everywhere(Fault::CallFail);
    w.play(3, mfa("noah.patel", Some(Channel::Voice)), &["auto"]);
    let mut wizard = w.start("noah.patel", "never-arrives");
    assert_eq!(current_step(&wizard), "fix.retry");
    let request = wizard.retry_request().unwrap();
    assert_eq!(
        request,
        FlowRequest::Mfa {
            upn: upn("noah.patel"),
            via: Some(Channel::Voice),
            slot: Some(phonedesk::domain::PhoneType::Mobile),
        }
    );
    // Nothing new: the same step, the finding brought up to date.
    w.advance(30);
    wizard.refresh(&w.store).unwrap();
    assert_eq!(current_step(&wizard), "fix.retry");
    for seed in 0..4 {
        w.play(20 + seed, request.clone(), &["auto"]);
        w.advance(30);
    }
    wizard.refresh(&w.store).unwrap();
    assert_eq!(current_step(&wizard), "fix.support-case");
    assert!(wizard.retry_request().is_none());
}

#[test]
fn refresh_sees_a_successful_retry() {
    let w = world();
    w.play(1, mfa("ava.thompson", None), &["auto"]);
    let mut wizard = w.start("ava.thompson", "never-arrives");
    assert_eq!(current_step(&wizard), "phone.text-power");
    w.set_device(
        "+1 2065550111",
        DeviceChange {
            signal: Some(true),
            ..DeviceChange::default()
        },
    );
    let s = w.play(2, mfa("ava.thompson", None), &["auto"]);
    assert!(s.outcome().unwrap().is_success());
    wizard.refresh(&w.store).unwrap();
    let unreachable = wizard
        .path()
        .iter()
        .find(|v| v.step == "text.unreachable")
        .unwrap();
    assert_eq!(unreachable.status, Some(phonedesk::wizard::Status::Pass));
}

#[test]
fn a_reveal_is_audited_and_shows_numbers() {
    let w = world();
    let wizard = Wizard::start(
        &w.store,
        &operator(),
        &upn("liam.obrien"),
        "never-arrives",
        true,
    )
    .unwrap();
    let finding = crate::support::first_finding(&wizard)
        .finding
        .clone()
        .unwrap();
    assert!(finding.contains("+1 491570157"), "{finding}");
    assert!(finding.contains("+61 491570157"), "{finding}");
    assert!(
        wizard
            .ticket()
            .unwrap()
            .contains("Numbers are shown in full")
    );
    let liam = Upn::parse(&upn("liam.obrien")).unwrap();
    let audit = w.store.audit(Some(&liam), 5).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "numbers.reveal" && e.reason.as_deref() == Some("troubleshoot"))
    );
    // An auth-admin cannot reveal an admin's numbers.
    let refused = Wizard::start(
        &w.store,
        &operator(),
        &upn("grace.kim"),
        "never-arrives",
        true,
    );
    assert!(matches!(refused, Err(WizardError::Store(_))));
}

#[test]
fn mistakes_are_refused_with_the_valid_names() {
    let w = world();
    let err = Wizard::start(
        &w.store,
        &operator(),
        &upn("rosa.delgado"),
        "hiccups",
        false,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("use never-arrives, limit-reached"),
        "{err}"
    );
    let err = Wizard::start(&w.store, &operator(), &upn("rosa.delgad"), "sspr", false).unwrap_err();
    assert!(
        err.to_string()
            .contains("did you mean rosa.delgado@fabrikam.example"),
        "{err}"
    );

    let mut wizard = w.start("rosa.delgado", "never-arrives");
    let err = wizard.answer("maybe").unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"maybe\" is not an answer to phone.text-power: use yes, off, no-signal (or device)"
    );
    wizard.answer("off").unwrap();
    assert_eq!(wizard.answer("yes"), Err(WizardError::NotAQuestion));
    assert_eq!(
        wizard.answer_from_device(&w.store),
        Err(WizardError::NotAQuestion)
    );
    assert_eq!(
        wizard.apply_action(&w.store).unwrap_err(),
        WizardError::NoAction
    );

    let mut code = w.start("rosa.delgado", "code-rejected");
    assert!(matches!(
        code.answer_from_device(&w.store),
        Err(WizardError::NoDeviceShortcut { .. })
    ));
}

#[test]
fn the_findings_suggest_a_symptom() {
    let w = world();
    let suggest = |local: &str| suggest_symptom(&w.store, &upn(local)).unwrap();
    assert_eq!(suggest("tomas.silva").as_deref(), Some("user-blocked"));
    assert_eq!(suggest("nora.lindqvist").as_deref(), Some("no-method"));
    assert_eq!(suggest("rosa.delgado"), None);
    w.play(7, mfa("margaret.hughes", Some(Channel::Voice)), &["none"]);
    assert_eq!(suggest("margaret.hughes").as_deref(), Some("never-arrives"));
    w.play(1, mfa("sofia.alvarez", None), &["keys:1111#"]);
    assert_eq!(suggest("sofia.alvarez").as_deref(), Some("call-fails"));
}

/// The path says what each step was: checks with a status and a finding, questions with an
/// answer, the remedy last.
#[test]
fn the_path_records_kinds_findings_and_answers() {
    let w = world();
    let mut wizard = w.start("rosa.delgado", "never-arrives");
    wizard.answer("yes").unwrap();
    let path = wizard.path();
    assert!(
        path.iter()
            .filter(|v| v.kind == VisitKind::Check)
            .all(|v| v.status.is_some() && v.finding.is_some())
    );
    let question = path.iter().find(|v| v.kind == VisitKind::Question).unwrap();
    assert_eq!(
        question.answer.as_ref().unwrap().source,
        AnswerSource::Caller
    );
    assert!(matches!(
        wizard.current().unwrap(),
        Current::Question { .. }
    ));
    let json = serde_json::to_value(wizard.report().unwrap()).unwrap();
    assert_eq!(json["current"]["kind"], "question");
    assert_eq!(json["current"]["step"], "phone.sms-service");
    assert_eq!(json["path"][0]["step"], "arrive.blocked");
    assert_eq!(json["path"][0]["status"], "pass");
}

/// A pane keeps the wizard in its state (and may hand it to a worker): it is plain data.
#[test]
fn the_wizard_is_plain_state_a_pane_can_keep() {
    fn plain<T: Send + Sync + 'static>() {}
    plain::<Wizard>();
}

/// What the Troubleshoot pane does with the API: pick a symptom, draw the path and the current
/// step, answer, confirm the fix, export the note; no call here touches the terminal.
#[test]
fn a_pane_walks_a_scenario_from_symptom_to_fix() {
    let w = world();
    let tree = phonedesk::wizard::Tree::embedded().unwrap();
    assert!(tree.symptom("never-arrives").is_some());
    let mut wizard = w.start("margaret.hughes", "never-arrives");
    // The path so far, one line each.
    let lines: Vec<String> = wizard
        .path()
        .iter()
        .map(|v| format!("{} {}", v.kind.as_str(), v.title))
        .collect();
    assert_eq!(lines.first().unwrap(), "check Is the user blocked?");
    // The remedy with its fix, confirmed with a key.
    let Current::Remedy { action, .. } = wizard.current().unwrap() else {
        panic!("a remedy");
    };
    assert!(action.unwrap().description.is_some());
    wizard.apply_action(&w.store).unwrap();
    // The walk went on to the phone questions; the device shortcut answers them.
    w.device_walk(&mut wizard);
    assert_eq!(current_step(&wizard), "fix.voicemail");
    let note = wizard.ticket().unwrap();
    assert!(note.contains("## Actions taken"));
    assert!(note.contains(
        "Re-check `landline-in-mobile-slot`: pass (the mobile slot holds no fixed-line number)."
    ));
}
