//! Reading a tenant file as a stream: the top-level object is walked key by key with serde's
//! seed machinery, and each user (or device) is parsed, checked and handed to a
//! [`TenantSink`] before the next one is read, so memory stays the same for ten users or ten
//! million. What spans users is kept small: the UPN keys with their first index, the device
//! numbers, and the paths of office phones while the policy is not yet known.
//!
//! Every problem is listed with its JSON path, in the order `parse` always gave; a file that is
//! not JSON, not UTF-8 or over a size limit gives one problem, with its position.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::fmt;
use std::io::{BufReader, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::Problem;
use super::devices::Devices;
use super::fields::{Fields, index, join};
use super::limits::{Limits, bytes_text};
use super::meter::{Gauge, Meter, READ_AHEAD, Trip};
use super::problems::{Entry, Problems, Section};
use super::read::{OfficeRule, check_version, read_policy, read_tenant, read_user};
use super::strict::{Checks, DUPLICATE_KEY, Frame, KeySeed, Strict};
use crate::domain::{Device, Policy, Tenant, Timestamp, User};

/// Where the records of a tenant file go as they are read. On `Err` from [`read_stream`]
/// everything the sink received must be discarded; on `Ok` it has received exactly one tenant
/// and one policy (the default one when the file has none).
pub trait TenantSink {
    fn tenant(&mut self, tenant: Tenant);
    fn policy(&mut self, policy: Policy);
    /// One user that passed every per-user check, in file order. An Err stops the read
    /// (the store failed); it becomes a Problem with the user's path.
    fn user(&mut self, index: usize, user: User) -> Result<(), String>;
    /// One device that passed its checks, in file order.
    fn device(&mut self, device: Device);
    /// Bytes of input consumed so far, called now and then (progress display).
    fn progress(&mut self, _bytes: u64, _users: usize) {}
}

/// What a successful read handed to the sink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadSummary {
    pub users: usize,
    pub devices: usize,
    pub bytes: u64,
}

/// How often (in users) the sink hears about progress.
const PROGRESS_EVERY: usize = 4096;

