//! The languages of an HQM application (seed 002: the form is filled in in
//! Azerbaijani, Turkish, English or Russian; SPEC §14.2).

use serde::{Deserialize, Serialize};

/// One of the four languages the rules allow for an application; the
/// decision document and the e-mails use it (SPEC §14.5), and the criteria
/// table is served in all four (SPEC §14.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Az,
    Tr,
    En,
    Ru,
}

impl Language {
    /// Every allowed language, Azerbaijani first (SPEC §14.2).
    pub const ALL: [Language; 4] = [Language::Az, Language::Tr, Language::En, Language::Ru];

    /// The ISO 639-1 code used on the wire (SPEC §14.2: `az`, `tr`, `en`, `ru`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Az => "az",
            Language::Tr => "tr",
            Language::En => "en",
            Language::Ru => "ru",
        }
    }

    /// Reads a wire code; anything but the four codes, exactly as written, is
    /// refused (SPEC §14.2).
    pub fn parse(s: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_languages_of_the_rules_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::parse(l.as_str()), Some(l));
        }
        for bad in ["", "de", "AZ", "en-GB", " az"] {
            assert_eq!(Language::parse(bad), None, "{bad}");
        }
    }
}
