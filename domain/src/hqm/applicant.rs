//! The applicant's data of an HQM application (SPEC §14.2): who applies,
//! in which field, with what education and language certificates, checked
//! all at once so a form is corrected in one round trip.

use crate::error::{FieldCode, FieldError, ValidationErrors};
use crate::value::{Date, List, Number, OneOf, Shaped, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Citizenship of an applicant: an ISO 3166-1 alpha-2 code (two upper-case
/// letters; checked for form, not against the list of countries) or
/// `stateless` (SPEC §14.2; seed 002: foreigners and stateless persons).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Citizenship(String);

/// The value of a stateless applicant's citizenship (SPEC §14.2).
pub const STATELESS: &str = "stateless";

impl Citizenship {
    /// Reads `XX` (two ASCII upper-case letters) or `stateless`, exactly as
    /// written once trimmed (SPEC §14.2).
    pub fn parse(s: &str) -> Option<Citizenship> {
        let s = s.trim();
        let alpha2 = s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
        (alpha2 || s == STATELESS).then(|| Citizenship(s.to_owned()))
    }

    /// The code as stored: `XX` or `stateless` (SPEC §14.2).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the applicant is a stateless person (seed 002).
    pub fn is_stateless(&self) -> bool {
        self.0 == STATELESS
    }
}

/// A passport number as printed: 6 to 12 Latin letters and digits with at
/// least one digit, stored upper-case without the spaces and hyphens people
/// type inside it (SPEC §14.2). ICAO Doc 9303 gives the number nine
/// characters in the machine-readable zone and lets a longer one overflow,
/// so twelve leaves room without accepting free text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PassportNumber(String);

/// Fewest characters of a passport number (see [`PassportNumber`]; SPEC §14.2
/// gives no pattern).
pub const MIN_PASSPORT: usize = 6;
/// Most characters of a passport number (see [`PassportNumber`]).
pub const MAX_PASSPORT: usize = 12;

impl PassportNumber {
    /// Reads a passport number as typed (SPEC §14.2); `None` when its form is wrong.
    pub fn parse(s: &str) -> Option<PassportNumber> {
        let n: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect::<String>().to_ascii_uppercase();
        let ok = (MIN_PASSPORT..=MAX_PASSPORT).contains(&n.len())
            && n.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && n.bytes().any(|b| b.is_ascii_digit());
        ok.then_some(PassportNumber(n))
    }

    /// The number as stored: upper case, no spaces or hyphens (SPEC §14.2).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::wire_codes! {
    /// The applicant's highest education (SPEC §14.6: the body's `level`).
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(rename_all = "snake_case"))]
    pub enum EducationLevel("education level") {
        Secondary => "secondary",
        Bachelor => "bachelor",
        Master => "master",
        Doctorate => "doctorate",
    }
}

crate::wire_codes! {
    /// A level of the Common European Framework of Reference for languages
    /// (SPEC §14.2: certificates carry one), ordered from A1 to C2 so that
    /// "at least B2" (seed 002, criterion 6) is `level >= CefrLevel::B2`.
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum CefrLevel("CEFR level") {
        A1 => "A1",
        A2 => "A2",
        B1 => "B1",
        B2 => "B2",
        C1 => "C1",
        C2 => "C2",
    }
}

/// Age of majority in Azerbaijan (Civil Code): an applicant must be an adult
/// (SPEC §14.2).
pub const ADULT_AGE: i32 = 18;
/// No date of birth before this is accepted: a typo, not an applicant
/// (SPEC §14.2 asks only for a past date of an adult).
pub const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);
/// Declared experience in the field, in whole years (SPEC §14.2: 0–60).
pub const MAX_EXPERIENCE_YEARS: i64 = 60;
/// Longest experience summary, in characters (SPEC §14.2).
pub const MAX_SUMMARY: usize = 4_000;
/// Longest given name or surname (SPEC §14.2 names no limit; as a forecast's
/// person names).
pub const MAX_NAME: usize = 100;
/// Longest name of an educational institution (SPEC §14.2 names no limit).
pub const MAX_INSTITUTION: usize = 300;
/// Longest name of a language certificate (SPEC §14.2 names no limit).
pub const MAX_CERTIFICATE_NAME: usize = 100;
/// Most language certificates on one application (SPEC §14.2 names no
/// limit; a bound keeps a body's size in check).
pub const MAX_CERTIFICATES: usize = 10;
/// Longest occupation title as typed (as for forecast lines, SPEC §14.2).
pub const MAX_OCCUPATION_TITLE: usize = 300;

