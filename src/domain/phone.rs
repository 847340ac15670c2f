//! Phone numbers: the canonical `+CC NNNN[xEXT]` form and the way helpdesk input reaches it
//! (DOMAIN.md §2).
//!
//! Two questions are kept apart on purpose. *Shape* (can the input be brought into the canonical
//! form?) decides whether a number may be saved at all; [`PhoneNumber::parse`] answers it with a
//! [`ShapeError`] that says why. *Validity* (does libphonenumber's metadata know such a number?) only
//! produces warnings; [`crate::domain::diagnosis`] answers it.
//!
//! [`PhoneNumber::parse`] is the one reading of a number, wherever a number enters: the number
//! field, `phone check|add|update`, the sign-in page's number prompt, the tenant file (through
//! [`PhoneNumber::parse_canonical`]) and search queries (through [`read_in_regions`]).

mod characters;

use std::fmt;
use std::str::FromStr;

pub use self::characters::{describe as describe_character, is_invisible_or_bidi, is_separator};
use super::plan::{self, LengthFit};
use super::reading::{self, ReadError};
use super::region::Region;

/// Longest input we even look at. A phone number with an extension never needs more than ~40
/// characters; anything longer is a paste accident and is refused before any parsing work.
pub const MAX_INPUT_CHARS: usize = 64;
/// Longest extension accepted (PBX extensions are short; E.164 has no rule for them).
pub const MAX_EXTENSION_DIGITS: usize = 10;
/// E.164 allows at most 15 digits for country code plus national number.
pub const MAX_E164_DIGITS: usize = 15;
/// Shortest national number we accept as a shape. Real numbers are longer; this only stops typos
/// such as `+1 555` from being stored.
pub const MIN_NATIONAL_DIGITS: usize = 4;

/// A phone number in canonical form: country calling code, national significant number and an
/// optional extension, all digits.
///
/// A real tenant shows an Authentication Administrator its users' numbers masked; such a number
/// ([`PhoneNumber::masked_by_tenant`]) keeps only what the tenant showed (the country code and the
/// last digits), reads as masked everywhere, is never valid, and is never written back.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct PhoneNumber {
    country_code: u16,
    national: String,
    extension: Option<String>,
    /// Digits the tenant hid, in front of `national` (0 for a number phonedesk knows whole).
    hidden: u8,
}

