//! The key tables of the README, written from the command table and the default keymap, so the
//! README, the help overlay and the footer cannot drift apart (a test compares the README with
//! [`markdown`]).

use super::{Command, Context, Keymap};

/// Where the generated tables start and end in the README.
pub const BEGIN: &str =
    "<!-- keys: generated from src/tui/keymap.rs; `cargo test --test readme` checks it -->";
pub const END: &str = "<!-- keys: end -->";

/// One Markdown table per context, in the help's order.
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::new();
    for context in Context::ALL {
        let commands: Vec<Command> = Command::ALL
            .iter()
            .copied()
            .filter(|c| c.context() == context)
            .collect();
        if commands.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "**{}**\n\n| key | does |\n|---|---|\n",
            context.title()
        ));
        for command in commands {
            let keys: Vec<String> = keymap
                .keys(command)
                .iter()
                .map(|k| format!("`{}`", k.to_string().replace('|', "\\|")))
                .collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" "),
                command.description().replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out
}

/// Where the README's generated part lies, between [`BEGIN`] and [`END`].
fn bounds(readme: &str) -> Option<(usize, usize)> {
    let start = readme.find(BEGIN)? + BEGIN.len();
    let end = start + readme.get(start..)?.find(END)?;
    Some((start, end))
}

/// The README's generated part, if both markers are there.
pub fn section(readme: &str) -> Option<&str> {
    let (start, end) = bounds(readme)?;
    readme.get(start..end)
}

/// The README with its generated part replaced by `tables`.
pub fn with_section(readme: &str, tables: &str) -> Option<String> {
    let (start, end) = bounds(readme)?;
    Some(format!("{}{tables}{}", &readme[..start], &readme[end..]))
}
