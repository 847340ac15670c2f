//! Starting flows: MFA and SSPR for a user, SMS sign-in from the number typed on its first
//! page, the plan that picks the phone, and a retry after an attempt ended.

use super::attempt::{Attempt, Stage};
use super::{Actor, Session};
use crate::domain::{PhoneNumber, PhoneType, User};
use crate::sim::SimError;
use crate::sim::flow::{
    Channel, Denial, FlowKind, FlowRequest, Plan, choose_holder, plan_verification,
};
use crate::sim::reason::{Reason, StepKind};
use crate::store::{Directory, StoreError};

/// What a retry carries over from the attempt before it.
pub(super) struct Carry {
    pub correlation_id: String,
    pub ordinal: u32,
    pub previous_provider: Option<&'static str>,
    pub typed_number: Option<String>,
}

impl Session {
    pub(super) fn start(
        &mut self,
        store: &dyn Directory,
        request: FlowRequest,
    ) -> Result<(), SimError> {
        // An unknown user is the operator's mistake, not a sign-in attempt.
        let user = match &request {
            FlowRequest::SmsSignIn => None,
            FlowRequest::Mfa { upn, .. } | FlowRequest::Sspr { upn, .. } => Some(store.user(upn)?),
        };
        if let Some(user) = &user {
            self.may_simulate(user)?;
        }
        self.abandon(store)?;
        let carry = Carry {
            correlation_id: self.new_correlation_id(),
            ordinal: 1,
            previous_provider: None,
            typed_number: None,
        };
        self.begin(store, request, user, carry)
    }

    /// A simulated sign-in changes the user's verification state (the failure count and its
    /// lock, the SSPR count, a fraud block): the operator's role must cover the user, as for any
    /// change to them. Refused before anything is written.
    fn may_simulate(&self, user: &User) -> Result<(), SimError> {
        self.operator
            .covers(user)
            .map_err(|e| SimError::Store(e.into()))
    }

    /// Opens an attempt: the first of a sign-in, or a retry carrying the one before.
    fn begin(
        &mut self,
        store: &dyn Directory,
        request: FlowRequest,
        user: Option<User>,
        carry: Carry,
    ) -> Result<(), SimError> {
        let Carry {
            correlation_id,
            ordinal,
            previous_provider,
            typed_number,
        } = carry;
        self.attempts += 1;
        let now = self.now();
        let mut attempt = Attempt {
            id: self.attempts,
            correlation_id,
            ordinal,
            request: request.clone(),
            started_at: now,
            typed_number: None,
            entered: None,
            user: None,
            plan: None,
            provider: None,
            challenge: None,
            steps: Vec::new(),
            stage: Stage::AskNumber,
        };
        let retry = if ordinal > 1 {
            format!(" (attempt {ordinal})")
        } else {
            String::new()
        };
        match &request {
            FlowRequest::SmsSignIn => {
                attempt.step(
                    now,
                    StepKind::Started,
                    "the sign-in page asks for a phone number instead of a user name",
                );
                self.current = Some(attempt);
                self.note(
                    Actor::Service,
                    format!("SMS sign-in{retry}: the sign-in page asks for a phone number"),
                );
                match typed_number {
                    Some(number) => self.type_number(store, &number),
                    None => Ok(()),
                }
            }
            FlowRequest::Mfa { via, slot, .. } | FlowRequest::Sspr { via, slot, .. } => {
                let Some(user) = user else {
                    return Err(SimError::NotNow("no user to verify".into()));
                };
                let kind = request.kind();
                let upn = user.upn().to_string();
                if kind == FlowKind::Mfa {
                    attempt.step(
                        now,
                        StepKind::MfaRequired,
                        "AADSTS50076: the sign-in needs multi-factor authentication",
                    );
                    self.note(
                        Actor::Service,
                        format!("MFA{retry} for {upn}: AADSTS50076, a second factor is required"),
                    );
                } else {
                    attempt.step(now, StepKind::Started, "password reset: verify a phone");
                    self.note(
                        Actor::Service,
                        format!("password reset{retry} for {upn}: verify your phone"),
                    );
                }
                let (via, slot) = (*via, *slot);
                attempt.user = Some(user.clone());
                self.current = Some(attempt);
                let policy = store.policy()?;
                match plan_verification(&user, &policy, kind, via, slot, now) {
                    Ok(plan) => self.deliver(store, plan, previous_provider),
                    Err(denial) => self.deny(store, denial),
                }
            }
        }
    }

