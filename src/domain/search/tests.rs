//! The engine's promises: ranked tiers, numbers as callers read them, typos, the first screenful
//! first, filters, edits in place, and a saved index that loads back the same.

use std::collections::HashMap;

use super::*;
use crate::domain::method::{PhoneMethod, PhoneType};
use crate::domain::policy::Policy;
use crate::domain::time::Timestamp;
use crate::domain::user::{Upn, User};
use crate::domain::{Block, BlockKind, PhoneNumber};

fn user(upn: &str, name: &str, mobile: Option<&str>, home: &str) -> User {
    let mut u = User::new(Upn::parse(upn).unwrap(), name);
    u.usage_location = Region::parse(home).ok();
    if let Some(m) = mobile {
        u.phone_methods.push(PhoneMethod {
            phone_type: PhoneType::Mobile,
            phone_number: PhoneNumber::parse(m, None).unwrap(),
            sms_sign_in_enabled: false,
            sms_sign_in_since: None,
        });
    }
    u
}

fn users() -> Vec<User> {
    vec![
        user(
            "rosa.delgado@contoso.example",
            "Rosa Delgado",
            Some("+1 2065550101"),
            "US",
        ),
        user("mia.rossi@contoso.example", "Mia Rossi", None, "IT"),
        user(
            "oliver.ward@contoso.example",
            "Oliver Ward",
            Some("+44 2079460123"),
            "GB",
        ),
        user(
            "nora.lindqvist@contoso.example",
            "Nora Lindqvist",
            Some("+61 491570159"),
            "AU",
        ),
        user("dana.ward@contoso.example", "Dana Howard", None, "US"),
        user("ward@contoso.example", "Kim Akers", None, "US"),
    ]
}

fn index() -> SearchIndex {
    SearchIndex::build(&users(), &Policy::default(), &HashMap::new())
}

fn ranked(index: &SearchIndex, text: &str) -> Vec<(String, Why)> {
    let hits = index
        .search(&Query::parse(text), Timestamp(0), None, &|| false)
        .unwrap();
    hits.rows
        .iter()
        .map(|r| (index.display_name(r.entry).to_owned(), r.why))
        .collect()
}

fn names(index: &SearchIndex, text: &str) -> Vec<String> {
    ranked(index, text).into_iter().map(|(n, _)| n).collect()
}

#[test]
fn an_exact_upn_comes_first_then_name_word_starts_then_anywhere() {
    let index = index();
    assert_eq!(
        ranked(&index, "ward@contoso.example"),
        [
            ("Kim Akers".to_owned(), Why::ExactUpn),
            ("Dana Howard".to_owned(), Why::Upn),
            ("Oliver Ward".to_owned(), Why::Upn),
        ]
    );
    // "ward" starts a word of Oliver Ward's name; it is inside Howard's and two UPNs.
    assert_eq!(
        ranked(&index, "ward"),
        [
            ("Oliver Ward".to_owned(), Why::NameStart),
            ("Dana Howard".to_owned(), Why::Name),
            ("Kim Akers".to_owned(), Why::Upn),
        ]
    );
}

#[test]
fn a_word_with_an_apostrophe_or_a_hyphen_is_found() {
    let list = vec![
        user("ava.oconnor@contoso.example", "Ava O'Connor", None, "IE"),
        user("jl@contoso.example", "Jean-Luc Picard", None, "FR"),
    ];
    let index = SearchIndex::build(&list, &Policy::default(), &HashMap::new());
    assert_eq!(names(&index, "o'con"), ["Ava O'Connor"]);
    assert_eq!(names(&index, "jean-l"), ["Jean-Luc Picard"]);
    assert_eq!(names(&index, "luc"), ["Jean-Luc Picard"]);
}

#[test]
fn numbers_are_found_as_callers_read_them() {
    let index = index();
    for text in [
        "020 7946 0123",
        "+44 (0)20 7946 0123",
        "0044 20 7946 0123",
        "011 44 20 7946 0123",
        "+44\u{a0}20\u{a0}7946\u{a0}0123",
        "+44 20\u{2013}7946\u{2013}0123",
    ] {
        assert_eq!(
            ranked(&index, text),
            [("Oliver Ward".to_owned(), Why::ExactNumber)],
            "{text:?}"
        );
    }
    assert_eq!(names(&index, "0491 570 159"), ["Nora Lindqvist"]);
    assert_eq!(
        ranked(&index, "5550"),
        [("Rosa Delgado".to_owned(), Why::Number)]
    );
}

#[test]
fn a_misspelt_name_finds_the_person_below_exact_matches() {
    let index = index();
    assert_eq!(
        ranked(&index, "delagdo"),
        [("Rosa Delgado".to_owned(), Why::Similar)]
    );
    assert_eq!(names(&index, "lindquist"), ["Nora Lindqvist"]);
    assert!(names(&index, "rosa").iter().all(|n| n != "Mia Rossi"));
}

