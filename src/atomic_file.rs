//! Writing a file so that a failure never leaves half of it behind: exports, ticket notes,
//! generated tenants, the search index.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `text` to `path` through a temporary file beside it, synced, then renamed over it.
pub fn write(path: &Path, text: &str) -> io::Result<()> {
    write_with(path, |out| out.write_all(text.as_bytes()))
}

/// Streams a file into place: `fill` writes into a temporary file beside `path`, which is then
/// flushed, synced and renamed over `path`, and the directory is synced so the rename survives
/// a crash too. On any failure the temporary file is removed and `path` is left as it was.
pub fn write_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<T>,
) -> io::Result<T> {
    let tmp = path.with_extension("tmp-phonedesk");
    let result = File::create(&tmp).and_then(|file| {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let value = fill(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Best effort: some file systems refuse to sync a directory handle.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(value)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_stream_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write(&path, "old").unwrap();
        let failed = write_with(&path, |out| {
            out.write_all(b"half of the new")?;
            Err::<(), _>(io::Error::other("generator failed"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let n = write_with(&path, |out| out.write_all(b"new").map(|()| 3)).unwrap();
        assert_eq!(
            (n, std::fs::read_to_string(&path).unwrap()),
            (3, "new".to_owned())
        );
    }
}
