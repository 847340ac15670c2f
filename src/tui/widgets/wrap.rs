//! Word-wrapping styled lines ahead of drawing, where the number of screen lines must be known
//! (a scroll position in screen lines, an indicator of how many there are).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `line` cut into lines of at most `width` cells, at spaces where it can be (a word longer than
/// a line is cut where the line ends). Styles are kept.
pub fn line(line: Line<'static>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let base = line.style;
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|span| {
            let style = base.patch(span.style);
            span.content.chars().map(move |c| (c, style))
        })
        .collect();
    if cells.is_empty() {
        return vec![Line::default().style(base)];
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < cells.len() {
        let mut used = 0;
        let mut end = start;
        let mut last_space = None;
        while end < cells.len() {
            let w = cells[end].0.width().unwrap_or(0);
            if used + w > width {
                break;
            }
            if cells[end].0 == ' ' {
                last_space = Some(end);
            }
            used += w;
            end += 1;
        }
        let (cut, next) = match last_space {
            Some(space) if end < cells.len() && space > start => (space, space + 1),
            _ if end == start => (start + 1, start + 1),
            _ => (end, end),
        };
        out.push(spans_of(&cells[start..cut]));
        start = next;
    }
    out
}

/// Cells back into spans, one per run of a style.
fn spans_of(cells: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = cells.first().map_or_else(Style::default, |c| c.1);
    for (c, s) in cells {
        if *s != style {
            spans.push(Span::styled(std::mem::take(&mut text), style));
            style = *s;
        }
        text.push(*c);
    }
    spans.push(Span::styled(text, style));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn lines_break_at_spaces_and_long_words_are_cut() {
        let wrapped = line(Line::raw("the quick brown fox"), 10);
        assert_eq!(texts(&wrapped), ["the quick", "brown fox"]);
        let long = line(Line::raw("abcdefghijkl"), 5);
        assert_eq!(texts(&long), ["abcde", "fghij", "kl"]);
        assert_eq!(line(Line::raw(""), 5).len(), 1);
    }
}
