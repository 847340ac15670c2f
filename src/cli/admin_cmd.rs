//! `phonedesk audit`, `export`, `import`, `demo ...`

use std::path::Path;

use super::output::{self, safe};
use super::{Failure, Outcome};
use crate::domain::Operator;
use crate::store::{Directory, Record};

pub fn audit(store: &dyn Record, user: Option<&str>, limit: usize, json: bool) -> Outcome {
    let upn = super::user_cmd::existing_user(store, user)?;
    let entries = store.audit(upn.as_ref(), limit)?;
    if json {
        return output::json(&serde_json::json!({ "value": entries }));
    }
    // Graph's request id, which Microsoft support asks for, once any entry has one.
    let with_request = entries.iter().any(|e| e.request_id.is_some());
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let change = match (&e.before, &e.after) {
                (Some(b), Some(a)) => format!("{} -> {}", safe(b), safe(a)),
                (None, Some(a)) => safe(a),
                (Some(b), None) => safe(b),
                (None, None) => String::new(),
            };
            let mut row = vec![
                e.at.to_string(),
                format!("{} ({})", safe(&e.operator), e.role),
                e.action.clone(),
                e.target.as_deref().map_or_else(|| "-".to_owned(), safe),
                change,
                e.reason.as_deref().map_or_else(String::new, safe),
            ];
            if with_request {
                row.push(e.request_id.as_deref().map_or_else(String::new, safe));
            }
            row
        })
        .collect();
    let mut header = vec!["TIME", "OPERATOR", "ACTION", "USER", "CHANGE", "REASON"];
    if with_request {
        header.push("REQUEST ID");
    }
    output::table(&header, &rows);
    Ok(())
}

/// Writes a file atomically, as a one-line refusal when it cannot.
pub(super) fn write_atomically(path: &Path, text: &str) -> Result<(), Failure> {
    crate::atomic_file::write(path, text)
        .map_err(|e| Failure::refused(format!("cannot write {}: {e}", path.display())))
}

pub fn demo_reset(store: &dyn Directory, operator: &Operator) -> Outcome {
    let summary = crate::demo::reset(store, operator)?;
    output::line(&format!(
        "restored the demo tenant: {} users (replaced {})",
        summary.users, summary.replaced
    ));
    Ok(())
}

pub fn generate(users: usize, seed: u64, out: &Path) -> Outcome {
    use crate::demo::generate::{Pass, write_tenant};
    use std::io::IsTerminal;
    const MAX_USERS: usize = 2_000_000;
    if users == 0 || users > MAX_USERS {
        return Err(Failure::usage(format!("--users takes 1 to {MAX_USERS}")));
    }
    // Progress only on a terminal; in a pipe or a log the summary line is all.
    let show = std::io::stderr().is_terminal();
    let mut progress = |pass: Pass, done: usize| {
        if show {
            let what = match pass {
                Pass::Checking => "checking numbers",
                Pass::Writing => "writing",
            };
            eprint!("\r{what}: {done} of {users} users   ");
        }
    };
    let now = crate::domain::Timestamp::from_secs(1_767_225_600);
    let written = crate::atomic_file::write_with(out, |file| {
        write_tenant(users, seed, now, file, &mut progress).map(|(_, n)| n)
    });
    if show {
        eprint!("\r{:60}\r", "");
    }
    let written =
        written.map_err(|e| Failure::refused(format!("cannot write {}: {e}", out.display())))?;
    output::line(&format!(
        "wrote {written} users (seed {seed}) to {}",
        out.display()
    ));
    Ok(())
}

/// `phonedesk doctor`: every problem on its own line, exit 0 only when healthy.
pub fn doctor<B: crate::store::Backend>(store: &crate::store::Store<B>, json: bool) -> Outcome {
    let report = store.doctor()?;
    if json {
        output::json(&report)?;
    } else {
        for finding in &report.findings {
            output::line(&format!("{}: {}", finding.area, safe(&finding.detail)));
        }
        for note in &report.notes {
            output::line(&format!("note: {}", safe(note)));
        }
        output::line(&format!(
            "{}: {} users, {} audit entries, {} sign-in attempts checked in {}",
            if report.healthy() {
                "healthy"
            } else {
                "problems found"
            },
            report.users,
            report.audit_entries,
            report.sign_ins,
            crate::store::Record::location(store)
        ));
    }
    if report.healthy() {
        Ok(())
    } else {
        Err(Failure::refused(format!(
            "{} problem{} in {}",
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" },
            crate::store::Record::location(store)
        )))
    }
}