#[test]
fn the_first_screenful_comes_first_and_the_count_follows() {
    let many: Vec<User> = (0..1000)
        .map(|i| {
            user(
                &format!("user{i:04}@x.example"),
                &format!("Ava Person{i:04}"),
                None,
                "US",
            )
        })
        .collect();
    let index = SearchIndex::build(&many, &Policy::default(), &HashMap::new());
    let first = index
        .search(&Query::parse("a"), Timestamp(0), Some(50), &|| false)
        .unwrap();
    assert_eq!(first.rows.len(), 50);
    assert_eq!(first.total, Total::AtLeast(50));
    let all = index
        .search(&Query::parse("a"), Timestamp(0), None, &|| false)
        .unwrap();
    assert_eq!(all.total, Total::Exact(1000));
    assert_eq!(&all.rows[..50], &first.rows[..]);
    let none = index
        .search(&Query::parse("zzz"), Timestamp(0), Some(50), &|| false)
        .unwrap();
    assert_eq!(none.total, Total::Exact(0));
}

#[test]
fn filters_keep_only_what_they_name_and_blocks_lapse() {
    let mut list = users();
    list[1].block = Some(Block {
        kind: BlockKind::Admin,
        reason: "test".into(),
        since: Timestamp(0),
        until: Some(Timestamp(1000)),
    });
    let index = SearchIndex::build(&list, &Policy::default(), &HashMap::new());
    let blocked = |at| {
        index
            .search(&Query::parse("is:blocked"), Timestamp(at), None, &|| false)
            .unwrap()
            .rows
            .len()
    };
    assert_eq!(blocked(10), 1);
    assert_eq!(blocked(5000), 0, "the block lapsed");
    let none = index
        .search(&Query::parse("is:nomethods"), Timestamp(0), None, &|| false)
        .unwrap();
    assert_eq!(none.rows.len(), 3);
}

#[test]
fn an_edit_changes_one_entry_in_place() {
    let mut list = users();
    let mut index = SearchIndex::build(&list, &Policy::default(), &HashMap::new());
    list[1].phone_methods.push(PhoneMethod {
        phone_type: PhoneType::Mobile,
        phone_number: PhoneNumber::parse("+39 3123456789", None).unwrap(),
        sms_sign_in_enabled: false,
        sms_sign_in_since: None,
    });
    assert!(index.apply(&parts_for(&list[1], &Policy::default(), &[])));
    assert_eq!(names(&index, "3123456789"), ["Mia Rossi"]);
    // Shorter digits fit in place; the old number is gone.
    list[1].phone_methods[0].phone_number = PhoneNumber::parse("+39 312345", None).unwrap();
    assert!(index.apply(&parts_for(&list[1], &Policy::default(), &[])));
    assert!(names(&index, "3123456789").is_empty());
    assert_eq!(names(&index, "39312345"), ["Mia Rossi"]);
    let entry = index.entry_at(
        index.find_upn("MIA.ROSSI@contoso.example").unwrap(),
        Timestamp(0),
    );
    assert_eq!(entry.unwrap().mobile_masked.as_deref(), Some("+39 ****45"));
}

#[test]
fn a_saved_index_loads_back_the_same_and_damage_is_refused() {
    let mut index = index();
    let mut list = users();
    list[4].phone_methods.push(PhoneMethod {
        phone_type: PhoneType::Mobile,
        phone_number: PhoneNumber::parse("+1 4255550199", None).unwrap(),
        sms_sign_in_enabled: false,
        sms_sign_in_since: None,
    });
    index.apply(&parts_for(&list[4], &Policy::default(), &[]));
    let stamp = IndexStamp {
        generation: 3,
        seq: 9,
    };
    let mut bytes = Vec::new();
    index.save(stamp, &mut bytes).unwrap();
    let (back_stamp, back) = SearchIndex::load(&mut bytes.as_slice()).unwrap();
    assert_eq!(back_stamp, stamp);
    assert_eq!(names(&back, "4255550199"), ["Dana Howard"]);
    assert_eq!(names(&back, "ward"), names(&index, "ward"));
    for at in [0, 20, bytes.len() / 2, bytes.len() - 1] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x40;
        assert!(
            SearchIndex::load(&mut damaged.as_slice()).is_err(),
            "flip at {at}"
        );
    }
    assert!(SearchIndex::load(&mut &bytes[..bytes.len() - 3]).is_err());
}

#[test]
fn a_cancelled_search_returns_nothing() {
    assert!(
        index()
            .search(&Query::new("a"), Timestamp(0), None, &|| true)
            .is_none()
    );
}
