//! Pane 4, Troubleshoot: the guided wizard for the user selected in Lookup. The path walked so
//! far with each finding (wrapped, and scrolled with PgUp/PgDn), the current question (with its
//! answers and the simulated-device shortcut) or remedy (with its one-key fix), and the keys to
//! go back, retry in the Sign-in pane and write the ticket note. Before a symptom is picked it
//! can show the check-up instead: every automatic check, the problems first.
//!
//! The pane draws [`crate::wizard::Wizard`] and [`crate::wizard::Checkup`]; the walking and the
//! checking are the wizard's business.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::sanitize::display_safe;
use crate::tui::app::App;
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::keymap::Command;
use crate::tui::theme::{SELECTED_MARKER, UNSELECTED_MARKER};
use crate::wizard::{Checkup, Current, VisitKind, Wizard};

mod checkup;
mod lines;

use checkup::render_checkup;
use lines::{render_scrolled, visit_lines};

/// The pane's state: the wizard (kept while the operator is in another pane), or the check-up
/// when no symptom was picked, and the answer under the cursor.
#[derive(Default)]
pub struct TroubleshootPane {
    pub wizard: Option<Wizard>,
    /// Every automatic check, shown until a symptom is picked.
    pub checkup: Option<Checkup>,
    /// The answer under the cursor: none at first on a question whose answers lead to
    /// different places (see `wizard::tree::preselected_answer`).
    pub selected: Option<usize>,
    /// The operator went to the Sign-in pane to retry: coming back refreshes the checks.
    pub awaiting_retry: bool,
    /// Lines of the path (or the check-up) scrolled up from the newest; drawing stops at the
    /// first line.
    pub path_up: usize,
    /// How far up the last frame could scroll (its lines less its room), so that scrolling
    /// stops where drawing does.
    pub max_up: std::cell::Cell<usize>,
}

impl TroubleshootPane {
    /// Scrolls the path towards its first steps by `delta` lines (negative: newer).
    pub fn scroll_path(&mut self, delta: isize) {
        let max = self.max_up.get();
        self.path_up = self.path_up.min(max).saturating_add_signed(delta).min(max);
    }
}

/// Lines PgUp and PgDn move the path by.
pub const PAGE: isize = 5;

pub fn hints(pane: &TroubleshootPane) -> Vec<Command> {
    let Some(wizard) = &pane.wizard else {
        return if pane.checkup.is_some() {
            vec![
                Command::Open,
                Command::PageUp,
                Command::NewWizard,
                Command::Help,
            ]
        } else {
            vec![Command::NewWizard, Command::Help]
        };
    };
    let mut commands = match wizard.current() {
        Ok(Current::Question {
            device_shortcut: true,
            ..
        }) => vec![
            Command::Down,
            Command::Open,
            Command::DeviceAnswer,
            Command::Back,
            Command::PageUp,
            Command::WriteTicket,
            Command::NewWizard,
        ],
        Ok(Current::Question { .. }) => vec![
            Command::Down,
            Command::Open,
            Command::Back,
            Command::PageUp,
            Command::WriteTicket,
            Command::NewWizard,
        ],
        // Enter does nothing on a remedy without a fix: the footer does not offer it.
        Ok(Current::Remedy {
            retry_in_sign_in: true,
            action: None,
            ..
        }) => vec![
            Command::RetryInSignIn,
            Command::Back,
            Command::PageUp,
            Command::WriteTicket,
            Command::NewWizard,
        ],
        Ok(Current::Remedy {
            retry_in_sign_in: true,
            ..
        }) => vec![
            Command::Open,
            Command::RetryInSignIn,
            Command::Back,
            Command::PageUp,
            Command::WriteTicket,
            Command::NewWizard,
        ],
        Ok(Current::Remedy { action: None, .. }) => vec![
            Command::Back,
            Command::PageUp,
            Command::WriteTicket,
            Command::NewWizard,
        ],
        _ => vec![
            Command::Open,
            Command::Back,
            Command::PageUp,
            Command::WriteTicket,
            Command::NewWizard,
        ],
    };
    commands.push(Command::Copy);
    commands
}

