//! Printing for the command line: JSON, aligned plain tables, display-safe text.
//!
//! Every line phonedesk prints passes through here (or through `cli::main`'s error line, which
//! uses [`error`]), and each is made display-safe on the way out: a UPN, a path or a name that
//! carries ESC, a newline or U+2028 cannot move the cursor or start a line of its own, whichever
//! command echoes it. Callers still sanitise data they format, so a marker stands where the
//! character was; this is the net under them.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::Failure;
use crate::domain::sanitize::{display_safe, is_terminal_unsafe};

/// Prints `value` as pretty JSON on stdout. Characters a terminal would act on are written as
/// `\uXXXX` escapes (serde_json escapes only C0 controls; DEL, C1 controls, U+2028, U+2029 and
/// bidi overrides it writes raw): the same JSON value, safe on a terminal.
pub fn json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::refused(format!("cannot write JSON: {e}")))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", json_escaped(&text));
    Ok(())
}

/// `text` (serde_json's output) with every terminal-unsafe character but the pretty printer's
/// newlines escaped. serde_json writes such characters only inside strings, where an escape
/// means the same character.
fn json_escaped(text: &str) -> Cow<'_, str> {
    let escape = |c: char| c != '\n' && is_terminal_unsafe(c);
    if !text.chars().any(escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer for JSON on its way to a terminal (`export` without `--out`): like [`json`], it
/// writes every terminal-unsafe character but newlines as a `\\uXXXX` escape, which is only
/// right inside JSON strings, where such characters are the only place they can be. Off (a plain
/// pass-through) when the output is a file or a pipe, so backups stay byte for byte what
/// `--out` writes. Characters split across writes are put back together first.
pub struct TerminalJson<W: Write> {
    inner: W,
    escape: bool,
    /// The start of a UTF-8 character whose other bytes come in the next write.
    pending: Vec<u8>,
}

impl<W: Write> TerminalJson<W> {
    pub fn new(inner: W, escape: bool) -> Self {
        Self {
            inner,
            escape,
            pending: Vec::new(),
        }
    }

    /// Writes a character the escape rule applies to.
    fn put(&mut self, text: &str) -> std::io::Result<()> {
        let escaped = json_escaped(text);
        self.inner.write_all(escaped.as_bytes())
    }
}

impl<W: Write> Write for TerminalJson<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.escape {
            return self.inner.write(buf);
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut rest = &bytes[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.put(text)?;
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // The prefix is valid UTF-8 by construction.
                    self.put(std::str::from_utf8(valid).unwrap_or_default())?;
                    match e.error_len() {
                        // Bytes that are not UTF-8 (never from the tenant writer) pass as
                        // they are.
                        Some(n) => {
                            self.inner.write_all(&after[..n])?;
                            rest = &after[n..];
                        }
                        None => {
                            self.pending = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        self.inner.flush()
    }
}

/// Writes `prefix` and `text`, display-safe, as one line; a closed pipe (`| head`) ends output
/// quietly instead of panicking.
fn write_line(out: &mut impl Write, prefix: &str, text: &str) {
    let _ = writeln!(out, "{prefix}{}", display_safe(text));
}

/// Writes one line to stdout, display-safe.
pub fn line(text: &str) {
    write_line(&mut std::io::stdout().lock(), "", text);
}

/// Text from the database, made safe for a terminal.
pub fn safe(text: &str) -> String {
    display_safe(text).into_owned()
}

/// Prints rows as columns padded to the widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let render = |cells: Vec<String>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths.get(i).copied().unwrap_or(0);
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.extend(std::iter::repeat_n(
                    ' ',
                    pad.saturating_sub(cell.chars().count()) + 2,
                ));
            }
        }
        out.trim_end().to_owned()
    };
    line(&render(header.iter().map(|h| (*h).to_owned()).collect()));
    for row in rows {
        line(&render(row.clone()));
    }
}

/// Prints a warning to stderr, display-safe.
pub fn warn(text: &str) {
    write_line(&mut std::io::stderr().lock(), "warning: ", text);
}

/// Prints a note (what happened on the side: a seeded database, an upgrade) to stderr,
/// display-safe.
pub fn note(text: &str) {
    write_line(&mut std::io::stderr().lock(), "note: ", text);
}

/// Prints the one-line error of a failed command to stderr, display-safe.
pub fn error(text: &str) {
    write_line(&mut std::io::stderr().lock(), "error: ", text);
}

/// Prints a line to stderr, display-safe, without a prefix (messages that carry their own).
pub fn status(text: &str) {
    write_line(&mut std::io::stderr().lock(), "", text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_serde_json_writes_raw_and_stays_the_same_value() {
        let value = serde_json::json!({
            "name": "a\u{2028}b\u{2029}c\u{202E}d\u{7f}e\u{9b}f\u{E0041}g\u{1b}h",
            "plain": "Zoë 李 🙂",
        });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let escaped = json_escaped(&text);
        assert!(
            !escaped.chars().any(|c| c != '\n' && is_terminal_unsafe(c)),
            "{escaped}"
        );
        assert!(
            escaped.contains("\\u2028") && escaped.contains("\\udb40\\udc41"),
            "{escaped}"
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn terminal_json_escapes_characters_split_across_writes() {
        let text = "{\"name\": \"a\u{2028}b\u{9b}c李\u{E0041}\"}\n";
        for split in 0..=text.len() {
            let mut out = TerminalJson::new(Vec::new(), true);
            out.write_all(&text.as_bytes()[..split]).unwrap();
            out.write_all(&text.as_bytes()[split..]).unwrap();
            out.flush().unwrap();
            let written = String::from_utf8(out.inner).unwrap();
            assert_eq!(
                written, "{\"name\": \"a\\u2028b\\u009bc李\\udb40\\udc41\"}\n",
                "split at {split}"
            );
        }
        let mut plain = TerminalJson::new(Vec::new(), false);
        plain.write_all(text.as_bytes()).unwrap();
        assert_eq!(plain.inner, text.as_bytes());
    }

    #[test]
    fn a_line_is_one_display_safe_line() {
        let mut out = Vec::new();
        write_line(
            &mut out,
            "error: ",
            "no user a\u{1b}]2;x\u{7}\nb\u{2028}c\u{2029}d\u{202E}e",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error: no user a\u{FFFD}]2;x\u{FFFD}\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\n"
        );
    }

    #[test]
    fn safe_json_is_borrowed() {
        assert!(matches!(
            json_escaped("{\n  \"a\": \"b\"\n}"),
            Cow::Borrowed(_)
        ));
    }
}