/// Longest passport number as typed, with the spaces and hyphens people put
/// inside it (the number itself is at most [`MAX_PASSPORT`]).
pub const MAX_PASSPORT_AS_TYPED: usize = 40;

/// The shape of a citizenship as sent: an ISO 3166-1 alpha-2 code or
/// `stateless` ([`Citizenship::parse`] reads it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CitizenshipShape;

impl crate::value::Shape for CitizenshipShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^([A-Z]{{2}}|{STATELESS})$").into()
    }

    fn min() -> u64 {
        2
    }

    fn max() -> u64 {
        STATELESS.len() as u64
    }
}

/// A citizenship as sent.
pub type CitizenshipText = Shaped<CitizenshipShape>;
/// An application's language as sent: `az`, `tr`, `en` or `ru`.
pub type LanguageText = Shaped<OneOf<crate::lang::Lang>>;
/// An education level as sent.
pub type EducationLevelText = Shaped<OneOf<EducationLevel>>;
/// A CEFR level as sent.
pub type CefrLevelText = Shaped<OneOf<CefrLevel>>;
/// The language certificates as sent: at most [`MAX_CERTIFICATES`].
pub type Certificates = List<CertificateInput, MAX_CERTIFICATES>;

/// The applicant's person as sent (SPEC §14.2, §14.6 `applicant`). Every
/// field is required; one left out or blank is named (`required`) with the
/// others' errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmApplicantInput))]
pub struct ApplicantInput {
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "Ayşe"))]
    pub given_name: Option<Text<1, { MAX_NAME as u64 }>>,
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "Yılmaz"))]
    pub surname: Option<Text<1, { MAX_NAME as u64 }>>,
    /// ISO 3166-1 alpha-2 code (not `AZ`), or `stateless`.
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "TR"))]
    pub citizenship: Option<CitizenshipText>,
    /// An adult, born in the past.
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "1985-04-02"))]
    pub date_of_birth: Option<Date>,
    /// 6–12 Latin letters and digits (spaces and hyphens are dropped).
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "U12345678"))]
    pub passport_number: Option<Text<1, { MAX_PASSPORT_AS_TYPED as u64 }>>,
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "ayse.yilmaz@example.com"))]
    pub email: Option<Text<1, { crate::contact::MAX_EMAIL as u64 }>>,
}

/// The field of expertise as sent: an occupation of the classification
/// (SPEC §14.2, §6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmFieldInput))]
pub struct FieldInput {
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "2512"))]
    pub occupation_code: Option<crate::occupation::CodeText>,
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "Software developers"))]
    pub occupation_title: Option<Text<1, { MAX_OCCUPATION_TITLE as u64 }>>,
}

/// The highest education as sent (SPEC §14.6 `education`; SPEC §16.4.6:
/// the language of study, the degree, the institution's country and the
/// programme's accreditation, each optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmEducationInput))]
pub struct EducationInput {
    /// `secondary`, `bachelor`, `master` or `doctorate`.
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "master"))]
    pub level: Option<EducationLevelText>,
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "Middle East Technical University"))]
    pub institution: Option<Text<1, { MAX_INSTITUTION as u64 }>>,
    /// The language the programme was taught in, ISO 639-1 (two lower-case
    /// letters). Studies in `az`, `tr`, `en` or `ru` count for language skills.
    #[cfg_attr(feature = "openapi", schema(inline, example = "en"))]
    pub study_language: Option<StudyLanguageText>,
    /// The degree or title awarded.
    #[cfg_attr(feature = "openapi", schema(inline, example = "MSc in Computer Engineering"))]
    pub degree: Option<Text<1, { MAX_DEGREE as u64 }>>,
    /// The institution's country, ISO 3166-1 alpha-2.
    #[cfg_attr(feature = "openapi", schema(inline, example = "TR"))]
    pub country: Option<CountryText>,
    /// Whether the programme is accredited.
    #[cfg_attr(feature = "openapi", schema(example = true))]
    pub accredited: Option<bool>,
}

