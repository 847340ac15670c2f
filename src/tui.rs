//! The terminal UI: a shell with a title bar, the panes of [`app::PaneId::ALL`], a footer of key
//! hints and a status line. See `app` for state and input, `view` for drawing, `event_loop` for
//! the serve loop, `input` for reading the terminal, `terminal` for restoring it on every exit
//! path and `safe_backend` for the filter every drawn cell passes.

pub mod app;
pub mod clipboard;
pub mod event_loop;
pub mod history;
pub mod hits;
pub mod input;
pub mod keymap;
pub mod messages;
pub mod panes;
pub mod profile;
pub mod safe_backend;
pub mod sort;
pub mod tenant_search;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod when;
pub mod widgets;
pub mod words;
pub mod worker;

use std::sync::Arc;

use crate::domain::Operator;
use crate::sim::VirtualClock;
use crate::store::Record;

/// The longest keymap file read: a few hundred bindings need a few kilobytes.
const MAX_KEYMAP_BYTES: u64 = 64 * 1024;

/// Reads the user's keymap file, if any: `(path, text, problem)`.
fn user_keymap() -> (Option<std::path::PathBuf>, Option<String>, Option<String>) {
    use std::io::Read;
    let Some(path) = crate::config::config_dir().map(|d| d.join("keymap.toml")) else {
        return (None, None, None);
    };
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (None, None, None),
        Err(e) => {
            let why = format!("cannot read {}: {e}", path.display());
            return (Some(path), None, Some(why));
        }
    };
    let mut text = String::new();
    match file.take(MAX_KEYMAP_BYTES + 1).read_to_string(&mut text) {
        Ok(n) if n as u64 > MAX_KEYMAP_BYTES => {
            let why = format!(
                "{} is longer than {} KiB",
                path.display(),
                MAX_KEYMAP_BYTES / 1024
            );
            (Some(path), None, Some(why))
        }
        Ok(_) => (Some(path), Some(text), None),
        Err(e) => {
            let why = format!("cannot read {}: {e}", path.display());
            (Some(path), None, Some(why))
        }
    }
}

/// The keymap, theme and clock the UI starts with, and any problem loading them.
pub fn startup(clock: Arc<VirtualClock>) -> app::Startup {
    let (path, text, read_problem) = user_keymap();
    let (keymap, parse_problem) = keymap::Keymap::with_user_file(text.as_deref());
    // Each mistake is "line L, column C: …": name the file once, in front.
    let parse_problem = parse_problem.map(|why| match &path {
        Some(path) => format!("{}:\n{why}", path.display()),
        None => why,
    });
    app::Startup {
        keymap,
        keymap_problem: read_problem.or(parse_problem),
        theme: theme::Theme::from_env(),
        clock,
        sim_seed: None,
        region: crate::config::operator_region().ok().flatten(),
    }
}

/// Runs the UI to the end on `store`, whose clock is `clock`. Returns the process exit code.
pub fn run(
    store: Arc<dyn Record>,
    operator: Operator,
    clock: Arc<VirtualClock>,
) -> Result<u8, String> {
    if let Some(why) = terminal::refusal() {
        return Err(why);
    }
    // The phone metadata loads in a few milliseconds: off the key path, before the first number.
    std::thread::spawn(crate::domain::phone::load_metadata);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    let exit = runtime
        .block_on(event_loop::serve(store, operator, startup(clock)))
        .map_err(|e| format!("terminal error: {e}"))?;
    match exit {
        event_loop::Exit::Quit => Ok(0),
        event_loop::Exit::Signal(code) => Ok(code),
        event_loop::Exit::Fatal(why) => Err(why),
    }
}
