//! What the checks look at, read from the store once per evaluation: the user, the policy, the SMS
//! sign-in state, the sign-in log of the last day, the simulator's counters, the route a sign-in
//! takes and the simulated phone at its end. Checks are pure functions of this, so they are tested
//! without a database and a refresh is one re-read.

use crate::domain::rules::sms_sign_in_state;
use crate::domain::{Block, Claim, Device, PhoneNumber, PhoneType, Policy, Timestamp, User};
use crate::sim::flow::{Channel, Denial, FlowKind, plan_verification};
use crate::sim::log::SignInRecord;
use crate::sim::otp::{self, Challenge};
use crate::sim::throttle::{self, Failures};
use crate::store::{Record, SmsStatus, StoreError, devices};

/// How far back the log checks look. Choice: a day covers "I couldn't sign in this morning"
/// without dragging in last week's voicemail.
pub const RECENT_MS: i64 = 24 * 3_600_000;
/// At most this many attempts of that day (a real tenant's log pages slowly).
const RECENT_ATTEMPTS: usize = 200;

/// How a sign-in reaches the user: the channel, the slot and the number dialled or texted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Planned {
        channel: Channel,
        slot: PhoneType,
        /// The number as registered (an SSPR call drops its extension before dialling).
        number: PhoneNumber,
        /// Taken from the user's latest attempt in the log rather than their default method.
        from_log: bool,
    },
    /// The sign-in cannot reach a phone at all (blocked, nothing registered, ...).
    Refused(Denial),
}

/// Everything a check may read. Plain data: cloning it is how an action tries an edit on paper.
#[derive(Clone, Debug)]
pub struct Facts {
    pub now: Timestamp,
    pub user: User,
    pub policy: Policy,
    /// The flow the symptom is about.
    pub flow: FlowKind,
    pub sms: Option<SmsStatus>,
    /// SMS sign-in claims on the user's mobile number (any user).
    pub mobile_claims: Vec<Claim>,
    /// The user's sign-in attempts of the last [`RECENT_MS`], newest first.
    pub log: Vec<SignInRecord>,
    pub sspr_blocked_until: Option<Timestamp>,
    pub failures: Failures,
    /// Codes still marked live for this user.
    pub live_codes: Vec<Challenge>,
    pub route: Route,
    /// The simulated phone at the end of the route (else of the mobile, else the first phone).
    pub device: Option<Device>,
    /// Show numbers in full (the operator revealed them, audited); else masked.
    pub reveal: bool,
    /// Whether a block's start is known: the simulated tenant records it; a real tenant's
    /// disabled account does not say since when.
    pub block_dated: bool,
}

impl Facts {
    /// Reads everything the checks need about `upn` for a symptom of `flow`. The simulator's
    /// own facts (counters, live codes, the simulated phone) exist only when the record is the
    /// simulated tenant; on a real tenant they are unknown and the wizard asks the caller.
    pub fn gather(
        store: &dyn Record,
        upn: &str,
        flow: FlowKind,
        reveal: bool,
    ) -> Result<Self, StoreError> {
        let user = store.user(upn)?;
        let now = store.now();
        let policy = store.policy()?;
        let local = store.simulated();
        let upn_key = user.upn().key();
        let mobile_claims = match user.method(PhoneType::Mobile) {
            Some(m) => store.claims_on(&m.phone_number)?,
            None => Vec::new(),
        };
        let log = store.sign_ins(
            Some(user.upn()),
            Some(now.plus_millis(-RECENT_MS)),
            RECENT_ATTEMPTS,
        )?;
        let route = route(&user, &policy, flow, &log, now);
        let line = match &route {
            Route::Planned { number, .. } => Some(number.clone()),
            Route::Refused(_) => user
                .method(PhoneType::Mobile)
                .or_else(|| user.phone_methods.first())
                .map(|m| m.phone_number.clone()),
        };
        let (device, sspr_blocked_until, failures, live_codes) = match local {
            Some(local) => {
                let backend = local.backend();
                (
                    line.map(|n| devices::device(backend, &n)).transpose()?,
                    throttle::sspr_blocked_until(backend, &upn_key, now)?,
                    throttle::failures_of(backend, &upn_key)?,
                    otp::live_for(backend, &upn_key)?,
                )
            }
            None => (None, None, Failures::default(), Vec::new()),
        };
        Ok(Self {
            sms: store.sms_status(&user)?,
            sspr_blocked_until,
            failures,
            live_codes,
            now,
            user,
            policy,
            flow,
            mobile_claims,
            log,
            route,
            device,
            reveal,
            block_dated: local.is_some(),
        })
    }

    /// Who blocked the user and, where it is known, since when.
    pub fn describe_block(&self, block: &Block) -> String {
        if self.block_dated {
            format!("{} since {}", block.kind.describe(), block.since)
        } else {
            block.kind.describe().to_owned()
        }
    }

    /// A number as this wizard may show it: in full when revealed, else masked.
    pub fn show(&self, number: &PhoneNumber) -> String {
        if self.reveal {
            number.to_string()
        } else {
            number.masked()
        }
    }

    /// The attempts since the latest success (newest first): what still needs explaining. A
    /// success closes the story of the failures before it.
    pub fn unresolved(&self) -> &[SignInRecord] {
        let end = self
            .log
            .iter()
            .position(|r| r.outcome().is_success())
            .unwrap_or(self.log.len());
        &self.log[..end]
    }

    /// The SMS sign-in state of the mobile as the domain computes it for this user, with the
    /// claims read at gathering (used to try an edit on paper).
    pub fn sms_state_of(&self, user: &User) -> Option<SmsStatus> {
        let mobile = user.method(PhoneType::Mobile)?;
        let (state, reason) = sms_sign_in_state(user, mobile, &self.policy, &self.mobile_claims);
        Some(SmsStatus { state, reason })
    }

    /// The same facts for `user` as an edit would leave them: the route and the SMS state are
    /// recomputed, the log and the device stay as read.
    pub fn with_user(&self, user: User) -> Self {
        let route = route(&user, &self.policy, self.flow, &self.log, self.now);
        Self {
            sms: self.sms_state_of(&user),
            route,
            user,
            ..self.clone()
        }
    }
}

/// The route of the user's latest attempt of this flow when its phone is still registered, else
/// the one the flow's rules pick (the default method).
fn route(
    user: &User,
    policy: &crate::domain::Policy,
    flow: FlowKind,
    log: &[SignInRecord],
    now: Timestamp,
) -> Route {
    let (via, slot) = match flow {
        FlowKind::SmsSignIn => (Some(Channel::Sms), Some(PhoneType::Mobile)),
        _ => log
            .iter()
            .filter(|r| r.flow == flow)
            .find_map(|r| Some((r.channel?, r.slot?)))
            .filter(|(_, slot)| user.method(*slot).is_some())
            .map_or((None, None), |(c, s)| (Some(c), Some(s))),
    };
    let from_log = flow != FlowKind::SmsSignIn && via.is_some();
    match plan_verification(user, policy, flow, via, slot, now) {
        Ok(plan) => Route::Planned {
            channel: plan.channel,
            slot: plan.slot,
            number: plan.registered,
            from_log,
        },
        Err(denial) => Route::Refused(denial),
    }
}
