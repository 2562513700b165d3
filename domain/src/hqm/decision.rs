//! The decision document (SPEC §14.5): what it says, in the application's
//! language and in Azerbaijani. Signing it is the API's work; the content and
//! its wording are rules, so they live here.

use super::application::Outcome;
use super::criteria::{Authority, Criterion};
use crate::lang::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Letters of the verification code: no 0/O, 1/I/L, so it can be read off
/// paper and typed (SPEC §14.5: a verification code; its form is ours).
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters of a verification code: 12 of 31 letters, about 59 bits, too
/// many to guess at any rate the API allows.
pub const CODE_LENGTH: usize = 12;

/// The verification code made of `random` bytes, one letter of
/// [`CODE_ALPHABET`] per byte (SPEC §14.5). The caller supplies the
/// randomness (the domain does no I/O).
pub fn verification_code(random: &[u8; CODE_LENGTH]) -> String {
    random.iter().map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()])).collect()
}

/// The number of the decision on application `application_number`, decided
/// in Baku year `year`: `HQM-2026-000042` (SPEC §14.5 asks for a number; one
/// decision per application makes the application's number unique).
pub fn decision_number(year: i32, application_number: i64) -> String {
    format!("HQM-{year}-{application_number:06}")
}

/// The shortest decision number: `HQM-`, a year, `-` and six digits.
pub const MIN_DECISION_NUMBER: usize = 15;
/// The longest decision number read.
pub const MAX_DECISION_NUMBER: usize = 30;
/// The longest verification code read: a code is [`CODE_LENGTH`]
/// characters, and what is typed around it is forgiven up to this length.
pub const MAX_CODE_AS_TYPED: usize = 64;

/// A verification code as a check sends it.
pub type VerificationCodeText = crate::value::Text<1, { MAX_CODE_AS_TYPED as u64 }>;

/// The shape of a decision number (see [`decision_number`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DecisionNumberShape;

impl crate::value::Shape for DecisionNumberShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^HQM-[0-9]{{4}}-[0-9]{{6,{}}}$", MAX_DECISION_NUMBER - 9).into()
    }

    fn min() -> u64 {
        MIN_DECISION_NUMBER as u64
    }

    fn max() -> u64 {
        MAX_DECISION_NUMBER as u64
    }
}

/// A decision number as a path names it.
pub type DecisionNumberText = crate::value::Shaped<DecisionNumberShape>;

/// Whether `s` has the form of a decision number (see [`decision_number`]).
pub fn is_decision_number(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= MIN_DECISION_NUMBER
        && s.len() <= MAX_DECISION_NUMBER
        && s.starts_with("HQM-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// The applicant as the document names them (SPEC §14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmDecisionApplicant))]
pub struct DecisionApplicant {
    pub given_name: String,
    pub surname: String,
    pub citizenship: String,
    pub date_of_birth: NaiveDate,
    pub passport_number: String,
}

/// The field of expertise (SPEC §14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmDecisionField))]
pub struct DecisionField {
    pub occupation_code: String,
    pub occupation_title: String,
}

/// One criterion's score as the document shows it (SPEC §14.5: the six
/// scores with their authorities). A criterion not scored (a refusal on an
/// objection) has `points: null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmDecisionScore))]
pub struct DecisionScore {
    pub criterion: Criterion,
    pub authority: Authority,
    pub points: Option<u32>,
    pub max_points: u32,
    pub justification: Option<String>,
}

/// An objection standing at the decision (SPEC §14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmDecisionObjection))]
pub struct DecisionObjection {
    pub authority: Authority,
    pub reason: String,
}

/// The document's words in one language (SPEC §14.5: in the application's
/// language and in Azerbaijani).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmDecisionText))]
pub struct DecisionText {
    pub language: Lang,
    pub title: String,
    pub statement: String,
    /// Criterion titles, in the order of [`Criterion::ALL`].
    pub criteria: Vec<String>,
    /// Authority names, in the order of [`Criterion::ALL`].
    pub authorities: Vec<String>,
}

/// What the service signs (SPEC §14.5): number, applicant, field, the six
/// scores with authorities, total, objections, outcome, date, and the words
/// in the application's language and in Azerbaijani.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmDecisionContent))]
pub struct DecisionContent {
    pub number: String,
    pub application_id: String,
    pub language: Lang,
    pub applicant: DecisionApplicant,
    pub field: DecisionField,
    pub scores: Vec<DecisionScore>,
    pub total: u32,
    pub max_total: u32,
    pub threshold: u32,
    pub objections: Vec<DecisionObjection>,
    pub outcome: Outcome,
    #[serde(serialize_with = "crate::time::instant")]
    pub decided_at: DateTime<Utc>,
    /// The decision's date in Baku.
    pub decided_on: NaiveDate,
    pub review_deadline: NaiveDate,
    /// Decided after the review deadline (SPEC §14.4).
    pub late: bool,
    pub texts: Vec<DecisionText>,
}

/// The words of the document: the application's language first, then
/// Azerbaijani (once, when they are the same) (SPEC §14.5).
pub fn texts(lang: Lang, outcome: Outcome, total: u32, objections: usize) -> Vec<DecisionText> {
    let mut langs = vec![lang];
    if lang != Lang::Az {
        langs.push(Lang::Az);
    }
    langs
        .into_iter()
        .map(|l| {
            let (title, statement) = crate::messages::decision::wording(l, outcome, total, objections);
            DecisionText {
                language: l,
                title,
                statement,
                criteria: Criterion::ALL
                    .iter()
                    .map(|c| crate::messages::criteria::criterion(*c, l).to_owned())
                    .collect(),
                authorities: Criterion::ALL
                    .iter()
                    .map(|c| crate::messages::criteria::authority(c.authority(), l).to_owned())
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unambiguous_letters() {
        let code = verification_code(&[0, 1, 2, 30, 31, 255, 8, 9, 10, 11, 12, 13]);
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(&code[..3], "ABC");
    }

    #[test]
    fn numbers_carry_the_year_and_the_application() {
        let n = decision_number(2026, 42);
        assert_eq!(n, "HQM-2026-000042");
        assert!(is_decision_number(&n));
        assert!(is_decision_number(&decision_number(2027, 12_345_678)));
        for bad in ["HQM-26-000042", "hqm-2026-000042", "HQM-2026-00004x", "public-key", ""] {
            assert!(!is_decision_number(bad), "{bad}");
        }
    }

    #[test]
    fn the_text_is_in_the_application_language_and_in_azerbaijani() {
        let t = texts(Lang::Tr, Outcome::Recognised, 82, 0);
        assert_eq!(t.iter().map(|x| x.language).collect::<Vec<_>>(), [Lang::Tr, Lang::Az]);
        assert!(t[0].statement.contains("82") && t[0].statement.contains("70"));
        assert_eq!(t[1].criteria[2], "Təhsil");
        assert_eq!(texts(Lang::Az, Outcome::Refused, 69, 0).len(), 1);
        let objected = texts(Lang::En, Outcome::Refused, 100, 1);
        assert!(objected[0].statement.contains("objection"), "{}", objected[0].statement);
        for &l in Lang::ALL {
            for o in [Outcome::Recognised, Outcome::Refused] {
                assert!(!crate::messages::decision::outcome_name(l, o).is_empty());
                assert!(crate::messages::decision::labels(l).iter().all(|s| !s.is_empty()));
            }
        }
    }
}
