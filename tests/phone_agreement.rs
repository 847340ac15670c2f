//! phonedesk reads numbers as libphonenumber does: on the 100,000-input corpus
//! (`tests/phone_corpus`), it agrees with Python `phonenumbers` 9.0.33 on the canonical form,
//! validity, region and number type of the inputs both accept, and on acceptance everywhere
//! outside phonedesk's documented shape refusals (README, "Numbers").
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod phone_corpus;

use std::collections::BTreeMap;

use phone_corpus::{Case, Kind, corpus, digest};
use phonedesk::domain::diagnosis::{classify, diagnose};
use phonedesk::domain::{FindingKind, PhoneNumber, PhoneType, Region, ShapeError};

const EXPECTED: &str = include_str!("phone_corpus/expected.tsv");
/// The share of inputs both accept on which every answer must agree.
const REQUIRED_AGREEMENT: f64 = 0.999;

/// libphonenumber's answer for one input.
enum Expected<'a> {
    Refused,
    Read {
        canonical: &'a str,
        valid: bool,
        region: &'a str,
        number_type: &'a str,
    },
}

fn expected() -> (String, Vec<Expected<'static>>) {
    let mut lines = EXPECTED.lines();
    let header = lines.next().unwrap();
    let digest = header.split_whitespace().nth(2).unwrap().to_owned();
    let rows = lines
        .map(|line| {
            if line.starts_with('!') {
                return Expected::Refused;
            }
            let mut f = line.split('\t');
            Expected::Read {
                canonical: f.next().unwrap(),
                valid: f.next().unwrap() == "1",
                region: f.next().unwrap(),
                number_type: f.next().unwrap(),
            }
        })
        .collect();
    (digest, rows)
}

/// phonedesk's answers in the same form.
fn actual(case: &Case) -> Result<(String, bool, String, &'static str), ShapeError> {
    let region = case.region.as_deref().map(|r| Region::parse(r).unwrap());
    let number = PhoneNumber::parse(&case.input, region)?;
    let (valid, number_type) = classify(&number);
    let found = diagnose(&number, None, None)
        .region
        .unwrap_or_else(|| "-".into());
    Ok((number.to_string(), valid, found, number_type.as_str()))
}

/// The national digits and the digits in all of libphonenumber's reading.
fn digit_counts(canonical: &str) -> (usize, usize) {
    let main = canonical.split('x').next().unwrap_or("");
    let (code, national) = main.trim_start_matches('+').split_once(' ').unwrap();
    (national.len(), code.len() + national.len())
}

/// The documented refusal (README, "Numbers") that covers phonedesk refusing an input
/// libphonenumber reads, if any. Length refusals are checked against libphonenumber's reading.
fn documented_refusal(error: &ShapeError, canonical: &str) -> Option<&'static str> {
    let (national, total) = digit_counts(canonical);
    // Whatever phonedesk says first, a reading outside its length limits is refused.
    if national < 4 {
        return Some("fewer than 4 national digits");
    }
    if total > 15 {
        return Some("more than 15 digits");
    }
    Some(match error {
        ShapeError::Letters { .. } => "letters (vanity numbers, words around the number)",
        ShapeError::NonAsciiDigit { .. } => "digits other than ASCII 0-9",
        ShapeError::InvisibleCharacter { .. } => "invisible and direction-changing characters",
        ShapeError::ControlCharacter { .. } => "control characters",
        ShapeError::NotAllowed { .. } => "characters other than digits, + and separators",
        ShapeError::MoreThanOnePlus | ShapeError::MisplacedPlus => "a second or misplaced +",
        ShapeError::ExtensionNotDigits { .. }
        | ShapeError::ExtensionTooLong { .. }
        | ShapeError::EmptyExtension => "an extension that is not 1-10 digits",
        ShapeError::TooLong { .. } => "more than 64 characters",
        _ => return None,
    })
}

/// The documented difference (README) that covers phonedesk reading an input libphonenumber
/// refuses, if any.
fn documented_acceptance(case: &Case) -> Option<&'static str> {
    case.input
        .contains('\u{202F}')
        .then_some("a narrow no-break space U+202F read as a separator")
}

#[derive(Default)]
struct Tally {
    inputs: usize,
    both_accept: usize,
    canonical: usize,
    valid: usize,
    region: usize,
    number_type: usize,
    all: usize,
    acceptance_agrees: usize,
    documented: usize,
}

