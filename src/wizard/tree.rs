//! The troubleshooting tree (`assets/troubleshooting.toml`): symptoms at the root, then steps. A
//! step is an automatic check (named, implemented in [`super::checks`]), a question for the
//! caller (answers that branch, optionally with a simulated-device shortcut from
//! [`super::probes`]), or a remedy (text, optionally a named action from [`super::actions`]).
//!
//! Loading validates the whole file and lists every problem: unknown keys, names the code does not
//! know, missing branch targets, outcomes a check can give that no branch takes, steps no symptom
//! reaches, and loops. A valid tree therefore always ends a walk at a remedy.

mod load;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use self::load::{RawTree, build_step, build_symptom, is_name};
use super::checks::{CheckResult, CheckSpec};
use super::probes::ProbeSpec;
use crate::sim::flow::FlowKind;
use crate::sim::reason::Reason;

/// The tree shipped with phonedesk.
pub const EMBEDDED: &str = include_str!("../../assets/troubleshooting.toml");
/// The tree format this build reads.
pub const VERSION: u32 = 1;

/// What the caller reports first.
#[derive(Debug)]
pub struct Symptom {
    pub name: String,
    pub title: String,
    /// The flow the symptom is about (its route, its device).
    pub flow: FlowKind,
    pub start: String,
    /// Checks that, when they fail, make this the likely symptom (used without `--symptom`).
    pub triage: Vec<&'static CheckSpec>,
    /// Sign-in log reasons that point to this symptom (used without `--symptom`).
    pub reasons: Vec<Reason>,
}

/// One answer of a question.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Answer {
    pub name: String,
    pub label: String,
    #[serde(skip)]
    pub next: String,
}

/// The answer the cursor may rest on before the operator moves it: the first one only when
/// every answer leads to the same step, so nothing rides on the choice. Otherwise none: on a
/// question whose answers lead to different remedies, Enter must not give an answer nobody
/// chose (Enter, Enter, Enter would walk to whatever comes first).
pub fn preselected_answer(answers: &[Answer]) -> Option<usize> {
    let first = answers.first()?;
    answers.iter().all(|a| a.next == first.next).then_some(0)
}

/// What a step is.
pub enum StepKind {
    Check {
        spec: &'static CheckSpec,
        /// Outcome key (a status or a case of the check) to the next step.
        next: BTreeMap<String, String>,
    },
    Question {
        text: String,
        help: Option<String>,
        device: Option<&'static ProbeSpec>,
        answers: Vec<Answer>,
    },
    Remedy {
        text: String,
        action: Option<String>,
        /// The operator can have the user retry in the sign-in pane and come back.
        signin: bool,
        /// The tree ends at "open a support case": the ticket lists what the case asks for.
        support_case: bool,
    },
}

/// A named step.
pub struct Step {
    pub name: String,
    pub title: String,
    pub kind: StepKind,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl Step {
    /// The steps this one can lead to.
    fn targets(&self) -> Vec<&str> {
        match &self.kind {
            StepKind::Check { next, .. } => next.values().map(String::as_str).collect(),
            StepKind::Question { answers, .. } => answers.iter().map(|a| a.next.as_str()).collect(),
            StepKind::Remedy { .. } => Vec::new(),
        }
    }

    /// The next step after a check's result: the case's branch if the tree names it, else the
    /// status's.
    pub fn after(&self, result: &CheckResult) -> Option<&str> {
        let StepKind::Check { next, .. } = &self.kind else {
            return None;
        };
        result
            .case
            .and_then(|case| next.get(case))
            .or_else(|| next.get(result.status.as_str()))
            .map(String::as_str)
    }
}

/// A loaded, validated tree.
pub struct Tree {
    pub symptoms: Vec<Symptom>,
    steps: BTreeMap<String, Step>,
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tree")
            .field("symptoms", &self.symptoms.len())
            .field("steps", &self.steps.len())
            .finish()
    }
}

