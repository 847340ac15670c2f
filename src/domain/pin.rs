//! The voice PIN of PIN mode: never stored or exported in plain text, only as a salted,
//! stretched hash (PBKDF2-HMAC-SHA256), so an export or a copied database does not reveal it.
//!
//! The hash is self-describing (algorithm, iterations, salt) and independent of the database, so
//! export -> import -> export keeps it byte for byte and it verifies in any phonedesk database.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::hex;

/// Shortest PIN accepted (Entra's MFA Server default minimum).
pub const MIN_PIN_DIGITS: usize = 4;
/// Longest PIN accepted.
pub const MAX_PIN_DIGITS: usize = 8;
/// The only algorithm this build writes and reads.
pub const PIN_ALGORITHM: &str = "pbkdf2-sha256";
/// Iterations for new hashes: enough to make guessing from a stolen hash slow, cheap for one check.
pub const PIN_ITERATIONS: u32 = 10_000;
/// Accepted iteration counts on import (a file may come from a build with another default).
pub const PIN_ITERATION_RANGE: std::ops::RangeInclusive<u32> = 1_000..=1_000_000;
/// Salt length written for new hashes, in bytes.
pub const PIN_SALT_BYTES: usize = 16;
/// Accepted salt lengths on import, in bytes.
pub const PIN_SALT_RANGE: std::ops::RangeInclusive<usize> = 8..=64;
const HASH_BYTES: usize = 32;

/// A stored PIN: the hash, its salt and how it was made. `Debug` never shows the hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PinHash {
    pub algorithm: String,
    pub iterations: u32,
    /// Hex.
    pub salt: String,
    /// Hex.
    pub hash: String,
}

impl fmt::Debug for PinHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinHash")
            .field("algorithm", &self.algorithm)
            .field("iterations", &self.iterations)
            .finish_non_exhaustive()
    }
}

/// Checks the shape of a plain PIN: 4 to 8 ASCII digits.
pub fn check_pin(pin: &str) -> Result<(), String> {
    let len = pin.len();
    if !pin.bytes().all(|b| b.is_ascii_digit()) || !(MIN_PIN_DIGITS..=MAX_PIN_DIGITS).contains(&len)
    {
        return Err(format!(
            "a PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits (0-9)"
        ));
    }
    Ok(())
}

fn pbkdf2(pin: &[u8], salt: &[u8], iterations: u32) -> Option<[u8; HASH_BYTES]> {
    // PBKDF2 with one output block (RFC 8018 §5.2): T = U1 ^ U2 ^ ... ^ Uc.
    let keyed = || Hmac::<Sha256>::new_from_slice(pin).ok();
    let mut mac = keyed()?;
    mac.update(salt);
    mac.update(&1u32.to_be_bytes());
    let mut u: [u8; HASH_BYTES] = mac.finalize().into_bytes().into();
    let mut out = u;
    for _ in 1..iterations {
        let mut mac = keyed()?;
        mac.update(&u);
        u = mac.finalize().into_bytes().into();
        for (o, x) in out.iter_mut().zip(u.iter()) {
            *o ^= x;
        }
    }
    Some(out)
}

impl PinHash {
    /// Hashes a plain PIN with `salt`; refuses a PIN of the wrong shape.
    pub fn derive(pin: &str, salt: &[u8]) -> Result<Self, String> {
        check_pin(pin)?;
        if !PIN_SALT_RANGE.contains(&salt.len()) {
            return Err("the PIN salt has the wrong length".into());
        }
        let hash = pbkdf2(pin.as_bytes(), salt, PIN_ITERATIONS)
            .ok_or_else(|| "the PIN could not be hashed".to_owned())?;
        Ok(Self {
            algorithm: PIN_ALGORITHM.to_owned(),
            iterations: PIN_ITERATIONS,
            salt: hex::encode(salt),
            hash: hex::encode(&hash),
        })
    }

    /// Why a stored or imported hash cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if self.algorithm != PIN_ALGORITHM {
            return Some(format!(
                "unknown PIN algorithm \"{}\" (this build reads {PIN_ALGORITHM})",
                self.algorithm.chars().take(32).collect::<String>()
            ));
        }
        if !PIN_ITERATION_RANGE.contains(&self.iterations) {
            return Some(format!(
                "iterations must be {} to {}",
                PIN_ITERATION_RANGE.start(),
                PIN_ITERATION_RANGE.end()
            ));
        }
        match hex::decode(&self.salt) {
            Some(salt) if PIN_SALT_RANGE.contains(&salt.len()) => {}
            _ => {
                return Some(format!(
                    "salt must be {} to {} bytes of lower-case hex",
                    PIN_SALT_RANGE.start(),
                    PIN_SALT_RANGE.end()
                ));
            }
        }
        match hex::decode(&self.hash) {
            Some(hash) if hash.len() == HASH_BYTES => None,
            _ => Some(format!("hash must be {HASH_BYTES} bytes of lower-case hex")),
        }
    }

    /// Whether `candidate` is the PIN. A candidate of the wrong shape is refused without hashing;
    /// the comparison does not stop at the first differing byte.
    pub fn verify(&self, candidate: &str) -> bool {
        if check_pin(candidate).is_err() || self.problem().is_some() {
            return false;
        }
        let (Some(salt), Some(expected)) = (hex::decode(&self.salt), hex::decode(&self.hash))
        else {
            return false;
        };
        let Some(actual) = pbkdf2(candidate.as_bytes(), &salt, self.iterations) else {
            return false;
        };
        expected.len() == actual.len()
            && expected
                .iter()
                .zip(actual.iter())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_and_verifies() {
        let hash = PinHash::derive("2580", &[7; 16]).unwrap();
        assert!(hash.problem().is_none());
        assert!(hash.verify("2580"));
        assert!(!hash.verify("2581"));
        assert!(!hash.verify("25800"));
        assert!(!hash.verify("2580#"));
        assert!(!format!("{hash:?}").contains(&hash.hash));
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, first 32 bytes.
        let out = pbkdf2(b"passwd", b"salt", 1).unwrap();
        assert_eq!(
            hex::encode(&out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn refuses_bad_pins_and_bad_hashes() {
        assert!(PinHash::derive("12", &[1; 16]).is_err());
        assert!(PinHash::derive("12a4", &[1; 16]).is_err());
        assert!(PinHash::derive("１２３４", &[1; 16]).is_err());
        let mut hash = PinHash::derive("1234", &[1; 16]).unwrap();
        hash.hash.truncate(10);
        assert!(hash.problem().is_some());
        assert!(!hash.verify("1234"));
    }
}
