//! The taxpayer identification number, VÖEN (SPEC §4.1).

use crate::error::FieldCode;
use serde::Serialize;
use std::fmt;

crate::wire_codes! {
    /// Whether the employer is a natural or a legal person (guideline step 6,
    /// "Type of person").
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum PersonType("person type") {
        Physical => "physical",
        Legal => "legal",
    }
}

/// A TIN is ten digits (SPEC §4.1).
pub const TIN_LENGTH: u64 = 10;

/// The shape of a TIN as a request sends it: ten digits, the last `1` or
/// `2` (SPEC §4.1); [`Tin::parse`] checks it, the check digit too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TinShape;

impl crate::value::Shape for TinShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        "^[0-9]{9}[12]$".into()
    }

    fn min() -> u64 {
        TIN_LENGTH
    }

    fn max() -> u64 {
        TIN_LENGTH
    }
}

/// A TIN as a request sends it.
pub type TinText = crate::value::Shaped<TinShape>;

/// Why a string is not a TIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TinError {
    /// Not exactly ten ASCII digits.
    Format,
    /// Digit 9 is not the weighted sum of digits 1–8 modulo 11.
    CheckDigit,
    /// Digit 10 is neither `1` (legal) nor `2` (natural person).
    PersonDigit,
}

impl TinError {
    pub fn code(self) -> FieldCode {
        match self {
            TinError::Format => FieldCode::TinFormat,
            TinError::CheckDigit => FieldCode::TinCheckDigit,
            TinError::PersonDigit => FieldCode::TinPersonDigit,
        }
    }
}

/// A VÖEN that passed every check of SPEC §4.1: ten digits, digits 1–8 a
/// territorial code and serial, digit 9 a check digit, digit 10 the kind of
/// person (`1` legal, `2` natural).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Tin(String);

/// Weights of digits 1–8 in the check digit (SPEC §4.1).
const WEIGHTS: [u32; 8] = [4, 1, 8, 6, 2, 7, 5, 3];

impl Tin {
    pub fn parse(s: &str) -> Result<Tin, TinError> {
        let s = s.trim();
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TinError::Format);
        }
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum();
        // A remainder of 10 cannot be written as one digit, so such serials
        // are never issued: no digit 9 can match it.
        if sum % 11 != d[8] {
            return Err(TinError::CheckDigit);
        }
        if d[9] != 1 && d[9] != 2 {
            return Err(TinError::PersonDigit);
        }
        Ok(Tin(s.to_owned()))
    }

    /// The kind of person that digit 10 encodes.
    pub fn person_type(&self) -> PersonType {
        if self.0.ends_with('1') {
            PersonType::Legal
        } else {
            PersonType::Physical
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_examples_of_the_spec_are_valid() {
        assert_eq!(Tin::parse("1012345061").unwrap().person_type(), PersonType::Legal);
        assert_eq!(Tin::parse("1012345062").unwrap().person_type(), PersonType::Physical);
    }

    #[test]
    fn check_digit_is_the_weighted_sum_mod_11() {
        // 4·1+1·0+8·1+6·2+2·3+7·4+5·5+3·6 = 101; 101 mod 11 = 2
        assert_eq!(Tin::parse("1012345621").unwrap().as_str(), "1012345621");
        assert_eq!(Tin::parse("1012345071"), Err(TinError::CheckDigit));
        assert_eq!(Tin::parse("1012345051"), Err(TinError::CheckDigit));
    }

    #[test]
    fn digit_ten_must_name_a_kind_of_person() {
        assert_eq!(Tin::parse("1012345063"), Err(TinError::PersonDigit));
        assert_eq!(Tin::parse("1012345060"), Err(TinError::PersonDigit));
    }

    #[test]
    fn anything_but_ten_digits_is_a_format_error() {
        for bad in ["", "101234506", "10123450611", "10123450a1", "１012345061", "-012345061"] {
            assert_eq!(Tin::parse(bad), Err(TinError::Format), "{bad}");
        }
    }

    #[test]
    fn surrounding_blanks_are_trimmed() {
        assert_eq!(Tin::parse(" 1012345061 ").unwrap().as_str(), "1012345061");
    }
}
