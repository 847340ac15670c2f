//! The tenant file, version 1 (JSON): what `import` reads and `export` writes.
//!
//! Import checks the whole file before anything is written and reports every problem with its
//! JSON path (`users[3].phoneMethods[0].phoneNumber: ...`). Export writes users in UPN order with
//! a fixed key order, so export -> import -> export is byte-identical.
//!
//! Besides users, the file carries the simulator's world: `policy.verification` (code length and
//! lifetime, wrong-code and send limits, PIN mode, fraud auto-block; defaults when absent), a
//! per-user `pin` (a plain PIN on import, only ever exported as its hash) and the top-level
//! `devices` (one simulated phone per number).

mod collect;
mod devices;
mod fields;
mod limits;
mod meter;
mod pin;
mod pretty;
mod problems;
mod read;
mod stream;
mod strict;
mod write;
mod writer;

#[cfg(test)]
mod tests;

use std::fmt;

pub use collect::{Collect, parse};
pub use limits::Limits;
pub use pin::HIDDEN_PIN;
pub use stream::{ReadSummary, TenantSink, read_stream};
pub use write::{ExportOptions, claims_by_number, mobile_claims, to_json, user_json};
pub use writer::TenantWriter;

/// The file format version this build reads and writes.
pub const VERSION: u64 = 1;

/// One problem in a tenant file, with the JSON path it was found at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}
