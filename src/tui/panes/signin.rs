//! Pane 3, Sign-in: the simulated sign-in page on one side, the user's virtual phone on the
//! other (texts with their sender, the incoming-call screen with the greeting and a keypad), the
//! timeline underneath, a countdown to code expiry, and the caption of a guided demo.
//!
//! The pane only draws [`crate::sim::SessionView`]; what happens is the simulator's business.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::PhoneType;
use crate::domain::User;
use crate::domain::sanitize::display_safe;
use crate::sim::session::page::Tone;
use crate::sim::session::{CallScreen, Waiting};
use crate::sim::voice::Listening;
use crate::sim::{Channel, DemoPlayer, FlowRequest, PlayedStep, Session};
use crate::tui::app::App;
use crate::tui::keymap::Command;
use crate::tui::panes::timeline;
use crate::tui::widgets::text_input::TextInput;

/// Longest phone number or code the sign-in page takes.
pub const FIELD_MAX_CHARS: usize = 40;

/// What the operator can start, offered in a picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowChoice {
    pub label: String,
    pub request: FlowRequest,
}

/// The flows on offer: SMS sign-in always; MFA and password reset for the selected user, by
/// their default method or a chosen channel, only to the phones the user has.
pub fn flow_choices(user: Option<&User>) -> Vec<FlowChoice> {
    let mut choices = vec![FlowChoice {
        label: "SMS sign-in: the user types their phone number".into(),
        request: FlowRequest::SmsSignIn,
    }];
    let Some(user) = user else {
        return choices;
    };
    let upn = user.upn().as_str();
    let mut ways: Vec<(String, Option<Channel>, Option<PhoneType>)> = Vec::new();
    if let Some(default) = user.default_mfa_method {
        ways.push((
            format!("default method ({})", default.label().to_lowercase()),
            None,
            None,
        ));
    }
    let has = |slot| user.method(slot).is_some();
    if has(PhoneType::Mobile) {
        ways.push((
            "text to mobile".into(),
            Some(Channel::Sms),
            Some(PhoneType::Mobile),
        ));
        ways.push((
            "call mobile".into(),
            Some(Channel::Voice),
            Some(PhoneType::Mobile),
        ));
    }
    if has(PhoneType::AlternateMobile) {
        ways.push((
            "call alternate mobile".into(),
            Some(Channel::Voice),
            Some(PhoneType::AlternateMobile),
        ));
    }
    if has(PhoneType::Office) {
        ways.push((
            "call office".into(),
            Some(Channel::Voice),
            Some(PhoneType::Office),
        ));
    }
    for (label, via, slot) in &ways {
        choices.push(FlowChoice {
            label: format!("MFA · {label}"),
            request: FlowRequest::Mfa {
                upn: upn.to_owned(),
                via: *via,
                slot: *slot,
            },
        });
    }
    for (label, via, slot) in &ways {
        // SSPR never uses the alternate mobile; offering it would only teach the refusal.
        if *slot == Some(PhoneType::AlternateMobile) {
            continue;
        }
        choices.push(FlowChoice {
            label: format!("Password reset · {label}"),
            request: FlowRequest::Sspr {
                upn: upn.to_owned(),
                via: *via,
                slot: *slot,
            },
        });
    }
    choices
}

/// The pane's state: a live session the operator drives, or a guided demo playing its own.
#[derive(Default)]
pub struct SigninPane {
    pub session: Option<Session>,
    pub demo: Option<DemoPlayer>,
    /// The caption of the demo step played last.
    pub step: Option<PlayedStep>,
    /// What the operator types into the sign-in page (a phone number or a code).
    pub input: TextInput,
    /// Who the flow is for, for the title.
    pub subject: Option<String>,
    /// Sign-in records the shown session had written when the views were last refreshed.
    pub seen_records: usize,
    /// Timeline lines scrolled up from the newest (the wheel scrolls it).
    pub timeline_up: usize,
    /// How far the timeline can scroll up, as the last frame found it (screen lines).
    pub timeline_max_up: std::cell::Cell<usize>,
}

impl SigninPane {
    pub fn new() -> Self {
        Self {
            input: TextInput::new(FIELD_MAX_CHARS),
            ..Self::default()
        }
    }

    /// The session on screen: the demo's while one plays, else the operator's.
    pub fn active(&self) -> Option<&Session> {
        match &self.demo {
            Some(demo) => Some(demo.session()),
            None => self.session.as_ref(),
        }
    }

    /// Whether the sign-in page takes typed text now (a number or a code).
    pub fn takes_text(&self) -> bool {
        self.demo.is_none()
            && self
                .session
                .as_ref()
                .is_some_and(|s| matches!(s.waiting(), Waiting::PhoneNumber | Waiting::Code))
    }

    /// Scrolls the timeline towards older steps by `delta` lines (negative: newer). Drawing
    /// stops at the oldest line.
    pub fn scroll_timeline(&mut self, delta: isize) {
        self.timeline_up = self
            .timeline_up
            .saturating_add_signed(delta)
            .min(self.timeline_max_up.get());
    }

