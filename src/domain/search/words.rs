//! Words of display names: the vocabulary behind "matches at the start of a name word" and
//! "a name like this one" (typos).
//!
//! Every distinct lowercase word of every display name is kept once, sorted, with the entries
//! that hold it (its postings, ascending). A prefix is a contiguous range of the sorted words, so
//! "entries with a word starting with `ra`" is a merge of a few posting lists, and a misspelt word
//! is compared with a few thousand distinct words instead of a million names.

use super::arena::Arena;

/// True for the characters that separate words in a name or a UPN's local part.
pub fn is_separator(c: char) -> bool {
    !c.is_alphanumeric()
}

/// The words of a lowercase text.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_separator).filter(|w| !w.is_empty())
}

/// True when `token` occurs in `text` at the start of a word.
pub fn starts_a_word(text: &str, token: &str) -> bool {
    if token.is_empty() {
        return true;
    }
    text.match_indices(token)
        .any(|(at, _)| text[..at].chars().next_back().is_none_or(is_separator))
}

/// The sorted distinct words and, for each, the entries holding it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocab {
    pub(super) words: Arena,
    /// `words.len() + 1` offsets into `postings`.
    pub(super) offsets: Vec<u32>,
    pub(super) postings: Vec<u32>,
}

impl Vocab {
    /// Builds the vocabulary from `(entry, lowercase name)` pairs given in entry order.
    pub fn build<'a>(names: impl Iterator<Item = (u32, &'a str)>) -> Self {
        let mut pairs: Vec<(&'a str, u32)> = Vec::new();
        for (entry, name) in names {
            for word in words(name) {
                pairs.push((word, entry));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut vocab = Self {
            words: Arena::default(),
            offsets: vec![0],
            postings: Vec::with_capacity(pairs.len()),
        };
        let mut last: Option<&str> = None;
        for (word, entry) in pairs {
            if last != Some(word) {
                if last.is_some() {
                    vocab.offsets.push(len32(vocab.postings.len()));
                }
                vocab.words.push(word);
                last = Some(word);
            }
            vocab.postings.push(entry);
        }
        if last.is_some() {
            vocab.offsets.push(len32(vocab.postings.len()));
        }
        vocab
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn word(&self, i: usize) -> &str {
        self.words.text(i)
    }

    /// Entries holding word `i`, ascending.
    pub fn postings(&self, i: usize) -> &[u32] {
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        &self.postings[a..b]
    }

    /// The words starting with `prefix`: a range of word numbers.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let n = self.len();
        let lo = partition(n, |i| self.word(i) < prefix);
        let hi = lo + partition(n - lo, |i| self.word(lo + i).starts_with(prefix));
        lo..hi
    }

    /// How many postings a range of words has (an upper bound on its entries).
    pub fn postings_in(&self, words: &std::ops::Range<usize>) -> usize {
        (self.offsets[words.end] - self.offsets[words.start]) as usize
    }

    pub fn heap_bytes(&self) -> usize {
        self.words.heap_bytes() + (self.offsets.capacity() + self.postings.capacity()) * 4
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The number of leading `i < n` for which `pred(i)` holds (`pred` true then false).
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Merges ascending posting lists into one ascending list without duplicates, stopping once
/// `accept` has taken `limit` entries (`accept` filters; it may refuse).
pub fn merge_postings(
    lists: &[&[u32]],
    limit: usize,
    accept: &mut dyn FnMut(u32) -> bool,
    cancelled: &dyn Fn() -> bool,
) -> Option<MergeEnd> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut heap: BinaryHeap<Reverse<(u32, usize, usize)>> = lists
        .iter()
        .enumerate()
        .filter_map(|(l, list)| list.first().map(|e| Reverse((*e, l, 0))))
        .collect();
    let mut taken = 0;
    let mut last = None;
    let mut steps = 0u32;
    while let Some(Reverse((entry, l, at))) = heap.pop() {
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(8192) && cancelled() {
            return None;
        }
        if let Some(next) = lists[l].get(at + 1) {
            heap.push(Reverse((*next, l, at + 1)));
        }
        if last == Some(entry) {
            continue;
        }
        last = Some(entry);
        if accept(entry) {
            taken += 1;
            if taken >= limit {
                return Some(if heap.is_empty() {
                    MergeEnd::Exhausted
                } else {
                    MergeEnd::Stopped
                });
            }
        }
    }
    Some(MergeEnd::Exhausted)
}

/// How a bounded merge ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeEnd {
    /// Every list was read to its end.
    Exhausted,
    /// The limit was reached first: more may follow.
    Stopped,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_start_after_separators() {
        assert!(starts_a_word("ava o'connor", "con"));
        assert!(starts_a_word("ava smith", "smi"));
        assert!(!starts_a_word("ava smith", "mith"));
        assert!(starts_a_word("jean-luc picard", "luc"));
        assert_eq!(
            words("ava o'connor-smith").collect::<Vec<_>>(),
            ["ava", "o", "connor", "smith"]
        );
    }

    #[test]
    fn prefixes_are_ranges_with_postings() {
        let names = ["ava smith", "rosa delgado", "raman priya", "ava raman"];
        let v = Vocab::build(names.iter().enumerate().map(|(i, n)| (i as u32, *n)));
        let r = v.prefix_range("ra");
        assert_eq!(v.word(r.start), "raman");
        assert_eq!(v.postings(r.start), [2, 3]);
        assert_eq!(v.postings_in(&v.prefix_range("a")), 2);
        assert!(v.prefix_range("zz").is_empty());
    }

    #[test]
    fn merging_is_ordered_unique_and_bounded() {
        let a = [1u32, 4, 9];
        let b = [2u32, 4, 10];
        let mut seen = Vec::new();
        let end = merge_postings(
            &[&a, &b],
            10,
            &mut |e| {
                seen.push(e);
                true
            },
            &|| false,
        );
        assert_eq!(seen, [1, 2, 4, 9, 10]);
        assert_eq!(end, Some(MergeEnd::Exhausted));
        let mut few = Vec::new();
        let end = merge_postings(
            &[&a, &b],
            2,
            &mut |e| {
                few.push(e);
                true
            },
            &|| false,
        );
        assert_eq!(few, [1, 2]);
        assert_eq!(end, Some(MergeEnd::Stopped));
    }
}
