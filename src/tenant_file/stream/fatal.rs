//! The one problem a read gives when it stops early: a limit, bad bytes, a failing input or
//! sink, or text that is not JSON.

use super::reader::{Reader, Scope};
use crate::tenant_file::Problem;
use crate::tenant_file::fields::index;
use crate::tenant_file::limits::bytes_text;
use crate::tenant_file::meter::Trip;

impl Reader<'_, '_> {
    /// The one problem for a read that stopped early.
    pub(super) fn fatal(&mut self, error: &serde_json::Error) -> Problem {
        if let Some(problem) = self.stopped.take() {
            return problem;
        }
        if let Some(path) = self.checks.too_long.take() {
            return Problem {
                path,
                message: format!(
                    "longer than {}, the limit for one string",
                    bytes_text(self.limits.string_bytes as u64)
                ),
            };
        }
        let at = |line: usize, column: usize| format!("at line {line}, column {column}");
        let (path, message) = match self.gauge.trip() {
            None => (String::new(), format!("not valid JSON: {error}")),
            Some(Trip::FileTooLarge { limit }) => (
                String::new(),
                format!(
                    "the file is larger than {}, the limit for a tenant file",
                    bytes_text(limit)
                ),
            ),
            Some(Trip::NotUtf8 { line, column }) => (
                String::new(),
                format!("the file is not UTF-8 text (invalid byte at line {line}, column {column})"),
            ),
            Some(Trip::Utf16) => (
                String::new(),
                "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                    .to_owned(),
            ),
            Some(Trip::Io(e)) => (String::new(), format!("cannot read the file: {e}")),
            Some(Trip::ScopeTooLarge) => {
                let record = bytes_text(self.limits.record_bytes);
                let value = bytes_text(self.limits.value_bytes);
                match self.scope {
                    Scope::User(i) => (
                        index("users", i),
                        format!("this user takes more than {record}, the limit for one user"),
                    ),
                    Scope::Device(i) => (
                        index("devices", i),
                        format!("this device takes more than {record}, the limit for one device"),
                    ),
                    Scope::Value(key) => (
                        key.to_owned(),
                        format!("takes more than {value}, the limit for one top-level value"),
                    ),
                    Scope::Start => (
                        String::new(),
                        format!(
                            "no tenant file object in the first {value} (only whitespace, or a value that is not an object)"
                        ),
                    ),
                    Scope::Between => (
                        String::new(),
                        format!(
                            "more than {value} of keys, whitespace or punctuation outside any value ({})",
                            at(error.line(), error.column())
                        ),
                    ),
                }
            }
        };
        Problem { path, message }
    }
}
