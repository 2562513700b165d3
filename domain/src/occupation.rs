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

/// Longest title accepted in an imported classification.
pub const MAX_IMPORT_TITLE: usize = 300;

/// One data row of an imported classification file, as read: its line (or
/// spreadsheet row) number and its two cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub code: String,
    pub title: String,
}

/// A valid entry of an imported classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportEntry {
    pub code: OccupationCode,
    pub title: String,
}

/// Whether an import replaces the classification (entries not in the file
/// are retired) or extends it (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    Replace,
    Extend,
}

/// Checks every row of an import (SPEC §6: all or nothing, with a report of
/// the rejected rows): a code of 3–4 digits, a non-blank title of at most
/// [`MAX_IMPORT_TITLE`] characters, no (code, title) pair twice (compared
/// as a person would: case and spacing aside). Each error names the row's
/// line as `rows[LINE].code` or `rows[LINE].title`.
pub fn validate_import(rows: &[ImportRow]) -> Result<Vec<ImportEntry>, crate::ValidationErrors> {
    use crate::error::FieldError;
    let mut errs = crate::ValidationErrors::default();
    let mut seen: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    if rows.is_empty() {
        errs.push(FieldError::new("rows", "no_rows"));
    }
    for r in rows {
        let code = OccupationCode::parse(&r.code);
        let title = crate::text::tidy(&r.title);
        if code.is_none() {
            errs.push(
                FieldError::new(format!("rows[{}].code", r.line), "occupation_code_format")
                    .with("line", r.line),
            );
        }
        if title.is_empty() {
            errs.push(
                FieldError::new(format!("rows[{}].title", r.line), "required").with("line", r.line),
            );
        } else if title.chars().count() > MAX_IMPORT_TITLE {
            errs.push(
                FieldError::new(format!("rows[{}].title", r.line), "length")
                    .with("max", MAX_IMPORT_TITLE),
            );
        }
        if let Some(c) = code {
            if !title.is_empty() {
                let key = (c.to_string(), crate::text::caseless(&title));
                if let Some(first) = seen.insert(key, r.line) {
                    errs.push(
                        FieldError::new(format!("rows[{}].title", r.line), "duplicate_entry")
                            .with("first", first),
                    );
                }
                out.push(ImportEntry { code: c, title });
            }
        }
    }
    errs.into_result(out)
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

    fn row(line: usize, code: &str, title: &str) -> ImportRow {
        ImportRow {
            line,
            code: code.into(),
            title: title.into(),
        }
    }

    #[test]
    fn an_import_reports_every_bad_row_by_line() {
        let rows = vec![
            row(2, "110", "Admiral"),
            row(3, "71x3", "Bənna"),
            row(4, "7123", "  "),
            row(5, "0110", "ADMIRAL"),
        ];
        let errs = validate_import(&rows).unwrap_err().0;
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("rows[3].code", "occupation_code_format"),
                ("rows[4].title", "required"),
                ("rows[5].title", "duplicate_entry")
            ]
        );
        let ok = validate_import(&rows[..1]).unwrap();
        assert_eq!(ok[0].code.as_str(), "0110");
        assert!(
            validate_import(&[]).is_err(),
            "an empty file replaces nothing"
        );
    }

    #[test]
    fn search_prefixes_read_three_digits_both_ways() {
        assert_eq!(code_search_prefixes("110"), vec!["110", "0110"]);
        assert_eq!(code_search_prefixes("71"), vec!["71"]);
        assert!(code_search_prefixes("7x").is_empty());
    }
}