    /// Whether keypad keys go to a call now.
    pub fn takes_keys(&self) -> bool {
        self.demo.is_none()
            && self
                .session
                .as_ref()
                .is_some_and(|s| s.waiting() == Waiting::Keys)
    }
}

/// Characters the sign-in page's field accepts; everything else is a command key.
pub fn is_field_char(c: char) -> bool {
    c.is_ascii_digit() || " +-().".contains(c)
}

/// Keys a phone keypad has.
pub fn is_keypad_char(c: char) -> bool {
    c.is_ascii_digit() || c == '#' || c == '*'
}

pub fn hints(pane: &SigninPane) -> Vec<Command> {
    if pane.demo.is_some() {
        return vec![Command::NextStep, Command::Back, Command::Help];
    }
    let mut commands = match pane.session.as_ref().map(Session::waiting) {
        Some(Waiting::IncomingCall) => vec![
            Command::AnswerCall,
            Command::HangUp,
            Command::AdvanceTime,
            Command::Conditions,
        ],
        Some(Waiting::Keys) => vec![Command::HangUp, Command::AdvanceTime, Command::Conditions],
        Some(Waiting::PhoneNumber | Waiting::Code) => vec![
            Command::Submit,
            Command::Resend,
            Command::AdvanceTime,
            Command::Conditions,
            Command::Back,
        ],
        _ => vec![
            Command::NewSignIn,
            Command::PlayDemo,
            Command::Resend,
            Command::AdvanceTime,
            Command::Conditions,
            Command::ResetWorld,
            Command::Help,
        ],
    };
    if pane
        .active()
        .is_some_and(|s| s.view().correlation_id.is_some())
    {
        commands.push(Command::Copy);
    }
    commands
}

/// `m:ss` for a countdown.
fn clock_face(ms: i64) -> String {
    let secs = ms.max(0).div_euclid(1000);
    format!("{}:{:02}", secs / 60, secs % 60)
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let pane = &app.signin;

    let (top_h, timeline_h, demo_h) = timeline::heights(app, area.width, area.height);
    let [top, timeline, demo] = Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Length(timeline_h),
        Constraint::Length(demo_h),
    ])
    .areas(area);
    let [page, phone] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    let Some(session) = pane.active() else {
        render_idle(app, page, buf);
        render_phone(app, None, phone, buf);
        timeline::render_timeline(app, None, timeline, buf);
        return None;
    };
    let cursor = render_page(app, session, page, buf);
    render_phone(app, Some(session), phone, buf);
    timeline::render_timeline(app, Some(session), timeline, buf);
    timeline::render_demo(app, demo, buf);
    cursor
}

