//! Validity of a well-shaped number: warnings that explain, and a suggested correction where one
//! exists (DOMAIN.md §2). Nothing here refuses a number; shape errors do that.
//!
//! A suggestion is the one-key fix (`x` in the number field, the wizard's `replace-number`). It is
//! offered only for a number that cannot work as entered (not valid), and only when the
//! correction is valid. A valid number from another country may be right (staff travel, keep a
//! foreign phone): its warning names the other reading, but does not offer it as the fix.

use serde::Serialize;

use super::method::PhoneType;
use super::number_type::NumberType;
use super::phone::PhoneNumber;
use super::region::Region;
use super::validity;

/// What kind of problem a finding is, as a stable JSON name.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FindingKind {
    /// The input cannot be brought into canonical form.
    Shape,
    /// The slot does not take this kind of number (extension outside the office slot).
    Slot,
    /// Right shape, but libphonenumber knows no such number.
    InvalidNumber,
    /// A valid number from another country than the user's usage location.
    CountryMismatch,
    /// A fixed-line number in a mobile slot.
    LandlineInMobileSlot,
    /// Premium-rate, toll-free, VoIP and other service numbers.
    ServiceNumber,
}

/// One error or warning, with the correction that fixes it when there is one. Messages never
/// contain the number itself, so they can be shown while the number is masked.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Finding {
    #[serde(rename = "code")]
    pub kind: FindingKind,
    pub message: String,
    /// The one-key correction: only for a number that cannot work as entered, and always valid.
    pub suggestion: Option<PhoneNumber>,
    /// Another valid reading of the same digits that is *not* offered as the fix, because the
    /// number as entered is valid too (a foreign number whose digits also work at home). The
    /// wizard offers it only after the caller says the user is not abroad.
    #[serde(rename = "otherReading", skip_serializing_if = "Option::is_none")]
    pub other_reading: Option<PhoneNumber>,
}

impl Finding {
    fn new(kind: FindingKind, message: String) -> Self {
        Self {
            kind,
            message,
            suggestion: None,
            other_reading: None,
        }
    }
}

/// What the metadata says about a well-shaped number.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnosis {
    pub region: Option<String>,
    pub number_type: NumberType,
    pub valid: bool,
    /// Findings that block saving in this slot.
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Diagnosis {
    /// The first suggested correction, the one a single key applies.
    pub fn suggestion(&self) -> Option<&PhoneNumber> {
        self.warnings.iter().find_map(|w| w.suggestion.as_ref())
    }
}

/// Validity and number type only: the cheap part of a diagnosis, for hot paths (SMS sign-in
/// state, generators) that need no explanation or suggestion.
pub fn classify(number: &PhoneNumber) -> (bool, NumberType) {
    let found = validity::classify(number);
    (found.valid, found.number_type)
}

/// Diagnoses `number` for `slot` (if known) and a user whose usage location is `home` (if known).
pub fn diagnose(number: &PhoneNumber, slot: Option<PhoneType>, home: Option<Region>) -> Diagnosis {
    if number.is_masked_by_tenant() {
        // The tenant hid its digits: there is nothing phonedesk can say about them.
        return Diagnosis {
            region: None,
            number_type: NumberType::Unknown,
            valid: false,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
    }
    let found = validity::classify(number);
    let (valid, number_type) = (found.valid, found.number_type);
    let region = found.region.map(str::to_owned);

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if let Some(slot) = slot
        && number.extension().is_some()
        && !slot.allows_extension()
    {
        errors.push(Finding::new(
            FindingKind::Slot,
            format!(
                "extensions are only meaningful for office phones, not for the {} slot",
                slot.label().to_lowercase()
            ),
        ));
    }
    if valid {
        if let Some(finding) = country_mismatch(number, found.region, home) {
            warnings.push(finding);
        }
    } else {
        warnings.push(invalid_number(number, home));
    }
    if let Some(slot) = slot.filter(|s| s.expects_mobile())
        && number_type == NumberType::FixedLine
    {
        let message = if slot == PhoneType::Mobile {
            "a fixed-line number in the mobile slot cannot receive text messages; calls still work (consider the office slot)"
        } else {
            "a fixed-line number in the alternate mobile slot; calls work, but it is not a mobile"
        };
        warnings.push(Finding::new(
            FindingKind::LandlineInMobileSlot,
            message.into(),
        ));
    }
    if let Some(caveat) = number_type.caveat() {
        warnings.push(Finding::new(
            FindingKind::ServiceNumber,
            format!("a {} number: {caveat}", number_type.describe()),
        ));
    }
    Diagnosis {
        region,
        number_type,
        valid,
        errors,
        warnings,
    }
}

/// `+country_code national` when it is a valid number.
fn valid_number(country_code: u16, national: &str) -> Option<PhoneNumber> {
    if !validity::is_valid_digits(country_code, national) {
        return None;
    }
    PhoneNumber::from_parts(country_code, national, None)
}

fn region_name(country_code: u16) -> &'static str {
    validity::main_region(country_code).unwrap_or("?")
}

