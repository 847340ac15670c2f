//! How libphonenumber reads the digits of a number: the `+` or an international prefix (`00`,
//! `011`), the country calling code, a home country code written without `+`, and the national
//! (trunk) prefix. This is `PhoneNumberUtil.parse` from the point where the input is digits,
//! written against the metadata in [`super::plan`], so phonedesk gives libphonenumber's answers.
//!
//! The `phonenumber` crate's own `parse` gets several of these steps wrong; each place below that
//! differs from it says how (see the README's "Numbers" decisions for the reproductions).

use std::borrow::Cow;

use super::plan::{self, LengthFit, Plan};

/// libphonenumber's shortest and longest national significant number.
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;
/// Country calling codes have one to three digits.
const MAX_COUNTRY_CODE_DIGITS: usize = 3;

/// Why the digits cannot be read as a number.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum ReadError {
    /// No `+`, no international prefix, and no region to read the national format in.
    NeedsCountry,
    /// After `+` or an international prefix, no known country calling code follows.
    UnknownCountryCode { digits: String },
    /// Fewer digits than libphonenumber reads as a number (after the prefix, or in all).
    TooShort { digits: usize },
    /// More national digits than any numbering plan has.
    TooLong { digits: usize },
}

/// A number read from digits: its calling code and national significant number.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Read {
    pub country_code: u16,
    pub national: String,
}

/// Reads `digits` (ASCII digits only, after the `+` when `plus`), in `region`'s national format
/// when there is no `+`.
pub(crate) fn read_digits(
    plus: bool,
    digits: &str,
    region: Option<&'static Plan>,
) -> Result<Read, ReadError> {
    let extracted = match extract_country_code(plus, digits, region) {
        Err(ReadError::UnknownCountryCode { .. }) if plus => {
            // libphonenumber retries without the `+`: `+011 44 ...` read in the US is a pasted
            // international prefix. Only an international prefix or the home country code can
            // make that reading work.
            match extract_country_code(false, digits, region)? {
                Some(found) => Some(found),
                None => return Err(unknown_code(digits)),
            }
        }
        other => other?,
    };
    let (country_code, national, plan) = match extracted {
        // The national prefix of a number with a calling code is the main region's: the crate
        // strips the *reading* region's prefix instead (`00241 06...` read in DE lost its 0).
        Some((code, rest)) => (code, rest, plan::main_for_code(code)),
        None => {
            let region = region.ok_or(ReadError::NeedsCountry)?;
            (region.country_code(), Cow::Borrowed(digits), Some(region))
        }
    };
    if national.len() < MIN_NSN {
        return Err(ReadError::TooShort {
            digits: national.len(),
        });
    }
    let mut national = national.into_owned();
    if let Some(plan) = plan {
        let stripped = strip_national_prefix(&national, plan);
        // Stripping must leave a number of a possible length, or the digits were a short number.
        if !matches!(
            plan.length_fit(&stripped),
            LengthFit::TooShort | LengthFit::PossibleLocalOnly | LengthFit::InvalidLength
        ) {
            national = stripped.into_owned();
        }
    }
    if national.len() > MAX_NSN {
        return Err(ReadError::TooLong {
            digits: national.len(),
        });
    }
    Ok(Read {
        country_code,
        national,
    })
}

fn unknown_code(digits: &str) -> ReadError {
    ReadError::UnknownCountryCode {
        digits: digits.chars().take(MAX_COUNTRY_CODE_DIGITS).collect(),
    }
}

/// libphonenumber's `maybeExtractCountryCode`: the calling code and the rest, or `None` when the
/// digits carry no calling code and are to be read in the region's national format.
fn extract_country_code<'d>(
    plus: bool,
    digits: &'d str,
    region: Option<&'static Plan>,
) -> Result<Option<(u16, Cow<'d, str>)>, ReadError> {
    if digits.is_empty() {
        return Ok(None);
    }
    let after_prefix = if plus {
        Some(digits)
    } else {
        region.and_then(|r| after_international_prefix(digits, r))
    };
    if let Some(full) = after_prefix {
        if full.len() <= MIN_NSN {
            return Err(ReadError::TooShort { digits: full.len() });
        }
        return match split_country_code(full) {
            Some((code, rest)) => Ok(Some((code, Cow::Borrowed(rest)))),
            None => Err(unknown_code(full)),
        };
    }
    let Some(region) = region else {
        return Ok(None);
    };
    // The home country code written without `+` (`250 123 452` in Rwanda could be +250 123452):
    // taken as such only when the digits do not work as they stand but do without the code, or
    // are too long as they stand. The crate inverts this test and strips valid numbers.
    let home = region.country_code().to_string();
    if let Some(rest) = digits.strip_prefix(home.as_str()) {
        let rest = strip_national_prefix(rest, region);
        let general = region.general();
        if (!general.pattern_matches(digits) && general.pattern_matches(&rest))
            || region.length_fit(digits) == LengthFit::TooLong
        {
            return Ok(Some((region.country_code(), Cow::Owned(rest.into_owned()))));
        }
    }
    Ok(None)
}

