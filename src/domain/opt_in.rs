//! Country calling codes whose telephony verification (texts and calls) needs an opt-in: as a
//! guard against toll fraud (International Revenue Share Fraud), Microsoft does not send
//! verification texts or calls to some country codes until an administrator asks for them
//! (DOMAIN.md §6 "country needing opt-in").
//!
//! Choice: Microsoft publishes the list for workforce tenants only through support; phonedesk
//! uses the head of the list it publishes for SMS verification in external tenants (January 2025).
//! The list is a sample to recognise the case, not Microsoft's authoritative list.

/// The country calling codes phonedesk treats as needing an opt-in, ascending.
pub const OPT_IN_COUNTRY_CODES: &[u16] = &[
    93,  // Afghanistan
    213, // Algeria
    229, // Benin
    244, // Angola
    359, // Bulgaria
    374, // Armenia
    375, // Belarus
    387, // Bosnia and Herzegovina
    501, // Belize
    591, // Bolivia
    880, // Bangladesh
    975, // Bhutan
    994, // Azerbaijan
];

/// Whether verification texts and calls to numbers with this country code need an opt-in.
pub fn needs_opt_in(country_code: u16) -> bool {
    OPT_IN_COUNTRY_CODES.binary_search(&country_code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_known() {
        assert!(OPT_IN_COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
        for code in OPT_IN_COUNTRY_CODES {
            assert!(super::super::phone::is_known_country_code(*code), "{code}");
        }
        assert!(needs_opt_in(374));
        assert!(!needs_opt_in(1));
        assert!(!needs_opt_in(44));
    }
}
