//! The sectoral bodies (SPEC §16.4.5): the state body in charge of a field
//! scores `work_experience` (seed 002, criterion 1), so each body claims the
//! ISCO-08 sub-major groups (two digits) of its field, and one body, marked
//! default, answers for fields no body claims.

use super::authorities::{check_titles, Titles};
use crate::error::{FieldCode, FieldError, ValidationErrors};

/// Longest code of a sectoral body (SPEC §16.4.5 names no limit).
pub const MAX_CODE: usize = 50;
/// Most ISCO-08 groups one body claims: there are 43 sub-major groups.
pub const MAX_GROUPS: usize = 43;

/// Whether `code` may name a sectoral body: 1–50 lower-case Latin letters,
/// digits, `-` and `_`, starting with a letter or digit (it is a path
/// segment and a token claim, SPEC §16.4.5).
pub fn is_code(code: &str) -> bool {
    (1..=MAX_CODE).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && code.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

/// A sectoral body as kept (SPEC §16.4.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sector {
    pub code: String,
    /// Two-digit ISCO-08 sub-major groups, sorted, each once.
    pub groups: Vec<String>,
    /// Answers for fields no body claims.
    pub default: bool,
}

/// A body as `admin` sends it, checked (SPEC §16.4.5: `{"titles",
/// "isco_groups"}`): the titles as an authority's; each group two digits
/// (`isco_groups[i]`, `isco_group_format`), none claimed by another body of
/// `others` (`isco_group_claimed`, naming it in `by`); at most
/// [`MAX_GROUPS`]. A group named twice counts once; the groups are returned
/// sorted. A body may claim no group (the default body, say).
pub fn check_sector(
    code: &str,
    titles: &Titles,
    groups: &[&str],
    others: &[Sector],
) -> Result<(Titles, Vec<String>), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    let titles = check_titles(&mut errs, titles);
    if groups.len() > MAX_GROUPS {
        errs.push(FieldError::new("isco_groups", FieldCode::TooMany).with("max", MAX_GROUPS));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, g) in groups.iter().enumerate().take(MAX_GROUPS) {
        let g = g.trim();
        if g.len() != 2 || !g.bytes().all(|b| b.is_ascii_digit()) {
            errs.push(FieldError::new(format!("isco_groups[{i}]"), FieldCode::IscoGroupFormat));
            continue;
        }
        if let Some(by) = others.iter().find(|o| o.code != code && o.groups.iter().any(|x| x == g)) {
            errs.push(FieldError::new(format!("isco_groups[{i}]"), FieldCode::IscoGroupClaimed).with("by", &by.code));
            continue;
        }
        if !out.iter().any(|x| x == g) {
            out.push(g.to_owned());
        }
    }
    out.sort();
    match titles {
        Some(titles) if errs.is_empty() => Ok((titles, out)),
        _ => Err(errs),
    }
}

/// The body in charge of a field (an occupation code, SPEC §14.2): the one
/// claiming its sub-major group (its first two digits), else the default
/// body; `None` when neither exists (SPEC §16.4.5).
pub fn body_of<'a>(occupation_code: &str, sectors: &'a [Sector]) -> Option<&'a Sector> {
    let group = occupation_code.get(..2)?;
    sectors.iter().find(|s| s.groups.iter().any(|g| g == group)).or_else(|| sectors.iter().find(|s| s.default))
}

/// The body a `sectoral` assessor acts for: its token's `sector` claim, or
/// without one the default body (SPEC §16.4.5).
pub fn assessor_body<'a>(claim: Option<&'a str>, sectors: &'a [Sector]) -> Option<&'a str> {
    claim.or_else(|| sectors.iter().find(|s| s.default).map(|s| s.code.as_str()))
}

/// Whether a `sectoral` assessor with the claim `claim` may score
/// `work_experience` of an application in the field `occupation_code`
/// (SPEC §16.4.5). While `admin` keeps no body, or when no body (not even a
/// default) answers for the field, any sectoral official may, so that no
/// application is left without a scorer.
pub fn may_score(claim: Option<&str>, occupation_code: &str, sectors: &[Sector]) -> Result<(), String> {
    let Some(body) = body_of(occupation_code, sectors) else { return Ok(()) };
    if assessor_body(claim, sectors) == Some(body.code.as_str()) {
        Ok(())
    } else {
        Err(body.code.clone())
    }
}

