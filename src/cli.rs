//! The command line: the contract scripts and tests rely on. With no subcommand it starts the
//! terminal UI.
//!
//! Exit codes: 0 done; 1 refused (rule, validation, not found, in use, corrupt); 2 usage. Errors
//! are one line on stderr that says what and why.

mod admin_cmd;
mod demo_cmd;
mod device_cmd;
mod docs_cmd;
pub mod examples;
mod graph_cmd;
mod log_cmd;
mod output;
mod phone_cmd;
mod progress;
mod signin_cmd;
mod telecom_cmd;
mod transfer_cmd;
mod troubleshoot_cmd;
mod user_cmd;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config;
use crate::domain::time::Since;
use crate::domain::{DefaultMethod, Operator, PhoneType, Role, Timestamp};
use crate::sim::{Channel, Fault, Response, VirtualClock};
use crate::store::{self, Clock, Directory, Record, StoreError, SystemClock};

/// A failed command: what to print and which exit code to use.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Refused: a rule, validation, a missing user, a database problem (exit 1).
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }

    /// The command was used wrongly (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<crate::sim::SimError> for Failure {
    /// Store trouble is a refusal; an event or value the simulator cannot take is a usage error.
    fn from(e: crate::sim::SimError) -> Self {
        match e {
            crate::sim::SimError::Store(e) => e.into(),
            other => Self::usage(other.to_string()),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::refused(e.to_string())
    }
}

pub type Outcome = Result<(), Failure>;

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

fn parse_slot(s: &str) -> Result<PhoneType, String> {
    s.parse()
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    s.parse()
}

fn parse_response(s: &str) -> Result<Response, String> {
    s.parse()
}

fn parse_fault(s: &str) -> Result<Fault, String> {
    s.parse()
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Ok(true),
        "off" | "no" | "false" => Ok(false),
        _ => Err(format!("\"{s}\" is not on or off")),
    }
}

fn parse_since(s: &str) -> Result<Since, String> {
    s.parse()
        .map_err(|e: crate::domain::time::BadSince| e.to_string())
}

