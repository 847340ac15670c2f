//! Pane 1, Lookup: the search box, the result list (see [`super::results`]) and, where the
//! screen is wide enough, the profile card of the selected user. Below [`PROFILE_MIN_WIDTH`]
//! columns the list takes the whole width: telling the callers apart matters more than a
//! preview of the profile, which the Methods pane (Enter) shows in full.

use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::sanitize::display_safe;
use crate::domain::search::{Filter, Hits, Query};
use crate::domain::{PhoneType, SmsSignInState};
use crate::tui::app::{App, Profile};
use crate::tui::hits::Hit;
use crate::tui::keymap::Command;
use crate::tui::sort::SortKey;
use crate::tui::theme::Theme;
use crate::tui::widgets::text_input::{self, TextInput};
use crate::tui::words;

/// Longest search text (a UPN is at most 113 characters).
pub const SEARCH_MAX_CHARS: usize = 120;
/// The narrowest screen that shows the profile card beside the list.
pub const PROFILE_MIN_WIDTH: u16 = 110;
/// Rows moved by PageUp/PageDown.
pub const PAGE: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Search,
    Results,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexStatus {
    Loading,
    Ready {
        users: usize,
        took: Duration,
    },
    /// A real tenant answers each query (no local index).
    Tenant,
    Failed(String),
}

impl IndexStatus {
    /// Whether a query can be asked now.
    pub fn takes_queries(&self) -> bool {
        matches!(self, Self::Ready { .. } | Self::Tenant)
    }
}

#[derive(Debug)]
pub struct LookupPane {
    pub input: TextInput,
    pub focus: Focus,
    pub hits: Option<Hits>,
    pub selected: usize,
    pub status: IndexStatus,
    /// The generation of the newest query sent to the worker.
    pub pending: u64,
    /// The generation `hits` answers.
    pub answered: u64,
    /// The order the list is shown in.
    pub sort: SortKey,
    /// What the tenant said its search cannot cover (said once per kind of query).
    pub note: Option<String>,
}

impl LookupPane {
    pub fn new() -> Self {
        Self {
            input: TextInput::new(SEARCH_MAX_CHARS),
            focus: Focus::Search,
            hits: None,
            selected: 0,
            status: IndexStatus::Loading,
            pending: 0,
            answered: 0,
            sort: SortKey::BestMatch,
            note: None,
        }
    }

    pub fn query(&self) -> Query {
        Query::parse(self.input.value())
    }

    pub fn row_count(&self) -> usize {
        self.hits.as_ref().map_or(0, |h| h.rows.len())
    }

    /// The count shown in the results title: exact, or "200+" while the rest is counted.
    pub fn count_label(&self) -> Option<String> {
        let hits = self.hits.as_ref()?;
        let n = thousands(hits.total.count());
        Some(if hits.is_complete() {
            n
        } else {
            format!("{n}+")
        })
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        let count = self.row_count();
        if count == 0 {
            self.selected = 0;
            return;
        }
        let target = self.selected.saturating_add_signed(delta);
        self.selected = target.min(count - 1);
    }

    pub fn clamp(&mut self) {
        self.move_by(0);
    }
}

impl Default for LookupPane {
    fn default() -> Self {
        Self::new()
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The commands the footer lists for this pane, and a note on what needs Esc first.
pub fn hints(app: &App) -> (Vec<Command>, Option<String>) {
    match app.lookup.focus {
        Focus::Search => (
            vec![
                Command::Submit,
                Command::Down,
                Command::Cancel,
                Command::NextPane,
                Command::ForceQuit,
            ],
            Some(format!(
                "in the box letters and digits are text: {} first, then {}-{} panes, {} quit",
                app.keymap.hint(Command::Cancel),
                app.keymap.hint(Command::PaneLookup),
                app.keymap.hint(Command::PaneTroubleshoot),
                app.keymap.hint(Command::Quit)
            )),
        ),
        Focus::Results => {
            let mut commands = vec![
                Command::FocusSearch,
                Command::Open,
                Command::Sort,
                Command::Filters,
            ];
            if app.profile.is_some() {
                if app.may_act_on_profile().is_ok() {
                    commands.push(Command::Reveal);
                }
                commands.push(Command::Block);
                commands.push(Command::Copy);
            }
            if app.undo.is_some() {
                commands.push(Command::Undo);
            }
            commands.extend([Command::Messages, Command::Help, Command::Quit]);
            (commands, None)
        }
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let theme = app.theme;
    let (left, right) = if area.width >= PROFILE_MIN_WIDTH {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)])
                .areas(area);
        (left, Some(right))
    } else {
        (area, None)
    };
    let [search, results] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(left);
    let cursor = render_search(app, search, buf);
    super::results::render(app, results, buf);
    if let Some(right) = right {
        render_profile(app.profile.as_ref(), theme, right, buf, app);
    }
    cursor
}

