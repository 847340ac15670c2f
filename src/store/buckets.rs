//! How users and SMS sign-in claims are laid out in their trees: a few thousand buckets instead
//! of a million keys.
//!
//! sled's open time, memory and iteration speed grow with the number of keys (a leaf holds at most
//! 16), so a million users as a million keys took 250 ms to open and 2.5 s to scan. Users are
//! therefore kept in *range buckets* of about [`USER_BUCKET_BYTES`]: each bucket is keyed by the
//! lowest user key it holds and lists its users in key order. Users only arrive by import, which
//! writes a new generation of buckets, so bucket boundaries never move between imports and a
//! bucket can be found with one floor lookup outside a transaction and read with one point read
//! inside it. Claims are kept in [`CLAIM_BUCKETS`] hash buckets, found by hashing the number.

use super::codec::{self, Malformed, Reader, Writer};
use crate::domain::rules::Claim;

/// Target size of a user bucket: small enough to rewrite on every edit, large enough that a
/// million users make about 40,000 keys (and sled keeps a leaf of 16 of them under its blob size).
pub const USER_BUCKET_BYTES: usize = 4096;
/// Hash buckets for claims. Changing it changes where claims are stored: it is part of the schema.
pub const CLAIM_BUCKETS: u64 = 4096;
const BUCKET_FORMAT: u8 = 1;

/// The users of one bucket, in key order: `(user key, encoded record)`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UserBucket {
    pub users: Vec<(String, Vec<u8>)>,
}

impl UserBucket {
    pub fn decode(bytes: &[u8]) -> Result<Self, Malformed> {
        let mut r = Reader::new(bytes);
        if r.u8()? != BUCKET_FORMAT {
            return Err(Malformed("a user bucket of an unknown format"));
        }
        let n = r.uint()?;
        if n > bytes.len() as u64 {
            return Err(Malformed("a user bucket counts more users than it holds"));
        }
        let mut users = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
        for _ in 0..n {
            let key = r.string()?;
            let record = r.bytes()?.to_vec();
            users.push((key, record));
        }
        if !r.is_done() {
            return Err(Malformed("a user bucket has trailing bytes"));
        }
        if users.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(Malformed("a user bucket is out of order"));
        }
        Ok(Self { users })
    }

    pub fn encode(&self) -> Vec<u8> {
        let size: usize = self.users.iter().map(|(k, r)| k.len() + r.len() + 4).sum();
        let mut w = Writer::with_capacity(size + 8);
        w.u8(BUCKET_FORMAT);
        w.uint(self.users.len() as u64);
        for (key, record) in &self.users {
            w.str(key);
            w.bytes(record);
        }
        w.bytes
    }

    /// The encoded record of `key`, if the bucket holds it.
    pub fn get(&self, key: &str) -> Option<&[u8]> {
        self.position(key).map(|i| self.users[i].1.as_slice())
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.users
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
    }

    /// The lowest key: the bucket's own key in its tree.
    pub fn first_key(&self) -> Option<&str> {
        self.users.first().map(|(k, _)| k.as_str())
    }

    pub fn byte_size(&self) -> usize {
        self.users.iter().map(|(k, r)| k.len() + r.len() + 4).sum()
    }
}

/// Cuts users (already in key order) into buckets of about [`USER_BUCKET_BYTES`].
pub struct BucketCutter {
    current: UserBucket,
}

impl BucketCutter {
    pub fn new() -> Self {
        Self {
            current: UserBucket::default(),
        }
    }

    /// Adds the next user; returns a full bucket when this one completes it.
    pub fn push(&mut self, key: String, record: Vec<u8>) -> Option<UserBucket> {
        self.current.users.push((key, record));
        (self.current.byte_size() >= USER_BUCKET_BYTES).then(|| std::mem::take(&mut self.current))
    }

    /// The last, partly filled bucket.
    pub fn finish(self) -> Option<UserBucket> {
        (!self.current.users.is_empty()).then_some(self.current)
    }
}

/// FNV-1a: stable across builds and platforms, which a stored layout needs (std's hasher is
/// neither).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The claim bucket key of a canonical number (without extension).
pub fn claim_bucket_key(number: &str) -> [u8; 2] {
    let bucket = u16::try_from(stable_hash(number.as_bytes()) % CLAIM_BUCKETS).unwrap_or(0);
    bucket.to_be_bytes()
}

