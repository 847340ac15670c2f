//! "A name like this one": a bounded edit distance that forgives the typos helpdesk staff make
//! while a caller spells a name (a wrong, missing, extra or swapped letter).

/// The most edits forgiven for a token of this many characters: none below four (too many short
/// words are one edit apart), one up to six, two from seven.
pub fn allowed_edits(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// Tokens this long are also compared with the start of longer words, so a name being typed
/// matches while it is still incomplete (`delag` finds Delgado); shorter ones would match too much.
const PREFIX_CHARS: usize = 5;

/// True when `token` is within `max` edits of `word`, or (for tokens of [`PREFIX_CHARS`] or
/// more) of the start of `word`. Edits are insertions, deletions, substitutions and swaps of
/// neighbours (optimal string alignment).
pub fn close_to(token: &[char], word: &str, max: usize) -> bool {
    if max == 0 {
        return false;
    }
    let word: Vec<char> = word.chars().collect();
    if word.len() + max < token.len() {
        return false;
    }
    let whole = word.len() <= token.len() + max && within(token, &word, max);
    whole
        || (token.len() >= PREFIX_CHARS
            && word.len() > token.len()
            && within(token, &word[..token.len()], max))
}

/// Optimal string alignment distance of `a` and `b`, stopping as soon as it must exceed `max`.
fn within(a: &[char], b: &[char], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![usize::MAX / 2; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(token: &str, word: &str) -> bool {
        let t: Vec<char> = token.chars().collect();
        close_to(&t, word, allowed_edits(t.len()))
    }

    #[test]
    fn the_issues_typos_are_forgiven() {
        assert!(close("delagdo", "delgado"));
        assert!(close("lindquist", "lindqvist"));
        assert!(close("smiht", "smith"));
        assert!(close("delag", "delgado"), "a name still being typed");
    }

    #[test]
    fn distant_or_short_words_are_not_close() {
        assert!(!close("smith", "patel"));
        assert!(!close("kim", "tim"), "three letters are too short to guess");
        assert!(!close("garcia", "gabriella"));
        assert!(
            !close("rosa", "rossi"),
            "a whole short word, not the start of a longer one"
        );
    }
}
