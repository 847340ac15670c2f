//! What a complete byte sequence from the terminal means: the same `Event`s crossterm 0.29
//! produces for it, so the keymap, the text fields and `tests/tui_flows.rs` see no difference.
//!
//! Only keys are decoded here; mouse reports (the one kind of report phonedesk asks for besides
//! bracketed paste) go to `mouse`. phonedesk asks for no focus events, keyboard-enhancement
//! flags or queries, so every other complete sequence (reports, `CSI ? ... <final>`) is dropped
//! rather than waited on.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// A key without modifiers other than `modifiers`.
fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// Ctrl-C, as raw mode delivers it (ETX, 0x03).
pub fn ctrl_c() -> Event {
    key(KeyCode::Char('c'), KeyModifiers::CONTROL)
}

/// Whether `event` is Ctrl-C, with or without other modifiers.
pub fn is_ctrl_c(event: &Event) -> bool {
    matches!(
        event,
        Event::Key(k) if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL)
    )
}

/// A printable character; an upper-case letter carries Shift, as crossterm reports it.
pub fn char_key(c: char, alt: bool) -> Event {
    let mut modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    if alt {
        modifiers |= KeyModifiers::ALT;
    }
    key(KeyCode::Char(c), modifiers)
}

/// A C0 control byte or DEL outside any sequence (`alt` when it followed a lone ESC). ETX is
/// always plain Ctrl-C, so that Ctrl-C quits whatever came before it.
pub fn control_key(byte: u8, alt: bool) -> Event {
    let alt = if alt && byte != 0x03 {
        KeyModifiers::ALT
    } else {
        KeyModifiers::NONE
    };
    match byte {
        b'\r' => key(KeyCode::Enter, alt),
        b'\t' => key(KeyCode::Tab, alt),
        0x7F => key(KeyCode::Backspace, alt),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL | alt),
        // Raw mode: LF is Ctrl-J and BS is Ctrl-H, as in crossterm.
        0x01..=0x1A => key(
            KeyCode::Char(char::from(byte - 0x01 + b'a')),
            KeyModifiers::CONTROL | alt,
        ),
        0x1C..=0x1F => key(
            KeyCode::Char(char::from(byte - 0x1C + b'4')),
            KeyModifiers::CONTROL | alt,
        ),
        _ => key(KeyCode::Esc, alt),
    }
}

/// The modifiers of an xterm-style parameter (`1 + bits`: Shift 1, Alt 2, Ctrl 4, Super 8,
/// Hyper 16, Meta 32); `None` for a parameter that is not a number.
fn modifiers(field: Option<&str>) -> Option<KeyModifiers> {
    let Some(field) = field else {
        return Some(KeyModifiers::NONE);
    };
    // Kitty appends `:event-type`; the mask comes first.
    let mask = field.split(':').next().unwrap_or("");
    if mask.is_empty() {
        return Some(KeyModifiers::NONE);
    }
    let bits = u16::from(mask.parse::<u8>().ok()?.saturating_sub(1));
    Some(super::modifiers_in(
        bits,
        &[
            (1, KeyModifiers::SHIFT),
            (2, KeyModifiers::ALT),
            (4, KeyModifiers::CONTROL),
            (8, KeyModifiers::SUPER),
            (16, KeyModifiers::HYPER),
            (32, KeyModifiers::META),
        ],
    ))
}

/// The key `CSI number ~` names (xterm and VT220 editing and function keys).
fn tilde_key(number: u16) -> Option<KeyCode> {
    Some(match number {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F(u8::try_from(number - 10).ok()?),
        17..=21 => KeyCode::F(u8::try_from(number - 11).ok()?),
        23..=26 => KeyCode::F(u8::try_from(number - 12).ok()?),
        28..=29 => KeyCode::F(u8::try_from(number - 15).ok()?),
        31..=34 => KeyCode::F(u8::try_from(number - 17).ok()?),
        _ => return None,
    })
}

/// The key a final byte names in `CSI [1;m] final` and `SS3 final`.
fn letter_key(last: u8) -> Option<KeyCode> {
    Some(match last {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    })
}

/// `ESC O final`: the cursor keys in application mode and F1-F4.
pub fn ss3(last: u8) -> Option<Event> {
    letter_key(last).map(|code| key(code, KeyModifiers::NONE))
}