#[test]
#[ignore = "writes the corpus inputs for tests/phone_corpus/regenerate.py"]
fn write_corpus_inputs() {
    let path = std::env::var("PHONE_CORPUS_INPUTS").expect("PHONE_CORPUS_INPUTS names the file");
    let cases = corpus();
    let mut out = serde_json::json!({ "digest": digest(&cases) }).to_string();
    out.push('\n');
    for case in &cases {
        out.push_str(&serde_json::json!([case.input, case.region]).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn the_corpus_is_the_one_the_answers_were_recorded_for() {
    let cases = corpus();
    let (recorded, rows) = expected();
    assert_eq!(cases.len(), phone_corpus::SIZE);
    assert_eq!(rows.len(), cases.len());
    assert_eq!(
        digest(&cases),
        recorded,
        "the generator changed: run tests/phone_corpus/regenerate.py"
    );
    let junk = cases.iter().filter(|c| c.kind == Kind::Junk).count();
    assert!((4_000..6_000).contains(&junk), "about 5 % junk, got {junk}");
    let regions: std::collections::HashSet<_> =
        cases.iter().filter_map(|c| c.region.as_ref()).collect();
    assert!(regions.len() > 230, "{} regions", regions.len());
}

#[test]
fn phonedesk_agrees_with_libphonenumber() {
    let cases = corpus();
    let (_, rows) = expected();
    let mut by_kind: BTreeMap<Kind, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut refusals: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut differences = Vec::new();
    let mut acceptance = Vec::new();
    // PHONE_CORPUS_ACTUAL=FILE writes phonedesk's answers, one line per input, for comparing
    // two versions of phonedesk on the corpus.
    let mut dump = std::env::var("PHONE_CORPUS_ACTUAL")
        .ok()
        .map(|path| (path, String::new()));
    for (case, want) in cases.iter().zip(&rows) {
        let got = actual(case);
        if let Some((_, out)) = dump.as_mut() {
            match &got {
                Ok((c, v, r, t)) => out.push_str(&format!("{c}\t{}\t{r}\t{t}\n", u8::from(*v))),
                Err(e) => out.push_str(&format!("!{e:?}\n")),
            }
        }
        let tally = by_kind.entry(case.kind).or_default();
        for t in [&mut *tally, &mut total] {
            t.inputs += 1;
        }
        match (want, &got) {
            (Expected::Refused, Err(_)) => {
                tally.acceptance_agrees += 1;
                total.acceptance_agrees += 1;
            }
            (Expected::Refused, Ok((canonical, ..))) => match documented_acceptance(case) {
                Some(why) => {
                    *refusals.entry(why).or_default() += 1;
                    tally.documented += 1;
                    total.documented += 1;
                }
                None => acceptance.push(format!(
                    "{:?} in {:?}: phonedesk reads {canonical}, libphonenumber refuses",
                    case.input, case.region
                )),
            },
            (Expected::Read { canonical, .. }, Err(error)) => {
                match documented_refusal(error, canonical) {
                    Some(why) => {
                        *refusals.entry(why).or_default() += 1;
                        tally.documented += 1;
                        total.documented += 1;
                    }
                    None => acceptance.push(format!(
                        "{:?} in {:?}: phonedesk refuses ({error}), libphonenumber reads {canonical}",
                        case.input, case.region
                    )),
                }
            }
            (
                Expected::Read {
                    canonical,
                    valid,
                    region,
                    number_type,
                },
                Ok((c, v, r, t)),
            ) => {
                let same = [c == canonical, v == valid, r == region, t == number_type];
                for t in [&mut *tally, &mut total] {
                    t.acceptance_agrees += 1;
                    t.both_accept += 1;
                    t.canonical += usize::from(same[0]);
                    t.valid += usize::from(same[1]);
                    t.region += usize::from(same[2]);
                    t.number_type += usize::from(same[3]);
                    t.all += usize::from(same.iter().all(|s| *s));
                }
                if !same.iter().all(|s| *s) {
                    differences.push(format!(
                        "{:?} in {:?}: phonedesk {c} {v} {r} {t}; libphonenumber {canonical} {valid} {region} {number_type}",
                        case.input, case.region
                    ));
                }
            }
        }
    }
    if let Some((path, out)) = dump {
        std::fs::write(path, out).unwrap();
    }
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    println!(
        "{:<20} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11}",
        "kind", "inputs", "both", "canonical", "valid", "region", "type", "all four", "acceptance"
    );
    for (kind, t) in by_kind
        .iter()
        .map(|(k, t)| (format!("{k:?}"), t))
        .chain([("total".to_owned(), &total)])
    {
        println!(
            "{kind:<20} {:>7} {:>7} {:>8.2}% {:>8.2}% {:>8.2}% {:>8.2}% {:>8.2}% {:>10.2}%",
            t.inputs,
            t.both_accept,
            pct(t.canonical, t.both_accept),
            pct(t.valid, t.both_accept),
            pct(t.region, t.both_accept),
            pct(t.number_type, t.both_accept),
            pct(t.all, t.both_accept),
            pct(t.acceptance_agrees, t.inputs - t.documented),
        );
    }
    println!("documented differences: {refusals:#?}");
    for line in differences.iter().take(40) {
        println!("differs: {line}");
    }
    for line in acceptance.iter().take(40) {
        println!("acceptance: {line}");
    }
    let agreement = total.all as f64 / total.both_accept.max(1) as f64;
    assert!(
        agreement >= REQUIRED_AGREEMENT,
        "{:.3}% agreement ({} differences)",
        agreement * 100.0,
        differences.len()
    );
    assert!(
        acceptance.is_empty(),
        "{} acceptance differences outside the documented refusals",
        acceptance.len()
    );
}

/// The usage locations the correction tests put each number in.
const HOMES: &[&str] = &[
    "US", "GB", "DE", "FR", "AU", "IN", "BR", "JP", "IT", "RW", "CI", "RU",
];

#[test]
fn valid_foreign_numbers_are_never_offered_a_one_key_correction() {
    let cases = corpus();
    let (_, rows) = expected();
    let homes: Vec<Region> = HOMES.iter().map(|h| Region::parse(h).unwrap()).collect();
    let mut foreign = 0;
    let mut with_home_reading = 0;
    let mut offered = Vec::new();
    for (case, want) in cases.iter().zip(&rows) {
        let Expected::Read {
            canonical,
            valid: true,
            ..
        } = want
        else {
            continue;
        };
        // Numbers over phonedesk's 15 digits are refused, not corrected.
        let Ok(number) = PhoneNumber::parse_canonical(canonical) else {
            continue;
        };
        for home in &homes {
            if home.country_code() == Some(number.country_code()) {
                continue;
            }
            let found = diagnose(&number, Some(PhoneType::Mobile), Some(*home));
            let mismatch = found
                .warnings
                .iter()
                .find(|w| w.kind == FindingKind::CountryMismatch);
            assert!(
                mismatch.is_some(),
                "{number} for a {home} user: no country warning"
            );
            foreign += 1;
            with_home_reading += usize::from(mismatch.is_some_and(|w| w.other_reading.is_some()));
            if let Some(fixed) = found.suggestion() {
                offered.push(format!("{number} for {home} ({:?}): {fixed}", case.input));
            }
        }
    }
    println!(
        "{foreign} valid foreign numbers, {with_home_reading} whose digits are valid at home too, {} one-key corrections offered",
        offered.len()
    );
    assert!(foreign > 100_000, "{foreign}");
    // The home reading exists for some (the old eager swap): the warning names it, no key applies it.
    assert!(with_home_reading > 1_000, "{with_home_reading}");
    assert!(
        offered.is_empty(),
        "{} offered, e.g. {:?}",
        offered.len(),
        offered.first()
    );
}

#[test]
fn every_number_read_reads_back_from_its_canonical_form() {
    let mut read = 0;
    for case in &corpus() {
        let region = case.region.as_deref().map(|r| Region::parse(r).unwrap());
        let Ok(number) = PhoneNumber::parse(&case.input, region) else {
            continue;
        };
        read += 1;
        let text = number.to_string();
        let back = PhoneNumber::parse_canonical(&text);
        if classify(&number).0 {
            assert_eq!(
                back.as_ref(),
                Ok(&number),
                "{:?} in {:?}",
                case.input,
                case.region
            );
        }
        assert_eq!(
            PhoneNumber::parse_stored(&text).as_ref(),
            Ok(&number),
            "{text}"
        );
    }
    assert!(read > 90_000, "{read}");
}

#[test]
fn every_one_key_correction_fixes_an_invalid_number_with_a_valid_one() {
    let cases = corpus();
    let mut offered = 0;
    for case in &cases {
        let region = case.region.as_deref().map(|r| Region::parse(r).unwrap());
        let Ok(number) = PhoneNumber::parse(&case.input, region) else {
            continue;
        };
        let found = diagnose(&number, Some(PhoneType::Mobile), region);
        if let Some(fixed) = found.suggestion() {
            offered += 1;
            assert!(!found.valid, "{number}: a valid number was offered {fixed}");
            assert!(
                classify(fixed).0,
                "{number}: the correction {fixed} is not valid"
            );
        }
    }
    println!("{offered} corrections offered");
    assert!(offered > 100, "{offered}");
}
