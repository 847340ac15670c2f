//! The reader's state while a tenant file streams by, and what it does with each value: check
//! it, file its problems, hand it to the sink, remember what spans users.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;

use serde::de::{self, IgnoredAny, MapAccess};
use serde_json::Value;

use super::seeds::{Kind, Records};
use super::{PROGRESS_EVERY, ReadSummary, TenantSink};
use crate::domain::{Policy, Timestamp};
use crate::tenant_file::Problem;
use crate::tenant_file::devices::Devices;
use crate::tenant_file::fields::{Fields, join};
use crate::tenant_file::limits::Limits;
use crate::tenant_file::meter::Gauge;
use crate::tenant_file::problems::{Entry, Problems, Section};
use crate::tenant_file::read::{OfficeRule, check_version, read_policy, read_tenant, read_user};
use crate::tenant_file::strict::{Checks, DUPLICATE_KEY, Frame, Strict};

/// The keys a tenant file's top-level object may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TopKey {
    Version,
    Tenant,
    Policy,
    Users,
    Devices,
}

impl TopKey {
    const ALL: [Self; 5] = [
        Self::Version,
        Self::Tenant,
        Self::Policy,
        Self::Users,
        Self::Devices,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Version => "version",
            Self::Tenant => "tenant",
            Self::Policy => "policy",
            Self::Users => "users",
            Self::Devices => "devices",
        }
    }

    /// The list an unknown key's problem gives.
    fn allowed() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == key)
    }
}

/// What is being read, for the message when its budget runs out.
#[derive(Clone, Copy, Debug)]
pub(super) enum Scope {
    /// Before the top-level object opens (or instead of it).
    Start,
    Between,
    Value(&'static str),
    User(usize),
    Device(usize),
}

/// What the file said about the policy.
#[derive(Clone, Copy, Debug)]
enum PolicyFound {
    Absent,
    Invalid,
    Read { office_forbidden: bool },
}

pub(super) struct Reader<'s, 'l> {
    sink: &'s mut dyn TenantSink,
    now: Timestamp,
    pub(super) limits: &'l Limits,
    pub(super) gauge: Gauge,
    pub(super) problems: Problems,
    pub(super) checks: Checks,
    fields: Fields,
    known_seen: Vec<TopKey>,
    /// Unknown top-level keys, to report a repeated one once more as a duplicate (bounded by
    /// the problem limit, since each is a problem).
    unknown_seen: Vec<String>,
    office: OfficeRule,
    policy: PolicyFound,
    /// Each user's UPN key (lowercase) with the index of its first appearance.
    upns: HashMap<Box<str>, usize>,
    devices: Devices,
    users_passed: usize,
    devices_passed: usize,
    pub(super) scope: Scope,
    /// Why the read stopped early (a string over the limit, a failing sink).
    pub(super) stopped: Option<Problem>,
}

/// The error a visitor returns to stop the parser; the reason is in the reader.
pub(super) fn stop<E: de::Error>() -> E {
    E::custom("the tenant file reading stopped")
}

impl<'s, 'l> Reader<'s, 'l> {
    pub(super) fn new(
        sink: &'s mut dyn TenantSink,
        now: Timestamp,
        limits: &'l Limits,
        gauge: Gauge,
    ) -> Self {
        Self {
            sink,
            now,
            limits,
            gauge,
            problems: Problems::new(limits.problems),
            checks: Checks::new(limits.string_bytes),
            fields: Fields::default(),
            known_seen: Vec::new(),
            unknown_seen: Vec::new(),
            office: OfficeRule::NotYetKnown,
            policy: PolicyFound::Absent,
            upns: HashMap::new(),
            devices: Devices::default(),
            users_passed: 0,
            devices_passed: 0,
            scope: Scope::Start,
            stopped: None,
        }
    }

    pub(super) fn enter(&mut self, scope: Scope, budget: u64) {
        self.scope = scope;
        self.gauge.scope(budget);
    }

    /// Files what the checks found for the value just read into `section`; true when the
    /// value itself had no problem.
    fn file(&mut self, section: Section) -> bool {
        let clean = !self
            .checks
            .found
            .iter()
            .chain(&self.fields.entries)
            .any(|e| matches!(e, Entry::Problem(_)));
        self.problems.take(section, &mut self.checks.found);
        self.problems.take(section, &mut self.fields.entries);
        clean
    }

    /// One top-level value as a `Value`, within the budget for top-level values.
    fn value<'de, A: MapAccess<'de>>(
        &mut self,
        access: &mut A,
        key: &'static str,
    ) -> Result<Value, A::Error> {
        self.enter(Scope::Value(key), self.limits.value_bytes);
        let frame = Frame::root(key);
        let value = access.next_value_seed(Strict {
            checks: &mut self.checks,
            frame: &frame,
        })?;
        self.enter(Scope::Between, self.limits.value_bytes);
        Ok(value)
    }