/// A valid number whose country code is not the one of the user's usage location. Roaming staff
/// exist, so this only warns, and offers no one-key swap: when the same digits are valid at home,
/// the warning says so and carries that reading as [`Finding::other_reading`].
fn country_mismatch(
    number: &PhoneNumber,
    region: Option<&str>,
    home: Option<Region>,
) -> Option<Finding> {
    let home = home?;
    let home_code = home.country_code()?;
    if home_code == number.country_code() {
        return None;
    }
    let mut finding = Finding::new(
        FindingKind::CountryMismatch,
        format!(
            "a +{} ({}) number, but the user's usage location is {home} (+{home_code})",
            number.country_code(),
            region.unwrap_or_else(|| region_name(number.country_code()))
        ),
    );
    if let Some(at_home) = valid_number(home_code, number.national()) {
        finding.message.push_str(&format!(
            "; the same digits are valid in the user's usage location {home}: confirm whether the user is abroad"
        ));
        finding.other_reading = Some(with_extension(at_home, number));
    }
    Some(finding)
}

/// An invalid number, with the likeliest valid correction (see [`suggest_correction`]).
fn invalid_number(number: &PhoneNumber, home: Option<Region>) -> Finding {
    let code = number.country_code();
    let national = number.national();
    let mut message = format!(
        "right shape, but not a valid number for +{code} ({})",
        region_name(code)
    );
    let suggestion = suggest_correction(code, national, home);
    if let Some((_, why)) = &suggestion {
        message.push_str(&format!("; {why}"));
    }
    Finding {
        kind: FindingKind::InvalidNumber,
        message,
        suggestion: suggestion.map(|(fixed, _)| with_extension(fixed, number)),
        other_reading: None,
    }
}

/// The correction of an invalid number, likeliest first; every candidate is a valid number:
///
/// 1. a lost or stray leading `0` in the same country (`+39 669881234` -> `+39 0669881234`: the
///    digits after an international prefix were read without the Italian zero);
/// 2. the usage location's country code (`+1 491570157` for an AU user);
/// 3. a country code written twice, or another code written after it (`+61 61491570157`);
/// 4. the one country where these digits are valid, when there is exactly one.
fn suggest_correction(
    code: u16,
    national: &str,
    home: Option<Region>,
) -> Option<(PhoneNumber, String)> {
    let trimmed = national.trim_start_matches('0');
    if trimmed.len() != national.len()
        && let Some(fixed) = valid_number(code, trimmed)
    {
        return Some((fixed, "without the trunk prefix 0".into()));
    }
    if let Some(fixed) = valid_number(code, &format!("0{national}")) {
        return Some((
            fixed,
            "with the leading 0 that belongs to the number".into(),
        ));
    }
    if let Some(home) = home
        && let Some(home_code) = home.country_code().filter(|c| *c != code)
        && let Some(fixed) = valid_number(home_code, national)
    {
        return Some((fixed, format!("valid with {home}'s country code")));
    }
    for len in 1..=3.min(national.len()) {
        if let Ok(inner) = national[..len].parse::<u16>()
            && let Some(fixed) = valid_number(inner, &national[len..])
        {
            let why = if inner == code {
                "the country code looks doubled".to_owned()
            } else {
                format!("the digits after +{code} start with the country code +{inner}")
            };
            return Some((fixed, why));
        }
    }
    let mut elsewhere = validity::codes_where_valid(national).filter(|c| *c != code);
    match (elsewhere.next(), elsewhere.next()) {
        (Some(only), None) => {
            let fixed = PhoneNumber::from_parts(only, national, None)?;
            Some((
                fixed,
                format!("it looks like a {} number", region_name(only)),
            ))
        }
        _ => None,
    }
}