/// Why an input cannot be brought into the canonical form. Each variant's message says what to do.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ShapeError {
    Required,
    TooLong { chars: usize },
    ControlCharacter { codepoint: u32 },
    InvisibleCharacter { codepoint: u32 },
    NonAsciiDigit { found: char },
    NotAllowed { found: char },
    Letters { text: String },
    MisplacedPlus,
    MoreThanOnePlus,
    NoDigitsAfterPlus,
    ExtensionNotDigits { text: String },
    ExtensionTooLong { digits: usize },
    EmptyExtension,
    NeedsCountry,
    UnknownCountryCode { digits: String },
    TooShort { digits: usize },
    TooManyDigits { digits: usize },
    NotCanonical { canonical: String },
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => write!(f, "a phone number is required"),
            Self::TooLong { chars } => write!(
                f,
                "{chars} characters is too long for a phone number (at most {MAX_INPUT_CHARS})"
            ),
            Self::ControlCharacter { codepoint } => write!(
                f,
                "contains a control character ({}); type the number on one line",
                describe_codepoint(*codepoint)
            ),
            Self::InvisibleCharacter { codepoint } => write!(
                f,
                "contains an invisible or direction-changing character ({}); retype the number instead of pasting it",
                describe_codepoint(*codepoint)
            ),
            Self::NonAsciiDigit { found } => write!(
                f,
                "{} is not an ASCII digit; type the digits 0-9",
                describe_character(*found)
            ),
            Self::NotAllowed { found } => write!(
                f,
                "{} is not allowed in a phone number",
                describe_character(*found)
            ),
            Self::Letters { text } => write!(
                f,
                "letters are not allowed in a phone number (\"{text}\"); only an extension may follow, as x123"
            ),
            Self::MisplacedPlus => write!(f, "'+' may only start the number, as in +1 2065550100"),
            Self::MoreThanOnePlus => write!(f, "the number has more than one '+'"),
            Self::NoDigitsAfterPlus => write!(f, "no digits after '+'"),
            Self::ExtensionNotDigits { text } => {
                write!(f, "the extension must be digits only (got \"{text}\")")
            }
            Self::ExtensionTooLong { digits } => write!(
                f,
                "the extension has {digits} digits; at most {MAX_EXTENSION_DIGITS} are allowed"
            ),
            Self::EmptyExtension => write!(f, "an extension marker with no digits after it"),
            Self::NeedsCountry => write!(
                f,
                "start the number with + and the country code (as +1 2065550100), or give a region"
            ),
            Self::UnknownCountryCode { digits } if digits.starts_with('0') => write!(
                f,
                "+{digits}: a country code never starts with 0; write +, then the country code (as +44 20…)"
            ),
            Self::UnknownCountryCode { digits } => {
                write!(f, "+{digits} does not start with a known country code")
            }
            Self::TooShort { digits } => write!(
                f,
                "the number after the country code has {digits} digits; at least {MIN_NATIONAL_DIGITS} are needed"
            ),
            Self::TooManyDigits { digits } => write!(
                f,
                "{digits} digits is more than the {MAX_E164_DIGITS} an international number can have"
            ),
            Self::NotCanonical { canonical } => write!(
                f,
                "not in the canonical form +CC NUMBER[xEXT]; write it as {canonical}"
            ),
        }
    }
}

impl std::error::Error for ShapeError {}

fn describe_codepoint(codepoint: u32) -> String {
    char::from_u32(codepoint).map_or_else(|| format!("U+{codepoint:04X}"), describe_character)
}

