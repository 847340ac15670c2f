//! What the streaming reader refuses that the old one let through, the limits it keeps while
//! reading, and its contract with the sink.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use super::support::{demo, now};
use crate::domain::{Device, Policy, Tenant, User};
use crate::tenant_file::{Limits, Problem, ReadSummary, TenantSink, parse, read_stream};

fn problems(input: &[u8]) -> Vec<Problem> {
    parse(input, now()).unwrap_err()
}

fn texts(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// Counts what the reader pulls from its input.
struct Counted<R> {
    inner: R,
    pulled: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.pulled.set(self.pulled.get() + n as u64);
        Ok(n)
    }
}

/// Reads `input` with `limits` into a sink that keeps nothing; the problems and the bytes pulled.
fn refused(input: impl Read, limits: &Limits) -> (Vec<Problem>, u64) {
    let pulled = Rc::new(Cell::new(0));
    let counted = Counted {
        inner: input,
        pulled: Rc::clone(&pulled),
    };
    let mut sink = Recorder::default();
    let problems = read_stream(counted, now(), &mut sink, limits).unwrap_err();
    (problems, pulled.get())
}

/// What the reader may pull beyond a budget: its read-ahead, twice.
const SLACK: u64 = 2 * (64 << 10);

#[test]
fn a_key_twice_in_any_object_is_a_problem_at_its_path() {
    let file = br#"{
  "version": 1, "version": 1,
  "tenant": {"name": "T", "domain": "t.example", "name": "U"},
  "policy": {"verification": {"codeLength": 6, "codeLength": 7}},
  "users": [
    {"userPrincipalName": "a@t.example", "displayName": "A", "displayName": "B"},
    {"userPrincipalName": "b@t.example", "displayName": "B",
     "phoneMethods": [{"phoneType": "mobile", "phoneNumber": "+1 2065550100", "phoneNumber": "+1 2065550101"}],
     "block": {"kind": "admin", "kind": "admin"}, "blocked": true}
  ],
  "devices": [{"phoneNumber": "+1 2065550100", "poweredOn": true, "poweredOn": false}],
  "extra": 1, "extra": 2
}"#;
    let found = texts(&problems(file));
    for expected in [
        "version: duplicate key",
        "tenant.name: duplicate key",
        "policy.verification.codeLength: duplicate key",
        "users[0].displayName: duplicate key",
        "users[1].phoneMethods[0].phoneNumber: duplicate key",
        "users[1].block.kind: duplicate key",
        "devices[0].poweredOn: duplicate key",
        "extra: unknown key",
        "extra: duplicate key",
    ] {
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "missing {expected:?} in {found:#?}"
        );
    }
    // A second `users` array is reported, not read.
    let twice = br#"{"version": 1, "tenant": {"name": "T", "domain": "t"}, "users": [], "users": [{"x": 1}]}"#;
    assert_eq!(
        texts(&problems(twice)),
        ["users: duplicate key (a key may appear only once in an object)"]
    );
}

#[test]
fn a_utf8_byte_order_mark_is_skipped_and_utf16_is_refused_clearly() {
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(crate::demo::DEMO_TENANT.as_bytes());
    assert_eq!(parse(&with_bom, now()).unwrap(), demo());
    let utf16: Vec<u8> = "\u{feff}{\"version\": 1}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        texts(&problems(&utf16)),
        ["the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"]
    );
}

#[test]
fn invalid_utf8_and_invalid_json_give_one_problem_with_line_and_column() {
    assert_eq!(
        texts(&problems(b"{\"version\": 1,\n  \"x\": \"\xff\xfe\"}")),
        ["the file is not UTF-8 text (invalid byte at line 2, column 9)"]
    );
    // Outside strings too, where the JSON parser would not look.
    assert_eq!(
        texts(&problems(b"{\"users\": [{\"displayName\": \"A\"}], \xc3}")),
        ["the file is not UTF-8 text (invalid byte at line 1, column 35)"]
    );
    let broken = texts(&problems(
        b"{\"version\": 1,\n \"users\": [{\"displayName\": \"A\"},]}",
    ));
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(broken[0].contains("line 2 column"), "{broken:?}");
}

