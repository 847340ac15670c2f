//! An example for every command, shown at the end of its `--help` (and so in the man page).
//! They live in one table rather than in attributes on `cli.rs`'s definitions so that a test can
//! run each of them as written against a fresh demo database (`tests/help_examples.rs`): an
//! example that stops working fails the build, like a README example does.
//!
//! Each entry is a command path and its example lines; a line is run in order after the ones
//! before it in the same entry, on one database, in an empty working directory. `&&` joins
//! commands on one line. Every example exits 0. [`TENANT_EXAMPLES`] need a real tenant and are
//! only parsed.

use clap::CommandFactory;

use super::Cli;

/// (command path, example command lines).
pub const EXAMPLES: &[(&str, &[&str])] = &[
    (
        "user search",
        &[
            "phonedesk user search delgado",
            "phonedesk user search \"+1 (206) 555-0101\" --json",
            "phonedesk user search is:blocked --limit 10",
        ],
    ),
    (
        "user show",
        &[
            "phonedesk user show rosa.delgado@fabrikam.example",
            "phonedesk user show rosa.delgado@fabrikam.example --reveal --json",
        ],
    ),
    (
        "user block",
        &[
            "phonedesk user block kwame.mensah@fabrikam.example --reason \"lost phone, ticket 4711\"",
        ],
    ),
    (
        "user unblock",
        &["phonedesk user unblock tomas.silva@fabrikam.example --reason \"new phone confirmed\""],
    ),
    (
        "user set-default",
        &[
            "phonedesk user set-default daniel.fischer@fabrikam.example voiceMobile",
            "phonedesk user set-default daniel.fischer@fabrikam.example voiceOffice",
        ],
    ),
    (
        "phone check",
        &[
            "phonedesk phone check \"+1 (206) 555-0100 ext. 12\"",
            "phonedesk phone check \"020 7946 0123\" --region GB --slot mobile --json",
        ],
    ),
    (
        "phone list",
        &["phonedesk phone list daniel.fischer@fabrikam.example --json"],
    ),
    (
        "phone add",
        &["phonedesk phone add nora.lindqvist@fabrikam.example --type mobile \"+1 2065550150\""],
    ),
    (
        "phone update",
        &["phonedesk phone update liam.obrien@fabrikam.example --type mobile \"+61 491570157\""],
    ),
    (
        "phone delete",
        &["phonedesk phone delete daniel.fischer@fabrikam.example --type alternateMobile"],
    ),
    (
        "phone sms-signin",
        &[
            "phonedesk phone sms-signin enable kwame.mensah@fabrikam.example",
            "phonedesk phone sms-signin disable kwame.mensah@fabrikam.example",
        ],
    ),
    (
        "audit",
        &["phonedesk audit --user rosa.delgado@fabrikam.example --limit 20"],
    ),
    (
        "export",
        &[
            "phonedesk export --out directory.json",
            "phonedesk --role privileged-auth-admin export --reveal --out backup.json",
        ],
    ),
    (
        "import",
        &[
            "phonedesk --role privileged-auth-admin export --reveal --out backup.json && phonedesk --role privileged-auth-admin import backup.json --replace",
        ],
    ),
    (
        "demo reset",
        &["phonedesk --role privileged-auth-admin demo reset --yes"],
    ),
    (
        "demo generate",
        &["phonedesk demo generate --users 1000 --seed 7 --out tenant.json"],
    ),
    ("demo play", &["phonedesk demo play sms-sign-in"]),
    ("demo reset-world", &["phonedesk demo reset-world"]),
    ("demo list", &["phonedesk demo list"]),
    (
        "signin sms-signin",
        &[
            "phonedesk signin sms-signin --phone \"+1 2065550101\" --seed 1",
            "phonedesk signin sms-signin --user rosa.delgado@fabrikam.example --seed 1",
        ],
    ),
    (
        "signin mfa",
        &[
            "phonedesk signin mfa --user rosa.delgado@fabrikam.example --via sms --seed 1",
            "phonedesk signin mfa --user priya.raman@fabrikam.example --via voice --slot mobile --json",
        ],
    ),
    (
        "signin sspr",
        &["phonedesk signin sspr --user daniel.fischer@fabrikam.example --slot office --seed 3"],
    ),
    (
        "signin clear-failures",
        &["phonedesk signin clear-failures --user rosa.delgado@fabrikam.example"],
    ),
    ("device show", &["phonedesk device show \"+1 2065550101\""]),
    (
        "device set",
        &["phonedesk device set \"+1 2065550101\" --voicemail on --block-sender 26096"],
    ),
    ("telecom status", &["phonedesk telecom status --json"]),
    (
        "telecom fault",
        &[
            "phonedesk telecom fault northwind sms-drop",
            "phonedesk telecom fault northwind none",
        ],
    ),
    (
        "troubleshoot",
        &[
            "phonedesk troubleshoot liam.obrien@fabrikam.example",
            "phonedesk troubleshoot liam.obrien@fabrikam.example --symptom never-arrives",
            "phonedesk troubleshoot tomas.silva@fabrikam.example --symptom user-blocked --apply unblock-user --ticket note.md",
        ],
    ),
    ("doctor", &["phonedesk doctor --json"]),
    (
        "log",
        &[
            "phonedesk log --since 1h",
            "phonedesk log --user rosa.delgado@fabrikam.example --since yesterday --limit 20 --json",
        ],
    ),
    ("completions", &["phonedesk completions bash"]),
    ("man", &["phonedesk man", "phonedesk man --out-dir man"]),
];

/// Examples that need a real Microsoft tenant: shown like the others; the test only checks that
/// they parse, it never runs them (like README fences marked `sh-tenant`).
pub const TENANT_EXAMPLES: &[(&str, &[&str])] = &[
    (
        "login",
        &["phonedesk login --tenant contoso.onmicrosoft.com"],
    ),
    (
        "logout",
        &["phonedesk logout --tenant contoso.onmicrosoft.com"],
    ),
];

/// The clap command with each command's examples after its help.
pub fn command() -> clap::Command {
    let mut root = Cli::command();
    for (path, lines) in EXAMPLES.iter().chain(TENANT_EXAMPLES) {
        let text = lines
            .iter()
            .fold(String::from("Examples:"), |text, line| text + "\n  " + line);
        let names: Vec<&str> = path.split(' ').collect();
        root = with_after_help(root, &names, text);
    }
    root
}

fn with_after_help(command: clap::Command, path: &[&str], text: String) -> clap::Command {
    match path.split_first() {
        None => command.after_help(text),
        Some((first, rest)) => {
            let rest = rest.to_vec();
            command.mut_subcommand(*first, move |sub| with_after_help(sub, &rest, text))
        }
    }
}
