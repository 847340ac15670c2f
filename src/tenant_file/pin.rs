//! The per-user `pin` of a tenant file.
//!
//! Import takes either a plain PIN (`"pin": "2580"`, hashed on the way in with a fresh random
//! salt) or the hash object an export writes (`{"algorithm", "iterations", "salt", "hash"}`,
//! kept as is). Export writes the hash object for revealed users and the marker `"hidden"` for
//! masked ones, so a plain PIN never leaves phonedesk and export -> import -> export is
//! byte-identical.

use serde_json::{Map, Value};

use super::fields::{Fields, join};
use crate::domain::PinHash;
use crate::domain::pin::{PIN_SALT_BYTES, check_pin};

/// What a masked export writes instead of the hash.
pub const HIDDEN_PIN: &str = "hidden";
const PIN_KEYS: &[&str] = &["algorithm", "iterations", "salt", "hash"];

/// Reads `users[i].pin`, if present.
pub fn read_pin(f: &mut Fields, obj: &Map<String, Value>, path: &str) -> Option<PinHash> {
    let value = obj.get("pin").filter(|v| !v.is_null())?;
    let pin_path = join(path, "pin");
    match value {
        Value::String(text) if text == HIDDEN_PIN => {
            f.problem(
                &pin_path,
                "the PIN is hidden in a masked export; import a backup made with `export --reveal`",
            );
            None
        }
        Value::String(text) => {
            if let Err(e) = check_pin(text) {
                f.problem(&pin_path, e);
                return None;
            }
            let mut salt = [0u8; PIN_SALT_BYTES];
            if let Err(e) = getrandom::fill(&mut salt) {
                f.problem(&pin_path, format!("no random salt available: {e}"));
                return None;
            }
            match PinHash::derive(text, &salt) {
                Ok(hash) => Some(hash),
                Err(e) => {
                    f.problem(&pin_path, e);
                    None
                }
            }
        }
        Value::Object(_) => {
            let object = f.object(value, &pin_path)?;
            f.only_keys(object, &pin_path, PIN_KEYS);
            let algorithm = f.string(object, &pin_path, "algorithm").map(str::to_owned);
            let iterations = f.uint(object, &pin_path, "iterations", 0, 0..=u64::from(u32::MAX));
            let salt = f.string(object, &pin_path, "salt").map(str::to_owned);
            let hash = f.string(object, &pin_path, "hash").map(str::to_owned);
            let pin = PinHash {
                algorithm: algorithm?,
                iterations: u32::try_from(iterations).unwrap_or(0),
                salt: salt?,
                hash: hash?,
            };
            if let Some(problem) = pin.problem() {
                f.problem(&pin_path, problem);
                return None;
            }
            Some(pin)
        }
        _ => {
            f.problem(
                &pin_path,
                "expected a PIN (4 to 8 digits, as a string) or an exported PIN hash object",
            );
            None
        }
    }
}
