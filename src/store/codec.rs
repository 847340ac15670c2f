//! The compact binary encoding of stored records.
//!
//! A million users are read on every export and every index rebuild, so records are not JSON:
//! a user is a few length-prefixed fields (LEB128 integers, UTF-8 strings), about a third of its
//! JSON size and decoded in well under a microsecond. Every record starts with a format byte, so
//! a later build can read older records; a decoder that meets anything it does not expect says
//! so as [`Malformed`] instead of guessing.

use crate::domain::rules::Claim;
use crate::domain::{
    Block, BlockKind, DefaultMethod, PhoneMethod, PhoneNumber, PhoneType, PinHash, Region,
    Timestamp, Upn, User, UserType,
};

/// The user record format this build writes.
const USER_FORMAT: u8 = 1;

/// A record that cannot be decoded: the database is damaged or from an unknown build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Appends encoded values to a byte buffer.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            bytes: Vec::with_capacity(n),
        }
    }

    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// An unsigned integer in LEB128: small numbers take one byte.
    pub fn uint(&mut self, mut v: u64) {
        loop {
            let low = u8::try_from(v & 0x7f).unwrap_or(0);
            v >>= 7;
            if v == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    /// A signed integer, zigzag-encoded so small negatives stay short.
    pub fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)).cast_unsigned());
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.bytes.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
    }

    pub fn strs(&mut self, items: &[String]) {
        self.uint(items.len() as u64);
        for s in items {
            self.str(s);
        }
    }

    pub fn opt_time(&mut self, t: Option<Timestamp>) {
        match t {
            Some(t) => {
                self.u8(1);
                self.int(t.0);
            }
            None => self.u8(0),
        }
    }

    pub fn number(&mut self, n: &PhoneNumber) {
        self.uint(u64::from(n.country_code()));
        self.str(n.national());
        self.opt_str(n.extension());
        self.u8(n.hidden_digits());
    }
}

/// Reads values back in the order a [`Writer`] wrote them.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub fn is_done(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn u8(&mut self) -> Result<u8, Malformed> {
        let (&first, rest) = self
            .bytes
            .split_first()
            .ok_or(Malformed("a record ends early"))?;
        self.bytes = rest;
        Ok(first)
    }

    pub fn uint(&mut self) -> Result<u64, Malformed> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Malformed("an integer is too long"))
    }

    pub fn int(&mut self) -> Result<i64, Malformed> {
        let v = self.uint()?;
        Ok((v >> 1).cast_signed() ^ -((v & 1).cast_signed()))
    }

    pub fn len(&mut self) -> Result<usize, Malformed> {
        let n = usize::try_from(self.uint()?).map_err(|_| Malformed("a length is too large"))?;
        if n > self.bytes.len() {
            return Err(Malformed("a length runs past the record"));
        }
        Ok(n)
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], Malformed> {
        let n = self.len()?;
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    pub fn str(&mut self) -> Result<&'a str, Malformed> {
        std::str::from_utf8(self.bytes()?).map_err(|_| Malformed("a text is not UTF-8"))
    }

    pub fn string(&mut self) -> Result<String, Malformed> {
        self.str().map(str::to_owned)
    }

    pub fn opt_str(&mut self) -> Result<Option<&'a str>, Malformed> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(Malformed("an optional text has a bad tag")),
        }
    }

    pub fn strs(&mut self) -> Result<Vec<String>, Malformed> {
        let n = self.uint()?;
        // Each string takes at least one byte: a count beyond the rest is damage, not a request
        // to allocate.
        if n > self.bytes.len() as u64 {
            return Err(Malformed("a list is longer than its record"));
        }
        (0..n).map(|_| self.string()).collect()
    }

    pub fn opt_time(&mut self) -> Result<Option<Timestamp>, Malformed> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(Timestamp(self.int()?))),
            _ => Err(Malformed("an optional time has a bad tag")),
        }
    }

    pub fn number(&mut self) -> Result<PhoneNumber, Malformed> {
        let cc =
            u16::try_from(self.uint()?).map_err(|_| Malformed("a country code is too large"))?;
        let national = self.str()?;
        let extension = self.opt_str()?;
        let hidden = self.u8()?;
        PhoneNumber::from_stored_parts(cc, national, extension, hidden)
            .ok_or(Malformed("a stored phone number is not a phone number"))
    }
}

