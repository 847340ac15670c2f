//! Every command's `--help` documents its arguments and ends with examples, and every example
//! runs as written: each entry of `phonedesk::cli::examples::EXAMPLES` on a fresh demo database
//! (`PHONEDESK_DB`), in an empty working directory, every command exiting 0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/shell.rs"]
mod shell;

use std::process::Command;

use phonedesk::cli::examples::{self, EXAMPLES, TENANT_EXAMPLES};

/// Every command path below the root (`user`, `user search`, ...), with its clap command.
fn commands(command: &clap::Command, prefix: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let path = format!("{prefix}{}", sub.get_name()).trim().to_owned();
        out.push((path.clone(), sub.clone()));
        commands(sub, &format!("{path} "), out);
    }
}

fn all() -> Vec<(String, clap::Command)> {
    let mut out = Vec::new();
    commands(&examples::command(), "", &mut out);
    out
}

#[test]
fn every_command_has_an_example_and_every_example_a_command() {
    let all = all();
    for (path, command) in &all {
        if command.has_subcommands() {
            continue;
        }
        assert!(
            EXAMPLES
                .iter()
                .chain(TENANT_EXAMPLES)
                .any(|(p, _)| p == path),
            "`phonedesk {path}` has no example in src/cli/examples.rs"
        );
    }
    for (path, lines) in EXAMPLES.iter().chain(TENANT_EXAMPLES) {
        assert!(all.iter().any(|(p, _)| p == path), "no command `{path}`");
        for line in *lines {
            assert!(
                line.starts_with(&format!("phonedesk {path}"))
                    || line.starts_with("phonedesk --role privileged-auth-admin "),
                "an example of `{path}` runs something else: {line}"
            );
        }
    }
}

#[test]
fn every_argument_is_documented() {
    let mut missing = Vec::new();
    for (path, command) in all() {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path}: {id}"));
            }
        }
    }
    assert!(missing.is_empty(), "arguments without help: {missing:#?}");
}

#[test]
fn every_help_ends_with_its_examples() {
    for (path, lines) in EXAMPLES.iter().chain(TENANT_EXAMPLES) {
        let mut args: Vec<&str> = path.split(' ').collect();
        args.push("--help");
        let out = Command::new(env!("CARGO_BIN_EXE_phonedesk"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{path} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        let tail = help
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{help}"));
        for line in *lines {
            assert!(tail.contains(line), "{path}: {line} not in\n{help}");
        }
    }
}

#[test]
fn every_example_runs_as_written() {
    for (path, lines) in EXAMPLES {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let cwd = dir.path().join("work");
        std::fs::create_dir(&cwd).unwrap();
        for line in *lines {
            let (commands, _) = shell::split(line).unwrap();
            for command in commands {
                let (program, args) = command.words.split_first().unwrap();
                assert_eq!(program, "phonedesk", "{line}");
                let out = Command::new(env!("CARGO_BIN_EXE_phonedesk"))
                    .args(args)
                    .current_dir(&cwd)
                    .env("PHONEDESK_DB", &db)
                    .env("USER", "example.runner")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "`{path}` example `{line}` exited {:?}:\n{}{}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

/// The examples that need a real tenant are not run, but they parse as written.
#[test]
fn every_tenant_example_parses() {
    for (path, lines) in TENANT_EXAMPLES {
        for line in *lines {
            let (commands, _) = shell::split(line).unwrap();
            for command in commands {
                let parsed = examples::command().try_get_matches_from(&command.words);
                assert!(parsed.is_ok(), "`{path}` example `{line}`: {parsed:?}");
            }
        }
    }
}
