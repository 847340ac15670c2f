//! Which characters a phone number may contain, and how to name the ones it may not.
//!
//! Text pasted from mail, chat and web pages carries typographic separators: no-break spaces
//! (U+00A0, U+202F) and Unicode dashes (U+2010-U+2015, U+2212). They separate digit groups as a
//! space or `-` does, so they are read as separators. Invisible and direction-changing characters
//! are refused instead: they can make one number look like another on screen. A refusal names the
//! character in words, since echoing it would show something that looks like a space or nothing.

/// True for the characters that separate digit groups: ASCII ` -.()/`, the no-break spaces and
/// the Unicode dashes and minus sign.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '(' | ')' | '/' | '\u{00A0}' | '\u{202F}' | '\u{2010}'
            ..='\u{2015}' | '\u{2212}'
    )
}

/// True for characters that are invisible or reorder text: they can make a number look like another
/// on screen, so they are refused in input and stripped before display.
pub fn is_invisible_or_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The Unicode name of the characters people meet in pasted numbers, in lower case.
fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{1B}' => "escape",
        '\u{7F}' => "delete",
        '\u{00A0}' => "no-break space",
        '\u{00AD}' => "soft hyphen",
        '\u{061C}' => "Arabic letter mark",
        '\u{1680}' => "ogham space mark",
        '\u{180E}' => "Mongolian vowel separator",
        '\u{2000}' => "en quad",
        '\u{2001}' => "em quad",
        '\u{2002}' => "en space",
        '\u{2003}' => "em space",
        '\u{2004}' => "three-per-em space",
        '\u{2005}' => "four-per-em space",
        '\u{2006}' => "six-per-em space",
        '\u{2007}' => "figure space",
        '\u{2008}' => "punctuation space",
        '\u{2009}' => "thin space",
        '\u{200A}' => "hair space",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{2010}' => "hyphen",
        '\u{2011}' => "non-breaking hyphen",
        '\u{2012}' => "figure dash",
        '\u{2013}' => "en dash",
        '\u{2014}' => "em dash",
        '\u{2015}' => "horizontal bar",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{202F}' => "narrow no-break space",
        '\u{205F}' => "medium mathematical space",
        '\u{2060}' => "word joiner",
        '\u{2061}' => "function application",
        '\u{2062}' => "invisible times",
        '\u{2063}' => "invisible separator",
        '\u{2064}' => "invisible plus",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{2212}' => "minus sign",
        '\u{3000}' => "ideographic space",
        '\u{FEFF}' => "zero-width no-break space (byte order mark)",
        '\u{FF0B}' => "fullwidth plus sign",
        _ => return None,
    })
}

/// The character in words for a message: `no-break space U+00A0`, `zero-width space U+200B`, or
/// for a visible character without a listed name, `'é' (U+00E9)`. A character that shows as
/// nothing or as a blank is never echoed.
pub fn describe(c: char) -> String {
    let code = u32::from(c);
    match name(c) {
        Some(name) => format!("{name} U+{code:04X}"),
        None if c.is_control() || c.is_whitespace() || is_invisible_or_bidi(c) => {
            format!("U+{code:04X}")
        }
        None => format!("'{c}' (U+{code:04X})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_typographic_separators_are_separators() {
        for c in [
            '\u{00A0}', '\u{202F}', '\u{2010}', '\u{2013}', '\u{2015}', '\u{2212}',
        ] {
            assert!(is_separator(c), "U+{:04X}", u32::from(c));
            assert!(!is_invisible_or_bidi(c));
        }
    }

    #[test]
    fn refused_characters_are_named_in_words() {
        assert_eq!(describe('\u{200B}'), "zero-width space U+200B");
        assert_eq!(describe('\u{00A0}'), "no-break space U+00A0");
        assert_eq!(describe('\u{2009}'), "thin space U+2009");
        assert_eq!(describe('\u{202E}'), "right-to-left override U+202E");
        assert_eq!(describe('\u{e9}'), "'\u{e9}' (U+00E9)");
        // A blank without a listed name is never echoed.
        assert_eq!(describe('\u{0085}'), "U+0085");
    }
}
