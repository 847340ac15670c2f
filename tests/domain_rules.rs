//! One named test per rule of DOMAIN.md §1-§3, against the pure domain layer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use phonedesk::domain::rules::{Claim, apply_edit, claim_of, sms_sign_in_state};
use phonedesk::domain::user::UserType;
use phonedesk::domain::{
    DefaultMethod, Edit, EditContext, Operator, PhoneMethod, PhoneNumber, PhoneType, Policy, Role,
    RuleError, SmsSignInState, Timestamp, Upn, User,
};

const NOW: Timestamp = Timestamp::from_secs(1_795_857_061);

fn number(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s, None).unwrap()
}

fn policy() -> Policy {
    Policy {
        sms_sign_in_groups: vec!["Frontline".into()],
        office_phone_allowed: true,
        ..Policy::default()
    }
}

fn user(upn: &str) -> User {
    let mut u = User::new(Upn::parse(upn).unwrap(), "Test User");
    u.groups.push("Frontline".into());
    u
}

fn with(mut u: User, slot: PhoneType, n: &str) -> User {
    u.phone_methods.push(PhoneMethod {
        phone_type: slot,
        phone_number: number(n),
        sms_sign_in_enabled: false,
        sms_sign_in_since: None,
    });
    u.phone_methods.sort_by_key(|m| m.phone_type);
    u
}

fn admin() -> Operator {
    Operator::new("helpdesk", Role::AuthAdmin)
}

fn edit_as(
    op: &Operator,
    u: &User,
    edit: Edit,
    policy: &Policy,
    claims: &[Claim],
) -> Result<User, RuleError> {
    let ctx = EditContext {
        operator: op,
        policy,
        now: NOW,
        mobile_claims: claims,
    };
    apply_edit(u, &edit, &ctx).map(|a| a.user)
}

fn edit(u: &User, edit: Edit) -> Result<User, RuleError> {
    edit_as(&admin(), u, edit, &policy(), &[])
}

fn add(slot: PhoneType, n: &str) -> Edit {
    Edit::AddPhone {
        slot,
        number: number(n),
    }
}

// §1 Phone methods

#[test]
fn at_most_one_number_per_slot_so_a_second_mobile_fails() {
    let u = with(user("a@x.example"), PhoneType::Mobile, "+1 2065550100");
    assert_eq!(
        edit(&u, add(PhoneType::Mobile, "+1 2065550101")),
        Err(RuleError::SlotTaken {
            slot: PhoneType::Mobile
        })
    );
}

#[test]
fn changing_a_number_is_an_update() {
    let u = with(user("a@x.example"), PhoneType::Mobile, "+1 2065550100");
    let next = edit(
        &u,
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: number("+1 2065550101"),
        },
    )
    .unwrap();
    assert_eq!(
        next.method(PhoneType::Mobile).unwrap().phone_number,
        number("+1 2065550101")
    );
    let empty = user("b@x.example");
    assert_eq!(
        edit(
            &empty,
            Edit::UpdatePhone {
                slot: PhoneType::Mobile,
                number: number("+1 2065550101")
            }
        ),
        Err(RuleError::SlotEmpty {
            slot: PhoneType::Mobile
        })
    );
}

#[test]
fn alternate_mobile_can_only_be_added_while_a_mobile_exists() {
    let u = user("a@x.example");
    assert_eq!(
        edit(&u, add(PhoneType::AlternateMobile, "+1 2065550101")),
        Err(RuleError::AlternateNeedsMobile)
    );
    assert_eq!(
        RuleError::AlternateNeedsMobile.to_string(),
        "add a mobile phone first"
    );
    let u = with(u, PhoneType::Mobile, "+1 2065550100");
    assert!(edit(&u, add(PhoneType::AlternateMobile, "+1 2065550101")).is_ok());
}

