//! The application state and the one place where input becomes change.
//!
//! A key press is resolved to a [`Command`] through the keymap in the [`Layer`] that has the keys
//! (or to text, in a field), then `App` calls the store or the domain and marks the screen dirty.
//! Drawing is a pure function of this state (see [`super::view`]); nothing here draws, and no
//! business rule lives here: edits go through `Directory::edit`, numbers through the domain's
//! checks. What the app says goes through [`report`]: notices to the status line, errors into a
//! popup that waits, and both into the message log.

mod changes;
mod copy;
mod history;
mod input;
mod lookup_actions;
mod modals;
mod mouse;
mod report;
mod signin_actions;
mod troubleshoot_actions;
mod undo;
mod user_actions;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::Event;
use tokio::sync::mpsc::UnboundedSender;

pub use self::history::SignIns;
pub use self::report::{Problem, Severity};
pub use self::undo::UndoStep;
use super::hits::HitMap;
use super::keymap::{Command, Keymap, Layer};
use super::messages::MessageLog;
use super::panes::lookup::{Focus, IndexStatus, LookupPane};
use super::panes::methods::MethodsPane;
use super::panes::signin::SigninPane;
use super::panes::troubleshoot::TroubleshootPane;
pub use super::profile::Profile;
use super::theme::Theme;
use super::widgets::alert::Alert;
use super::widgets::dialog::{Confirm, Picker, ReasonPrompt};
use super::widgets::help::HelpView;
use super::widgets::message_log::MessagesView;
use super::widgets::phone_field::PhoneField;
use super::widgets::toast::Toast;
use super::worker::{Worker, WorkerMsg};
use crate::domain::search::{Filter, Hits};
use crate::domain::{DefaultMethod, Operator, Policy, Tenant};
use crate::sim::VirtualClock;
use crate::store::{Record, StoreError};

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
    Help(HelpView),
    Messages(MessagesView),
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
    pub store: Arc<dyn Record>,
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
    /// The scratch copy of the playing demo's cast: demos never change the open tenant.
    demo_world: Option<crate::sim::sandbox::Sandbox>,
    /// Whether the operator was told that manual simulations change the simulated tenant.
    told_sim_changes_tenant: bool,
    /// On a real tenant: the local copy the simulator plays the selected user's sign-in on.
    tenant_copy: Option<std::sync::Arc<crate::sim::sandbox::Sandbox>>,
    /// The change the worker is making (its id), see [`changes`].
    in_flight: Option<(u64, changes::InFlight)>,
    pub troubleshoot: TroubleshootPane,
    /// The app's clock: real time plus what the Sign-in pane fast-forwarded; the store's too.
    pub clock: Arc<VirtualClock>,
    sim_seed: Option<u64>,
    pub profile: Option<Profile>,
    /// The generation of the newest profile asked of the worker, and of the one shown.
    profile_pending: u64,
    profile_answered: u64,
    /// The shown user's recent sign-in attempts, with the generations asked and answered.
    pub sign_ins: Option<SignIns>,
    sign_ins_pending: u64,
    sign_ins_answered: u64,
    /// Catch-ups asked of the worker and not yet answered.
    catching_up: usize,
    pub modal: Option<Modal>,
    pub toast: Option<Toast>,
    /// Errors waiting to be read, oldest first; the first one is shown over everything.
    pub alerts: VecDeque<Alert>,
    /// Everything said this session.
    pub messages: MessageLog,
    /// How to undo the last change made in this session, when it can be undone.
    pub undo: Option<UndoStep>,
    /// Where the last frame drew what the mouse can reach.
    pub hits: HitMap,
    /// Text waiting to be put on the clipboard by the serve loop (OSC 52).
    clipboard: Option<String>,
    dirty: bool,
    quit: bool,
    fatal: Option<String>,
}

