//! What every verification send (a text or a call) starts with: the live attempt, its plan and
//! user, the provider the route picks and that provider's fault.

use super::Session;
use super::attempt::Attempt;
use crate::domain::{Timestamp, User, Verification};
use crate::sim::SimError;
use crate::sim::flow::Plan;
use crate::sim::telecom::{self, Fault, Provider};
use crate::store::{Directory, StoreError};

/// A send about to happen.
pub(super) struct Send {
    pub attempt: Attempt,
    pub plan: Plan,
    pub user: User,
    pub provider: &'static Provider,
    pub fault: Fault,
    pub limits: Verification,
    pub now: Timestamp,
}

impl Session {
    /// Picks the route for a send (another provider than `previous` on a retry). `Ok(None)`
    /// when there is nothing to send, or when an unreadable route record already ended the
    /// attempt with a service error.
    pub(super) fn prepare_send(
        &mut self,
        store: &dyn Directory,
        previous: Option<&'static str>,
    ) -> Result<Option<Send>, SimError> {
        let now = self.now();
        let limits = store.policy()?.verification;
        let Some(attempt) = self.current.clone() else {
            return Ok(None);
        };
        let (Some(plan), Some(user)) = (attempt.plan.clone(), attempt.user.clone()) else {
            return Ok(None);
        };
        let provider = telecom::route(&mut self.rng, previous);
        let fault = match telecom::fault_of(store.backend(), provider) {
            Ok(fault) => fault,
            Err(StoreError::Corrupt { .. }) => {
                self.service_error(store, "the telecom route record is unreadable")?;
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Some(Send {
            attempt,
            plan,
            user,
            provider,
            fault,
            limits,
            now,
        }))
    }
}
