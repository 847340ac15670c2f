//! Printing for the command line: JSON, aligned plain tables, display-safe text.

use std::io::Write;

use serde::Serialize;

use super::Failure;
use crate::domain::sanitize::display_safe;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::refused(format!("cannot write JSON: {e}")))?;
    line(&text);
    Ok(())
}

/// Writes one line to stdout; a closed pipe (`| head`) ends output quietly instead of panicking.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
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

/// Prints a warning to stderr.
pub fn warn(text: &str) {
    eprintln!("warning: {text}");
}
