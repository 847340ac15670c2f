//! A deterministic corpus of 100,000 helpdesk-style phone inputs, and libphonenumber's answers for
//! them (`expected.tsv`, written by `regenerate.py` with Python `phonenumbers` 9.0.33, the
//! metadata release the `phonenumber` crate embeds).
//!
//! The inputs are built from the crate's metadata (every region's example numbers, its trunk and
//! international prefixes), so no input is stored: the test regenerates them and checks their
//! digest against the one `expected.tsv` was written for.

use phonenumber::metadata::DATABASE;

/// How many inputs the corpus has.
pub const SIZE: usize = 100_000;

/// The kinds of input, for the per-class figures.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Kind {
    E164Spaced,
    E164Compact,
    International,
    National,
    Idd,
    HomeCodeWithoutPlus,
    Pasted,
    Extension,
    PlusZero,
    TrunkEight,
    LeadingZero,
    Junk,
}

/// One input and the region (usage location) it is read in.
#[derive(Clone, Debug)]
pub struct Case {
    pub kind: Kind,
    pub input: String,
    pub region: Option<String>,
}

/// What the generator needs to know about a region.
struct RegionInfo {
    id: String,
    code: u16,
    trunk: Option<String>,
    /// An international prefix that dials out, when the metadata gives one as plain digits.
    idd: Option<String>,
    examples: Vec<String>,
    lengths: Vec<u16>,
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn digit(&mut self) -> char {
        char::from(b'0' + u8::try_from(self.below(10)).unwrap_or(0))
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| self.digit()).collect()
    }
}

fn plain_digits(s: &str) -> Option<String> {
    let s: String = s.split_whitespace().collect();
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

fn regions() -> (Vec<RegionInfo>, Vec<RegionInfo>) {
    let mut geographic = Vec::new();
    let mut non_geographic = Vec::new();
    for code in 1..1000u16 {
        for meta in DATABASE.by_code(&code).unwrap_or_default() {
            let d = meta.descriptors();
            let descs = [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ];
            let examples: Vec<String> = descs
                .iter()
                .flatten()
                .filter_map(|x| x.example().map(str::to_owned))
                .collect();
            let mut lengths: Vec<u16> = descs
                .iter()
                .flatten()
                .flat_map(|x| x.possible_length().iter().copied())
                .collect();
            lengths.sort_unstable();
            lengths.dedup();
            if examples.is_empty() || lengths.is_empty() {
                continue;
            }
            let idd = meta
                .preferred_international_prefix()
                .and_then(plain_digits)
                .or_else(|| {
                    meta.international_prefix()
                        .and_then(|r| plain_digits(r.as_str()))
                });
            let info = RegionInfo {
                id: meta.id().to_owned(),
                code,
                trunk: meta.national_prefix().map(str::to_owned),
                idd,
                examples,
                lengths,
            };
            if info.id == "001" {
                non_geographic.push(info);
            } else {
                geographic.push(info);
            }
        }
    }
    (geographic, non_geographic)
}

/// A national significant number for `r`: an example, an example with its last digits changed
/// (often still valid), or random digits of a possible length (mostly invalid).
fn national(rng: &mut Rng, r: &RegionInfo) -> String {
    let example = rng.pick(&r.examples).clone();
    match rng.below(100) {
        0..45 => example,
        45..85 => {
            let keep = example.len().saturating_sub(1 + rng.below(4));
            format!("{}{}", &example[..keep], rng.digits(example.len() - keep))
        }
        _ => {
            let len = usize::from(*rng.pick(&r.lengths));
            let first = char::from(b'1' + u8::try_from(rng.below(9)).unwrap_or(0));
            format!("{first}{}", rng.digits(len.saturating_sub(1)))
        }
    }
}

/// Splits digits into groups of 2 to 4 joined by `sep`.
fn grouped(rng: &mut Rng, digits: &str, sep: &str) -> String {
    let mut out = String::new();
    let mut rest = digits;
    while !rest.is_empty() {
        let take = (2 + rng.below(3)).min(rest.len());
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(&rest[..take]);
        rest = &rest[take..];
    }
    out
}

const SEPARATORS: &[&str] = &[" ", " ", " ", "-", ".", ""];
const PASTED_SEPARATORS: &[&str] = &[
    "\u{00A0}", "\u{00A0}", "\u{2013}", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2014}", "\u{2212}",
    "\u{202F}", " ",
];

fn separator(rng: &mut Rng) -> &'static str {
    SEPARATORS[rng.below(SEPARATORS.len())]
}

