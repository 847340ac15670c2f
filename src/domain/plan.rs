//! Numbering plans: libphonenumber's metadata for one region (or non-geographic calling code),
//! read from the `phonenumber` crate and prepared the way libphonenumber itself uses it.
//!
//! The crate stays the metadata source. What it loads differs from libphonenumber's runtime
//! metadata in three places, which this module puts right once, when the plans are built:
//!
//! - the general descriptor has no possible lengths (libphonenumber's build step sets them to the
//!   union of the type descriptors' lengths, local-only lengths apart);
//! - `nationalPrefixForParsing` is absent where the XML leaves it out (libphonenumber then uses
//!   the national prefix itself);
//! - the non-geographic entities (`001`: +800, +808, ...) share one id, so the crate's by-id map
//!   keeps only one of them; plans are therefore found by calling code.
//!
//! Patterns are compiled lazily, one at a time, and kept (see [`pattern`]).
//!
//! Building the crate's own database compiles-to-check every pattern of every region, about 70 ms
//! in each process: more than a whole headless command may take. So the plans are kept as text
//! ([`table`], embedded in the binary and read in about a millisecond), and a test proves that the
//! table is exactly what the crate's metadata gives; a crate upgrade fails that test until the
//! table is regenerated from it.

pub(crate) mod pattern;
pub(crate) mod table;

use std::collections::HashMap;
use std::sync::LazyLock;

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};

use self::pattern::{Anchor, Pattern};
use super::number_type::NumberType;

/// libphonenumber's region code for the non-geographic calling codes.
pub const NON_GEOGRAPHIC: &str = "001";

/// A number descriptor: the pattern a whole national number must match, and its lengths.
#[derive(Debug)]
pub(crate) struct Desc {
    pub(super) pattern: Pattern,
    pub(super) lengths: Vec<u16>,
    pub(super) local_lengths: Vec<u16>,
}

impl Desc {
    fn from_crate(desc: &Descriptor) -> Self {
        Self {
            pattern: Pattern::new(desc.national_number().as_str(), Anchor::Whole),
            lengths: desc.possible_length().to_vec(),
            local_lengths: desc.possible_local_length().to_vec(),
        }
    }

    /// libphonenumber's `isNumberMatchingDesc`: a possible length, and a full pattern match.
    pub(crate) fn matches(&self, national: &str) -> bool {
        let length_ok = self.lengths.is_empty()
            || u16::try_from(national.len()).is_ok_and(|len| self.lengths.contains(&len));
        length_ok && self.pattern.matches(national)
    }

    /// True when the number has one of the descriptor's possible lengths.
    pub(crate) fn fits_length(&self, national: &str) -> bool {
        u16::try_from(national.len()).is_ok_and(|len| self.lengths.contains(&len))
    }

    /// libphonenumber's `matchNationalNumber` without a prefix match: the pattern alone.
    pub(crate) fn pattern_matches(&self, national: &str) -> bool {
        self.pattern.matches(national)
    }
}

/// What libphonenumber's `testNumberLength` says about a national number's length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum LengthFit {
    Possible,
    PossibleLocalOnly,
    TooShort,
    InvalidLength,
    TooLong,
}

/// One region's numbering plan.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(super) id: String,
    pub(super) country_code: u16,
    pub(super) general: Desc,
    /// The special-service types, in the order libphonenumber tests them.
    pub(super) services: Vec<(NumberType, Desc)>,
    pub(super) fixed_line: Option<Desc>,
    pub(super) mobile: Option<Desc>,
    pub(super) same_fixed_line_and_mobile: bool,
    pub(super) international_prefix: Option<Pattern>,
    pub(super) national_prefix_for_parsing: Option<Pattern>,
    pub(super) national_prefix_transform: Option<String>,
    pub(super) leading_digits: Option<Pattern>,
}