/// Longest degree or title (SPEC §16.4.6 names no limit).
pub const MAX_DEGREE: usize = 200;

/// The languages of study that count for criterion 6 without a certificate
/// (seed 002; SPEC §14.3, §16.4.6: studies in az, tr, en or ru).
pub const STUDY_LANGUAGES: [&str; 4] = ["az", "tr", "en", "ru"];

/// The shape of a language of study: ISO 639-1, two lower-case letters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StudyLanguageShape;

impl crate::value::Shape for StudyLanguageShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        "^[a-z]{2}$".into()
    }

    fn min() -> u64 {
        2
    }

    fn max() -> u64 {
        2
    }
}

/// The shape of a country: ISO 3166-1 alpha-2, two upper-case letters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CountryShape;

impl crate::value::Shape for CountryShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        "^[A-Z]{2}$".into()
    }

    fn min() -> u64 {
        2
    }

    fn max() -> u64 {
        2
    }
}

/// A language of study as sent.
pub type StudyLanguageText = Shaped<StudyLanguageShape>;
/// A country as sent.
pub type CountryText = Shaped<CountryShape>;

/// One language certificate as sent (SPEC §14.6 `language_certificates`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmCertificateInput))]
pub struct CertificateInput {
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "IELTS"))]
    pub name: Option<Text<1, { MAX_CERTIFICATE_NAME as u64 }>>,
    /// A CEFR level, `A1` to `C2`.
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "C1"))]
    pub level: Option<CefrLevelText>,
    #[cfg_attr(feature = "openapi", schema(inline, example = "2027-05-01"))]
    pub expires_on: Option<Date>,
}

/// Create or replace an application (SPEC §14.6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = HqmApplicationInput, example = json!({
    "language": "en",
    "applicant": {"given_name": "Ayşe", "surname": "Yılmaz", "citizenship": "TR", "date_of_birth": "1985-04-02",
        "passport_number": "U12345678", "email": "ayse.yilmaz@example.com"},
    "field": {"occupation_code": "2512", "occupation_title": "Software developers"},
    "experience_years": 12,
    "experience_summary": "Twelve years building payment systems; led a team of eight.",
    "education": {"level": "master", "institution": "Middle East Technical University", "study_language": "en",
        "degree": "MSc in Computer Engineering", "country": "TR", "accredited": true},
    "language_certificates": [{"name": "IELTS", "level": "C1", "expires_on": "2027-05-01"}]
})))]
pub struct ApplicationInput {
    /// `az`, `tr`, `en` or `ru`: the language of the decision and e-mails.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline, required = true, example = "en"))]
    pub language: Option<LanguageText>,
    pub applicant: ApplicantInput,
    pub field: FieldInput,
    /// Years of experience in the field, 0–60.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub experience_years: Option<Number<0, { MAX_EXPERIENCE_YEARS }>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub experience_summary: Option<Text<0, { MAX_SUMMARY as u64 }>>,
    #[serde(default)]
    pub education: Option<EducationInput>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub language_certificates: Certificates,
}

/// A validated applicant (SPEC §14.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub given_name: String,
    pub surname: String,
    pub citizenship: Citizenship,
    pub date_of_birth: NaiveDate,
    pub passport_number: PassportNumber,
    pub email: String,
}

/// A validated field of expertise: the title is the classification's own
/// spelling (SPEC §14.2: code and title as for forecast lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expertise {
    pub occupation_code: crate::occupation::OccupationCode,
    pub occupation_title: String,
}

/// A validated highest education (SPEC §14.2, §16.4.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Education {
    pub level: EducationLevel,
    pub institution: String,
    /// ISO 639-1, lower case.
    pub study_language: Option<String>,
    pub degree: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub accredited: Option<bool>,
}

