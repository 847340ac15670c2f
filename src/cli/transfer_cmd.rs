//! `phonedesk import` and `export`: a whole directory in and out as a tenant file, streamed, so a
//! million users take bounded memory both ways.

use std::io::Write;
use std::path::Path;

use super::output;
use super::progress::Progress;
use super::{Failure, Outcome};
use crate::domain::{Device, Operator, PhoneType, Policy, Tenant, User};
use crate::store::{AuditEntry, CommitStage, Directory, DirectoryImport, StoreError};
use crate::tenant_file::{self, Limits, TenantSink, TenantWriter};

/// Hands what the reader checked to the store's import, and shows how far it got.
struct ImportSink<'a> {
    import: Box<dyn DirectoryImport + 'a>,
    progress: Progress,
    size: Option<u64>,
}

impl TenantSink for ImportSink<'_> {
    fn tenant(&mut self, tenant: Tenant) {
        self.import.tenant(tenant);
    }

    fn policy(&mut self, policy: Policy) {
        self.import.policy(policy);
    }

    fn user(&mut self, _index: usize, user: User) -> Result<(), String> {
        self.import.add_user(&user).map_err(|e| e.to_string())
    }

    fn device(&mut self, device: Device) {
        self.import.add_device(device);
    }

    fn progress(&mut self, bytes: u64, users: usize) {
        let what = format!(
            "reading ({} users so far)",
            super::progress::thousands(users as u64)
        );
        self.progress.show(
            &what,
            bytes / 1_000_000,
            self.size.map(|s| s / 1_000_000),
            "MB",
        );
    }
}

pub fn import(store: &dyn Directory, operator: &Operator, file: &Path, replace: bool) -> Outcome {
    // Refused before a byte is read when the database holds users and --replace is missing, or
    // when the role does not cover the admins it would replace; the file's users are checked too.
    let import = crate::import_rule::begin(store, operator, replace)?;
    let stdin = file.as_os_str() == "-";
    let shown = if stdin {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let mut sink = ImportSink {
        import,
        progress: Progress::on_stderr(),
        size: None,
    };
    let read = if stdin {
        tenant_file::read_stream(
            std::io::stdin().lock(),
            store.now(),
            &mut sink,
            &Limits::default(),
        )
    } else {
        let opened = std::fs::File::open(file)
            .map_err(|e| Failure::refused(format!("cannot read {shown}: {e}")))?;
        sink.size = opened.metadata().ok().map(|m| m.len());
        tenant_file::read_stream(opened, store.now(), &mut sink, &Limits::default())
    };
    if let Err(problems) = read {
        sink.progress.done();
        for p in problems.iter().take(200) {
            eprintln!("error: {}", output::safe(&p.to_string()));
        }
        if problems.len() > 200 {
            eprintln!("error: ... and {} more", problems.len() - 200);
        }
        return Err(Failure::refused(format!(
            "{shown} has {} problem{}; nothing was imported",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )));
    }
    let ImportSink {
        import,
        mut progress,
        ..
    } = sink;
    let summary = import.commit(&mut |stage| match stage {
        CommitStage::Writing { written, total } => {
            progress.show("writing", written as u64, Some(total as u64), "users");
        }
        CommitStage::Indexing => progress.show("building the search index", 0, None, "users"),
        CommitStage::Switching => progress.show("switching to the new directory", 0, None, "users"),
    })?;
    progress.done();
    output::line(&format!(
        "imported {} users into {}{}",
        summary.users,
        store.location(),
        if summary.replaced > 0 {
            format!(" (replaced {})", summary.replaced)
        } else {
            String::new()
        }
    ));
    Ok(())
}

/// Why an export stopped: the database, or the output.
enum ExportError {
    Store(StoreError),
    Write(std::io::Error),
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Store(e) => e.into(),
            ExportError::Write(e) => Failure::refused(format!("cannot write the export: {e}")),
        }
    }
}

/// Writes the whole directory to `out` as a tenant file; returns (users, users kept masked).
fn write_tenant(
    store: &dyn Directory,
    operator: &Operator,
    reveal: bool,
    out: &mut dyn Write,
    progress: &mut Progress,
) -> Result<(usize, usize), ExportError> {
    let io = ExportError::Write;
    let claims = store.all_claims()?;
    let devices = crate::store::devices::all_devices(store.backend())?;
    let total = store.user_count()? as u64;
    let mut writer =
        TenantWriter::begin(out, &store.tenant()?, &store.policy()?, &devices).map_err(io)?;
    let (mut users, mut masked) = (0usize, 0usize);
    let mut failure = None;
    store.for_each_user_while(&mut |user| {
        let mobile_claims = user
            .method(PhoneType::Mobile)
            .and_then(|m| claims.get(&m.phone_number.without_extension().to_string()))
            .map_or(&[][..], Vec::as_slice);
        let revealed = reveal && operator.may_act_on(&user).is_ok();
        masked += usize::from(reveal && !revealed);
        users += 1;
        progress.show("exporting", users as u64, Some(total), "users");
        match writer.user(&user, mobile_claims, revealed) {
            Ok(()) => true,
            Err(e) => {
                failure = Some(io(e));
                false
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    writer.finish().map_err(io)?;
    Ok((users, masked))
}

pub fn export(
    store: &dyn Directory,
    operator: &Operator,
    out: Option<&Path>,
    reveal: bool,
) -> Outcome {
    if reveal {
        // Audited before a single number leaves the database.
        store.record(
            &AuditEntry::new(operator, store.now(), "numbers.reveal")
                .change(None, Some(format!("{} users", store.user_count()?)))
                .reason("export"),
        )?;
    }
    let mut progress = Progress::on_stderr();
    let (users, masked) = match out {
        Some(path) => {
            let mut stopped = None;
            let written = crate::atomic_file::write_with(path, |file| {
                write_tenant(store, operator, reveal, file, &mut progress).map_err(|e| match e {
                    ExportError::Write(e) => e,
                    // Kept aside so the database's own message reaches the operator.
                    store_error => {
                        stopped = Some(store_error);
                        std::io::Error::other("the export stopped")
                    }
                })
            });
            if let Some(e) = stopped {
                return Err(e.into());
            }
            let written = written
                .map_err(|e| Failure::refused(format!("cannot write {}: {e}", path.display())))?;
            progress.done();
            output::status(&format!(
                "exported {} users to {}",
                written.0,
                path.display()
            ));
            written
        }
        None => {
            let stdout = std::io::stdout();
            let on_terminal = std::io::IsTerminal::is_terminal(&stdout);
            let buffered = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            // On a terminal, characters in names that would act on it are written as escapes.
            let mut lock = output::TerminalJson::new(buffered, on_terminal);
            // Progress would mix with the file on a terminal: only when standard output is not one.
            let mut quiet = if on_terminal {
                Progress::silent()
            } else {
                progress
            };
            match write_tenant(store, operator, reveal, &mut lock, &mut quiet) {
                Ok(written) => {
                    let _ = lock.flush();
                    written
                }
                // A closed pipe (`| head`) ends the export quietly.
                Err(ExportError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(());
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    if masked > 0 {
        output::warn(&format!(
            "{masked} of {users} users' numbers stay masked: the {} role does not cover them (admins, or yourself); use --role privileged-auth-admin for a full backup",
            operator.role
        ));
    }
    Ok(())
}
