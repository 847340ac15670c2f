//! Pane 1, Lookup: the search box, the result list (only visible rows are built) and the profile
//! card of the selected user.

use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::sanitize::display_safe;
use crate::domain::search::{Filter, Hits, Query};
use crate::domain::{PhoneType, SmsSignInState};
use crate::tui::app::{App, Profile};
use crate::tui::keymap::Command;
use crate::tui::theme::{SELECTED_MARKER, Theme, UNSELECTED_MARKER};
use crate::tui::widgets::fit::pad;
use crate::tui::widgets::text_input::TextInput;

/// Longest search text (a UPN is at most 113 characters).
pub const SEARCH_MAX_CHARS: usize = 120;
/// Width of the SMS sign-in state column in the result list.
const STATE_W: usize = 14;
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
    Ready { users: usize, took: Duration },
    Failed(String),
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

/// The commands the footer lists for this pane.
pub fn hints(pane: &LookupPane) -> &'static [Command] {
    match pane.focus {
        Focus::Search => &[
            Command::Submit,
            Command::Down,
            Command::Cancel,
            Command::NextPane,
            Command::ForceQuit,
        ],

        Focus::Results => &[
            Command::FocusSearch,
            Command::Open,
            Command::Reveal,
            Command::Block,
            Command::Filters,
            Command::Help,
            Command::Quit,
        ],
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let theme = app.theme;
    let wide = area.width >= 100;
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area)
    } else {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    };
    let [search, results] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(left);
    let cursor = render_search(app, search, buf);
    render_results(app, results, buf);
    render_profile(app.profile.as_ref(), theme, right, buf, app);
    cursor
}

fn render_search(app: &App, area: Rect, buf: &mut Buffer) -> Option<(u16, u16)> {
    let pane = &app.lookup;
    let theme = app.theme;
    let focused = pane.focus == Focus::Search && app.modal.is_none();
    let block = theme.panel(" Search ", focused);
    let inner = block.inner(area);
    block.render(area, buf);
    let prompt = "/ ";
    let text = display_safe(pane.input.value()).into_owned();
    let mut lines = vec![Line::from(vec![
        Span::styled(prompt, theme.key()),
        Span::raw(text),
    ])];
    let filters = pane.query().filters;
    let mut spans = vec![Span::styled("name, UPN or any digits", theme.muted())];
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
    let typed: String = pane
        .input
        .value()
        .chars()
        .take(pane.input.cursor())
        .collect();
    let offset = u16::try_from(prompt.len() + Line::raw(display_safe(&typed).into_owned()).width())
        .unwrap_or(u16::MAX);
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

fn render_results(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.lookup;
    let theme = app.theme;
    let focused = pane.focus == Focus::Results && app.modal.is_none();
    let title = match (&pane.status, &pane.hits) {
        (IndexStatus::Loading, _) => " Results · loading the directory… ".to_owned(),
        (IndexStatus::Failed(_), _) => " Results · search unavailable ".to_owned(),
        (IndexStatus::Ready { users, .. }, Some(_)) => format!(
            " Results · {} of {} ",
            pane.count_label().unwrap_or_default(),
            thousands(*users)
        ),
        (IndexStatus::Ready { users, .. }, None) => {
            format!(" Results · {} users ", thousands(*users))
        }
    };
    let block = theme.panel(title, focused);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if let IndexStatus::Failed(why) = &pane.status {
        Paragraph::new(Line::styled(format!("Search failed: {why}"), theme.error()))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        return;
    }
    let Some(hits) = &pane.hits else {
        return;
    };
    if hits.rows.is_empty() {
        Line::styled("No users match.", theme.muted()).render(inner, buf);
        return;
    }
    let height = usize::from(inner.height);
    let offset = pane.selected.saturating_sub(height.saturating_sub(1));
    let guard = app.worker.index();
    let Some(index) = guard.get() else {
        return;
    };
    let width = usize::from(inner.width).saturating_sub(2);
    let number_w = 14;
    // The state column only when the name keeps at least 18 columns.
    let with_state = width >= 18 + number_w + STATE_W + 2;
    let state_w = if with_state { STATE_W } else { 0 };
    let name_w = width.saturating_sub(number_w + state_w + 2).max(4);
    for (line, row) in hits.rows.iter().skip(offset).take(height).enumerate() {
        let Some(entry) = index.entry_at(row.entry, hits.at) else {
            continue;
        };
        let selected = offset + line == pane.selected;
        let marker = if selected {
            SELECTED_MARKER
        } else {
            UNSELECTED_MARKER
        };
        let mut flags = String::new();
        if entry.is_blocked() {
            flags.push_str(" (blocked)");
        }
        let name = format!("{}{flags}", entry.display_name);
        let mut spans = vec![
            Span::raw(marker),
            Span::raw(pad(&name, name_w)),
            Span::raw(" "),
            Span::raw(pad(entry.mobile_masked.as_deref().unwrap_or("-"), number_w)),
        ];
        if with_state {
            let state = entry.sms_state.map_or("-", SmsSignInState::short);
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                pad(state, state_w),
                state_style(entry.sms_state, theme),
            ));
        }
        let mut l = Line::from(spans);
        if selected {
            l = l.style(theme.selected());
        }
        let y = inner.y + u16::try_from(line).unwrap_or(0);
        l.render(
            Rect {
                x: inner.x,
                y,
                width: inner.width,
                height: 1,
            },
            buf,
        );
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
            Span::raw(format!("{} · {}", b.kind.describe(), safe(&b.reason))),
        ])),
        None => lines.push(Line::from(vec![
            label("Block: "),
            Span::styled("not blocked", theme.ok()),
        ])),
    }
    lines.push(Line::from(vec![
        label("Default MFA: "),
        Span::raw(user.default_mfa_method.map_or("(none)", |m| m.label())),
    ]));
    if let Some(sms) = &p.sms {
        lines.push(Line::from(vec![
            label("SMS sign-in: "),
            Span::styled(sms.state.as_str(), state_style(Some(sms.state), theme)),
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
        let number = user.method(slot).map_or_else(
            || "(empty)".to_owned(),
            |m| {
                if p.revealed {
                    m.phone_number.to_string()
                } else {
                    m.phone_number.masked()
                }
            },
        );
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<17}", slot.label()), theme.muted()),
            Span::raw(number),
        ]));
    }
    if !p.revealed && !user.phone_methods.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(app.keymap.hint(Command::Reveal), theme.key()),
            Span::styled(" reveal (audited)", theme.muted()),
        ]));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