impl App {
    /// Builds the app and starts the search worker, which reports on `worker`.
    pub fn new(
        store: Arc<dyn Record>,
        operator: Operator,
        startup: Startup,
        worker: UnboundedSender<WorkerMsg>,
    ) -> Result<Self, StoreError> {
        let tenant = store.tenant()?;
        let policy = store.policy()?;
        let location = match store.kind() {
            crate::store::RecordKind::Simulated { path } => format!("db {path}"),
            graph => graph.label(),
        };
        let worker = Worker::start(Arc::clone(&store), worker);
        let mut app = Self {
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
            demo_world: None,
            told_sim_changes_tenant: false,
            in_flight: None,
            tenant_copy: None,
            troubleshoot: TroubleshootPane::default(),
            clock: startup.clock,
            sim_seed: startup.sim_seed,
            profile: None,
            profile_pending: 0,
            profile_answered: 0,
            sign_ins: None,
            sign_ins_pending: 0,
            sign_ins_answered: 0,
            catching_up: 0,
            modal: None,
            toast: None,
            alerts: VecDeque::new(),
            messages: MessageLog::default(),
            undo: None,
            hits: HitMap::default(),
            clipboard: None,
            dirty: true,
            quit: false,
            fatal: None,
        };
        if let Some(why) = startup.keymap_problem {
            app.alert(
                "Your keymap.toml was ignored",
                format!("{why}\nThe default keys are in use; fix the file and restart phonedesk."),
            );
        }
        Ok(app)
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

    /// Text the serve loop should put on the clipboard (OSC 52), once.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
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
            WorkerMsg::TenantReady => {
                self.lookup.status = IndexStatus::Tenant;
                self.run_query();
            }
            WorkerMsg::SearchFailed { generation, why } => {
                if generation != self.lookup.pending {
                    return;
                }
                self.lookup.answered = generation;
                self.lookup.hits = None;
                self.alert("The tenant could not answer the search", why);
            }
            WorkerMsg::SearchNote(note) => {
                if self.lookup.note.as_deref() != Some(note.as_str()) {
                    self.toast(crate::tui::widgets::toast::ToastKind::Info, note.clone());
                    self.lookup.note = Some(note);
                }
            }
            WorkerMsg::Profile { generation, loaded } => {
                if generation != self.profile_pending {
                    return;
                }
                self.profile_answered = generation;
                match loaded {
                    Ok(profile) => self.set_profile(Some(*profile)),
                    Err(why) => {
                        self.set_profile(None);
                        self.alert("Cannot show this user", why);
                    }
                }
            }
            WorkerMsg::SignIns { generation, loaded } => self.sign_ins_loaded(generation, loaded),
            WorkerMsg::Changed { id, outcome } => self.on_changed(id, outcome),
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

    /// Shows `profile`. A different user starts on their first slot: a selection made for
    /// one user never points at another user's number.
    fn set_profile(&mut self, profile: Option<Profile>) {
        let same = match (&self.profile, &profile) {
            (Some(old), Some(new)) => old.is(new.user.upn().as_str()),
            _ => false,
        };
        if !same {
            self.methods.selected = 0;
        }
        self.profile = profile;
        self.refresh_sign_ins();
    }

    /// Tells the worker that users changed (an edit, a simulation, a fix): it catches the index
    /// up from the change log and the query runs again.
    pub(super) fn users_changed(&mut self) {
        self.catching_up += 1;
        self.worker.catch_up();
    }

    /// Asks the worker for the profile of the selected row when the selection changed; the key
    /// that moved the selection does no I/O.
    fn load_selected(&mut self) {
        let Some(upn) = self.selected_upn() else {
            self.set_profile(None);
            self.profile_pending = self.worker.supersede_profile();
            self.profile_answered = self.profile_pending;
            return;
        };
        let shown = self.profile.as_ref().is_some_and(|p| p.is(&upn));
        if shown && self.profile_answered == self.profile_pending {
            return;
        }
        self.profile_pending = self.worker.load_profile(&upn);
    }

    /// Loads a profile again after an edit or a reveal, on the worker like every read of the
    /// record (on a real tenant it is a network call); it supersedes any load on its way.
    fn load_profile(&mut self, upn: &str, revealed: bool) {
        self.profile_pending = self.worker.load_profile_as(upn, revealed);
    }

    /// Reloads the shown profile after a change, keeping it revealed if it was.
    fn reload_profile(&mut self) {
        if let Some(upn) = self.profile_upn() {
            let revealed = self.profile.as_ref().is_some_and(|p| p.revealed);
            self.load_profile(&upn, revealed);
        }
    }

    /// True when the index is loaded and the newest query has its answer (tests wait for this).
    pub fn search_settled(&self) -> bool {
        if self.in_flight.is_some() {
            return false;
        }
        match self.lookup.status {
            IndexStatus::Loading => false,
            IndexStatus::Failed(_) => true,
            IndexStatus::Ready { .. } => {
                self.catching_up == 0
                    && self.lookup.answered == self.lookup.pending
                    && self.lookup.hits.as_ref().is_none_or(Hits::is_complete)
                    && self.profile_answered == self.profile_pending
                    && self.sign_ins_answered == self.sign_ins_pending
            }
            // A tenant's list may say "more" for good: it pages in as the operator scrolls.
            IndexStatus::Tenant => {
                self.catching_up == 0
                    && self.lookup.answered == self.lookup.pending
                    && self.profile_answered == self.profile_pending
                    && self.sign_ins_answered == self.sign_ins_pending
            }
        }
    }

    /// True when the newest query has its first answer (the screenful shown), even if the
    /// complete count is still being counted.
    pub fn search_answered(&self) -> bool {
        match self.lookup.status {
            IndexStatus::Loading => false,
            IndexStatus::Failed(_) => true,
            IndexStatus::Ready { .. } | IndexStatus::Tenant => {
                self.catching_up == 0 && self.lookup.answered == self.lookup.pending
            }
        }
    }

    // ----- input -----

    pub fn handle_event(&mut self, event: &Event) {
        match event {
            Event::Key(key) if key.kind == ratatui::crossterm::event::KeyEventKind::Press => {
                self.on_key(key);
            }
            Event::Paste(text) => self.on_paste(text),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(..) => self.dirty = true,
            _ => {}
        }
    }

    /// Who takes the next key.
    pub fn layer(&self) -> Layer {
        if !self.alerts.is_empty() {
            return Layer::Alert;
        }
        match &self.modal {
            Some(Modal::Help(help)) if help.filtering => Layer::HelpFilter,
            Some(Modal::Help(_)) => Layer::Help,
            Some(Modal::Messages(_)) => Layer::Messages,
            Some(Modal::Confirm(_)) => Layer::Confirm,
            Some(Modal::Phone(_)) => Layer::PhoneField,
            Some(Modal::Reason(_)) => Layer::Reason,
            Some(_) => Layer::Picker,
            None => match self.pane {
                PaneId::Lookup if self.lookup.focus == Focus::Search => Layer::SearchBox,
                PaneId::Lookup => Layer::Results,
                PaneId::Methods => Layer::Methods,
                PaneId::SignIn if self.signin.takes_text() => Layer::SignInField,
                PaneId::SignIn => Layer::SignIn,
                PaneId::Troubleshoot => Layer::Troubleshoot,
            },
        }
    }

    /// True while a text field has the keys (letters are text, not commands).
    pub fn is_typing(&self) -> bool {
        let layer = self.layer();
        layer.takes_all_text() || layer == Layer::SignInField
    }

    // ----- commands -----

    fn command(&mut self, command: Command) {
        if self.modal.is_some() {
            self.modal_command(command);
            return;
        }
        match command {
            Command::ForceQuit | Command::Quit => self.quit = true,
            Command::Help => self.open_help(),
            Command::Messages => self.open_messages(),
            Command::NextPane => self.switch_pane(1),
            Command::PrevPane => self.switch_pane(-1),
            Command::PaneLookup => self.pane = PaneId::Lookup,
            Command::PaneMethods => self.open_methods(),
            Command::PaneSignIn => self.pane = PaneId::SignIn,
            Command::PaneTroubleshoot => self.open_troubleshoot(),
            Command::FocusSearch => self.new_search(),
            Command::Copy => self.copy(),
            Command::Undo => self.ask_undo(),
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
        self.go_to(PaneId::ALL[next]);
    }

    /// Shows `pane`, doing what arriving there needs.
    pub(super) fn go_to(&mut self, pane: PaneId) {
        match pane {
            PaneId::Methods => self.open_methods(),
            PaneId::Troubleshoot => self.open_troubleshoot(),
            other => self.pane = other,
        }
    }

    /// Back to the Lookup pane's list: Esc never lands in a text field.
    pub(super) fn back_to_lookup(&mut self) {
        self.pane = PaneId::Lookup;
        self.lookup.focus = Focus::Results;
    }

    fn open_troubleshoot(&mut self) {
        self.pane = PaneId::Troubleshoot;
        self.troubleshoot_entered();
    }

    fn open_methods(&mut self) {
        self.pane = PaneId::Methods;
        if self.profile.is_none() {
            self.load_selected();
        } else {
            self.refresh_sign_ins();
        }
    }

    fn methods_command(&mut self, command: Command) {
        match command {
            Command::Down => self.methods.move_by(1),
            Command::Up => self.methods.move_by(-1),
            Command::Top => self.methods.selected = 0,
            Command::Bottom => self.methods.move_by(isize::MAX / 2),
            Command::Back => self.back_to_lookup(),
            Command::Reveal => self.reveal(),
            Command::Block => self.ask_block(),
            Command::Add => self.ask_number(super::widgets::phone_field::FieldMode::Add),
            Command::Edit | Command::Open => {
                self.ask_number(super::widgets::phone_field::FieldMode::Update);
            }
            Command::Delete => self.ask_delete(),
            Command::SmsSignIn => self.toggle_sms_sign_in(),
            Command::DefaultMethod => self.ask_default(),
            Command::FixNumber => self.ask_fix(),
            _ => {}
        }
    }
}
