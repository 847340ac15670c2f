//! Drawing: a pure function of [`App`]. Nothing here reads the clock, the store or the terminal;
//! the only thing a frame leaves behind is where it drew what the mouse can reach
//! ([`App::hits`]).
//!
//! The shell: a title bar, the pane tabs, the pane, the footer of key hints (it wraps onto more
//! lines rather than losing keys at the edge) and the status line (a long notice wraps too).
//! Popups draw over the pane; an error popup over everything.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Modal, PaneId};
use super::hits::Hit;
use super::keymap::Command;
use super::panes::{lookup, methods, signin, troubleshoot};
use super::widgets::dialog::wrapped_height;
use super::widgets::toast::ToastKind;
use super::widgets::{alert, dialog, help, message_log, phone_field};
use crate::domain::sanitize::display_safe;

/// Below this size the panes cannot show a usable row; a notice replaces them.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// The most lines the footer and the status line may take each.
const MAX_BAR_LINES: u16 = 3;

pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    app.hits.clear();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(app, area, buf);
        return;
    }
    let footer_lines = footer_lines(app, area.width);
    let status_lines = status_lines(app);
    let footer_height = wrapped_height(&footer_lines, area.width).min(MAX_BAR_LINES);
    let status_height = wrapped_height(&status_lines, area.width).min(MAX_BAR_LINES);
    let [title, tabs, body, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(footer_height),
        Constraint::Length(status_height),
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
    render_footer(app, footer_lines, footer, buf);
    Paragraph::new(status_lines)
        .wrap(Wrap { trim: false })
        .render(status, buf);
    if let Some(modal) = &app.modal {
        // What a popup covers cannot be clicked.
        app.hits.clear();
        cursor = render_modal(app, modal, body, buf);
    }
    if let Some(first) = app.alerts.front() {
        app.hits.clear();
        alert::render(
            first,
            app.alerts.len(),
            area,
            buf,
            app.theme,
            &app.keymap,
            &app.hits,
        );
        cursor = None;
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
        Span::styled(display_safe(&app.location).into_owned(), theme.muted()),
    ])
    .render(area, buf);
}

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    let mut x = area.x + 1;
    for (i, pane) in PaneId::ALL.iter().enumerate() {
        let active = *pane == app.pane;
        let marker = if active { "▸" } else { " " };
        let text = format!("{marker}{} {} ", i + 1, pane.title());
        let width = u16::try_from(Line::raw(text.as_str()).width()).unwrap_or(0);
        app.hits.push(
            Rect {
                x,
                y: area.y,
                width: width.min(area.right().saturating_sub(x)),
                height: 1,
            },
            Hit::Tab(*pane),
        );
        x = x.saturating_add(width + 1);
        spans.push(Span::styled(text, app.theme.tab(active)));
        spans.push(Span::raw(" "));
    }
    Line::from(spans).render(area, buf);
}

/// The commands the footer shows for what has the keys, and a note when some keys need Esc
/// first.
fn footer_commands(app: &App) -> (Vec<Command>, Option<String>) {
    if app.modal.is_some() || !app.alerts.is_empty() {
        return (Vec::new(), None);
    }
    match app.pane {
        PaneId::Lookup => lookup::hints(app),
        PaneId::Methods => (methods::hints(app), None),
        PaneId::SignIn => (signin::hints(&app.signin), None),
        PaneId::Troubleshoot => (troubleshoot::hints(&app.troubleshoot), None),
    }
}

/// One hint of the footer: a key and what it does (a button), or a note.
struct FooterItem {
    command: Option<Command>,
    key: String,
    label: String,
}

impl FooterItem {
    fn width(&self) -> usize {
        Line::raw(format!("{}{}", self.key, self.label)).width()
    }
}

/// A command's footer label, where its effect depends on the state.
fn short(app: &App, command: Command) -> &'static str {
    match command {
        Command::Reveal if app.profile.as_ref().is_some_and(|p| p.revealed) => "mask",
        other => other.short(),
    }
}

