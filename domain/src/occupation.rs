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

/// The title of `code` that a typed title names (SPEC §6, §16.5): the
/// classification's title equal to it once case, spacing and Azerbaijani
/// letters are folded ([`crate::text::title_key`]); of two that fold alike,
/// the one equal but for case (else the first in title order). The classification's spelling is what a
/// forecast stores. `titles` are the current titles of one code.
///
/// `Err(expected)` when none matches: `expected` is the title of the code
/// nearest to what was typed (the fewest letters to change to make it a
/// start of the title, then the whole title, over the first
/// [`NEAREST_PREFIX`] characters of each, folded; of equally near ones the
/// first in title order, whatever order `titles` come in), so the caller
/// can correct it in one step.
/// `None` only when the code has no title.
pub fn classified_title<'a>(titles: &'a [String], typed: &str) -> Result<&'a str, Option<&'a str>> {
    if let Some(t) = titles.iter().find(|t| crate::text::caseless_eq(t, typed)) {
        return Ok(t);
    }
    let key = crate::text::title_key(typed);
    let keyed: Vec<(String, &'a str)> = titles.iter().map(|t| (crate::text::title_key(t), t.as_str())).collect();
    if let Some((_, t)) = keyed.iter().filter(|(k, _)| *k == key).min_by_key(|(_, t)| *t) {
        return Ok(t);
    }
    let typed: Vec<char> = key.chars().take(NEAREST_PREFIX).collect();
    let distance = |k: &str| edit_distances(&typed, &k.chars().take(NEAREST_PREFIX).collect::<Vec<_>>());
    Err(keyed.iter().min_by_key(|(k, t)| (distance(k), *t)).map(|(_, t)| *t))
}

/// How many leading characters of two titles [`classified_title`] compares
/// to find the nearest: enough to tell titles apart, and a bound on the work
/// a request of 200 wrong lines can cause.
pub const NEAREST_PREFIX: usize = 64;

/// Checks the title typed at `field` for `code` against the code's titles
/// (SPEC §6, §16.5): the classification's spelling, or
/// `occupation_title_mismatch` naming the code and the title `expected`.
pub fn check_title(
    field: &str,
    code: &OccupationCode,
    titles: &[String],
    typed: &str,
) -> Result<String, crate::FieldError> {
    match classified_title(titles, typed) {
        Ok(title) => Ok(title.to_owned()),
        Err(expected) => {
            let e = crate::FieldError::new(field, crate::FieldCode::OccupationTitleMismatch).with("code", code);
            Err(match expected {
                Some(t) => e.with("expected", t),
                None => e,
            })
        }
    }
}

/// How far `a` is from `b` (Levenshtein: the fewest letters inserted,
/// removed or changed): from the nearest start of `b`, then from all of it.
/// A title typed in part or with a slip is nearest the title it starts;
/// of titles it is as near the start of, the one it is nearest as a whole.
fn edit_distances(a: &[char], b: &[char]) -> (usize, usize) {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb { diagonal } else { 1 + diagonal.min(above).min(row[j]) };
            diagonal = above;
        }
    }
    (row.iter().copied().min().unwrap_or(0), row[b.len()])
}

/// Whether `a` and `b` are at most one letter apart: one missing, one
/// extra (a doubled letter is one) or one wrong (SPEC §16.5).
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let same_start = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        // At most one letter differs: the rest after the first difference agrees.
        same_start + 1 >= long.len() || short[same_start + 1..] == long[same_start + 1..]
    } else {
        // The longer has one letter more: skip it where the two part.
        short[same_start..] == long[same_start + 1..]
    }
}

/// The shortest typed word that search also finds one letter off (SPEC
/// §16.5): shorter words have too many neighbours to mean anything ("bar"
/// is one letter from "bas", "car", "bay" …).
pub const MIN_NEAR_WORD: usize = 4;