/// The digits after `region`'s international prefix (`00`, `011`, `8~10`...), when they start
/// with one that is not followed by a `0` (calling codes never start with 0).
fn after_international_prefix<'d>(digits: &'d str, region: &Plan) -> Option<&'d str> {
    let end = region.international_prefix()?.prefix_len(digits)?;
    let rest = digits.get(end..)?;
    (!rest.starts_with('0')).then_some(rest)
}

/// Calling codes are prefix-free (ITU E.164) and never start with 0: at most one of the 1-, 2-
/// and 3-digit prefixes is assigned. The crate's split reads `05...` as code 5.
pub(crate) fn split_country_code(digits: &str) -> Option<(u16, &str)> {
    if digits.starts_with('0') {
        return None;
    }
    (1..=MAX_COUNTRY_CODE_DIGITS.min(digits.len())).find_map(|len| {
        let code: u16 = digits.get(..len)?.parse().ok()?;
        plan::main_for_code(code).map(|_| (code, &digits[len..]))
    })
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`: the number without its national
/// (trunk) prefix and carrier code, transformed where the plan says so (Argentina's `15`).
/// The prefix is kept when the number works with it and does not work without it: the crate
/// strips it unconditionally, which breaks `+7 800...` and other numbers that start with `8`.
fn strip_national_prefix<'n>(number: &'n str, plan: &Plan) -> Cow<'n, str> {
    let Some(prefix) = plan.national_prefix_for_parsing() else {
        return Cow::Borrowed(number);
    };
    if number.is_empty() {
        return Cow::Borrowed(number);
    }
    let Some(captures) = prefix.captures(number) else {
        return Cow::Borrowed(number);
    };
    let end = captures.get(0).map_or(0, |m| m.end());
    let general = plan.general();
    let viable_before = general.pattern_matches(number);
    let last_group = captures.len().checked_sub(1).filter(|&n| n > 0);
    let transform = plan
        .national_prefix_transform()
        .filter(|_| last_group.and_then(|n| captures.get(n)).is_some());
    let result = match transform {
        None => Cow::Borrowed(&number[end..]),
        Some(rule) => Cow::Owned(expand(rule, &captures) + &number[end..]),
    };
    if viable_before && !general.pattern_matches(&result) {
        return Cow::Borrowed(number);
    }
    result
}

/// Expands `$1`-style group references in a transform rule.
fn expand(rule: &str, captures: &regex::Captures<'_>) -> String {
    let mut out = String::with_capacity(rule.len() + 8);
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().and_then(|d| d.to_digit(10))) {
            ('$', Some(group)) => {
                chars.next();
                let index = usize::try_from(group).unwrap_or(usize::MAX);
                out.push_str(captures.get(index).map_or("", |m| m.as_str()));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(plus: bool, digits: &str, region: Option<&str>) -> Result<(u16, String), ReadError> {
        let region = region.map(|r| plan::for_region(r).unwrap());
        read_digits(plus, digits, region).map(|r| (r.country_code, r.national))
    }

    fn ok(code: u16, national: &str) -> Result<(u16, String), ReadError> {
        Ok((code, national.to_owned()))
    }

    #[test]
    fn an_international_prefix_keeps_the_foreign_numbers_digits() {
        assert_eq!(
            read(false, "011441212345678", Some("US")),
            ok(44, "1212345678")
        );
        // GA's own national prefix rules apply, not DE's trunk 0.
        assert_eq!(
            read(false, "0024106031254", Some("DE")),
            ok(241, "06031254")
        );
    }

    #[test]
    fn a_home_country_code_is_stripped_only_when_the_digits_need_it() {
        assert_eq!(read(false, "250123452", Some("RW")), ok(250, "250123452"));
        assert_eq!(
            read(false, "250788123456", Some("RW")),
            ok(250, "788123456")
        );
    }

    #[test]
    fn country_codes_never_start_with_zero() {
        assert!(matches!(
            read(true, "05114444301", None),
            Err(ReadError::UnknownCountryCode { .. })
        ));
        // ... but a pasted `+` before an international prefix is read as libphonenumber does.
        assert_eq!(
            read(true, "011441212345678", Some("US")),
            ok(44, "1212345678")
        );
    }

    #[test]
    fn a_trunk_prefix_that_belongs_to_the_number_is_kept() {
        assert_eq!(read(true, "78005553535", None), ok(7, "8005553535"));
        assert_eq!(read(true, "79161234567", None), ok(7, "9161234567"));
        assert_eq!(read(false, "89161234567", Some("RU")), ok(7, "9161234567"));
        assert_eq!(read(true, "4402079460000", None), ok(44, "2079460000"));
    }

    #[test]
    fn a_national_prefix_transform_is_applied() {
        // Argentina: 0343 15 555 1212 is +54 9 343 555 1212.
        assert_eq!(
            read(false, "0343155551212", Some("AR")),
            ok(54, "93435551212")
        );
    }

    #[test]
    fn national_format_needs_a_region() {
        assert_eq!(
            read(false, "2065550100", None),
            Err(ReadError::NeedsCountry)
        );
    }
}
