//! phonedesk: a terminal tool for helpdesk staff who manage Entra ID phone authentication methods.
//!
//! Layers, each importing only the ones below it:
//! - [`domain`]: the rules of numbers, slots, users, policy and roles (pure, no I/O);
//! - [`store`]: the directory behind a trait, on sled (and an in-memory twin for tests);
//! - [`graph`]: a real tenant through Microsoft Graph, the other directory of record;
//! - [`sim`]: the sign-in simulator (flows, codes, limits, devices, telecom, the sign-in log);
//! - [`tenant_file`] and [`demo`]: the import/export format, the demo tenant and the generator;
//!   [`import_rule`]: the role rule every operator's import goes through;
//! - [`wizard`]: the guided troubleshooting tree, its checks, fixes and ticket note;
//! - [`cli`]: the headless commands, and the entry point that starts the terminal UI.

pub mod atomic_file;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod graph;
pub mod import_rule;
pub mod panic_guard;
pub mod rng;
pub mod sim;
pub mod store;
pub mod tenant_file;
pub mod tui;
pub mod watchdog;
pub mod wizard;
