//! Making text from the database safe to put on a terminal.
//!
//! Names and numbers come from imported files and other operators. Control characters (ESC and
//! OSC sequences, newlines), invisible and direction-changing characters would let that text move
//! the cursor, hide the rest of a row or make one number look like another; long runs of combining
//! marks ("zalgo") spill into neighbouring rows. They are replaced by a visible marker.

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

/// Returns `text` unchanged when it is already safe (the common case, no allocation), else a
/// copy with unsafe characters replaced and combining runs capped.
pub fn display_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || is_invisible_or_bidi(c) || is_combining_mark(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for c in text.chars() {
        if c.is_control() || is_invisible_or_bidi(c) {
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
    }

    #[test]
    fn control_and_bidi_characters_become_visible_markers() {
        assert_eq!(display_safe("a\nb"), "a\u{FFFD}b");
        assert_eq!(display_safe("\u{1b}[31mred"), "\u{FFFD}[31mred");
        assert_eq!(display_safe("abc\u{202E}fed"), "abc\u{FFFD}fed");
        assert_eq!(display_safe("zero\u{200B}width"), "zero\u{FFFD}width");
    }

    #[test]
    fn zalgo_is_capped() {
        let zalgo = format!("Z{}", "\u{0301}".repeat(50));
        assert_eq!(display_safe(&zalgo).chars().count(), 1 + MAX_COMBINING_RUN);
    }
}
