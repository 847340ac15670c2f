//! Pane 2, Methods: the selected user's three slots, what the domain says about the selected
//! number (with its Graph method id where there is room), the default method, SMS sign-in and
//! block state, and side by side the user's audit trail and recent sign-in attempts in plain
//! words.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::lookup::reveal_hint;
use crate::domain::sanitize::display_safe;
use crate::domain::{PhoneType, SmsSignInState};
use crate::tui::app::{App, Profile, SignIns};
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::keymap::Command;
use crate::tui::theme::{SELECTED_MARKER, UNSELECTED_MARKER};
use crate::tui::widgets::sign_in_history;
use crate::tui::{when, words};

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

/// The commands the footer lists: what applies to the selected user and slot.
pub fn hints(app: &App) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(profile) = &app.profile {
        let filled = profile.user.method(app.methods.slot()).is_some();
        if filled {
            commands.extend([Command::Edit, Command::Delete]);
            let fixable = profile
                .check(app.methods.slot())
                .and_then(|d| d.suggestion())
                .is_some();
            if fixable {
                commands.push(Command::FixNumber);
            }
        } else {
            commands.push(Command::Add);
        }
        commands.extend([Command::SmsSignIn, Command::DefaultMethod, Command::Block]);
        if app.may_act_on_profile().is_ok() {
            commands.push(Command::Reveal);
        }
        commands.push(Command::Copy);
    }
    if app.undo.is_some() {
        commands.push(Command::Undo);
    }
    commands.extend([Command::Back, Command::Help]);
    commands
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
    // On a short screen the checks and settings boxes give up a line each before the audit
    // trail and the sign-in attempts have fewer than three lines each (at 80x24 that is the
    // settings box's last line: the SMS sign-in state is on the mobile slot's row too).
    let (mut checks_h, mut details_h) = (5, 6);
    while 5 + checks_h + details_h + 5 > area.height && (checks_h > 4 || details_h > 5) {
        if details_h > 5 {
            details_h -= 1;
        } else {
            checks_h -= 1;
        }
    }
    let [slots, checks, details, trail] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(checks_h),
        Constraint::Length(details_h),
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
    app.hits.push(inner, Hit::Scroll(Scrollable::Methods));
    let mut lines = Vec::new();
    for (i, slot) in PhoneType::ALL.iter().enumerate() {
        let method = user.method(*slot);
        let number = profile.show_slot(*slot);
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
            Span::raw(format!("{number:<20}")),
        ];
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
            let text = if *slot == PhoneType::Mobile {
                format!("SMS sign-in {}", words::sms_state(state))
            } else {
                "calls only (no SMS sign-in)".to_owned()
            };
            spans.push(Span::styled(text, style));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        let row = Rect {
            x: inner.x,
            y: inner.y + u16::try_from(i).unwrap_or(0),
            width: inner.width,
            height: 1,
        };
        if row.y < inner.bottom() {
            app.hits.push(row, Hit::Slot(i));
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
        Span::raw(words::default_method(user.default_mfa_method)),
    ])];
    // The block first: on a short screen it is the last line to go.
    match &profile.active_block {
        Some(b) => lines.push(Line::from(vec![
            label("Block               "),
            Span::styled("blocked", theme.error()),
            Span::raw(format!(
                " · {} · {}",
                words::block(b, profile.loaded_at, !app.store.kind().is_graph()),
                display_safe(&b.reason)
            )),
        ])),
        None => lines.push(Line::from(vec![
            label("Block               "),
            Span::styled("not blocked", theme.ok()),
        ])),
    }
    match &profile.sms {
        Some(s) => lines.push(Line::from(vec![
            label("SMS sign-in         "),
            Span::styled(
                words::sms_state(s.state),
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
    let mut numbers = vec![
        label("Numbers             "),
        Span::raw(if profile.revealed {
            "revealed (audited) · "
        } else {
            "masked · "
        }),
    ];
    numbers.extend(reveal_hint(app, profile, theme).spans);
    lines.push(Line::from(numbers));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);

    // Side by side: what operators changed and what the user tried, at one glance. A box that
    // has nothing to list gives most of the row to the other one.
    let no_attempts = match app.sign_ins.as_ref().filter(|s| s.is(user.upn())) {
        Some(SignIns::Loaded(history)) => history.attempts.is_empty(),
        _ => false,
    };
    let trail_share = match (profile.audit.is_empty(), no_attempts) {
        (true, false) => 35,
        (false, true) => 65,
        _ => 50,
    };
    let [trail, attempts] = Layout::horizontal([
        Constraint::Percentage(trail_share),
        Constraint::Percentage(100 - trail_share),
    ])
    .areas(trail);
    render_trail(app, profile, trail, buf);
    sign_in_history::render(
        theme,
        app.sign_ins.as_ref(),
        profile.user.upn(),
        attempts,
        buf,
    );
}

/// The user's audit trail, newest first, in plain words, with times relative to the load.
fn render_trail(app: &App, profile: &Profile, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let block = theme.panel(" Audit trail (newest first) ", false);
    let inner = block.inner(area);
    block.render(area, buf);
    if profile.audit.is_empty() {
        Paragraph::new(Line::styled(
            "No changes recorded for this user.",
            theme.muted(),
        ))
        .wrap(Wrap { trim: false })
        .render(inner, buf);
        return;
    }
    let mut lines: Vec<Line<'static>> = Vec::new();
    for e in &profile.audit {
        let value = |v: &str| words::audit_value(&e.action, v);
        let change = match (&e.before, &e.after) {
            (Some(b), Some(a)) => format!(": {} → {}", value(b), value(a)),
            (None, Some(a)) => format!(": {}", value(a)),
            (Some(b), None) => format!(": {}", value(b)),
            (None, None) => String::new(),
        };
        let reason = e
            .reason
            .as_deref()
            .map(|r| format!(" · {}", words::audit_reason(&e.action, r)))
            .unwrap_or_default();
        let line = Line::from(vec![
            Span::styled(
                format!("{:>11}  ", when::relative(e.at, profile.loaded_at)),
                theme.muted(),
            ),
            Span::raw(format!("{} ", display_safe(&words::actor(&e.operator)))),
            Span::styled(words::audit_action(e), theme.emphasis()),
            Span::raw(display_safe(&format!("{change}{reason}")).into_owned()),
        ]);
        lines.extend(crate::tui::widgets::wrap::line(line, inner.width));
        if lines.len() >= usize::from(inner.height) {
            break;
        }
    }
    Paragraph::new(lines).render(inner, buf);
}

/// What the domain says about the selected slot's number, with the one-key fix when there is one.
fn render_checks(app: &App, profile: &Profile, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let slot = app.methods.slot();
    // The Graph method id is for the few who need it: on the box of the selected slot, and only
    // where there is room.
    let id = if area.width >= 100 {
        format!(" · Graph method id {}", slot.method_id())
    } else {
        String::new()
    };
    let block = theme.panel(
        format!(" Checks · {}{id} ", slot.label().to_lowercase()),
        false,
    );
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
            lines.push(Line::from(vec![
                Span::styled(app.keymap.hint(Command::FixNumber), theme.key()),
                Span::raw(format!(" replace with {}", profile.show(suggestion))),
            ]));
        }
        if d.warnings.is_empty() && d.errors.is_empty() {
            lines.push(Line::styled(
                format!(
                    "{} looks right for this slot",
                    profile.show(&method.phone_number)
                ),
                theme.ok(),
            ));
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
