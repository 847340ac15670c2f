//! One metadata regular expression, compiled on first use and then kept.
//!
//! libphonenumber's patterns are meant to match a whole national number (or, for prefixes such as
//! the international and national prefixes, to match at its start). The `phonenumber` crate instead
//! accepts a match that merely *starts* at the beginning, and compiles through a 100-entry cache
//! that thrashes once more than a few regions are in play. Each [`Pattern`] here carries its own
//! anchored regex, built once, so a check costs a few regex runs and never a compilation.

use std::sync::OnceLock;

use regex::{Captures, Regex, RegexBuilder};

/// How a pattern must match the text it is run on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Anchor {
    /// The whole text (libphonenumber's `matcher.matches()`).
    Whole,
    /// A prefix of the text (libphonenumber's `matcher.lookingAt()`).
    Start,
}

/// A metadata pattern with its anchor, compiled lazily.
#[derive(Debug)]
pub(crate) struct Pattern {
    source: String,
    anchor: Anchor,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// `source` is the pattern as the metadata writes it; whitespace (the XML's line breaks) is
    /// not part of it.
    pub(crate) fn new(source: &str, anchor: Anchor) -> Self {
        Self {
            source: source.split_whitespace().collect(),
            anchor,
            compiled: OnceLock::new(),
        }
    }

    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// The compiled regex, or `None` when the metadata pattern does not compile (then nothing
    /// matches, which is libphonenumber's answer for a pattern it cannot use).
    fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                let anchored = match self.anchor {
                    Anchor::Whole => format!("^(?:{})$", self.source),
                    Anchor::Start => format!("^(?:{})", self.source),
                };
                // Numbers reaching these patterns are ASCII digits: ASCII classes keep the
                // automata small. A pattern that needs Unicode mode still compiles with it.
                RegexBuilder::new(&anchored)
                    .unicode(false)
                    .build()
                    .or_else(|_| Regex::new(&anchored))
                    .ok()
            })
            .as_ref()
    }

    /// True when the pattern matches `text` as its anchor demands.
    pub(crate) fn matches(&self, text: &str) -> bool {
        self.regex().is_some_and(|re| re.is_match(text))
    }

    /// For a start-anchored pattern: the length of the prefix it matches.
    pub(crate) fn prefix_len(&self, text: &str) -> Option<usize> {
        self.regex()?.find(text).map(|m| m.end())
    }

    /// The capture groups of the match at the start of `text`.
    pub(crate) fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        self.regex()?.captures(text)
    }

    /// Whether the pattern has been compiled yet (for tests of the laziness).
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_anchor_refuses_a_match_that_only_starts_the_text() {
        let p = Pattern::new("[1-9]\\d{3}", Anchor::Whole);
        assert!(p.matches("1234"));
        assert!(!p.matches("12345"), "a prefix match is not a match");
        assert!(!p.matches("01234"));
    }

    #[test]
    fn start_anchor_reports_the_prefix_length() {
        let p = Pattern::new("0(?:0|11)", Anchor::Start);
        assert_eq!(p.prefix_len("01144"), Some(3));
        assert_eq!(p.prefix_len("0044"), Some(2));
        assert_eq!(p.prefix_len("1044"), None);
    }

    #[test]
    fn metadata_whitespace_is_not_part_of_the_pattern() {
        let p = Pattern::new("\n  [2-9]\\d{2}\n  [2-9]\\d{6}\n", Anchor::Whole);
        assert_eq!(p.source(), "[2-9]\\d{2}[2-9]\\d{6}");
        assert!(p.matches("2065550100"));
    }

    #[test]
    fn compiles_on_first_use_only() {
        let p = Pattern::new("\\d+", Anchor::Whole);
        assert!(!p.is_compiled());
        assert!(p.matches("12"));
        assert!(p.is_compiled());
    }
}
