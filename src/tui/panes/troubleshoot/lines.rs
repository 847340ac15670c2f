//! The lines of the Troubleshoot pane's upper box, for the path and the check-up alike: a
//! status mark, a title and a finding under a hanging indent, pre-wrapped to the box's width so
//! that scrolling counts the lines as drawn; and the box itself, scrolled, with a note on its
//! bottom border when there is more above or below.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::sanitize::display_safe;
use crate::tui::app::App;
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit::wrap;
use crate::wizard::{CheckupItem, Status, Visit};

pub(super) fn status_mark(status: Option<Status>, theme: Theme) -> Span<'static> {
    match status {
        Some(Status::Pass) => Span::styled("✓ ", theme.ok()),
        Some(Status::Fail) => Span::styled("✗ ", theme.error()),
        Some(Status::Unknown) => Span::styled("? ", theme.warning()),
        Some(Status::Info) | None => Span::styled("• ", theme.muted()),
    }
}

/// `text` wrapped to `width` under a hanging indent: the first line after `first`, the rest
/// indented by `indent` cells.
pub(super) fn hanging(
    first: Vec<Span<'static>>,
    text: &str,
    indent: usize,
    width: u16,
    style: ratatui::style::Style,
) -> Vec<Line<'static>> {
    let room = usize::from(width).saturating_sub(indent).max(8);
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    for (i, part) in wrap(text, room).into_iter().enumerate() {
        if i == 0 {
            let mut spans = first.clone();
            spans.push(Span::styled(part, style));
            lines.push(Line::from(spans));
        } else {
            lines.push(Line::from(vec![
                Span::raw(pad.clone()),
                Span::styled(part, style),
            ]));
        }
    }
    lines
}

pub(super) fn visit_lines(visit: &Visit, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let title = if visit.recheck {
        format!("{} (re-checked after the fix)", visit.title)
    } else {
        visit.title.clone()
    };
    let mut lines = hanging(
        vec![status_mark(visit.status, theme)],
        &title,
        2,
        width,
        theme.emphasis(),
    );
    if let Some(finding) = &visit.finding {
        lines.extend(hanging(
            vec![Span::raw("    ")],
            &display_safe(finding),
            4,
            width,
            ratatui::style::Style::default(),
        ));
    }
    if let Some(answer) = &visit.answer {
        let source = match answer.source {
            crate::wizard::AnswerSource::Caller => "caller".to_owned(),
            crate::wizard::AnswerSource::Device => match &answer.observed {
                Some(seen) => format!("simulated device: {seen}"),
                None => "simulated device".to_owned(),
            },
        };
        lines.extend(hanging(
            vec![Span::styled("    → ", theme.key())],
            &display_safe(&format!("{} ({source})", answer.label)),
            6,
            width,
            theme.key(),
        ));
    }
    lines
}

pub(super) fn checkup_lines(item: &CheckupItem, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let mut lines = hanging(
        vec![status_mark(Some(item.status), theme)],
        &item.title,
        2,
        width,
        theme.emphasis(),
    );
    if item.is_problem() {
        lines.extend(hanging(
            vec![Span::raw("    ")],
            &display_safe(&item.finding),
            4,
            width,
            ratatui::style::Style::default(),
        ));
        if let Some(next) = &item.next {
            lines.extend(hanging(
                vec![Span::styled("    → ", theme.muted())],
                &format!("{next} (when \"{}\")", item.symptom_title),
                6,
                width,
                theme.muted(),
            ));
        }
    }
    lines
}

/// Draws `lines` in `area`'s block, the newest at the bottom unless scrolled up; the title says
/// when there is more above or below.
pub(super) fn render_scrolled(
    app: &App,
    title: String,
    lines: Vec<Line<'static>>,
    area: Rect,
    buf: &mut Buffer,
) {
    let theme = app.theme;
    let room = usize::from(area.height.saturating_sub(2));
    let max_up = lines.len().saturating_sub(room);
    app.troubleshoot.max_up.set(max_up);
    let up = app.troubleshoot.path_up.min(max_up);
    let skip = lines.len().saturating_sub(room + up);
    let more = match (skip > 0, up > 0) {
        (true, true) => format!("↑ {skip} more · ↓ {up} more · "),
        (true, false) => format!("↑ {skip} more lines · "),
        (false, true) => format!("↓ {up} more lines · "),
        (false, false) => String::new(),
    };
    let mut block = theme.panel(title, false);
    if !more.is_empty() {
        // On the bottom border: a long title must not push it off the screen.
        block = block.title_bottom(Line::styled(
            format!(
                " {more}{} {} scroll ",
                app.keymap.hint(Command::PageUp),
                app.keymap.hint(Command::PageDown)
            ),
            theme.muted(),
        ));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    app.hits.push(inner, Hit::Scroll(Scrollable::WizardPath));
    Paragraph::new(lines.into_iter().skip(skip).take(room).collect::<Vec<_>>()).render(inner, buf);
}
