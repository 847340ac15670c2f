//! Where things were drawn, for the mouse: each frame records the rectangles of what can be
//! clicked or scrolled, and a mouse event is resolved against the last frame, so a click always
//! lands on what the operator saw. Drawing does not read this; it only writes it.

use std::cell::RefCell;

use ratatui::layout::{Position, Rect};

use super::app::PaneId;
use super::keymap::Command;

/// Something on screen a click or the wheel can reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Tab(PaneId),
    /// A row of the result list (its index in the list).
    Result(usize),
    /// A slot row of the Methods pane (index into `PhoneType::ALL`).
    Slot(usize),
    /// A row of an open picker.
    Choice(usize),
    /// An answer of the wizard's current question.
    Answer(usize),
    /// A key shown as a button (footer hints, dialog buttons): clicking runs the command.
    Button(Command),
    /// The search box.
    SearchBox,
    /// A popup that a click dismisses (an error).
    Dismiss,
    /// Something the wheel scrolls.
    Scroll(Scrollable),
}

/// What the wheel scrolls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scrollable {
    Results,
    Methods,
    Picker,
    Help,
    Messages,
    Timeline,
    WizardPath,
    Answers,
}

/// The last frame's clickable areas, topmost last.
#[derive(Debug, Default)]
pub struct HitMap {
    areas: RefCell<Vec<(Rect, Hit)>>,
}

impl HitMap {
    /// Forgets what was recorded: as a frame starts, and before a popup is drawn (what it
    /// covers cannot be clicked).
    pub fn clear(&self) {
        self.areas.borrow_mut().clear();
    }

    pub fn push(&self, area: Rect, hit: Hit) {
        if area.width > 0 && area.height > 0 {
            self.areas.borrow_mut().push((area, hit));
        }
    }

    /// The topmost clickable thing at `(x, y)`.
    pub fn at(&self, x: u16, y: u16) -> Option<Hit> {
        let point = Position { x, y };
        self.areas
            .borrow()
            .iter()
            .rev()
            .find(|(area, hit)| area.contains(point) && !matches!(hit, Hit::Scroll(_)))
            .map(|(_, hit)| *hit)
    }

    /// The topmost scrollable thing at `(x, y)`.
    pub fn scroll_at(&self, x: u16, y: u16) -> Option<Scrollable> {
        let point = Position { x, y };
        self.areas
            .borrow()
            .iter()
            .rev()
            .find_map(|(area, hit)| match hit {
                Hit::Scroll(s) if area.contains(point) => Some(*s),
                _ => None,
            })
    }

    /// How many areas the last frame recorded.
    pub fn len(&self) -> usize {
        self.areas.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