impl PhoneNumber {
    /// Reads what a person typed or pasted, the way libphonenumber reads it, into the canonical
    /// form. This is the one reading of a number wherever one enters phonedesk.
    ///
    /// - Separators are ASCII ` -.()/`, no-break spaces and Unicode dashes; an extension may
    ///   follow as `x12`, `ext 12`, `ext. 12`, `extension 12` or `#12`.
    /// - With a leading `+`, the country code follows. Without one, `region` (the user's usage
    ///   location) says how to read the digits: its international prefix (`00`, `011`) followed by
    ///   a country code, its own country code written without `+`, or its national format with
    ///   the trunk prefix (`020 7946 0000` in GB). Without `+` and without a region, the input is
    ///   refused rather than guessed.
    /// - A national (trunk) prefix is dropped where libphonenumber drops it (`+44 (0)20…`), and kept
    ///   where it belongs to the number (`+7 800…`, Italian leading zeros).
    /// - The shape limits are phonedesk's own: at least [`MIN_NATIONAL_DIGITS`] national digits,
    ///   at most [`MAX_E164_DIGITS`] digits after the international prefix, no letters, no
    ///   invisible characters (see [`ShapeError`]).
    pub fn parse(input: &str, region: Option<Region>) -> Result<Self, ShapeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ShapeError::Required);
        }
        // A control character is refused wherever it is, the ends included: a CR or LF carried
        // along by a paste is named, never trimmed away as if it were a space.
        if let Some(c) = input.chars().find(|c| c.is_control()) {
            return Err(ShapeError::ControlCharacter {
                codepoint: u32::from(c),
            });
        }
        let chars = trimmed.chars().count();
        if chars > MAX_INPUT_CHARS {
            return Err(ShapeError::TooLong { chars });
        }
        for c in trimmed.chars() {
            check_character(c)?;
        }
        let (main, extension) = split_extension(trimmed)?;
        let (has_plus, digits) = main_digits(main)?;
        let region_plan = region.and_then(|r| plan::for_region(r.code()));
        if !has_plus && region_plan.is_none() {
            return Err(ShapeError::NeedsCountry);
        }
        let read = reading::read_digits(has_plus, &digits, region_plan).map_err(|e| match e {
            ReadError::NeedsCountry => ShapeError::NeedsCountry,
            ReadError::UnknownCountryCode { digits } => ShapeError::UnknownCountryCode { digits },
            ReadError::TooShort { digits } => ShapeError::TooShort { digits },
            ReadError::TooLong { digits } => ShapeError::TooManyDigits { digits },
        })?;
        Self::checked(read.country_code, read.national, extension)
    }

    /// Applies phonedesk's length limits to a number read from digits.
    fn checked(
        country_code: u16,
        national: String,
        extension: Option<String>,
    ) -> Result<Self, ShapeError> {
        if national.len() < MIN_NATIONAL_DIGITS {
            return Err(ShapeError::TooShort {
                digits: national.len(),
            });
        }
        let total = country_code.to_string().len() + national.len();
        if total > MAX_E164_DIGITS {
            return Err(ShapeError::TooManyDigits { digits: total });
        }
        Ok(Self {
            country_code,
            national,
            extension,
            hidden: 0,
        })
    }

    /// Parses only the strict canonical form, as stored in the database and in tenant files
    /// (`+1 2065550100`, `+1 2065550100x123`). Anything else is a shape error that names the
    /// canonical spelling when there is one.
    ///
    /// The canonical form names its number exactly, so a canonical string of a *valid* number is
    /// taken as written even where reading it as typed input would give another number:
    /// libphonenumber's reading is not idempotent (`8 8106914648` read in BY is the valid
    /// `+375 8106914648`, but typed `+375 8106914648` reads as the invalid `+375 106914648`). Every
    /// valid number [`PhoneNumber::parse`] returns therefore reads back from its canonical string.
    pub fn parse_canonical(input: &str) -> Result<Self, ShapeError> {
        let number = Self::parse(input, None)?;
        let canonical = number.to_string();
        if canonical == input {
            return Ok(number);
        }
        match Self::parse_stored(input) {
            Ok(exact) if super::validity::classify(&exact).valid => Ok(exact),
            _ => Err(ShapeError::NotCanonical { canonical }),
        }
    }

    /// Decodes a number phonedesk itself stored in canonical form, without reading it again: a
    /// number saved before a change to the reading rules still loads as it was saved (and the
    /// diagnosis says what is wrong with it), instead of making the record unreadable.
    pub fn parse_stored(text: &str) -> Result<Self, ShapeError> {
        let not_canonical = || match Self::parse(text, None) {
            Ok(n) => ShapeError::NotCanonical {
                canonical: n.to_string(),
            },
            Err(e) => e,
        };
        let rest = text.strip_prefix('+').ok_or_else(not_canonical)?;
        let (code, rest) = rest.split_once(' ').ok_or_else(not_canonical)?;
        let (national, extension) = match rest.split_once('x') {
            Some((national, ext)) => (national, Some(ext)),
            None => (rest, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(code) || !all_digits(national) || !extension.is_none_or(all_digits) {
            return Err(not_canonical());
        }
        let country_code = reading::split_country_code(code)
            .filter(|(_, rest)| rest.is_empty())
            .map(|(code, _)| code)
            .ok_or_else(not_canonical)?;
        if extension.is_some_and(|e| e.len() > MAX_EXTENSION_DIGITS) {
            return Err(not_canonical());
        }
        Self::checked(
            country_code,
            national.to_owned(),
            extension.map(str::to_owned),
        )
    }

    /// Builds a number from parts already known to be well formed (used by generators and by the
    /// suggestion search, which work on digits).
    pub fn from_parts(country_code: u16, national: &str, extension: Option<&str>) -> Option<Self> {
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(national) || !extension.is_none_or(all_digits) {
            return None;
        }
        if !is_known_country_code(country_code) {
            return None;
        }
        Some(Self {
            country_code,
            national: national.to_owned(),
            extension: extension.map(str::to_owned),
            hidden: 0,
        })
    }

    /// A number as a tenant shows it masked (`+1 XXXXXXXX01`, `+44 ********23`): the country
    /// code, masked digits (`X`, `x`, `*` or `•`) and the digits left visible. `None` when the
    /// text is not such a mask.
    pub fn masked_by_tenant(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix('+')?;
        let (code, masked) = rest.split_once(' ')?;
        let country_code: u16 = code.parse().ok()?;
        if !is_known_country_code(country_code) {
            return None;
        }
        let masked: String = masked
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let is_mask = |c: char| matches!(c, 'X' | 'x' | '*' | '\u{2022}');
        let hidden = masked.chars().take_while(|c| is_mask(*c)).count();
        let tail = &masked[masked
            .char_indices()
            .nth(hidden)
            .map_or(masked.len(), |(i, _)| i)..];
        if hidden == 0 || !tail.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Self {
            country_code,
            national: tail.to_owned(),
            extension: None,
            hidden: u8::try_from(hidden).ok()?,
        })
    }

    /// True for a number the tenant showed masked: phonedesk does not know all its digits.
    pub fn is_masked_by_tenant(&self) -> bool {
        self.hidden > 0
    }

    /// How many leading national digits the tenant hid (0 for a number known whole).
    pub fn hidden_digits(&self) -> u8 {
        self.hidden
    }

    /// Rebuilds a number from its stored parts, masked by the tenant when `hidden > 0`.
    pub fn from_stored_parts(
        country_code: u16,
        national: &str,
        extension: Option<&str>,
        hidden: u8,
    ) -> Option<Self> {
        let mut number = Self::from_parts(country_code, national, extension)?;
        number.hidden = hidden;
        Some(number)
    }

    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    pub fn national(&self) -> &str {
        &self.national
    }

    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// The same number without its extension: what SSPR dials, and what identifies a line.
    pub fn without_extension(&self) -> Self {
        Self {
            extension: None,
            ..self.clone()
        }
    }

    /// Country code and national number as one digit string, for digit search (nothing for a
    /// number masked by the tenant: its digits are not known).
    pub fn digits(&self) -> String {
        if self.is_masked_by_tenant() {
            return String::new();
        }
        format!("{}{}", self.country_code, self.national)
    }

    /// The masked form shown to operators who have not revealed the number: the country code and
    /// the last two digits only (DOMAIN.md §3), e.g. `+1 ********00`.
    pub fn masked(&self) -> String {
        let keep = self.national.len().saturating_sub(2);
        let mut out = format!("+{} ", self.country_code);
        out.extend(std::iter::repeat_n('*', keep + usize::from(self.hidden)));
        out.push_str(&self.national[keep..]);
        if let Some(ext) = &self.extension {
            out.push('x');
            out.extend(std::iter::repeat_n('*', ext.len()));
        }
        out
    }

    /// True when the national number has a length libphonenumber considers possible for its
    /// country (`isPossibleNumber`): a reading a directory could hold, valid or not.
    pub fn is_possible(&self) -> bool {
        !self.is_masked_by_tenant()
            && plan::main_for_code(self.country_code)
                .is_some_and(|p| p.length_fit(&self.national) == LengthFit::Possible)
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_masked_by_tenant() {
            return f.write_str(&self.masked());
        }
        write!(f, "+{} {}", self.country_code, self.national)?;
        if let Some(ext) = &self.extension {
            write!(f, "x{ext}")?;
        }
        Ok(())
    }
}

