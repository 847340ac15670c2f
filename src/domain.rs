//! The rules of phone authentication methods, with no I/O: numbers, slots, users, policy, roles,
//! the edit rules and `smsSignInState`. Everything here is tested without a terminal or database.

pub mod device;
pub mod diagnosis;
pub mod hex;
pub mod method;
pub mod number_type;
pub mod opt_in;
pub mod phone;
pub mod pin;
pub(crate) mod plan;
pub mod policy;
pub(crate) mod reading;
pub mod region;
pub mod role;
pub mod rules;
pub mod sanitize;
pub mod search;
pub mod signin;
pub mod time;
pub mod undo;
pub mod user;
pub mod validity;

pub use device::{Device, SenderId};
pub use diagnosis::{Diagnosis, Finding, FindingKind, PhoneCheck};
pub use method::{DefaultMethod, PhoneMethod, PhoneType, SmsSignInState};
pub use number_type::NumberType;
pub use phone::{PhoneNumber, ShapeError};
pub use pin::PinHash;
pub use policy::{Policy, Tenant, Verification};
pub use region::Region;
pub use role::{Operator, Role};
pub use rules::{Applied, Claim, Edit, EditContext, RuleError};
pub use time::Timestamp;
pub use user::{Block, BlockKind, Upn, User, UserType};