    pub(super) fn type_number(
        &mut self,
        store: &dyn Directory,
        text: &str,
    ) -> Result<(), SimError> {
        let attempt = self.live("type a phone number")?;
        if !matches!(attempt.stage, Stage::AskNumber) {
            return Err(SimError::NotNow(
                "the sign-in page is not asking for a phone number".into(),
            ));
        }
        attempt.typed_number = Some(text.to_owned());
        let now = self.now();
        let parsed = PhoneNumber::parse(text, None);
        let shown = match &parsed {
            Ok(number) => number.masked(),
            Err(_) => "something that is not a phone number".to_owned(),
        };
        self.note(Actor::User, format!("types {shown}"));
        let number = match parsed {
            Ok(number) if number.extension().is_none() => number,
            Ok(_) => {
                return self.deny(
                    store,
                    Denial::new(
                        Reason::InvalidFormat,
                        "a mobile number for sign-in has no extension",
                    ),
                );
            }
            Err(e) => {
                return self.deny(store, Denial::new(Reason::InvalidFormat, e.to_string()));
            }
        };
        if let Some(attempt) = self.current.as_mut() {
            attempt.entered = Some(number.clone());
            attempt.step(now, StepKind::NumberEntered, number.masked());
        }
        let claims = store.claims_on(&number)?;
        let mut claimants = Vec::with_capacity(claims.len());
        for claim in &claims {
            match store.user(&claim.upn_key) {
                Ok(user) => claimants.push(user),
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let policy = store.policy()?;
        match choose_holder(claimants, &policy, &claims) {
            Ok(user) => {
                self.may_simulate(&user)?;
                if let Some(attempt) = self.current.as_mut() {
                    attempt.user = Some(user.clone());
                    attempt.step(
                        now,
                        StepKind::UserIdentified,
                        format!("the number is ready for SMS sign-in for {}", user.upn()),
                    );
                }
                self.note(
                    Actor::Service,
                    format!("the number identifies {}", user.upn()),
                );
                let plan = plan_verification(
                    &user,
                    &policy,
                    FlowKind::SmsSignIn,
                    Some(Channel::Sms),
                    Some(PhoneType::Mobile),
                    now,
                );
                match plan {
                    Ok(plan) => self.deliver(store, plan, None),
                    Err(denial) => self.deny(store, denial),
                }
            }
            Err(none) => {
                // A denial the log files under an admin is still a sign-in of theirs.
                if let Some(holder) = &none.holder {
                    self.may_simulate(holder)?;
                }
                if let Some(attempt) = self.current.as_mut() {
                    attempt.user = none.holder.map(|u| *u);
                }
                self.deny(store, none.denial)
            }
        }
    }

    fn deliver(
        &mut self,
        store: &dyn Directory,
        plan: Plan,
        previous_provider: Option<&'static str>,
    ) -> Result<(), SimError> {
        let now = self.now();
        let channel = plan.channel;
        let line = plan.dial.without_extension();
        if let Some(ext) = &plan.removed_extension {
            self.note(
                Actor::Service,
                format!(
                    "password reset removes the extension x{ext} and calls the main number {}",
                    line.masked()
                ),
            );
        }
        if let Some(attempt) = self.current.as_mut() {
            if plan.removed_extension.is_some() {
                attempt.step(
                    now,
                    StepKind::ExtensionRemoved,
                    "password reset dials the main number without the extension",
                );
            }
            attempt.plan = Some(plan);
        }
        self.focus = Some(line.clone());
        if self.load_device(store, &line)?.is_none() {
            return self.service_error(store, "the device record of the number is unreadable");
        }
        match channel {
            Channel::Sms => self.send_code(store, previous_provider),
            Channel::Voice => self.place_call(store, previous_provider),
        }
    }

    pub(super) fn resend(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        let now = self.now();
        let Some(attempt) = self.current.as_mut() else {
            return Err(SimError::NotNow("resend: nothing was started".into()));
        };
        match &attempt.stage {
            Stage::AwaitCode(_) => {
                attempt.step(now, StepKind::Resend, "the user asked for a new code");
                let previous = attempt.provider.map(|p| p.id);
                self.note(Actor::User, "asks for a new code");
                self.send_code(store, previous)
            }
            Stage::Ended(_) => {
                let request = attempt.request.clone();
                let carry = Carry {
                    correlation_id: attempt.correlation_id.clone(),
                    ordinal: attempt.ordinal + 1,
                    previous_provider: attempt.provider.map(|p| p.id),
                    typed_number: attempt.typed_number.clone(),
                };
                // The user as the directory has them now (a fraud report may have blocked them).
                let user = match &attempt.user {
                    Some(u) if !matches!(request, FlowRequest::SmsSignIn) => {
                        Some(store.user(u.upn().as_str())?)
                    }
                    _ => None,
                };
                if let Some(user) = &user {
                    self.may_simulate(user)?;
                }
                self.note(Actor::User, "tries again");
                self.begin(store, request, user, carry)
            }
            Stage::AskNumber => Err(SimError::NotNow(
                "resend: the sign-in page is asking for a phone number".into(),
            )),
            Stage::Call(_) => Err(SimError::NotNow(
                "resend: a call is in progress; hang up first".into(),
            )),
        }
    }
}