/// A word search may find one letter off: [`MIN_NEAR_WORD`] letters or
/// more (for a title's word, one fewer), letters only — a number one digit
/// off is another number.
fn near_candidate(chars: &[char], min: usize) -> bool {
    chars.len() >= min && chars.iter().all(|c| c.is_alphabetic())
}

/// The hash of `chars` without the letter at `skip` (none: all of it),
/// for the index of words one letter apart: two words are one letter apart
/// only if one, less a letter, is the other, or both, less a letter each,
/// are the same (the deletion neighbourhoods of SymSpell). FNV-1a over the
/// letters and the length: cheap, and a collision costs only a check.
fn hash_without(chars: &[char], skip: Option<usize>) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |v: u32| {
        for b in v.to_le_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
    };
    for (i, c) in chars.iter().enumerate() {
        if Some(i) != skip {
            eat(u32::from(*c));
        }
    }
    eat(u32::try_from(chars.len() - usize::from(skip.is_some())).unwrap_or(u32::MAX));
    h
}

/// A typed word of a search: as typed, and its letters when it may also be
/// found one letter off ([`MIN_NEAR_WORD`]).
struct Typed<'a> {
    word: &'a str,
    near: Option<Vec<char>>,
}

impl<'a> Typed<'a> {
    fn new(word: &'a str) -> Typed<'a> {
        let chars: Vec<char> = word.chars().collect();
        Typed { word, near: near_candidate(&chars, MIN_NEAR_WORD).then_some(chars) }
    }

    /// Whether a word of a title starts with this one, and whether it is
    /// one letter off it (the same rules as the index's).
    fn against(&self, title_word: &str) -> (bool, bool) {
        let exact = title_word.starts_with(self.word);
        let near = !exact
            && self.near.as_ref().is_some_and(|typed| {
                let chars: Vec<char> = title_word.chars().collect();
                near_candidate(&chars, MIN_NEAR_WORD - 1) && within_one_edit(typed, &chars)
            });
        (exact, near)
    }
}

/// When the entries still matching are this many times fewer than those
/// the next typed word names, their titles are read instead of the word's
/// lists: "sahə 4321" over 10,000 titles named "… sahə N" looks at one
/// title for "sahə", not at 10,000 positions.
const READ_TITLES_BELOW: usize = 16;

/// One current entry of the classification, prepared for search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedOccupation {
    pub code: String,
    pub title: String,
    /// The title of the ISCO-08 major group (the code's first digit).
    pub major_group_title: &'static str,
    /// The title folded by [`crate::text::fold`].
    folded: String,
    /// The title folded with ə as `a` ([`crate::text::fold_schwa_as_a`]),
    /// when that is another text.
    folded_a: Option<String>,
}

/// The classification held in memory for search (SPEC §6, §11: search
/// over 10,000+ titles at a good share of the throughput of a probe;
/// SPEC §16.5: titles as people type them).
///
/// Entries are kept in (code, title) order, so a code prefix is a range and
/// ranking is a stable partition. Every word of a folded title — in both
/// forms, ə as `e` and as `a` — points to the entries that hold it, so a
/// typed word finds the titles with a word that starts with it by a binary
/// search, without scanning them all. Words one letter off are found
/// through the hashes of each word less one letter: a typed word of `n`
/// letters costs `n + 1` binary searches in that table, whatever the size
/// of the classification.
#[derive(Debug, Clone, Default)]
pub struct OccupationIndex {
    entries: Vec<IndexedOccupation>,
    /// (word, ascending entry positions), sorted by word.
    words: Vec<(String, Vec<u32>)>,
    /// (hash of a word of `words` or of it less one letter, the word's
    /// position in `words`), sorted; see [`hash_without`].
    near: Vec<(u64, u32)>,
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

/// The sorted union, without repeats, of ascending lists: merged two at a
/// time, so each step is linear.
fn union<'a>(lists: impl IntoIterator<Item = &'a [u32]>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for l in lists {
        if out.is_empty() {
            out = l.to_vec();
            out.dedup();
            continue;
        }
        let mut merged = Vec::with_capacity(out.len() + l.len());
        let (mut i, mut j) = (0, 0);
        while i < out.len() || j < l.len() {
            let next = match (out.get(i), l.get(j)) {
                (Some(&a), Some(&b)) if a <= b => {
                    i += 1;
                    j += usize::from(a == b);
                    a
                }
                (_, Some(&b)) => {
                    j += 1;
                    b
                }
                (Some(&a), None) => {
                    i += 1;
                    a
                }
                (None, None) => break,
            };
            if merged.last() != Some(&next) {
                merged.push(next);
            }
        }
        out = merged;
    }
    out
}

