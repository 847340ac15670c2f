//! The mouse: a click on a pane tab, a row, a choice or a key button does what its key does; the
//! wheel scrolls the list, the timeline, the wizard's path, the help or the log under the
//! pointer. Events are resolved against where the last frame drew things ([`HitMap`]).
//!
//! [`HitMap`]: crate::tui::hits::HitMap

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::{App, Modal, PaneId};
use crate::tui::hits::{Hit, Scrollable};
use crate::tui::keymap::Command;
use crate::tui::panes::lookup::Focus;

/// Lines one notch of the wheel scrolls.
const WHEEL_LINES: isize = 3;

impl App {
    pub(super) fn on_mouse(&mut self, mouse: &MouseEvent) {
        let (x, y) = (mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(hit) = self.hits.at(x, y) {
                    self.click(hit);
                    self.dirty = true;
                }
            }
            MouseEventKind::ScrollDown => self.wheel(x, y, WHEEL_LINES),
            MouseEventKind::ScrollUp => self.wheel(x, y, -WHEEL_LINES),
            _ => {}
        }
    }

    fn click(&mut self, hit: Hit) {
        if !self.alerts.is_empty() {
            if hit == Hit::Dismiss {
                self.dismiss_alert();
            }
            return;
        }
        match hit {
            Hit::Tab(pane) => self.go_to(pane),
            Hit::Result(row) => {
                self.lookup.focus = Focus::Results;
                self.lookup.selected = row;
                self.move_selection(0);
            }
            Hit::Slot(slot) => self.methods.selected = slot,
            Hit::SearchBox => {
                self.pane = PaneId::Lookup;
                self.lookup.focus = Focus::Search;
            }
            Hit::Choice(row) => self.click_choice(row),
            Hit::Answer(row) => self.troubleshoot.selected = Some(row),
            Hit::Button(command) => self.command(command),
            Hit::Dismiss | Hit::Scroll(_) => {}
        }
    }

    /// A click on a picker's row selects it and chooses it, as Enter would.
    fn click_choice(&mut self, row: usize) {
        let selected = match &mut self.modal {
            Some(Modal::DefaultMethod(p)) => &mut p.selected,
            Some(Modal::Filters(p)) => &mut p.selected,
            Some(Modal::Flow(p)) => &mut p.selected,
            Some(Modal::Demo(p)) => &mut p.selected,
            Some(Modal::Conditions(p)) => &mut p.selected,
            Some(Modal::Symptom(p)) => &mut p.selected,
            _ => return,
        };
        *selected = row;
        self.command(Command::Open);
    }

    fn wheel(&mut self, x: u16, y: u16, lines: isize) {
        if !self.alerts.is_empty() {
            return;
        }
        let Some(target) = self.hits.scroll_at(x, y) else {
            return;
        };
        let step = lines.signum();
        match target {
            Scrollable::Results => {
                self.lookup.focus = Focus::Results;
                self.move_selection(lines);
            }
            Scrollable::Methods => self.methods.move_by(step),
            Scrollable::Answers => {
                self.command(if step > 0 { Command::Down } else { Command::Up });
            }
            Scrollable::Picker => {
                let command = if step > 0 { Command::Down } else { Command::Up };
                self.modal_command(command);
            }
            Scrollable::Help => {
                if let Some(Modal::Help(help)) = &mut self.modal {
                    help.scroll_by(lines);
                }
            }
            Scrollable::Messages => {
                if let Some(Modal::Messages(log)) = &mut self.modal {
                    log.scroll_by(-lines);
                }
            }
            Scrollable::Timeline => self.signin.scroll_timeline(-lines),
            Scrollable::WizardPath => self.troubleshoot.scroll_path(-lines),
        }
        self.dirty = true;
    }
}
