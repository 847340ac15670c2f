//! The lower half of the Sign-in pane: the timeline of the running sign-in and the caption of a
//! guided demo, and how the pane's height is shared so that neither is lost on a small screen.
//!
//! The caption is never cut: its box is as tall as its wrapped text (up to half the pane). The
//! timeline wraps its lines, scrolls by screen lines, and keeps at least three of them; the page
//! and the phone get the rest.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::sanitize::display_safe;
use crate::sim::Session;
use crate::tui::app::App;
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::keymap::Command;
use crate::tui::widgets::wrap;

/// The fewest rows the timeline box keeps (three lines inside its border).
const TIMELINE_MIN: u16 = 5;
/// The fewest rows the page and phone boxes keep.
const TOP_MIN: u16 = 6;

/// Rows for (page and phone, timeline, demo caption) in a pane `height` rows tall.
pub fn heights(app: &App, width: u16, height: u16) -> (u16, u16, u16) {
    let demo = demo_lines(app, width.saturating_sub(2))
        .map_or(0, |lines| {
            u16::try_from(lines.len())
                .unwrap_or(u16::MAX)
                .saturating_add(2)
        })
        .min(height / 2);
    let rest = height.saturating_sub(demo);
    let timeline = (rest * 45 / 100)
        .max(TIMELINE_MIN)
        .min(rest.saturating_sub(TOP_MIN));
    (rest.saturating_sub(timeline), timeline, demo)
}

/// The demo box's lines at `width`: the caption, then what the next key does.
fn demo_lines(app: &App, width: u16) -> Option<Vec<Line<'static>>> {
    let pane = &app.signin;
    let demo = pane.demo.as_ref()?;
    let script = demo.script();
    let caption = pane
        .step
        .as_ref()
        .map_or(script.summary.as_str(), |s| s.caption.as_str());
    let next = match demo.upcoming() {
        Some(_) => format!("{} next step", app.keymap.hint(Command::NextStep)),
        None => format!(
            "the demo is over · {} leave it",
            app.keymap.hint(Command::Back)
        ),
    };
    let mut lines = wrap::line(Line::raw(display_safe(caption).into_owned()), width);
    lines.extend(wrap::line(Line::styled(next, app.theme.key()), width));
    Some(lines)
}

pub fn render_demo(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.signin;
    let Some(demo) = &pane.demo else {
        return;
    };
    let script = demo.script();
    let progress = pane.step.as_ref().map_or_else(
        || format!("0/{}", script.steps.len()),
        |s| format!("{}/{}", s.number, s.total),
    );
    let block = app.theme.panel(
        format!(" Demo · {} · step {progress} ", display_safe(&script.title)),
        false,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    if let Some(lines) = demo_lines(app, inner.width) {
        Paragraph::new(lines).render(inner, buf);
    }
}

pub fn render_timeline(app: &App, session: Option<&Session>, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let block = theme.panel(" Timeline ", false);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(session) = session else {
        Paragraph::new(Line::styled(
            "The steps of a sign-in appear here, with times since it started.",
            theme.muted(),
        ))
        .wrap(ratatui::widgets::Wrap { trim: false })
        .render(inner, buf);
        return;
    };
    app.hits.push(inner, Hit::Scroll(Scrollable::Timeline));
    // The screen line where the demo step just played begins.
    let step_from = app
        .signin
        .demo
        .as_ref()
        .and(app.signin.step.as_ref())
        .map(|step| step.timeline_from);
    let mut step_line = None;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, entry) in session.timeline().iter().enumerate() {
        if step_from == Some(i) {
            step_line = Some(lines.len());
        }
        lines.extend(wrap::line(
            Line::raw(display_safe(&entry.line()).into_owned()),
            inner.width,
        ));
    }
    let room = usize::from(inner.height);
    let most = lines.len().saturating_sub(room);
    app.signin.timeline_max_up.set(most);
    // Unscrolled, the newest lines; in a demo, from the first line of the step just played when
    // its lines do not all fit, so what the caption describes is what is shown.
    let skip = match (app.signin.timeline_up, step_line) {
        (0, Some(first)) => first.min(most),
        (up, _) => most - up.min(most),
    };
    let shown: Vec<Line<'static>> = lines.into_iter().skip(skip).take(room).collect();
    Paragraph::new(shown).render(inner, buf);
}
