//! Pane 4, Troubleshoot: the guided wizard for the user selected in Lookup. The path walked so
//! far with each finding, the current question (with its answers and the simulated-device
//! shortcut) or remedy (with its one-key fix), and the keys to go back, retry in the Sign-in pane
//! and write the ticket note.
//!
//! The pane draws [`crate::wizard::Wizard`]; the walking is the wizard's business.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::sanitize::display_safe;
use crate::tui::app::App;
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::keymap::Command;
use crate::tui::theme::{SELECTED_MARKER, Theme, UNSELECTED_MARKER};
use crate::wizard::{Current, Status, Visit, VisitKind, Wizard};

/// The pane's state: the wizard (kept while the operator is in another pane) and the answer
/// under the cursor.
#[derive(Default)]
pub struct TroubleshootPane {
    pub wizard: Option<Wizard>,
    pub selected: usize,
    /// The operator went to the Sign-in pane to retry: coming back refreshes the checks.
    pub awaiting_retry: bool,
    /// Lines of the path scrolled up from the newest (the wheel scrolls it).
    pub path_up: usize,
}

impl TroubleshootPane {
    /// Scrolls the path towards its first steps by `delta` lines (negative: newer). Drawing
    /// stops at the first line.
    pub fn scroll_path(&mut self, delta: isize) {
        let len = self.wizard.as_ref().map_or(0, |w| w.path().len() * 3);
        self.path_up = self.path_up.saturating_add_signed(delta).min(len);
    }
}

pub fn hints(pane: &TroubleshootPane) -> Vec<Command> {
    let Some(wizard) = &pane.wizard else {
        return vec![Command::NewWizard, Command::Help];
    };
    let mut commands = match wizard.current() {
        Ok(Current::Question {
            device_shortcut: true,
            ..
        }) => vec![
            Command::Open,
            Command::DeviceAnswer,
            Command::Back,
            Command::WriteTicket,
            Command::NewWizard,
        ],
        Ok(Current::Question { .. }) => vec![
            Command::Open,
            Command::Back,
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
            Command::WriteTicket,
            Command::NewWizard,
        ],
        _ => vec![
            Command::Open,
            Command::Back,
            Command::WriteTicket,
            Command::NewWizard,
        ],
    };
    commands.push(Command::Copy);
    commands
}

fn status_mark(status: Option<Status>, theme: Theme) -> Span<'static> {
    match status {
        Some(Status::Pass) => Span::styled("✓ ", theme.ok()),
        Some(Status::Fail) => Span::styled("✗ ", theme.error()),
        Some(Status::Unknown) => Span::styled("? ", theme.warning()),
        Some(Status::Info) | None => Span::styled("• ", theme.muted()),
    }
}

fn visit_lines(visit: &Visit, theme: Theme) -> Vec<Line<'static>> {
    let mut head = vec![status_mark(visit.status, theme)];
    head.push(Span::styled(visit.title.clone(), theme.emphasis()));
    if visit.recheck {
        head.push(Span::styled(" (re-checked after the fix)", theme.muted()));
    }
    let mut lines = vec![Line::from(head)];
    if let Some(finding) = &visit.finding {
        lines.push(Line::raw(format!("    {}", display_safe(finding))));
    }
    if let Some(answer) = &visit.answer {
        let source = match answer.source {
            crate::wizard::AnswerSource::Caller => "caller".to_owned(),
            crate::wizard::AnswerSource::Device => match &answer.observed {
                Some(seen) => format!("simulated device: {seen}"),
                None => "simulated device".to_owned(),
            },
        };
        lines.push(Line::styled(
            format!("    → {} ({source})", answer.label),
            theme.key(),
        ));
    }
    lines
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let pane = &app.troubleshoot;
    let Some(wizard) = &pane.wizard else {
        render_intro(app, area, buf);
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
    let block = theme.panel(title, false);
    let inner = block.inner(path_area);
    block.render(path_area, buf);
    app.hits.push(inner, Hit::Scroll(Scrollable::WizardPath));
    let lines: Vec<Line<'_>> = wizard
        .path()
        .iter()
        .filter(|v| v.kind != VisitKind::Remedy)
        .flat_map(|v| visit_lines(v, theme))
        .collect();
    let room = usize::from(inner.height);
    let up = pane.path_up.min(lines.len().saturating_sub(room));
    let skip = lines.len().saturating_sub(room + up);
    Paragraph::new(lines.into_iter().skip(skip).take(room).collect::<Vec<_>>()).render(inner, buf);
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
                if i == app.troubleshoot.selected {
                    lines.push(Line::styled(
                        format!("{SELECTED_MARKER}{}", answer.label),
                        theme.selected(),
                    ));
                } else {
                    lines.push(Line::raw(format!("{UNSELECTED_MARKER}{}", answer.label)));
                }
            }
            if device_shortcut {
                lines.push(Line::raw(""));
                lines.push(Line::from(vec![
                    key(Command::DeviceAnswer),
                    Span::raw(" check the simulated device instead of asking"),
                ]));
            }
            " Ask the caller "
        }
        Ok(Current::Remedy {
            text,
            action,
            retry_in_sign_in,
            support_case,
            ..
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
                lines.push(Line::from(vec![
                    key(Command::RetryInSignIn),
                    Span::raw(" have the user retry in the Sign-in pane; coming back re-checks the sign-in log"),
                ]));
            }
            if support_case {
                lines.push(Line::styled(
                    "The ticket note carries what the support case asks for.",
                    theme.warning(),
                ));
            }
            " Remedy "
        }
        Err(e) => {
            lines.push(Line::styled(e.to_string(), theme.error()));
            " Wizard "
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
