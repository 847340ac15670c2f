//! `phonedesk troubleshoot`, run as the real binary on a temporary database: exit codes, the
//! printed path, `--json`, `--answer`, `--device`, `--apply`, `--ticket` and `--reveal`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

mod support;

use support::{Run, fresh, phonedesk};

fn troubleshoot(db: &Path, args: &[&str]) -> Run {
    let mut all = vec!["troubleshoot"];
    all.extend_from_slice(args);
    phonedesk(db, &all)
}

const TOMAS: &str = "tomas.silva@fabrikam.example";
const ROSA: &str = "rosa.delgado@fabrikam.example";
const LIAM: &str = "liam.obrien@fabrikam.example";

#[test]
fn a_remedy_exits_0_with_the_path_and_the_fix() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &[TOMAS, "--symptom", "user-blocked"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with(
        "Tomás Silva <tomas.silva@fabrikam.example>: The user is told they are blocked [user-blocked]"
    ));
    assert!(
        run.stdout
            .contains("FAIL  Is the user blocked? [blocked.user]")
    );
    assert!(run.stdout.contains("blocked by an administrator since"));
    assert!(
        run.stdout
            .contains("remedy [fix.unblock]: Unblock the user")
    );
    assert!(run.stdout.contains("(confirm with --apply unblock-user)"));
}

