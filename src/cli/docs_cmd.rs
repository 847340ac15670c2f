//! `phonedesk completions SHELL` and `phonedesk man`: shell completions and the man page, both
//! generated from the clap definitions in `cli.rs`, so they cannot drift from the real options.
//! Neither opens the database.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Failure, Outcome};

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: Shell) -> Outcome {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "phonedesk", &mut script);
    write_stdout(&script)
}

/// Writes phonedesk(1) to standard output, or with `out_dir` one page per command
/// (`phonedesk.1`, `phonedesk-user.1`, `phonedesk-user-search.1`, ...) into that directory.
pub fn man(out_dir: Option<&Path>) -> Outcome {
    let command = Cli::command();
    if let Some(dir) = out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::refused(format!("cannot create {}: {e}", dir.display())))?;
        clap_mangen::generate_to(command, dir)
            .map_err(|e| Failure::refused(format!("cannot write to {}: {e}", dir.display())))?;
        super::output::status(&format!("wrote the man pages to {}", dir.display()));
        return Ok(());
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|e| Failure::refused(format!("cannot render the man page: {e}")))?;
    write_stdout(&page)
}

/// Generated text goes out as it is: it is phonedesk's own, with no data in it. A closed pipe
/// (`phonedesk man | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Outcome {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::refused(format!("cannot write: {e}")))
        }
        _ => Ok(()),
    }
}