#[test]
fn deleting_mobile_is_refused_while_an_alternate_exists() {
    let u = with(
        with(user("a@x.example"), PhoneType::Mobile, "+1 2065550100"),
        PhoneType::AlternateMobile,
        "+1 2065550101",
    );
    assert_eq!(
        edit(
            &u,
            Edit::DeletePhone {
                slot: PhoneType::Mobile
            }
        ),
        Err(RuleError::MobileHasAlternate)
    );
    let without_alternate = edit(
        &u,
        Edit::DeletePhone {
            slot: PhoneType::AlternateMobile,
        },
    )
    .unwrap();
    assert!(
        edit(
            &without_alternate,
            Edit::DeletePhone {
                slot: PhoneType::Mobile
            }
        )
        .is_ok()
    );
}

#[test]
fn the_slot_of_a_method_never_changes_moving_is_add_then_delete() {
    let u = with(user("a@x.example"), PhoneType::Mobile, "+44 2079460001");
    let updated = edit(
        &u,
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: number("+44 2079460002"),
        },
    )
    .unwrap();
    assert_eq!(updated.phone_methods[0].phone_type, PhoneType::Mobile);
    let moved = edit(&updated, add(PhoneType::Office, "+44 2079460002")).unwrap();
    let moved = edit(
        &moved,
        Edit::DeletePhone {
            slot: PhoneType::Mobile,
        },
    )
    .unwrap();
    assert_eq!(moved.phone_methods.len(), 1);
    assert_eq!(moved.phone_methods[0].phone_type, PhoneType::Office);
}

#[test]
fn the_default_method_cannot_be_deleted_until_the_default_changes() {
    let mut u = with(user("a@x.example"), PhoneType::Office, "+1 2065550100x12");
    u.default_mfa_method = Some(DefaultMethod::VoiceOffice);
    assert_eq!(
        edit(
            &u,
            Edit::DeletePhone {
                slot: PhoneType::Office
            }
        ),
        Err(RuleError::DefaultInUse {
            slot: PhoneType::Office,
            method: DefaultMethod::VoiceOffice
        })
    );
    let cleared = edit(&u, Edit::SetDefault { method: None }).unwrap();
    assert!(
        edit(
            &cleared,
            Edit::DeletePhone {
                slot: PhoneType::Office
            }
        )
        .is_ok()
    );
}

#[test]
fn a_default_method_needs_its_slot() {
    let u = with(user("a@x.example"), PhoneType::Mobile, "+1 2065550100");
    assert_eq!(
        edit(
            &u,
            Edit::SetDefault {
                method: Some(DefaultMethod::VoiceOffice)
            }
        ),
        Err(RuleError::DefaultNeedsSlot {
            method: DefaultMethod::VoiceOffice
        })
    );
    assert!(
        edit(
            &u,
            Edit::SetDefault {
                method: Some(DefaultMethod::Sms)
            }
        )
        .is_ok()
    );
}

#[test]
fn office_phones_need_the_policy_flag() {
    let closed = Policy {
        office_phone_allowed: false,
        ..policy()
    };
    let u = user("a@x.example");
    assert_eq!(
        edit_as(
            &admin(),
            &u,
            add(PhoneType::Office, "+1 2065550100"),
            &closed,
            &[]
        ),
        Err(RuleError::OfficeNotAllowed)
    );
}

#[test]
fn office_phones_are_set_by_administrators_only() {
    assert!(!phonedesk::domain::rules::self_service_may_register(
        PhoneType::Office
    ));
    assert!(phonedesk::domain::rules::self_service_may_register(
        PhoneType::Mobile
    ));
    assert!(phonedesk::domain::rules::self_service_may_register(
        PhoneType::AlternateMobile
    ));
}

#[test]
fn operators_cannot_change_their_own_methods_self_service_is_not_supported() {
    let u = user("helpdesk@x.example");
    let me = Operator::new("helpdesk@x.example", Role::PrivilegedAuthAdmin);
    assert_eq!(
        edit_as(
            &me,
            &u,
            add(PhoneType::Mobile, "+1 2065550100"),
            &policy(),
            &[]
        ),
        Err(RuleError::SelfService)
    );
}

