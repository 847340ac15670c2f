//! SMS sign-in's first page: the person types a phone number instead of a user name, and the
//! number must identify exactly one user whose mobile is `ready` (DOMAIN.md §1, §4).

use crate::domain::rules::sms_sign_in_state;
use crate::domain::{Claim, PhoneType, Policy, SmsSignInState, User};
use crate::sim::reason::Reason;

use super::Denial;

/// A user who claims the number for SMS sign-in, with the state of their claim.
#[derive(Clone, Debug)]
pub struct Holder {
    pub user: User,
    pub state: SmsSignInState,
    pub why: String,
}

/// Why no user can sign in with the number, and the one claimant the log should name, if one
/// stands out.
#[derive(Clone, Debug)]
pub struct NoHolder {
    pub denial: Denial,
    pub holder: Option<Box<User>>,
}

impl NoHolder {
    fn new(denial: Denial, holder: Option<&User>) -> Self {
        Self {
            denial,
            holder: holder.map(|u| Box::new(u.clone())),
        }
    }
}

/// Computes each claimant's state and picks the one `ready` holder. When there is none, the
/// denial names the most telling reason (a guest, else the first holder's state) and, where one
/// user stands out, which user it was, for the log.
pub fn choose_holder(
    claimants: Vec<User>,
    policy: &Policy,
    claims: &[Claim],
) -> Result<User, NoHolder> {
    let holders: Vec<Holder> = claimants
        .into_iter()
        .filter_map(|user| {
            let mobile = user.method(PhoneType::Mobile)?.clone();
            let (state, why) = sms_sign_in_state(&user, &mobile, policy, claims);
            Some(Holder { user, state, why })
        })
        .collect();
    let mut ready = holders.iter().filter(|h| h.state == SmsSignInState::Ready);
    match (ready.next(), ready.next()) {
        (Some(one), None) => return Ok(one.user.clone()),
        (Some(_), Some(_)) => {
            return Err(NoHolder::new(
                Denial::new(
                    Reason::SmsSignInNotReady,
                    "phoneNumberNotUnique: more than one user is ready on this number",
                ),
                None,
            ));
        }
        _ => {}
    }
    if let Some(guest) = holders.iter().find(|h| h.user.is_guest()) {
        return Err(NoHolder::new(
            Denial::new(
                Reason::GuestNotAllowed,
                "guest (B2B) accounts cannot use SMS sign-in",
            ),
            Some(&guest.user),
        ));
    }
    match holders.first() {
        Some(first) => Err(NoHolder::new(
            Denial::new(
                Reason::SmsSignInNotReady,
                format!("{}: {}", first.state, first.why),
            ),
            (holders.len() == 1).then_some(&first.user),
        )),
        None => Err(NoHolder::new(
            Denial::new(
                Reason::SmsSignInNotReady,
                "no user has SMS sign-in enabled on this number",
            ),
            None,
        )),
    }
}