/// The claims of one hash bucket, by canonical number, in number order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ClaimBucket {
    pub numbers: Vec<(String, Vec<Claim>)>,
}

impl ClaimBucket {
    pub fn decode(bytes: &[u8]) -> Result<Self, Malformed> {
        let mut r = Reader::new(bytes);
        if r.u8()? != BUCKET_FORMAT {
            return Err(Malformed("a claim bucket of an unknown format"));
        }
        let n = r.uint()?;
        if n > bytes.len() as u64 {
            return Err(Malformed(
                "a claim bucket counts more numbers than it holds",
            ));
        }
        let mut numbers = Vec::new();
        for _ in 0..n {
            let number = r.string()?;
            numbers.push((number, codec::decode_claims(&mut r)?));
        }
        if !r.is_done() {
            return Err(Malformed("a claim bucket has trailing bytes"));
        }
        Ok(Self { numbers })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(BUCKET_FORMAT);
        w.uint(self.numbers.len() as u64);
        for (number, claims) in &self.numbers {
            w.str(number);
            codec::encode_claims(&mut w, claims);
        }
        w.bytes
    }

    pub fn claims_on(&self, number: &str) -> &[Claim] {
        self.numbers
            .binary_search_by(|(n, _)| n.as_str().cmp(number))
            .map_or(&[][..], |i| self.numbers[i].1.as_slice())
    }

    /// Replaces the claims on `number`; an empty list removes the number.
    pub fn set(&mut self, number: &str, claims: Vec<Claim>) {
        match self
            .numbers
            .binary_search_by(|(n, _)| n.as_str().cmp(number))
        {
            Ok(i) if claims.is_empty() => {
                self.numbers.remove(i);
            }
            Ok(i) => self.numbers[i].1 = claims,
            Err(_) if claims.is_empty() => {}
            Err(i) => self.numbers.insert(i, (number.to_owned(), claims)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    #[test]
    fn user_buckets_round_trip_and_find_their_users() {
        let bucket = UserBucket {
            users: vec![
                ("a@x.example".into(), vec![1, 2]),
                ("b@x.example".into(), vec![3]),
            ],
        };
        let back = UserBucket::decode(&bucket.encode()).unwrap();
        assert_eq!(back, bucket);
        assert_eq!(back.get("b@x.example"), Some(&[3u8][..]));
        assert_eq!(back.get("c@x.example"), None);
        assert_eq!(back.first_key(), Some("a@x.example"));
    }

    #[test]
    fn out_of_order_or_damaged_buckets_are_refused() {
        let bucket = UserBucket {
            users: vec![("b".into(), vec![]), ("a".into(), vec![])],
        };
        assert!(UserBucket::decode(&bucket.encode()).is_err());
        assert!(UserBucket::decode(&[9]).is_err());
        assert!(ClaimBucket::decode(&[1, 200]).is_err());
    }

    #[test]
    fn the_cutter_fills_buckets_to_their_size() {
        let mut cutter = BucketCutter::new();
        let mut full = Vec::new();
        for i in 0..1000 {
            if let Some(b) = cutter.push(format!("user{i:04}"), vec![0; 100]) {
                full.push(b);
            }
        }
        full.extend(cutter.finish());
        assert_eq!(full.iter().map(|b| b.users.len()).sum::<usize>(), 1000);
        assert!(full.len() > 20 && full.len() < 40);
    }

    #[test]
    fn claim_buckets_keep_numbers_sorted() {
        let claim = |k: &str| Claim {
            upn_key: k.into(),
            sms_sign_in_since: Timestamp(1),
        };
        let mut b = ClaimBucket::default();
        b.set("+44 2", vec![claim("x")]);
        b.set("+1 5", vec![claim("y"), claim("z")]);
        assert_eq!(b.claims_on("+1 5").len(), 2);
        let back = ClaimBucket::decode(&b.encode()).unwrap();
        assert_eq!(back, b);
        b.set("+44 2", Vec::new());
        assert!(b.claims_on("+44 2").is_empty());
        assert_eq!(
            claim_bucket_key("+1 2065550100"),
            claim_bucket_key("+1 2065550100")
        );
    }
}
