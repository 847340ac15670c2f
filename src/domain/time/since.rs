//! "Since when": the start of a time window as an operator writes it on the command line. An
//! instant (`2026-11-28T09:00:00Z`), a span back from now (`90s`, `30m`, `1h`, `2d`, `1w`), or
//! `today` / `yesterday` (the start of that day, UTC, like every time phonedesk prints).
//!
//! Parsing is separate from resolving: the command line is read before the clock is known, and
//! the CLI's clock continues the database's simulated time line, so "1h" means an hour before
//! that clock, not before the wall clock.

use std::fmt;
use std::str::FromStr;

use super::Timestamp;

const DAY_MS: i64 = 86_400_000;

/// The start of a window, not yet placed on a clock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Since {
    At(Timestamp),
    /// This many milliseconds before now.
    Ago(i64),
    /// The start of the day (UTC) this many days before today: 0 today, 1 yesterday.
    DayStart(i64),
}

impl Since {
    /// The instant this names when the clock reads `now`.
    pub fn resolve(self, now: Timestamp) -> Timestamp {
        match self {
            Self::At(at) => at,
            Self::Ago(ms) => now.plus_millis(-ms),
            Self::DayStart(days) => {
                let today = now.millis().div_euclid(DAY_MS) * DAY_MS;
                Timestamp::from_millis(today.saturating_sub(days.saturating_mul(DAY_MS)))
            }
        }
    }
}

/// Text that names no start of a window; the message lists what is understood.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BadSince(pub String);

impl fmt::Display for BadSince {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a time: use a UTC time like 2026-11-28T09:00:00Z, a span back from now \
             like 90s, 30m, 1h, 2d or 1w, or today or yesterday",
            self.0.chars().take(40).collect::<String>()
        )
    }
}

impl std::error::Error for BadSince {}

impl FromStr for Since {
    type Err = BadSince;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadSince(s.to_owned());
        let text = s.trim();
        match text.to_ascii_lowercase().as_str() {
            "today" => return Ok(Self::DayStart(0)),
            "yesterday" => return Ok(Self::DayStart(1)),
            _ => {}
        }
        if let Ok(at) = text.parse::<Timestamp>() {
            return Ok(Self::At(at));
        }
        let unit_at = text
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&i| i > 0)
            .ok_or_else(bad)?;
        let (count, unit) = text.split_at(unit_at);
        let count: i64 = count.parse().map_err(|_| bad())?;
        let unit_ms: i64 = match unit {
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => DAY_MS,
            "w" => 7 * DAY_MS,
            _ => return Err(bad()),
        };
        count.checked_mul(unit_ms).map(Self::Ago).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-28T09:11:01Z.
    const NOW: Timestamp = Timestamp::from_secs(1_795_857_061);

    fn at(s: &str) -> String {
        s.parse::<Since>()
            .map(|w| w.resolve(NOW).to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn spans_count_back_from_now() {
        assert_eq!(at("90s"), "2026-11-28T09:09:31Z");
        assert_eq!(at("30m"), "2026-11-28T08:41:01Z");
        assert_eq!(at("1h"), "2026-11-28T08:11:01Z");
        assert_eq!(at("2d"), "2026-11-26T09:11:01Z");
        assert_eq!(at("1w"), "2026-11-21T09:11:01Z");
    }

    #[test]
    fn days_start_at_midnight_utc() {
        assert_eq!(at("today"), "2026-11-28T00:00:00Z");
        assert_eq!(at("yesterday"), "2026-11-27T00:00:00Z");
        assert_eq!(at("Yesterday"), "2026-11-27T00:00:00Z");
    }

    #[test]
    fn instants_are_taken_as_written() {
        assert_eq!(at("2026-11-01T10:00:00Z"), "2026-11-01T10:00:00Z");
    }

    #[test]
    fn anything_else_is_refused_with_what_is_understood() {
        for bad in [
            "",
            "h",
            "1",
            "1y",
            "-1h",
            "1 h",
            "1.5h",
            "99999999999999999999d",
            "tomorrow",
        ] {
            let e = bad.parse::<Since>().unwrap_err().to_string();
            assert!(e.contains("30m, 1h, 2d"), "{bad}: {e}");
        }
    }
}