/// Reads and checks a tenant file from `input`, handing each valid record to `sink`. `now`
/// stamps blocks and SMS sign-in claims the file does not date. Any problem means `Err` with
/// every problem found (up to `limits.problems`).
pub fn read_stream(
    input: impl Read,
    now: Timestamp,
    sink: &mut dyn TenantSink,
    limits: &Limits,
) -> Result<ReadSummary, Vec<Problem>> {
    let (meter, gauge) = Meter::new(input, limits.file_bytes, limits.value_bytes);
    let buffered = BufReader::with_capacity(READ_AHEAD, meter);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let mut reader = Reader {
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
    };
    let walked = Top {
        reader: &mut reader,
    }
    .deserialize(&mut de)
    .and_then(|()| {
        reader.enter(Scope::Between, reader.limits.value_bytes);
        de.end()
    });
    match walked {
        Err(error) => Err(vec![reader.fatal(&error)]),
        Ok(()) => reader.finish(),
    }
}

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
enum Scope {
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

struct Reader<'s, 'l> {
    sink: &'s mut dyn TenantSink,
    now: Timestamp,
    limits: &'l Limits,
    gauge: Gauge,
    problems: Problems,
    checks: Checks,
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
    scope: Scope,
    /// Why the read stopped early (a string over the limit, a failing sink).
    stopped: Option<Problem>,
}

/// The error a visitor returns to stop the parser; the reason is in the reader.
fn stop<E: de::Error>() -> E {
    E::custom("the tenant file reading stopped")
}

impl Reader<'_, '_> {
    fn enter(&mut self, scope: Scope, budget: u64) {
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

    fn top_key<'de, A: MapAccess<'de>>(
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
    fn top_done(&mut self) {
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

    fn user<E: de::Error>(&mut self, i: usize, path: &str, value: &Value) -> Result<(), E> {
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

    fn device(&mut self, i: usize, value: &Value) {
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

    /// The one problem for a read that stopped early.
    fn fatal(&mut self, error: &serde_json::Error) -> Problem {
        if let Some(problem) = self.stopped.take() {
            return problem;
        }
        if let Some(path) = self.checks.too_long.take() {
            return Problem {
                path,
                message: format!(
                    "longer than {}, the limit for one string",
                    bytes_text(self.limits.string_bytes as u64)
                ),
            };
        }
        let at = |line: usize, column: usize| format!("at line {line}, column {column}");
        let (path, message) = match self.gauge.trip() {
            None => (String::new(), format!("not valid JSON: {error}")),
            Some(Trip::FileTooLarge { limit }) => (
                String::new(),
                format!(
                    "the file is larger than {}, the limit for a tenant file",
                    bytes_text(limit)
                ),
            ),
            Some(Trip::NotUtf8 { line, column }) => (
                String::new(),
                format!("the file is not UTF-8 text (invalid byte at line {line}, column {column})"),
            ),
            Some(Trip::Utf16) => (
                String::new(),
                "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                    .to_owned(),
            ),
            Some(Trip::Io(e)) => (String::new(), format!("cannot read the file: {e}")),
            Some(Trip::ScopeTooLarge) => {
                let record = bytes_text(self.limits.record_bytes);
                let value = bytes_text(self.limits.value_bytes);
                match self.scope {
                    Scope::User(i) => (
                        index("users", i),
                        format!("this user takes more than {record}, the limit for one user"),
                    ),
                    Scope::Device(i) => (
                        index("devices", i),
                        format!("this device takes more than {record}, the limit for one device"),
                    ),
                    Scope::Value(key) => (
                        key.to_owned(),
                        format!("takes more than {value}, the limit for one top-level value"),
                    ),
                    Scope::Start => (
                        String::new(),
                        format!(
                            "no tenant file object in the first {value} (only whitespace, or a value that is not an object)"
                        ),
                    ),
                    Scope::Between => (
                        String::new(),
                        format!(
                            "more than {value} of keys, whitespace or punctuation outside any value ({})",
                            at(error.line(), error.column())
                        ),
                    ),
                }
            }
        };
        Problem { path, message }
    }

    fn finish(self) -> Result<ReadSummary, Vec<Problem>> {
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

/// The top-level value: an object of known keys.
struct Top<'r, 's, 'l> {
    reader: &'r mut Reader<'s, 'l>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Top<'_, '_, '_> {
    fn not_an_object(self, found: &str) {
        self.reader.problems.problem(
            Section::TopKeys,
            "(top level)",
            format!("expected an object, found {found}"),
        );
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tenant file object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        self.reader
            .enter(Scope::Between, self.reader.limits.value_bytes);
        let frame = Frame::root("");
        loop {
            let key = access.next_key_seed(KeySeed {
                checks: &mut self.reader.checks,
                frame: &frame,
            })?;
            let Some(key) = key else {
                break;
            };
            self.reader.top_key(&mut access, key)?;
        }
        self.reader.top_done();
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_an_object("an array");
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.not_an_object("a boolean");
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.not_an_object("a number");
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.not_an_object("a number");
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.not_an_object("a number");
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.not_an_object("a string");
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.not_an_object("null");
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Users,
    Devices,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Devices => "devices",
        }
    }
}

/// The `users` or `devices` array, one record at a time.
struct Records<'r, 's, 'l> {
    reader: &'r mut Reader<'s, 'l>,
    kind: Kind,
}

impl<'de> DeserializeSeed<'de> for Records<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Records<'_, '_, '_> {
    /// Anything but an array: skipped within the budget for one value, then reported.
    fn not_an_array(self) {
        let (section, message) = match self.kind {
            Kind::Users => (Section::Users, "expected an array of users"),
            Kind::Devices => (Section::Devices, "expected an array of devices"),
        };
        self.reader
            .problems
            .problem(section, self.kind.key(), message);
    }
}

impl<'de> Visitor<'de> for Records<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let reader = self.reader;
        let limits = reader.limits;
        for i in 0.. {
            // The budget covers the separator before the record, the record and what closes
            // the array after the last one.
            let scope = match self.kind {
                Kind::Users => Scope::User(i),
                Kind::Devices => Scope::Device(i),
            };
            reader.enter(scope, limits.record_bytes);
            let path = index(self.kind.key(), i);
            let frame = Frame::root(&path);
            let value = seq.next_element_seed(Strict {
                checks: &mut reader.checks,
                frame: &frame,
            })?;
            let Some(value) = value else {
                break;
            };
            match self.kind {
                Kind::Users => reader.user(i, &path, &value)?,
                Kind::Devices => reader.device(i, &value),
            }
        }
        reader.enter(Scope::Between, limits.value_bytes);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        self.reader.enter(
            Scope::Value(self.kind.key()),
            self.reader.limits.value_bytes,
        );
        while access.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_an_array();
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.not_an_array();
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.not_an_array();
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.not_an_array();
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.not_an_array();
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.not_an_array();
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.not_an_array();
        Ok(())
    }
}