#[derive(Parser, Debug)]
#[command(
    name = "phonedesk",
    version,
    about = "Helpdesk tool for Entra ID phone authentication methods",
    long_about = "phonedesk looks users up, edits their phone authentication methods (mobile, \
alternate mobile, office) under Entra ID's rules, and keeps an audit trail. Run it without a \
command for the terminal UI; the commands below do the same work headless, for scripts.\n\n\
Authentication numbers are masked (country code and last two digits) unless --reveal is given; \
every reveal is audited."
)]
pub struct Cli {
    /// Database directory (else $PHONEDESK_DB, else the platform data directory)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Operator name recorded in the audit trail (else $USER)
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// Entra role: auth-admin acts on non-admin users only; privileged-auth-admin on everyone
    #[arg(long, global = true, value_name = "ROLE", value_parser = parse_role, default_value = "auth-admin")]
    pub role: Role,
    /// Work on a real tenant through Microsoft Graph (a tenant id or domain) instead of the
    /// simulated tenant; sign in first with `phonedesk login --tenant TENANT`
    #[arg(
        long,
        global = true,
        value_name = "TENANT",
        env = "PHONEDESK_TENANT",
        hide_env_values = true
    )]
    pub tenant: Option<String>,
    /// Microsoft Graph's endpoint (national clouds, tests)
    #[arg(long, global = true, value_name = "URL", env = "PHONEDESK_GRAPH_URL", default_value = crate::graph::DEFAULT_GRAPH_URL, hide_env_values = true)]
    pub graph_url: String,
    /// The sign-in endpoint (national clouds, tests)
    #[arg(long, global = true, value_name = "URL", env = "PHONEDESK_LOGIN_URL", default_value = crate::graph::DEFAULT_LOGIN_URL, hide_env_values = true)]
    pub login_url: String,
    /// The app phonedesk signs in as (default: Microsoft Graph Command Line Tools)
    #[arg(long, global = true, value_name = "ID", env = "PHONEDESK_CLIENT_ID", default_value = crate::graph::auth::DEFAULT_CLIENT_ID, hide_env_values = true)]
    pub client_id: String,
    /// How long one call to Microsoft Graph may take, in seconds, before phonedesk gives up
    #[arg(long, global = true, value_name = "SECONDS", env = "PHONEDESK_GRAPH_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=600), hide_env_values = true)]
    pub graph_timeout: u64,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Find, show, block and unblock users; set their default MFA method
    #[command(subcommand)]
    User(UserCommand),
    /// Check numbers; list, add, update and delete phone methods; SMS sign-in
    #[command(subcommand)]
    Phone(PhoneCommand),
    /// Show the audit trail, newest first
    Audit {
        /// Only entries about this user
        #[arg(long, value_name = "UPN")]
        user: Option<String>,
        /// At most this many entries
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write the directory as a tenant file (numbers masked unless --reveal)
    Export {
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Write authentication numbers in full (audited); needed for a backup that imports
        #[arg(long)]
        reveal: bool,
    },
    /// Read a tenant file; nothing is written unless the whole file is valid (an auth-admin
    /// imports only users without admin roles, and never over a directory with admins)
    Import {
        /// The tenant file (- for standard input)
        file: PathBuf,
        /// Replace the users already in the database
        #[arg(long)]
        replace: bool,
    },
    /// The demo tenant, the large-tenant generator and the guided sign-in demos
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Simulate a sign-in: SMS sign-in, MFA or password reset, by text or voice (an admin's
    /// needs privileged-auth-admin)
    #[command(subcommand)]
    Signin(SigninCommand),
    /// Show or change a simulated phone (power, signal, SMS, voicemail, blocked senders)
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Show the simulated telecom providers or inject a fault
    #[command(subcommand)]
    Telecom(TelecomCommand),
    /// Guided troubleshooting of a user's phone sign-in: runs the checks, applies the caller's
    /// answers, prints the path, the findings and the remedy (exit 0 when a remedy is reached);
    /// without --symptom, a check-up of every automatic check (exit 0)
    Troubleshoot(TroubleshootArgs),
    /// Check the whole database without changing it: every record, the SMS sign-in claims, the
    /// user count, the search index, the audit trail and the sign-in log (exit 0 when healthy)
    Doctor {
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Sign in to a real tenant (--tenant) with a code shown here and entered in a browser;
    /// the sign-in is saved readable by you alone and renewed when it expires
    Login,
    /// Remove the saved sign-in of a real tenant (--tenant)
    Logout,
    /// Show the sign-in log, newest first
    Log {
        /// Only attempts of this user
        #[arg(long, value_name = "UPN")]
        user: Option<String>,
        /// Only attempts that started at or after TIME: a UTC time (2026-11-28T09:00:00Z), a
        /// span back from now (90s, 30m, 1h, 2d, 1w), today or yesterday (from 00:00 UTC)
        #[arg(long, value_name = "TIME", value_parser = parse_since)]
        since: Option<Since>,
        /// At most this many attempts
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell); for bash:
    /// source <(phonedesk completions bash)
    Completions {
        /// The shell to complete for
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page, phonedesk(1); with --out-dir, write one page per command
    Man {
        /// Write phonedesk.1, phonedesk-user.1, phonedesk-user-search.1, ... into DIR
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// `phonedesk troubleshoot`.
#[derive(clap::Args, Debug)]
pub struct TroubleshootArgs {
    /// The user who cannot sign in
    pub upn: String,
    /// never-arrives, limit-reached, code-rejected, call-fails, user-blocked, no-method,
    /// sms-sign-in or sspr. Without it: a check-up that runs every automatic check and lists
    /// every problem (with --answer, --apply, --device or --ticket: the symptom the findings
    /// point to)
    #[arg(long, value_name = "SYMPTOM")]
    pub symptom: Option<String>,
    /// The caller's answer to a question, as STEP=ANSWER; ANSWER `device` reads the simulated
    /// phone instead (repeatable)
    #[arg(long = "answer", value_name = "STEP=ANSWER")]
    pub answers: Vec<String>,
    /// Answer every question about the phone from the simulated device
    #[arg(long)]
    pub device: bool,
    /// Confirm the remedy's action by its name and apply it (audited): unblock-user,
    /// replace-number, enable-sms-sign-in, move-to-office, set-default, reset-verification; the
    /// check that found the problem runs again and the walk goes on (repeatable)
    #[arg(long, value_name = "ACTION")]
    pub apply: Vec<String>,
    /// Write the Markdown ticket note to FILE (atomically)
    #[arg(long, value_name = "FILE")]
    pub ticket: Option<PathBuf>,
    /// Show numbers in full (audited)
    #[arg(long)]
    pub reveal: bool,
    /// Print the session as JSON
    #[arg(long)]
    pub json: bool,
}

/// How the simulated person behaves, and how the run is reported.
#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// What the person does next, in order: auto, code:NNNNNN, keys:KEYS (keys:#, keys:1234#,
    /// keys:0#1), none, answer, hangup, resend, wait:SECONDS [default: auto]
    #[arg(long = "respond", value_name = "R", value_parser = parse_response)]
    pub respond: Vec<Response>,
    /// Deterministic mode: the same seed gives the same codes, senders, routes and timeline
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print the timeline, the result and the sign-in records as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug, Clone)]
pub enum SigninCommand {
    /// SMS sign-in: the user types their phone number instead of a user name
    #[command(group(clap::ArgGroup::new("typed").required(true).args(["phone", "user"])))]
    SmsSignin {
        /// The number typed instead of a user name (with +country code)
        #[arg(long, value_name = "NUMBER")]
        phone: Option<String>,
        /// Or the user whose mobile number is typed (on a real tenant: their local copy's
        /// stand-in mobile, as Graph finds no user by an authentication phone)
        #[arg(long, value_name = "UPN")]
        user: Option<String>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Multi-factor authentication by text (mobile) or voice (mobile, alternateMobile, office)
    Mfa {
        /// The user signing in
        #[arg(long, value_name = "UPN")]
        user: String,
        /// sms or voice [default: the user's default method]
        #[arg(long, value_parser = parse_channel)]
        via: Option<Channel>,
        /// mobile, alternateMobile or office [default: from --via or the default method]
        #[arg(long, value_name = "TYPE", value_parser = parse_slot)]
        slot: Option<PhoneType>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Self-service password reset by text (mobile) or voice (mobile, office)
    Sspr {
        /// The user resetting their password
        #[arg(long, value_name = "UPN")]
        user: String,
        /// sms or voice [default: the user's default method]
        #[arg(long, value_parser = parse_channel)]
        via: Option<Channel>,
        /// mobile or office [default: from --via or the default method]
        #[arg(long, value_name = "TYPE", value_parser = parse_slot)]
        slot: Option<PhoneType>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Clear a user's count of consecutive failed verifications (audited; an admin's needs
    /// privileged-auth-admin)
    ClearFailures {
        /// The user whose count is cleared
        #[arg(long, value_name = "UPN")]
        user: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DeviceCommand {
    /// Show the conditions of a number's phone
    Show {
        /// The phone's number, as registered (+CC NUMBER)
        number: String,
    },
    /// Change the conditions of a number's phone (audited; the phone of an admin's number needs
    /// privileged-auth-admin)
    Set {
        /// The phone's number, as registered (+CC NUMBER)
        number: String,
        /// Switch the phone on or off
        #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
        power: Option<bool>,
        /// Give the phone mobile signal, or take it away
        #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
        signal: Option<bool>,
        /// The line's messaging service
        #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
        sms: Option<bool>,
        /// Forward unanswered calls to voicemail
        #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
        voicemail: Option<bool>,
        /// The line is a landline (takes calls, never texts)
        #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
        landline: Option<bool>,
        /// Block a short code or number (texts discarded, calls rejected)
        #[arg(long, value_name = "NUMBER")]
        block_sender: Vec<String>,
        /// Unblock a short code or number blocked before
        #[arg(long, value_name = "NUMBER")]
        unblock_sender: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TelecomCommand {
    /// The providers, their latency and their faults
    Status {
        /// Print the providers as JSON
        #[arg(long)]
        json: bool,
    },
    /// Inject a fault: none, sms-drop, call-fail or dtmf-loss (audited)
    Fault {
        /// The provider's name, as telecom status lists it
        provider: String,
        /// none, sms-drop, call-fail or dtmf-loss
        #[arg(value_parser = parse_fault)]
        fault: Fault,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Search by display name, UPN or any part of a phone number, in any format
    Search {
        /// Text to look for (empty lists everyone); filters: is:blocked is:ready is:nomethods
        /// is:admin is:guest
        query: Option<String>,
        /// At most this many users
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show a user's profile: directory phones, authentication phones, block state
    Show {
        /// The user's UPN (user principal name)
        upn: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
        /// Show authentication numbers in full (audited)
        /// Show authentication numbers in full (audited)
        #[arg(long)]
        reveal: bool,
    },
    /// Block the user from phone MFA until unblocked
    Block {
        /// The user's UPN
        upn: String,
        /// Why, for the audit trail (visible text)
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Lift a block (admin block or fraud report)
    Unblock {
        /// The user's UPN
        upn: String,
        /// Why, for the audit trail (visible text)
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Set the default MFA method: sms, voiceMobile, voiceAlternateMobile, voiceOffice or none
    SetDefault {
        /// The user's UPN
        upn: String,
        /// sms, voiceMobile, voiceAlternateMobile, voiceOffice or none
        method: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PhoneCommand {
    /// Check a number's shape and validity without saving anything
    Check {
        /// The number as written (+CC NUMBER, or national with --region)
        number: String,
        /// Region for numbers written without +CC (e.g. US)
        #[arg(long, value_name = "CC")]
        region: Option<String>,
        /// Check against a slot's rules too
        #[arg(long, value_name = "TYPE", value_parser = parse_slot)]
        slot: Option<PhoneType>,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// List a user's phone methods in Graph's shape
    List {
        /// The user's UPN
        upn: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
        /// Show authentication numbers in full (audited)
        #[arg(long)]
        reveal: bool,
    },
    /// Register a number in an empty slot
    Add {
        /// The user's UPN
        upn: String,
        /// The slot: mobile, alternateMobile or office
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_slot)]
        phone_type: PhoneType,
        /// The number as written; it is normalised to +CC NUMBER[xEXT] and checked first
        number: String,
    },
    /// Change the number in a slot
    Update {
        /// The user's UPN
        upn: String,
        /// The slot: mobile, alternateMobile or office
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_slot)]
        phone_type: PhoneType,
        /// The number as written; it is normalised to +CC NUMBER[xEXT] and checked first
        number: String,
    },
    /// Remove the number from a slot
    Delete {
        /// The user's UPN
        upn: String,
        /// The slot: mobile, alternateMobile or office
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_slot)]
        phone_type: PhoneType,
    },
    /// Enable or disable SMS sign-in on the mobile number
    SmsSignin {
        /// enable or disable
        #[arg(value_parser = ["enable", "disable"])]
        action: String,
        /// The user's UPN
        upn: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Replace everything with the demo tenant (it holds admins: privileged-auth-admin only)
    Reset {
        /// Confirm: every user in the database is replaced
        #[arg(long)]
        yes: bool,
    },
    /// Write a deterministic tenant file of any size
    Generate {
        /// How many users
        #[arg(long)]
        users: usize,
        /// The same seed writes the same file
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The tenant file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Play a guided sign-in demo headless, step by step (names: see demo list), on a sandbox
    /// copy of its cast: the database is not changed, and every play ends the same way
    Play {
        /// The demo's name, as demo list shows it
        name: String,
    },
    /// Reset the simulated world: phone conditions, telecom faults, send and failure counters
    /// and live codes (users, their methods, the audit trail and the sign-in log stay)
    ResetWorld,
    /// List the guided sign-in demos
    List,
}

/// Parses the arguments and runs the command. Returns the process exit code.
pub fn main() -> ExitCode {
    crate::panic_guard::install(crate::tui::terminal::restore);
    crate::watchdog::arm(|why| {
        crate::tui::terminal::restore();
        eprintln!("error: {why}");
        std::process::exit(1);
    });
    // The clap definitions, with each command's examples after its help.
    let parsed = examples::command()
        .try_get_matches()
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // A usage error quotes the argument it could not take; clap writes it raw (ESC,
            // U+2028 and all) when stderr is a terminal. Its plain text goes out line by line,
            // display-safe, with exit 2.
            for text in e.render().to_string().lines() {
                output::status(text);
            }
            return ExitCode::from(2);
        }
        Err(e) => {
            // Help and version: phonedesk's own text, to stdout with 0.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // A denied sign-in has already said so on stdout; it has no message of its own.
            // The message may quote an argument or a file ("no user ..."): display-safe.
            if !failure.message.is_empty() {
                output::error(&failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Outcome {
    // Generated from the definitions: no operator, no database.
    match &cli.command {
        Some(Command::Completions { shell }) => return docs_cmd::completions(*shell),
        Some(Command::Man { out_dir }) => return docs_cmd::man(out_dir.as_deref()),
        _ => {}
    }
    if let Some(graph) = graph_config(&cli)? {
        return run_on_tenant(cli, &graph);
    }
    let operator = config::operator(cli.operator.clone(), cli.role).map_err(Failure::usage)?;
    let Some(command) = cli.command else {
        return start_ui(cli.db, &operator);
    };
    if let Some(done) = without_a_directory(&command) {
        return done;
    }
    match &command {
        Command::Demo(DemoCommand::Reset { yes: false }) => {
            return Err(Failure::usage(
                "demo reset replaces every user in the database; add --yes to confirm",
            ));
        }
        Command::Signin(cmd) => signin_cmd::check_usage(cmd)?,
        Command::Login | Command::Logout => {
            return Err(Failure::usage(
                "name the tenant to sign in to: --tenant TENANT (a tenant id or domain), or set PHONEDESK_TENANT",
            ));
        }
        _ => {}
    }
    // Simulations run on virtual time; the store shares the clock so its audit entries agree.
    // Other commands follow the wall clock. Both continue the database's time line: never
    // before an instant an earlier simulation reached (see `sim::clock`).
    let clock = Arc::new(VirtualClock::at(Timestamp::now()));
    let store_clock = if command.is_simulation() {
        clock.clone()
    } else {
        Arc::new(VirtualClock::live())
    };
    let store = open_store_with(cli.db, store_clock.clone())?;
    clock.resume(store.backend())?;
    store_clock.resume(store.backend())?;
    if let Command::Doctor { json } = command {
        return admin_cmd::doctor(&store, json);
    }
    let seeds_demo = !matches!(
        command,
        Command::Import { .. }
            | Command::Demo(
                DemoCommand::Reset { .. } | DemoCommand::Generate { .. } | DemoCommand::List
            )
    );
    if seeds_demo && crate::demo::seed_if_empty(&store, &operator)? {
        output::note(&format!(
            "the database was empty; seeded the demo tenant into {}",
            crate::store::Record::location(&store)
        ));
    }
    dispatch(&store, &operator, &clock, command)
}

impl Command {
    /// Commands that run the simulator on virtual time.
    fn is_simulation(&self) -> bool {
        matches!(self, Self::Signin(_) | Self::Demo(DemoCommand::Play { .. }))
    }
}

/// The commands that need no directory of record (the same in both modes).
fn without_a_directory(command: &Command) -> Option<Outcome> {
    match command {
        Command::Phone(PhoneCommand::Check {
            number,
            region,
            slot,
            json,
        }) => Some(phone_cmd::check(number, region.as_deref(), *slot, *json)),
        Command::Demo(DemoCommand::Generate { users, seed, out }) => {
            Some(admin_cmd::generate(*users, *seed, out))
        }
        Command::Demo(DemoCommand::List) => Some(demo_cmd::list()),
        _ => None,
    }
}

/// The tenant named by `--tenant` or `PHONEDESK_TENANT`, if any.
fn graph_config(cli: &Cli) -> Result<Option<crate::graph::GraphConfig>, Failure> {
    let Some(tenant) = cli.tenant.as_deref().map(str::trim) else {
        return Ok(None);
    };
    if tenant.is_empty() {
        return Ok(None);
    }
    if tenant
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '/')
    {
        return Err(Failure::usage(format!(
            "\"{}\" is not a tenant id or domain",
            output::safe(tenant)
        )));
    }
    Ok(Some(crate::graph::GraphConfig {
        tenant: tenant.to_owned(),
        graph_url: cli.graph_url.trim().to_owned(),
        login_url: cli.login_url.trim().to_owned(),
        client_id: cli.client_id.trim().to_owned(),
        timeout: std::time::Duration::from_secs(cli.graph_timeout),
    }))
}

/// One command on a real tenant: the record's commands go to Graph; the simulator's are
/// refused, as they never touch a real tenant.
fn run_on_tenant(cli: Cli, graph: &crate::graph::GraphConfig) -> Outcome {
    let Some(command) = cli.command else {
        return start_ui_on_tenant(&cli, graph);
    };
    if let Some(done) = without_a_directory(&command) {
        return done;
    }
    let simulated_only = match &command {
        Command::Login => return graph_cmd::login(graph),
        Command::Logout => return graph_cmd::logout(graph),
        Command::Device(_) => Some("device"),
        Command::Telecom(_) => Some("telecom"),
        // A guided demo plays on the embedded demo tenant, in a sandbox of its own.
        Command::Demo(DemoCommand::Play { .. }) => None,
        Command::Demo(DemoCommand::Reset { .. }) => Some("demo reset"),
        Command::Demo(DemoCommand::ResetWorld) => Some("demo reset-world"),
        Command::Demo(_) => Some("demo"),
        Command::Import { .. } => Some("import"),
        Command::Export { .. } => Some("export"),
        Command::Doctor { .. } => Some("doctor"),
        // `signin mfa|sspr` plays on a sandbox copy; the others are refused there.
        _ => None,
    };
    if let Some(what) = simulated_only {
        return Err(graph_cmd::simulated_only(what, &graph.tenant));
    }
    let record = graph_cmd::open(graph, cli.db.clone())?;
    let operator = config::operator(operator_name(cli.operator.clone(), &record), cli.role)
        .map_err(Failure::usage)?;
    match command {
        Command::Signin(cmd) => graph_cmd::simulate_on_copy(&record, &operator, cmd),
        Command::Demo(DemoCommand::Play { name }) => {
            let clock = Arc::new(VirtualClock::at(crate::domain::Timestamp::now()));
            demo_cmd::play(&record, &operator, clock, &name)
        }
        command => dispatch_record(&record, &operator, command),
    }
}

fn dispatch(
    store: &dyn Directory,
    operator: &Operator,
    clock: &Arc<VirtualClock>,
    command: Command,
) -> Outcome {
    match command {
        command @ (Command::User(_)
        | Command::Phone(_)
        | Command::Audit { .. }
        | Command::Log { .. }) => dispatch_record(store, operator, command),
        Command::Login | Command::Logout | Command::Completions { .. } | Command::Man { .. } => {
            Ok(())
        }
        Command::Export { out, reveal } => {
            transfer_cmd::export(store, operator, out.as_deref(), reveal)
        }
        Command::Import { file, replace } => transfer_cmd::import(store, operator, &file, replace),
        Command::Demo(DemoCommand::Reset { .. }) => admin_cmd::demo_reset(store, operator),
        Command::Demo(DemoCommand::Generate { .. } | DemoCommand::List) => Ok(()),
        Command::Demo(DemoCommand::Play { name }) => {
            demo_cmd::play(store, operator, clock.clone(), &name)
        }
        Command::Demo(DemoCommand::ResetWorld) => demo_cmd::reset_world(store, operator),
        Command::Signin(cmd) => signin_cmd::run(store, operator, clock.clone(), cmd),
        Command::Device(DeviceCommand::Show { number }) => device_cmd::show(store, &number),
        Command::Device(DeviceCommand::Set {
            number,
            power,
            signal,
            sms,
            voicemail,
            landline,
            block_sender,
            unblock_sender,
        }) => device_cmd::set(
            store,
            operator,
            &number,
            device_cmd::Conditions {
                power,
                signal,
                sms,
                voicemail,
                landline,
                block: block_sender,
                unblock: unblock_sender,
            },
        ),
        Command::Telecom(TelecomCommand::Status { json }) => telecom_cmd::status(store, json),
        Command::Telecom(TelecomCommand::Fault { provider, fault }) => {
            telecom_cmd::fault(store, operator, &provider, fault)
        }
        Command::Doctor { .. } => Ok(()),
        command @ Command::Troubleshoot(_) => dispatch_record(store, operator, command),
    }
}

/// The commands that work on any directory of record: the simulated tenant or a real one.
fn dispatch_record(store: &dyn Record, operator: &Operator, command: Command) -> Outcome {
    match command {
        Command::User(cmd) => match cmd {
            UserCommand::Search { query, limit, json } => {
                user_cmd::search(store, query.as_deref().unwrap_or(""), limit, json)
            }
            UserCommand::Show { upn, json, reveal } => {
                user_cmd::show(store, operator, &upn, json, reveal)
            }
            UserCommand::Block { upn, reason } => {
                user_cmd::block(store, operator, &upn, &reason, true)
            }
            UserCommand::Unblock { upn, reason } => {
                user_cmd::block(store, operator, &upn, &reason, false)
            }
            UserCommand::SetDefault { upn, method } => {
                let method = match method.trim().to_ascii_lowercase().as_str() {
                    "none" => None,
                    _ => Some(method.parse::<DefaultMethod>().map_err(Failure::usage)?),
                };
                user_cmd::set_default(store, operator, &upn, method)
            }
        },
        Command::Phone(cmd) => match cmd {
            PhoneCommand::Check { .. } => Ok(()),
            PhoneCommand::List { upn, json, reveal } => {
                phone_cmd::list(store, operator, &upn, json, reveal)
            }
            PhoneCommand::Add {
                upn,
                phone_type,
                number,
            } => phone_cmd::save(store, operator, &upn, phone_type, &number, false),
            PhoneCommand::Update {
                upn,
                phone_type,
                number,
            } => phone_cmd::save(store, operator, &upn, phone_type, &number, true),
            PhoneCommand::Delete { upn, phone_type } => {
                phone_cmd::delete(store, operator, &upn, phone_type)
            }
            PhoneCommand::SmsSignin { action, upn } => {
                phone_cmd::sms_sign_in(store, operator, &upn, action == "enable")
            }
        },
        Command::Audit { user, limit, json } => {
            admin_cmd::audit(store, user.as_deref(), limit, json)
        }
        Command::Log {
            user,
            since,
            limit,
            json,
        } => log_cmd::show(store, user.as_deref(), since, limit, json),
        Command::Troubleshoot(args) => troubleshoot_cmd::run(store, operator, &args),
        _ => Ok(()),
    }
}

/// Opens the sled database that the flags and the environment name.
pub fn open_store(db: Option<PathBuf>) -> Result<store::Store<store::SledBackend>, Failure> {
    open_store_with(db, Arc::new(SystemClock))
}

/// Opens the sled database that the flags and the environment name, stamping with `clock`.
pub fn open_store_with(
    db: Option<PathBuf>,
    clock: Arc<dyn Clock>,
) -> Result<store::Store<store::SledBackend>, Failure> {
    let path = config::database_path(db).map_err(Failure::refused)?;
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::refused(format!("cannot create {}: {e}", parent.display())))?;
    }
    // An upgrade of an older database says so before it starts: it may take a while.
    Ok(store::open_sled_with(&path, clock, &|notice| {
        output::note(notice);
    })?)
}

/// The terminal UI on a real tenant: every call to it runs on the UI's worker.
fn start_ui_on_tenant(cli: &Cli, graph: &crate::graph::GraphConfig) -> Outcome {
    if let Some(why) = crate::tui::terminal::refusal() {
        return Err(Failure::refused(why));
    }
    let record = graph_cmd::open(graph, cli.db.clone())?;
    let operator = config::operator(operator_name(cli.operator.clone(), &record), cli.role)
        .map_err(Failure::usage)?;
    let record: Arc<dyn Record> = Arc::new(record);
    match crate::tui::run(record, operator, Arc::new(VirtualClock::live())) {
        Ok(0) => Ok(()),
        Ok(code) => std::process::exit(i32::from(code)),
        Err(why) => Err(Failure::refused(why)),
    }
}

/// The audit names the signed-in account unless --operator says otherwise.
fn operator_name(flag: Option<String>, record: &dyn Record) -> Option<String> {
    flag.or_else(|| match record.kind() {
        crate::store::RecordKind::Graph { account, .. } => account,
        crate::store::RecordKind::Simulated { .. } => None,
    })
}

/// Opens the database, seeds it on first run, and hands over to the terminal UI.
fn start_ui(db: Option<PathBuf>, operator: &Operator) -> Outcome {
    if let Some(why) = crate::tui::terminal::refusal() {
        return Err(Failure::refused(why));
    }
    // One live clock for the whole app: real time plus whatever the operator fast-forwards in
    // the Sign-in pane, shared by the store so audit entries and the sign-in log agree.
    let clock = Arc::new(VirtualClock::live());
    let store = open_store_with(db, clock.clone())?;
    clock.resume(store.backend())?;
    crate::demo::seed_if_empty(&store, operator)?;
    let store: Arc<dyn Directory> = Arc::new(store);
    match crate::tui::run(store, operator.clone(), clock) {
        Ok(0) => Ok(()),
        Ok(code) => std::process::exit(i32::from(code)),
        Err(why) => Err(Failure::refused(why)),
    }
}
