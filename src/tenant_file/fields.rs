//! Typed reads from a JSON value that record a problem (with its path) instead of stopping, so
//! one pass over a file lists everything that is wrong with it.

use serde_json::{Map, Value};

use super::Problem;
use super::problems::Entry;
use crate::domain::PhoneNumber;

/// Collects problems while fields are read.
#[derive(Default)]
pub struct Fields {
    pub entries: Vec<Entry>,
}

impl Fields {
    pub fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.entries.push(Entry::Problem(Problem {
            path: path.to_owned(),
            message: message.into(),
        }));
    }

    /// An office phone at `path`, a problem only if the policy turns out to forbid them.
    pub fn if_office_forbidden(&mut self, path: String) {
        self.entries.push(Entry::IfOfficeForbidden(path));
    }

    /// The object at `path`, or a problem.
    pub fn object<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        let found = value.as_object();
        if found.is_none() {
            self.problem(path, format!("expected an object, found {}", kind(value)));
        }
        found
    }

    /// Reports every key of `object` that is not in `allowed`.
    pub fn only_keys(&mut self, object: &Map<String, Value>, path: &str, allowed: &[&str]) {
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                self.problem(
                    &join(path, key),
                    format!("unknown key (allowed here: {})", allowed.join(", ")),
                );
            }
        }
    }

    /// A required string.
    pub fn string<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<&'v str> {
        match object.get(key) {
            None => {
                self.problem(&join(path, key), "required");
                None
            }
            Some(v) => self.as_string_at(v, || join(path, key)),
        }
    }

    /// An optional string (absent or null is `None`).
    pub fn opt_string<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<&'v str> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.as_string_at(v, || join(path, key)),
        }
    }

    /// The string `value`, or a problem at the path `at` builds (only then: paths cost an
    /// allocation, and most values are fine).
    pub fn as_string_at<'v>(
        &mut self,
        value: &'v Value,
        at: impl FnOnce() -> String,
    ) -> Option<&'v str> {
        let found = value.as_str();
        if found.is_none() {
            self.problem(&at(), format!("expected a string, found {}", kind(value)));
        }
        found
    }

    /// An optional boolean, `default` when absent.
    pub fn bool(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        key: &str,
        default: bool,
    ) -> bool {
        match object.get(key) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.problem(
                    &join(path, key),
                    format!("expected true or false, found {}", kind(v)),
                );
                default
            }
        }
    }

    /// An optional whole number in `range`, `default` when absent.
    pub fn uint(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        key: &str,
        default: u64,
        range: std::ops::RangeInclusive<u64>,
    ) -> u64 {
        match object.get(key) {
            None => default,
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) if range.contains(&v) => v,
                _ => {
                    self.problem(
                        &join(path, key),
                        format!(
                            "expected a whole number from {} to {}, found {n}",
                            range.start(),
                            range.end()
                        ),
                    );
                    default
                }
            },
            Some(v) => {
                self.problem(
                    &join(path, key),
                    format!("expected a number, found {}", kind(v)),
                );
                default
            }
        }
    }

    /// An optional array (absent is empty).
    pub fn array<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &str,
        key: &str,
    ) -> &'v [Value] {
        match object.get(key) {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(v) => {
                self.problem(
                    &join(path, key),
                    format!("expected an array, found {}", kind(v)),
                );
                &[]
            }
        }
    }

    /// An optional array of strings.
    pub fn strings(&mut self, object: &Map<String, Value>, path: &str, key: &str) -> Vec<String> {
        let items = self.array(object, path, key);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_path = || index(&join(path, key), i);
            if let Some(s) = self.as_string_at(item, item_path) {
                if s.trim().is_empty() {
                    self.problem(&item_path(), "must not be empty");
                } else if s.chars().count() > 256 {
                    self.problem(&item_path(), "longer than 256 characters");
                } else {
                    out.push(s.to_owned());
                }
            }
        }
        out
    }
}

impl Fields {
    /// A required phone number in canonical form; a masked one (from an export without
    /// `--reveal`) gets its own explanation, since it can never be imported.
    pub fn number(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<PhoneNumber> {
        let text = self.string(object, path, key)?;
        if text.contains('*') {
            self.problem(
                &join(path, key),
                "the number is masked; import a backup made with `export --reveal`",
            );
            return None;
        }
        PhoneNumber::parse_canonical(text)
            .map_err(|e| self.problem(&join(path, key), e.to_string()))
            .ok()
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
