//! How a sign-in attempt ended: the vocabulary lives in [`crate::domain::signin`], shared with a
//! real tenant's sign-in log; the simulator names it from here.

pub use crate::domain::signin::{Outcome, Reason, SignInResult, StepKind};
