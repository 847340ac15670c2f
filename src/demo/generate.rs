//! `phonedesk demo generate`: a deterministic tenant of any size, for benchmarks and load tests.
//!
//! The same `--users` and `--seed` always give the same file. Names are drawn from several
//! cultures; numbers are drawn per country and kept only when libphonenumber calls them valid
//! (and, for mobile slots, mobile). They are random valid numbers, not reserved fictional ones:
//! the fictional ranges hold far too few numbers for a large tenant. Scenario shares follow what
//! a helpdesk sees: most users have a mobile, some an alternate or an office phone, a quarter are
//! frontline workers, and small shares are blocked, admins, guests, or have a problem number.

use std::collections::HashSet;

use crate::domain::diagnosis::classify;
use crate::domain::user::UserType;
use crate::domain::{
    Block, BlockKind, DefaultMethod, NumberType, PhoneMethod, PhoneNumber, PhoneType, Policy,
    Region, Tenant, Timestamp, Upn, User,
};
use crate::rng::SeededRng;
use crate::store::Snapshot;

const DOMAIN: &str = "contoso-generated.example";
const FRONTLINE: &str = "Frontline Workers";

const FIRST: &[&str] = &[
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofía", "Lucas", "Chloé", "Hugo", "Zoë",
    "Aarav", "Priya", "Wei", "Mei", "Hiroshi", "Yuki", "Fatima", "Omar", "Amara", "Kwame",
    "Ingrid", "Søren", "Björn", "Anja", "Luca", "Giulia", "José", "Ana", "Siobhan", "Connor",
    "Aisha", "Jamal", "Elena", "Dmitri", "Nadia", "Tomás", "Isabel", "Arjun", "Leilani",
];
const LAST: &[&str] = &[
    "Smith",
    "Garcia",
    "Nguyen",
    "Müller",
    "Rossi",
    "Kowalski",
    "O'Connor",
    "Haddad",
    "Okafor",
    "Tanaka",
    "Kim",
    "Patel",
    "Silva",
    "Dubois",
    "Jensen",
    "Lindqvist",
    "Martin",
    "Brown",
    "Wilson",
    "Chen",
    "Singh",
    "Hughes",
    "Fischer",
    "Moreau",
    "Novak",
    "Costa",
    "Ward",
    "Khan",
    "Murphy",
    "Petrov",
    "Tremblay",
    "Bennett",
    "Clarke",
    "Mensah",
    "Delgado",
    "Raman",
];
const GROUPS: &[&str] = &[
    "Sales",
    "Engineering",
    "Finance",
    "HR",
    "Legal",
    "Marketing",
    "IT",
    "Facilities",
];
const US_AREAS: &[&str] = &[
    "206", "425", "312", "415", "212", "617", "303", "512", "602", "404", "305", "213", "718",
    "646", "702", "801", "919", "704", "614", "503",
];
const CA_AREAS: &[&str] = &["604", "416", "514", "403", "613", "905"];

/// The countries users live in, with their share in percent.
const COUNTRIES: &[(&str, u64)] = &[
    ("US", 55),
    ("CA", 10),
    ("GB", 10),
    ("AU", 10),
    ("FR", 10),
    ("DE", 5),
];

fn digits(rng: &mut SeededRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)))
        .collect()
}

/// A candidate national number for `region`; `mobile` asks for a mobile range.
fn candidate(rng: &mut SeededRng, region: &str, mobile: bool) -> (u16, String) {
    match (region, mobile) {
        ("CA", _) => (
            1,
            format!(
                "{}{}{}",
                rng.pick(CA_AREAS),
                2 + rng.below(8),
                digits(rng, 6)
            ),
        ),
        ("GB", true) => (44, format!("7{}{}", 4 + rng.below(6), digits(rng, 8))),
        ("GB", false) => (44, format!("20{}{}", 7 + rng.below(2), digits(rng, 7))),
        ("AU", true) => (61, format!("4{}", digits(rng, 8))),
        ("AU", false) => (61, format!("2{}{}", 8 + rng.below(2), digits(rng, 7))),
        ("FR", true) => (33, format!("{}{}", 6 + rng.below(2), digits(rng, 8))),
        ("FR", false) => (33, format!("{}{}", 1 + rng.below(5), digits(rng, 8))),
        ("DE", true) => (49, format!("1{}{}", 5 + rng.below(3), digits(rng, 9))),
        ("DE", false) => (49, format!("30{}", digits(rng, 8))),
        _ => (
            1,
            format!(
                "{}{}{}",
                rng.pick(US_AREAS),
                2 + rng.below(8),
                digits(rng, 6)
            ),
        ),
    }
}

/// A valid number for `region`, mobile-capable when `mobile`; falls back to the fictional US range.
fn valid_number(
    rng: &mut SeededRng,
    region: &str,
    mobile: bool,
    used: &mut HashSet<String>,
) -> Option<PhoneNumber> {
    for _ in 0..40 {
        let (code, national) = candidate(rng, region, mobile);
        let Some(number) = PhoneNumber::from_parts(code, &national, None) else {
            continue;
        };
        let (valid, number_type) = classify(&number);
        let kind_ok = if mobile {
            number_type.can_receive_sms()
        } else {
            matches!(
                number_type,
                NumberType::FixedLine | NumberType::FixedLineOrMobile
            )
        };
        if valid && kind_ok && used.insert(number.to_string()) {
            return Some(number);
        }
    }
    let fallback = format!("{}55501{}", rng.pick(US_AREAS), digits(rng, 2));
    PhoneNumber::from_parts(1, &fallback, None)
}

