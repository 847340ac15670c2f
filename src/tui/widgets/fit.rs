//! Fitting text into columns by display width (wide characters take two cells), so rows with
//! names in any script stay aligned.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to at most `width` cells, ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` cut or padded with spaces to exactly `width` cells.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = truncate(text, width);
    let used = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(pad("李小龙", 4).width(), 4);
        assert_eq!(truncate("Kim Akers", 5), "Kim …");
        assert_eq!(pad("Kim", 5), "Kim  ");
        assert_eq!(truncate("abc", 0), "");
    }
}