#[test]
fn extensions_are_only_for_office_phones() {
    let u = user("a@x.example");
    assert_eq!(
        edit(&u, add(PhoneType::Mobile, "+1 2065550100x12")),
        Err(RuleError::ExtensionNotAllowed {
            slot: PhoneType::Mobile
        })
    );
    assert!(edit(&u, add(PhoneType::Office, "+1 2065550100x12")).is_ok());
}

#[test]
fn a_number_used_for_mfa_is_not_automatically_enabled_for_sms_sign_in() {
    let u = edit(
        &user("a@x.example"),
        add(PhoneType::Mobile, "+1 2065550100"),
    )
    .unwrap();
    assert!(!u.method(PhoneType::Mobile).unwrap().sms_sign_in_enabled);
    let m = u.method(PhoneType::Mobile).unwrap();
    assert_eq!(
        sms_sign_in_state(&u, m, &policy(), &[]).0,
        SmsSignInState::NotEnabled
    );
}

#[test]
fn auth_admin_acts_on_non_admin_users_only() {
    let mut target = user("boss@x.example");
    target.roles.push("Global Administrator".into());
    let auth = Operator::new("helpdesk", Role::AuthAdmin);
    assert!(matches!(
        edit_as(
            &auth,
            &target,
            add(PhoneType::Mobile, "+1 2065550100"),
            &policy(),
            &[]
        ),
        Err(RuleError::NeedsPrivilegedRole)
    ));
    let privileged = Operator::new("helpdesk", Role::PrivilegedAuthAdmin);
    assert!(
        edit_as(
            &privileged,
            &target,
            add(PhoneType::Mobile, "+1 2065550100"),
            &policy(),
            &[]
        )
        .is_ok()
    );
}

fn enabled(u: &User) -> Result<User, RuleError> {
    edit(u, Edit::SetSmsSignIn { enabled: true })
}

#[test]
fn sms_sign_in_state_not_supported_outside_the_mobile_slot() {
    let u = with(user("a@x.example"), PhoneType::Office, "+1 2065550100");
    let m = u.method(PhoneType::Office).unwrap();
    assert_eq!(
        sms_sign_in_state(&u, m, &policy(), &[]).0,
        SmsSignInState::NotSupported
    );
}

#[test]
fn sms_sign_in_is_not_for_guests() {
    let mut u = with(user("g@x.example"), PhoneType::Mobile, "+1 2065550100");
    u.user_type = UserType::Guest;
    assert_eq!(enabled(&u), Err(RuleError::SmsSignInGuest));
    let m = u.method(PhoneType::Mobile).unwrap();
    assert_eq!(
        sms_sign_in_state(&u, m, &policy(), &[]).0,
        SmsSignInState::NotSupported
    );
}

#[test]
fn sms_sign_in_state_not_allowed_by_policy_outside_the_targeted_groups() {
    let mut u = with(user("a@x.example"), PhoneType::Mobile, "+1 2065550100");
    u.groups.clear();
    let m = u.method(PhoneType::Mobile).unwrap();
    assert_eq!(
        sms_sign_in_state(&u, m, &policy(), &[]).0,
        SmsSignInState::NotAllowedByPolicy
    );
    assert!(matches!(
        enabled(&u),
        Err(RuleError::SmsSignInNotTargeted { .. })
    ));
}

#[test]
fn sms_sign_in_state_ready_once_enabled_for_a_targeted_unique_mobile() {
    let u = enabled(&with(
        user("a@x.example"),
        PhoneType::Mobile,
        "+1 2065550100",
    ))
    .unwrap();
    let m = u.method(PhoneType::Mobile).unwrap();
    let (_, claim) = claim_of(&u).unwrap();
    assert_eq!(
        sms_sign_in_state(&u, m, &policy(), &[claim]).0,
        SmsSignInState::Ready
    );
}