#[test]
fn endless_inputs_are_refused_after_one_budget() {
    let limits = Limits::default();
    // /dev/zero: not JSON at the first byte.
    let (found, pulled) = refused(io::repeat(0), &limits);
    assert_eq!(
        texts(&found),
        ["not valid JSON: expected value at line 1 column 1"]
    );
    assert!(pulled <= SLACK, "{pulled}");
    // Whitespace for ever, before the object and inside it.
    let (found, pulled) = refused(io::repeat(b' '), &limits);
    assert_eq!(
        texts(&found),
        [
            "no tenant file object in the first 1 MiB (only whitespace, or a value that is not an object)"
        ]
    );
    assert!(pulled <= limits.value_bytes + SLACK, "{pulled}");
    let (found, pulled) = refused(b"{\"version\": 1,".chain(io::repeat(b'\n')), &limits);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.starts_with(
            "more than 1 MiB of keys, whitespace or punctuation outside any value (at line "
        ),
        "{found:?}"
    );
    assert!(pulled <= limits.value_bytes + SLACK + 20, "{pulled}");
    // A display name that never ends.
    let head = &b"{\"version\": 1, \"users\": [{\"userPrincipalName\": \"a@t.example\"}, {\"displayName\": \""[..];
    let (found, pulled) = refused(head.chain(io::repeat(b'a')), &limits);
    assert_eq!(
        texts(&found),
        ["users[1]: this user takes more than 256 KiB, the limit for one user"]
    );
    assert!(pulled <= limits.record_bytes + SLACK + 200, "{pulled}");
    // A tenant that never ends, and a device.
    let head = &b"{\"tenant\": {\"name\": ["[..];
    let (found, _) = refused(head.chain(io::repeat(b'1').take(1 << 30)), &limits);
    assert_eq!(
        texts(&found),
        ["tenant: takes more than 1 MiB, the limit for one top-level value"]
    );
    let head = &b"{\"devices\": [{}, {\"blockedSenders\": [\""[..];
    let (found, _) = refused(head.chain(io::repeat(b'1')), &limits);
    assert_eq!(
        texts(&found),
        ["devices[1]: this device takes more than 256 KiB, the limit for one device"]
    );
    // Users for ever: the file's own limit.
    let small = Limits {
        file_bytes: 1 << 20,
        ..Limits::default()
    };
    let user = &b"{\"userPrincipalName\": \"a@t.example\", \"displayName\": \"A\"},"[..];
    let endless = UsersForEver { user, at: 0 };
    let (found, pulled) = refused(b"{\"version\": 1, \"users\": [".chain(endless), &small);
    assert_eq!(
        texts(&found),
        ["the file is larger than 1 MiB, the limit for a tenant file"]
    );
    assert!(pulled <= small.file_bytes + SLACK, "{pulled}");
}

/// The same user object, again and again.
struct UsersForEver<'a> {
    user: &'a [u8],
    at: usize,
}

impl Read for UsersForEver<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            out[n] = self.user[self.at];
            self.at = (self.at + 1) % self.user.len();
            n += 1;
        }
        Ok(n)
    }
}

