//! Occupations of the Occupational Classification (Məşğulluq Təsnifatı),
//! built on ISCO-08 (SPEC §6; guideline part II).

use serde::Serialize;
use std::fmt;

/// An ISCO-08 unit-group code: always four digits. The statistics committee
/// shows codes without their leading zero (`110` for `0110`, guideline II.2),
/// so three digits are read as the code with a leading zero (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OccupationCode(String);

impl OccupationCode {
    pub fn parse(s: &str) -> Option<OccupationCode> {
        let s = s.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match s.len() {
            4 => Some(OccupationCode(s.to_owned())),
            3 => Some(OccupationCode(format!("0{s}"))),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISCO-08 major group: the first digit.
    pub fn major_group(&self) -> &str {
        &self.0[..1]
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A prefix of a code as typed in a search (`7`, `71`, `712`, `7123`), read
/// the way the statistics committee writes codes: `110` means `0110`, and
/// `11` is a prefix of `11xx` (SPEC §6, issue on search). Returns the
/// prefixes to try, most exact first.
pub fn code_search_prefixes(typed: &str) -> Vec<String> {
    let t = typed.trim();
    if t.is_empty() || t.len() > 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut out = vec![t.to_owned()];
    if t.len() == 3 {
        out.push(format!("0{t}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_digits_gain_the_leading_zero() {
        assert_eq!(OccupationCode::parse("110").unwrap().as_str(), "0110");
        assert_eq!(OccupationCode::parse("0110").unwrap().as_str(), "0110");
        assert_eq!(OccupationCode::parse(" 7123 ").unwrap().as_str(), "7123");
        assert_eq!(OccupationCode::parse("7123").unwrap().major_group(), "7");
    }

    #[test]
    fn anything_else_is_not_a_code() {
        for bad in ["", "71", "71234", "71a3", "7 23", "-110"] {
            assert!(OccupationCode::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn search_prefixes_read_three_digits_both_ways() {
        assert_eq!(code_search_prefixes("110"), vec!["110", "0110"]);
        assert_eq!(code_search_prefixes("71"), vec!["71"]);
        assert!(code_search_prefixes("7x").is_empty());
    }
}
