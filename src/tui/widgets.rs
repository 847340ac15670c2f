//! Reusable pieces of the screen. Widgets draw state; they hold no business rule.

pub mod alert;
pub mod dialog;
pub mod fit;
pub mod help;
pub mod message_log;
pub mod phone_field;
pub mod popup;
pub mod sign_in_history;
pub mod text_input;
pub mod toast;
pub mod wrap;