fn pick_country(rng: &mut SeededRng) -> &'static str {
    let mut roll = rng.below(100);
    for (code, share) in COUNTRIES {
        if roll < *share {
            return code;
        }
        roll -= share;
    }
    "US"
}

fn method(slot: PhoneType, number: PhoneNumber) -> PhoneMethod {
    PhoneMethod {
        phone_type: slot,
        phone_number: number,
        sms_sign_in_enabled: false,
        sms_sign_in_since: None,
    }
}

/// Generates `count` users from `seed`. `now` dates blocks and SMS sign-in claims.
pub fn generate(count: usize, seed: u64, now: Timestamp) -> Snapshot {
    let mut rng = SeededRng::new(seed);
    let mut used_numbers = HashSet::with_capacity(count * 2);
    let mut used_upns = HashSet::with_capacity(count);
    let mut users = Vec::with_capacity(count);
    let mut shareable: Vec<PhoneNumber> = Vec::new();
    for i in 0..count {
        let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
        let base: String = format!("{first}.{last}")
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let local = if used_upns.insert(base.clone()) {
            base
        } else {
            format!("{base}{i}")
        };
        let Ok(upn) = Upn::parse(&format!("{local}@{DOMAIN}")) else {
            continue;
        };
        let mut user = User::new(upn, format!("{first} {last}"));
        let region = pick_country(&mut rng);
        user.usage_location = Region::parse(region).ok();
        user.groups.push((*rng.pick(GROUPS)).to_owned());
        let frontline = rng.chance(25);
        if frontline {
            user.groups.push(FRONTLINE.to_owned());
        }
        if rng.chance(2) {
            user.roles.push("Helpdesk Administrator".to_owned());
        }
        if rng.chance(3) {
            user.user_type = UserType::Guest;
        }
        if !rng.chance(8) {
            add_phones(
                &mut rng,
                &mut user,
                region,
                frontline,
                &mut used_numbers,
                &mut shareable,
                now,
            );
        }
        if rng.chance(1) {
            user.block = Some(Block {
                kind: if rng.chance(20) {
                    BlockKind::FraudReport
                } else {
                    BlockKind::Admin
                },
                reason: "generated scenario".to_owned(),
                since: now,
                until: None,
            });
        }
        users.push(user);
    }
    Snapshot {
        tenant: Tenant {
            name: format!("Generated tenant ({count} users, seed {seed})"),
            domain: DOMAIN.to_owned(),
        },
        policy: Policy {
            sms_sign_in_groups: vec![FRONTLINE.to_owned()],
            ..Policy::default()
        },
        users,
        devices: Vec::new(),
    }
}

fn add_phones(
    rng: &mut SeededRng,
    user: &mut User,
    region: &str,
    frontline: bool,
    used: &mut HashSet<String>,
    shareable: &mut Vec<PhoneNumber>,
    now: Timestamp,
) {
    let roll = rng.below(1000);
    let mobile = match roll {
        // No mobile at all.
        0..=149 => None,
        // A landline in the mobile slot.
        150..=169 => valid_number(rng, region, false, used),
        // A family phone shared with an earlier user.
        170..=174 if !shareable.is_empty() => Some(rng.pick(shareable).clone()),
        // The right digits with the wrong country code.
        175..=184 => valid_number(rng, region, true, used).map(|right| {
            let code = if right.country_code() == 1 { 44 } else { 1 };
            // Read as typed, so the number is canonical (`+1 1...` loses its trunk 1).
            PhoneNumber::parse(&format!("+{code} {}", right.national()), None).unwrap_or(right)
        }),
        _ => valid_number(rng, region, true, used),
    };
    if let Some(mobile) = mobile {
        if shareable.len() < 1000 {
            shareable.push(mobile.clone());
        }
        let mut m = method(PhoneType::Mobile, mobile);
        if frontline && rng.chance(80) {
            m.sms_sign_in_enabled = true;
            m.sms_sign_in_since =
                Some(now.plus_secs(i64::try_from(rng.below(1_000_000)).unwrap_or(0)));
        }
        user.phone_methods.push(m);
        user.default_mfa_method = Some(if rng.chance(70) {
            DefaultMethod::Sms
        } else {
            DefaultMethod::VoiceMobile
        });
        if rng.chance(15)
            && let Some(alt) = valid_number(rng, region, true, used)
        {
            user.phone_methods
                .push(method(PhoneType::AlternateMobile, alt));
        }
        if rng.chance(5) {
            user.mobile_phone = user
                .phone_methods
                .first()
                .map(|m| m.phone_number.to_string());
        }
    }
    if rng.chance(20)
        && let Some(office) = valid_number(rng, region, false, used)
    {
        let ext = rng.chance(40).then(|| digits(rng, 4));
        let number =
            PhoneNumber::from_parts(office.country_code(), office.national(), ext.as_deref())
                .unwrap_or(office);
        user.business_phones.push(number.to_string());
        user.phone_methods.push(method(PhoneType::Office, number));
        if user.default_mfa_method.is_none() {
            user.default_mfa_method = Some(DefaultMethod::VoiceOffice);
        }
    }
}