fn with_extension(fixed: PhoneNumber, original: &PhoneNumber) -> PhoneNumber {
    PhoneNumber::from_parts(fixed.country_code(), fixed.national(), original.extension())
        .unwrap_or(fixed)
}

/// The `phone check` answer: shape and validity together, shaped for JSON.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneCheck {
    pub input: String,
    pub canonical: Option<String>,
    pub country_code: Option<u16>,
    pub national_number: Option<String>,
    pub extension: Option<String>,
    pub region: Option<String>,
    pub number_type: NumberType,
    pub valid: bool,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    #[serde(skip)]
    pub number: Option<PhoneNumber>,
}

impl PhoneCheck {
    /// Accepted when the shape is right and the slot takes it, warnings or not.
    pub fn accepted(&self) -> bool {
        self.number.is_some() && self.errors.is_empty()
    }

    /// The first suggested correction.
    pub fn suggestion(&self) -> Option<&PhoneNumber> {
        self.warnings.iter().find_map(|w| w.suggestion.as_ref())
    }
}

/// Checks raw input: `region` reads national-format input, `slot` adds the slot rules, `home` is
/// the user's usage location for the country questions.
pub fn check(
    input: &str,
    region: Option<Region>,
    slot: Option<PhoneType>,
    home: Option<Region>,
) -> PhoneCheck {
    let shown_input: String = input.chars().take(super::phone::MAX_INPUT_CHARS).collect();
    match PhoneNumber::parse(input, region.or(home)) {
        Err(shape) => PhoneCheck {
            input: shown_input,
            canonical: None,
            country_code: None,
            national_number: None,
            extension: None,
            region: None,
            number_type: NumberType::Unknown,
            valid: false,
            errors: vec![Finding::new(FindingKind::Shape, shape.to_string())],
            warnings: Vec::new(),
            number: None,
        },
        Ok(number) => {
            let found = diagnose(&number, slot, home);
            PhoneCheck {
                input: shown_input,
                canonical: Some(number.to_string()),
                country_code: Some(number.country_code()),
                national_number: Some(number.national().to_owned()),
                extension: number.extension().map(str::to_owned),
                region: found.region,
                number_type: found.number_type,
                valid: found.valid,
                errors: found.errors,
                warnings: found.warnings,
                number: Some(number),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s, None).unwrap()
    }

    fn region(s: &str) -> Region {
        Region::parse(s).unwrap()
    }

    #[test]
    fn fictional_demo_ranges_are_valid() {
        for n in [
            "+1 2065550100",
            "+1 4255550199",
            "+61 491570156",
            "+61 491570159",
            "+44 2079460000",
            "+44 2079460999",
            "+33 199001234",
        ] {
            assert!(
                diagnose(&number(n), None, None).valid,
                "{n} should be valid"
            );
        }
    }

    #[test]
    fn right_shape_but_invalid_numbers_warn() {
        for n in ["+1 4251234567", "+1 5555551234", "+44 7700900123"] {
            let d = diagnose(&number(n), None, None);
            assert!(!d.valid, "{n}");
            assert_eq!(d.warnings[0].kind, FindingKind::InvalidNumber, "{n}");
        }
    }

    #[test]
    fn invalid_for_one_country_suggests_the_users_country() {
        let d = diagnose(
            &number("+1 491570156"),
            Some(PhoneType::Mobile),
            Some(region("AU")),
        );
        assert!(!d.valid);
        assert_eq!(d.suggestion(), Some(&number("+61 491570156")));
    }

    #[test]
    fn a_valid_foreign_number_names_the_home_reading_but_offers_no_fix() {
        // +1 207 946 0123 is a valid US number (Maine); for a GB user the same digits are also a
        // valid GB number. Either may be right, so nothing is one key away.
        let d = diagnose(&number("+1 2079460123"), None, Some(region("GB")));
        assert!(d.valid);
        assert_eq!(d.suggestion(), None);
        let mismatch = d
            .warnings
            .iter()
            .find(|w| w.kind == FindingKind::CountryMismatch)
            .unwrap();
        assert!(
            mismatch
                .message
                .contains("the same digits are valid in the user's usage location GB"),
            "{}",
            mismatch.message
        );
        assert_eq!(mismatch.other_reading, Some(number("+44 2079460123")));
    }

    #[test]
    fn an_invalid_us_number_gets_the_home_country_code() {
        let d = diagnose(&number("+1 4915701570"), None, Some(region("AU")));
        assert!(!d.valid);
        assert_eq!(d.suggestion(), None, "no valid AU reading of these digits");
        let d = diagnose(&number("+1 491570157"), None, Some(region("AU")));
        assert_eq!(d.suggestion(), Some(&number("+61 491570157")));
    }

    #[test]
    fn a_misread_international_prefix_is_not_corrected_to_the_home_country() {
        // Read in DE, 0039 06 6988 1234 is the Vatican number +39 0669881234: valid, no fix.
        let c = check(
            "0039 06 6988 1234",
            None,
            Some(PhoneType::Office),
            Some(region("DE")),
        );
        assert_eq!(c.canonical.as_deref(), Some("+39 0669881234"));
        assert!(c.valid);
        assert_eq!(c.suggestion(), None);
        assert!(
            c.warnings[0].message.starts_with("a +39 (VA) number"),
            "{}",
            c.warnings[0].message
        );
        // Had the Italian 0 been lost, the fix restores it instead of swapping in +49 (the same
        // digits are a valid DE number too).
        let d = diagnose(&number("+39 669881234"), None, Some(region("DE")));
        assert_eq!(d.suggestion(), Some(&number("+39 0669881234")));
    }

    #[test]
    fn doubled_country_code_is_suggested() {
        let d = diagnose(&number("+61 61491570157"), None, None);
        assert_eq!(d.suggestion(), Some(&number("+61 491570157")));
    }

    #[test]
    fn landline_in_mobile_slot_warns() {
        let d = diagnose(
            &number("+44 2079460001"),
            Some(PhoneType::Mobile),
            Some(region("GB")),
        );
        assert!(d.valid);
        assert_eq!(d.number_type, NumberType::FixedLine);
        assert!(
            d.warnings
                .iter()
                .any(|w| w.kind == FindingKind::LandlineInMobileSlot)
        );
        let office = diagnose(
            &number("+44 2079460001"),
            Some(PhoneType::Office),
            Some(region("GB")),
        );
        assert!(office.warnings.is_empty());
    }

    #[test]
    fn toll_free_and_premium_numbers_warn() {
        let toll_free = diagnose(&number("+1 8005550100"), Some(PhoneType::Mobile), None);
        assert_eq!(toll_free.number_type, NumberType::TollFree);
        assert!(
            toll_free
                .warnings
                .iter()
                .any(|w| w.kind == FindingKind::ServiceNumber)
        );
        let premium = diagnose(&number("+1 9005550100"), Some(PhoneType::Mobile), None);
        assert_eq!(premium.number_type, NumberType::PremiumRate);
        assert!(
            premium
                .warnings
                .iter()
                .any(|w| w.kind == FindingKind::ServiceNumber)
        );
    }

    #[test]
    fn extension_outside_office_is_an_error() {
        let c = check("+1 2065550100x12", None, Some(PhoneType::Mobile), None);
        assert!(!c.accepted());
        let c = check("+1 2065550100x12", None, Some(PhoneType::Office), None);
        assert!(c.accepted());
    }

    #[test]
    fn country_mismatch_warns_when_valid() {
        let d = diagnose(
            &number("+44 2079460002"),
            Some(PhoneType::Office),
            Some(region("US")),
        );
        assert!(
            d.warnings
                .iter()
                .any(|w| w.kind == FindingKind::CountryMismatch)
        );
    }

    #[test]
    fn shape_errors_surface_in_the_check() {
        let c = check("+1 abc", None, None, None);
        assert!(!c.accepted());
        assert_eq!(c.errors[0].kind, FindingKind::Shape);
        assert!(c.canonical.is_none());
    }
}
