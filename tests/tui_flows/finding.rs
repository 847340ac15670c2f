//! Issue 10, item 2: results can be told apart (the UPN's distinguishing part, the usage
//! location, the blocked/admin/guest flags, why each row matched) and can be sorted.

use phonedesk::domain::{PhoneMethod, PhoneNumber, PhoneType, Region, Upn, User};

use super::harness::{Harness, SIZES};

#[test]
fn rows_show_the_upn_part_the_location_the_flags_and_why_they_matched() {
    for (w, h) in SIZES {
        let mut t = Harness::new(w, h);
        t.type_text("a");
        let screen = t.screen();
        for seen in ["guest", "blocked", "admin", "AU", "FR", "ahmed.ha", "name"] {
            assert!(
                screen.contains(seen),
                "{seen} is missing at {w}x{h}:\n{screen}"
            );
        }
        insta::assert_snapshot!(format!("list_{w}x{h}"), screen);
    }
}

#[test]
fn a_misspelled_name_says_it_matched_a_similar_name() {
    let mut t = Harness::new(80, 24);
    t.type_text("delagdo");
    let screen = t.screen();
    assert!(screen.contains("Rosa Delgado"), "{screen}");
    assert!(screen.contains("similar name"), "{screen}");
    assert!(screen.contains("rosa.delgado"), "{screen}");
}

/// The UPN column's text in each result row, top to bottom (the list is the left 64% of a
/// 120-column screen).
fn upns(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| {
            let list: String = l.chars().take(76).collect();
            list.split_whitespace()
                .find(|w| {
                    w.contains('.')
                        && !w.contains('@')
                        && w.chars().next().is_some_and(char::is_lowercase)
                })
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn the_list_sorts_by_upn_and_by_location_and_says_by_what() {
    let mut t = Harness::new(120, 40);
    t.type_text("is:ready");
    t.keys(&["esc"]);
    let by_rank = t.screen();
    t.run("sort");
    t.run("sort");
    let by_upn = t.screen();
    assert!(by_upn.contains("by UPN"), "{by_upn}");
    let shown = upns(&by_upn);
    let mut sorted = shown.clone();
    sorted.sort();
    assert!(shown.len() >= 4, "{by_upn}");
    assert_eq!(shown, sorted, "{by_upn}");
    assert_ne!(by_rank, by_upn);
    t.run("sort");
    let by_location = t.screen();
    assert!(by_location.contains("by usage location"), "{by_location}");
    let first = by_location
        .lines()
        .find(|l| l.contains("> "))
        .unwrap_or_default()
        .to_owned();
    assert!(first.contains(" AU"), "AU sorts first: {by_location}");
    insta::assert_snapshot!("sorted_by_location_120x40", by_location);
}

fn namesake(n: usize, location: &str) -> User {
    let upn = Upn::parse(&format!("priya.raman{n}@fabrikam.example")).unwrap();
    let mut user = User::new(upn, "Priya Raman");
    user.usage_location = Region::parse(location).ok();
    user.phone_methods.push(PhoneMethod {
        phone_type: PhoneType::Mobile,
        phone_number: PhoneNumber::parse_canonical(&format!("+1 42555501{n:02}")).unwrap(),
        sms_sign_in_enabled: false,
        sms_sign_in_since: None,
    });
    user
}

#[test]
fn namesakes_are_told_apart_by_their_upn_and_location() {
    let extra = (1..=12)
        .map(|n| namesake(n, if n % 2 == 0 { "GB" } else { "IN" }))
        .collect();
    let mut t = Harness::with_users(80, 24, extra);
    t.type_text("priya raman");
    let screen = t.screen();
    for n in 1..=5 {
        assert!(
            screen.contains(&format!("priya.raman{n} ")),
            "priya.raman{n} cannot be told apart:\n{screen}"
        );
    }
    assert!(screen.contains("GB") && screen.contains("IN"), "{screen}");
    insta::assert_snapshot!("namesakes_80x24", screen);
}

#[test]
fn a_misspelling_ranks_below_an_exact_match() {
    // Someone whose name really is spelled "Delagdo", beside Rosa Delgado.
    let upn = Upn::parse("ines.delagdo@fabrikam.example").unwrap();
    let mut t = Harness::with_users(120, 40, vec![User::new(upn, "Ines Delagdo")]);
    t.type_text("delagdo");
    let screen = t.screen();
    let exact = screen.find("Ines Delagdo");
    let similar = screen.find("Rosa Delgado");
    assert!(
        exact.is_some() && similar.is_some() && exact < similar,
        "the exact match is not first:\n{screen}"
    );
}