#[test]
fn sms_sign_in_state_not_configured_when_the_number_cannot_receive_texts() {
    let mut u = with(user("a@x.example"), PhoneType::Mobile, "+44 2079460001");
    assert!(matches!(
        enabled(&u),
        Err(RuleError::SmsSignInCannotReceive { .. })
    ));
    u.phone_methods[0].sms_sign_in_enabled = true;
    let m = u.method(PhoneType::Mobile).unwrap();
    assert_eq!(
        sms_sign_in_state(&u, m, &policy(), &[]).0,
        SmsSignInState::NotConfigured
    );
}

#[test]
fn sms_sign_in_works_for_mobiles_whose_national_number_starts_with_zero() {
    // Côte d'Ivoire, Benin and Congo mobiles keep a leading 0 after the country code (issue 11:
    // typed without it they looked like no type at all, so SMS sign-in was refused).
    for number in ["+225 0701234567", "+229 0190011234", "+242 061234567"] {
        let u = enabled(&with(user("a@x.example"), PhoneType::Mobile, number)).unwrap();
        let m = u.method(PhoneType::Mobile).unwrap();
        let (_, claim) = claim_of(&u).unwrap();
        assert_eq!(
            sms_sign_in_state(&u, m, &policy(), &[claim]).0,
            SmsSignInState::Ready,
            "{number}"
        );
    }
}

#[test]
fn sms_sign_in_state_phone_number_not_unique_for_the_later_claimant() {
    let earlier = Claim {
        upn_key: "first@x.example".into(),
        sms_sign_in_since: NOW.plus_secs(-60),
    };
    let u = with(user("second@x.example"), PhoneType::Mobile, "+1 2065550100");
    assert_eq!(
        enabled_with_claims(&u, std::slice::from_ref(&earlier)),
        Err(RuleError::SmsSignInHeldElsewhere)
    );
    let mut imported = u.clone();
    imported.phone_methods[0].sms_sign_in_enabled = true;
    imported.phone_methods[0].sms_sign_in_since = Some(NOW);
    let (_, mine) = claim_of(&imported).unwrap();
    let m = imported.method(PhoneType::Mobile).unwrap();
    assert_eq!(
        sms_sign_in_state(&imported, m, &policy(), &[earlier.clone(), mine.clone()]).0,
        SmsSignInState::PhoneNumberNotUnique
    );
    // The earlier holder stays ready.
    let first = {
        let mut f = with(user("first@x.example"), PhoneType::Mobile, "+1 2065550100");
        f.phone_methods[0].sms_sign_in_enabled = true;
        f.phone_methods[0].sms_sign_in_since = Some(earlier.sms_sign_in_since);
        f
    };
    let m = first.method(PhoneType::Mobile).unwrap();
    assert_eq!(
        sms_sign_in_state(&first, m, &policy(), &[earlier, mine]).0,
        SmsSignInState::Ready
    );
}

fn enabled_with_claims(u: &User, claims: &[Claim]) -> Result<User, RuleError> {
    edit_as(
        &admin(),
        u,
        Edit::SetSmsSignIn { enabled: true },
        &policy(),
        claims,
    )
}

#[test]
fn a_new_number_makes_a_new_sms_sign_in_claim() {
    let u = enabled(&with(
        user("a@x.example"),
        PhoneType::Mobile,
        "+1 2065550100",
    ))
    .unwrap();
    let later = EditContext {
        operator: &admin(),
        policy: &policy(),
        now: NOW.plus_secs(3600),
        mobile_claims: &[],
    };
    let updated = apply_edit(
        &u,
        &Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: number("+1 2065550101"),
        },
        &later,
    )
    .unwrap()
    .user;
    assert_eq!(
        updated.method(PhoneType::Mobile).unwrap().sms_sign_in_since,
        Some(NOW.plus_secs(3600))
    );
}

