//! Regions (ISO 3166 alpha-2 codes as libphonenumber knows them): a user's usage location and the
//! country a number belongs to.

use std::fmt;
use std::str::FromStr;

use phonenumber::country::Id;

use super::plan;

/// A region libphonenumber has metadata for, such as `US` or `GB`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Region(Id);

impl Region {
    /// Accepts a two-letter code in any case; refuses codes the metadata does not know.
    pub fn parse(code: &str) -> Result<Self, UnknownRegion> {
        let upper = code.trim().to_ascii_uppercase();
        let unknown = || UnknownRegion(code.chars().take(8).collect());
        if upper.len() != 2 || plan::for_region(&upper).is_none() {
            return Err(unknown());
        }
        Id::from_str(&upper).map(Self).map_err(|_| unknown())
    }

    pub fn id(self) -> Id {
        self.0
    }

    pub fn code(&self) -> &str {
        self.0.as_ref()
    }

    /// The country calling code of this region (`GB` -> 44).
    pub fn country_code(self) -> Option<u16> {
        plan::for_region(self.0.as_ref()).map(plan::Plan::country_code)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A region code the phone metadata does not know.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a known two-letter region code (such as US, GB, AU)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRegion {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_regions_parse_in_any_case() {
        assert_eq!(Region::parse("us").unwrap().code(), "US");
        assert_eq!(Region::parse("GB").unwrap().country_code(), Some(44));
        assert_eq!(Region::parse("AU").unwrap().country_code(), Some(61));
    }

    #[test]
    fn unknown_regions_are_refused() {
        assert!(Region::parse("XX").is_err());
        assert!(Region::parse("USA").is_err());
        assert!(Region::parse("").is_err());
    }
}