#[test]
fn an_unknown_user_exits_1_with_near_matches() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &["rosa.delgad@fabrikam.example", "--symptom", "sspr"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(
            "no user rosa.delgad@fabrikam.example (did you mean rosa.delgado@fabrikam.example"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2_and_list_the_valid_names() {
    let (_dir, db) = fresh();
    let cases: &[(&[&str], &str)] = &[
        (
            &[ROSA, "--symptom", "hiccups"],
            "unknown symptom \"hiccups\": use never-arrives, limit-reached, code-rejected",
        ),
        (
            &[
                ROSA,
                "--symptom",
                "never-arrives",
                "--answer",
                "phone.text-power",
            ],
            "is not STEP=ANSWER",
        ),
        (
            &[
                ROSA,
                "--symptom",
                "never-arrives",
                "--answer",
                "phone.mood=yes",
            ],
            "\"phone.mood\" is not a question; questions: ",
        ),
        (
            &[
                ROSA,
                "--symptom",
                "never-arrives",
                "--answer",
                "phone.text-power=maybe",
            ],
            "\"maybe\" is not an answer; use yes, off, no-signal or device",
        ),
        (
            &[ROSA, "--symptom", "never-arrives", "--apply", "reboot"],
            "unknown action \"reboot\": use unblock-user, replace-number",
        ),
    ];
    for (args, message) in cases {
        let run = troubleshoot(&db, args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    // An unknown user with a bad symptom: the usage error comes first, before any lookup.
    let run = troubleshoot(&db, &["nobody@fabrikam.example", "--symptom", "hiccups"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_question_left_open_exits_2_and_says_what_to_add() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &[ROSA, "--symptom", "never-arrives"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("question [phone.text-power]: Is the phone switched on")
    );
    assert!(run.stdout.contains("device     check the simulated device"));
    assert!(
        run.stderr
            .contains("add --answer phone.text-power=yes|off|no-signal|device"),
        "{}",
        run.stderr
    );
}

#[test]
fn answers_walk_on_to_a_remedy() {
    let (_dir, db) = fresh();
    let run = troubleshoot(
        &db,
        &[
            ROSA,
            "--symptom",
            "never-arrives",
            "--answer",
            "phone.text-power=yes",
            "--answer",
            "phone.sms-service=no",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("answer: Yes, on and with signal"));
    assert!(run.stdout.contains("remedy [fix.sms-service]"));
}

#[test]
fn the_simulated_device_answers_with_device_or_an_answer_of_device() {
    let (_dir, db) = fresh();
    let marcus = "marcus.brown@fabrikam.example";
    let run = troubleshoot(&db, &[marcus, "--symptom", "never-arrives", "--device"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("(simulated device: the simulated phone is switched off)")
    );
    assert!(run.stdout.contains("remedy [fix.power-on]"));
    let run = troubleshoot(
        &db,
        &[
            marcus,
            "--symptom",
            "never-arrives",
            "--answer",
            "phone.text-power=device",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("remedy [fix.power-on]"));
}

/// Without a symptom (and nothing to answer or apply): the check-up runs every automatic check
/// and lists every problem, exit 0, instead of refusing.
#[test]
fn without_a_symptom_the_checkup_lists_every_problem() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &[TOMAS]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("check-up of every automatic check"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("FAIL  Is the user blocked? [user-blocked]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("FAIL  Is the number ready for SMS sign-in? [sms-sign-in-state]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("SMS sign-in is not enabled for this number")
    );
    assert!(
        run.stdout
            .contains("next: Unblock the user (--symptom user-blocked)")
    );
    assert!(run.stdout.contains(&format!(
        "walk the steps: phonedesk troubleshoot {TOMAS} --symptom user-blocked"
    )));
    // A landline in the mobile slot, and why SMS sign-in is not ready.
    let run = troubleshoot(&db, &["margaret.hughes@fabrikam.example"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("2 problems found"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("FAIL  Is a landline in the mobile slot?")
    );
    assert!(
        run.stdout
            .contains("not in a group the SMS sign-in policy targets")
    );
    // Nothing wrong: said so, still exit 0, and the symptoms to name.
    let run = troubleshoot(&db, &[ROSA]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no problem found"), "{}", run.stdout);
    assert!(run.stdout.contains("pass  Is the user blocked?"));
    assert!(
        run.stdout
            .contains("name it with --symptom (never-arrives, limit-reached")
    );
}

/// A wrong country code (a valid foreign number at home) and an invalid number are both found.
#[test]
fn the_checkup_finds_a_wrong_country_code_and_json_lists_it() {
    let (_dir, db) = fresh();
    let nora = "nora.lindqvist@fabrikam.example";
    let add = phonedesk(
        &db,
        &["phone", "add", nora, "--type", "mobile", "+61 491570156"],
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    let run = troubleshoot(&db, &[nora, "--json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let problems: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["check"].as_str().unwrap())
        .collect();
    assert!(problems.contains(&"country-code"), "{problems:?}");
    assert_eq!(json["problems"][0]["status"], "fail");
    assert!(
        json["passed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["check"] == "user-blocked")
    );
    let liam = troubleshoot(&db, &[LIAM, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&liam.stdout).unwrap();
    assert_eq!(json["problems"][0]["check"], "number-valid");
    assert_eq!(json["suggestedSymptom"], "never-arrives");
}

/// With something to apply but no symptom, the findings still choose the walk.
#[test]
fn without_a_symptom_an_apply_walks_the_symptom_the_findings_point_to() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &[TOMAS, "--apply", "unblock-user"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("the findings point to \"user-blocked\"")
    );
    assert!(
        run.stdout.contains("applied unblock-user"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_gives_the_same_as_data() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &[LIAM, "--symptom", "never-arrives", "--json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["user"]["userPrincipalName"], LIAM);
    assert_eq!(json["user"]["phones"][0]["phoneNumber"], "+1 *******57");
    assert_eq!(json["symptom"]["name"], "never-arrives");
    let path = json["path"].as_array().unwrap();
    assert_eq!(path[0]["step"], "arrive.blocked");
    assert_eq!(path[0]["kind"], "check");
    assert_eq!(path[0]["status"], "pass");
    assert_eq!(path[3]["check"], "number-valid");
    assert_eq!(path[3]["status"], "fail");
    assert_eq!(json["current"]["kind"], "remedy");
    assert_eq!(json["current"]["step"], "fix.correct-number");
    assert_eq!(json["current"]["action"]["name"], "replace-number");
    assert_eq!(
        json["current"]["action"]["description"],
        "Replace the mobile number +1 *******57 with +61 *******57"
    );
    assert_eq!(json["revealed"], false);
    assert!(json["actions"].as_array().unwrap().is_empty());
    assert!(!run.stdout.contains("491570157"), "a number in full");
}

#[test]
fn apply_fixes_the_problem_audited_and_checks_again() {
    let (_dir, db) = fresh();
    let run = troubleshoot(
        &db,
        &[
            TOMAS,
            "--symptom",
            "user-blocked",
            "--apply",
            "unblock-user",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("applied unblock-user: unblocked tomas.silva@fabrikam.example")
    );
    assert!(
        run.stdout
            .contains("re-check user-blocked: pass - the user is not blocked")
    );
    assert!(run.stdout.contains("[blocked.user, after the fix]"));
    let show = phonedesk(&db, &["user", "show", TOMAS]);
    assert!(show.stdout.contains("blocked: no"), "{}", show.stdout);
    let audit = phonedesk(&db, &["audit", "--user", TOMAS, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&audit.stdout).unwrap();
    let entry = &json["value"][0];
    assert_eq!(entry["action"], "user.unblock");
    assert_eq!(entry["operator"], "cli.tester");
    // Applying again: the remedy reached now offers nothing to apply.
    let again = troubleshoot(
        &db,
        &[
            TOMAS,
            "--symptom",
            "user-blocked",
            "--apply",
            "unblock-user",
        ],
    );
    assert_eq!(again.code, 2);
    assert!(
        again
            .stderr
            .contains("did not reach a remedy with that action")
    );
}

#[test]
fn apply_a_multi_step_fix_and_json_reports_it() {
    let (_dir, db) = fresh();
    let margaret = "margaret.hughes@fabrikam.example";
    let run = troubleshoot(
        &db,
        &[
            margaret,
            "--symptom",
            "never-arrives",
            "--apply",
            "move-to-office",
            "--device",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let action = &json["actions"][0];
    assert_eq!(action["name"], "move-to-office");
    assert_eq!(action["done"].as_array().unwrap().len(), 3);
    assert_eq!(action["recheck"]["check"], "landline-in-mobile-slot");
    assert_eq!(action["recheck"]["status"], "pass");
    // The walk went on: her phone forwards calls to voicemail.
    assert_eq!(json["current"]["step"], "fix.voicemail");
    let list = phonedesk(&db, &["phone", "list", margaret, "--json"]);
    assert!(
        list.stdout.contains("\"phoneType\": \"office\""),
        "{}",
        list.stdout
    );
    assert!(!list.stdout.contains("\"phoneType\": \"mobile\""));
}

#[test]
fn an_action_the_role_does_not_cover_exits_1_and_changes_nothing() {
    let (_dir, db) = fresh();
    let grace = "grace.kim@fabrikam.example";
    let block = phonedesk(
        &db,
        &[
            "--role",
            "privileged-auth-admin",
            "user",
            "block",
            grace,
            "--reason",
            "test",
        ],
    );
    assert_eq!(block.code, 0, "{}", block.stderr);
    let run = troubleshoot(
        &db,
        &[
            grace,
            "--symptom",
            "user-blocked",
            "--apply",
            "unblock-user",
        ],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("privileged-auth-admin"),
        "{}",
        run.stderr
    );
    let show = phonedesk(&db, &["user", "show", grace]);
    assert!(show.stdout.contains("blocked: yes"));
    let lead = phonedesk(
        &db,
        &[
            "--role",
            "privileged-auth-admin",
            "troubleshoot",
            grace,
            "--symptom",
            "user-blocked",
            "--apply",
            "unblock-user",
        ],
    );
    assert_eq!(lead.code, 0, "{}", lead.stderr);
}

#[test]
fn the_ticket_is_written_atomically() {
    let (dir, db) = fresh();
    let path = dir.path().join("ticket.md");
    let run = troubleshoot(
        &db,
        &[
            LIAM,
            "--symptom",
            "never-arrives",
            "--ticket",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("wrote the ticket note to"));
    let ticket = std::fs::read_to_string(&path).unwrap();
    assert!(ticket.starts_with("# Phone sign-in troubleshooting: Liam O'Brien\n"));
    assert!(ticket.contains("## Recommended remedy"));
    assert!(!ticket.contains("491570157"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.contains("tmp")), "{names:?}");
    // A directory that does not exist: refused, nothing half-written.
    let missing = dir.path().join("no/such/dir/ticket.md");
    let run = troubleshoot(
        &db,
        &[
            LIAM,
            "--symptom",
            "never-arrives",
            "--ticket",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

#[test]
fn a_real_sign_in_is_in_the_findings_and_the_ticket() {
    let (dir, db) = fresh();
    let margaret = "margaret.hughes@fabrikam.example";
    let signin = phonedesk(
        &db,
        &[
            "signin",
            "mfa",
            "--user",
            margaret,
            "--via",
            "voice",
            "--respond",
            "none",
            "--seed",
            "7",
            "--json",
        ],
    );
    assert_eq!(signin.code, 1, "denied: {}", signin.stderr);
    let json: serde_json::Value = serde_json::from_str(&signin.stdout).unwrap();
    let correlation = json["correlationId"].as_str().unwrap().to_owned();
    let path = dir.path().join("ticket.md");
    let run = troubleshoot(
        &db,
        &[
            margaret,
            "--symptom",
            "call-fails",
            "--device",
            "--ticket",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("FAIL  Did a call go to voicemail? [call.voicemail]")
    );
    assert!(run.stdout.contains(&correlation));
    assert!(run.stdout.contains("remedy [fix.voicemail]"));
    let ticket = std::fs::read_to_string(&path).unwrap();
    assert!(ticket.contains(&format!("`{correlation}` (attempt 1)")));
}

#[test]
fn reveal_shows_numbers_and_is_audited() {
    let (_dir, db) = fresh();
    let run = troubleshoot(&db, &[LIAM, "--symptom", "never-arrives", "--reveal"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("suggested correction +61 491570157"));
    let audit = phonedesk(&db, &["audit", "--user", LIAM]);
    assert!(audit.stdout.contains("numbers.reveal"), "{}", audit.stdout);
}

/// The help names every symptom and action the code knows (the lists are written by hand).
#[test]
fn the_help_names_every_symptom_and_action() {
    let (_dir, db) = fresh();
    let help = troubleshoot(&db, &["--help"]);
    assert_eq!(help.code, 0);
    let text = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    let tree = phonedesk::wizard::Tree::embedded().unwrap();
    for symptom in &tree.symptoms {
        assert!(text.contains(&symptom.name), "{}", symptom.name);
    }
    for action in phonedesk::wizard::actions::ACTIONS {
        assert!(text.contains(action.name), "{}", action.name);
    }
}

/// A remedy that tells the user to sign in again names the sign-in to retry, as a command that
/// runs; one that does not, names none.
#[test]
fn a_remedy_that_says_sign_in_again_prints_the_retry() {
    let (_dir, db) = fresh();
    let marcus = "marcus.brown@fabrikam.example";
    let run = troubleshoot(&db, &[marcus, "--symptom", "never-arrives", "--device"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let retry = format!("retry: phonedesk signin mfa --user {marcus} --via sms --slot mobile");
    assert!(run.stdout.contains(&retry), "{}", run.stdout);
    let again = phonedesk(
        &db,
        &[
            "signin", "mfa", "--user", marcus, "--via", "sms", "--slot", "mobile",
        ],
    );
    // The phone is still off: the retry runs, and is denied.
    assert_eq!(again.code, 1, "{}{}", again.stdout, again.stderr);
    let liam = troubleshoot(&db, &[LIAM, "--symptom", "never-arrives"]);
    assert!(!liam.stdout.contains("retry:"), "{}", liam.stdout);
}
