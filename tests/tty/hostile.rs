//! Text that would take over a terminal, a tenant full of it, and the checks that none of it got
//! through: on a line of output, or anywhere in the byte stream phonedesk writes to a terminal.
//!
//! The checks define "unsafe" on their own (not with phonedesk's sanitiser), so a character the
//! sanitiser forgets is caught here.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::session::BIN;

/// Each a way for text to act on a terminal instead of being shown.
pub const PAYLOADS: &[&str] = &[
    "\u{1b}]2;PWNED\u{7}",       // OSC: set the window title
    "\u{1b}]52;c;cHduZWQ=\u{7}", // OSC 52: write the clipboard
    "\u{1b}[6n",                 // DSR: the terminal types an answer back
    "\u{1b}[?1049l",             // leave the alternate screen
    "\u{1b}[2J",                 // clear the screen
    "\u{1b}c",                   // reset the terminal
    "\u{9b}31m",                 // C1 CSI
    "\u{85}",                    // C1 next line
    "\u{2028}",                  // line separator
    "\u{2029}",                  // paragraph separator
    "\u{202E}",                  // right-to-left override
    "\u{2066}",                  // left-to-right isolate
    "\r",
    "\n",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\t",
    "\u{7}",
    "\u{e}", // shift out (line-drawing charset)
    "\u{7f}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{E0041}", // a tag character
];

/// `label` with every payload in it.
pub fn hostile(label: &str) -> String {
    let mut text = label.to_owned();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        text.push_str(payload);
        text.push(char::from(b'a' + (i % 26) as u8));
    }
    text
}

/// True for a character that must not reach a terminal as it is: C0, DEL, C1, the line and
/// paragraph separators, zero-width, bidi and tag characters.
pub fn acts_on_terminal(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00..=0x1F
            | 0x7F..=0x9F
            | 0x00AD
            | 0x061C
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x2069
            | 0xFEFF
            | 0xE0000..=0xE007F
    )
}

/// Panics when `text` (lines of output) holds a character that acts on a terminal.
pub fn assert_clean(what: &str, text: &str) {
    for (i, c) in text.char_indices() {
        if c != '\n' && acts_on_terminal(c) {
            let from = text[..i].char_indices().rev().nth(20).map_or(0, |(j, _)| j);
            panic!(
                "{what}: U+{:04X} reached the output at byte {i}: {:?}",
                u32::from(c),
                &text[from..(i + 8).min(text.len())]
            );
        }
    }
}

/// Private modes phonedesk sets and resets itself: cursor, mouse reports (clicks and the wheel
/// set, every kind reset), alternate screen, bracketed paste, synchronized update.
const OWN_MODES: &[&[u8]] = &[
    b"?25", b"?1000", b"?1002", b"?1003", b"?1006", b"?1015", b"?1049", b"?2004", b"?2026",
];

/// The one control string phonedesk writes: `y` puts text on the clipboard with OSC 52, its
/// payload base64, written just before a frame (its synchronized update). The same string in
/// data, inside a frame, is still a violation. Its length, if `at` starts one.
fn clipboard_write(bytes: &[u8], at: usize) -> Option<usize> {
    let head = b"\x1b]52;c;";
    let rest = bytes.get(at..)?.strip_prefix(&head[..])?;
    let end = rest.iter().position(|b| *b == 0x07)?;
    let base64 = rest[..end]
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    let before_a_frame = rest[end + 1..].starts_with(b"\x1b[?2026h");
    (base64 && before_a_frame).then_some(head.len() + end + 1)
}