impl FromStr for PhoneNumber {
    type Err = ShapeError;

    /// Strict: only the canonical form (see [`PhoneNumber::parse_canonical`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_canonical(s)
    }
}

impl serde::Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse_stored(&text).map_err(serde::de::Error::custom)
    }
}

/// Loads libphonenumber's metadata and builds the numbering plans now (patterns still compile on
/// first use), so that the first number checked does not pay for it. Safe to call any time.
pub fn load_metadata() {
    let _ = known_country_codes();
}

/// True when libphonenumber's metadata knows this country calling code.
pub fn is_known_country_code(code: u16) -> bool {
    plan::main_for_code(code).is_some()
}

/// Every country calling code the metadata knows, ascending.
pub fn known_country_codes() -> &'static [u16] {
    static CODES: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| plan::codes().collect())
}

/// The canonical readings of a query as a caller reads it out, in each of `regions` (the usage
/// locations in play): `020 7946 0000` in GB and US gives `+44 2079460000` only, since the US
/// reading is not a possible number. Deduplicated, in the order of `regions`; only readings of a
/// possible length are kept. An input with `+` has at most one reading. For search.
pub fn read_in_regions(input: &str, regions: &[Region]) -> Vec<PhoneNumber> {
    let mut readings: Vec<PhoneNumber> = Vec::new();
    let regions = regions.iter().copied().map(Some);
    let tries: Vec<Option<Region>> = if input.trim_start().starts_with('+') {
        std::iter::once(None).chain(regions).collect()
    } else {
        regions.collect()
    };
    for region in tries {
        if let Ok(number) = PhoneNumber::parse(input, region)
            && number.is_possible()
            && !readings.contains(&number)
        {
            readings.push(number);
        }
    }
    readings
}

