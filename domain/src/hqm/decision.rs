//! The decision document (SPEC §14.5): what it says, in the application's
//! language and in Azerbaijani. Signing it is the API's work; the content and
//! its wording are rules, so they live here.

use super::application::Outcome;
use super::criteria::{Authority, Criterion, THRESHOLD};
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

/// Whether `s` has the form of a decision number (see [`decision_number`]).
pub fn is_decision_number(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 15
        && s.len() <= 30
        && s.starts_with("HQM-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// The applicant as the document names them (SPEC §14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionApplicant {
    pub given_name: String,
    pub surname: String,
    pub citizenship: String,
    pub date_of_birth: NaiveDate,
    pub passport_number: String,
}

/// The field of expertise (SPEC §14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionField {
    pub occupation_code: String,
    pub occupation_title: String,
}

/// One criterion's score as the document shows it (SPEC §14.5: the six
/// scores with their authorities). A criterion not scored (a refusal on an
/// objection) has `points: null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionScore {
    pub criterion: Criterion,
    pub authority: Authority,
    pub points: Option<u32>,
    pub max_points: u32,
    pub justification: Option<String>,
}

/// An objection standing at the decision (SPEC §14.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionObjection {
    pub authority: Authority,
    pub reason: String,
}

/// The document's words in one language (SPEC §14.5: in the application's
/// language and in Azerbaijani).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub decided_at: DateTime<Utc>,
    /// The decision's date in Baku.
    pub decided_on: NaiveDate,
    pub review_deadline: NaiveDate,
    /// Decided after the review deadline (SPEC §14.4).
    pub late: bool,
    pub texts: Vec<DecisionText>,
}

/// The title and statement of a decision in `lang` (SPEC §14.5).
pub fn wording(lang: Lang, outcome: Outcome, total: u32, objections: usize) -> (String, String) {
    use Lang::*;
    let title = match lang {
        Az => "Yüksək ixtisaslı miqrant hesab olunma barədə qərar",
        Tr => "Yüksek nitelikli göçmen sayılmaya ilişkin karar",
        En => "Decision on recognition as a Highly Qualified Migrant",
        Ru => "Решение о признании высококвалифицированным мигрантом",
    };
    let statement = match (lang, outcome) {
        (Az, Outcome::Recognised) => format!(
            "Ərizəçi {total} bal toplamışdır (tələb olunan {THRESHOLD}) və heç bir etiraz olmamışdır: şəxs yüksək ixtisaslı miqrant hesab olunur."
        ),
        (Tr, Outcome::Recognised) => format!(
            "Başvuru sahibi {total} puan almıştır (gerekli {THRESHOLD}) ve hiçbir itiraz yoktur: kişi yüksek nitelikli göçmen sayılır."
        ),
        (En, Outcome::Recognised) => format!(
            "The applicant scored {total} points (required: {THRESHOLD}) and no objection was raised: the person is recognised as a Highly Qualified Migrant."
        ),
        (Ru, Outcome::Recognised) => format!(
            "Заявитель набрал {total} баллов (требуется {THRESHOLD}), возражений нет: лицо признаётся высококвалифицированным мигрантом."
        ),
        (Az, Outcome::Refused) if objections > 0 => {
            format!("Dövlət orqanlarının etirazı ({objections}) olduğuna görə şəxs yüksək ixtisaslı miqrant hesab olunmur.")
        }
        (Tr, Outcome::Refused) if objections > 0 => {
            format!("Devlet kurumlarının itirazı ({objections}) nedeniyle kişi yüksek nitelikli göçmen sayılmaz.")
        }
        (En, Outcome::Refused) if objections > 0 => format!(
            "An objection of a state body stands ({objections}): the person is not recognised as a Highly Qualified Migrant."
        ),
        (Ru, Outcome::Refused) if objections > 0 => format!(
            "Имеются возражения государственных органов ({objections}): лицо не признаётся высококвалифицированным мигрантом."
        ),
        (Az, Outcome::Refused) => format!(
            "Ərizəçi {total} bal toplamışdır (tələb olunan {THRESHOLD}): şəxs yüksək ixtisaslı miqrant hesab olunmur."
        ),
        (Tr, Outcome::Refused) => {
            format!("Başvuru sahibi {total} puan almıştır (gerekli {THRESHOLD}): kişi yüksek nitelikli göçmen sayılmaz.")
        }
        (En, Outcome::Refused) => format!(
            "The applicant scored {total} points (required: {THRESHOLD}): the person is not recognised as a Highly Qualified Migrant."
        ),
        (Ru, Outcome::Refused) => format!(
            "Заявитель набрал {total} баллов (требуется {THRESHOLD}): лицо не признаётся высококвалифицированным мигрантом."
        ),
    };
    (title.to_owned(), statement)
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
            let (title, statement) = wording(l, outcome, total, objections);
            DecisionText {
                language: l,
                title,
                statement,
                criteria: Criterion::ALL.iter().map(|c| c.title(l).to_owned()).collect(),
                authorities: Criterion::ALL.iter().map(|c| c.authority().title(l).to_owned()).collect(),
            }
        })
        .collect()
}

