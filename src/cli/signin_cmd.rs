//! `phonedesk signin ...`: one simulated sign-in, played headless with the scripted person's
//! responses; prints the timeline and a last line `result: success` or `result: denied (...)`.
//! Exit 0 on success, 1 when denied, 2 when a response does not fit the flow.

use std::sync::Arc;

use serde::Serialize;

use super::output::{self, safe};
use super::{Failure, Outcome, RunArgs, SigninCommand};
use crate::domain::{Operator, PhoneType};
use crate::sim::session::TimelineEntry;
use crate::sim::{
    Event, FlowRequest, Response, Session, SessionOptions, SignInRecord, SimError, VirtualClock,
    person, throttle,
};
use crate::store::{Directory, Record};

/// The flow a `signin` command starts, with the events that start it and how it runs.
fn plan(cmd: SigninCommand) -> Option<(FlowRequest, Vec<Event>, RunArgs)> {
    let (request, typed, run) = match cmd {
        SigninCommand::ClearFailures { .. } => return None,
        // `--user` was turned into that user's number before (see [`typed_for_user`]).
        SigninCommand::SmsSignin { phone, run, .. } => (FlowRequest::SmsSignIn, phone, run),
        SigninCommand::Mfa {
            user,
            via,
            slot,
            run,
        } => (
            FlowRequest::Mfa {
                upn: user,
                via,
                slot,
            },
            None,
            run,
        ),
        SigninCommand::Sspr {
            user,
            via,
            slot,
            run,
        } => (
            FlowRequest::Sspr {
                upn: user,
                via,
                slot,
            },
            None,
            run,
        ),
    };
    let mut events = vec![Event::Start(request.clone())];
    events.extend(typed.map(Event::TypeNumber));
    Some((request, events, run))
}

/// `signin sms-signin --user UPN`: the number typed is the user's mobile, as registered.
pub fn typed_for_user(store: &dyn Record, cmd: SigninCommand) -> Result<SigninCommand, Failure> {
    let SigninCommand::SmsSignin {
        phone: None,
        user: Some(upn),
        run,
    } = cmd
    else {
        return Ok(cmd);
    };
    let user = store.user(&upn)?;
    let mobile = user.method(PhoneType::Mobile).ok_or_else(|| {
        Failure::refused(format!(
            "{} has no mobile number: SMS sign-in needs one",
            safe(user.upn().as_str())
        ))
    })?;
    Ok(SigninCommand::SmsSignin {
        phone: Some(mobile.phone_number.to_string()),
        user: None,
        run,
    })
}

/// Refuses, before anything runs, a response that cannot fit the flow's channel.
pub fn check_usage(cmd: &SigninCommand) -> Outcome {
    let misfit =
        plan(cmd.clone()).and_then(|(request, _, run)| person::misfit(&request, &run.respond));
    match misfit {
        Some(why) => Err(Failure::usage(why)),
        None => Ok(()),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunJson<'a> {
    correlation_id: Option<&'a str>,
    result: &'static str,
    reason: Option<&'static str>,
    reason_text: Option<&'static str>,
    error_code: Option<u32>,
    timeline: &'a [TimelineEntry],
    attempts: &'a [SignInRecord],
}

pub fn run(
    store: &dyn Directory,
    operator: &Operator,
    clock: Arc<VirtualClock>,
    cmd: SigninCommand,
) -> Outcome {
    if let SigninCommand::ClearFailures { user } = &cmd {
        let cleared = throttle::reset_failures(store, operator, user)?;
        output::line(&format!(
            "cleared {cleared} consecutive failed verifications of {}",
            safe(user)
        ));
        return Ok(());
    }
    let cmd = typed_for_user(store, cmd)?;
    let Some((_, events, run)) = plan(cmd) else {
        return Ok(());
    };
    let RunArgs {
        respond,
        seed,
        json,
    } = run;
    let mut session = Session::new(SessionOptions {
        seed,
        clock,
        operator: operator.clone(),
    });
    for event in events {
        session.handle(store, event)?;
    }
    let responses = if respond.is_empty() {
        vec![Response::Auto]
    } else {
        respond
    };
    let mut misfit = None;
    for (i, response) in responses.iter().enumerate() {
        match person::perform(&mut session, store, response) {
            Ok(()) => {}
            Err(SimError::Store(e)) => return Err(e.into()),
            Err(e) => {
                misfit = Some(format!("--respond number {} ({response}): {e}", i + 1));
                break;
            }
        }
    }
    person::finish(&mut session, store)?;
    report(&session, json)?;
    if let Some(misfit) = misfit {
        return Err(Failure::usage(misfit));
    }
    match session.outcome() {
        Some(outcome) if outcome.is_success() => Ok(()),
        _ => Err(Failure::refused("")),
    }
}

/// Prints the timeline and the result (or the JSON of the run).
pub fn report(session: &Session, json: bool) -> Outcome {
    let outcome = session.outcome();
    if json {
        return output::json(&RunJson {
            correlation_id: session.correlation_id(),
            result: outcome.map_or("denied", |o| o.result.as_str()),
            reason: outcome.and_then(|o| o.reason).map(|r| r.name()),
            reason_text: outcome.and_then(|o| o.reason).map(|r| r.text()),
            error_code: outcome.and_then(|o| o.reason).map(|r| r.error_code()),
            timeline: session.timeline(),
            attempts: session.records(),
        });
    }
    for entry in session.timeline() {
        output::line(&safe(&entry.line()));
    }
    output::line(&format!(
        "result: {}",
        outcome.map_or_else(
            || "denied (the sign-in did not end)".to_owned(),
            |o| o.describe()
        )
    ));
    Ok(())
}
