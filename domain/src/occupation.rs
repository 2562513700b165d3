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

/// One current entry of the classification, prepared for search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedOccupation {
    pub code: String,
    pub title: String,
    /// The title of the ISCO-08 major group (the code's first digit).
    pub major_group_title: &'static str,
    /// The title folded by [`crate::text::fold`].
    folded: String,
}

/// The classification held in memory for search (SPEC §6, §11: search
/// over 10,000+ titles at a good share of the throughput of a probe).
/// Entries are kept in (code, title) order, so a code prefix is a range and
/// ranking is a stable partition; every word of a folded title points to the
/// entries that hold it, so a typed word finds the titles with a word that
/// starts with it without scanning them all.
#[derive(Debug, Clone, Default)]
pub struct OccupationIndex {
    entries: Vec<IndexedOccupation>,
    /// (word, ascending entry positions), sorted by word.
    words: Vec<(String, Vec<u32>)>,
}

/// The sorted intersection of two ascending lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

impl OccupationIndex {
    pub fn build(rows: impl IntoIterator<Item = (String, String)>) -> OccupationIndex {
        let majors = crate::reference::major_groups();
        let mut entries: Vec<IndexedOccupation> = rows
            .into_iter()
            .map(|(code, title)| {
                let major_group_title = majors.iter().find(|(c, _)| code.starts_with(c)).map_or("", |(_, t)| t);
                IndexedOccupation { folded: crate::text::fold(&title), major_group_title, code, title }
            })
            .collect();
        entries.sort_by(|a, b| (&a.code, &a.title).cmp(&(&b.code, &b.title)));
        let mut words: std::collections::BTreeMap<&str, Vec<u32>> = std::collections::BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            let pos = u32::try_from(i).unwrap_or(u32::MAX);
            for w in e.folded.split(' ').filter(|w| !w.is_empty()) {
                let list = words.entry(w).or_default();
                if list.last() != Some(&pos) {
                    list.push(pos);
                }
            }
        }
        let words = words.into_iter().map(|(w, l)| (w.to_owned(), l)).collect();
        OccupationIndex { entries, words }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The current titles of `code` (SPEC §6: a code may have several), in
    /// title order. The entries are sorted by code, so this is a range.
    pub fn titles_of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let start = self.entries.partition_point(|e| e.code.as_str() < code);
        self.entries[start..].iter().take_while(move |e| e.code == code).map(|e| e.title.as_str())
    }

    /// Positions of entries holding a word that starts with `prefix`, ascending.
    fn with_word(&self, prefix: &str) -> Vec<u32> {
        let start = self.words.partition_point(|(w, _)| w.as_str() < prefix);
        let mut out: Vec<u32> = self.words[start..]
            .iter()
            .take_while(|(w, _)| w.starts_with(prefix))
            .flat_map(|(_, l)| l.iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Positions of entries whose code starts with one of `prefixes`.
    fn with_code(&self, prefixes: &[String]) -> Vec<u32> {
        let mut out = Vec::new();
        for p in prefixes {
            let start = self.entries.partition_point(|e| e.code.as_str() < p.as_str());
            let n = self.entries[start..].iter().take_while(|e| e.code.starts_with(p.as_str())).count();
            out.extend((start..start + n).filter_map(|i| u32::try_from(i).ok()));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Entries whose code starts with `code` (three digits also as the code
    /// with a leading zero) and whose folded title has, for every word of
    /// `q` in any order, a word starting with it. Ranked: the exact code
    /// first, then titles that start with the words as typed, then the
    /// rest; each tier in (code, title) order. Returns one page (`offset`,
    /// `limit`) and the number of matches.
    pub fn search(
        &self,
        code: Option<&str>,
        q: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> (Vec<&IndexedOccupation>, usize) {
        let code_given = code.is_some_and(|c| !c.trim().is_empty());
        let exact = code.and_then(OccupationCode::parse);
        let words = q.map(crate::text::fold_words).unwrap_or_default();
        let phrase = words.join(" ");
        let mut matched: Option<Vec<u32>> =
            code_given.then(|| self.with_code(&code.map(code_search_prefixes).unwrap_or_default()));
        for w in &words {
            let hits = self.with_word(w);
            matched = Some(match matched {
                None => hits,
                Some(m) => intersect(&m, &hits),
            });
        }
        let all: Vec<u32>;
        let positions: &[u32] = match &matched {
            Some(m) => m,
            None => {
                all = (0..u32::try_from(self.entries.len()).unwrap_or(u32::MAX)).collect();
                &all
            }
        };
        let mut tiers: [Vec<&IndexedOccupation>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for &p in positions {
            let Some(e) = self.entries.get(p as usize) else {
                continue;
            };
            let tier = if exact.as_ref().is_some_and(|c| c.as_str() == e.code) {
                0
            } else if !phrase.is_empty() && e.folded.starts_with(&phrase) {
                1
            } else {
                2
            };
            tiers[tier].push(e);
        }
        let total = positions.len();
        let page = tiers.into_iter().flatten().skip(offset).take(limit).collect();
        (page, total)
    }
}

/// The fewest digits of an occupation code as sent (`110` is `0110`).
pub const MIN_CODE_DIGITS: u64 = 3;

/// The most digits of an occupation code: a unit group (ISCO-08).
pub const MAX_CODE_DIGITS: u64 = 4;

/// The shape of an occupation code as a request sends it: three or four
/// digits, `110` read as `0110` (SPEC §6); [`OccupationCode::parse`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CodeShape;

impl crate::value::Shape for CodeShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^[0-9]{{{MIN_CODE_DIGITS},{MAX_CODE_DIGITS}}}$").into()
    }

    fn min() -> u64 {
        MIN_CODE_DIGITS
    }

    fn max() -> u64 {
        MAX_CODE_DIGITS
    }
}

/// An occupation code as a request sends it.
pub type CodeText = crate::value::Shaped<CodeShape>;

/// The shape of a code searched for (SPEC §6): a prefix of one to
/// [`MAX_CODE_DIGITS`] digits, `7` the major group, `712` a minor group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CodePrefixShape;

impl crate::value::Shape for CodePrefixShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^[0-9]{{1,{MAX_CODE_DIGITS}}}$").into()
    }

    fn min() -> u64 {
        1
    }

    fn max() -> u64 {
        MAX_CODE_DIGITS
    }
}

/// A code prefix as a search sends it.
pub type CodePrefix = crate::value::Shaped<CodePrefixShape>;

impl CodePrefixShape {
    /// Whether `s` (trimmed) is a code prefix.
    pub fn admits(s: &str) -> bool {
        let s = s.trim();
        !s.is_empty() && s.len() as u64 <= MAX_CODE_DIGITS && s.bytes().all(|b| b.is_ascii_digit())
    }
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
/// as a person would: case and spacing aside), no control character in a
/// title ([`crate::text::check_controls`]). Each error names the row's
/// line as `rows[LINE].code` or `rows[LINE].title`.
pub fn validate_import(rows: &[ImportRow]) -> Result<Vec<ImportEntry>, crate::ValidationErrors> {
    use crate::error::{FieldCode, FieldError};
    let mut errs = crate::ValidationErrors::default();
    let mut seen: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    if rows.is_empty() {
        errs.push(FieldError::new("rows", FieldCode::NoRows));
    }
    for r in rows {
        let code = OccupationCode::parse(&r.code);
        let title = crate::text::tidy(&r.title);
        if code.is_none() {
            errs.push(
                FieldError::new(format!("rows[{}].code", r.line), FieldCode::OccupationCodeFormat).with("line", r.line),
            );
        }
        if let Err(e) = crate::text::check_controls(&format!("rows[{}].title", r.line), &r.title) {
            errs.push(e);
        } else if title.is_empty() {
            errs.push(FieldError::new(format!("rows[{}].title", r.line), FieldCode::Required).with("line", r.line));
        } else if title.chars().count() > MAX_IMPORT_TITLE {
            errs.push(
                FieldError::new(format!("rows[{}].title", r.line), FieldCode::Length).with("max", MAX_IMPORT_TITLE),
            );
        }
        if let Some(c) = code {
            if !title.is_empty() && !title.chars().any(crate::text::is_forbidden_control) {
                let key = (c.to_string(), crate::text::caseless(&title));
                if let Some(first) = seen.insert(key, r.line) {
                    errs.push(
                        FieldError::new(format!("rows[{}].title", r.line), FieldCode::DuplicateEntry)
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

    fn index() -> OccupationIndex {
        OccupationIndex::build(
            [
                ("0110", "Commissioned armed forces officers"),
                ("0310", "Armed forces occupations, other ranks"),
                ("0110", "Marşal, aviasiya"),
                ("6123", "Fermer, ipəkçilik"),
                ("6123", "Apiarists and sericulturists"),
                ("7123", "Bənna, xarici suvaq"),
                ("7123", "Plasterers"),
                ("7112", "Bricklayers and related workers"),
            ]
            .map(|(c, t)| (c.to_owned(), t.to_owned())),
        )
    }

    fn codes_of(r: (Vec<&IndexedOccupation>, usize)) -> Vec<String> {
        r.0.iter().map(|e| format!("{} {}", e.code.as_str(), e.title)).collect()
    }

    #[test]
    fn search_by_words_in_any_order_without_marks() {
        let ix = index();
        for q in ["ipekcilik", "İPƏKÇİLİK", "fermer ipekcilik", "IPEKCILIK fermer"] {
            assert_eq!(codes_of(ix.search(None, Some(q), 0, 10)), vec!["6123 Fermer, ipəkçilik"], "{q}");
        }
        assert_eq!(codes_of(ix.search(None, Some("XARICI SUVAQ"), 0, 10)), vec!["7123 Bənna, xarici suvaq"]);
    }

    #[test]
    fn search_by_code_prefix_reads_110_as_0110() {
        let ix = index();
        assert_eq!(ix.search(Some("110"), None, 0, 10).1, 2);
        assert_eq!(ix.search(Some("71"), None, 0, 10).1, 3);
        assert_eq!(ix.search(Some("712"), None, 0, 10).1, 2);
        assert_eq!(ix.search(Some("7x"), None, 0, 10).1, 0);
    }

    #[test]
    fn exact_code_then_title_start_then_the_rest() {
        let ix = index();
        let r = codes_of(ix.search(None, Some("armed forces"), 0, 10));
        assert_eq!(r, vec!["0310 Armed forces occupations, other ranks", "0110 Commissioned armed forces officers"]);
        let r = codes_of(ix.search(Some("7123"), None, 0, 10));
        assert_eq!(r, vec!["7123 Bənna, xarici suvaq", "7123 Plasterers"]);
        let (page, total) = ix.search(None, None, 2, 3);
        assert_eq!((page.len(), total), (3, 8));
    }

    fn row(line: usize, code: &str, title: &str) -> ImportRow {
        ImportRow { line, code: code.into(), title: title.into() }
    }

    #[test]
    fn an_import_reports_every_bad_row_by_line() {
        let rows =
            vec![row(2, "110", "Admiral"), row(3, "71x3", "Bənna"), row(4, "7123", "  "), row(5, "0110", "ADMIRAL")];
        let errs = validate_import(&rows).unwrap_err().0;
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
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
        assert!(validate_import(&[]).is_err(), "an empty file replaces nothing");
    }

    #[test]
    fn an_imported_title_with_a_control_character_is_refused() {
        let rows = vec![row(2, "110", "Adm\0iral"), row(3, "7123", "Bənna,\txarici suvaq")];
        let errs = validate_import(&rows).unwrap_err().0;
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, vec![("rows[2].title", "control_character")]);
    }

    #[test]
    fn search_prefixes_read_three_digits_both_ways() {
        assert_eq!(code_search_prefixes("110"), vec!["110", "0110"]);
        assert_eq!(code_search_prefixes("71"), vec!["71"]);
        assert!(code_search_prefixes("7x").is_empty());
    }
}