fn render_search(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let pane = &app.lookup;
    let theme = app.theme;
    let focused = pane.focus == Focus::Search && app.modal.is_none();
    let block = theme.panel(" Search ", focused);
    let inner = block.inner(area);
    block.render(area, buf);
    app.hits.push(area, Hit::SearchBox);
    let prompt = "/ ";
    let mut lines = vec![Line::from(vec![
        Span::styled(prompt, theme.key()),
        text_input::spans(&pane.input, theme),
    ])];
    let filters = pane.query().filters;
    let hint = if pane.input.is_selected() {
        "type to replace the old search; ← → keep it"
    } else {
        "name, UPN or any digits"
    };
    let mut spans = vec![Span::styled(hint, theme.muted())];
    for filter in Filter::ALL.iter().filter(|f| f.is_on(filters)) {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            format!("[{}]", filter.label()),
            theme.warning(),
        ));
    }
    lines.push(Line::from(spans));
    Paragraph::new(lines).render(inner, buf);
    if !focused || inner.width == 0 || inner.height == 0 {
        return None;
    }
    let offset = u16::try_from(prompt.len() + pane.input.cursor_width()).unwrap_or(u16::MAX);
    (offset < inner.width).then(|| (inner.x + offset, inner.y))
}

fn state_style(state: Option<SmsSignInState>, theme: Theme) -> ratatui::style::Style {
    match state {
        Some(SmsSignInState::Ready) => theme.ok(),
        Some(SmsSignInState::PhoneNumberNotUnique | SmsSignInState::NotConfigured) => {
            theme.warning()
        }
        _ => theme.muted(),
    }
}

/// The profile card: directory phones (public) apart from authentication phones (private, masked
/// until revealed), block state, default method and SMS sign-in state with its reason.
pub fn render_profile(
    profile: Option<&Profile>,
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
    app: &App,
) {
    let block = theme.panel(" Profile ", false);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(p) = profile else {
        Paragraph::new(Line::styled(
            "Select a user to see their profile.",
            theme.muted(),
        ))
        .render(inner, buf);
        return;
    };
    let user = &p.user;
    let safe = |s: &str| display_safe(s).into_owned();
    let label = |s: &'static str| Span::styled(s, theme.muted());
    let mut lines = vec![
        Line::styled(safe(&user.display_name), theme.emphasis()),
        Line::raw(safe(user.upn().as_str())),
    ];
    let mut kind = vec![Span::raw(user.user_type.as_str())];
    if user.is_admin() {
        kind.push(Span::styled(
            format!(" · admin ({})", safe(&user.roles.join(", "))),
            theme.warning(),
        ));
    }
    if let Some(region) = &user.usage_location {
        kind.push(Span::raw(format!(" · {region}")));
    }
    lines.push(Line::from(kind));
    match &p.active_block {
        Some(b) => lines.push(Line::from(vec![
            Span::styled("BLOCKED ", theme.error()),
            Span::raw(format!(
                "{} · {}",
                words::block(b, p.loaded_at, !app.store.kind().is_graph()),
                safe(&b.reason)
            )),
        ])),
        None => lines.push(Line::from(vec![
            label("Block: "),
            Span::styled("not blocked", theme.ok()),
        ])),
    }
    lines.push(Line::from(vec![
        label("Default MFA: "),
        Span::raw(words::default_method(user.default_mfa_method)),
    ]));
    if let Some(sms) = &p.sms {
        lines.push(Line::from(vec![
            label("SMS sign-in: "),
            Span::styled(
                words::sms_state(sms.state),
                state_style(Some(sms.state), theme),
            ),
        ]));
        lines.push(Line::styled(format!("  {}", sms.reason), theme.muted()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Directory phones (public)", theme.title()));
    lines.push(Line::from(vec![
        label("  Mobile    "),
        Span::raw(
            user.mobile_phone
                .as_deref()
                .map_or_else(|| "(none)".to_owned(), safe),
        ),
    ]));
    lines.push(Line::from(vec![
        label("  Business  "),
        Span::raw(if user.business_phones.is_empty() {
            "(none)".to_owned()
        } else {
            safe(&user.business_phones.join(", "))
        }),
    ]));
    lines.push(Line::raw(""));
    let privacy = if p.revealed {
        "revealed · audited"
    } else {
        "private · masked"
    };
    lines.push(Line::from(vec![
        Span::styled("Authentication phones ", theme.title()),
        Span::styled(format!("({privacy})"), theme.muted()),
    ]));
    for slot in PhoneType::ALL {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<17}", slot.label()), theme.muted()),
            Span::raw(p.show_slot(slot)),
        ]));
    }
    lines.push(reveal_hint(app, p, theme));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

/// What `r` does for this user: reveal (audited), mask again, or nothing the role allows.
pub fn reveal_hint(app: &App, p: &Profile, theme: Theme) -> Line<'static> {
    let key = Span::styled(app.keymap.hint(Command::Reveal), theme.key());
    if p.user.phone_methods.is_empty() {
        return Line::raw("");
    }
    if p.revealed {
        return Line::from(vec![key, Span::styled(" mask again", theme.muted())]);
    }
    match app.operator.may_act_on(&p.user) {
        Ok(()) => Line::from(vec![key, Span::styled(" reveal (audited)", theme.muted())]),
        Err(why) => Line::styled(format!("Numbers stay masked: {why}"), theme.muted()),
    }
}