/// `ESC [ params final`, complete; `None` for anything that is not a key (it is dropped).
/// `params` holds the bytes between `[` and the final byte.
pub fn csi(params: &[u8], last: u8) -> Option<Event> {
    // Private parameters (`<`, `=`, `>`, `?`: mouse reports, device replies) and intermediate
    // bytes never make a key phonedesk asked for.
    if params
        .iter()
        .any(|b| matches!(b, b'<'..=b'?' | 0x20..=0x2F))
    {
        return None;
    }
    let text = std::str::from_utf8(params).ok()?;
    let mut fields = text.split(';');
    let first = fields.next().filter(|f| !f.is_empty());
    let second = fields.next();
    if fields.next().is_some() {
        return None;
    }
    match last {
        b'~' => {
            let code = tilde_key(first?.split(':').next()?.parse().ok()?)?;
            Some(key(code, modifiers(second)?))
        }
        b'Z' if first.is_none() => Some(key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        // Plain `CSI R` is not F3 (crossterm leaves it out too); `CSI 1;5R` is Ctrl-F3.
        b'R' if second.is_none() => None,
        _ => {
            let code = letter_key(last)?;
            // `CSI A` or `CSI 1;5A`; the first number is always 1 when modifiers follow.
            if first.is_some_and(|f| f != "1") {
                return None;
            }
            Some(key(code, modifiers(second)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, modifiers: KeyModifiers) -> Option<Event> {
        Some(key(code, modifiers))
    }

    #[test]
    fn cursor_editing_and_function_keys() {
        assert_eq!(csi(b"", b'A'), k(KeyCode::Up, KeyModifiers::NONE));
        assert_eq!(csi(b"1;5", b'C'), k(KeyCode::Right, KeyModifiers::CONTROL));
        assert_eq!(
            csi(b"1;4", b'D'),
            k(KeyCode::Left, KeyModifiers::SHIFT | KeyModifiers::ALT)
        );
        assert_eq!(csi(b"5", b'~'), k(KeyCode::PageUp, KeyModifiers::NONE));
        assert_eq!(csi(b"3;2", b'~'), k(KeyCode::Delete, KeyModifiers::SHIFT));
        assert_eq!(csi(b"15", b'~'), k(KeyCode::F(5), KeyModifiers::NONE));
        assert_eq!(csi(b"24", b'~'), k(KeyCode::F(12), KeyModifiers::NONE));
        assert_eq!(csi(b"", b'Z'), k(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(csi(b"1;5", b'R'), k(KeyCode::F(3), KeyModifiers::CONTROL));
        assert_eq!(ss3(b'P'), k(KeyCode::F(1), KeyModifiers::NONE));
        assert_eq!(ss3(b'H'), k(KeyCode::Home, KeyModifiers::NONE));
    }

    #[test]
    fn reports_and_nonsense_are_not_keys() {
        for (params, last) in [
            (&b"?1049"[..], b'l'),
            (b"?2026;2$", b'y'),
            (b"<0;10;5", b'M'),
            (b"0;0", b'R'),
            (b"", b'R'),
            (b"", b'I'),
            (b"99999999", b'~'),
            (b"1;99999", b'A'),
            (b"9", b'~'),
            (b"1;2;3", b'~'),
            (b"2", b'A'),
            (b"", b'x'),
            (b"97;5", b'u'),
        ] {
            assert_eq!(csi(params, last), None, "{params:?} {}", char::from(last));
        }
        assert_eq!(ss3(b'x'), None);
    }

    #[test]
    fn control_bytes_are_the_keys_crossterm_reports() {
        assert_eq!(
            control_key(b'\r', false),
            key(KeyCode::Enter, KeyModifiers::NONE)
        );
        assert_eq!(
            control_key(0x7F, true),
            key(KeyCode::Backspace, KeyModifiers::ALT)
        );
        assert_eq!(
            control_key(b'\n', false),
            key(KeyCode::Char('j'), KeyModifiers::CONTROL)
        );
        assert_eq!(
            control_key(0x03, true),
            ctrl_c(),
            "Ctrl-C never carries Alt"
        );
        assert!(is_ctrl_c(&control_key(0x03, false)));
        assert_eq!(
            char_key('G', false),
            key(KeyCode::Char('G'), KeyModifiers::SHIFT)
        );
    }
}