/// The footer's word for a command where it means something particular here: above all what
/// Enter does now.
pub fn footer_label(pane: &TroubleshootPane, command: Command) -> Option<&'static str> {
    let current = pane.wizard.as_ref().map(Wizard::current);
    match command {
        Command::PageUp => Some("scroll the path"),
        Command::Down => Some("choose an answer"),
        Command::Open => Some(match current {
            None if pane.checkup.as_ref().is_some_and(|c| c.suggested.is_some()) => {
                "walk the suggested symptom"
            }
            None => "pick the symptom",
            Some(Ok(Current::Question { .. })) if pane.selected.is_some() => {
                "give the chosen answer"
            }
            Some(Ok(Current::Question { .. })) => "answer (choose one first)",
            Some(Ok(Current::Remedy {
                action: Some(action),
                ..
            })) if action.description.is_some() => "apply the fix",
            Some(Ok(Current::Remedy {
                action: Some(_), ..
            })) => "why no fix",
            Some(_) => return None,
        }),
        _ => None,
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let pane = &app.troubleshoot;
    let Some(wizard) = &pane.wizard else {
        match &pane.checkup {
            Some(checkup) => render_checkup(app, checkup, area, buf),
            None => render_intro(app, area, buf),
        }
        return;
    };
    let user = wizard.user();
    let title = format!(
        " Troubleshoot · {} <{}> · {} ",
        display_safe(&user.display_name),
        display_safe(user.upn().as_str()),
        wizard.symptom().title
    );
    let [path_area, current_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let width = path_area.width.saturating_sub(2);
    let lines: Vec<Line<'static>> = wizard
        .path()
        .iter()
        .filter(|v| v.kind != VisitKind::Remedy)
        .flat_map(|v| visit_lines(v, theme, width))
        .collect();
    render_scrolled(app, title, lines, path_area, buf);
    render_current(app, wizard, current_area, buf);
}

fn render_intro(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let block = theme.panel(" Troubleshoot ", true);
    let inner = block.inner(area);
    block.render(area, buf);
    let who = app.profile.as_ref().map_or_else(
        || "Select the caller in Lookup first.".to_owned(),
        |p| {
            format!(
                "Caller: {} <{}>",
                display_safe(&p.user.display_name),
                display_safe(p.user.upn().as_str())
            )
        },
    );
    let lines = vec![
        Line::styled("\"I can't sign in with my phone.\"", theme.emphasis()),
        Line::raw(""),
        Line::raw(who),
        Line::from(vec![
            Span::styled(app.keymap.hint(Command::NewWizard), theme.key()),
            Span::raw(
                " pick the symptom the caller reports; the wizard checks what it can by itself",
            ),
        ]),
        Line::raw(""),
        Line::styled(
            "It asks only what it cannot know, offers the fix as one confirmed key, and writes a ticket note.",
            theme.muted(),
        ),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

fn render_current(app: &App, wizard: &Wizard, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let key = |c: Command| Span::styled(app.keymap.hint(c), theme.key());
    let mut lines = Vec::new();
    // Where the answers start, for clicks (only when nothing above them wraps).
    let mut answers_at = None;
    let mut answer_count = 0;
    let title = match wizard.current() {
        Ok(Current::Question {
            text,
            help,
            answers,
            device_shortcut,
            ..
        }) => {
            lines.push(Line::styled(text.to_owned(), theme.emphasis()));
            if let Some(help) = help {
                lines.push(Line::styled(help.to_owned(), theme.muted()));
            }
            lines.push(Line::raw(""));
            answers_at = Some(lines.len());
            answer_count = answers.len();
            for (i, answer) in answers.iter().enumerate() {
                if Some(i) == app.troubleshoot.selected {
                    lines.push(Line::styled(
                        format!("{SELECTED_MARKER}{}", answer.label),
                        theme.selected(),
                    ));
                } else {
                    lines.push(Line::raw(format!("{UNSELECTED_MARKER}{}", answer.label)));
                }
            }
            if app.troubleshoot.selected.is_none() {
                lines.push(Line::from(vec![
                    key(Command::Down),
                    Span::raw(" "),
                    key(Command::Up),
                    Span::styled(
                        " choose the caller's answer, then Enter: each leads to another remedy",
                        theme.muted(),
                    ),
                ]));
            }
            if device_shortcut {
                lines.push(Line::raw(""));
                lines.push(Line::from(vec![
                    key(Command::DeviceAnswer),
                    Span::raw(" check the simulated device instead of asking"),
                ]));
            }
            " Ask the caller ".to_owned()
        }
        Ok(Current::Remedy {
            step,
            text,
            action,
            retry_in_sign_in,
            support_case,
        }) => {
            lines.push(Line::raw(text.to_owned()));
            if let Some(action) = action {
                lines.push(Line::raw(""));
                match (&action.description, &action.unavailable) {
                    (Some(what), _) => lines.push(Line::from(vec![
                        key(Command::Open),
                        Span::styled(format!(" {}: ", action.title), theme.emphasis()),
                        Span::raw(what.clone()),
                    ])),
                    (None, why) => lines.push(Line::styled(
                        format!(
                            "{} is not possible: {}",
                            action.title,
                            why.clone().unwrap_or_default()
                        ),
                        theme.warning(),
                    )),
                }
            }
            if retry_in_sign_in {
                // A real tenant's user retries on their own phone; its log tells how it went.
                let what = if app.store.kind().is_graph() {
                    " once the caller signed in again, read the tenant's sign-in log again"
                } else {
                    " have the user retry in the Sign-in pane; coming back re-checks the sign-in log"
                };
                lines.push(Line::from(vec![
                    key(Command::RetryInSignIn),
                    Span::raw(what),
                ]));
            }
            if support_case {
                lines.push(Line::styled(
                    "The ticket note carries what the support case asks for.",
                    theme.warning(),
                ));
            }
            format!(" Remedy · {} ", step.title)
        }
        Err(e) => {
            lines.push(Line::styled(e.to_string(), theme.error()));
            " Wizard ".to_owned()
        }
    };
    if let Some(last) = wizard.actions().last() {
        lines.push(Line::raw(""));
        let outcome = match (&last.error, &last.recheck) {
            (Some(error), _) => format!("{} stopped: {error}", last.title),
            (None, Some(re)) => format!("{} done; re-check: {}", last.title, re.finding),
            (None, None) => format!("{} done", last.title),
        };
        lines.push(Line::styled(
            display_safe(&outcome).into_owned(),
            theme.ok(),
        ));
    }
    let block = theme.panel(title, app.modal.is_none());
    let inner = block.inner(area);
    block.render(area, buf);
    if let Some(at) = answers_at {
        let above = crate::tui::widgets::dialog::wrapped_height(&lines[..at], inner.width);
        let unwrapped = usize::from(above) == at;
        if unwrapped {
            app.hits.push(inner, Hit::Scroll(Scrollable::Answers));
            for i in 0..answer_count {
                let y = inner.y + u16::try_from(at + i).unwrap_or(u16::MAX);
                if y < inner.bottom() {
                    app.hits.push(
                        Rect {
                            x: inner.x,
                            y,
                            width: inner.width,
                            height: 1,
                        },
                        Hit::Answer(i),
                    );
                }
            }
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