    pub(super) fn top_key<'de, A: MapAccess<'de>>(
        &mut self,
        access: &mut A,
        key: String,
    ) -> Result<(), A::Error> {
        let Some(known) = TopKey::parse(&key) else {
            let repeated = self.unknown_seen.contains(&key);
            if repeated {
                self.problems.problem(Section::TopKeys, &key, DUPLICATE_KEY);
            } else {
                self.problems.problem(
                    Section::TopKeys,
                    &key,
                    format!("unknown key (allowed here: {})", TopKey::allowed()),
                );
                if self.unknown_seen.len() < self.limits.problems {
                    self.unknown_seen.push(key);
                }
            }
            self.enter(Scope::Value("(an unknown key)"), self.limits.value_bytes);
            access.next_value::<IgnoredAny>()?;
            self.enter(Scope::Between, self.limits.value_bytes);
            return Ok(());
        };
        if self.known_seen.contains(&known) {
            self.problems
                .problem(Section::TopKeys, known.as_str(), DUPLICATE_KEY);
            // Skipping allocates nothing; only the file's budget applies.
            self.enter(Scope::Between, self.limits.file_bytes);
            access.next_value::<IgnoredAny>()?;
            self.enter(Scope::Between, self.limits.value_bytes);
            return Ok(());
        }
        self.known_seen.push(known);
        match known {
            TopKey::Version => {
                let value = self.value(access, known.as_str())?;
                check_version(&mut self.fields, &value);
                self.file(Section::Version);
            }
            TopKey::Tenant => {
                let value = self.value(access, known.as_str())?;
                let tenant = read_tenant(&mut self.fields, &value);
                self.file(Section::Tenant);
                if let Some(tenant) = tenant {
                    self.sink.tenant(tenant);
                }
            }
            TopKey::Policy => {
                let value = self.value(access, known.as_str())?;
                let policy = read_policy(&mut self.fields, &value);
                self.file(Section::Policy);
                match policy {
                    Some(policy) => {
                        let office_forbidden = !policy.office_phone_allowed;
                        self.policy = PolicyFound::Read { office_forbidden };
                        self.office = if office_forbidden {
                            OfficeRule::Forbidden
                        } else {
                            OfficeRule::Allowed
                        };
                        self.sink.policy(policy);
                    }
                    // Like a policy that allows them: an invalid policy is reported already.
                    None => {
                        self.policy = PolicyFound::Invalid;
                        self.office = OfficeRule::Allowed;
                    }
                }
            }
            TopKey::Users | TopKey::Devices => {
                let kind = if known == TopKey::Users {
                    Kind::Users
                } else {
                    Kind::Devices
                };
                // Until the array opens, this is one value like any other.
                self.enter(Scope::Value(kind.key()), self.limits.value_bytes);
                access.next_value_seed(Records { reader: self, kind })?;
                self.enter(Scope::Between, self.limits.value_bytes);
            }
        }
        Ok(())
    }

    /// The end of the top-level object: what was required and missing.
    pub(super) fn top_done(&mut self) {
        let missing = |key| !self.known_seen.contains(&key);
        if missing(TopKey::Version) {
            self.problems
                .problem(Section::Version, "version", "required");
        }
        if missing(TopKey::Tenant) {
            self.problems.problem(Section::Tenant, "tenant", "required");
        }
        if missing(TopKey::Policy) {
            self.sink.policy(Policy::default());
        }
        if missing(TopKey::Users) {
            self.problems.problem(Section::Users, "users", "required");
        }
    }

    pub(super) fn user<E: de::Error>(
        &mut self,
        i: usize,
        path: &str,
        value: &Value,
    ) -> Result<(), E> {
        let user = read_user(&mut self.fields, value, path, self.office, self.now);
        let mut clean = self.file(Section::Users);
        let Some(user) = user else {
            return Ok(());
        };
        match self.upns.entry(user.upn().key().into_boxed_str()) {
            Slot::Occupied(first) => {
                self.problems.problem(
                    Section::Users,
                    &join(path, "userPrincipalName"),
                    format!(
                        "duplicate of users[{}] (user principal names ignore case)",
                        first.get()
                    ),
                );
                clean = false;
            }
            Slot::Vacant(slot) => {
                slot.insert(i);
            }
        }
        // Once the file is certain to be refused, the sink has nothing more to do.
        if clean && !self.problems.any() {
            if let Err(message) = self.sink.user(i, user) {
                self.stopped = Some(Problem {
                    path: path.to_owned(),
                    message,
                });
                return Err(stop());
            }
            self.users_passed += 1;
            if self.users_passed.is_multiple_of(PROGRESS_EVERY) {
                self.sink.progress(self.gauge.consumed(), self.users_passed);
            }
        }
        Ok(())
    }

    pub(super) fn device(&mut self, i: usize, value: &Value) {
        let device = self.devices.read(&mut self.fields, value, i);
        let clean = self.file(Section::Devices);
        if let Some(device) = device
            && clean
            && !self.problems.any()
        {
            self.sink.device(device);
            self.devices_passed += 1;
        }
    }

    pub(super) fn finish(self) -> Result<ReadSummary, Vec<Problem>> {
        self.sink.progress(self.gauge.consumed(), self.users_passed);
        let office_forbidden = match self.policy {
            PolicyFound::Read { office_forbidden } => office_forbidden,
            PolicyFound::Absent => !Policy::default().office_phone_allowed,
            PolicyFound::Invalid => false,
        };
        let problems = self.problems.finish(office_forbidden);
        if problems.is_empty() {
            Ok(ReadSummary {
                users: self.users_passed,
                devices: self.devices_passed,
                bytes: self.gauge.consumed(),
            })
        } else {
            Err(problems)
        }
    }
}
