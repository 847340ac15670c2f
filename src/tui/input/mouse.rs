//! Mouse reports as crossterm 0.29 would decode them, so `app::mouse` and the TestBackend flows
//! see the same `Event::Mouse` values whichever reader produced them.
//!
//! phonedesk asks for presses, releases and the wheel (modes 1000 and 1006, see
//! `terminal::ClickAndWheelReports`). A terminal that knows mode 1006 reports them as
//! `CSI < b ; x ; y M` (press) or `m` (release); one that does not falls back to the old
//! `CSI M b x y` with three raw bytes, each offset by 32. Both are decoded; anything else that
//! looks like a report is dropped. Coordinates are 1-based on the wire and 0-based here.

use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// The button byte's modifier and motion bits.
const SHIFT: u16 = 4;
const ALT: u16 = 8;
const CTRL: u16 = 16;
const MOTION: u16 = 32;
const WHEEL: u16 = 64;

/// What a report's button code means; `release` when the report says the button went up.
fn kind(code: u16, release: bool) -> MouseEventKind {
    if code & WHEEL != 0 {
        return match code & 0b11 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        };
    }
    let button = match code & 0b11 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        2 => MouseButton::Right,
        // The old encoding says "some button went up" without naming it; so does crossterm.
        _ => return MouseEventKind::Up(MouseButton::Left),
    };
    if code & MOTION != 0 {
        MouseEventKind::Drag(button)
    } else if release {
        MouseEventKind::Up(button)
    } else {
        MouseEventKind::Down(button)
    }
}

fn event(code: u16, x: u16, y: u16, release: bool) -> Option<Event> {
    let modifiers = super::modifiers_in(
        code,
        &[
            (SHIFT, KeyModifiers::SHIFT),
            (ALT, KeyModifiers::ALT),
            (CTRL, KeyModifiers::CONTROL),
        ],
    );
    Some(Event::Mouse(MouseEvent {
        kind: kind(code, release),
        column: x.checked_sub(1)?,
        row: y.checked_sub(1)?,
        modifiers,
    }))
}

/// `CSI < params M|m`: `params` is what follows the `<`.
pub fn sgr(params: &[u8], last: u8) -> Option<Event> {
    let text = std::str::from_utf8(params).ok()?;
    let mut numbers = text.split(';').map(|field| field.parse::<u16>().ok());
    let (code, x, y) = (numbers.next()??, numbers.next()??, numbers.next()??);
    if numbers.next().is_some() {
        return None;
    }
    match last {
        b'M' => event(code, x, y, false),
        b'm' => event(code, x, y, true),
        _ => None,
    }
}

/// `CSI M` followed by the three bytes `b x y`, each offset by 32.
pub fn x10(bytes: [u8; 3]) -> Option<Event> {
    let [code, x, y] = bytes.map(|b| u16::from(b).checked_sub(32));
    event(code?, x?, y?, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mouse(kind: MouseEventKind, column: u16, row: u16, modifiers: KeyModifiers) -> Event {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers,
        })
    }

    #[test]
    fn sgr_reports_are_presses_releases_and_the_wheel() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            sgr(b"0;10;5", b'M'),
            Some(mouse(MouseEventKind::Down(MouseButton::Left), 9, 4, none))
        );
        assert_eq!(
            sgr(b"0;10;5", b'm'),
            Some(mouse(MouseEventKind::Up(MouseButton::Left), 9, 4, none))
        );
        assert_eq!(
            sgr(b"64;1;1", b'M'),
            Some(mouse(MouseEventKind::ScrollUp, 0, 0, none))
        );
        assert_eq!(
            sgr(b"65;200;60", b'M'),
            Some(mouse(MouseEventKind::ScrollDown, 199, 59, none))
        );
        assert_eq!(
            sgr(b"18;3;4", b'M'),
            Some(mouse(
                MouseEventKind::Down(MouseButton::Right),
                2,
                3,
                KeyModifiers::CONTROL
            ))
        );
    }

    #[test]
    fn broken_reports_are_dropped() {
        for (params, last) in [
            (&b"0;10"[..], b'M'),
            (b"0;10;5;1", b'M'),
            (b"0;0;5", b'M'),
            (b"x;1;1", b'M'),
            (b"0;1;99999", b'M'),
            (b"0;1;1", b'R'),
        ] {
            assert_eq!(sgr(params, last), None, "{params:?}");
        }
    }

    #[test]
    fn the_old_encoding_is_decoded_too() {
        assert_eq!(
            x10([32, 32 + 10, 32 + 5]),
            Some(mouse(
                MouseEventKind::Down(MouseButton::Left),
                9,
                4,
                KeyModifiers::NONE
            ))
        );
        assert_eq!(
            x10([32 + 65, 33, 33]),
            Some(mouse(MouseEventKind::ScrollDown, 0, 0, KeyModifiers::NONE))
        );
        assert_eq!(x10([31, 33, 33]), None);
    }
}
