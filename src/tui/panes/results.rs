//! The result list: only the visible rows are built, each with what tells users apart (the
//! UPN's distinguishing part, the usage location, the blocked/admin/guest flags, the masked
//! mobile and its SMS sign-in state) and why it matched.
//!
//! Columns are fitted to the width by priority: the name, the flags and the SMS sign-in state
//! stay at any width the app runs at; then the UPN, the location, why it matched and the masked
//! mobile, dropped in the reverse order when the list is narrow. When every row on screen
//! matched for the same reason, the reason moves to the list's title instead of a column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::lookup::{Focus, IndexStatus, thousands};
use crate::domain::SmsSignInState;
use crate::domain::search::{Entry, Row};
use crate::tui::app::App;
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::sort::SortKey;
use crate::tui::theme::{SELECTED_MARKER, Theme, UNSELECTED_MARKER};
use crate::tui::widgets::fit::pad;
use crate::tui::words;

/// A column of the list, most important first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Flags,
    SignIn,
    Upn,
    Why,
    Mobile,
    Location,
}

impl Column {
    const BY_PRIORITY: [Self; 7] = [
        Self::Name,
        Self::Flags,
        Self::SignIn,
        Self::Upn,
        Self::Location,
        Self::Why,
        Self::Mobile,
    ];

    /// The order the columns are drawn in, left to right.
    const DRAWN: [Self; 7] = [
        Self::Name,
        Self::Flags,
        Self::SignIn,
        Self::Upn,
        Self::Why,
        Self::Mobile,
        Self::Location,
    ];

    fn header(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Flags => "flags",
            Self::SignIn => "SMS sign-in",
            Self::Upn => "UPN",
            Self::Why => "matched",
            Self::Mobile => "mobile",
            Self::Location => "loc",
        }
    }

    /// The sort order this column stands for, to mark its header.
    fn sort(self) -> Option<SortKey> {
        match self {
            Self::Name => Some(SortKey::Name),
            Self::Flags => Some(SortKey::Flags),
            Self::SignIn => Some(SortKey::SignIn),
            Self::Upn => Some(SortKey::Upn),
            Self::Location => Some(SortKey::Location),
            Self::Why | Self::Mobile => None,
        }
    }

    /// The narrowest this column may be: the flexible ones shrink, the rest keep their text.
    fn min(self, want: usize) -> usize {
        match self {
            Self::Name => want.min(14),
            Self::Upn => want.min(12),
            // Only the most important flag when room is short.
            Self::Flags => want.min("blocked".len()),
            _ => want,
        }
    }
}

/// One row's cells, already in plain words.
struct Cells {
    name: String,
    flags: Vec<&'static str>,
    sign_in: &'static str,
    sign_in_state: Option<SmsSignInState>,
    upn: String,
    why: &'static str,
    mobile: String,
    location: String,
}

impl Cells {
    fn of(entry: &Entry, row: &Row, domain: &str) -> Self {
        let mut flags = Vec::new();
        if entry.is_blocked() {
            flags.push("blocked");
        }
        if entry.is_admin() {
            flags.push("admin");
        }
        if entry.is_guest() {
            flags.push("guest");
        }
        Self {
            name: entry.display_name.clone(),
            flags,
            sign_in: entry.sms_state.map_or("no mobile", words::sms_state),
            sign_in_state: entry.sms_state,
            upn: distinguishing_part(&entry.upn, domain),
            why: row.why.label(),
            mobile: entry.mobile_masked.clone().unwrap_or_else(|| "-".into()),
            location: entry.usage_location.clone().unwrap_or_else(|| "-".into()),
        }
    }

    fn text(&self, column: Column, width: usize) -> String {
        match column {
            Column::Name => self.name.clone(),
            Column::Flags => {
                let all = self.flags.join(" ");
                if all.width() <= width {
                    all
                } else {
                    self.flags.first().copied().unwrap_or_default().to_owned()
                }
            }
            Column::SignIn => self.sign_in.to_owned(),
            Column::Upn => self.upn.clone(),
            Column::Why => self.why.to_owned(),
            Column::Mobile => self.mobile.clone(),
            Column::Location => self.location.clone(),
        }
    }

    fn style(&self, column: Column, theme: Theme) -> Style {
        match column {
            Column::Flags if self.flags.first() == Some(&"blocked") => theme.error(),
            Column::Flags => theme.warning(),
            Column::SignIn => match self.sign_in_state {
                Some(SmsSignInState::Ready) => theme.ok(),
                Some(SmsSignInState::PhoneNumberNotUnique | SmsSignInState::NotConfigured) => {
                    theme.warning()
                }
                _ => theme.muted(),
            },
            Column::Why | Column::Location => theme.muted(),
            _ => Style::new(),
        }
    }
}