fn check_character(c: char) -> Result<(), ShapeError> {
    if c.is_control() {
        return Err(ShapeError::ControlCharacter {
            codepoint: u32::from(c),
        });
    }
    if is_invisible_or_bidi(c) {
        return Err(ShapeError::InvisibleCharacter {
            codepoint: u32::from(c),
        });
    }
    if c.is_ascii() || is_separator(c) {
        return Ok(());
    }
    if c.is_numeric() {
        Err(ShapeError::NonAsciiDigit { found: c })
    } else {
        Err(ShapeError::NotAllowed { found: c })
    }
}

/// Splits the main number from an optional extension written `x12`, `X12`, `ext 12`, `ext. 12`,
/// `extension 12` or `#12`.
fn split_extension(input: &str) -> Result<(&str, Option<String>), ShapeError> {
    let Some(start) = input.find(|c: char| c.is_ascii_alphabetic() || c == '#') else {
        return Ok((input, None));
    };
    let (main, rest) = input.split_at(start);
    let lower = rest.to_ascii_lowercase();
    let marker_len = ["extension", "ext.", "ext", "x", "#"]
        .iter()
        .find(|m| lower.starts_with(*m))
        .map(|m| m.len());
    let Some(marker_len) = marker_len else {
        let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
        return Err(ShapeError::Letters { text: word });
    };
    let ext = rest[marker_len..]
        .trim_start_matches([' ', '.', ':'])
        .trim();
    if ext.is_empty() {
        return Err(ShapeError::EmptyExtension);
    }
    if !ext.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShapeError::ExtensionNotDigits {
            text: ext.to_owned(),
        });
    }
    if ext.len() > MAX_EXTENSION_DIGITS {
        return Err(ShapeError::ExtensionTooLong { digits: ext.len() });
    }
    Ok((
        main.trim_end_matches(is_separator_or_space),
        Some(ext.to_owned()),
    ))
}

fn is_separator_or_space(c: char) -> bool {
    c.is_whitespace() || is_separator(c)
}

