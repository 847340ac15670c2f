//! The README's key tables are written from the same command table as the footer and the help
//! overlay (`src/tui/keymap.rs`), so they cannot drift: this test fails when they differ.
//! `PHONEDESK_UPDATE_README=1 cargo test --test readme` rewrites them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use phonedesk::tui::keymap::{Keymap, docs};

#[test]
fn the_readme_key_tables_are_the_command_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let section = docs::section(&readme).expect("the README has no generated key tables");
    let expected = format!("\n\n{}", docs::markdown(&Keymap::defaults()));
    if section == expected {
        return;
    }
    if std::env::var_os("PHONEDESK_UPDATE_README").is_some() {
        let updated = docs::with_section(&readme, &expected).unwrap();
        std::fs::write(path, updated).unwrap();
        return;
    }
    panic!(
        "the README's key tables differ from src/tui/keymap.rs; run \
         PHONEDESK_UPDATE_README=1 cargo test --test readme. Expected:\n{expected}"
    );
}