fn pasted_separator(rng: &mut Rng) -> &'static str {
    PASTED_SEPARATORS[rng.below(PASTED_SEPARATORS.len())]
}

fn maybe_region(rng: &mut Rng, regions: &[RegionInfo]) -> Option<String> {
    rng.chance(50).then(|| rng.pick(regions).id.clone())
}

fn extension(rng: &mut Rng) -> String {
    let len = 1 + rng.below(6);
    let digits = rng.digits(len);
    let marker = *rng.pick(&[
        " x",
        "x",
        " X",
        " ext. ",
        " ext ",
        " ext.",
        " extension ",
        " #",
        " x ",
    ]);
    format!("{marker}{digits}")
}

const JUNK: &[&str] = &[
    "call me",
    "N/A",
    "tbd",
    "none",
    "john@contoso.com",
    "1-800-FLOWERS",
    "+1 206 CALL NOW",
    "+1-800-MICROSOFT",
    "tel:+1-206-555-0100",
    "+",
    "++",
    "()",
    "--",
    "00",
    "+1 555",
    "555",
    "12",
    "+44",
    "ext 12",
    "x123",
    "+1 2065550100 ext",
    "+1 (206) 555-0100 x12a",
    "+\u{FF11} 2065550100",
    "+44 20 7946 0000 \u{e9}",
    "+1 206\u{200B}555 0100",
    "+1 206\u{202E}5550100",
    "+1 206\u{00AD}555 0100",
    "+1 206\u{2009}555 0100",
    "+1 206\u{3000}555 0100",
    "\u{0664}\u{0664} 20 7946 0000",
    "+1 206\n5550100",
    "1+2065550100",
    "+1 206+5550100",
    "++44 20 7946 0000",
    "+44 20 7946 0000 / 0001",
    "Tel: +44 20 7946 0000",
    "+999 12345678",
    "+1 2065550100123456",
    "[+44] 20 7946 0000",
    "+44 20 7946 0000 ~",
];

fn junk(rng: &mut Rng, regions: &[RegionInfo]) -> (String, Option<String>) {
    let region = maybe_region(rng, regions);
    let text = match rng.below(4) {
        0 | 1 => (*rng.pick(JUNK)).to_owned(),
        2 => {
            let len = 1 + rng.below(3);
            rng.digits(len)
        }
        _ => {
            let len = 18 + rng.below(8);
            format!("+{}", rng.digits(len))
        }
    };
    (text, region)
}

