//! The application state and the one place where input becomes change.
//!
//! A key press is resolved to a [`Command`] through the keymap (or to text, in a field), then
//! `App` calls the store or the domain and marks the screen dirty. Drawing is a pure function of
//! this state (see [`super::view`]); nothing here draws, and no business rule lives here: edits go
//! through `Directory::edit`, numbers through the domain's checks.

mod modals;
mod signin_actions;
mod troubleshoot_actions;
mod user_actions;

use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc::UnboundedSender;

use super::keymap::{Command, Context, Keymap};
use super::panes::lookup::{Focus, IndexStatus, LookupPane, PAGE};
use super::panes::methods::MethodsPane;
use super::panes::signin::SigninPane;
use super::panes::troubleshoot::TroubleshootPane;
pub use super::profile::Profile;
use super::theme::Theme;
use super::widgets::dialog::{Confirm, Picker, ReasonPrompt};
use super::widgets::phone_field::{FieldMode, PhoneField};
use super::widgets::text_input::TextInput;
use super::widgets::toast::{Toast, ToastKind};
use super::worker::{Worker, WorkerMsg};
use crate::domain::search::{Filter, Hits};
use crate::domain::{DefaultMethod, Operator, PhoneType, Policy, Tenant};
use crate::sim::VirtualClock;
use crate::store::{Directory, StoreError};

/// The panes, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaneId {
    Lookup,
    Methods,
    SignIn,
    Troubleshoot,
}

