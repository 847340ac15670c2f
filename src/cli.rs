//! The command line: the contract scripts and tests rely on. With no subcommand it starts the
//! terminal UI.
//!
//! Exit codes: 0 done; 1 refused (rule, validation, not found, in use, corrupt); 2 usage. Errors
//! are one line on stderr that says what and why.

mod admin_cmd;
mod output;
mod phone_cmd;
mod user_cmd;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config;
use crate::domain::{DefaultMethod, Operator, PhoneType, Role};
use crate::store::{self, Directory, StoreError, SystemClock};

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
    /// Read a tenant file; nothing is written unless the whole file is valid
    Import {
        /// The tenant file (- for standard input)
        file: PathBuf,
        /// Replace the users already in the database
        #[arg(long)]
        replace: bool,
    },
    /// The demo tenant and the large-tenant generator
    #[command(subcommand)]
    Demo(DemoCommand),
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Search by display name, UPN or any part of a phone number, in any format
    Search {
        /// Text to look for (empty lists everyone); filters: is:blocked is:ready is:nomethods
        /// is:admin is:guest
        query: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show a user's profile: directory phones, authentication phones, block state
    Show {
        upn: String,
        #[arg(long)]
        json: bool,
        /// Show authentication numbers in full (audited)
        #[arg(long)]
        reveal: bool,
    },
    /// Block the user from phone MFA until unblocked
    Block {
        upn: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Lift a block (admin block or fraud report)
    Unblock {
        upn: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Set the default MFA method: sms, voiceMobile, voiceAlternateMobile, voiceOffice or none
    SetDefault { upn: String, method: String },
}

#[derive(Subcommand, Debug)]
pub enum PhoneCommand {
    /// Check a number's shape and validity without saving anything
    Check {
        number: String,
        /// Region for numbers written without +CC (e.g. US)
        #[arg(long, value_name = "CC")]
        region: Option<String>,
        /// Check against a slot's rules too
        #[arg(long, value_name = "TYPE", value_parser = parse_slot)]
        slot: Option<PhoneType>,
        #[arg(long)]
        json: bool,
    },
    /// List a user's phone methods in Graph's shape
    List {
        upn: String,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        reveal: bool,
    },
    /// Register a number in an empty slot
    Add {
        upn: String,
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_slot)]
        phone_type: PhoneType,
        number: String,
    },
    /// Change the number in a slot
    Update {
        upn: String,
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_slot)]
        phone_type: PhoneType,
        number: String,
    },
    /// Remove the number from a slot
    Delete {
        upn: String,
        #[arg(long = "type", value_name = "TYPE", value_parser = parse_slot)]
        phone_type: PhoneType,
    },
    /// Enable or disable SMS sign-in on the mobile number
    SmsSignin {
        #[arg(value_parser = ["enable", "disable"])]
        action: String,
        upn: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Replace everything with the demo tenant
    Reset {
        /// Confirm: every user in the database is replaced
        #[arg(long)]
        yes: bool,
    },
    /// Write a deterministic tenant file of any size
    Generate {
        #[arg(long)]
        users: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Parses the arguments and runs the command. Returns the process exit code.
pub fn main() -> ExitCode {
    crate::panic_guard::install(crate::tui::terminal::restore);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Outcome {
    let operator = config::operator(cli.operator.clone(), cli.role).map_err(Failure::usage)?;
    let Some(command) = cli.command else {
        return start_ui(cli.db, &operator);
    };
    // Commands that need no database.
    match &command {
        Command::Phone(PhoneCommand::Check {
            number,
            region,
            slot,
            json,
        }) => return phone_cmd::check(number, region.as_deref(), *slot, *json),
        Command::Demo(DemoCommand::Generate { users, seed, out }) => {
            return admin_cmd::generate(*users, *seed, out);
        }
        Command::Demo(DemoCommand::Reset { yes: false }) => {
            return Err(Failure::usage(
                "demo reset replaces every user in the database; add --yes to confirm",
            ));
        }
        _ => {}
    }
    let store = open_store(cli.db)?;
    let seeds_demo = !matches!(command, Command::Import { .. } | Command::Demo(_));
    if seeds_demo && crate::demo::seed_if_empty(&store, &operator)? {
        eprintln!(
            "note: the database was empty; seeded the demo tenant into {}",
            store.location()
        );
    }
    dispatch(&store, &operator, command)
}

fn dispatch(store: &dyn Directory, operator: &Operator, command: Command) -> Outcome {
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
        Command::Export { out, reveal } => {
            admin_cmd::export(store, operator, out.as_deref(), reveal)
        }
        Command::Import { file, replace } => admin_cmd::import(store, operator, &file, replace),
        Command::Demo(DemoCommand::Reset { .. }) => admin_cmd::demo_reset(store, operator),
        Command::Demo(DemoCommand::Generate { .. }) => Ok(()),
    }
}

/// Opens the sled database the flags and environment name.
pub fn open_store(db: Option<PathBuf>) -> Result<store::Store<store::SledBackend>, Failure> {
    let path = config::database_path(db).map_err(Failure::refused)?;
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::refused(format!("cannot create {}: {e}", parent.display())))?;
    }
    Ok(store::open_sled(&path, Arc::new(SystemClock))?)
}

/// Opens the database, seeds it on first run, and hands over to the terminal UI.
fn start_ui(db: Option<PathBuf>, operator: &Operator) -> Outcome {
    if let Some(why) = crate::tui::terminal::refusal() {
        return Err(Failure::refused(why));
    }
    let store = open_store(db)?;
    crate::demo::seed_if_empty(&store, operator)?;
    let store: Arc<dyn Directory> = Arc::new(store);
    match crate::tui::run(store, operator.clone()) {
        Ok(0) => Ok(()),
        Ok(code) => std::process::exit(i32::from(code)),
        Err(why) => Err(Failure::refused(why)),
    }
}