/// The corpus, the same on every run.
pub fn corpus() -> Vec<Case> {
    let (geo, non_geo) = regions();
    let mut rng = Rng(0x5EED_0011_0000_0001);
    let by_id = |id: &str| geo.iter().find(|r| r.id == id);
    let eights: Vec<&RegionInfo> = ["RU", "KZ", "BY", "LT"]
        .iter()
        .filter_map(|id| by_id(id))
        .collect();
    let zeros: Vec<&RegionInfo> = ["CI", "BJ", "CG", "IT", "VA", "SM", "GA"]
        .iter()
        .filter_map(|id| by_id(id))
        .collect();
    let dialling_out: Vec<&RegionInfo> = geo.iter().filter(|r| r.idd.is_some()).collect();
    let mut cases = Vec::with_capacity(SIZE);
    while cases.len() < SIZE {
        let any = |rng: &mut Rng| -> &RegionInfo {
            if rng.chance(4) {
                rng.pick(&non_geo)
            } else {
                rng.pick(&geo)
            }
        };
        let (kind, input, region) = match rng.below(100) {
            0..16 => {
                let r = any(&mut rng);
                let n = national(&mut rng, r);
                (
                    Kind::E164Spaced,
                    format!("+{} {n}", r.code),
                    maybe_region(&mut rng, &geo),
                )
            }
            16..26 => {
                let r = any(&mut rng);
                let n = national(&mut rng, r);
                (
                    Kind::E164Compact,
                    format!("+{}{n}", r.code),
                    maybe_region(&mut rng, &geo),
                )
            }
            26..36 => {
                let r = any(&mut rng);
                let n = national(&mut rng, r);
                let sep = separator(&mut rng);
                let body = grouped(&mut rng, &n, sep);
                let text = if rng.chance(20) && n.len() > 4 {
                    format!(
                        "+{} ({}) {}",
                        r.code,
                        &n[..3],
                        grouped(&mut rng, &n[3..], sep)
                    )
                } else {
                    format!("+{} {body}", r.code)
                };
                (Kind::International, text, maybe_region(&mut rng, &geo))
            }
            36..58 => {
                let r = rng.pick(&geo);
                let n = national(&mut rng, r);
                let trunk = r
                    .trunk
                    .clone()
                    .filter(|_| rng.chance(85))
                    .unwrap_or_default();
                let sep = separator(&mut rng);
                let body = grouped(&mut rng, &format!("{trunk}{n}"), sep);
                (Kind::National, body, Some(r.id.clone()))
            }
            58..67 => {
                let home = *rng.pick(&dialling_out);
                let foreign = any(&mut rng);
                let n = national(&mut rng, foreign);
                let idd = home.idd.clone().unwrap_or_default();
                let sep = separator(&mut rng);
                let text = format!("{idd} {} {}", foreign.code, grouped(&mut rng, &n, sep));
                (Kind::Idd, text, Some(home.id.clone()))
            }
            67..72 => {
                let r = rng.pick(&geo);
                let n = national(&mut rng, r);
                let text = if rng.chance(50) {
                    format!("{} {n}", r.code)
                } else {
                    format!("{}{n}", r.code)
                };
                (Kind::HomeCodeWithoutPlus, text, Some(r.id.clone()))
            }
            72..80 => {
                let r = rng.pick(&geo);
                let n = national(&mut rng, r);
                let sep = pasted_separator(&mut rng);
                let text = match rng.below(3) {
                    0 if r.trunk.as_deref() == Some("0") => {
                        format!("+{} (0){}", r.code, grouped(&mut rng, &n, sep))
                    }
                    1 => {
                        let trunk = r.trunk.clone().unwrap_or_default();
                        format!(" {} ", grouped(&mut rng, &format!("{trunk}{n}"), sep))
                    }
                    _ => format!("+{}{sep}{}", r.code, grouped(&mut rng, &n, sep)),
                };
                (Kind::Pasted, text, Some(r.id.clone()))
            }
            80..87 => {
                let r = rng.pick(&geo);
                let n = national(&mut rng, r);
                let ext = extension(&mut rng);
                let text = if rng.chance(50) {
                    let sep = separator(&mut rng);
                    format!("+{} {}{ext}", r.code, grouped(&mut rng, &n, sep))
                } else {
                    let trunk = r.trunk.clone().unwrap_or_default();
                    format!("{trunk}{n}{ext}")
                };
                (Kind::Extension, text, Some(r.id.clone()))
            }
            87..88 => {
                let foreign = any(&mut rng);
                let n = national(&mut rng, foreign);
                let home = *rng.pick(&dialling_out);
                let (text, region) = match rng.below(3) {
                    0 => (format!("+0{}{n}", foreign.code), None),
                    1 => (
                        format!(
                            "+{} {} {n}",
                            home.idd.clone().unwrap_or_default(),
                            foreign.code
                        ),
                        Some(home.id.clone()),
                    ),
                    _ => (
                        format!("+0{} {n}", foreign.code),
                        maybe_region(&mut rng, &geo),
                    ),
                };
                (Kind::PlusZero, text, region)
            }
            88..90 => {
                let r = *rng.pick(&eights);
                let n = if rng.chance(50) {
                    format!("8{}", rng.digits(9))
                } else {
                    format!("80{}", rng.digits(8))
                };
                let text = if rng.chance(70) {
                    format!("+{} {}", r.code, grouped(&mut rng, &n, " "))
                } else {
                    format!("8 {n}")
                };
                (Kind::TrunkEight, text, Some(r.id.clone()))
            }
            90..95 => {
                let r = *rng.pick(&zeros);
                let n = national(&mut rng, r);
                let text = if rng.chance(60) {
                    format!("+{} {n}", r.code)
                } else {
                    grouped(&mut rng, &n, " ")
                };
                (Kind::LeadingZero, text, Some(r.id.clone()))
            }
            _ => {
                let (text, region) = junk(&mut rng, &geo);
                (Kind::Junk, text, region)
            }
        };
        cases.push(Case {
            kind,
            input,
            region,
        });
    }
    cases
}

/// FNV-1a over every input and region, to tie `expected.tsv` to the generator that made it.
pub fn digest(cases: &[Case]) -> String {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for case in cases {
        let region = case.region.as_deref().unwrap_or("-");
        for byte in case
            .input
            .bytes()
            .chain([0])
            .chain(region.bytes())
            .chain([0])
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01B3);
        }
    }
    format!("{hash:016x}")
}
