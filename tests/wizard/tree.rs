//! The tree asset: it loads, every case of DOMAIN.md §6 is in it, and the validator refuses each
//! kind of broken tree (so the first test could fail).

use phonedesk::wizard::tree::{EMBEDDED, StepKind, Tree};

#[test]
fn the_embedded_tree_loads_and_validates() {
    if let Err(problems) = Tree::parse(EMBEDDED) {
        panic!("the tree is broken:\n{}", problems.join("\n"));
    }
    let tree = Tree::embedded().unwrap();
    let names: Vec<&str> = tree.symptoms.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "never-arrives",
            "limit-reached",
            "code-rejected",
            "call-fails",
            "user-blocked",
            "no-method",
            "sms-sign-in",
            "sspr"
        ]
    );
}

/// A row of DOMAIN.md §6: the checks, device shortcuts and actions that handle it.
struct Case {
    row: &'static str,
    checks: &'static [&'static str],
    probes: &'static [&'static str],
    actions: &'static [&'static str],
}

const fn case(
    row: &'static str,
    checks: &'static [&'static str],
    probes: &'static [&'static str],
    actions: &'static [&'static str],
) -> Case {
    Case {
        row,
        checks,
        probes,
        actions,
    }
}

/// Every row of DOMAIN.md §6, and its "also" list, by the check, question shortcut or action
/// that handles it. The validator already proved every step reachable.
#[test]
fn every_case_of_domain_section_6_is_in_the_tree() {
    let tree = Tree::embedded().unwrap();
    let mut checks = Vec::new();
    let mut probes = Vec::new();
    let mut actions = Vec::new();
    let mut support_case = false;
    for step in tree.steps() {
        match &step.kind {
            StepKind::Check { spec, .. } => checks.push(spec.name),
            StepKind::Question { device, .. } => probes.extend(device.map(|p| p.name)),
            StepKind::Remedy {
                action,
                support_case: s,
                ..
            } => {
                actions.extend(action.clone());
                support_case |= *s;
            }
        }
    }
    let cases = [
        case(
            "blocked caller ID on one device",
            &[],
            &["blocked-caller-id", "blocked-sender"],
            &[],
        ),
        case(
            "wrong number, wrong country code",
            &["number-valid", "country-code"],
            &[],
            &["replace-number"],
        ),
        case("wrong PIN", &["log-wrong-pin"], &[], &[]),
        case(
            "call forwarded to voicemail",
            &["log-voicemail"],
            &["power", "voicemail"],
            &[],
        ),
        case("user is blocked", &["user-blocked"], &[], &["unblock-user"]),
        case(
            "SMS not subscribed on the device",
            &["log-provider-failures"],
            &["sms-service"],
            &[],
        ),
        case(
            "faulty telecom providers",
            &["five-attempts", "log-provider-failures", "log-key-tones"],
            &[],
            &[],
        ),
        case("number format", &["number-shape"], &[], &[]),
        case(
            "extension on an SSPR call",
            &["sspr-extension"],
            &[],
            &["set-default"],
        ),
        case("country needing opt-in", &["country-opt-in"], &[], &[]),
        case(
            "throttled",
            &["log-throttled", "sspr-limit", "failure-lock"],
            &[],
            &["reset-verification"],
        ),
        case(
            "code expired or reused",
            &["log-code-expired", "log-code-reused", "stale-code"],
            &[],
            &[],
        ),
        case(
            "SMS sign-in state not ready",
            &["sms-sign-in-state"],
            &[],
            &["enable-sms-sign-in", "move-to-office"],
        ),
        case(
            "no method / no default method",
            &["methods-registered", "default-method"],
            &[],
            &[],
        ),
    ];
    for Case {
        row,
        checks: want_checks,
        probes: want_probes,
        actions: want_actions,
    } in cases
    {
        for c in want_checks {
            assert!(checks.contains(c), "{row}: no step runs the check {c}");
        }
        for p in want_probes {
            assert!(
                probes.contains(p),
                "{row}: no question has the shortcut {p}"
            );
        }
        for a in want_actions {
            assert!(
                actions.contains(&(*a).to_owned()),
                "{row}: no remedy offers {a}"
            );
        }
    }
    assert!(support_case, "no remedy opens a support case");
}

/// Without `--symptom`, the reason of a failed sign-in chooses the symptom: every reason the log
/// can hold points to one.
#[test]
fn every_sign_in_reason_points_to_a_symptom() {
    let tree = Tree::embedded().unwrap();
    for reason in phonedesk::sim::Reason::ALL {
        assert!(
            tree.symptoms.iter().any(|s| s.reasons.contains(&reason)),
            "{} points to no symptom",
            reason.name()
        );
    }
}

/// A small valid tree, mutated by each test below.
const BASE: &str = r#"
version = 1

[[symptoms]]
name = "s"
title = "A symptom"
flow = "mfa"
start = "a"

[steps.a]
title = "Blocked?"
check = "user-blocked"
next = { pass = "b", fail = "fix" }

