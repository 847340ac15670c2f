//! The "check the simulated device" shortcut: answers to the questions about the caller's phone
//! (on and with signal, messaging service, blocked senders or caller ID, voicemail) read from the
//! simulation instead of asked. The wizard cannot see a real phone, so these stay questions; the
//! simulation only answers them when the operator asks it to.

use crate::domain::{Device, SenderId};
use crate::sim::telecom;

/// What the simulated phone says, as an answer name and the observation behind it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Observation {
    pub answer: &'static str,
    pub observed: String,
}

/// A question's shortcut: the answers it can give (each must be an answer of the question).
pub struct ProbeSpec {
    pub name: &'static str,
    pub answers: &'static [&'static str],
    pub run: fn(&Device) -> Observation,
}

const YES_NO: &[&str] = &["yes", "no"];

/// Every shortcut, by name.
pub static PROBES: &[ProbeSpec] = &[
    ProbeSpec {
        name: "power",
        answers: &["yes", "off", "no-signal"],
        run: power,
    },
    ProbeSpec {
        name: "sms-service",
        answers: YES_NO,
        run: sms_service,
    },
    ProbeSpec {
        name: "blocked-sender",
        answers: YES_NO,
        run: blocked_sender,
    },
    ProbeSpec {
        name: "blocked-caller-id",
        answers: YES_NO,
        run: blocked_caller_id,
    },
    ProbeSpec {
        name: "voicemail",
        answers: YES_NO,
        run: voicemail,
    },
];

/// The shortcut with this name.
pub fn find(name: &str) -> Option<&'static ProbeSpec> {
    PROBES.iter().find(|p| p.name == name)
}

fn observation(answer: &'static str, observed: impl Into<String>) -> Observation {
    Observation {
        answer,
        observed: observed.into(),
    }
}

fn power(d: &Device) -> Observation {
    if !d.powered_on {
        observation("off", "the simulated phone is switched off")
    } else if !d.signal {
        observation("no-signal", "the simulated phone is on but has no signal")
    } else {
        observation("yes", "the simulated phone is on, with signal")
    }
}

fn sms_service(d: &Device) -> Observation {
    if d.landline {
        observation("no", "the simulated line is a landline: it takes no texts")
    } else if !d.sms_subscribed {
        observation("no", "the simulated line has no messaging service")
    } else {
        observation("yes", "the simulated line has a messaging service")
    }
}

/// The senders among `candidates` the phone blocks, as one observation.
fn blocked_among(d: &Device, candidates: &[SenderId], what: &str) -> Observation {
    let blocked: Vec<String> = candidates
        .iter()
        .filter(|s| d.blocks(s))
        .map(ToString::to_string)
        .collect();
    if blocked.is_empty() {
        observation(
            "no",
            format!("the simulated phone blocks none of the {what}"),
        )
    } else {
        observation(
            "yes",
            format!(
                "the simulated phone blocks {} of the {what}: {}",
                blocked.len(),
                blocked.join(", ")
            ),
        )
    }
}

fn blocked_sender(d: &Device) -> Observation {
    blocked_among(
        d,
        &telecom::possible_senders(&d.phone_number),
        "senders verification texts come from",
    )
}

fn blocked_caller_id(d: &Device) -> Observation {
    blocked_among(
        d,
        &telecom::possible_callers(&d.phone_number),
        "caller IDs verification calls show",
    )
}

fn voicemail(d: &Device) -> Observation {
    if d.voicemail {
        observation(
            "yes",
            "the simulated phone forwards unanswered calls to voicemail",
        )
    } else {
        observation("no", "the simulated phone does not forward to voicemail")
    }
}