fn slot_code(slot: PhoneType) -> u8 {
    match slot {
        PhoneType::Mobile => 0,
        PhoneType::AlternateMobile => 1,
        PhoneType::Office => 2,
    }
}

fn slot_of(code: u8) -> Result<PhoneType, Malformed> {
    match code {
        0 => Ok(PhoneType::Mobile),
        1 => Ok(PhoneType::AlternateMobile),
        2 => Ok(PhoneType::Office),
        _ => Err(Malformed("unknown phone slot")),
    }
}

fn method_code(m: Option<DefaultMethod>) -> u8 {
    match m {
        None => 0,
        Some(DefaultMethod::Sms) => 1,
        Some(DefaultMethod::VoiceMobile) => 2,
        Some(DefaultMethod::VoiceAlternateMobile) => 3,
        Some(DefaultMethod::VoiceOffice) => 4,
    }
}

fn method_of(code: u8) -> Result<Option<DefaultMethod>, Malformed> {
    Ok(match code {
        0 => None,
        1 => Some(DefaultMethod::Sms),
        2 => Some(DefaultMethod::VoiceMobile),
        3 => Some(DefaultMethod::VoiceAlternateMobile),
        4 => Some(DefaultMethod::VoiceOffice),
        _ => return Err(Malformed("unknown default method")),
    })
}

/// Encodes one user record.
pub fn encode_user(user: &User) -> Vec<u8> {
    let mut w = Writer::with_capacity(160);
    w.u8(USER_FORMAT);
    w.str(user.upn().as_str());
    w.str(&user.display_name);
    w.u8(u8::from(user.user_type == UserType::Guest));
    w.opt_str(user.usage_location.as_ref().map(Region::code));
    w.strs(&user.groups);
    w.strs(&user.roles);
    w.opt_str(user.mobile_phone.as_deref());
    w.strs(&user.business_phones);
    match &user.block {
        None => w.u8(0),
        Some(b) => {
            w.u8(match b.kind {
                BlockKind::Admin => 1,
                BlockKind::FraudReport => 2,
            });
            w.str(&b.reason);
            w.int(b.since.0);
            w.opt_time(b.until);
        }
    }
    w.u8(method_code(user.default_mfa_method));
    w.uint(user.phone_methods.len() as u64);
    for m in &user.phone_methods {
        w.u8(slot_code(m.phone_type));
        w.number(&m.phone_number);
        w.u8(u8::from(m.sms_sign_in_enabled));
        w.opt_time(m.sms_sign_in_since);
    }
    match &user.pin {
        None => w.u8(0),
        Some(pin) => {
            w.u8(1);
            w.str(&pin.algorithm);
            w.uint(u64::from(pin.iterations));
            w.str(&pin.salt);
            w.str(&pin.hash);
        }
    }
    w.bytes
}

/// Decodes a record written by [`encode_user`].
pub fn decode_user(bytes: &[u8]) -> Result<User, Malformed> {
    let mut r = Reader::new(bytes);
    if r.u8()? != USER_FORMAT {
        return Err(Malformed("a user record of an unknown format"));
    }
    let upn = Upn::parse(r.str()?).map_err(|_| Malformed("a stored UPN is not a UPN"))?;
    let mut user = User::new(upn, r.string()?);
    user.user_type = match r.u8()? {
        0 => UserType::Member,
        1 => UserType::Guest,
        _ => return Err(Malformed("unknown user type")),
    };
    user.usage_location = r
        .opt_str()?
        .map(|code| Region::parse(code).map_err(|_| Malformed("unknown usage location")))
        .transpose()?;
    user.groups = r.strs()?;
    user.roles = r.strs()?;
    user.mobile_phone = r.opt_str()?.map(str::to_owned);
    user.business_phones = r.strs()?;
    user.block = match r.u8()? {
        0 => None,
        tag @ (1 | 2) => Some(Block {
            kind: if tag == 1 {
                BlockKind::Admin
            } else {
                BlockKind::FraudReport
            },
            reason: r.string()?,
            since: Timestamp(r.int()?),
            until: r.opt_time()?,
        }),
        _ => return Err(Malformed("unknown block kind")),
    };
    user.default_mfa_method = method_of(r.u8()?)?;
    let methods = r.uint()?;
    if methods > 3 {
        return Err(Malformed("more than three phone methods"));
    }
    for _ in 0..methods {
        user.phone_methods.push(PhoneMethod {
            phone_type: slot_of(r.u8()?)?,
            phone_number: r.number()?,
            sms_sign_in_enabled: r.u8()? == 1,
            sms_sign_in_since: r.opt_time()?,
        });
    }
    user.pin = match r.u8()? {
        0 => None,
        1 => Some(PinHash {
            algorithm: r.string()?,
            iterations: u32::try_from(r.uint()?).map_err(|_| Malformed("a PIN is damaged"))?,
            salt: r.string()?,
            hash: r.string()?,
        }),
        _ => return Err(Malformed("a PIN has a bad tag")),
    };
    if !r.is_done() {
        return Err(Malformed("a user record has trailing bytes"));
    }
    Ok(user)
}

