//! "Did you mean": near matches for a UPN that was not found.

/// Up to `limit` candidates close to `wanted` (same local part prefix, or a few edits away), for
/// "did you mean" hints when a UPN is not found.
pub fn near_matches<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let wanted = wanted.trim().to_lowercase();
    let wanted_local = wanted.split('@').next().unwrap_or(&wanted).to_owned();
    let mut scored: Vec<(usize, String)> = candidates
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let local = lower.split('@').next().unwrap_or(&lower);
            let distance = edit_distance(&wanted, &lower).min(edit_distance(&wanted_local, local));
            let close = distance <= 2
                || (wanted_local.len() >= 3 && local.starts_with(wanted_local.as_str()));
            close.then(|| (distance, c.to_owned()))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Levenshtein distance, capped early: only "a few edits" matters here.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 3 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_matches_suggest_close_upns() {
        let upns = [
            "kim@contoso.example",
            "kimberly@contoso.example",
            "alex@contoso.example",
        ];
        let found = near_matches("kin@contoso.example", upns.iter().copied(), 3);
        assert_eq!(found[0], "kim@contoso.example");
        assert!(near_matches("zzz@x.example", upns.iter().copied(), 3).is_empty());
    }
}