impl Tree {
    /// The embedded tree, loaded once.
    pub fn embedded() -> Result<Arc<Tree>, String> {
        static TREE: OnceLock<Result<Arc<Tree>, String>> = OnceLock::new();
        TREE.get_or_init(|| {
            Tree::parse(EMBEDDED).map(Arc::new).map_err(|problems| {
                format!(
                    "the troubleshooting tree is broken: {}",
                    problems.join("; ")
                )
            })
        })
        .clone()
    }

    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.get(name)
    }

    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.values()
    }

    pub fn symptom(&self, name: &str) -> Option<&Symptom> {
        self.symptoms.iter().find(|s| s.name == name)
    }

    /// The questions, by step name (what `--answer STEP=ANSWER` may name).
    pub fn questions(&self) -> impl Iterator<Item = (&Step, &[Answer])> {
        self.steps.values().filter_map(|s| match &s.kind {
            StepKind::Question { answers, .. } => Some((s, answers.as_slice())),
            _ => None,
        })
    }

    /// Parses and validates a tree; every problem is listed.
    pub fn parse(text: &str) -> Result<Tree, Vec<String>> {
        let raw: RawTree = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut problems = Vec::new();
        if raw.version != VERSION {
            problems.push(format!(
                "version {} is not the tree format {VERSION} this build reads",
                raw.version
            ));
        }
        let mut steps = BTreeMap::new();
        for (name, step) in raw.steps {
            if !is_name(&name, true) {
                problems.push(format!("step \"{name}\": names use a-z, 0-9, '-' and '.'"));
            }
            if let Some(step) = build_step(&name, step, &mut problems) {
                steps.insert(name, step);
            }
        }
        let symptoms: Vec<Symptom> = raw
            .symptoms
            .into_iter()
            .filter_map(|s| build_symptom(s, &mut problems))
            .collect();
        if symptoms.is_empty() {
            problems.push("the tree has no symptoms".into());
        }
        let mut seen = BTreeSet::new();
        for s in &symptoms {
            if !seen.insert(s.name.as_str()) {
                problems.push(format!("symptom \"{}\" is defined twice", s.name));
            }
        }
        let tree = Tree { symptoms, steps };
        tree.check_targets(&mut problems);
        tree.check_reachable(&mut problems);
        tree.check_loops(&mut problems);
        if problems.is_empty() {
            Ok(tree)
        } else {
            Err(problems)
        }
    }

    fn check_targets(&self, problems: &mut Vec<String>) {
        for s in &self.symptoms {
            if !self.steps.contains_key(&s.start) {
                problems.push(format!(
                    "symptom \"{}\" starts at \"{}\", which is not a step",
                    s.name, s.start
                ));
            }
        }
        for step in self.steps.values() {
            for target in step.targets() {
                if !self.steps.contains_key(target) {
                    problems.push(format!(
                        "step \"{}\" leads to \"{target}\", which is not a step",
                        step.name
                    ));
                }
            }
        }
    }

    fn check_reachable(&self, problems: &mut Vec<String>) {
        let mut reached = BTreeSet::new();
        let mut todo: Vec<&str> = self.symptoms.iter().map(|s| s.start.as_str()).collect();
        while let Some(name) = todo.pop() {
            if !reached.insert(name) {
                continue;
            }
            if let Some(step) = self.steps.get(name) {
                todo.extend(step.targets());
            }
        }
        for name in self.steps.keys() {
            if !reached.contains(name.as_str()) {
                problems.push(format!("step \"{name}\" is unreachable from every symptom"));
            }
        }
    }

    /// Depth-first search with colours; a grey step met again closes a loop.
    fn check_loops(&self, problems: &mut Vec<String>) {
        #[derive(Clone, Copy, PartialEq)]
        enum Colour {
            Grey,
            Black,
        }
        let mut colour: BTreeMap<&str, Colour> = BTreeMap::new();
        for start in self.steps.keys() {
            if colour.contains_key(start.as_str()) {
                continue;
            }
            // (step, index of the next target to visit); the stack is the current path.
            let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
            colour.insert(start, Colour::Grey);
            while let Some((name, i)) = stack.last().copied() {
                let targets = self.steps.get(name).map(Step::targets).unwrap_or_default();
                let Some(next) = targets.get(i).copied() else {
                    colour.insert(name, Colour::Black);
                    stack.pop();
                    continue;
                };
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match colour.get(next) {
                    Some(Colour::Grey) => {
                        let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        let mut cycle: Vec<&str> = stack[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(next);
                        problems.push(format!("a branch loops: {}", cycle.join(" -> ")));
                    }
                    Some(Colour::Black) => {}
                    None if self.steps.contains_key(next) => {
                        colour.insert(next, Colour::Grey);
                        stack.push((next, 0));
                    }
                    None => {}
                }
            }
        }
    }
}