/// The footer's hints in rows that wrap between hints, never inside one.
fn footer_rows(app: &App, width: u16) -> Vec<Vec<FooterItem>> {
    let (commands, note) = footer_commands(app);
    let mut items: Vec<FooterItem> = commands
        .into_iter()
        .filter_map(|command| {
            let key = app.keymap.hint(command);
            (!key.is_empty()).then(|| FooterItem {
                command: Some(command),
                key,
                label: format!(" {}  ", short(app, command)),
            })
        })
        .collect();
    if let Some(note) = note {
        items.push(FooterItem {
            command: None,
            key: String::new(),
            label: note,
        });
    }
    let width = usize::from(width);
    let mut rows: Vec<Vec<FooterItem>> = vec![Vec::new()];
    let mut used = 1;
    for item in items {
        let len = item.width();
        if used + len > width && used > 1 {
            rows.push(Vec::new());
            used = 1;
        }
        used += len;
        if let Some(row) = rows.last_mut() {
            row.push(item);
        }
    }
    rows
}

fn footer_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    footer_rows(app, width)
        .into_iter()
        .map(|row| {
            let mut spans = vec![Span::raw(" ")];
            for item in row {
                spans.push(Span::styled(item.key, app.theme.key()));
                spans.push(Span::styled(item.label, app.theme.muted()));
            }
            Line::from(spans)
        })
        .collect()
}

/// Draws the footer and records each hint as a button.
fn render_footer(app: &App, lines: Vec<Line<'static>>, area: Rect, buf: &mut Buffer) {
    for (r, row) in footer_rows(app, area.width).iter().enumerate() {
        let y = area.y + u16::try_from(r).unwrap_or(u16::MAX);
        if y >= area.bottom() {
            break;
        }
        let mut x = area.x + 1;
        for item in row {
            let width = u16::try_from(item.width()).unwrap_or(u16::MAX);
            if let Some(command) = item.command {
                app.hits.push(
                    Rect {
                        x,
                        y,
                        // Not the two spaces after the label.
                        width: width.saturating_sub(2).min(area.right().saturating_sub(x)),
                        height: 1,
                    },
                    Hit::Button(command),
                );
            }
            x = x.saturating_add(width);
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

fn status_lines(app: &App) -> Vec<Line<'static>> {
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
                " {} help · {} messages · {} quit",
                app.keymap.hint(Command::Help),
                app.keymap.hint(Command::Messages),
                app.keymap.hint(Command::Quit)
            ),
            theme.muted(),
        ),
    };
    vec![line]
}

fn render_modal(app: &App, modal: &Modal, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let (theme, keymap, hits) = (app.theme, &app.keymap, &app.hits);
    match modal {
        Modal::Help(view) => help::render(view, keymap, area, buf, theme, hits),
        Modal::Messages(view) => {
            message_log::render(view, &app.messages, area, buf, theme, hits);
            None
        }
        Modal::Confirm(d) => {
            dialog::render_confirm(d, area, buf, theme, keymap, hits);
            None
        }
        Modal::Phone(field) => phone_field::render(field, area, buf, theme, keymap),
        Modal::Reason(prompt) => dialog::render_reason(prompt, area, buf, theme, keymap, hits),
        Modal::DefaultMethod(picker) => {
            dialog::render_picker(picker, area, buf, theme, keymap, hits);
            None
        }
        Modal::Flow(picker) => {
            dialog::render_picker(picker, area, buf, theme, keymap, hits);
            None
        }
        Modal::Demo(picker) => {
            dialog::render_picker(picker, area, buf, theme, keymap, hits);
            None
        }
        Modal::Symptom(picker) => {
            dialog::render_picker(picker, area, buf, theme, keymap, hits);
            None
        }
        Modal::Conditions(picker) => {
            dialog::render_picker(picker, area, buf, theme, keymap, hits);
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
                kind: picker.kind,
            };
            dialog::render_picker(&labelled, area, buf, theme, keymap, hits);
            None
        }
    }
}
