//! The problems of one read, in a bounded amount of memory and in a stable order.
//!
//! Problems are filed by section and listed section by section (top-level keys, `version`,
//! `tenant`, `policy`, `users`, `devices`) whatever the order of the keys in the file, so a file
//! gives the same list however it is laid out. Only the first [`Limits::problems`] are kept; the
//! rest are counted. A check that needs the policy before the policy has been read leaves a
//! placeholder, resolved once the whole file is known.
//!
//! [`Limits::problems`]: super::Limits::problems

use super::Problem;

/// Why an office phone may be refused: the message the policy check gives.
pub const OFFICE_FORBIDDEN: &str =
    "the policy does not allow office phones (officePhoneAllowed is false)";

/// One finding of a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Problem(Problem),
    /// An office phone at this path (`users[3].phoneMethods[1].phoneType`), a problem only if
    /// the policy, read later in the file, forbids office phones.
    IfOfficeForbidden(String),
}

/// Where in the listing a problem goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    TopKeys,
    Version,
    Tenant,
    Policy,
    Users,
    Devices,
}

const SECTIONS: usize = 6;

impl Section {
    fn slot(self) -> usize {
        match self {
            Self::TopKeys => 0,
            Self::Version => 1,
            Self::Tenant => 2,
            Self::Policy => 3,
            Self::Users => 4,
            Self::Devices => 5,
        }
    }
}

/// The capped, sectioned list.
#[derive(Debug)]
pub struct Problems {
    sections: [Vec<Entry>; SECTIONS],
    kept: usize,
    cap: usize,
    /// Every problem seen (kept or not), placeholders aside.
    certain: u64,
    more: u64,
    more_if_office_forbidden: u64,
}

impl Problems {
    pub fn new(cap: usize) -> Self {
        Self {
            sections: Default::default(),
            kept: 0,
            cap,
            certain: 0,
            more: 0,
            more_if_office_forbidden: 0,
        }
    }

    pub fn push(&mut self, section: Section, entry: Entry) {
        if matches!(entry, Entry::Problem(_)) {
            self.certain += 1;
        }
        if self.kept < self.cap {
            self.kept += 1;
            self.sections[section.slot()].push(entry);
        } else if matches!(entry, Entry::IfOfficeForbidden(_)) {
            self.more_if_office_forbidden += 1;
        } else {
            self.more += 1;
        }
    }

    pub fn problem(&mut self, section: Section, path: &str, message: impl Into<String>) {
        self.push(
            section,
            Entry::Problem(Problem {
                path: path.to_owned(),
                message: message.into(),
            }),
        );
    }

    /// Moves every entry of `entries` into `section`, leaving it empty for reuse.
    pub fn take(&mut self, section: Section, entries: &mut Vec<Entry>) {
        for entry in entries.drain(..) {
            self.push(section, entry);
        }
    }

    /// True when something is certainly wrong (placeholders do not count yet).
    pub fn any(&self) -> bool {
        self.certain > 0
    }

    /// The final list, with placeholders turned into problems when `office_forbidden`, and a last
    /// line counting what was not kept.
    pub fn finish(mut self, office_forbidden: bool) -> Vec<Problem> {
        // Unknown top-level keys are listed alphabetically, as a JSON object's keys are.
        self.sections[Section::TopKeys.slot()].sort_by(|a, b| path(a).cmp(path(b)));
        let mut out: Vec<Problem> = self
            .sections
            .into_iter()
            .flatten()
            .filter_map(|entry| match entry {
                Entry::Problem(p) => Some(p),
                Entry::IfOfficeForbidden(path) => office_forbidden.then(|| Problem {
                    path,
                    message: OFFICE_FORBIDDEN.to_owned(),
                }),
            })
            .collect();
        let more = self.more
            + if office_forbidden {
                self.more_if_office_forbidden
            } else {
                0
            };
        if more > 0 {
            out.push(Problem {
                path: String::new(),
                message: format!(
                    "... and {more} more problem{} (only the first {} are listed)",
                    if more == 1 { "" } else { "s" },
                    self.cap
                ),
            });
        }
        out
    }
}

fn path(entry: &Entry) -> &str {
    match entry {
        Entry::Problem(p) => &p.path,
        Entry::IfOfficeForbidden(path) => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn lists_by_section_whatever_the_arrival_order() {
        let mut p = Problems::new(10);
        p.problem(Section::Users, "users[0]", "x");
        p.problem(Section::Tenant, "tenant.name", "x");
        p.problem(Section::TopKeys, "zeta", "x");
        p.problem(Section::TopKeys, "alpha", "x");
        assert_eq!(
            paths(&p.finish(false)),
            ["alpha", "zeta", "tenant.name", "users[0]"]
        );
    }

    #[test]
    fn keeps_the_first_problems_and_counts_the_rest() {
        let mut p = Problems::new(3);
        for i in 0..10 {
            p.problem(Section::Users, &format!("users[{i}]"), "x");
        }
        let list = p.finish(false);
        assert_eq!(paths(&list), ["users[0]", "users[1]", "users[2]", ""]);
        assert_eq!(
            list[3].message,
            "... and 7 more problems (only the first 3 are listed)"
        );
    }

    #[test]
    fn office_placeholders_count_only_when_the_policy_forbids() {
        let fill = || {
            let mut p = Problems::new(2);
            p.push(
                Section::Users,
                Entry::IfOfficeForbidden("a.phoneType".into()),
            );
            p.problem(Section::Users, "b", "x");
            p.push(
                Section::Users,
                Entry::IfOfficeForbidden("c.phoneType".into()),
            );
            assert!(p.any());
            p
        };
        let allowed = fill().finish(false);
        assert_eq!(paths(&allowed), ["b"]);
        let forbidden = fill().finish(true);
        assert_eq!(paths(&forbidden), ["a.phoneType", "b", ""]);
        assert_eq!(forbidden[0].message, OFFICE_FORBIDDEN);
        assert!(forbidden[2].message.starts_with("... and 1 more problem "));
        let mut only_placeholder = Problems::new(5);
        only_placeholder.push(Section::Users, Entry::IfOfficeForbidden("a".into()));
        assert!(!only_placeholder.any());
    }
}
