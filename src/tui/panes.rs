//! The panes of the shell, one file each.

pub mod lookup;
pub mod methods;
pub mod signin;
pub mod troubleshoot;
