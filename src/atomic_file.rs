//! Writing a file so that a failure never leaves half of it behind: exports, ticket notes, the
//! search index.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file beside it, synced, then renamed over it.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    write_with(path, &mut |out| out.write_all(text.as_bytes()))
}

/// Streams a file into place: `fill` writes into a buffered temporary file beside `path`, which
/// is synced and renamed over `path`, and the directory is synced so the rename survives a
/// crash too. On any failure the temporary file is removed and `path` is untouched.
pub fn write_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp-phonedesk");
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut out)?;
        let file = out
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Best effort: some file systems refuse to sync a directory handle.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
