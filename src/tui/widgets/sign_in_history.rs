//! The box of the user's recent sign-in attempts (Methods pane, beside the audit trail): when,
//! which flow and phone, and how it ended with the log's reason, newest first. It draws what the
//! worker read; it reads nothing itself.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::Upn;
use crate::domain::sanitize::display_safe;
use crate::tui::app::SignIns;
use crate::tui::history::{self, HISTORY_DAYS};
use crate::tui::theme::Theme;
use crate::tui::when;

/// Draws `upn`'s attempts from `sign_ins` (which may still be another user's, or not there yet).
pub fn render(theme: Theme, sign_ins: Option<&SignIns>, upn: &Upn, area: Rect, buf: &mut Buffer) {
    let block = theme.panel(" Sign-in attempts (newest first) ", false);
    let inner = block.inner(area);
    block.render(area, buf);
    let history = match sign_ins.filter(|s| s.is(upn)) {
        Some(SignIns::Loaded(history)) if !history.attempts.is_empty() => history,
        other => {
            let note = match other {
                None => Line::styled("reading the sign-in log…", theme.muted()),
                Some(SignIns::Failed { why, .. }) => Line::styled(
                    format!("✗ cannot read the sign-in log: {}", display_safe(why)),
                    theme.error(),
                ),
                Some(SignIns::Loaded(_)) => Line::styled(
                    format!("No sign-in attempts in the last {HISTORY_DAYS} days."),
                    theme.muted(),
                ),
            };
            Paragraph::new(note)
                .wrap(Wrap { trim: false })
                .render(inner, buf);
            return;
        }
    };
    // Times right-aligned in a column where there is room for one.
    let time_width = if inner.width >= 50 { 11 } else { 0 };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for attempt in &history.attempts {
        let ok = attempt.outcome().is_success();
        let (mark, style) = if ok {
            ("✓ ", theme.ok())
        } else {
            ("✗ ", theme.error())
        };
        // How it ended comes first: in a narrow box it is what must not wrap out of sight.
        let mut what = attempt.flow.label().to_owned();
        if let Some(via) = history::via(attempt) {
            what.push_str(", ");
            what.push_str(&via);
        }
        if attempt.attempt > 1 {
            what.push_str(&format!(" (try {})", attempt.attempt));
        }
        let time = when::relative(attempt.started_at, history.loaded_at);
        let line = Line::from(vec![
            Span::styled(
                format!("{time:>width$}  ", width = time_width),
                theme.muted(),
            ),
            Span::styled(mark, style),
            Span::styled(display_safe(&history::ending(attempt)).into_owned(), style),
            Span::raw(format!(" · {what}")),
        ]);
        lines.extend(crate::tui::widgets::wrap::line(line, inner.width));
        if lines.len() >= usize::from(inner.height) {
            break;
        }
    }
    Paragraph::new(lines).render(inner, buf);
}