/// How well an entry matches a search, best first (the order of the answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// Its code is the code searched for.
    ExactCode,
    /// Its title starts with the words as typed (ə typed as `e` or `a`).
    TitleStart,
    /// Each typed word starts a word of its title.
    Words,
    /// Some typed word is one letter off a word of its title.
    Near,
}

impl OccupationIndex {
    pub fn build(rows: impl IntoIterator<Item = (String, String)>) -> OccupationIndex {
        let majors = crate::reference::major_groups();
        let mut entries: Vec<IndexedOccupation> = rows
            .into_iter()
            .map(|(code, title)| {
                let major_group_title = majors.iter().find(|(c, _)| code.starts_with(c)).map_or("", |(_, t)| t);
                let folded = crate::text::fold(&title);
                let folded_a = Some(crate::text::fold_schwa_as_a(&title)).filter(|a| *a != folded);
                IndexedOccupation { folded, folded_a, major_group_title, code, title }
            })
            .collect();
        entries.sort_by(|a, b| (&a.code, &a.title).cmp(&(&b.code, &b.title)));
        let mut words: std::collections::BTreeMap<&str, Vec<u32>> = std::collections::BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            let pos = u32::try_from(i).unwrap_or(u32::MAX);
            for form in std::iter::once(&e.folded).chain(&e.folded_a) {
                for w in form.split(' ').filter(|w| !w.is_empty()) {
                    let list = words.entry(w).or_default();
                    if list.last() != Some(&pos) {
                        list.push(pos);
                    }
                }
            }
        }
        let words: Vec<(String, Vec<u32>)> = words.into_iter().map(|(w, l)| (w.to_owned(), l)).collect();
        let mut near = Vec::new();
        for (i, (w, _)) in words.iter().enumerate() {
            let chars: Vec<char> = w.chars().collect();
            if !near_candidate(&chars, MIN_NEAR_WORD - 1) {
                continue;
            }
            let at = u32::try_from(i).unwrap_or(u32::MAX);
            near.push((hash_without(&chars, None), at));
            near.extend((0..chars.len()).map(|k| (hash_without(&chars, Some(k)), at)));
        }
        near.sort_unstable();
        near.dedup();
        OccupationIndex { entries, words, near }
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

    /// How many positions the words starting with `prefix` hold (an entry
    /// may count more than once): what [`Self::with_word`] would gather.
    fn count_with_word(&self, prefix: &str) -> usize {
        let start = self.words.partition_point(|(w, _)| w.as_str() < prefix);
        self.words[start..].iter().take_while(|(w, _)| w.starts_with(prefix)).map(|(_, l)| l.len()).sum()
    }

    /// Positions of entries holding a word one letter off `typed` (a
    /// letter missing, doubled, extra or wrong; SPEC §16.5), ascending.
    /// Words too short or holding digits find nothing this way, and words
    /// that start with `typed` are left to [`Self::with_word`].
    fn near_word(&self, typed: &Typed<'_>) -> Vec<u32> {
        let Some(chars) = &typed.near else { return Vec::new() };
        let mut found: Vec<u32> = Vec::new();
        for skip in std::iter::once(None).chain((0..chars.len()).map(Some)) {
            let h = hash_without(chars, skip);
            let start = self.near.partition_point(|(k, _)| *k < h);
            found.extend(self.near[start..].iter().take_while(|(k, _)| *k == h).map(|(_, w)| *w));
        }
        found.sort_unstable();
        found.dedup();
        let lists = found
            .iter()
            .filter_map(|&w| self.words.get(w as usize))
            .filter(|(word, _)| typed.against(word) == (false, true))
            .map(|(_, list)| list.as_slice());
        union(lists)
    }

