//! The real binary in a real terminal (tmux), and hostile text to show it: shared by the
//! terminal, fuzzing and control-text suites.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod hostile;
pub mod session;
