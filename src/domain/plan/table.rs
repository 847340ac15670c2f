//! The numbering plans as text: one block per plan, one line per field, patterns as the metadata
//! writes them (whitespace removed). Generated from the `phonenumber` crate's metadata by
//! [`write`]; embedded as `assets/phone-plans.txt`; read back by [`read`] without compiling a
//! single pattern.
//!
//! ```text
//! plan US 1
//! general 10 7 [2-9]\d{9}|3\d{6}
//! fixed 10 7 (?:3052(?:0[0-8]|[1-9]\d)|5056...
//! service tollFree 10 - 8(?:00|33|44|55|66|77|88)[2-9]\d{6}
//! same 0
//! intl 011
//! npp 1
//! ```
//!
//! Lengths are comma-separated, `-` when none. Optional lines are left out.

use super::pattern::{Anchor, Pattern};
use super::{Desc, Plan};
use crate::domain::number_type::NumberType;

/// The plans phonedesk ships, generated from the crate it builds with.
pub(crate) const EMBEDDED: &str = include_str!("../../../assets/phone-plans.txt");

#[cfg(test)]
fn lengths(values: &[u16]) -> String {
    if values.is_empty() {
        "-".to_owned()
    } else {
        values
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
fn desc_line(out: &mut String, tag: &str, desc: &Desc) {
    out.push_str(&format!(
        "{tag} {} {} {}\n",
        lengths(&desc.lengths),
        lengths(&desc.local_lengths),
        desc.pattern.source()
    ));
}

/// Writes `plans` in the table's format (tests generate and check the shipped table with it).
#[cfg(test)]
pub(crate) fn write(plans: &[Plan]) -> String {
    let mut out = String::new();
    for plan in plans {
        out.push_str(&format!("plan {} {}\n", plan.id, plan.country_code));
        desc_line(&mut out, "general", &plan.general);
        if let Some(d) = &plan.fixed_line {
            desc_line(&mut out, "fixed", d);
        }
        if let Some(d) = &plan.mobile {
            desc_line(&mut out, "mobile", d);
        }
        for (kind, d) in &plan.services {
            desc_line(&mut out, &format!("service {}", kind.as_str()), d);
        }
        out.push_str(&format!(
            "same {}\n",
            u8::from(plan.same_fixed_line_and_mobile)
        ));
        let optional = [
            (
                "intl",
                plan.international_prefix.as_ref().map(Pattern::source),
            ),
            (
                "npp",
                plan.national_prefix_for_parsing
                    .as_ref()
                    .map(Pattern::source),
            ),
            ("npt", plan.national_prefix_transform.as_deref()),
            ("lead", plan.leading_digits.as_ref().map(Pattern::source)),
        ];
        for (tag, value) in optional {
            if let Some(value) = value {
                out.push_str(&format!("{tag} {value}\n"));
            }
        }
    }
    out
}

fn parse_lengths(text: &str) -> Result<Vec<u16>, String> {
    if text == "-" {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|n| n.parse().map_err(|_| format!("bad length {n:?}")))
        .collect()
}

fn parse_desc(rest: &str) -> Result<Desc, String> {
    let mut parts = rest.splitn(3, ' ');
    let (Some(lengths), Some(local), Some(pattern)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("a descriptor line is incomplete: {rest:?}"));
    };
    Ok(Desc {
        pattern: Pattern::new(pattern, Anchor::Whole),
        lengths: parse_lengths(lengths)?,
        local_lengths: parse_lengths(local)?,
    })
}

fn service_type(name: &str) -> Result<NumberType, String> {
    [
        NumberType::PremiumRate,
        NumberType::TollFree,
        NumberType::SharedCost,
        NumberType::Voip,
        NumberType::PersonalNumber,
        NumberType::Pager,
        NumberType::Uan,
        NumberType::Voicemail,
    ]
    .into_iter()
    .find(|t| t.as_str() == name)
    .ok_or_else(|| format!("unknown service type {name:?}"))
}

/// Reads a table written by [`write`].
pub(crate) fn read(text: &str) -> Result<Vec<Plan>, String> {
    let mut plans: Vec<Plan> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}", n + 1);
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        if tag == "plan" {
            let (id, code) = rest
                .split_once(' ')
                .ok_or_else(|| at("plan needs an id and a code".into()))?;
            plans.push(Plan {
                id: id.to_owned(),
                country_code: code.parse().map_err(|_| at(format!("bad code {code:?}")))?,
                general: Desc {
                    pattern: Pattern::new("", Anchor::Whole),
                    lengths: Vec::new(),
                    local_lengths: Vec::new(),
                },
                services: Vec::new(),
                fixed_line: None,
                mobile: None,
                same_fixed_line_and_mobile: false,
                international_prefix: None,
                national_prefix_for_parsing: None,
                national_prefix_transform: None,
                leading_digits: None,
            });
            continue;
        }
        let plan = plans
            .last_mut()
            .ok_or_else(|| at("a field before the first plan".into()))?;
        match tag {
            "general" => plan.general = parse_desc(rest).map_err(at)?,
            "fixed" => plan.fixed_line = Some(parse_desc(rest).map_err(at)?),
            "mobile" => plan.mobile = Some(parse_desc(rest).map_err(at)?),
            "service" => {
                let (name, desc) = rest
                    .split_once(' ')
                    .ok_or_else(|| at("a bare service".into()))?;
                plan.services.push((
                    service_type(name).map_err(at)?,
                    parse_desc(desc).map_err(at)?,
                ));
            }
            "same" => plan.same_fixed_line_and_mobile = rest == "1",
            "intl" => plan.international_prefix = Some(Pattern::new(rest, Anchor::Start)),
            "npp" => plan.national_prefix_for_parsing = Some(Pattern::new(rest, Anchor::Start)),
            "npt" => plan.national_prefix_transform = Some(rest.to_owned()),
            "lead" => plan.leading_digits = Some(Pattern::new(rest, Anchor::Start)),
            other => return Err(at(format!("unknown field {other:?}"))),
        }
    }
    if plans.is_empty() {
        return Err("no plans".into());
    }
    Ok(plans)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped table is exactly the crate's metadata, prepared as [`Plan::from_crate`] does:
    /// the crate stays the metadata source. After a crate upgrade, regenerate the table with
    /// `PHONEDESK_WRITE_PLANS=1 cargo test --lib plan::table`.
    #[test]
    fn the_embedded_table_is_the_crates_metadata() {
        let fresh = write(&super::super::from_crate());
        if std::env::var("PHONEDESK_WRITE_PLANS").is_ok_and(|v| v == "1") {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/phone-plans.txt");
            std::fs::write(path, &fresh).unwrap();
        }
        assert!(
            fresh == EMBEDDED,
            "assets/phone-plans.txt differs from the phonenumber crate's metadata; regenerate it \\
             with PHONEDESK_WRITE_PLANS=1 cargo test --lib plan::table"
        );
    }

    #[test]
    fn the_table_reads_back_what_was_written() {
        let plans = read(EMBEDDED).unwrap();
        assert_eq!(write(&plans), EMBEDDED);
        assert!(plans.len() > 240);
    }

    #[test]
    fn damage_is_refused_with_its_line() {
        assert!(read("general 10 - \\d+\n").unwrap_err().contains("line 1"));
        assert!(read("plan US x\n").is_err());
        assert!(read("plan US 1\nservice nonsense - - 1\n").is_err());
        assert!(read("").is_err());
    }
}
