//! The troubleshooting wizard end to end on the in-memory store with the demo tenant, a virtual
//! clock and seeded sign-in flows: the tree's validation, the first finding of every
//! troubleshooting scenario (with its ticket note snapshot), each action fixing what it names, the
//! simulated-device shortcut, back-tracking and refresh.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "wizard/actions.rs"]
mod actions;
#[path = "wizard/checks.rs"]
mod checks;
#[path = "wizard/scenarios.rs"]
mod scenarios;
#[path = "wizard/support.rs"]
mod support;
#[path = "wizard/tree.rs"]
mod tree;
#[path = "wizard/walking.rs"]
mod walking;
