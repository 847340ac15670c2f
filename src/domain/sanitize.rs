//! Making text from the database, the command line and files safe to put on a terminal.
//!
//! Names and numbers come from imported files and other operators; paths and UPNs from the
//! command line. Control characters (ESC and OSC sequences, newlines, backspace), line and
//! paragraph separators, invisible and direction-changing characters would let that text move the
//! cursor, start a new line, hide the rest of a row or make one number look like another; long
//! runs of combining marks ("zalgo") spill into neighbouring rows. They are replaced by a visible
//! marker. [`is_terminal_unsafe`] is the one definition: the CLI's output, its error line, the
//! TUI's widgets and the TUI's last line of defence (the backend filter) all use it.

use std::borrow::Cow;

use super::phone::is_invisible_or_bidi;

/// The visible stand-in for a character that must not reach the terminal.
pub const REPLACEMENT: char = '\u{FFFD}';
/// Combining marks kept after one base character; real scripts need at most a few.
const MAX_COMBINING_RUN: usize = 2;

/// Approximates Unicode's general category Mn for the blocks that carry stacking marks.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Format characters (Unicode category Cf) that `is_invisible_or_bidi` does not list: Arabic
/// number signs and end-of-ayah marks, the deprecated shaping and symmetric-swapping controls,
/// interlinear annotation, hieroglyph and shorthand format controls, musical beam controls and
/// the tag characters. None draws anything of its own; each changes how its neighbours draw.
fn is_other_format(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{2065}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// True for a character that must never reach a terminal as it is: C0 and C1 controls and DEL
/// (ESC, CR, LF, BS, TAB, NEL U+0085, CSI U+009B...), the line and paragraph separators U+2028
/// and U+2029, and invisible, direction-changing and other format characters.
pub fn is_terminal_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || is_invisible_or_bidi(c)
        || is_other_format(c)
}

/// Returns `text` unchanged when it is already safe (the common case, no allocation), else a
/// copy with unsafe characters replaced and combining runs capped.
pub fn display_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| is_terminal_unsafe(c) || is_combining_mark(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for c in text.chars() {
        if is_terminal_unsafe(c) {
            out.push(REPLACEMENT);
            run = 0;
        } else if is_combining_mark(c) {
            run += 1;
            if run <= MAX_COMBINING_RUN {
                out.push(c);
            }
        } else {
            out.push(c);
            run = 0;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(display_safe("Kim Akers"), Cow::Borrowed(_)));
        assert!(matches!(display_safe("Zoë 李 🙂"), Cow::Borrowed(_)));
        assert!(matches!(display_safe("עברית العربية"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_and_bidi_characters_become_visible_markers() {
        assert_eq!(display_safe("a\nb"), "a\u{FFFD}b");
        assert_eq!(display_safe("\u{1b}[31mred"), "\u{FFFD}[31mred");
        assert_eq!(display_safe("abc\u{202E}fed"), "abc\u{FFFD}fed");
        assert_eq!(display_safe("zero\u{200B}width"), "zero\u{FFFD}width");
    }

    #[test]
    fn line_and_paragraph_separators_become_visible_markers() {
        assert_eq!(display_safe("one\u{2028}two"), "one\u{FFFD}two");
        assert_eq!(display_safe("one\u{2029}two"), "one\u{FFFD}two");
        assert_eq!(display_safe("next\u{0085}line"), "next\u{FFFD}line");
    }

    #[test]
    fn every_character_that_moves_the_cursor_or_changes_its_neighbours_is_unsafe() {
        for c in (0..0x20u32).chain(0x7F..0xA0).filter_map(char::from_u32) {
            assert!(is_terminal_unsafe(c), "U+{:04X}", u32::from(c));
        }
        for c in [
            '\u{2028}',
            '\u{2029}',
            '\u{200E}',
            '\u{202E}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{0600}',
            '\u{206A}',
            '\u{FFF9}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{1D173}',
        ] {
            assert!(is_terminal_unsafe(c), "U+{:04X}", u32::from(c));
            assert_eq!(display_safe(&format!("a{c}b")), "a\u{FFFD}b");
        }
        for c in [
            'a', ' ', 'é', '李', '🙂', '\u{FFFD}', '\u{00A0}', '\u{FE0F}',
        ] {
            assert!(!is_terminal_unsafe(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn zalgo_is_capped() {
        let zalgo = format!("Z{}", "\u{0301}".repeat(50));
        assert_eq!(display_safe(&zalgo).chars().count(), 1 + MAX_COMBINING_RUN);
    }
}