/// Checks the bytes phonedesk wrote to its terminal: escape sequences only of the kinds a
/// ratatui frame is made of (cursor moves, colours, clears, its own modes), its clipboard
/// writes, and text with no character that acts on a terminal. Returns the first violation.
pub fn check_terminal_stream(bytes: &[u8]) -> Result<(), String> {
    let context = |at: usize| {
        let from = at.saturating_sub(40);
        format!(
            "at byte {at} of {}: {:?}",
            bytes.len(),
            String::from_utf8_lossy(&bytes[from..(at + 24).min(bytes.len())])
        )
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(len) = clipboard_write(bytes, i) {
            i += len;
        } else if b == 0x1B {
            if bytes.get(i + 1) != Some(&b'[') {
                return Err(format!("an escape that is not CSI {}", context(i)));
            }
            let mut j = i + 2;
            while j < bytes.len() && (0x30..=0x3F).contains(&bytes[j]) {
                j += 1;
            }
            let params = &bytes[i + 2..j.min(bytes.len())];
            let own = match bytes.get(j) {
                Some(b'm' | b'H' | b'J' | b'K' | b'G') => params.first() != Some(&b'?'),
                Some(b'h' | b'l') => OWN_MODES.contains(&params),
                _ => false,
            };
            if !own {
                return Err(format!("a sequence phonedesk never writes {}", context(i)));
            }
            i = j + 1;
        } else if b < 0x20 || b == 0x7F {
            return Err(format!("control byte 0x{b:02x} {}", context(i)));
        } else {
            let len = match b {
                0x00..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let Some(c) = bytes
                .get(i..i + len)
                .and_then(|s| std::str::from_utf8(s).ok())
                .and_then(|s| s.chars().next())
            else {
                return Err(format!("bytes that are not UTF-8 {}", context(i)));
            };
            if acts_on_terminal(c) {
                return Err(format!("U+{:04X} {}", u32::from(c), context(i)));
            }
            i += len;
        }
    }
    Ok(())
}

/// Writes a tenant file into `dir`: the demo tenant with hostile text in the tenant name, in the
/// display names of three users that sort first (so they are on the first screen), in a group
/// and in a block reason. Returns its path.
pub fn tenant_file(dir: &Path) -> PathBuf {
    let demo = dir.join("demo.json");
    let out = Command::new(BIN)
        .arg("--db")
        .arg(dir.join("demo-db"))
        .args([
            "--role",
            "privileged-auth-admin",
            "export",
            "--reveal",
            "--out",
        ])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut tenant: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&demo).unwrap()).unwrap();
    tenant["tenant"]["name"] = hostile("Fabrikam").into();
    let users = tenant["users"].as_array_mut().unwrap();
    for (i, user) in users.iter_mut().take(3).enumerate() {
        user["displayName"] = hostile(&format!("Aa{i} Evil ")).into();
    }
    users[3]["groups"]
        .as_array_mut()
        .unwrap()
        .push(hostile("Ops ").into());
    if let Some(blocked) = users.iter_mut().find(|u| u["blocked"] == true) {
        blocked["block"]["reason"] = hostile("reason ").into();
    }
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&tenant).unwrap()).unwrap();
    path
}

/// A database in `dir` holding [`tenant_file`]'s tenant.
pub fn database(dir: &Path) -> PathBuf {
    let file = tenant_file(dir);
    let db = dir.join("hostile-db");
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["--role", "privileged-auth-admin", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the hostile tenant was refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

#[test]
fn the_stream_check_tells_frames_from_takeovers() {
    let frame =
        "\u{1b}[?1049h\u{1b}[?2004h\u{1b}[1;1H\u{1b}[38;5;2mAb李\u{1b}[0m\u{1b}[2J\u{1b}[?25l";
    assert_eq!(check_terminal_stream(frame.as_bytes()), Ok(()));
    // `y`: phonedesk's own clipboard write, just before a frame.
    let copy = "\u{1b}]52;c;cm9zYQ==\u{7}\u{1b}[?2026h\u{1b}[1;1Hx\u{1b}[?2026l";
    assert_eq!(check_terminal_stream(copy.as_bytes()), Ok(()));
    // These two are sequences phonedesk writes itself; in data they come with the others.
    let own = ["\u{1b}[2J", "\u{1b}[?1049l"];
    for payload in PAYLOADS.iter().filter(|p| !own.contains(p)) {
        let stream = format!("\u{1b}[1;1Hname{payload}rest");
        assert!(
            check_terminal_stream(stream.as_bytes()).is_err(),
            "{payload:?} passed"
        );
        assert!(hostile("x").contains(payload));
    }
}
