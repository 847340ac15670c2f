//! The application state and the one place where input becomes change.
//!
//! A key press is resolved to a [`Command`] through the keymap (or to text, in a field), then
//! `App` calls the store or the domain and marks the screen dirty. Drawing is a pure function of
//! this state (see [`super::view`]); nothing here draws, and no business rule lives here: edits go
//! through `Directory::edit`, numbers through the domain's checks.

use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc::UnboundedSender;

use super::keymap::{Command, Context, Keymap};
use super::panes::lookup::{Focus, IndexStatus, LookupPane, PAGE};
use super::panes::methods::MethodsPane;
use super::search::{Searcher, WorkerMsg};
use super::theme::Theme;
use super::widgets::dialog::{Confirm, PendingEdit, Picker, REASON_MAX_CHARS, ReasonPrompt};
use super::widgets::phone_field::{FieldMode, PhoneField};
use super::widgets::text_input::TextInput;
use super::widgets::toast::{Toast, ToastKind};
use crate::domain::diagnosis::{Diagnosis, diagnose};
use crate::domain::rules;
use crate::domain::search::Filter;
use crate::domain::{
    Block, DefaultMethod, Edit, Operator, PhoneMethod, PhoneType, Policy, Tenant, User,
};
use crate::store::{AuditEntry, Directory, SmsStatus, StoreError};

/// How many audit entries the Methods pane shows.
const AUDIT_ROWS: usize = 50;

/// The panes, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaneId {
    Lookup,
    Methods,
}

impl PaneId {
    pub const ALL: [Self; 2] = [Self::Lookup, Self::Methods];