impl Education {
    /// Whether the language of study counts for criterion 6 (seed 002;
    /// SPEC §16.4.6: az, tr, en or ru).
    pub fn studied_in_a_counted_language(&self) -> bool {
        self.study_language.as_deref().is_some_and(|l| STUDY_LANGUAGES.contains(&l))
    }
}

/// A validated language certificate (SPEC §14.2); a certificate without an
/// expiry does not expire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageCertificate {
    pub name: String,
    pub level: CefrLevel,
    pub expires_on: Option<NaiveDate>,
}

impl LanguageCertificate {
    /// Valid on `date` and at least B2: what criterion 6 looks for (seed 002).
    pub fn counts_on(&self, date: NaiveDate) -> bool {
        self.level >= CefrLevel::B2 && certificate_valid_on(self.expires_on, date)
    }
}

/// Whether a certificate expiring on `expires_on` (none: it does not expire)
/// is valid on `date`, its expiry day included (SPEC §16.4.6: one that has
/// expired on the submission date is shown `valid: false`).
pub fn certificate_valid_on(expires_on: Option<NaiveDate>, date: NaiveDate) -> bool {
    expires_on.is_none_or(|e| e >= date)
}

/// A validated application's data (SPEC §14.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationData {
    pub language: crate::lang::Lang,
    pub applicant: Applicant,
    pub field: Expertise,
    pub experience_years: Option<u8>,
    pub experience_summary: Option<String>,
    pub education: Option<Education>,
    pub language_certificates: Vec<LanguageCertificate>,
}

/// What else a validation needs to know, looked up beforehand by the caller
/// (the domain does no I/O, SPEC §2).
pub struct DataContext<'a> {
    /// Today in Baku: the applicant must be an adult on it.
    pub today: NaiveDate,
    /// Occupation code → its current titles, for each code the input names
    /// (as [`crate::forecast::KnownEntries::occupations`]).
    pub occupations: &'a std::collections::HashMap<String, Vec<String>>,
}

/// Completed years of age on `today` of a person born on `born` (SPEC §14.2:
/// an adult): a birthday on 29 February is reached on 1 March in common years.
pub fn age_on(born: NaiveDate, today: NaiveDate) -> i32 {
    use chrono::Datelike;
    let before_birthday = (today.month(), today.day()) < (born.month(), born.day());
    today.year() - born.year() - i32::from(before_birthday)
}

fn required_text(errs: &mut ValidationErrors, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    crate::text::required(field, raw.unwrap_or(""), max).map_err(|e| errs.push(e)).ok()
}

fn required_value<'s>(errs: &mut ValidationErrors, field: &str, raw: Option<&'s str>) -> Option<&'s str> {
    match raw.map(str::trim) {
        Some(s) if !s.is_empty() => Some(s),
        _ => {
            errs.push(FieldError::new(field, FieldCode::Required));
            None
        }
    }
}

