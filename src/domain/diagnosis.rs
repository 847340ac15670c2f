//! Validity of a well-shaped number: warnings that explain, and a suggested correction where one
//! exists (DOMAIN.md §2). Nothing here refuses a number; shape errors do that.

use serde::Serialize;

use super::method::PhoneType;
use super::number_type::NumberType;
use super::phone::{PhoneNumber, known_country_codes};
use super::region::Region;

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
    pub suggestion: Option<PhoneNumber>,
}

impl Finding {
    fn new(kind: FindingKind, message: String) -> Self {
        Self {
            kind,
            message,
            suggestion: None,
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
    let Some(library) = number.to_library() else {
        return (false, NumberType::Unknown);
    };
    if !phonenumber::is_valid(&library) {
        return (false, NumberType::Unknown);
    }
    let kind = library.number_type(&phonenumber::metadata::DATABASE);
    (true, NumberType::from_library(kind))
}

/// Diagnoses `number` for `slot` (if known) and a user whose usage location is `home` (if known).
pub fn diagnose(number: &PhoneNumber, slot: Option<PhoneType>, home: Option<Region>) -> Diagnosis {
    let library = number.to_library();
    let (valid, number_type) = classify(number);
    let region = library
        .as_ref()
        .and_then(|n| n.country().id())
        .map(|id| id.as_ref().to_owned());

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if let Some(slot) = slot
        && number.extension().is_some()
        && !slot.allows_extension()
    {
        errors.push(Finding::new(
            FindingKind::Slot,
            format!("extensions are only meaningful for office phones, not for the {slot} slot"),
        ));
    }
    if valid {
        if let Some(finding) = country_mismatch(number, home) {
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

fn is_valid_number(country_code: u16, national: &str) -> Option<PhoneNumber> {
    let candidate = PhoneNumber::from_parts(country_code, national, None)?;
    candidate
        .to_library()
        .filter(phonenumber::is_valid)
        .map(|_| candidate)
}

fn region_name(country_code: u16) -> String {
    phonenumber::metadata::DATABASE
        .region(&country_code)
        .and_then(|regions| regions.first().map(|r| (*r).to_owned()))
        .unwrap_or_else(|| "?".into())
}

/// A valid number whose country code is not the one of the user's usage location. Roaming staff
/// exist, so this only warns; when the same digits are valid at home, that is the suggestion.
fn country_mismatch(number: &PhoneNumber, home: Option<Region>) -> Option<Finding> {
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
            region_name(number.country_code())
        ),
    );
    if let Some(at_home) = is_valid_number(home_code, number.national()) {
        finding
            .message
            .push_str(&format!("; the same digits are a valid {home} number"));
        finding.suggestion = Some(with_extension(at_home, number));
    }
    Some(finding)
}

/// An invalid number, with the likeliest correction: the usage location's country code, a doubled
/// country code, a stray trunk `0`, or the one country where these digits are valid.
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
    }
}

fn suggest_correction(
    code: u16,
    national: &str,
    home: Option<Region>,
) -> Option<(PhoneNumber, String)> {
    if let Some(home) = home
        && let Some(home_code) = home.country_code().filter(|c| *c != code)
        && let Some(fixed) = is_valid_number(home_code, national)
    {
        return Some((fixed, format!("valid with {home}'s country code")));
    }
    for len in 1..=3.min(national.len()) {
        if let Ok(inner) = national[..len].parse::<u16>()
            && let Some(fixed) = is_valid_number(inner, &national[len..])
        {
            return Some((fixed, "the country code looks doubled".into()));
        }
    }
    let trimmed = national.trim_start_matches('0');
    if trimmed.len() != national.len()
        && let Some(fixed) = is_valid_number(code, trimmed)
    {
        return Some((fixed, "without the trunk prefix 0".into()));
    }
    let mut elsewhere = known_country_codes()
        .iter()
        .filter(|c| **c != code)
        .filter_map(|c| is_valid_number(*c, national));
    match (elsewhere.next(), elsewhere.next()) {
        (Some(only), None) => {
            let region = region_name(only.country_code());
            Some((only, format!("it looks like a {region} number")))
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
    fn invalid_for_plus_one_but_valid_for_plus_44_is_suggested() {
        let d = diagnose(&number("+1 2079460123"), None, Some(region("GB")));
        assert_eq!(d.suggestion(), Some(&number("+44 2079460123")));
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