#[test]
fn blocking_needs_a_reason_and_a_blocked_user_cannot_be_blocked_twice() {
    let u = user("a@x.example");
    assert_eq!(
        edit(
            &u,
            Edit::Block {
                reason: "  ".into()
            }
        ),
        Err(RuleError::ReasonRequired)
    );
    let blocked = edit(
        &u,
        Edit::Block {
            reason: "lost phone".into(),
        },
    )
    .unwrap();
    assert!(blocked.active_block(NOW).is_some());
    assert_eq!(
        edit(
            &blocked,
            Edit::Block {
                reason: "again".into()
            }
        ),
        Err(RuleError::AlreadyBlocked)
    );
    let unblocked = edit(
        &blocked,
        Edit::Unblock {
            reason: "found it".into(),
        },
    )
    .unwrap();
    assert!(unblocked.active_block(NOW).is_none());
    assert_eq!(
        edit(&unblocked, Edit::Unblock { reason: "x".into() }),
        Err(RuleError::NotBlocked)
    );
}

/// A reason is read by the next person in the audit trail: text that shows as nothing (zero-width
/// spaces, joiners, a word joiner, a lone combining mark, a variation selector) is no reason.
#[test]
fn a_reason_needs_visible_text() {
    let u = user("a@x.example");
    for invisible in [
        "\u{200B}",
        "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}",
        " \u{200B} \u{00A0} ",
        "\u{0301}\u{FE0F}",
        "\u{202E}\u{2066}",
        "\u{3164}\u{2800}",
    ] {
        assert_eq!(
            edit(
                &u,
                Edit::Block {
                    reason: invisible.into()
                }
            ),
            Err(RuleError::ReasonInvisible),
            "{:?}",
            invisible.escape_unicode().to_string()
        );
    }
    assert!(
        RuleError::ReasonInvisible
            .to_string()
            .contains("visible text")
    );
    // Visible text among invisible characters is a reason, kept as typed.
    let blocked = edit(
        &u,
        Edit::Block {
            reason: "\u{200B}lost phone".into(),
        },
    )
    .unwrap();
    assert_eq!(blocked.block.unwrap().reason, "\u{200B}lost phone");
    for visible in ["é", "李", "🙂", "."] {
        assert!(
            edit(
                &u,
                Edit::Block {
                    reason: visible.into()
                }
            )
            .is_ok(),
            "{visible}"
        );
    }
}

#[test]
fn a_fraud_report_blocks_for_ninety_days_or_until_unblocked() {
    let u = user("a@x.example");
    let blocked = edit(&u, Edit::FraudBlock).unwrap();
    let block = blocked.block.clone().unwrap();
    assert_eq!(block.until, Some(NOW.plus_secs(90 * 86_400)));
    assert!(blocked.active_block(NOW.plus_secs(89 * 86_400)).is_some());
    assert!(blocked.active_block(NOW.plus_secs(90 * 86_400)).is_none());
    assert!(
        edit(
            &blocked,
            Edit::Unblock {
                reason: "verified".into()
            }
        )
        .is_ok()
    );
}

// §3 Directory phones versus authentication phones

#[test]
fn directory_phones_are_public_and_separate_from_authentication_phones() {
    let mut u = with(user("a@x.example"), PhoneType::Mobile, "+1 2065550171");
    u.mobile_phone = Some("+1 206 555 0170".into());
    // Editing authentication phones never touches the directory profile.
    let next = edit(
        &u,
        Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number: number("+1 2065550172"),
        },
    )
    .unwrap();
    assert_eq!(next.mobile_phone.as_deref(), Some("+1 206 555 0170"));
}

#[test]
fn authentication_numbers_are_masked_to_country_code_and_last_two_digits() {
    assert_eq!(number("+1 2065550171").masked(), "+1 ********71");
}