fn validate_applicant(errs: &mut ValidationErrors, a: &ApplicantInput, today: NaiveDate) -> Option<Applicant> {
    let given_name = required_text(errs, "applicant.given_name", a.given_name.as_deref(), MAX_NAME);
    let surname = required_text(errs, "applicant.surname", a.surname.as_deref(), MAX_NAME);

    let citizenship = required_value(errs, "applicant.citizenship", a.citizenship.as_deref()).and_then(|s| {
        match Citizenship::parse(s) {
            // The programme is for foreigners and stateless persons (seed 002).
            Some(c) if c.as_str() == "AZ" => {
                errs.push(FieldError::new("applicant.citizenship", FieldCode::CitizenshipAzerbaijan));
                None
            }
            Some(c) => Some(c),
            None => {
                errs.push(FieldError::new("applicant.citizenship", FieldCode::CitizenshipFormat));
                None
            }
        }
    });

    let date_of_birth = match a.date_of_birth.map(Date::get) {
        None => {
            errs.push(FieldError::new("applicant.date_of_birth", FieldCode::Required));
            None
        }
        Some(born) => {
            let earliest = NaiveDate::from_ymd_opt(EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2);
            if born >= today {
                errs.push(FieldError::new("applicant.date_of_birth", FieldCode::InFuture).with("today", today));
                None
            } else if earliest.is_some_and(|e| born < e) {
                let min = earliest.map(|e| e.to_string()).unwrap_or_default();
                errs.push(FieldError::new("applicant.date_of_birth", FieldCode::OutOfRange).with("min", min));
                None
            } else if age_on(born, today) < ADULT_AGE {
                errs.push(FieldError::new("applicant.date_of_birth", FieldCode::NotAdult).with("min_age", ADULT_AGE));
                None
            } else {
                Some(born)
            }
        }
    };

    let passport_number =
        required_value(errs, "applicant.passport_number", a.passport_number.as_deref()).and_then(|s| {
            match PassportNumber::parse(s) {
                Some(p) => Some(p),
                None => {
                    errs.push(
                        FieldError::new("applicant.passport_number", FieldCode::PassportNumberFormat)
                            .with("min", MIN_PASSPORT)
                            .with("max", MAX_PASSPORT),
                    );
                    None
                }
            }
        });

    let email = required_value(errs, "applicant.email", a.email.as_deref()).and_then(|s| {
        crate::contact::check_email(s)
            .map_err(|e| errs.push(FieldError { field: "applicant.email".into(), code: e.code, params: e.params }))
            .ok()
    });

    Some(Applicant {
        given_name: given_name?,
        surname: surname?,
        citizenship: citizenship?,
        date_of_birth: date_of_birth?,
        passport_number: passport_number?,
        email: email?,
    })
}

fn validate_field(
    errs: &mut ValidationErrors,
    f: &FieldInput,
    occupations: &std::collections::HashMap<String, Vec<String>>,
) -> Option<Expertise> {
    let title_typed =
        required_text(errs, "field.occupation_title", f.occupation_title.as_deref(), MAX_OCCUPATION_TITLE);
    let raw_code = required_value(errs, "field.occupation_code", f.occupation_code.as_deref())?;
    let Some(code) = crate::occupation::OccupationCode::parse(raw_code) else {
        errs.push(FieldError::new("field.occupation_code", FieldCode::OccupationCodeFormat));
        return None;
    };
    let Some(titles) = occupations.get(code.as_str()) else {
        errs.push(FieldError::new("field.occupation_code", FieldCode::OccupationUnknown).with("code", &code));
        return None;
    };
    let typed = title_typed?;
    // As for forecast lines (SPEC §14.2, §16.5).
    match crate::occupation::check_title("field.occupation_title", &code, titles, &typed) {
        Ok(title) => Some(Expertise { occupation_code: code, occupation_title: title }),
        Err(e) => {
            errs.push(e);
            None
        }
    }
}

fn validate_certificate(errs: &mut ValidationErrors, i: usize, c: &CertificateInput) -> Option<LanguageCertificate> {
    let field = |f: &str| format!("language_certificates[{i}].{f}");
    let name = required_text(errs, &field("name"), c.name.as_deref(), MAX_CERTIFICATE_NAME);
    let level = required_value(errs, &field("level"), c.level.as_deref()).and_then(|s| match CefrLevel::parse(s) {
        Some(l) => Some(l),
        None => {
            errs.push(FieldError::new(field("level"), FieldCode::CefrLevelUnknown));
            None
        }
    });
    Some(LanguageCertificate { name: name?, level: level?, expires_on: c.expires_on.map(Date::get) })
}