#[test]
fn a_string_over_the_limit_stops_the_read_at_its_path() {
    let name = "n".repeat(Limits::DEFAULT_STRING_BYTES + 1);
    let file =
        format!(r#"{{"version": 1, "tenant": {{"name": "{name}", "domain": "t"}}, "users": []}}"#);
    assert_eq!(
        texts(&problems(file.as_bytes())),
        ["tenant.name: longer than 64 KiB, the limit for one string"]
    );
    let file = format!(r#"{{"users": [{{}}, {{"groups": ["a", "{name}"]}}]}}"#);
    assert_eq!(
        texts(&problems(file.as_bytes())),
        ["users[1].groups[1]: longer than 64 KiB, the limit for one string"]
    );
    let file = format!(r#"{{"users": [{{"{name}": 1}}]}}"#);
    assert_eq!(
        texts(&problems(file.as_bytes())),
        ["users[0].(a key): longer than 64 KiB, the limit for one string"]
    );
}

#[test]
fn a_file_full_of_problems_keeps_the_first_thousand_and_counts_the_rest() {
    let users: Vec<String> = (0..3000)
        .map(|i| format!(r#"{{"userPrincipalName": "u{i}@t.example"}}"#))
        .collect();
    let file = format!(
        r#"{{"version": 1, "tenant": {{"name": "T", "domain": "t"}}, "users": [{}]}}"#,
        users.join(",")
    );
    let found = problems(file.as_bytes());
    assert_eq!(found.len(), 1001);
    assert_eq!(found[999].to_string(), "users[999].displayName: required");
    assert_eq!(
        found[1000].to_string(),
        "... and 2000 more problems (only the first 1000 are listed)"
    );
}

/// A sink that remembers what it was given.
#[derive(Default)]
struct Recorder {
    tenants: Vec<Tenant>,
    policies: Vec<Policy>,
    users: Vec<(usize, String)>,
    devices: Vec<Device>,
    progress: Vec<(u64, usize)>,
    fail_at: Option<usize>,
}

impl TenantSink for Recorder {
    fn tenant(&mut self, tenant: Tenant) {
        self.tenants.push(tenant);
    }

    fn policy(&mut self, policy: Policy) {
        self.policies.push(policy);
    }

    fn user(&mut self, index: usize, user: User) -> Result<(), String> {
        if self.fail_at == Some(index) {
            return Err("the store is full".into());
        }
        self.users.push((index, user.upn().to_string()));
        Ok(())
    }

    fn device(&mut self, device: Device) {
        self.devices.push(device);
    }

    fn progress(&mut self, bytes: u64, users: usize) {
        self.progress.push((bytes, users));
    }
}

fn many_users(count: usize) -> String {
    let users: Vec<String> = (0..count)
        .map(|i| format!(r#"{{"userPrincipalName": "u{i}@t.example", "displayName": "U {i}"}}"#))
        .collect();
    format!(
        r#"{{"users": [{}], "devices": [{{"phoneNumber": "+1 2065550100"}}], "tenant": {{"name": "T", "domain": "t"}}, "version": 1}}"#,
        users.join(",\n")
    )
}

#[test]
fn the_sink_gets_every_record_in_file_order_and_hears_progress() {
    let file = many_users(10_000);
    let mut sink = Recorder::default();
    let summary = read_stream(file.as_bytes(), now(), &mut sink, &Limits::default()).unwrap();
    assert_eq!(
        summary,
        ReadSummary {
            users: 10_000,
            devices: 1,
            bytes: file.len() as u64
        }
    );
    assert!(
        sink.users
            .iter()
            .enumerate()
            .all(|(i, (index, upn))| { *index == i && *upn == format!("u{i}@t.example") })
    );
    assert_eq!(sink.tenants.len(), 1);
    // No policy in the file: the default one, once.
    assert_eq!(sink.policies, [Policy::default()]);
    assert_eq!(sink.devices.len(), 1);
    assert!(sink.progress.len() >= 2);
    assert!(
        sink.progress
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1)
    );
    assert_eq!(sink.progress.last(), Some(&(file.len() as u64, 10_000)));
}

#[test]
fn a_failing_sink_stops_the_read_with_the_users_path() {
    let file = many_users(100);
    let mut sink = Recorder {
        fail_at: Some(42),
        ..Recorder::default()
    };
    let found = read_stream(file.as_bytes(), now(), &mut sink, &Limits::default()).unwrap_err();
    assert_eq!(texts(&found), ["users[42]: the store is full"]);
    assert_eq!(sink.users.len(), 42);
}

#[test]
fn once_a_problem_is_certain_the_sink_gets_no_more_users() {
    let file = r#"{"version": 1, "tenant": {"name": "T", "domain": "t"}, "users": [
        {"userPrincipalName": "a@t.example", "displayName": "A"},
        {"userPrincipalName": "b@t.example", "displayName": ""},
        {"userPrincipalName": "c@t.example", "displayName": "C"},
        {"userPrincipalName": "A@t.example", "displayName": "A again"},
        {"userPrincipalName": "a@t.example", "displayName": "A thrice"}]}"#;
    let mut sink = Recorder::default();
    let found = read_stream(file.as_bytes(), now(), &mut sink, &Limits::default()).unwrap_err();
    assert_eq!(sink.users, [(0, "a@t.example".to_owned())]);
    // Every later duplicate names the first user with the name.
    assert_eq!(
        texts(&found),
        [
            "users[1].displayName: must not be empty",
            "users[3].userPrincipalName: duplicate of users[0] (user principal names ignore case)",
            "users[4].userPrincipalName: duplicate of users[0] (user principal names ignore case)",
        ]
    );
}

#[test]
fn office_phones_read_before_a_forbidding_policy_are_reported_once_it_is_known() {
    let file = r#"{"version": 1, "tenant": {"name": "T", "domain": "t"}, "users": [
        {"userPrincipalName": "a@t.example", "displayName": "A",
         "phoneMethods": [{"phoneType": "office", "phoneNumber": "+1 2065550100"}]}],
        "policy": {"officePhoneAllowed": false}}"#;
    assert_eq!(
        texts(&problems(file.as_bytes())),
        [
            "users[0].phoneMethods[0].phoneType: the policy does not allow office phones (officePhoneAllowed is false)"
        ]
    );
    let allowed = file.replace("false", "true");
    assert!(parse(allowed.as_bytes(), now()).is_ok());
}