fn render_idle(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let block = theme.panel(" Sign-in page ", false);
    let inner = block.inner(area);
    block.render(area, buf);
    let key = |c: Command| Span::styled(app.keymap.hint(c), theme.key());
    let who = app.profile.as_ref().map_or_else(
        || "no user selected (pick one in Lookup for MFA and password reset)".to_owned(),
        |p| format!("for {}", display_safe(&p.user.display_name)),
    );
    let lines = vec![
        Line::styled("Nothing is running.", theme.emphasis()),
        Line::raw(""),
        Line::from(vec![
            key(Command::NewSignIn),
            Span::raw(format!(" start a sign-in {who}")),
        ]),
        Line::from(vec![
            key(Command::PlayDemo),
            Span::raw(" play a guided demo"),
        ]),
        Line::from(vec![
            key(Command::Conditions),
            Span::raw(" phone and telecom conditions"),
        ]),
        Line::raw(""),
        Line::styled(
            "Codes appear only on the virtual phone; the sign-in log keeps every attempt.",
            theme.muted(),
        ),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

fn render_page(app: &App, session: &Session, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let theme = app.theme;
    let pane = &app.signin;
    let subject = pane
        .subject
        .as_deref()
        .map(|s| format!(" · {}", display_safe(s)))
        .unwrap_or_default();
    let block = theme.panel(format!(" Sign-in page{subject} "), false);
    let inner = block.inner(area);
    block.render(area, buf);
    let view = session.view();
    let field_line = |prompt: &'static str| {
        Line::from(vec![
            Span::styled(prompt, theme.emphasis()),
            Span::raw(pane.input.value().to_owned()),
        ])
    };
    // The page's words come from the simulator (`sim::session::page`): the real page's, never
    // the internal reason or its AADSTS code, which the timeline shows.
    let page = view.screen.page();
    let mut lines = Vec::new();
    let mut prompt = None;
    if let Some(heading) = page.heading {
        lines.push(Line::styled(heading, theme.title()));
    }
    let text_style = match page.tone {
        Tone::Asking => ratatui::style::Style::default(),
        Tone::Success => theme.ok(),
        Tone::Denied => theme.error(),
    };
    for text in &page.text {
        lines.push(Line::styled(text.clone(), text_style));
    }
    if let Some(label) = page.prompt {
        lines.push(Line::raw(""));
        prompt = Some((label, lines.len()));
        lines.push(field_line(label));
    }
    // The countdown is the simulator's aid for the operator (the tries left are in the
    // timeline, as the real page does not show them).
    if let Some(ms) = view.code_expires_in_ms {
        lines.push(Line::from(vec![
            Span::styled("Code expires in ", theme.muted()),
            Span::styled(
                clock_face(ms),
                if ms < 30_000 {
                    theme.warning()
                } else {
                    theme.emphasis()
                },
            ),
        ]));
    }
    if let Some(notice) = page.notice {
        lines.push(Line::styled(notice, theme.warning()));
    }
    if let Some(id) = view.correlation_id {
        lines.push(Line::styled(format!("Correlation id {id}"), theme.muted()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
    let (label, row) = prompt?;
    if !pane.takes_text() || app.modal.is_some() {
        return None;
    }
    let x = inner.x + u16::try_from(label.len() + pane.input.cursor()).unwrap_or(u16::MAX);
    let y = inner.y + u16::try_from(row).unwrap_or(u16::MAX);
    (x < inner.right() && y < inner.bottom()).then_some((x, y))
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn render_phone(app: &App, session: Option<&Session>, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let view = session.map(Session::view);
    let phone = view.as_ref().and_then(|v| v.phone.as_ref());
    let title = phone.map_or_else(
        || " Virtual phone ".to_owned(),
        |p| format!(" Virtual phone {} ", p.number),
    );
    let block = theme.panel(title, false);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(phone) = phone else {
        Paragraph::new(Line::styled("No phone in use yet.", theme.muted())).render(inner, buf);
        return;
    };
    let d = phone.device;
    let mut lines = vec![Line::styled(
        format!(
            "power {} · signal {} · SMS {} · voicemail {}{}",
            on_off(d.powered_on),
            on_off(d.signal),
            on_off(d.sms_subscribed),
            on_off(d.voicemail),
            if d.landline { " · landline" } else { "" }
        ),
        theme.muted(),
    )];
    if !d.blocked_senders.is_empty() {
        let blocked: Vec<String> = d.blocked_senders.iter().map(ToString::to_string).collect();
        lines.push(Line::styled(
            format!("blocked: {}", blocked.join(", ")),
            theme.warning(),
        ));
    }
    if phone.held > 0 {
        lines.push(Line::styled(
            format!("{} text(s) waiting in the network", phone.held),
            theme.warning(),
        ));
    }
    if let Some(call) = phone.call {
        match &call.screen {
            CallScreen::Incoming => {
                lines.push(Line::styled(
                    format!("☎ Incoming call from {}", call.from),
                    theme.emphasis(),
                ));
                lines.push(Line::from(vec![
                    Span::styled(app.keymap.hint(Command::AnswerCall), theme.key()),
                    Span::raw(" answer · "),
                    Span::styled(app.keymap.hint(Command::HangUp), theme.key()),
                    Span::raw(" decline"),
                ]));
            }
            CallScreen::Connected {
                greeting,
                keys,
                listening,
            } => {
                lines.push(Line::styled(
                    format!("☎ On a call with {}", call.from),
                    theme.emphasis(),
                ));
                let waiting_for = match listening {
                    Listening::ForApproval => "#, PIN then #, or 0# to report fraud",
                    Listening::ForFraudConfirmation => "1 to confirm the fraud report",
                };
                // The keys as pressed (`0#`, then `1`), a PIN's digits as dots; never a bare
                // number that reads like a key ("keypad: 0 pressed").
                let pressed = if keys.is_empty() {
                    "no keys pressed yet".to_owned()
                } else {
                    format!("pressed {keys}")
                };
                lines.push(Line::styled(
                    format!("{pressed} · waiting for {waiting_for}"),
                    theme.muted(),
                ));
                // After the keys: a long greeting wraps past the bottom of a small phone, the
                // keys just pressed must not.
                lines.push(Line::raw(format!("\u{201c}{greeting}\u{201d}")));
            }
        }
    }
    lines.push(Line::styled("Messages", theme.title()));
    if phone.inbox.is_empty() {
        lines.push(Line::styled("(none)", theme.muted()));
    }
    let room = usize::from(inner.height).saturating_sub(lines.len() + 1) / 2;
    let skip = phone.inbox.len().saturating_sub(room.max(1));
    // When, on the timeline's scale (`[+2.1s]` since the sign-in began), not a raw UTC clock.
    let started = session.map(Session::started_at);
    for sms in phone.inbox.iter().skip(skip) {
        let when = started.map_or_else(String::new, |start| {
            let tenths = sms.at.since(start).div_euclid(100);
            format!(
                " · [{}{}.{}s]",
                if tenths < 0 { "-" } else { "+" },
                tenths.abs() / 10,
                tenths.abs() % 10
            )
        });
        lines.push(Line::styled(
            format!("from {}{when}", sms.from),
            theme.muted(),
        ));
        lines.push(Line::raw(display_safe(&sms.text).into_owned()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