/// Validates the data of an HQM application as created or replaced
/// (SPEC §14.2, §14.6), collecting every error: the starred fields are
/// required; the language one of az, tr, en, ru (`language_unsupported`);
/// citizenship `XX` or `stateless` (`citizenship_format`), and not
/// Azerbaijani (`citizenship_azerbaijan`: the programme is for foreigners and
/// stateless persons, seed 002); the date of birth in the past (`in_future`),
/// not before 1900 (`out_of_range`), of an adult on `today` (`not_adult`);
/// the passport number's form (`passport_number_format`); the e-mail
/// (`email_format`, `length`); the field of expertise a code and title of the
/// classification (`occupation_code_format`, `occupation_unknown`,
/// `occupation_title_mismatch`, as for forecast lines); experience 0–60 years
/// (`out_of_range`); the summary at most 4,000 characters (`length`);
/// education with a known level (`education_level_unknown`) and an
/// institution; at most [`MAX_CERTIFICATES`] certificates (`too_many`), each
/// named with a CEFR level A1–C2 (`cefr_level_unknown`).
pub fn validate_application(
    input: &ApplicationInput,
    ctx: &DataContext<'_>,
) -> Result<ApplicationData, ValidationErrors> {
    let mut errs = ValidationErrors::default();

    let language = required_value(&mut errs, "language", input.language.as_deref()).and_then(|s| {
        let l = crate::lang::Lang::parse(s);
        if l.is_none() {
            errs.push(FieldError::new("language", FieldCode::LanguageUnsupported).with("allowed", "az, tr, en, ru"));
        }
        l
    });
    let applicant = validate_applicant(&mut errs, &input.applicant, ctx.today);
    let field = validate_field(&mut errs, &input.field, ctx.occupations);

    let experience_years = match input.experience_years.map(Number::get) {
        None => Some(None),
        Some(y) => match u8::try_from(y) {
            Ok(y) if i64::from(y) <= MAX_EXPERIENCE_YEARS => Some(Some(y)),
            _ => {
                errs.push(
                    FieldError::new("experience_years", FieldCode::OutOfRange)
                        .with("min", 0)
                        .with("max", MAX_EXPERIENCE_YEARS),
                );
                None
            }
        },
    };
    let experience_summary =
        super::text_block("experience_summary", input.experience_summary.as_deref().unwrap_or(""), MAX_SUMMARY, false)
            .map_err(|e| errs.push(e))
            .ok();

    let education = match &input.education {
        None => Some(None),
        Some(e) => {
            let level = required_value(&mut errs, "education.level", e.level.as_deref()).and_then(|s| {
                let l = EducationLevel::parse(s);
                if l.is_none() {
                    errs.push(FieldError::new("education.level", FieldCode::EducationLevelUnknown));
                }
                l
            });
            let institution =
                required_text(&mut errs, "education.institution", e.institution.as_deref(), MAX_INSTITUTION);
            let study_language = match e.study_language.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(l) if l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase()) => Some(Some(l.to_owned())),
                Some(_) => {
                    errs.push(FieldError::new("education.study_language", FieldCode::LanguageCodeFormat));
                    None
                }
            };
            let country = match e.country.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => Some(Some(c.to_owned())),
                Some(_) => {
                    errs.push(FieldError::new("education.country", FieldCode::CountryFormat));
                    None
                }
            };
            let degree = match e.degree.as_deref() {
                None => Some(None),
                Some(d) if d.trim().is_empty() => Some(None),
                Some(d) => {
                    crate::text::required("education.degree", d, MAX_DEGREE).map_err(|x| errs.push(x)).ok().map(Some)
                }
            };
            match (level, institution, study_language, country, degree) {
                (Some(level), Some(institution), Some(study_language), Some(country), Some(degree)) => {
                    Some(Some(Education {
                        level,
                        institution,
                        study_language,
                        degree,
                        country,
                        accredited: e.accredited,
                    }))
                }
                _ => None,
            }
        }
    };

    let mut certificates = Vec::with_capacity(input.language_certificates.len().min(MAX_CERTIFICATES));
    if input.language_certificates.len() > MAX_CERTIFICATES {
        errs.push(FieldError::new("language_certificates", FieldCode::TooMany).with("max", MAX_CERTIFICATES));
    } else {
        for (i, c) in input.language_certificates.iter().enumerate() {
            if let Some(c) = validate_certificate(&mut errs, i, c) {
                certificates.push(c);
            }
        }
    }

    match (language, applicant, field, experience_years, experience_summary, education) {
        (
            Some(language),
            Some(applicant),
            Some(field),
            Some(experience_years),
            Some(experience_summary),
            Some(education),
        ) if errs.is_empty() => Ok(ApplicationData {
            language,
            applicant,
            field,
            experience_years,
            experience_summary,
            education,
            language_certificates: certificates,
        }),
        _ => Err(errs),
    }
}
