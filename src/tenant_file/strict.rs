//! One JSON value as a `serde_json::Value`, built straight from the parser with the checks
//! `serde_json`'s own `Value` does not make: a key that appears twice in an object is a problem
//! at its path (instead of the last one silently winning), and a string longer than the limit
//! stops the read. Paths are built only when something is wrong, from a chain of borrowed frames.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::Problem;
use super::fields::{index, join};
use super::problems::Entry;

/// What a duplicate key is told.
pub const DUPLICATE_KEY: &str = "duplicate key (a key may appear only once in an object)";

/// Where in the file a value sits: a root path (`users[3]`) and the keys and indices below it.
pub struct Frame<'a> {
    parent: Option<&'a Frame<'a>>,
    step: Step<'a>,
}

enum Step<'a> {
    Root(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> Frame<'a> {
    pub fn root(path: &'a str) -> Self {
        Self {
            parent: None,
            step: Step::Root(path),
        }
    }

    fn child(&'a self, step: Step<'a>) -> Self {
        Self {
            parent: Some(self),
            step,
        }
    }

    /// The JSON path, as problems name it (`users[3].phoneMethods[0].phoneType`).
    pub fn path(&self) -> String {
        let above = self.parent.map(Frame::path).unwrap_or_default();
        match self.step {
            Step::Root(path) => path.to_owned(),
            Step::Key(key) => join(&above, key),
            Step::Index(i) => index(&above, i),
        }
    }
}

/// The checks' state while values are built.
pub struct Checks {
    pub string_bytes: usize,
    /// Duplicate keys found, at their paths.
    pub found: Vec<Entry>,
    /// The path of a string over the limit; the read stops there.
    pub too_long: Option<String>,
}

impl Checks {
    pub fn new(string_bytes: usize) -> Self {
        Self {
            string_bytes,
            found: Vec::new(),
            too_long: None,
        }
    }

    fn string<E: de::Error>(&mut self, text: &str, at: impl FnOnce() -> String) -> Result<(), E> {
        if text.len() > self.string_bytes {
            self.too_long = Some(at());
            return Err(E::custom("a string is longer than the limit"));
        }
        Ok(())
    }
}

/// Deserializes one value at `frame`.
pub struct Strict<'c, 'f> {
    pub checks: &'c mut Checks,
    pub frame: &'f Frame<'f>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.checks.string(v, || self.frame.path())?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.checks.string(&v, || self.frame.path())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let frame = self.frame.child(Step::Index(items.len()));
            let seed = Strict {
                checks: &mut *self.checks,
                frame: &frame,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        loop {
            let key_seed = KeySeed {
                checks: &mut *self.checks,
                frame: self.frame,
            };
            let Some(key) = access.next_key_seed(key_seed)? else {
                break;
            };
            let frame = self.frame.child(Step::Key(&key));
            let value = access.next_value_seed(Strict {
                checks: &mut *self.checks,
                frame: &frame,
            })?;
            if map.contains_key(&key) {
                self.checks.found.push(Entry::Problem(Problem {
                    path: frame.path(),
                    message: DUPLICATE_KEY.to_owned(),
                }));
            } else {
                map.insert(key, value);
            }
        }
        Ok(Value::Object(map))
    }
}

/// A key of an object at `frame`, held to the string limit.
pub struct KeySeed<'c, 'f> {
    pub checks: &'c mut Checks,
    pub frame: &'f Frame<'f>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.checks
            .string(v, || join(&self.frame.path(), "(a key)"))?;
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        self.checks
            .string(&v, || join(&self.frame.path(), "(a key)"))?;
        Ok(v)
    }
}
