//! Stand-in numbers for simulating a real tenant's user: the simulator never holds a real
//! person's number. Each phone slot gets the example number the numbering plan metadata gives for
//! the same country and the same kind of line (a mobile for the mobile slots, a fixed line for
//! the office slot), so the simulation behaves as the real line would (an SMS to a landline
//! still fails), while the digits are nobody's.

use crate::domain::{PhoneNumber, PhoneType, User};

/// A stand-in for `real` in `slot`: same country code and kind of line, the plan's example
/// digits (the alternate mobile's last digit moved on by one so the two mobiles differ).
pub fn stand_in(real: &PhoneNumber, slot: PhoneType) -> Option<PhoneNumber> {
    let code = real.country_code();
    let regions = phonenumber::metadata::DATABASE.by_code(&code)?;
    let main = regions.first()?;
    let descriptors = main.descriptors();
    let example = match slot {
        PhoneType::Office => descriptors.fixed_line()?.example()?,
        PhoneType::Mobile | PhoneType::AlternateMobile => descriptors.mobile()?.example()?,
    };
    let mut digits = example.to_owned();
    if slot == PhoneType::AlternateMobile {
        let moved: String = digits
            .char_indices()
            .map(|(i, c)| match c.to_digit(10) {
                Some(d) if i + 1 == example.len() => {
                    char::from_digit((d + 1) % 10, 10).unwrap_or(c)
                }
                _ => c,
            })
            .collect();
        if let Some(number) = PhoneNumber::from_parts(code, &moved, None)
            && number.is_possible()
        {
            digits = moved;
        }
    }
    PhoneNumber::from_parts(code, &digits, None)
}

/// `user` with every phone replaced by its stand-in; the pairs say which stand-in plays which
/// slot. A number without a stand-in (an unknown plan) leaves its slot out of the copy.
pub fn pseudonymised(user: &User) -> (User, Vec<(PhoneType, PhoneNumber)>) {
    let mut copy = user.clone();
    let mut used = Vec::new();
    copy.phone_methods.retain_mut(|method| {
        match stand_in(&method.phone_number, method.phone_type) {
            Some(number) => {
                used.push((method.phone_type, number.clone()));
                method.phone_number = number;
                true
            }
            None => false,
        }
    });
    (copy, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stand_in_keeps_the_country_and_the_kind_of_line_but_not_the_digits() {
        crate::domain::phone::load_metadata();
        let real = PhoneNumber::parse("+44 7700 900123", None).unwrap();
        let mobile = stand_in(&real, PhoneType::Mobile).unwrap();
        let alternate = stand_in(&real, PhoneType::AlternateMobile).unwrap();
        let office = stand_in(&real, PhoneType::Office).unwrap();
        for number in [&mobile, &alternate, &office] {
            assert_eq!(number.country_code(), 44);
            assert_ne!(number.national(), real.national());
        }
        assert_ne!(mobile, alternate);
        assert!(mobile.national().starts_with('7'), "{mobile}");
        assert!(!office.national().starts_with('7'), "{office}");
    }
}