/// Labels of the printable copy in `lang` (SPEC §14.5): number, date,
/// applicant, citizenship, date of birth, passport, field, criterion,
/// authority, points, total, objections, outcome, verification code, review
/// deadline.
pub fn labels(lang: Lang) -> [&'static str; 15] {
    use Lang::*;
    match lang {
        Az => [
            "Nömrə",
            "Tarix",
            "Ərizəçi",
            "Vətəndaşlıq",
            "Doğum tarixi",
            "Pasport",
            "İxtisas sahəsi",
            "Meyar",
            "Qiymətləndirən orqan",
            "Bal",
            "Cəmi",
            "Etirazlar",
            "Nəticə",
            "Yoxlama kodu",
            "Baxılma müddəti",
        ],
        Tr => [
            "Numara",
            "Tarih",
            "Başvuru sahibi",
            "Vatandaşlık",
            "Doğum tarihi",
            "Pasaport",
            "Uzmanlık alanı",
            "Kriter",
            "Değerlendiren kurum",
            "Puan",
            "Toplam",
            "İtirazlar",
            "Sonuç",
            "Doğrulama kodu",
            "İnceleme süresi",
        ],
        En => [
            "Number",
            "Date",
            "Applicant",
            "Citizenship",
            "Date of birth",
            "Passport",
            "Field of expertise",
            "Criterion",
            "Authority",
            "Points",
            "Total",
            "Objections",
            "Outcome",
            "Verification code",
            "Review deadline",
        ],
        Ru => [
            "Номер",
            "Дата",
            "Заявитель",
            "Гражданство",
            "Дата рождения",
            "Паспорт",
            "Область специализации",
            "Критерий",
            "Орган",
            "Баллы",
            "Итого",
            "Возражения",
            "Результат",
            "Код проверки",
            "Срок рассмотрения",
        ],
    }
}

/// The outcome's name in `lang` (SPEC §14.5).
pub fn outcome_name(lang: Lang, outcome: Outcome) -> &'static str {
    use Lang::*;
    match (lang, outcome) {
        (Az, Outcome::Recognised) => "Yüksək ixtisaslı miqrant hesab olunur",
        (Az, Outcome::Refused) => "Yüksək ixtisaslı miqrant hesab olunmur",
        (Tr, Outcome::Recognised) => "Yüksek nitelikli göçmen sayılır",
        (Tr, Outcome::Refused) => "Yüksek nitelikli göçmen sayılmaz",
        (En, Outcome::Recognised) => "Recognised as a Highly Qualified Migrant",
        (En, Outcome::Refused) => "Not recognised as a Highly Qualified Migrant",
        (Ru, Outcome::Recognised) => "Признан высококвалифицированным мигрантом",
        (Ru, Outcome::Refused) => "Не признан высококвалифицированным мигрантом",
    }
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
                assert!(!outcome_name(l, o).is_empty());
                assert!(labels(l).iter().all(|s| !s.is_empty()));
            }
        }
    }
}
