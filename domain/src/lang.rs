//! The languages the product speaks: problems and messages by
//! `Accept-Language` in Azerbaijani, English, Russian and Turkish (SPEC §7,
//! §15.6), and an HQM application in any of the four the rules allow (seed
//! 002; SPEC §14.2), whose decision and e-mails use it (SPEC §14.5).

use crate::wire_codes;

wire_codes! {
    /// One of the four languages (ISO 639-1 codes), Azerbaijani first.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum Lang("language") {
        Az => "az",
        Tr => "tr",
        En => "en",
        Ru => "ru",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_languages_round_trip_exactly() {
        for &l in Lang::ALL {
            assert_eq!(Lang::parse(l.as_str()), Some(l));
        }
        for bad in ["", "de", "AZ", "en-GB", " az"] {
            assert_eq!(Lang::parse(bad), None, "{bad}");
        }
    }
}