/// Which fields a `sectoral` assessor's queue holds (SPEC §16.4.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueFields {
    /// Every field (no body is kept).
    All,
    /// Fields in these sub-major groups only (a body that is not the default).
    Only(Vec<String>),
    /// Every field except these sub-major groups, claimed by other bodies
    /// (the default body, which also answers for unclaimed fields).
    AllBut(Vec<String>),
}

/// The fields of the queue of a `sectoral` assessor with the claim `claim`
/// (SPEC §16.4.5), matching [`may_score`].
pub fn queue_fields(claim: Option<&str>, sectors: &[Sector]) -> QueueFields {
    if sectors.is_empty() {
        return QueueFields::All;
    }
    // No claim and no default body: the fields no body claims.
    let Some(mine) = assessor_body(claim, sectors) else {
        return QueueFields::AllBut(sectors.iter().flat_map(|o| o.groups.iter().cloned()).collect());
    };
    match sectors.iter().find(|s| s.code == mine) {
        Some(s) if s.default => QueueFields::AllBut(
            sectors.iter().filter(|o| o.code != s.code).flat_map(|o| o.groups.iter().cloned()).collect(),
        ),
        Some(s) => QueueFields::Only(s.groups.clone()),
        // A claim naming no body kept: nothing is its field.
        None => QueueFields::Only(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sector(code: &str, groups: &[&str], default: bool) -> Sector {
        Sector { code: code.into(), groups: groups.iter().map(|g| (*g).to_owned()).collect(), default }
    }

    fn bodies() -> Vec<Sector> {
        vec![sector("ict", &["25", "35"], false), sector("health", &["22", "32"], false), sector("general", &[], true)]
    }

    fn titles() -> Titles {
        Titles {
            az: "Rəqəmsal İnkişaf".into(),
            en: "Digital Development".into(),
            ru: "Цифровое развитие".into(),
            tr: "Dijital".into(),
        }
    }

    #[test]
    fn codes_are_path_segments() {
        assert!(is_code("ict") && is_code("health-2") && is_code("a_b"));
        assert!(!is_code("") && !is_code("ICT") && !is_code("-x") && !is_code("a b") && !is_code(&"a".repeat(51)));
    }

    #[test]
    fn a_body_claims_two_digit_groups_no_other_body_claims() {
        let (_, groups) = check_sector("ict", &titles(), &["35", "25", "25"], &bodies()).unwrap();
        assert_eq!(groups, ["25", "35"]);
        let errs = check_sector("edu", &titles(), &["23", "251", "22"], &bodies()).unwrap_err();
        let got: Vec<(&str, &str)> = errs.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("isco_groups[1]", "isco_group_format"), ("isco_groups[2]", "isco_group_claimed")]);
        assert_eq!(errs.0[1].params.get("by").map(String::as_str), Some("health"));
    }

    #[test]
    fn the_field_decides_the_body_and_the_default_answers_for_the_rest() {
        let s = bodies();
        assert_eq!(body_of("2512", &s).map(|b| b.code.as_str()), Some("ict"));
        assert_eq!(body_of("2211", &s).map(|b| b.code.as_str()), Some("health"));
        assert_eq!(body_of("7112", &s).map(|b| b.code.as_str()), Some("general"));
        assert_eq!(may_score(Some("ict"), "2512", &s), Ok(()));
        assert_eq!(may_score(Some("ict"), "2211", &s), Err("health".into()));
        assert_eq!(may_score(None, "7112", &s), Ok(()), "no claim: the default body");
        assert_eq!(may_score(None, "2512", &s), Err("ict".into()));
        assert_eq!(may_score(Some("ict"), "2512", &[]), Ok(()), "no bodies kept: anyone sectoral");
        let no_default = &s[..2];
        assert_eq!(may_score(Some("ict"), "7112", no_default), Ok(()), "a field no body answers for");
    }

    #[test]
    fn the_queue_holds_the_body_s_fields() {
        let s = bodies();
        assert_eq!(queue_fields(Some("ict"), &s), QueueFields::Only(vec!["25".into(), "35".into()]));
        assert_eq!(
            queue_fields(None, &s),
            QueueFields::AllBut(vec!["25".into(), "35".into(), "22".into(), "32".into()])
        );
        assert_eq!(queue_fields(Some("nobody"), &s), QueueFields::Only(vec![]));
        assert_eq!(queue_fields(Some("ict"), &[]), QueueFields::All);
    }
}