    /// Of the ascending `positions`, those whose title holds a word that
    /// starts with `typed` or is one letter off it; and of those also in
    /// `as_typed` (ascending; `None`: all), those with a word that starts
    /// with it. Reads the titles, for a few positions.
    fn read_titles(&self, positions: &[u32], as_typed: Option<&[u32]>, typed: &Typed<'_>) -> (Vec<u32>, Vec<u32>) {
        let (mut any, mut exact) = (Vec::new(), Vec::new());
        for &p in positions {
            let Some(e) = self.entries.get(p as usize) else { continue };
            let (mut has_exact, mut has_near) = (false, false);
            for w in std::iter::once(&e.folded).chain(&e.folded_a).flat_map(|f| f.split(' ')) {
                let (x, n) = typed.against(w);
                has_exact |= x;
                has_near |= n;
            }
            if has_exact || has_near {
                any.push(p);
            }
            if has_exact && as_typed.is_none_or(|t| t.binary_search(&p).is_ok()) {
                exact.push(p);
            }
        }
        (any, exact)
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
    /// `q` in any order, a word starting with it — ə typed as `e` or `a` —
    /// or, for a word of [`MIN_NEAR_WORD`] letters or more, a word one
    /// letter off it (SPEC §16.5: "banna" and "bena" find "Bənna").
    /// Ranked by [`Rank`]: the exact code first, then titles that start
    /// with the words as typed, then titles holding every word as typed,
    /// then the rest (a word one letter off); each tier in (code, title)
    /// order. Returns one page (`offset`, `limit`) and the number of
    /// matches.
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
        let by_code = code_given.then(|| self.with_code(&code.map(code_search_prefixes).unwrap_or_default()));
        // Entries matching every word as typed, and those matching every
        // word as typed or one letter off. The word naming the fewest
        // entries goes first; once few entries are left, their titles are
        // read instead of the next word's lists.
        let mut typed: Vec<(usize, Typed<'_>)> =
            words.iter().map(|w| (self.count_with_word(w), Typed::new(w))).collect();
        typed.sort_by_key(|(count, _)| *count);
        // `None`: no word asked, every entry.
        let (mut as_typed, mut matched): (Option<Vec<u32>>, Option<Vec<u32>>) = (None, by_code);
        for (count, w) in &typed {
            if let Some(m) = &matched {
                if m.len().saturating_mul(READ_TITLES_BELOW) < *count {
                    let (m, t) = self.read_titles(m, as_typed.as_deref(), w);
                    (matched, as_typed) = (Some(m), Some(t));
                    continue;
                }
            }
            let hits = self.with_word(w.word);
            let near = self.near_word(w);
            let any = if near.is_empty() { hits.clone() } else { union([hits.as_slice(), near.as_slice()]) };
            as_typed = Some(match as_typed {
                None => hits,
                Some(m) => intersect(&m, &hits),
            });
            matched = Some(match matched {
                None => any,
                Some(m) => intersect(&m, &any),
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
        let mut tiers: [Vec<&IndexedOccupation>; 4] = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        for &p in positions {
            let Some(e) = self.entries.get(p as usize) else {
                continue;
            };
            let starts = |form: &str| !phrase.is_empty() && form.starts_with(&phrase);
            let rank = if exact.as_ref().is_some_and(|c| c.as_str() == e.code) {
                Rank::ExactCode
            } else if starts(&e.folded) || e.folded_a.as_deref().is_some_and(starts) {
                Rank::TitleStart
            } else if as_typed.as_ref().is_none_or(|t| t.binary_search(&p).is_ok()) {
                Rank::Words
            } else {
                Rank::Near
            };
            tiers[rank as usize].push(e);
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

    #[test]
    fn a_title_typed_with_a_or_e_for_schwa_or_one_letter_off_is_found() {
        let ix = index();
        // The guideline's own spellings (SPEC §16.5) and the other slips.
        for q in ["banna", "bena", "bəna", "Bennna", "benna", "BƏNNA", "bana", "beanna", "banna xarici", "bena suvaq"]
        {
            assert_eq!(codes_of(ix.search(None, Some(q), 0, 10)), vec!["7123 Bənna, xarici suvaq"], "{q}");
        }
        assert_eq!(codes_of(ix.search(None, Some("ipakcilik"), 0, 10)), vec!["6123 Fermer, ipəkçilik"]);
        assert_eq!(codes_of(ix.search(None, Some("xarci suvag"), 0, 10)), vec!["7123 Bənna, xarici suvaq"]);
        // Two letters off is another word.
        assert_eq!(ix.search(None, Some("bxnna"), 0, 10).1, 1, "one wrong letter");
        assert_eq!(ix.search(None, Some("bxnnx"), 0, 10).1, 0);
        assert_eq!(ix.search(None, Some("bnnaa"), 0, 10).1, 0, "two letters moved is two edits");
    }

    #[test]
    fn short_words_and_numbers_are_never_taken_one_letter_off() {
        let ix = OccupationIndex::build(
            [("7123", "Bənna"), ("7123", "Bar işçisi"), ("9999", "Sahə 4321"), ("9999", "Sahə 4320")]
                .map(|(c, t)| (c.to_owned(), t.to_owned())),
        );
        assert_eq!(codes_of(ix.search(None, Some("bar"), 0, 10)), vec!["7123 Bar işçisi"], "3 letters: as typed only");
        assert_eq!(codes_of(ix.search(None, Some("sahe 4321"), 0, 10)), vec!["9999 Sahə 4321"]);
        assert_eq!(codes_of(ix.search(None, Some("saha 432"), 0, 10)).len(), 2, "a number is still a prefix");
    }

    #[test]
    fn as_typed_ranks_before_one_letter_off() {
        let ix = OccupationIndex::build(
            [("7123", "Bənna, xarici suvaq"), ("3312", "Banka işçisi"), ("3312", "Kassir, banka")]
                .map(|(c, t)| (c.to_owned(), t.to_owned())),
        );
        // "banna" is "bənna" typed with a; "banka" is one letter off it.
        assert_eq!(
            codes_of(ix.search(None, Some("banna"), 0, 10)),
            vec!["7123 Bənna, xarici suvaq", "3312 Banka işçisi", "3312 Kassir, banka"]
        );
        // "banka" as typed: the title that starts with it, the one holding
        // it, then the one letter off.
        assert_eq!(
            codes_of(ix.search(None, Some("banka"), 0, 10)),
            vec!["3312 Banka işçisi", "3312 Kassir, banka", "7123 Bənna, xarici suvaq"]
        );
        let (page, total) = ix.search(None, Some("banka"), 1, 1);
        assert_eq!((page.len(), total), (1, 3), "pages run over the ranked list");
        assert_eq!(page[0].title, "Kassir, banka");
    }

    #[test]
    fn few_matches_left_are_checked_on_their_titles_by_the_same_rules() {
        let rows = (0..100).map(|i| ("9999".to_owned(), format!("Usta, sahə {i}")));
        let ix = OccupationIndex::build(rows.chain([("0001".to_owned(), "Ustx, sahə 17".to_owned())]));
        // "17" names two entries, "usta" and "sahə" a hundred: the hundred
        // are not gathered; the two titles are read, by the same rules.
        let titles =
            |q: &str| -> Vec<String> { ix.search(None, Some(q), 0, 10).0.iter().map(|e| e.title.clone()).collect() };
        assert_eq!(titles("17 usta"), ["Usta, sahə 17", "Ustx, sahə 17"], "as typed before one letter off");
        assert_eq!(titles("17 saha usta"), ["Usta, sahə 17", "Ustx, sahə 17"]);
        assert_eq!(titles("17 ustx"), ["Ustx, sahə 17", "Usta, sahə 17"]);
        assert!(titles("17 usta xxxxx").is_empty(), "every word must match");
        assert_eq!(titles("17 ust"), ["Ustx, sahə 17", "Usta, sahə 17"], "both as typed: in code order");
        assert_eq!(ix.search(None, Some("usta sahe 1"), 0, 100).1, 12, "1, 10–19, and Ustx 17");
        assert_eq!(ix.search(Some("9999"), Some("17 ustx"), 0, 10).1, 1, "within a code too");
        assert_eq!(ix.search(Some("0001"), Some("17 usta"), 0, 10).1, 1);
    }

    #[test]
    fn one_edit_means_one_letter_missing_extra_or_wrong() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        for (a, b) in [("benna", "benna"), ("benna", "bena"), ("benna", "bennna"), ("benna", "banna"), ("a", "")] {
            assert!(within_one_edit(&c(a), &c(b)), "{a} / {b}");
            assert!(within_one_edit(&c(b), &c(a)), "{b} / {a}");
        }
        for (a, b) in [("benna", "bnnea"), ("benna", "ben"), ("benna", "bannaa"), ("ab", "ba")] {
            assert!(!within_one_edit(&c(a), &c(b)), "{a} / {b}");
        }
        assert_eq!(edit_distances(&c("kitten"), &c("sitting")), (2, 3), "\"sittin\" is two off");
        assert_eq!(edit_distances(&c(""), &c("abc")), (0, 3));
        assert_eq!(edit_distances(&c("banna"), &c("benna,xarici suvaq")), (1, 14));
    }

    #[test]
    fn a_title_matches_its_code_folded_and_the_classification_spelling_is_kept() {
        let titles: Vec<String> = ["Bənna, xarici suvaq", "Bənna, daxili suvaq", "Suvaqçı"].map(String::from).into();
        for typed in ["Benna, xarici suvaq", "BENNA, XARİCİ SUVAQ", "bənna ,xarici  suvaq"] {
            assert_eq!(classified_title(&titles, typed), Ok("Bənna, xarici suvaq"), "{typed}");
        }
        assert_eq!(classified_title(&titles, "suvaqci"), Ok("Suvaqçı"));
        // A mismatch names the nearest title of the code.
        assert_eq!(classified_title(&titles, "Banna, daxili"), Err(Some("Bənna, daxili suvaq")));
        assert_eq!(classified_title(&titles, "Benna xarici suvaq"), Err(Some("Bənna, xarici suvaq")));
        assert_eq!(classified_title(&[], "x"), Err(None));
        // Two titles that fold alike: the one equal but for case wins.
        let twins: Vec<String> = ["Usta", "Üsta"].map(String::from).into();
        assert_eq!(classified_title(&twins, "ÜSTA"), Ok("Üsta"));
        assert_eq!(classified_title(&twins, "usta"), Ok("Usta"));
        assert_eq!(classified_title(&titles, "Banna"), Err(Some("Bənna, daxili suvaq")), "equally near: title order");
        let code = OccupationCode::parse("7123").unwrap();
        let e = check_title("lines[0].occupation_title", &code, &titles, "Banna, xarici").unwrap_err();
        assert_eq!(e.code.as_str(), "occupation_title_mismatch");
        assert_eq!(e.params.get("expected").map(String::as_str), Some("Bənna, xarici suvaq"));
        assert_eq!(e.params.get("code").map(String::as_str), Some("7123"));
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
