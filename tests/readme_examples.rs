//! Every command example in README.md runs as written.
//!
//! Conventions for README.md:
//! - Each ```` ```sh ```` fence is one example: its commands run in order on a fresh temporary
//!   database (`PHONEDESK_DB`), in an empty working directory, as the operator `readme.runner`.
//!   A line is one command (`\` continues it, `&&` joins commands, `#` starts a comment); each
//!   must exit 0, unless its comment starts with `exit N` (`# exit 1: a fraud report`).
//! - Not run: a fence whose first command is `cargo` (build and test commands), a fence that starts
//!   the interactive terminal UI (a bare `phonedesk` with global options only), and a fence marked
//!   ```` ```sh-tenant ````, whose commands need a real Microsoft tenant. Fences in other languages
//!   (```` ```text ````, plain ```` ``` ````) are not commands.
//! - Only quoting, `\`, `&&` and comments are understood: a pipe, a redirection or a `$` fails the
//!   test rather than running differently from a shell.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/shell.rs"]
mod shell;

use std::process::Command;

/// The global options that take a value: a command line of only these starts the UI.
const GLOBAL_WITH_VALUE: &[&str] = &["--db", "--operator", "--role"];

/// The ```sh fences of `text`: (line number of the fence, its body).
fn sh_fences(text: &str) -> Vec<(usize, String)> {
    let mut fences = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut open {
            None => {
                if let Some(info) = line.trim_start().strip_prefix("```") {
                    open = Some((i + 1, info.trim().to_owned(), String::new()));
                }
            }
            Some((at, info, body)) => {
                if line.trim_start().starts_with("```") {
                    if info == "sh" {
                        fences.push((*at, std::mem::take(body)));
                    }
                    open = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    fences
}

/// `phonedesk` with global options and no command: the terminal UI.
fn starts_the_ui(words: &[String]) -> bool {
    let mut rest = words.iter().skip(1);
    while let Some(word) = rest.next() {
        if GLOBAL_WITH_VALUE.contains(&word.as_str()) {
            rest.next();
        } else if !GLOBAL_WITH_VALUE
            .iter()
            .any(|g| word.starts_with(&format!("{g}=")))
        {
            return false;
        }
    }
    true
}

/// The exit code a comment announces (`exit 1: ...`), else 0.
fn expected_exit(comment: Option<&str>) -> i32 {
    comment
        .and_then(|c| c.strip_prefix("exit "))
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or(0)
}

#[test]
fn every_readme_example_runs_as_written() {
    let readme = include_str!("../README.md");
    let fences = sh_fences(readme);
    assert!(
        fences.len() >= 4,
        "the README's ```sh fences were not found"
    );
    let mut ran = 0;
    for (at, body) in fences {
        let lines: Vec<(Vec<shell::ExampleCommand>, Option<String>)> = shell::logical_lines(&body)
            .iter()
            .map(|line| shell::split(line).unwrap_or_else(|e| panic!("README.md:{at}: {e}")))
            .filter(|(commands, _)| !commands.is_empty())
            .collect();
        let Some((first, _)) = lines.first() else {
            continue;
        };
        let program = first[0].words[0].as_str();
        if program == "cargo" || (program == "phonedesk" && starts_the_ui(&first[0].words)) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let cwd = dir.path().join("work");
        std::fs::create_dir(&cwd).unwrap();
        for (commands, comment) in &lines {
            let expected = expected_exit(comment.as_deref());
            for (n, command) in commands.iter().enumerate() {
                let (program, args) = command.words.split_first().unwrap();
                assert_eq!(program, "phonedesk", "README.md:{at}: {:?}", command.words);
                let out = Command::new(env!("CARGO_BIN_EXE_phonedesk"))
                    .args(args)
                    .current_dir(&cwd)
                    .env("PHONEDESK_DB", &db)
                    .env("USER", "readme.runner")
                    .output()
                    .unwrap();
                // Only the last command of an `&&` chain may end otherwise than 0.
                let want = if n + 1 == commands.len() { expected } else { 0 };
                assert_eq!(
                    out.status.code(),
                    Some(want),
                    "README.md (fence at line {at}): `{}` exited {:?}, expected {want}:\n{}{}",
                    command.words.join(" "),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                ran += 1;
            }
        }
    }
    assert!(ran >= 30, "only {ran} README commands ran");
}

#[test]
fn the_fence_conventions_hold() {
    let fences = sh_fences(
        "```sh\nphonedesk doctor\n```\n```sh-tenant\nphonedesk login\n```\n```text\nx\n```\n",
    );
    assert_eq!(fences, vec![(1, "phonedesk doctor\n".to_owned())]);
    let words = |s: &str| shell::split(s).unwrap().0.remove(0).words;
    assert!(starts_the_ui(&words(
        "phonedesk --db /tmp/x --role privileged-auth-admin"
    )));
    assert!(!starts_the_ui(&words("phonedesk --db /tmp/x doctor")));
    assert_eq!(expected_exit(Some("exit 1: a fraud report")), 1);
    assert_eq!(expected_exit(Some("SMS sign-in (Rosa Delgado)")), 0);
}