    pub fn title(self) -> &'static str {
        match self {
            Self::Lookup => "Lookup",
            Self::Methods => "Methods",
        }
    }

    fn position(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// The selected user as the panes show them, loaded when the selection changes.
#[derive(Clone, Debug)]
pub struct Profile {
    pub user: User,
    /// What the domain says about each registered number, computed once per load.
    pub checks: Vec<(PhoneType, Diagnosis)>,
    pub sms: Option<SmsStatus>,
    pub active_block: Option<Block>,
    pub revealed: bool,
    pub audit: Vec<AuditEntry>,
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
}

/// Startup problems worth a toast (a bad keymap file).
pub struct Startup {
    pub keymap: Keymap,
    pub keymap_problem: Option<String>,
    pub theme: Theme,
}

pub struct App {
    pub store: Arc<dyn Directory>,
    pub operator: Operator,
    pub tenant: Tenant,
    /// The tenant policy, read once: it changes only by import, which needs a restart.
    pub policy: Policy,
    pub location: String,
    pub keymap: Keymap,
    pub theme: Theme,
    pub searcher: Searcher,
    pub pane: PaneId,
    pub lookup: LookupPane,
    pub methods: MethodsPane,
    pub profile: Option<Profile>,
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
        let searcher = Searcher::start(Arc::clone(&store), worker);
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
            keymap: startup.keymap,
            theme: startup.theme,
            searcher,
            pane: PaneId::Lookup,
            lookup: LookupPane::new(),
            methods: MethodsPane::default(),
            profile: None,
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

    /// When the loop must wake up even without input (a toast to expire).
    pub fn next_deadline(&self) -> Option<Instant> {
        self.toast.as_ref().map(|t| t.expires)
    }

    /// Time passed: expire what is due.
    pub fn tick(&mut self, now: Instant) {
        if self.toast.as_ref().is_some_and(|t| t.expires <= now) {
            self.toast = None;
            self.dirty = true;
        }
    }

    fn toast(&mut self, kind: ToastKind, text: impl Into<String>) {
        self.toast = Some(Toast::new(kind, text, Instant::now()));
        self.dirty = true;
    }

    // ----- background results -----

    pub fn on_worker(&mut self, msg: WorkerMsg) {
        match msg {
            WorkerMsg::IndexReady { users, took } => {
                self.lookup.status = IndexStatus::Ready { users, took };
                self.run_query();
            }
            WorkerMsg::IndexFailed(why) => self.lookup.status = IndexStatus::Failed(why),
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
        let query = self.lookup.query();
        let previous = self.lookup.hits.clone().filter(|h| query.refines(&h.query));
        self.lookup.pending = self.searcher.submit(query, previous);
        self.lookup.selected = 0;
    }

    fn selected_upn(&self) -> Option<String> {
        let hits = self.lookup.hits.as_ref()?;
        let row = *hits.rows.get(self.lookup.selected)?;
        self.searcher.index().entry(row).map(|e| e.upn.to_string())
    }

    /// Loads the profile of the selected row when it changed.
    fn load_selected(&mut self) {
        let Some(upn) = self.selected_upn() else {
            self.profile = None;
            return;
        };
        if self
            .profile
            .as_ref()
            .is_some_and(|p| p.user.upn().as_str().eq_ignore_ascii_case(&upn))
        {
            return;
        }
        self.profile = self.load_profile(&upn, false);
    }

    fn load_profile(&mut self, upn: &str, revealed: bool) -> Option<Profile> {
        let loaded = (|| {
            let user = self.store.user(upn)?;
            let sms = self.store.sms_status(&user)?;
            let audit = self.store.audit(Some(user.upn()), AUDIT_ROWS)?;
            Ok::<_, StoreError>((user, sms, audit))
        })();
        match loaded {
            Ok((user, sms, audit)) => Some(Profile {
                active_block: user.active_block(self.store.now()).cloned(),
                checks: user
                    .phone_methods
                    .iter()
                    .map(|m| {
                        let found =
                            diagnose(&m.phone_number, Some(m.phone_type), user.usage_location);
                        (m.phone_type, found)
                    })
                    .collect(),
                user,
                sms,
                revealed,
                audit,
            }),
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
            IndexStatus::Ready { .. } => self.lookup.answered == self.lookup.pending,
        }
    }

    /// True while a text field has the keys (letters are text, not commands).
    pub fn is_typing(&self) -> bool {
        match &self.modal {
            Some(Modal::Phone(_) | Modal::Reason(_)) => true,
            Some(_) => false,
            None => self.pane == PaneId::Lookup && self.lookup.focus == Focus::Search,
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
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let Some(input) = self.focused_input() else {
            return false;
        };
        let before = input.value().to_owned();
        let moved = match key.code {
            KeyCode::Char('w') if ctrl => input.delete_word(),
            KeyCode::Char('u') if ctrl => {
                input.set("");
                true
            }
            KeyCode::Char(c) if !ctrl && !alt => input.insert(c),
            KeyCode::Backspace => input.backspace(),
            KeyCode::Delete => input.delete(),
            KeyCode::Left => {
                input.left();
                true
            }
            KeyCode::Right => {
                input.right();
                true
            }
            KeyCode::Home => {
                input.home();
                true
            }
            KeyCode::End => {
                input.end();
                true
            }
            _ => false,
        };
        let changed = input.value() != before;
        if changed {
            self.text_changed();
        }
        moved
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
            Command::FocusSearch => {
                self.pane = PaneId::Lookup;
                self.lookup.focus = Focus::Search;
            }
            _ => match self.pane {
                PaneId::Lookup => self.lookup_command(command),
                PaneId::Methods => self.methods_command(command),
            },
        }
    }

    fn switch_pane(&mut self, step: isize) {
        let count = PaneId::ALL.len();
        let next = (self.pane.position() + count).saturating_add_signed(step) % count;
        match PaneId::ALL[next] {
            PaneId::Methods => self.open_methods(),
            other => self.pane = other,
        }
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

    fn modal_command(&mut self, command: Command) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        self.modal = match modal {
            Modal::Help { scroll } => match command {
                Command::Down => Some(Modal::Help {
                    scroll: scroll.saturating_add(1),
                }),
                Command::Up => Some(Modal::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                Command::PageDown => Some(Modal::Help {
                    scroll: scroll.saturating_add(10),
                }),
                Command::PageUp => Some(Modal::Help {
                    scroll: scroll.saturating_sub(10),
                }),
                Command::Quit => {
                    self.quit = true;
                    None
                }
                _ => None,
            },
            Modal::Confirm(dialog) => match command {
                Command::Confirm => {
                    self.apply(&dialog.pending);
                    None
                }
                Command::Deny | Command::Back => {
                    self.toast(ToastKind::Info, "cancelled; nothing changed");
                    None
                }
                _ => Some(Modal::Confirm(dialog)),
            },
            Modal::Phone(field) => self.phone_command(field, command),
            Modal::Reason(prompt) => match command {
                Command::Submit => self.submit_reason(prompt),
                Command::Cancel => None,
                _ => Some(Modal::Reason(prompt)),
            },
            Modal::DefaultMethod(mut picker) => match command {
                Command::Down => {
                    picker.down();
                    Some(Modal::DefaultMethod(picker))
                }
                Command::Up => {
                    picker.up();
                    Some(Modal::DefaultMethod(picker))
                }
                Command::Open => {
                    if let (Some(method), Some(upn)) =
                        (picker.chosen().copied(), self.profile_upn())
                    {
                        self.apply(&PendingEdit {
                            upn,
                            edit: Edit::SetDefault { method },
                            done: format!(
                                "default MFA method set to {}",
                                method.map_or("none", DefaultMethod::label)
                            ),
                            what: "set the default method".into(),
                        });
                    }
                    None
                }
                _ => None,
            },
            Modal::Filters(mut picker) => match command {
                Command::Down => {
                    picker.down();
                    Some(Modal::Filters(picker))
                }
                Command::Up => {
                    picker.up();
                    Some(Modal::Filters(picker))
                }
                Command::Open => {
                    if let Some(filter) = picker.chosen().copied() {
                        let text = filter.toggle_in(self.lookup.input.value());
                        self.lookup.input.set(&text);
                        self.run_query();
                    }
                    Some(Modal::Filters(picker))
                }
                _ => None,
            },
        };
    }

    fn phone_command(&mut self, mut field: Box<PhoneField>, command: Command) -> Option<Modal> {
        match command {
            Command::ApplySuggestion => {
                if !field.apply_suggestion() {
                    self.toast(ToastKind::Info, "no suggestion for this number");
                }
                Some(Modal::Phone(field))
            }
            Command::Cancel => None,
            Command::Submit => {
                let Some(number) = field.number().cloned() else {
                    let why = field.check().errors.first().map_or_else(
                        || "the number is not accepted".to_owned(),
                        |e| e.message.clone(),
                    );
                    self.toast(ToastKind::Error, why);
                    return Some(Modal::Phone(field));
                };
                let slot = field.slot;
                let pending = match field.mode {
                    FieldMode::Add => PendingEdit {
                        upn: field.upn.clone(),
                        edit: Edit::AddPhone {
                            slot,
                            number: number.clone(),
                        },
                        done: format!("added {} {}", slot.label().to_lowercase(), number.masked()),
                        what: format!("add {slot}"),
                    },
                    FieldMode::Update => PendingEdit {
                        upn: field.upn.clone(),
                        edit: Edit::UpdatePhone {
                            slot,
                            number: number.clone(),
                        },
                        done: format!(
                            "changed {} to {}",
                            slot.label().to_lowercase(),
                            number.masked()
                        ),
                        what: format!("update {slot}"),
                    },
                };
                if field.mode == FieldMode::Update {
                    // Replacing a number loses the old one: confirm like any destructive change.
                    let old = self
                        .profile
                        .as_ref()
                        .and_then(|p| p.user.method(slot))
                        .map(|m| m.phone_number.masked())
                        .unwrap_or_default();
                    return Some(Modal::Confirm(Confirm {
                        title: "Replace number?".into(),
                        message: vec![
                            format!(
                                "Replace the {} number of {}",
                                slot.label().to_lowercase(),
                                field.user_label
                            ),
                            format!("{old} → {number}"),
                        ],
                        pending,
                    }));
                }
                self.apply(&pending);
                None
            }
            _ => Some(Modal::Phone(field)),
        }
    }

    // ----- actions on the selected user -----

    fn profile_upn(&self) -> Option<String> {
        self.profile.as_ref().map(|p| p.user.upn().to_string())
    }

    fn user_label(&self) -> String {
        self.profile.as_ref().map_or_else(String::new, |p| {
            crate::domain::sanitize::display_safe(&p.user.display_name).into_owned()
        })
    }

    fn selected_method(&self) -> Option<&PhoneMethod> {
        self.profile.as_ref()?.user.method(self.methods.slot())
    }

    fn reveal(&mut self) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        match self.store.reveal(&self.operator, &upn, "tui profile") {
            Ok(_) => {
                self.profile = self.load_profile(&upn, true);
                self.toast(
                    ToastKind::Info,
                    format!("numbers of {upn} revealed; the reveal is audited"),
                );
            }
            Err(e) => self.toast(
                ToastKind::Error,
                format!("cannot reveal numbers of {upn}: {e}"),
            ),
        }
    }

    fn ask_block(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let block = profile.active_block.is_none();
        let title = if block {
            format!("Block {} from phone MFA", self.user_label())
        } else {
            format!("Unblock {}", self.user_label())
        };
        self.modal = Some(Modal::Reason(ReasonPrompt {
            title,
            input: TextInput::new(REASON_MAX_CHARS),
            upn: profile.user.upn().to_string(),
            block,
        }));
    }

    fn submit_reason(&mut self, prompt: ReasonPrompt) -> Option<Modal> {
        if prompt.input.value().trim().is_empty() {
            self.toast(ToastKind::Error, "a reason is required");
            return Some(Modal::Reason(prompt));
        }
        let reason = prompt.input.value().trim().to_owned();
        let (edit, done, what) = if prompt.block {
            (Edit::Block { reason }, "blocked", "block")
        } else {
            (Edit::Unblock { reason }, "unblocked", "unblock")
        };
        self.apply(&PendingEdit {
            upn: prompt.upn,
            edit,
            done: done.into(),
            what: what.into(),
        });
        None
    }

    fn ask_number(&mut self, mode: FieldMode) {
        let Some(profile) = &self.profile else {
            return;
        };
        let slot = self.methods.slot();
        let user = profile.user.clone();
        let revealed = profile.revealed;
        let existing = user.method(slot);
        let (verb, other) = match mode {
            FieldMode::Add => ("add", Command::Edit),
            FieldMode::Update => ("update", Command::Add),
        };
        match (mode, existing) {
            (FieldMode::Add, Some(_)) => {
                let hint = self.keymap.hint(other);
                self.toast(
                    ToastKind::Info,
                    format!("the {slot} slot has a number; press {hint} to change it"),
                );
                return;
            }
            (FieldMode::Update, None) => {
                let hint = self.keymap.hint(other);
                self.toast(
                    ToastKind::Info,
                    format!("the {slot} slot is empty; press {hint} to add a number"),
                );
                return;
            }
            _ => {}
        }
        // The rules that need no number are checked before the operator types one.
        let refusal = self
            .operator
            .may_act_on(&user)
            .err()
            .or_else(|| match mode {
                FieldMode::Add => rules::can_add(&user, slot, &self.policy).err(),
                FieldMode::Update => None,
            });
        if let Some(rule) = refusal {
            self.toast(
                ToastKind::Error,
                format!("cannot {verb} {slot} for {}: {rule}", user.upn()),
            );
            return;
        }
        // A masked number is not shown in full just because it is being edited.
        let current = existing.filter(|_| revealed).map(|m| &m.phone_number);
        let field = PhoneField::new(
            slot,
            mode,
            current,
            user.usage_location,
            user.upn().as_str(),
            &self.user_label(),
        );
        self.modal = Some(Modal::Phone(Box::new(field)));
    }

    /// Offers the domain's suggested correction for the selected number, shown masked unless the
    /// numbers are revealed: fixing a wrong country code needs no reveal.
    fn ask_fix(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let slot = self.methods.slot();
        let Some(method) = profile.user.method(slot) else {
            self.toast(ToastKind::Info, "this slot is empty");
            return;
        };
        let found = profile
            .checks
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, d)| d);
        let Some((suggestion, why)) = found.and_then(|d| {
            d.warnings
                .iter()
                .find_map(|w| w.suggestion.clone().map(|s| (s, w.message.clone())))
        }) else {
            self.toast(
                ToastKind::Info,
                format!("no correction to suggest for the {slot} number"),
            );
            return;
        };
        let show = |n: &crate::domain::PhoneNumber| {
            if profile.revealed {
                n.to_string()
            } else {
                n.masked()
            }
        };
        let message = vec![
            format!(
                "Replace the {} number of {}",
                slot.label().to_lowercase(),
                self.user_label()
            ),
            format!("{} → {}", show(&method.phone_number), show(&suggestion)),
            why,
        ];
        let done = format!(
            "corrected the {} number to {}",
            slot.label().to_lowercase(),
            suggestion.masked()
        );
        self.modal = Some(Modal::Confirm(Confirm {
            title: "Apply the suggested correction?".into(),
            message,
            pending: PendingEdit {
                upn: profile.user.upn().to_string(),
                edit: Edit::UpdatePhone {
                    slot,
                    number: suggestion,
                },
                done,
                what: format!("update {slot}"),
            },
        }));
    }

    fn ask_delete(&mut self) {
        let Some(method) = self.selected_method() else {
            self.toast(ToastKind::Info, "this slot is empty");
            return;
        };
        let slot = method.phone_type;
        let masked = method.phone_number.masked();
        let Some(upn) = self.profile_upn() else {
            return;
        };
        self.modal = Some(Modal::Confirm(Confirm {
            title: "Delete number?".into(),
            message: vec![
                format!(
                    "Delete the {} number {masked} of {}?",
                    slot.label().to_lowercase(),
                    self.user_label()
                ),
                "The user can no longer be called or texted on it.".into(),
            ],
            pending: PendingEdit {
                upn,
                edit: Edit::DeletePhone { slot },
                done: format!("deleted the {} number", slot.label().to_lowercase()),
                what: format!("delete {slot}"),
            },
        }));
    }

    fn toggle_sms_sign_in(&mut self) {
        let Some(upn) = self.profile_upn() else {
            return;
        };
        let enabled = self
            .profile
            .as_ref()
            .and_then(|p| p.user.method(PhoneType::Mobile))
            .is_some_and(|m| m.sms_sign_in_enabled);
        if enabled {
            self.modal = Some(Modal::Confirm(Confirm {
                title: "Disable SMS sign-in?".into(),
                message: vec![format!(
                    "{} will no longer sign in with their phone number and a text code.",
                    self.user_label()
                )],
                pending: PendingEdit {
                    upn,
                    edit: Edit::SetSmsSignIn { enabled: false },
                    done: "SMS sign-in disabled".into(),
                    what: "disable SMS sign-in".into(),
                },
            }));
        } else {
            self.apply(&PendingEdit {
                upn,
                edit: Edit::SetSmsSignIn { enabled: true },
                done: "SMS sign-in enabled".into(),
                what: "enable SMS sign-in".into(),
            });
        }
    }

    fn ask_default(&mut self) {
        let Some(profile) = &self.profile else {
            return;
        };
        let mut options: Vec<(String, Option<DefaultMethod>)> = DefaultMethod::ALL
            .iter()
            .filter(|m| profile.user.method(m.slot()).is_some())
            .map(|m| (format!("{} ({m})", m.label()), Some(*m)))
            .collect();
        options.push(("No default".into(), None));
        let selected = options
            .iter()
            .position(|(_, m)| *m == profile.user.default_mfa_method)
            .unwrap_or(0);
        self.modal = Some(Modal::DefaultMethod(Picker {
            title: "Default MFA method".into(),
            options,
            selected,
        }));
    }

    /// Performs a confirmed edit through the store, then refreshes what shows the user.
    fn apply(&mut self, pending: &PendingEdit) {
        let before_mobile = self
            .profile
            .as_ref()
            .and_then(|p| p.user.method(PhoneType::Mobile))
            .map(|m| m.phone_number.clone());
        match self.store.edit(&self.operator, &pending.upn, &pending.edit) {
            Ok(applied) => {
                let mut text = format!("saved: {} for {}", pending.done, pending.upn);
                if let Some(first) = applied.warnings.first() {
                    text.push_str(&format!(" (warning: {first})"));
                }
                let revealed = self.profile.as_ref().is_some_and(|p| p.revealed);
                self.profile = self.load_profile(&pending.upn, revealed);
                self.refresh_index(&applied.user, before_mobile.as_ref());
                self.toast(ToastKind::Success, text);
            }
            Err(StoreError::Io(e)) => {
                self.fatal = Some(format!("storage failed, nothing was saved: {e}"));
                self.dirty = true;
            }
            Err(e) => {
                let text = match e {
                    StoreError::Rule(rule) => {
                        format!("cannot {} for {}: {rule}", pending.what, pending.upn)
                    }
                    other => other.to_string(),
                };
                self.toast(ToastKind::Error, text);
            }
        }
    }

    /// Rebuilds the search entries an edit may have changed (the user, and whoever shares their
    /// old or new mobile number), then reruns the query so rows match the index.
    fn refresh_index(&mut self, user: &User, before_mobile: Option<&crate::domain::PhoneNumber>) {
        let mut upns = vec![user.upn().to_string()];
        let numbers = before_mobile
            .into_iter()
            .chain(user.method(PhoneType::Mobile).map(|m| &m.phone_number));
        for number in numbers {
            if let Ok(claims) = self.store.claims_on(number) {
                upns.extend(claims.into_iter().map(|c| c.upn_key));
            }
        }
        self.searcher.refresh(self.store.as_ref(), &upns);
        if matches!(self.lookup.status, IndexStatus::Ready { .. }) {
            let selected = self.lookup.selected;
            self.lookup.pending = self.searcher.invalidate();
            self.lookup.answered = self.lookup.pending;
            self.lookup.hits = Some(self.searcher.search_now(&self.lookup.query()));
            self.lookup.selected = selected;
            self.lookup.clamp();
        }
    }
}