/// What tells one UPN from another: the part before `@` (without a guest's `#EXT#`), and the
/// domain too when it is not the tenant's own.
pub fn distinguishing_part(upn: &str, domain: &str) -> String {
    let (local, at) = upn.split_once('@').unwrap_or((upn, ""));
    let local = local.strip_suffix("#EXT#").unwrap_or(local);
    if at.is_empty() || at.eq_ignore_ascii_case(domain) || upn.contains("#EXT#@") {
        local.to_owned()
    } else {
        format!("{local}@{at}")
    }
}

/// The widths of the columns that fit in `room` cells (one space between columns), by priority.
fn fit(wants: &[(Column, usize)], room: usize) -> Vec<(Column, usize)> {
    let mut chosen: Vec<(Column, usize)> = Vec::new();
    let mut used = 0;
    let mut by_priority = wants.to_vec();
    by_priority.sort_by_key(|(c, _)| Column::BY_PRIORITY.iter().position(|p| p == c));
    for &(column, want) in &by_priority {
        if want == 0 {
            continue;
        }
        let min = column.min(want);
        let gap = usize::from(!chosen.is_empty());
        // Strictly by priority: once one does not fit, the less important ones go too.
        if used + gap + min > room {
            break;
        }
        used += gap + min;
        chosen.push((column, min));
    }
    // Spare room goes to the columns that were shrunk, most important first.
    let mut spare = room.saturating_sub(used);
    for (column, width) in &mut chosen {
        let want = wants.iter().find(|(c, _)| c == column).map_or(0, |w| w.1);
        let more = want.saturating_sub(*width).min(spare);
        *width += more;
        spare -= more;
    }
    // The rest widens the name: short lists look better with room than packed left.
    if let Some((_, width)) = chosen.iter_mut().find(|(c, _)| *c == Column::Name) {
        *width += spare;
    }
    // Back to the order they are drawn in.
    chosen.sort_by_key(|(c, _)| Column::DRAWN.iter().position(|p| p == c));
    chosen
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.lookup;
    let theme = app.theme;
    let focused = pane.focus == Focus::Results && app.modal.is_none();
    let inner = theme.panel(String::new(), focused).inner(area);
    let guard = app.worker.index();
    // The rows on screen, already in words (only these are built).
    let visible: Vec<(usize, Cells)> = match (&pane.hits, guard.get()) {
        (Some(hits), Some(index)) => {
            // One line for the column names, the rest for rows.
            let height = usize::from(inner.height.saturating_sub(1)).max(1);
            let offset = pane.selected.saturating_sub(height.saturating_sub(1));
            hits.rows
                .iter()
                .enumerate()
                .skip(offset)
                .take(height)
                .filter_map(|(i, row)| {
                    let entry = index.entry_at(row.entry, hits.at)?;
                    Some((i, Cells::of(&entry, row, &app.tenant.domain)))
                })
                .collect()
        }
        _ => Vec::new(),
    };
    drop(guard);
    // One reason for every row on screen: said once, in the title, not in a column.
    let one_reason = visible
        .first()
        .map(|(_, c)| c.why)
        .filter(|why| visible.iter().all(|(_, c)| c.why == *why));
    let sorted = match pane.sort {
        SortKey::BestMatch => String::new(),
        other => format!(" · by {}", other.label()),
    };
    let matched = match one_reason {
        Some(why) if !why.is_empty() => format!(" · matched by {why}"),
        _ => String::new(),
    };
    let title = match (&pane.status, &pane.hits) {
        (IndexStatus::Loading, _) => " Results · loading the directory… ".to_owned(),
        (IndexStatus::Failed(_), _) => " Results · search unavailable ".to_owned(),
        (IndexStatus::Tenant, _) if pane.answered != pane.pending => {
            " Results · asking the tenant… ".to_owned()
        }
        (IndexStatus::Tenant, Some(_)) => format!(
            " Results · {} from the tenant{matched} ",
            pane.count_label().unwrap_or_default()
        ),
        (IndexStatus::Tenant, None) => " Results · the tenant's users ".to_owned(),
        (IndexStatus::Ready { users, .. }, Some(_)) => format!(
            " Results · {} of {}{matched}{sorted} ",
            pane.count_label().unwrap_or_default(),
            thousands(*users)
        ),
        (IndexStatus::Ready { users, .. }, None) => {
            format!(" Results · {} users ", thousands(*users))
        }
    };
    theme.panel(title, focused).render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    app.hits.push(inner, Hit::Scroll(Scrollable::Results));
    if let IndexStatus::Failed(why) = &pane.status {
        Paragraph::new(Line::styled(format!("Search failed: {why}"), theme.error()))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
        return;
    }
    if pane.hits.as_ref().is_some_and(|h| h.rows.is_empty()) {
        Paragraph::new(vec![
            Line::styled("No users match.", theme.muted()),
            Line::styled(
                "Try part of the name, the UPN or any digits of a number.",
                theme.muted(),
            ),
        ])
        .wrap(Wrap { trim: false })
        .render(inner, buf);
        return;
    }
    if visible.is_empty() {
        return;
    }
    // A column no visible row fills is left out; the others want room for their header (and
    // its sort mark) too.
    // A tenant's search returns no authentication phones: those columns would only guess.
    let from_tenant = pane.status == IndexStatus::Tenant;
    let want = |column: Column, content: usize| match content {
        _ if from_tenant && matches!(column, Column::SignIn | Column::Mobile) => 0,
        0 => 0,
        n => n.max(column.header().len() + usize::from(column.sort() == Some(pane.sort))),
    };
    let widest = |f: &dyn Fn(&Cells) -> usize| visible.iter().map(|(_, c)| f(c)).max().unwrap_or(0);
    let wants = [
        (
            Column::Name,
            want(Column::Name, widest(&|c| c.name.width())),
        ),
        (
            Column::Flags,
            want(Column::Flags, widest(&|c| c.flags.join(" ").width())),
        ),
        (
            Column::SignIn,
            want(Column::SignIn, widest(&|c| c.sign_in.width())),
        ),
        (Column::Upn, want(Column::Upn, widest(&|c| c.upn.width()))),
        (
            Column::Why,
            if one_reason.is_some() {
                0
            } else {
                want(Column::Why, widest(&|c| c.why.width()))
            },
        ),
        (
            Column::Mobile,
            want(Column::Mobile, widest(&|c| c.mobile.width())),
        ),
        (
            Column::Location,
            want(Column::Location, widest(&|c| c.location.width())),
        ),
    ];
    let room = usize::from(inner.width).saturating_sub(SELECTED_MARKER.len());
    let columns = fit(&wants, room);
    let mut header = vec![Span::raw(UNSELECTED_MARKER)];
    for (i, (column, width)) in columns.iter().enumerate() {
        if i > 0 {
            header.push(Span::raw(" "));
        }
        let mark = if column.sort() == Some(pane.sort) {
            "▾"
        } else {
            ""
        };
        header.push(Span::styled(
            pad(&format!("{}{mark}", column.header()), *width),
            theme.muted(),
        ));
    }
    Line::from(header).render(Rect { height: 1, ..inner }, buf);
    for (line, (i, cells)) in visible.iter().enumerate() {
        let selected = *i == pane.selected;
        let marker = if selected {
            SELECTED_MARKER
        } else {
            UNSELECTED_MARKER
        };
        let mut spans = vec![Span::raw(marker)];
        for (n, (column, width)) in columns.iter().enumerate() {
            if n > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(
                pad(&cells.text(*column, *width), *width),
                cells.style(*column, theme),
            ));
        }
        let mut l = Line::from(spans);
        if selected {
            l = l.style(theme.selected());
        }
        let rect = Rect {
            x: inner.x,
            y: inner.y + 1 + u16::try_from(line).unwrap_or(0),
            width: inner.width,
            height: 1,
        };
        app.hits.push(rect, Hit::Result(*i));
        l.render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upn_part_drops_the_tenant_domain_and_a_guest_suffix() {
        let domain = "fabrikam.example";
        assert_eq!(
            distinguishing_part("priya.raman7@fabrikam.example", domain),
            "priya.raman7"
        );
        assert_eq!(
            distinguishing_part("ahmed.haddad_partner.example#EXT#@fabrikam.example", domain),
            "ahmed.haddad_partner.example"
        );
        assert_eq!(
            distinguishing_part("kim@contoso.example", domain),
            "kim@contoso.example"
        );
    }

    #[test]
    fn narrow_lists_drop_the_least_important_columns_first() {
        let wants = [
            (Column::Name, 20),
            (Column::Flags, 7),
            (Column::SignIn, 13),
            (Column::Upn, 20),
            (Column::Why, 12),
            (Column::Mobile, 13),
            (Column::Location, 3),
        ];
        let names = |room| -> Vec<Column> { fit(&wants, room).iter().map(|c| c.0).collect() };
        assert_eq!(names(200).len(), 7);
        let narrow = names(36);
        assert_eq!(narrow, [Column::Name, Column::Flags, Column::SignIn]);
        let total: usize = fit(&wants, 76).iter().map(|c| c.1 + 1).sum::<usize>() - 1;
        assert!(total <= 76, "{total}");
    }
}
