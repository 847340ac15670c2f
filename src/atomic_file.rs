//! Writing a file so that a failure never leaves half of it behind: exports, ticket notes.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file beside it, synced, then renamed over it.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp-phonedesk");
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
