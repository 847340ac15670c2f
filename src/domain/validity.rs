//! Validity, region and number type of a number, as libphonenumber answers them
//! (`isValidNumber`, `getRegionCodeForNumber`, `getNumberType`), from the numbering plans.
//!
//! The `phonenumber` crate answers these from the national number *without its leading zeros*
//! and accepts a pattern that matches only the start of the number. Here the national
//! significant number is used as it is (`+225 07…`, `+39 06…`), and every pattern must match
//! the whole number.

use super::number_type::NumberType;
use super::phone::PhoneNumber;
use super::plan::{self, NON_GEOGRAPHIC, Plan};

/// What the metadata says about one number.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Classification {
    /// The region (`GB`), `001` for a non-geographic code, or `None` when a shared calling code
    /// cannot be narrowed to one region.
    pub region: Option<&'static str>,
    pub valid: bool,
    /// `Unknown` exactly when the number is not valid.
    pub number_type: NumberType,
}

/// Classifies a calling code and national significant number.
pub fn classify_digits(country_code: u16, national: &str) -> Classification {
    let plan = region_plan(country_code, national);
    let number_type = plan.map_or(NumberType::Unknown, |p| p.number_type(national));
    Classification {
        region: plan.map(Plan::id),
        valid: number_type != NumberType::Unknown,
        number_type,
    }
}

/// Classifies a number (its extension plays no part).
pub fn classify(number: &PhoneNumber) -> Classification {
    classify_digits(number.country_code(), number.national())
}

/// True when libphonenumber considers `+country_code national` a valid number.
pub fn is_valid_digits(country_code: u16, national: &str) -> bool {
    classify_digits(country_code, national).valid
}

/// The region name shown in messages for a calling code: its main region (`+44` -> `GB`), or
/// `001` for the non-geographic codes.
pub fn main_region(country_code: u16) -> Option<&'static str> {
    plan::main_for_code(country_code).map(Plan::id)
}

/// The calling codes for which `national` is a valid number, ascending. Plans whose lengths
/// cannot fit the number are skipped before any pattern runs, so the search over ~245 plans
/// costs a few pattern matches.
pub fn codes_where_valid(national: &str) -> impl Iterator<Item = u16> + '_ {
    plan::codes().filter(move |&code| {
        plan::for_code(code).any(|p| p.general().fits_length(national))
            && is_valid_digits(code, national)
    })
}

/// libphonenumber's `getRegionCodeForNumber`: the one region of the calling code, or among
/// regions sharing it the first whose leading digits match (or, without leading digits, whose
/// plan knows the number).
fn region_plan(country_code: u16, national: &str) -> Option<&'static Plan> {
    let mut plans = plan::for_code(country_code).peekable();
    let first = plans.next()?;
    if plans.peek().is_none() {
        return Some(first);
    }
    std::iter::once(first)
        .chain(plans)
        .find(|p| match p.leading_digits() {
            Some(leading) => leading.prefix_len(national).is_some(),
            None => p.number_type(national) != NumberType::Unknown,
        })
}

/// True for libphonenumber's non-geographic region code.
pub fn is_non_geographic(region: &str) -> bool {
    region == NON_GEOGRAPHIC
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(code: u16, national: &str) -> Classification {
        classify_digits(code, national)
    }

    #[test]
    fn national_numbers_that_start_with_zero_are_typed_with_their_zeros() {
        // Côte d'Ivoire, Benin and Congo mobiles: the crate types them from "701234567".
        assert_eq!(of(225, "0701234567").number_type, NumberType::Mobile);
        assert_eq!(of(229, "0190011234").number_type, NumberType::Mobile);
        assert_eq!(of(242, "061234567").number_type, NumberType::Mobile);
        // Italy, Vatican City, San Marino: the region too comes from the number with its zero.
        let rome = of(39, "0669881234");
        assert_eq!((rome.region, rome.valid), (Some("VA"), true));
        let milan = of(39, "0236618300");
        assert_eq!(
            (milan.region, milan.number_type),
            (Some("IT"), NumberType::FixedLine)
        );
        assert_eq!(of(378, "0549886377").region, Some("SM"));
    }

    #[test]
    fn validity_needs_a_whole_match_not_a_prefix_match() {
        // The crate calls +213 488880006 valid: a DZ pattern matches its first digits only.
        assert!(!of(213, "488880006").valid);
    }

    #[test]
    fn numbers_starting_with_the_trunk_digit_are_valid_where_the_plan_says_so() {
        let toll_free = of(7, "8005553535");
        assert_eq!(
            (toll_free.region, toll_free.number_type),
            (Some("RU"), NumberType::TollFree)
        );
    }

    #[test]
    fn shared_codes_are_narrowed_to_one_region() {
        assert_eq!(of(1, "2065550100").region, Some("US"));
        assert_eq!(of(1, "6045550190").region, Some("CA"));
        assert_eq!(of(44, "2079460000").region, Some("GB"));
        assert_eq!(of(7, "7012345678").region, Some("KZ"));
        // An invalid +1 number belongs to no region.
        assert_eq!(of(1, "4251234567").region, None);
        // A code of one region names it even for an invalid number.
        assert_eq!(of(49, "1").region, Some("DE"));
    }

    #[test]
    fn non_geographic_codes_have_region_001() {
        let c = of(800, "12345678");
        assert_eq!((c.region, c.valid), (Some("001"), true));
        assert!(is_non_geographic("001"));
    }
}
