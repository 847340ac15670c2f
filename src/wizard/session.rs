//! Walking the tree for one user and one symptom: automatic checks run until a question or a
//! remedy is reached; answers (the caller's, or the simulated device's) move on; `back` returns to
//! the previous question; a confirmed action changes the directory and re-runs the check that
//! found the problem; `refresh` re-reads the world after the operator was elsewhere.

use std::sync::Arc;

use super::WizardError;
use super::actions::{self, Plan};
use super::checks::{CheckSpec, Status};
use super::facts::{Facts, Route};
use super::path::{
    ActionRecord, AnswerSource, Answered, Current, PendingAction, Recheck, Visit, VisitKind,
};
use super::tree::{Answer, Step, StepKind, Symptom, Tree};
use crate::domain::{Operator, User};
use crate::sim::flow::{FlowKind, FlowRequest};
use crate::store::Record;

/// The offered action and its plan (the plan is what a confirmation performs).
#[derive(Clone, Debug)]
struct Pending {
    view: PendingAction,
    plan: Option<Plan>,
}

/// One troubleshooting session for one user and one symptom. Plain data (the tree is shared):
/// the TUI hands a copy to its worker for a step that reads the record, and keeps drawing this
/// one meanwhile.
#[derive(Clone)]
pub struct Wizard {
    tree: Arc<Tree>,
    symptom: usize,
    operator: Operator,
    upn: String,
    facts: Facts,
    path: Vec<Visit>,
    pending: Option<Pending>,
    actions: Vec<ActionRecord>,
}

impl std::fmt::Debug for Wizard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wizard")
            .field("upn", &self.upn)
            .field("symptom", &self.symptom().name)
            .field("at", &self.path.last().map(|v| v.step.as_str()))
            .finish_non_exhaustive()
    }
}

/// The symptom the findings point to, for a start without one: the first symptom whose triage
/// check fails, else the one whose sign-in reasons include the newest failure since the latest
/// success.
pub fn suggest_symptom(store: &dyn Record, upn: &str) -> Result<Option<String>, WizardError> {
    let tree = Tree::embedded().map_err(WizardError::Tree)?;
    let facts = Facts::gather(store, upn, FlowKind::Mfa, false)?;
    for symptom in &tree.symptoms {
        if symptom
            .triage
            .iter()
            .any(|check| (check.run)(&facts).status == Status::Fail)
        {
            return Ok(Some(symptom.name.clone()));
        }
    }
    let pointed = facts.unresolved().iter().find_map(|record| {
        let reason = record.reason?;
        tree.symptoms.iter().find(|s| s.reasons.contains(&reason))
    });
    Ok(pointed.map(|s| s.name.clone()))
}

impl Wizard {
    /// Starts the embedded tree for `upn` and `symptom`, running every check up to the first
    /// question or remedy. With `reveal`, numbers are shown in full: the reveal goes through
    /// [`Directory::reveal`] (audited, and refused when the role does not cover the user).
    pub fn start(
        store: &dyn Record,
        operator: &Operator,
        upn: &str,
        symptom: &str,
        reveal: bool,
    ) -> Result<Self, WizardError> {
        let tree = Tree::embedded().map_err(WizardError::Tree)?;
        Self::start_with(tree, store, operator, upn, symptom, reveal)
    }

    /// Starts with a given tree (tests use small ones).
    pub fn start_with(
        tree: Arc<Tree>,
        store: &dyn Record,
        operator: &Operator,
        upn: &str,
        symptom: &str,
        reveal: bool,
    ) -> Result<Self, WizardError> {
        let index = tree
            .symptoms
            .iter()
            .position(|s| s.name == symptom)
            .ok_or_else(|| WizardError::UnknownSymptom {
                name: symptom.to_owned(),
                known: tree.symptoms.iter().map(|s| s.name.clone()).collect(),
            })?;
        let flow = tree.symptoms[index].flow;
        let user = if reveal {
            store.reveal(operator, upn, "troubleshoot")?
        } else {
            store.user(upn)?
        };
        let upn = user.upn().to_string();
        let facts = Facts::gather(store, &upn, flow, reveal)?;
        let start = tree.symptoms[index].start.clone();
        let mut wizard = Self {
            tree,
            symptom: index,
            operator: operator.clone(),
            upn,
            facts,
            path: Vec::new(),
            pending: None,
            actions: Vec::new(),
        };
        wizard.walk(&start, false)?;
        Ok(wizard)
    }