[steps.b]
title = "Phone on?"
question = "Is the phone on?"
device = "power"
answers = [
  { name = "yes", label = "Yes", next = "fix" },
  { name = "off", label = "Off", next = "fix" },
  { name = "no-signal", label = "No signal", next = "fix" },
]

[steps.fix]
title = "Fix"
remedy = "Do it."
action = "unblock-user"
"#;

fn problems(text: &str) -> String {
    match Tree::parse(text) {
        Ok(_) => String::new(),
        Err(p) => p.join("\n"),
    }
}

#[test]
fn the_base_tree_is_valid() {
    assert_eq!(problems(BASE), "");
}

#[test]
fn an_unreachable_step_is_refused() {
    let text = format!("{BASE}\n[steps.orphan]\ntitle = \"Orphan\"\nremedy = \"x\"\n");
    assert!(
        problems(&text).contains("\"orphan\" is unreachable"),
        "{}",
        problems(&text)
    );
}

#[test]
fn an_unknown_check_is_refused() {
    let text = BASE.replace("check = \"user-blocked\"", "check = \"moon-phase\"");
    assert!(problems(&text).contains("check \"moon-phase\" is unknown to the code"));
}

#[test]
fn an_unknown_action_is_refused() {
    let text = BASE.replace("action = \"unblock-user\"", "action = \"reboot\"");
    assert!(problems(&text).contains("action \"reboot\" is unknown to the code"));
}

#[test]
fn an_unknown_device_shortcut_is_refused() {
    let text = BASE.replace("device = \"power\"", "device = \"x-ray\"");
    assert!(problems(&text).contains("device shortcut \"x-ray\" is unknown"));
}

#[test]
fn a_shortcut_answer_the_question_lacks_is_refused() {
    let text = BASE.replace(
        "  { name = \"no-signal\", label = \"No signal\", next = \"fix\" },\n",
        "",
    );
    assert!(problems(&text).contains("can answer \"no-signal\", which is not an answer"));
}

#[test]
fn a_missing_branch_target_is_refused() {
    let text = BASE.replace("fail = \"fix\"", "fail = \"nowhere\"");
    assert!(problems(&text).contains("leads to \"nowhere\", which is not a step"));
}

#[test]
fn an_outcome_without_a_branch_is_refused() {
    let text = BASE.replace(", fail = \"fix\"", "");
    assert!(problems(&text).contains("can answer fail, and no branch takes it"));
}

#[test]
fn a_branch_on_an_outcome_the_check_never_gives_is_refused() {
    let text = BASE.replace("fail = \"fix\"", "fail = \"fix\", sometimes = \"fix\"");
    assert!(problems(&text).contains("\"sometimes\" is not an outcome"));
}

#[test]
fn a_loop_is_refused() {
    let text = BASE.replace(
        "{ name = \"yes\", label = \"Yes\", next = \"fix\" }",
        "{ name = \"yes\", label = \"Yes\", next = \"a\" }",
    );
    let found = problems(&text);
    assert!(found.contains("a branch loops: a -> b -> a"), "{found}");
}

#[test]
fn unknown_keys_and_mixed_kinds_are_refused() {
    let text = BASE.replace("title = \"Fix\"", "title = \"Fix\"\ncolour = \"red\"");
    assert!(problems(&text).contains("unknown field `colour`"));
    let text = BASE.replace(
        "remedy = \"Do it.\"",
        "remedy = \"Do it.\"\ncheck = \"user-blocked\"",
    );
    assert!(problems(&text).contains("exactly one of check, question or remedy"));
    let text = BASE.replace("flow = \"mfa\"", "flow = \"fax\"");
    assert!(problems(&text).contains("flow \"fax\" is not"));
}

/// Every remedy that tells the user to sign in again offers the retry in the Sign-in pane (`r`).
#[test]
fn every_remedy_that_says_sign_in_again_offers_the_retry() {
    let tree = Tree::embedded().unwrap();
    let says_again = [
        "sign in again",
        "new sign-in",
        "try again",
        "try once",
        "sign-in pane",
    ];
    let mut missing = Vec::new();
    for step in tree.steps() {
        if let StepKind::Remedy { text, signin, .. } = &step.kind {
            let text = text.to_lowercase();
            if says_again.iter().any(|w| text.contains(w)) && !signin {
                missing.push(step.name.clone());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "remedies without `signin = true`: {missing:?}"
    );
}

/// No question whose answers lead to different steps has an answer under the cursor at first.
#[test]
fn no_answer_is_preselected_where_the_answers_diverge() {
    use phonedesk::wizard::tree::preselected_answer;
    let tree = Tree::embedded().unwrap();
    let mut questions = 0;
    for (step, answers) in tree.questions() {
        let diverge = answers.iter().any(|a| a.next != answers[0].next);
        assert_eq!(
            preselected_answer(answers).is_none(),
            diverge,
            "{}",
            step.name
        );
        questions += 1;
    }
    assert!(questions > 5);
}
