//! Times as an operator reads them: relative to now ("5 min ago", "in 89 days"), never raw UTC
//! ISO text. `now` is passed in (the time a profile was loaded, a dialog opened), so drawing never
//! reads the clock.

use crate::domain::Timestamp;

/// `then` relative to `now`: "just now", "40 s ago", "5 min ago", "3 h ago", "2 days ago",
/// and the same with "in" for the future.
pub fn relative(then: Timestamp, now: Timestamp) -> String {
    let ms = now.since(then);
    let past = ms >= 0;
    let secs = ms.unsigned_abs() / 1000;
    if secs < 10 {
        return "just now".into();
    }
    let amount = match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3_600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3_600),
        s if s < 2 * 86_400 => "1 day".to_owned(),
        s => format!("{} days", s / 86_400),
    };
    if past {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_relative_to_now() {
        let now = Timestamp::from_secs(1_000_000);
        let at = |secs: i64| relative(Timestamp::from_secs(1_000_000 - secs), now);
        assert_eq!(at(3), "just now");
        assert_eq!(at(42), "42 s ago");
        assert_eq!(at(300), "5 min ago");
        assert_eq!(at(3 * 3600 + 5), "3 h ago");
        assert_eq!(at(86_400 + 10), "1 day ago");
        assert_eq!(at(3 * 86_400), "3 days ago");
        assert_eq!(at(-89 * 86_400), "in 89 days");
    }
}