    pub fn symptom(&self) -> &Symptom {
        &self.tree.symptoms[self.symptom]
    }

    pub fn user(&self) -> &User {
        &self.facts.user
    }

    /// What the checks saw at the last read.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The steps walked so far, the current one last.
    pub fn path(&self) -> &[Visit] {
        &self.path
    }

    /// The actions applied so far.
    pub fn actions(&self) -> &[ActionRecord] {
        &self.actions
    }

    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// The current step: a question to ask or a remedy to give.
    pub fn current(&self) -> Result<Current<'_>, WizardError> {
        let visit = self
            .path
            .last()
            .ok_or_else(|| WizardError::Tree("the walk is empty".into()))?;
        let step = self.step(&visit.step)?;
        match &step.kind {
            StepKind::Question {
                text,
                help,
                answers,
                device,
            } => Ok(Current::Question {
                step,
                text,
                help: help.as_deref(),
                answers,
                // Only a simulated phone can answer for the caller (none on a real tenant).
                device_shortcut: device.is_some() && self.facts.device.is_some(),
            }),
            StepKind::Remedy {
                text,
                signin,
                support_case,
                ..
            } => Ok(Current::Remedy {
                step,
                text,
                action: self.pending_action(),
                retry_in_sign_in: *signin,
                support_case: *support_case,
            }),
            StepKind::Check { .. } => Err(WizardError::Tree(format!(
                "the walk stopped at the check {}",
                step.name
            ))),
        }
    }

    /// The answer to put the cursor on at the current question, if any (see
    /// [`super::tree::preselected_answer`]).
    pub fn preselected_answer(&self) -> Option<usize> {
        match self.current() {
            Ok(Current::Question { answers, .. }) => super::tree::preselected_answer(answers),
            _ => None,
        }
    }

    /// The action the current remedy offers, with what it will do or why it cannot.
    pub fn pending_action(&self) -> Option<&PendingAction> {
        self.pending.as_ref().map(|p| &p.view)
    }

    /// Answers the current question with one of its answer names.
    pub fn answer(&mut self, answer: &str) -> Result<(), WizardError> {
        let (step, answers) = self.current_question()?;
        let chosen = answers
            .iter()
            .find(|a| a.name == answer)
            .ok_or_else(|| WizardError::UnknownAnswer {
                step: step.clone(),
                answer: answer.to_owned(),
                known: answers.iter().map(|a| a.name.clone()).collect(),
            })?
            .clone();
        self.record_answer(chosen, AnswerSource::Caller, None)
    }

    /// Answers the current question from the simulated phone ("check the simulated device"),
    /// read now: the device may have changed since the wizard started.
    pub fn answer_from_device(&mut self, store: &dyn Record) -> Result<(), WizardError> {
        let (step, answers) = self.current_question()?;
        let Some(StepKind::Question {
            device: Some(probe),
            ..
        }) = self.tree.step(&step).map(|s| &s.kind)
        else {
            return Err(WizardError::NoDeviceShortcut { step });
        };
        let run = probe.run;
        self.facts = Facts::gather(store, &self.upn, self.symptom().flow, self.facts.reveal)?;
        let device = self.facts.device.as_ref().ok_or(WizardError::NoDevice)?;
        let seen = run(device);
        let chosen = answers
            .iter()
            .find(|a| a.name == seen.answer)
            .cloned()
            .ok_or_else(|| {
                WizardError::Tree(format!("{step} has no answer \"{}\"", seen.answer))
            })?;
        self.record_answer(chosen, AnswerSource::Device, Some(seen.observed))
    }

    /// Goes back to the previous question (`Esc`): its answer is cleared and it is current
    /// again. Checks are not steps to go back to: they would answer the same. Actions already
    /// applied stay applied. Returns false when there is no earlier question.
    pub fn back(&mut self) -> bool {
        let before_current = self.path.len().saturating_sub(1);
        let Some(i) = self.path[..before_current]
            .iter()
            .rposition(|v| v.kind == VisitKind::Question && v.answer.is_some())
        else {
            return false;
        };
        self.path.truncate(i + 1);
        self.path[i].answer = None;
        self.pending = None;
        true
    }

    /// Re-reads the world (after the operator had the user retry in the sign-in pane, or the
    /// device changed) and re-runs the live check that led to the current step. When its answer
    /// leads elsewhere now, the walk continues from it; otherwise its finding is brought up to
    /// date and the current step stays.
    pub fn refresh(&mut self, store: &dyn Record) -> Result<(), WizardError> {
        self.facts = Facts::gather(store, &self.upn, self.symptom().flow, self.facts.reveal)?;
        let before_current = self.path.len().saturating_sub(1);
        let live = self.path[..before_current].iter().rposition(|v| {
            v.check
                .and_then(super::checks::find)
                .is_some_and(|c| c.live)
        });
        if let Some(i) = live {
            let name = self.path[i].step.clone();
            let step = self.step(&name)?;
            let StepKind::Check { spec, .. } = &step.kind else {
                return Ok(());
            };
            let result = (spec.run)(&self.facts);
            let same_way = step.after(&result) == self.path.get(i + 1).map(|v| v.step.as_str());
            if same_way {
                let visit = &mut self.path[i];
                visit.status = Some(result.status);
                visit.case = result.case;
                visit.finding = Some(result.finding);
            } else {
                self.path.truncate(i);
                self.pending = None;
                return self.walk(&name, false);
            }
        }
        self.replan();
        Ok(())
    }

    /// Applies the pending action (the operator confirmed it), then re-runs the check that found
    /// the problem and walks on from its new answer: after a fix, that check passes.
    pub fn apply_action(&mut self, store: &dyn Record) -> Result<&ActionRecord, WizardError> {
        let pending = self.pending.clone().ok_or(WizardError::NoAction)?;
        let Some(plan) = pending.plan else {
            return Err(WizardError::ActionUnavailable(
                pending.view.unavailable.unwrap_or_default(),
            ));
        };
        let at = store.now();
        let outcome = actions::perform(&plan, store, &self.operator, &self.upn);
        let mut record = ActionRecord {
            name: plan.name.to_owned(),
            title: plan.title.to_owned(),
            description: plan.description.clone(),
            at,
            done: Vec::new(),
            error: None,
            recheck: None,
        };
        self.facts = Facts::gather(store, &self.upn, self.symptom().flow, self.facts.reveal)?;
        match outcome {
            Err(stopped) => {
                record.done = stopped.done.clone();
                record.error = Some(stopped.why.clone());
                self.actions.push(record);
                self.replan();
                Err(WizardError::ActionFailed {
                    done: stopped.done,
                    why: stopped.why,
                })
            }
            Ok(done) => {
                record.done = done;
                let origin = self.origin().map(|(i, _)| self.path[i].step.clone());
                self.pending = None;
                if let Some(step) = origin {
                    let from = self.path.len();
                    self.walk(&step, true)?;
                    record.recheck = self.path.get(from).and_then(|v| {
                        Some(Recheck {
                            step: v.step.clone(),
                            check: v.check?,
                            status: v.status?,
                            finding: v.finding.clone().unwrap_or_default(),
                        })
                    });
                }
                self.actions.push(record);
                self.actions
                    .last()
                    .ok_or_else(|| WizardError::Tree("no action record".into()))
            }
        }
    }

    /// The sign-in the operator can have the user retry from the current remedy, in the sign-in
    /// pane: the symptom's flow by the route the checks saw.
    pub fn retry_request(&self) -> Option<FlowRequest> {
        if !matches!(
            self.current(),
            Ok(Current::Remedy {
                retry_in_sign_in: true,
                ..
            })
        ) {
            return None;
        }
        let (via, slot) = match &self.facts.route {
            Route::Planned { channel, slot, .. } => (Some(*channel), Some(*slot)),
            Route::Refused(_) => (None, None),
        };
        let upn = self.upn.clone();
        Some(match self.symptom().flow {
            FlowKind::SmsSignIn => FlowRequest::SmsSignIn,
            FlowKind::Mfa => FlowRequest::Mfa { upn, via, slot },
            FlowKind::Sspr => FlowRequest::Sspr { upn, via, slot },
        })
    }

    /// The session as data (the CLI's `--json`, the pane's model of the ticket).
    pub fn report(&self) -> Result<super::Report<'_>, WizardError> {
        super::report::build(self)
    }

    /// The Markdown ticket note.
    pub fn ticket(&self) -> Result<String, WizardError> {
        Ok(super::ticket::render(&self.report()?))
    }

    fn step(&self, name: &str) -> Result<&Step, WizardError> {
        self.tree
            .step(name)
            .ok_or_else(|| WizardError::Tree(format!("the tree has no step \"{name}\"")))
    }

    fn current_question(&self) -> Result<(String, Vec<Answer>), WizardError> {
        match self.current()? {
            Current::Question { step, answers, .. } => Ok((step.name.clone(), answers.to_vec())),
            Current::Remedy { .. } => Err(WizardError::NotAQuestion),
        }
    }

    fn record_answer(
        &mut self,
        chosen: Answer,
        source: AnswerSource,
        observed: Option<String>,
    ) -> Result<(), WizardError> {
        if let Some(visit) = self.path.last_mut() {
            visit.answer = Some(Answered {
                name: chosen.name,
                label: chosen.label,
                source,
                observed,
            });
        }
        self.walk(&chosen.next, false)
    }

    /// Runs checks from `from` until a question or a remedy; a valid tree has no loops, so this
    /// takes at most one visit per step.
    fn walk(&mut self, from: &str, recheck: bool) -> Result<(), WizardError> {
        let tree = Arc::clone(&self.tree);
        let mut name = from.to_owned();
        let mut recheck = recheck;
        for _ in 0..=tree.steps().count() {
            let step = tree
                .step(&name)
                .ok_or_else(|| WizardError::Tree(format!("the tree has no step \"{name}\"")))?;
            match &step.kind {
                StepKind::Check { spec, .. } => {
                    let result = (spec.run)(&self.facts);
                    let next = step.after(&result).map(str::to_owned).ok_or_else(|| {
                        WizardError::Tree(format!("{} has no branch for its answer", step.name))
                    })?;
                    self.path.push(Visit::check(step, spec, result, recheck));
                    recheck = false;
                    name = next;
                }
                StepKind::Question { .. } => {
                    self.path.push(Visit::of(step, VisitKind::Question));
                    return Ok(());
                }
                StepKind::Remedy { .. } => {
                    self.path.push(Visit::of(step, VisitKind::Remedy));
                    self.replan();
                    return Ok(());
                }
            }
        }
        Err(WizardError::Tree("the walk did not reach a remedy".into()))
    }

    /// The latest check on the path that found something: what an action answers to.
    fn origin(&self) -> Option<(usize, &'static CheckSpec)> {
        let i = self.path.iter().rposition(Visit::found_problem)?;
        Some((i, super::checks::find(self.path[i].check?)?))
    }

    /// Plans the current remedy's action afresh from the facts.
    fn replan(&mut self) {
        let action = match self.path.last().and_then(|v| self.tree.step(&v.step)) {
            Some(Step {
                kind:
                    StepKind::Remedy {
                        action: Some(action),
                        ..
                    },
                ..
            }) => action.clone(),
            _ => {
                self.pending = None;
                return;
            }
        };
        let origin = self.origin().map(|(_, spec)| spec);
        let title = actions::find(&action).map_or_else(|| action.clone(), |a| a.title.to_owned());
        self.pending = Some(
            match actions::plan(&action, &self.facts, origin, &self.operator) {
                Ok(plan) => Pending {
                    view: PendingAction {
                        name: action,
                        title,
                        description: Some(plan.description.clone()),
                        unavailable: None,
                    },
                    plan: Some(plan),
                },
                Err(why) => Pending {
                    view: PendingAction {
                        name: action,
                        title,
                        description: None,
                        unavailable: Some(why),
                    },
                    plan: None,
                },
            },
        );
    }
}
