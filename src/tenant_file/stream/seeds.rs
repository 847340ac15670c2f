//! The seeds that walk a tenant file: the top-level object, and the `users` and `devices`
//! arrays one record at a time.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::reader::{Reader, Scope};
use crate::tenant_file::fields::index;
use crate::tenant_file::problems::Section;
use crate::tenant_file::strict::{Frame, KeySeed, Strict};

/// The visits of every JSON value but an object and an array: each reports what it found
/// through `$report` and carries on.
macro_rules! visit_scalars {
    ($report:ident) => {
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            self.$report("a boolean");
            Ok(())
        }

        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            self.$report("a number");
            Ok(())
        }

        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            self.$report("a number");
            Ok(())
        }

        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            self.$report("a number");
            Ok(())
        }

        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            self.$report("a string");
            Ok(())
        }

        fn visit_unit<E>(self) -> Result<(), E> {
            self.$report("null");
            Ok(())
        }
    };
}

/// The top-level value: an object of known keys.
pub(super) struct Top<'r, 's, 'l> {
    pub(super) reader: &'r mut Reader<'s, 'l>,
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

    visit_scalars!(not_an_object);
}

#[derive(Clone, Copy)]
pub(super) enum Kind {
    Users,
    Devices,
}

impl Kind {
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Devices => "devices",
        }
    }
}

/// The `users` or `devices` array, one record at a time.
pub(super) struct Records<'r, 's, 'l> {
    pub(super) reader: &'r mut Reader<'s, 'l>,
    pub(super) kind: Kind,
}

impl<'de> DeserializeSeed<'de> for Records<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Records<'_, '_, '_> {
    /// Anything but an array: skipped within the budget for one value, then reported.
    fn not_an_array(self, _found: &str) {
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
        self.not_an_array("an object");
        Ok(())
    }

    visit_scalars!(not_an_array);
}
