//! Drawing: a pure function of [`App`]. Nothing here reads the clock, the store or the terminal.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Modal, PaneId};
use super::keymap::Command;
use super::panes::{lookup, methods, signin, troubleshoot};
use super::widgets::toast::ToastKind;
use super::widgets::{dialog, help, phone_field};
use crate::domain::sanitize::display_safe;

/// Below this size the panes cannot show a usable row; a notice replaces them.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(app, area, buf);
        return;
    }
    let [title, tabs, body, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_title(app, title, buf);
    render_tabs(app, tabs, buf);
    let mut cursor = match app.pane {
        PaneId::Lookup => lookup::render(app, body, buf),
        PaneId::Methods => {
            methods::render(app, body, buf);
            None
        }
        PaneId::SignIn => signin::render(app, body, buf),
        PaneId::Troubleshoot => {
            troubleshoot::render(app, body, buf);
            None
        }
    };
    render_footer(app, footer, buf);
    render_status(app, status, buf);
    if let Some(modal) = &app.modal {
        cursor = render_modal(app, modal, body, buf);
    }
    if let Some((x, y)) = cursor {
        frame.set_cursor_position(Position { x, y });
    }
}

fn render_too_small(app: &App, area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::styled("Terminal too small", app.theme.error()),
        Line::raw(format!(
            "phonedesk needs {MIN_WIDTH}x{MIN_HEIGHT}; this is {}x{}.",
            area.width, area.height
        )),
        Line::raw(format!(
            "Enlarge the window, or press {} to quit.",
            app.keymap.hint(Command::Quit)
        )),
    ];
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

fn render_title(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let sep = Span::styled(" │ ", theme.muted());
    Line::from(vec![
        Span::styled(" phonedesk", theme.title()),
        sep.clone(),
        Span::styled(
            display_safe(&app.tenant.name).into_owned(),
            theme.emphasis(),
        ),
        sep.clone(),
        Span::raw(format!(
            "{} ({})",
            display_safe(&app.operator.name),
            app.operator.role
        )),
        sep,
        Span::styled(format!("db {}", display_safe(&app.location)), theme.muted()),
    ])
    .render(area, buf);
}

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    for (i, pane) in PaneId::ALL.iter().enumerate() {
        let active = *pane == app.pane;
        let marker = if active { "▸" } else { " " };
        spans.push(Span::styled(
            format!("{marker}{} {} ", i + 1, pane.title()),
            app.theme.tab(active),
        ));
        spans.push(Span::raw(" "));
    }
    Line::from(spans).render(area, buf);
}

/// The footer: key hints for what has focus, from the keymap.
fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let commands: &[Command] = match (&app.modal, app.pane) {
        (Some(_), _) => &[],
        (None, PaneId::Lookup) => lookup::hints(&app.lookup),
        (None, PaneId::Methods) => methods::hints(),
        (None, PaneId::SignIn) => signin::hints(&app.signin),
        (None, PaneId::Troubleshoot) => troubleshoot::hints(&app.troubleshoot),
    };
    let mut spans = vec![Span::raw(" ")];
    for command in commands {
        let key = app.keymap.hint(*command);
        if key.is_empty() {
            continue;
        }
        spans.push(Span::styled(key, app.theme.key()));
        spans.push(Span::styled(
            format!(" {}  ", footer_label(app, *command)),
            app.theme.muted(),
        ));
    }
    Line::from(spans).render(area, buf);
}

/// A command's footer word, where the pane says what it does there (what Enter does now).
fn footer_label(app: &App, command: Command) -> &'static str {
    match app.pane {
        PaneId::Troubleshoot => troubleshoot::footer_label(&app.troubleshoot, command),
        _ => None,
    }
    .unwrap_or_else(|| command.short())
}

fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let line = match &app.toast {
        Some(toast) => {
            let (mark, style) = match toast.kind {
                ToastKind::Success => ("✓ ", theme.ok()),
                ToastKind::Error => ("✗ ", theme.error()),
                ToastKind::Info => ("• ", theme.emphasis()),
            };
            Line::from(vec![
                Span::raw(" "),
                Span::styled(mark, style),
                Span::styled(display_safe(&toast.text).into_owned(), style),
            ])
        }
        None if app.is_typing() => Line::styled(
            format!(
                " typing · {} leave the field",
                app.keymap.hint(Command::Cancel)
            ),
            theme.muted(),
        ),
        None => Line::styled(
            format!(
                " {} help · {} quit",
                app.keymap.hint(Command::Help),
                app.keymap.hint(Command::Quit)
            ),
            theme.muted(),
        ),
    };
    line.render(area, buf);
}

fn render_modal(app: &App, modal: &Modal, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    match modal {
        Modal::Help { scroll } => {
            help::render(&app.keymap, *scroll, area, buf, app.theme);
            None
        }
        Modal::Confirm(d) => {
            dialog::render_confirm(d, area, buf, app.theme, &app.keymap);
            None
        }
        Modal::Phone(field) => phone_field::render(field, area, buf, app.theme, &app.keymap),
        Modal::Reason(prompt) => dialog::render_reason(prompt, area, buf, app.theme, &app.keymap),
        Modal::DefaultMethod(picker) => {
            dialog::render_picker(picker, area, buf, app.theme, &app.keymap);
            None
        }
        Modal::Flow(picker) => {
            dialog::render_picker(picker, area, buf, app.theme, &app.keymap);
            None
        }
        Modal::Demo(picker) => {
            dialog::render_picker(picker, area, buf, app.theme, &app.keymap);
            None
        }
        Modal::Symptom(picker) => {
            dialog::render_picker(picker, area, buf, app.theme, &app.keymap);
            None
        }
        Modal::Conditions(picker) => {
            dialog::render_picker(picker, area, buf, app.theme, &app.keymap);
            None
        }
        Modal::Filters(picker) => {
            let filters = app.lookup.query().filters;
            let labelled = dialog::Picker {
                title: picker.title.clone(),
                options: picker
                    .options
                    .iter()
                    .map(|(label, f)| {
                        let mark = if f.is_on(filters) { "[x]" } else { "[ ]" };
                        (format!("{mark} {label}"), ())
                    })
                    .collect(),
                selected: picker.selected,
            };
            dialog::render_picker(&labelled, area, buf, app.theme, &app.keymap);
            None
        }
    }
}