/// Returns whether the main part starts with `+`, and its digits; refuses anything but digits and
/// separators (see [`is_separator`]).
fn main_digits(main: &str) -> Result<(bool, String), ShapeError> {
    let main = main.trim();
    if main.matches('+').count() > 1 {
        return Err(ShapeError::MoreThanOnePlus);
    }
    let mut digits = String::with_capacity(main.len());
    let mut plus = false;
    for (i, c) in main.char_indices() {
        match c {
            '0'..='9' => digits.push(c),
            c if is_separator(c) => {}
            '+' if i == 0 => plus = true,
            '+' => return Err(ShapeError::MisplacedPlus),
            other => return Err(ShapeError::NotAllowed { found: other }),
        }
    }
    if digits.is_empty() {
        return Err(if plus {
            ShapeError::NoDigitsAfterPlus
        } else {
            ShapeError::Required
        });
    }
    Ok((plus, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(input: &str) -> String {
        match PhoneNumber::parse(input, None) {
            Ok(n) => n.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn pasted_forms_normalise_to_one_canonical_form() {
        assert_eq!(canon("+12065550100"), "+1 2065550100");
        assert_eq!(canon("+1 (206) 555-0100"), "+1 2065550100");
        assert_eq!(canon("+1 206-555-0100 ext. 12"), "+1 2065550100x12");
        assert_eq!(canon("+1 2065550100X12"), "+1 2065550100x12");
        assert_eq!(canon("  +1 2065550100x123 "), "+1 2065550100x123");
        assert_eq!(canon("+1 (555) 010-0100"), "+1 5550100100");
        assert_eq!(canon("+15550100100"), "+1 5550100100");
        assert_eq!(canon("+1 555-010-0100 ext. 12"), "+1 5550100100x12");
        assert_eq!(canon("+61 491 570 156"), "+61 491570156");
    }

    #[test]
    fn trunk_prefix_is_dropped() {
        assert_eq!(canon("+44 (0)20 7946 0000"), "+44 2079460000");
    }

    #[test]
    fn shape_errors_reject_with_a_reason() {
        let err = |s: &str| PhoneNumber::parse(s, None).unwrap_err();
        assert_eq!(err(""), ShapeError::Required);
        assert_eq!(err("   \t "), ShapeError::Required);
        assert!(matches!(
            err(&"1".repeat(10_000)),
            ShapeError::TooLong { .. }
        ));
        assert!(matches!(err("+1 206abc0100"), ShapeError::Letters { .. }));
        assert_eq!(err("++1 2065550100"), ShapeError::MoreThanOnePlus);
        assert_eq!(err("+1 206+5550100"), ShapeError::MoreThanOnePlus);
        assert_eq!(err("1+2065550100"), ShapeError::MisplacedPlus);
        assert!(matches!(
            err("+1 2065550100 ext 12a"),
            ShapeError::ExtensionNotDigits { .. }
        ));
        assert!(matches!(
            err("+999 12345678"),
            ShapeError::UnknownCountryCode { .. }
        ));
        assert_eq!(err("2065550100"), ShapeError::NeedsCountry);
        assert!(matches!(
            err("+1 206\n5550100"),
            ShapeError::ControlCharacter { .. }
        ));
        assert!(matches!(
            err("+1 206\r5550100"),
            ShapeError::ControlCharacter { .. }
        ));
        assert!(matches!(
            err("+1 206\u{1b}5550100"),
            ShapeError::ControlCharacter { .. }
        ));
        // At either end too, where trimming would have hidden them.
        for (input, codepoint) in [
            ("\r+1 2065550100", 0x0D),
            ("+1 2065550100\n", 0x0A),
            ("\t+1 2065550100", 0x09),
            ("+1 2065550100\r\n", 0x0D),
        ] {
            assert_eq!(err(input), ShapeError::ControlCharacter { codepoint });
        }
        assert_eq!(err(" \t "), ShapeError::Required);
        assert!(matches!(
            err("+1 206\u{202E}5550100"),
            ShapeError::InvisibleCharacter { .. }
        ));
        assert!(matches!(
            err("+\u{FF11} 2065550100"),
            ShapeError::NonAsciiDigit { .. }
        ));
        assert!(matches!(
            err("+1 2065550100 \u{e9}"),
            ShapeError::NotAllowed { .. }
        ));
        assert!(matches!(err("+1 555"), ShapeError::TooShort { .. }));
        assert!(matches!(
            err("+1 2065550100123456"),
            ShapeError::TooManyDigits { .. }
        ));
        assert_eq!(err("+"), ShapeError::NoDigitsAfterPlus);
        assert_eq!(err("+1 2065550100x"), ShapeError::EmptyExtension);
    }

    #[test]
    fn national_input_needs_a_region() {
        let us = Region::parse("US").unwrap();
        let n = PhoneNumber::parse("(206) 555-0100", Some(us)).unwrap();
        assert_eq!(n.to_string(), "+1 2065550100");
        let gb = Region::parse("GB").unwrap();
        let n = PhoneNumber::parse("020 7946 0000", Some(gb)).unwrap();
        assert_eq!(n.to_string(), "+44 2079460000");
    }

    fn read(input: &str, region: &str) -> String {
        match PhoneNumber::parse(input, Some(Region::parse(region).unwrap())) {
            Ok(n) => n.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn pasted_no_break_spaces_and_unicode_dashes_are_separators() {
        assert_eq!(
            canon("+44\u{00A0}20\u{00A0}7946\u{00A0}0000"),
            "+44 2079460000"
        );
        assert_eq!(
            canon("+44\u{202F}20\u{202F}7946\u{202F}0000"),
            "+44 2079460000"
        );
        assert_eq!(canon("+1 206\u{2013}555\u{2013}0100"), "+1 2065550100");
        assert_eq!(canon("+1 206\u{2212}555\u{2010}0100"), "+1 2065550100");
        assert_eq!(
            canon("+1 206\u{2014}555\u{2015}0100\u{00A0}x12"),
            "+1 2065550100x12"
        );
    }

    #[test]
    fn refused_characters_are_named_not_echoed() {
        let message = |s: &str| PhoneNumber::parse(s, None).unwrap_err().to_string();
        assert!(message("+1 206\u{200B}5550100").contains("zero-width space U+200B"));
        assert!(message("+1 206\u{202E}5550100").contains("right-to-left override U+202E"));
        assert!(message("+1 206\u{2009}5550100").contains("thin space U+2009"));
        assert!(message("+1 206\u{3000}5550100").contains("ideographic space U+3000"));
        assert!(message("+1 206\n5550100").contains("line feed U+000A"));
    }

    #[test]
    fn an_international_prefix_read_in_the_usage_location_keeps_the_foreign_digits() {
        assert_eq!(read("011 44 121 234 5678", "US"), "+44 1212345678");
        assert_eq!(read("00241 06 03 12 54", "DE"), "+241 06031254");
        assert_eq!(read("0039 06 6988 1234", "DE"), "+39 0669881234");
    }

    #[test]
    fn the_international_prefix_does_not_count_toward_fifteen_digits() {
        assert_eq!(read("011 49 1512 3456789", "US"), "+49 15123456789");
        assert!(matches!(
            PhoneNumber::parse("+49 1512 3456789 0123", None),
            Err(ShapeError::TooManyDigits { digits: 17 })
        ));
    }

    #[test]
    fn digits_equal_to_the_home_country_code_stay_part_of_the_number() {
        assert_eq!(read("250 123 452", "RW"), "+250 250123452");
        assert_eq!(read("250 788 123 456", "RW"), "+250 788123456");
    }

    #[test]
    fn a_country_code_never_starts_with_zero() {
        let err = PhoneNumber::parse("+05114444301", None).unwrap_err();
        assert!(
            matches!(err, ShapeError::UnknownCountryCode { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("never starts with 0"), "{err}");
        // A pasted + in front of an international prefix, read in the usage location.
        assert_eq!(read("+011 44 121 234 5678", "US"), "+44 1212345678");
    }

    #[test]
    fn a_leading_eight_that_belongs_to_the_number_is_kept() {
        assert_eq!(canon("+7 800 555 35 35"), "+7 8005553535");
        assert_eq!(read("8 800 555 35 35", "RU"), "+7 8005553535");
        assert_eq!(read("8 916 123 45 67", "RU"), "+7 9161234567");
    }

    #[test]
    fn one_reading_for_search_in_several_regions() {
        let regions: Vec<Region> = ["GB", "US", "DE"]
            .iter()
            .map(|r| Region::parse(r).unwrap())
            .collect();
        let texts = |input: &str| -> Vec<String> {
            read_in_regions(input, &regions)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        // The trunk 0 makes it a GB number; the US reading is not a possible number.
        assert_eq!(texts("020 7946 0000"), ["+44 2079460000", "+49 2079460000"]);
        assert_eq!(texts("+44 (0)20 7946 0000"), ["+44 2079460000"]);
        assert_eq!(texts("00 44 20 7946 0000"), ["+44 2079460000"]);
        assert_eq!(texts("011 44 20 7946 0000"), ["+44 2079460000"]);
        // Without a trunk prefix, each region's reading is possible.
        assert_eq!(
            texts("(206)\u{00A0}555\u{2013}0100"),
            ["+44 2065550100", "+1 2065550100", "+49 2065550100"]
        );
        assert!(texts("not a number").is_empty());
        assert!(texts("12").is_empty());
    }

    #[test]
    fn canonical_parsing_is_strict() {
        assert!(PhoneNumber::parse_canonical("+1 2065550100").is_ok());
        assert!(PhoneNumber::parse_canonical("+1 2065550100x7").is_ok());
        assert_eq!(
            PhoneNumber::parse_canonical("+12065550100").unwrap_err(),
            ShapeError::NotCanonical {
                canonical: "+1 2065550100".into()
            }
        );
    }

    #[test]
    fn masking_keeps_country_code_and_last_two_digits() {
        let n = PhoneNumber::parse("+1 2065550100x123", None).unwrap();
        assert_eq!(n.masked(), "+1 ********00x***");
        let n = PhoneNumber::parse("+61 491570156", None).unwrap();
        assert_eq!(n.masked(), "+61 *******56");
    }

    #[test]
    fn serde_round_trips_the_canonical_string() {
        let n = PhoneNumber::parse("+44 2079460000", None).unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"+44 2079460000\"");
        let back: PhoneNumber = serde_json::from_str(&json).unwrap();
        assert_eq!(back, n);
        assert!(serde_json::from_str::<PhoneNumber>("\"+442079460000\"").is_err());
    }
}

#[cfg(test)]
mod masked_by_tenant_tests {
    use super::*;

    #[test]
    fn a_tenants_mask_keeps_what_it_showed_and_reads_masked_everywhere() {
        for text in ["+1 XXXXXXXX01", "+1 ********01", "+44 xxxxxxx123"] {
            let n = PhoneNumber::masked_by_tenant(text).unwrap();
            assert!(n.is_masked_by_tenant(), "{text}");
            assert!(n.to_string().starts_with('+'));
            assert!(!n.to_string().contains('0') || n.to_string().ends_with("01"));
            assert_eq!(
                n.digits(),
                "",
                "a masked number is not searchable by digits"
            );
            assert!(!n.is_possible());
        }
        let n = PhoneNumber::masked_by_tenant("+1 XXXXXXXX01").unwrap();
        assert_eq!(n.to_string(), "+1 ********01");
        assert_eq!(n.masked(), "+1 ********01");
        assert!(PhoneNumber::masked_by_tenant("+1 2065550101").is_none());
        assert!(PhoneNumber::masked_by_tenant("2065550101").is_none());
        assert!(PhoneNumber::masked_by_tenant("+999 XX12").is_none());
    }
}
