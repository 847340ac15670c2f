//! Pane 2, Methods: the selected user's three slots with their fixed ids, the default method,
//! SMS sign-in and block state, and the user's audit trail.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::sanitize::display_safe;
use crate::domain::{PhoneType, SmsSignInState};
use crate::tui::app::App;
use crate::tui::keymap::Command;
use crate::tui::theme::{SELECTED_MARKER, UNSELECTED_MARKER};

#[derive(Debug, Default)]
pub struct MethodsPane {
    /// Index into `PhoneType::ALL`.
    pub selected: usize,
}

impl MethodsPane {
    pub fn slot(&self) -> PhoneType {
        PhoneType::ALL[self.selected.min(PhoneType::ALL.len() - 1)]
    }

    pub fn move_by(&mut self, delta: isize) {
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(PhoneType::ALL.len() - 1);
    }
}

pub fn hints() -> &'static [Command] {
    &[
        Command::Add,
        Command::Edit,
        Command::Delete,
        Command::SmsSignIn,
        Command::DefaultMethod,
        Command::FixNumber,
        Command::Block,
        Command::Reveal,
        Command::Back,
        Command::Help,
    ]
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let Some(profile) = &app.profile else {
        let block = theme.panel(" Methods ", true);
        let inner = block.inner(area);
        block.render(area, buf);
        Paragraph::new(vec![
            Line::raw("No user selected."),
            Line::from(vec![
                Span::styled(app.keymap.hint(Command::PaneLookup), theme.key()),
                Span::raw(" go to Lookup and pick a user."),
            ]),
        ])
        .render(inner, buf);
        return;
    };
    let user = &profile.user;
    let [slots, checks, details, trail] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Min(0),
    ])
    .areas(area);

    let title = format!(
        " Phone methods · {} <{}> ",
        display_safe(&user.display_name),
        display_safe(user.upn().as_str())
    );
    let block = theme.panel(title, app.modal.is_none());
    let inner = block.inner(slots);
    block.render(slots, buf);
    let wide = inner.width >= 90;
    let mut lines = Vec::new();
    for (i, slot) in PhoneType::ALL.iter().enumerate() {
        let method = user.method(*slot);
        let number = method.map_or_else(
            || "(empty)".to_owned(),
            |m| {
                if profile.revealed {
                    m.phone_number.to_string()
                } else {
                    m.phone_number.masked()
                }
            },
        );
        let state = match (slot, &profile.sms) {
            (PhoneType::Mobile, Some(s)) => s.state,
            _ => SmsSignInState::NotSupported,
        };
        let flagged = profile
            .check(*slot)
            .is_some_and(|d| !(d.warnings.is_empty() && d.errors.is_empty()));
        let selected = i == app.methods.selected;
        let mut spans = vec![
            Span::raw(if selected {
                SELECTED_MARKER
            } else {
                UNSELECTED_MARKER
            }),
            Span::raw(format!("{:<17}", slot.label())),
        ];
        if wide {
            spans.push(Span::styled(
                format!("{}  ", slot.method_id()),
                theme.muted(),
            ));
        }
        spans.push(Span::raw(format!("{number:<20}")));
        spans.push(if flagged {
            Span::styled("! ", theme.warning())
        } else {
            Span::raw("  ")
        });
        if method.is_some() {
            let style = if state == SmsSignInState::Ready {
                theme.ok()
            } else {
                theme.muted()
            };
            spans.push(Span::styled(state.as_str(), style));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    Paragraph::new(lines).render(inner, buf);

    render_checks(app, profile, checks, buf);

    let block = theme.panel(" Sign-in settings ", false);
    let inner = block.inner(details);
    block.render(details, buf);
    let label = |s: &'static str| Span::styled(s, theme.muted());
    let mut lines = vec![Line::from(vec![
        label("Default MFA method  "),
        Span::raw(
            user.default_mfa_method
                .map_or_else(|| "(none)".to_owned(), |m| format!("{} ({m})", m.label())),
        ),
    ])];
    match &profile.sms {
        Some(s) => lines.push(Line::from(vec![
            label("SMS sign-in         "),
            Span::styled(
                s.state.as_str(),
                if s.state == SmsSignInState::Ready {
                    theme.ok()
                } else {
                    theme.warning()
                },
            ),
            Span::styled(format!(" · {}", s.reason), theme.muted()),
        ])),
        None => lines.push(Line::from(vec![
            label("SMS sign-in         "),
            Span::raw("needs a mobile number"),
        ])),
    }
    match &profile.active_block {
        Some(b) => lines.push(Line::from(vec![
            label("Block               "),
            Span::styled("blocked", theme.error()),
            Span::raw(format!(
                " · {} since {}{} · {}",
                b.kind.describe(),
                b.since,
                b.until.map(|u| format!(" until {u}")).unwrap_or_default(),
                display_safe(&b.reason)
            )),
        ])),
        None => lines.push(Line::from(vec![
            label("Block               "),
            Span::styled("not blocked", theme.ok()),
        ])),
    }
    lines.push(Line::from(vec![
        label("Numbers             "),
        Span::raw(if profile.revealed {
            "revealed (audited)"
        } else {
            "masked"
        }),
    ]));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);

    let block = theme.panel(" Audit trail (newest first) ", false);
    let inner = block.inner(trail);
    block.render(trail, buf);
    if profile.audit.is_empty() {
        Line::styled("No changes recorded for this user.", theme.muted()).render(inner, buf);
        return;
    }
    let lines: Vec<Line<'_>> = profile
        .audit
        .iter()
        .take(usize::from(inner.height))
        .map(|e| {
            let change = match (&e.before, &e.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a.clone(),
                (Some(b), None) => b.clone(),
                (None, None) => String::new(),
            };
            let reason = e
                .reason
                .as_deref()
                .map(|r| format!(" · {r}"))
                .unwrap_or_default();
            Line::from(vec![
                Span::styled(format!("{} ", e.at), theme.muted()),
                Span::raw(format!("{} ", display_safe(&e.operator))),
                Span::styled(format!("{} ", e.action), theme.emphasis()),
                Span::raw(display_safe(&format!("{change}{reason}")).into_owned()),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// What the domain says about the selected slot's number, with the one-key fix when there is one.
fn render_checks(app: &App, profile: &crate::tui::app::Profile, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let slot = app.methods.slot();
    let block = theme.panel(format!(" Checks · {} ", slot.label().to_lowercase()), false);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(method) = profile.user.method(slot) else {
        Line::from(vec![
            Span::styled(app.keymap.hint(Command::Add), theme.key()),
            Span::styled(" add a number to this slot", theme.muted()),
        ])
        .render(inner, buf);
        return;
    };
    let found = profile.check(slot);
    let mut lines = Vec::new();
    if let Some(d) = found {
        lines.push(Line::from(vec![
            Span::styled("Type ", theme.muted()),
            Span::raw(d.number_type.describe()),
            Span::styled("   Region ", theme.muted()),
            Span::raw(d.region.clone().unwrap_or_else(|| "(unknown)".into())),
            Span::styled("   Valid ", theme.muted()),
            if d.valid {
                Span::styled("yes", theme.ok())
            } else {
                Span::styled("no", theme.warning())
            },
        ]));
        for finding in d.errors.iter().chain(&d.warnings) {
            lines.push(Line::styled(
                format!("! {}", finding.message),
                theme.warning(),
            ));
        }
        if let Some(suggestion) = d.suggestion() {
            let shown = if profile.revealed {
                suggestion.to_string()
            } else {
                suggestion.masked()
            };
            lines.push(Line::from(vec![
                Span::styled(app.keymap.hint(Command::FixNumber), theme.key()),
                Span::raw(format!(" replace with {shown}")),
            ]));
        }
        if d.warnings.is_empty() && d.errors.is_empty() {
            lines.push(Line::styled(
                format!("{} looks right for this slot", method.phone_number.masked()),
                theme.ok(),
            ));
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
