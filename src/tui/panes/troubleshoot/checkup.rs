//! The check-up in the Troubleshoot pane: every automatic check for the selected user, the
//! problems first with their findings and where the walk would go, then the passed checks; below
//! it, what Enter does (walk the suggested symptom) and how to pick another.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::lines::{checkup_lines, render_scrolled};
use crate::domain::sanitize::display_safe;
use crate::tui::app::App;
use crate::tui::keymap::Command;
use crate::wizard::Checkup;

pub(super) fn render_checkup(app: &App, checkup: &Checkup, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let user = &checkup.user;
    let problems = checkup.problems().count();
    let title = format!(
        " Check-up · {} <{}> · {} ",
        display_safe(&user.display_name),
        display_safe(user.upn().as_str()),
        match problems {
            0 => "no problem found".to_owned(),
            1 => "1 problem".to_owned(),
            n => format!("{n} problems"),
        }
    );
    let [list_area, next_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let width = list_area.width.saturating_sub(2);
    let mut lines: Vec<Line<'static>> = checkup
        .problems()
        .flat_map(|i| checkup_lines(i, theme, width))
        .collect();
    lines.push(Line::styled("Passed:", theme.muted()));
    lines.extend(
        checkup
            .passed()
            .flat_map(|i| checkup_lines(i, theme, width)),
    );
    render_scrolled(app, title, lines, list_area, buf);
    let key = |c: Command| Span::styled(app.keymap.hint(c), theme.key());
    let suggested = checkup.suggested.as_ref().and_then(|name| {
        crate::wizard::Tree::embedded()
            .ok()?
            .symptom(name)
            .map(|s| s.title.clone())
    });
    let mut next = Vec::new();
    match suggested {
        Some(title) => {
            next.push(Line::from(vec![
                key(Command::Open),
                Span::raw(format!(" walk the steps for \"{title}\"")),
            ]));
            next.push(Line::from(vec![
                key(Command::NewWizard),
                Span::raw(" pick another symptom"),
            ]));
        }
        None => next.push(Line::from(vec![
            key(Command::NewWizard),
            Span::raw(" ask what the caller sees, then pick the symptom"),
        ])),
    }
    next.push(Line::styled(
        "Every automatic check ran once; nothing was asked or changed.",
        theme.muted(),
    ));
    let block = theme.panel(" Next ", app.modal.is_none());
    let inner = block.inner(next_area);
    block.render(next_area, buf);
    Paragraph::new(next)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
