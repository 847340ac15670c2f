//! The Lookup pane's input: the query to the worker, a new search, moving through the results,
//! sorting them, filters, and Esc out of the search box.

use super::{App, Modal, PaneId};
use crate::domain::search::Filter;
use crate::tui::keymap::Command;
use crate::tui::panes::lookup::{Focus, IndexStatus, PAGE};
use crate::tui::tenant_search::TENANT_PAGE;
use crate::tui::widgets::dialog::{Picker, PickerKind};
use crate::tui::widgets::toast::ToastKind;

impl App {
    /// Sends the search box's query to the worker; the answer arrives as `WorkerMsg::Results`.
    pub(super) fn run_query(&mut self) {
        if !self.lookup.status.takes_queries() {
            return;
        }
        self.lookup.pending = self.worker.submit(self.query(), self.lookup.sort);
        self.lookup.selected = 0;
    }

    /// Runs the query again after the index changed, keeping the selection where it was.
    pub(super) fn rerun_query(&mut self) {
        if self.lookup.status.takes_queries() {
            self.lookup.pending = self.worker.submit(self.query(), self.lookup.sort);
        }
    }

    /// The search box's query, with the operator's region for numbers read in national form.
    fn query(&self) -> crate::domain::search::Query {
        let mut query = self.lookup.query();
        query.region = self.region;
        query
    }

    pub(super) fn selected_upn(&self) -> Option<String> {
        let hits = self.lookup.hits.as_ref()?;
        let row = hits.rows.get(self.lookup.selected)?;
        self.worker.index().get().map(|index| index.upn(row.entry))
    }

    /// `/` from anywhere: the search box with the old query selected, so typing replaces it
    /// and an arrow key keeps it.
    pub(super) fn new_search(&mut self) {
        self.pane = PaneId::Lookup;
        self.lookup.focus = Focus::Search;
        self.lookup.input.select_all();
    }

    pub(super) fn lookup_command(&mut self, command: Command) {
        let in_box = self.lookup.focus == Focus::Search;
        match command {
            Command::Down if in_box => {
                self.lookup.focus = Focus::Results;
                self.move_selection(0);
            }
            Command::Down => self.move_selection(1),
            Command::Up => self.move_selection(-1),
            Command::PageDown => self.move_selection(PAGE.cast_signed()),
            Command::PageUp => self.move_selection(-PAGE.cast_signed()),
            Command::Top => self.move_selection(isize::MIN / 2),
            Command::Bottom => self.move_selection(isize::MAX / 2),
            Command::Submit | Command::Open if self.selected_upn().is_some() => {
                self.go_to(PaneId::Methods);
            }
            Command::Submit | Command::Open => {
                self.toast(ToastKind::Info, "no user to open: the list is empty");
            }
            // Esc leaves the search box whatever it holds (the text stays); in the list there is
            // nothing further out, and Esc never puts the cursor back into the box.
            Command::Cancel | Command::Back => self.lookup.focus = Focus::Results,
            Command::Reveal => self.reveal(),
            Command::Block => self.ask_block(),
            Command::Sort => self.cycle_sort(),
            Command::Filters => {
                self.modal = Some(Modal::Filters(Picker {
                    title: "Filters".into(),
                    options: Filter::ALL
                        .iter()
                        .map(|f| (f.label().to_owned(), *f))
                        .collect(),
                    selected: 0,
                    kind: PickerKind::Toggle,
                }));
            }
            _ => {}
        }
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
        self.lookup.move_by(delta);
        self.load_selected();
        self.page_in_more();
    }

    /// A tenant's list pages in as the operator scrolls: at its last row, while the tenant has
    /// more, the same query asks for another page (the selection stays).
    fn page_in_more(&mut self) {
        let Some(hits) = &self.lookup.hits else {
            return;
        };
        let at_end = self.lookup.selected + 1 >= hits.rows.len();
        if self.lookup.status != IndexStatus::Tenant
            || hits.is_complete()
            || !at_end
            || self.lookup.answered != self.lookup.pending
        {
            return;
        }
        let limit = hits.rows.len() + TENANT_PAGE;
        self.lookup.pending = self
            .worker
            .submit_for(self.query(), self.lookup.sort, limit);
        self.status_toast("asking the tenant for more…");
    }

    /// The next sort order; the worker sorts the complete list and answers once.
    fn cycle_sort(&mut self) {
        self.lookup.sort = self.lookup.sort.next();
        self.run_query();
        self.toast(
            ToastKind::Info,
            format!("results sorted by {}", self.lookup.sort.label()),
        );
    }

    /// Toggles a filter in the query text (filters live in the text, where they are visible).
    pub(super) fn toggle_filter(&mut self, filter: Filter) {
        let text = filter.toggle_in(self.lookup.input.value());
        self.lookup.input.set(&text);
        self.run_query();
    }
}