impl Plan {
    fn from_crate(meta: &Metadata) -> Self {
        let d = meta.descriptors();
        let desc = |x: Option<&Descriptor>| x.map(Desc::from_crate);
        let services: Vec<(NumberType, Desc)> = [
            (NumberType::PremiumRate, desc(d.premium_rate())),
            (NumberType::TollFree, desc(d.toll_free())),
            (NumberType::SharedCost, desc(d.shared_cost())),
            (NumberType::Voip, desc(d.voip())),
            (NumberType::PersonalNumber, desc(d.personal_number())),
            (NumberType::Pager, desc(d.pager())),
            (NumberType::Uan, desc(d.uan())),
            (NumberType::Voicemail, desc(d.voicemail())),
        ]
        .into_iter()
        .filter_map(|(kind, desc)| desc.map(|desc| (kind, desc)))
        .collect();
        let fixed_line = desc(d.fixed_line());
        let mobile = desc(d.mobile());
        let same_fixed_line_and_mobile = match (&fixed_line, &mobile) {
            (Some(f), Some(m)) => f.pattern.source() == m.pattern.source(),
            _ => false,
        };
        let mut general = Desc::from_crate(d.general());
        let (lengths, local_lengths) = union_of_lengths(
            services
                .iter()
                .map(|(_, d)| d)
                .chain(&fixed_line)
                .chain(&mobile),
        );
        general.lengths = lengths;
        general.local_lengths = local_lengths;
        let national_prefix_for_parsing = meta
            .national_prefix_for_parsing()
            .map(|re| re.as_str())
            .or(meta.national_prefix())
            .filter(|source| !source.trim().is_empty())
            .map(|source| Pattern::new(source, Anchor::Start));
        Self {
            id: meta.id().to_owned(),
            country_code: meta.country_code(),
            general,
            services,
            fixed_line,
            mobile,
            same_fixed_line_and_mobile,
            international_prefix: meta
                .international_prefix()
                .map(|re| Pattern::new(re.as_str(), Anchor::Start)),
            national_prefix_for_parsing,
            national_prefix_transform: meta
                .national_prefix_transform_rule()
                .filter(|rule| !rule.is_empty())
                .map(str::to_owned),
            leading_digits: meta
                .leading_digits()
                .map(|re| Pattern::new(re.as_str(), Anchor::Start)),
        }
    }

    /// The region code (`GB`), or `001` for a non-geographic calling code.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn country_code(&self) -> u16 {
        self.country_code
    }

    pub(crate) fn general(&self) -> &Desc {
        &self.general
    }

    pub(crate) fn international_prefix(&self) -> Option<&Pattern> {
        self.international_prefix.as_ref()
    }

    pub(crate) fn national_prefix_for_parsing(&self) -> Option<&Pattern> {
        self.national_prefix_for_parsing.as_ref()
    }

    pub(crate) fn national_prefix_transform(&self) -> Option<&str> {
        self.national_prefix_transform.as_deref()
    }

    pub(crate) fn leading_digits(&self) -> Option<&Pattern> {
        self.leading_digits.as_ref()
    }

    /// libphonenumber's `getNumberTypeHelper`: the type of a national significant number in this
    /// plan, leading zeros included, or `Unknown` when the plan knows no such number.
    pub(crate) fn number_type(&self, national: &str) -> NumberType {
        if !self.general.matches(national) {
            return NumberType::Unknown;
        }
        if let Some((kind, _)) = self.services.iter().find(|(_, d)| d.matches(national)) {
            return *kind;
        }
        let matches = |d: &Option<Desc>| d.as_ref().is_some_and(|d| d.matches(national));
        if matches(&self.fixed_line) {
            return if self.same_fixed_line_and_mobile || matches(&self.mobile) {
                NumberType::FixedLineOrMobile
            } else {
                NumberType::FixedLine
            };
        }
        if !self.same_fixed_line_and_mobile && matches(&self.mobile) {
            return NumberType::Mobile;
        }
        NumberType::Unknown
    }

    /// libphonenumber's `testNumberLength` for an unknown type (the general descriptor).
    pub(crate) fn length_fit(&self, national: &str) -> LengthFit {
        let possible = &self.general.lengths;
        let (Some(&min), Some(&max)) = (possible.first(), possible.last()) else {
            return LengthFit::InvalidLength;
        };
        let Ok(len) = u16::try_from(national.len()) else {
            return LengthFit::TooLong;
        };
        if self.general.local_lengths.contains(&len) {
            LengthFit::PossibleLocalOnly
        } else if len == min {
            LengthFit::Possible
        } else if len < min {
            LengthFit::TooShort
        } else if len > max {
            LengthFit::TooLong
        } else if possible.contains(&len) {
            LengthFit::Possible
        } else {
            LengthFit::InvalidLength
        }
    }
}

/// The general descriptor's lengths as libphonenumber's build step computes them: the union of
/// all type lengths, and the local-only lengths that are not also full lengths.
fn union_of_lengths<'a>(descs: impl Iterator<Item = &'a Desc>) -> (Vec<u16>, Vec<u16>) {
    let mut lengths = Vec::new();
    let mut local = Vec::new();
    for d in descs {
        lengths.extend_from_slice(&d.lengths);
        local.extend_from_slice(&d.local_lengths);
    }
    lengths.sort_unstable();
    lengths.dedup();
    local.sort_unstable();
    local.dedup();
    local.retain(|l| !lengths.contains(l));
    (lengths, local)
}

