//! The status line's short-lived messages: what just happened, or why it did not.

use std::time::{Duration, Instant};

/// How long a toast stays on the status line.
pub const TOAST_LIFETIME: Duration = Duration::from_secs(6);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
    pub expires: Instant,
}

impl Toast {
    pub fn new(kind: ToastKind, text: impl Into<String>, now: Instant) -> Self {
        Self {
            kind,
            text: text.into(),
            expires: now + TOAST_LIFETIME,
        }
    }
}