/// Encodes the SMS sign-in claims on one number.
pub fn encode_claims(w: &mut Writer, claims: &[Claim]) {
    w.uint(claims.len() as u64);
    for c in claims {
        w.str(&c.upn_key);
        w.int(c.sms_sign_in_since.0);
    }
}

pub fn decode_claims(r: &mut Reader<'_>) -> Result<Vec<Claim>, Malformed> {
    let n = r.uint()?;
    if n > 1 << 20 {
        return Err(Malformed("a claim list is too long"));
    }
    (0..n)
        .map(|_| {
            Ok(Claim {
                upn_key: r.string()?,
                sms_sign_in_since: Timestamp(r.int()?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_user() -> User {
        let mut u = User::new(
            Upn::parse("Kim.Akers@contoso.example").unwrap(),
            "Kim Åkers",
        );
        u.user_type = UserType::Guest;
        u.usage_location = Region::parse("GB").ok();
        u.groups = vec!["Sales".into(), "Frontline Workers".into()];
        u.roles = vec!["Helpdesk Administrator".into()];
        u.mobile_phone = Some("+44 20 7946 0000".into());
        u.business_phones = vec!["+44 20 7946 0001".into()];
        u.block = Some(Block {
            kind: BlockKind::FraudReport,
            reason: "reported".into(),
            since: Timestamp(-5),
            until: Some(Timestamp(1_800_000_000_000)),
        });
        u.default_mfa_method = Some(DefaultMethod::VoiceOffice);
        u.phone_methods = vec![
            PhoneMethod {
                phone_type: PhoneType::Mobile,
                phone_number: PhoneNumber::parse("+44 7400123456", None).unwrap(),
                sms_sign_in_enabled: true,
                sms_sign_in_since: Some(Timestamp(12)),
            },
            PhoneMethod {
                phone_type: PhoneType::Office,
                phone_number: PhoneNumber::parse("+44 2079460000x12", None).unwrap(),
                sms_sign_in_enabled: false,
                sms_sign_in_since: None,
            },
        ];
        u.pin = Some(PinHash {
            algorithm: "pbkdf2-sha256".into(),
            iterations: 10_000,
            salt: "00ff".into(),
            hash: "abcd".into(),
        });
        u
    }

    #[test]
    fn users_round_trip() {
        let user = full_user();
        assert_eq!(decode_user(&encode_user(&user)).unwrap(), user);
        let plain = User::new(Upn::parse("a@b.example").unwrap(), "A");
        assert_eq!(decode_user(&encode_user(&plain)).unwrap(), plain);
    }

    #[test]
    fn every_truncation_and_trailing_byte_is_refused() {
        let bytes = encode_user(&full_user());
        for cut in 0..bytes.len() {
            assert!(decode_user(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_user(&longer).is_err());
    }

    #[test]
    fn integers_round_trip_at_the_edges() {
        for v in [0i64, 1, -1, 63, -64, 64, i64::MAX, i64::MIN] {
            let mut w = Writer::default();
            w.int(v);
            assert_eq!(Reader::new(&w.bytes).int().unwrap(), v);
        }
        for v in [0u64, 127, 128, u64::MAX] {
            let mut w = Writer::default();
            w.uint(v);
            assert_eq!(Reader::new(&w.bytes).uint().unwrap(), v);
        }
    }

    #[test]
    fn a_huge_length_is_damage_not_an_allocation() {
        let mut w = Writer::default();
        w.uint(u64::MAX >> 1);
        assert!(Reader::new(&w.bytes).strs().is_err());
        assert!(Reader::new(&w.bytes).str().is_err());
    }
}