/// All plans, with the two ways to find them.
struct Registry {
    plans: Vec<Plan>,
    /// Calling code to plan indices, the code's main region first (libphonenumber's order).
    by_code: HashMap<u16, Vec<usize>>,
    /// Geographic region code to plan index.
    by_region: HashMap<String, usize>,
}

impl Registry {
    /// Indexes `plans`, given in calling-code order with each code's main region first.
    fn new(plans: Vec<Plan>) -> Self {
        let mut by_code: HashMap<u16, Vec<usize>> = HashMap::new();
        let mut by_region = HashMap::new();
        for (index, plan) in plans.iter().enumerate() {
            by_code.entry(plan.country_code).or_default().push(index);
            if plan.id != NON_GEOGRAPHIC {
                by_region.insert(plan.id.clone(), index);
            }
        }
        Self {
            plans,
            by_code,
            by_region,
        }
    }
}

/// Every plan the crate's metadata holds, as [`Plan::from_crate`] prepares it (the source the
/// embedded table is checked against).
pub(crate) fn from_crate() -> Vec<Plan> {
    let mut plans = Vec::new();
    // The crate keeps every calling code's regions in libphonenumber's order, main region first.
    for code in 1..1000u16 {
        if let Some(metas) = DATABASE.by_code(&code) {
            plans.extend(metas.iter().map(|meta| Plan::from_crate(meta)));
        }
    }
    plans
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    // The table is generated from the crate and checked against it by a test; should it ever
    // fail to read, the crate's metadata is the fallback.
    let plans = table::read(table::EMBEDDED).unwrap_or_else(|_| from_crate());
    Registry::new(plans)
});

/// The plan of a geographic region (`GB`).
pub(crate) fn for_region(region: &str) -> Option<&'static Plan> {
    let registry = &*REGISTRY;
    registry
        .by_region
        .get(region)
        .and_then(|&i| registry.plans.get(i))
}

/// The plans sharing a calling code, main region first (`+44`: GB, GG, IM, JE).
pub(crate) fn for_code(code: u16) -> impl Iterator<Item = &'static Plan> {
    let registry = &*REGISTRY;
    registry
        .by_code
        .get(&code)
        .into_iter()
        .flatten()
        .filter_map(|&i| registry.plans.get(i))
}

/// The main plan of a calling code: the one libphonenumber reads national prefixes with.
pub(crate) fn main_for_code(code: u16) -> Option<&'static Plan> {
    for_code(code).next()
}

/// Every calling code, ascending.
pub(crate) fn codes() -> impl Iterator<Item = u16> {
    static CODES: LazyLock<Vec<u16>> = LazyLock::new(|| {
        let mut codes: Vec<u16> = REGISTRY.by_code.keys().copied().collect();
        codes.sort_unstable();
        codes
    });
    CODES.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_lengths_are_the_union_of_the_type_lengths() {
        let us = for_region("US").unwrap();
        assert_eq!(us.general.lengths, vec![10]);
        assert_eq!(us.general.local_lengths, vec![7]);
        assert_eq!(us.length_fit("2065550100"), LengthFit::Possible);
        assert_eq!(us.length_fit("5550100"), LengthFit::PossibleLocalOnly);
        assert_eq!(us.length_fit("20655501001"), LengthFit::TooLong);
    }

    #[test]
    fn national_prefix_for_parsing_defaults_to_the_national_prefix() {
        // US has no nationalPrefixForParsing in the XML; libphonenumber uses the prefix "1".
        let us = for_region("US").unwrap();
        assert_eq!(us.national_prefix_for_parsing().unwrap().source(), "1");
    }

    #[test]
    fn every_non_geographic_code_has_its_plan() {
        for code in [800, 808, 870, 878, 881, 882, 883, 888, 979] {
            let plan = main_for_code(code).unwrap();
            assert_eq!(plan.id(), NON_GEOGRAPHIC, "+{code}");
            assert_eq!(plan.country_code(), code);
        }
    }

    #[test]
    fn regions_of_a_shared_code_come_main_region_first() {
        let ids: Vec<&str> = for_code(7).map(Plan::id).collect();
        assert_eq!(ids, ["RU", "KZ"]);
        assert_eq!(main_for_code(1).unwrap().id(), "US");
    }

    #[test]
    fn a_leading_zero_belongs_to_the_number() {
        // Côte d'Ivoire mobiles start with 0 (+225 07 ...): the type comes from the descriptors
        // with that zero, not from the number without it.
        let ci = for_region("CI").unwrap();
        assert_eq!(ci.number_type("0701234567"), NumberType::Mobile);
        let it = for_region("IT").unwrap();
        assert_eq!(it.number_type("0236618300"), NumberType::FixedLine);
    }
}