impl PaneId {
    pub const ALL: [Self; 4] = [
        Self::Lookup,
        Self::Methods,
        Self::SignIn,
        Self::Troubleshoot,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Lookup => "Lookup",
            Self::Methods => "Methods",
            Self::SignIn => "Sign-in",
            Self::Troubleshoot => "Troubleshoot",
        }
    }

    fn position(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// What covers the panes and takes the keys.
#[derive(Debug)]
pub enum Modal {
    Help { scroll: u16 },
    Confirm(Confirm),
    Phone(Box<PhoneField>),
    Reason(ReasonPrompt),
    DefaultMethod(Picker<Option<DefaultMethod>>),
    Filters(Picker<Filter>),
    Flow(Picker<crate::sim::FlowRequest>),
    Demo(Picker<String>),
    Conditions(Picker<signin_actions::Condition>),
    Symptom(Picker<String>),
}

/// What the app starts with: the keymap (and why a user file was ignored), the theme, and the
/// clock the store stamps with (the Sign-in pane moves it forward).
pub struct Startup {
    pub keymap: Keymap,
    pub keymap_problem: Option<String>,
    pub theme: Theme,
    pub clock: Arc<VirtualClock>,
    /// Seeds the Sign-in pane's sessions (tests); `None` draws codes from the OS.
    pub sim_seed: Option<u64>,
    /// The operator's region (`PHONEDESK_REGION`), for numbers read out in national form.
    pub region: Option<crate::domain::Region>,
}

pub struct App {
    pub store: Arc<dyn Directory>,
    pub operator: Operator,
    pub tenant: Tenant,
    /// The tenant policy, read once: it changes only by import, which needs a restart.
    pub policy: Policy,
    pub location: String,
    /// The operator's region, for numbers read out in national form.
    pub region: Option<crate::domain::Region>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub worker: Worker,
    pub pane: PaneId,
    pub lookup: LookupPane,
    pub methods: MethodsPane,
    pub signin: SigninPane,
    pub troubleshoot: TroubleshootPane,
    /// The app's clock: real time plus what the Sign-in pane fast-forwarded; the store's too.
    pub clock: Arc<VirtualClock>,
    sim_seed: Option<u64>,
    pub profile: Option<Profile>,
    /// The generation of the newest profile asked of the worker, and of the one shown.
    profile_pending: u64,
    profile_answered: u64,
    /// Catch-ups asked of the worker and not yet answered.
    catching_up: usize,
    pub modal: Option<Modal>,
    pub toast: Option<Toast>,
    dirty: bool,
    quit: bool,
    fatal: Option<String>,
}

impl App {
    /// Builds the app and starts the search worker, which reports on `worker`.
    pub fn new(
        store: Arc<dyn Directory>,
        operator: Operator,
        startup: Startup,
        worker: UnboundedSender<WorkerMsg>,
    ) -> Result<Self, StoreError> {
        let tenant = store.tenant()?;
        let policy = store.policy()?;
        let location = store.location();
        let worker = Worker::start(Arc::clone(&store), worker);
        let toast = startup.keymap_problem.map(|why| {
            Toast::new(
                ToastKind::Error,
                format!("keymap.toml ignored: {why}"),
                Instant::now(),
            )
        });
        Ok(Self {
            store,
            operator,
            tenant,
            policy,
            location,
            region: startup.region,
            keymap: startup.keymap,
            theme: startup.theme,
            worker,
            pane: PaneId::Lookup,
            lookup: LookupPane::new(),
            methods: MethodsPane::default(),
            signin: SigninPane::new(),
            troubleshoot: TroubleshootPane::default(),
            clock: startup.clock,
            sim_seed: startup.sim_seed,
            profile: None,
            profile_pending: 0,
            profile_answered: 0,
            catching_up: 0,
            modal: None,
            toast,
            dirty: true,
            quit: false,
            fatal: None,
        })
    }

    /// True once after something changed: the loop draws only then.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// A storage failure that ends the session (sled cannot be trusted after an I/O error).
    pub fn fatal(&self) -> Option<&str> {
        self.fatal.as_deref()
    }

    /// When the loop must wake up even without input: a toast to expire, a simulator timer, a
    /// countdown to redraw. `None` while nothing is due: an idle phonedesk sleeps.
    pub fn next_deadline(&self) -> Option<Instant> {
        let toast = self.toast.as_ref().map(|t| t.expires);
        match (toast, self.signin_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Time passed: expire what is due.
    pub fn tick(&mut self, now: Instant) {
        if self.toast.as_ref().is_some_and(|t| t.expires <= now) {
            self.toast = None;
            self.dirty = true;
        }
        self.signin_tick();
    }

    fn toast(&mut self, kind: ToastKind, text: impl Into<String>) {
        self.toast = Some(Toast::new(kind, text, Instant::now()));
        self.dirty = true;
    }

    // ----- background results -----

    pub fn on_worker(&mut self, msg: WorkerMsg) {
        match msg {
            WorkerMsg::IndexReady { users, took, .. } => {
                self.lookup.status = IndexStatus::Ready { users, took };
                self.run_query();
            }
            WorkerMsg::IndexChanged { changed } => {
                self.catching_up = self.catching_up.saturating_sub(1);
                if changed > 0 {
                    self.rerun_query();
                }
            }
            WorkerMsg::IndexFailed(why) => self.lookup.status = IndexStatus::Failed(why),
            WorkerMsg::Profile { generation, loaded } => {
                if generation != self.profile_pending {
                    return;
                }
                self.profile_answered = generation;
                match loaded {
                    Ok(profile) => self.profile = Some(*profile),
                    Err(why) => {
                        self.profile = None;
                        self.toast(ToastKind::Error, why);
                    }
                }
            }
            WorkerMsg::Results { generation, hits } => {
                if generation != self.lookup.pending {
                    return;
                }
                self.lookup.answered = generation;
                self.lookup.hits = Some(hits);
                self.lookup.clamp();
                self.load_selected();
            }
        }
        self.dirty = true;
    }

    /// Sends the search box's query to the worker; the answer arrives as `WorkerMsg::Results`.
    fn run_query(&mut self) {
        if !matches!(self.lookup.status, IndexStatus::Ready { .. }) {
            return;
        }
        self.lookup.pending = self.worker.submit(self.query());
        self.lookup.selected = 0;
    }

    /// Runs the query again after the index changed, keeping the selection where it was.
    fn rerun_query(&mut self) {
        if matches!(self.lookup.status, IndexStatus::Ready { .. }) {
            self.lookup.pending = self.worker.submit(self.query());
        }
    }

    /// The search box's query, with the operator's region for numbers read in national form.
    fn query(&self) -> crate::domain::search::Query {
        let mut query = self.lookup.query();
        query.region = self.region;
        query
    }

    /// Tells the worker that users changed (an edit, a simulation, a fix): it catches the index
    /// up from the change log and the query runs again.
    pub(super) fn users_changed(&mut self) {
        self.catching_up += 1;
        self.worker.catch_up();
    }

    fn selected_upn(&self) -> Option<String> {
        let hits = self.lookup.hits.as_ref()?;
        let row = hits.rows.get(self.lookup.selected)?;
        self.worker.index().get().map(|index| index.upn(row.entry))
    }

    /// Asks the worker for the profile of the selected row when the selection changed; the key
    /// that moved the selection does no I/O.
    fn load_selected(&mut self) {
        let Some(upn) = self.selected_upn() else {
            self.profile = None;
            self.profile_pending = self.worker.supersede_profile();
            self.profile_answered = self.profile_pending;
            return;
        };
        let shown = self
            .profile
            .as_ref()
            .is_some_and(|p| p.user.upn().as_str().eq_ignore_ascii_case(&upn));
        if shown && self.profile_answered == self.profile_pending {
            return;
        }
        self.profile_pending = self.worker.load_profile(&upn);
    }

    /// Loads a profile on this thread: after an edit or a reveal, when the screen must show the
    /// result before the next frame. Selection changes load on the worker instead.
    fn load_profile(&mut self, upn: &str, revealed: bool) -> Option<Profile> {
        // A load here supersedes one still on its way from the worker.
        self.profile_pending = self.worker.supersede_profile();
        self.profile_answered = self.profile_pending;
        match Profile::load(self.store.as_ref(), upn, revealed) {
            Ok(profile) => Some(profile),
            Err(e) => {
                self.toast(ToastKind::Error, e.to_string());
                None
            }
        }
    }

    // ----- input -----

    pub fn handle_event(&mut self, event: &Event) {
        match event {
            Event::Key(key) if key.kind == KeyEventKind::Press => self.on_key(key),
            Event::Paste(text) => self.on_paste(text),
            Event::Resize(..) => self.dirty = true,
            _ => {}
        }
    }

    fn on_paste(&mut self, text: &str) {
        let changed = match (&mut self.modal, self.pane, self.lookup.focus) {
            (Some(Modal::Phone(field)), ..) => {
                let changed = field.input.insert_str(text);
                if changed {
                    field.changed();
                }
                changed
            }
            (Some(Modal::Reason(prompt)), ..) => prompt.input.insert_str(text),
            (None, PaneId::SignIn, _) => self.signin_paste(text),
            (None, PaneId::Lookup, Focus::Search) => {
                let changed = self.lookup.input.insert_str(text);
                if changed {
                    self.run_query();
                }
                changed
            }
            _ => false,
        };
        self.dirty |= changed;
    }

    /// The text field that has focus, if any.
    fn focused_input(&mut self) -> Option<&mut TextInput> {
        match &mut self.modal {
            Some(Modal::Phone(field)) => Some(&mut field.input),
            Some(Modal::Reason(prompt)) => Some(&mut prompt.input),
            Some(_) => None,
            None if self.pane == PaneId::Lookup && self.lookup.focus == Focus::Search => {
                Some(&mut self.lookup.input)
            }
            None => None,
        }
    }

    /// True when the index is loaded and the newest query has its answer (tests wait for this).
    pub fn search_settled(&self) -> bool {
        match self.lookup.status {
            IndexStatus::Loading => false,
            IndexStatus::Failed(_) => true,
            IndexStatus::Ready { .. } => {
                self.catching_up == 0
                    && self.lookup.answered == self.lookup.pending
                    && self.lookup.hits.as_ref().is_none_or(Hits::is_complete)
                    && self.profile_answered == self.profile_pending
            }
        }
    }

    /// True when the newest query has its first answer (the screenful shown), even if the
    /// complete count is still being counted.
    pub fn search_answered(&self) -> bool {
        match self.lookup.status {
            IndexStatus::Loading => false,
            IndexStatus::Failed(_) => true,
            IndexStatus::Ready { .. } => {
                self.catching_up == 0 && self.lookup.answered == self.lookup.pending
            }
        }
    }

    /// True while a text field has the keys (letters are text, not commands).
    pub fn is_typing(&self) -> bool {
        match &self.modal {
            Some(Modal::Phone(_) | Modal::Reason(_)) => true,
            Some(_) => false,
            None => match self.pane {
                PaneId::Lookup => self.lookup.focus == Focus::Search,
                PaneId::SignIn => self.signin.takes_text(),
                PaneId::Methods | PaneId::Troubleshoot => false,
            },
        }
    }

    /// The contexts that decide what a key means, most specific first.
    fn contexts(&self, printable: bool) -> Vec<Context> {
        let typing = |extra: &[Context]| {
            let mut c = extra.to_vec();
            c.push(Context::Typing);
            if !printable {
                c.push(Context::List);
                c.push(Context::Global);
            }
            c
        };
        match &self.modal {
            Some(Modal::Phone(_)) => typing(&[Context::PhoneField]),
            Some(Modal::Reason(_)) => typing(&[]),
            Some(Modal::Confirm(_)) => vec![Context::Confirm, Context::Global],
            Some(_) => vec![Context::List, Context::Global],
            None => match (self.pane, self.lookup.focus) {
                (PaneId::Lookup, Focus::Search) => typing(&[]),
                (PaneId::Lookup, Focus::Results) => {
                    vec![
                        Context::List,
                        Context::User,
                        Context::Lookup,
                        Context::Global,
                    ]
                }
                (PaneId::Methods, _) => {
                    vec![
                        Context::List,
                        Context::User,
                        Context::Methods,
                        Context::Global,
                    ]
                }
                (PaneId::SignIn, _) => vec![Context::SignIn, Context::List, Context::Global],
                (PaneId::Troubleshoot, _) => {
                    vec![Context::Troubleshoot, Context::List, Context::Global]
                }
            },
        }
    }

    fn on_key(&mut self, key: &KeyEvent) {
        let printable = matches!(key.code, KeyCode::Char(_))
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.keymap.lookup(key, &[Context::Global]) == Some(Command::ForceQuit) {
            self.quit = true;
            return;
        }
        // The sign-in page and the phone's keypad take digits before any command does.
        if self.modal.is_none() && self.pane == PaneId::SignIn && self.signin_key(key) {
            self.dirty = true;
            return;
        }
        let contexts = self.contexts(printable);
        if let Some(command) = self.keymap.lookup(key, &contexts) {
            self.dirty = true;
            self.command(command);
            return;
        }
        if self.edit_text(key) {
            self.dirty = true;
        }
        // Anything else (unbound keys, function keys, Alt combinations) is ignored.
    }

    /// Applies an editing key to the focused field. Returns whether anything changed.
    fn edit_text(&mut self, key: &KeyEvent) -> bool {
        let Some(input) = self.focused_input() else {
            return false;
        };
        let before = input.value().to_owned();
        let used = input.apply_key(key, |_| true);
        if input.value() != before {
            self.text_changed();
        }
        used
    }

    fn text_changed(&mut self) {
        match &mut self.modal {
            Some(Modal::Phone(field)) => field.changed(),
            Some(_) => {}
            None => self.run_query(),
        }
    }

    // ----- commands -----

    fn command(&mut self, command: Command) {
        if self.modal.is_some() {
            self.modal_command(command);
            return;
        }
        match command {
            Command::ForceQuit | Command::Quit => self.quit = true,
            Command::Help => self.modal = Some(Modal::Help { scroll: 0 }),
            Command::NextPane => self.switch_pane(1),
            Command::PrevPane => self.switch_pane(-1),
            Command::PaneLookup => self.pane = PaneId::Lookup,
            Command::PaneMethods => self.open_methods(),
            Command::PaneSignIn => self.pane = PaneId::SignIn,
            Command::PaneTroubleshoot => self.open_troubleshoot(),
            Command::FocusSearch => {
                self.pane = PaneId::Lookup;
                self.lookup.focus = Focus::Search;
            }
            _ => match self.pane {
                PaneId::Lookup => self.lookup_command(command),
                PaneId::Methods => self.methods_command(command),
                PaneId::SignIn => self.signin_command(command),
                PaneId::Troubleshoot => self.troubleshoot_command(command),
            },
        }
    }

    fn switch_pane(&mut self, step: isize) {
        let count = PaneId::ALL.len();
        let next = (self.pane.position() + count).saturating_add_signed(step) % count;
        match PaneId::ALL[next] {
            PaneId::Methods => self.open_methods(),
            PaneId::Troubleshoot => self.open_troubleshoot(),
            other => self.pane = other,
        }
    }

    fn open_troubleshoot(&mut self) {
        self.pane = PaneId::Troubleshoot;
        self.troubleshoot_entered();
    }

    fn open_methods(&mut self) {
        self.pane = PaneId::Methods;
        if self.profile.is_none() {
            self.load_selected();
        }
    }

    fn lookup_command(&mut self, command: Command) {
        match command {
            Command::Down if self.lookup.focus == Focus::Search => {
                self.lookup.focus = Focus::Results;
                self.move_selection(0);
            }
            Command::Down => self.move_selection(1),
            Command::Up => self.move_selection(-1),
            Command::PageDown => self.move_selection(PAGE.cast_signed()),
            Command::PageUp => self.move_selection(-PAGE.cast_signed()),
            Command::Top => self.move_selection(isize::MIN / 2),
            Command::Bottom => self.move_selection(isize::MAX / 2),
            Command::Submit | Command::Open if self.selected_upn().is_some() => self.open_methods(),
            Command::Cancel | Command::Back => {
                if self.lookup.focus == Focus::Search && self.lookup.row_count() > 0 {
                    self.lookup.focus = Focus::Results;
                } else if self.lookup.focus == Focus::Results {
                    self.lookup.focus = Focus::Search;
                }
            }
            Command::Reveal => self.reveal(),
            Command::Block => self.ask_block(),
            Command::Filters => {
                self.modal = Some(Modal::Filters(Picker {
                    title: "Filters (toggle)".into(),
                    options: Filter::ALL
                        .iter()
                        .map(|f| (f.label().to_owned(), *f))
                        .collect(),
                    selected: 0,
                }));
            }
            _ => {}
        }
    }

    fn move_selection(&mut self, delta: isize) {
        self.lookup.move_by(delta);
        self.load_selected();
    }

    fn methods_command(&mut self, command: Command) {
        match command {
            Command::Down => self.methods.move_by(1),
            Command::Up => self.methods.move_by(-1),
            Command::Top => self.methods.selected = 0,
            Command::Bottom => self.methods.selected = PhoneType::ALL.len() - 1,
            Command::Back => self.pane = PaneId::Lookup,
            Command::Reveal => self.reveal(),
            Command::Block => self.ask_block(),
            Command::Add => self.ask_number(FieldMode::Add),
            Command::Edit | Command::Open => self.ask_number(FieldMode::Update),
            Command::Delete => self.ask_delete(),
            Command::SmsSignIn => self.toggle_sms_sign_in(),
            Command::DefaultMethod => self.ask_default(),
            Command::FixNumber => self.ask_fix(),
            _ => {}
        }
    }
}
