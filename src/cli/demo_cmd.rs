//! `phonedesk demo list|play NAME`: the guided sign-in demos, headless.

use std::sync::Arc;

use super::output::{self, safe};
use super::{Failure, Outcome};
use crate::domain::Operator;
use crate::sim::VirtualClock;
use crate::sim::demo_script::{self, DemoPlayer, DemoScript};
use crate::sim::sandbox::Sandbox;
use crate::store::{Directory, Record};

pub fn list() -> Outcome {
    let mut rows = Vec::new();
    for name in demo_script::names() {
        let script = DemoScript::load(name)?;
        rows.push(vec![name.to_owned(), script.title.clone()]);
    }
    output::table(&["NAME", "DEMO"], &rows);
    Ok(())
}

pub fn play(
    record: &dyn Record,
    operator: &Operator,
    clock: Arc<VirtualClock>,
    name: &str,
) -> Outcome {
    let script = DemoScript::load(name)?;
    // The demo plays on a copy of its cast: the open tenant is never changed, and every play
    // starts from the same place.
    let sandbox = Sandbox::for_demo(record, &script, clock.clone())?;
    let store = sandbox.directory();
    output::line(&format!("demo: {}", script.title));
    if record.simulated().is_some() {
        output::note("played on a sandbox copy of its cast: this tenant is not changed");
    } else {
        output::note(
            "played on a sandbox of the embedded demo tenant: nothing is read from or sent to the real tenant",
        );
    }
    let mut player = DemoPlayer::new(script, clock, operator.clone());
    while let Some(step) = player.next_step(store)? {
        output::line("");
        output::line(&format!(
            "step {}/{}: {}",
            step.number,
            step.total,
            safe(&step.caption)
        ));
        for entry in &player.session().timeline()[step.timeline_from..] {
            output::line(&format!("  {}", safe(&entry.line())));
        }
    }
    output::line("");
    let verdict = player.verdict(store)?;
    let outcome = player.session().outcome();
    output::line(&format!(
        "result: {}",
        outcome.map_or_else(|| "(none)".to_owned(), |o| o.describe())
    ));
    if verdict.met {
        output::line(&format!(
            "demo: reached its expected end ({})",
            verdict.expected
        ));
        Ok(())
    } else {
        Err(Failure::refused(format!(
            "the demo did not reach its expected end: expected {}, got {}",
            verdict.expected, verdict.actual
        )))
    }
}

/// `phonedesk demo reset-world`.
pub fn reset_world(store: &dyn Directory, operator: &Operator) -> Outcome {
    let cleared = crate::sim::world::reset_world(store, operator)?;
    output::line(&format!(
        "the simulated world is fresh again: cleared {}",
        cleared.describe()
    ));
    Ok(())
}
