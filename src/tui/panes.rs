//! The panes of the shell, one file each (the result list has its own).

pub mod lookup;
pub mod methods;
pub mod results;
pub mod signin;
pub mod timeline;
pub mod troubleshoot;
