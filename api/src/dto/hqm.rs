//! Bodies of the Highly Qualified Migrant resources (SPEC §14.6).

use super::common::*;
use domain::hqm::applicant::certificate_valid_on;
use domain::hqm::applicant::{CefrLevel, EducationLevel};
use domain::hqm::application::is_overdue;
use domain::hqm::application::{HqmStatus, Outcome};
use domain::hqm::criteria::{Authority, Criterion};
use domain::hqm::documents::DocumentKind;
use domain::time::baku_date;
use domain::Lang;
use persistence::hqm::{ApplicationRecord, ApplicationRow, DocumentRow, HistoryRow};

fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// An application as sent is the domain's input type (its limits are its
/// fields' types).
pub use domain::hqm::applicant::{
    ApplicantInput as HqmApplicantInput, ApplicationInput as HqmApplicationInput,
    CertificateInput as HqmCertificateInput, EducationInput as HqmEducationInput, FieldInput as HqmFieldInput,
};

/// The applicant as stored (SPEC §14.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmApplicant {
    #[schema(example = "Ayşe")]
    pub given_name: String,
    #[schema(example = "Yılmaz")]
    pub surname: String,
    #[schema(example = "TR")]
    pub citizenship: String,
    pub date_of_birth: NaiveDate,
    #[schema(example = "U12345678")]
    pub passport_number: String,
    #[schema(example = "ayse.yilmaz@example.com")]
    pub email: String,
}

/// The field of expertise as stored: the classification's own spelling.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmField {
    #[schema(example = "2512")]
    pub occupation_code: String,
    #[schema(example = "Software developers")]
    pub occupation_title: String,
}

/// The highest education as stated (SPEC §14.2, §16.4.6).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmEducation {
    pub level: EducationLevel,
    pub institution: String,
    /// The language of study, ISO 639-1; `az`, `tr`, `en` or `ru` count for
    /// language skills.
    #[schema(example = "en")]
    pub study_language: Option<String>,
    /// The degree or title.
    #[schema(example = "MSc in Computer Engineering")]
    pub degree: Option<String>,
    /// The institution's country, ISO 3166-1 alpha-2.
    #[schema(example = "TR")]
    pub country: Option<String>,
    /// Whether the programme is accredited.
    pub accredited: Option<bool>,
}

/// A language certificate (SPEC §14.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmCertificate {
    pub name: String,
    pub level: CefrLevel,
    pub expires_on: Option<NaiveDate>,
    /// Not expired on the submission date (on today, for a draft):
    /// `false` for one that had expired (SPEC §16.4.6).
    pub valid: bool,
}

/// One criterion's current score (SPEC §14.3).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmScore {
    pub criterion: Criterion,
    pub authority: Authority,
    #[schema(example = 30)]
    pub points: i32,
    #[schema(example = 35)]
    pub max_points: u32,
    pub justification: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub scored_at: DateTime<Utc>,
}

/// An objection standing (SPEC §14.6).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmObjection {
    pub id: String,
    pub authority: Authority,
    pub reason: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub at: DateTime<Utc>,
}

/// The decision, in short (the signed document is `GET …/decision`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmDecisionSummary {
    #[schema(example = "HQM-2026-000001")]
    pub number: String,
    pub outcome: Outcome,
    #[serde(serialize_with = "domain::time::instant")]
    pub decided_at: DateTime<Utc>,
    /// Decided after the review deadline (SPEC §14.4).
    pub late: bool,
}

/// An uploaded document (SPEC §14.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmDocument {
    pub id: String,
    pub kind: DocumentKind,
    /// As recognised from the bytes.
    #[schema(example = "application/pdf")]
    pub content_type: String,
    #[schema(example = "passport.pdf")]
    pub filename: String,
    #[schema(example = 48213)]
    pub size: i64,
    /// SHA-256 of the bytes, hex.
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub uploaded_at: DateTime<Utc>,
    /// Added while the application was under review, on an officer's
    /// request; `uploaded_at` is when. Never altered (SPEC §16.4.1).
    pub added_after_submission: bool,
}

/// An officer's request for documents (SPEC §16.4.1): while the
/// application is under review the applicant may add documents of these
/// kinds until the review deadline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmDocumentRequest {
    pub id: String,
    pub kinds: Vec<DocumentKind>,
    #[schema(example = "Send the diploma with its apostille.")]
    pub reason: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub requested_at: DateTime<Utc>,
}

impl From<&DocumentRow> for HqmDocument {
    fn from(d: &DocumentRow) -> Self {
        HqmDocument {
            id: d.id.clone(),
            kind: d.kind,
            content_type: d.content_type.as_str().to_owned(),
            filename: d.filename.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            uploaded_at: utc(d.uploaded_at),
            added_after_submission: d.added_after_submission,
        }
    }
}

/// A Highly Qualified Migrant application (SPEC §14.6).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmApplication {
    pub id: String,
    /// The human-facing number.
    #[schema(example = 1)]
    pub number: i64,
    pub status: HqmStatus,
    pub language: Lang,
    pub applicant: HqmApplicant,
    pub field: HqmField,
    pub experience_years: Option<i32>,
    pub experience_summary: Option<String>,
    pub education: Option<HqmEducation>,
    pub language_certificates: Vec<HqmCertificate>,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// The last day of the review (Baku time), 20 business days after submission.
    pub review_deadline: Option<NaiveDate>,
    /// The review deadline is provisional: its count reached a year whose
    /// holiday list is not published yet, counted over weekends and the
    /// fixed-date holidays of Labour Code Art. 105. It is counted again when
    /// the list is published (SPEC §16.4.4).
    pub review_deadline_provisional: bool,
    /// Under review with the deadline passed.
    pub overdue: bool,
    pub scores: Vec<HqmScore>,
    pub objections: Vec<HqmObjection>,
    /// Points given so far (of 100).
    pub total: i64,
    pub decision: Option<HqmDecisionSummary>,
    pub documents: Vec<HqmDocument>,
    /// The officers' requests for documents, oldest first (SPEC §16.4.1).
    pub document_requests: Vec<HqmDocumentRequest>,
}

fn overdue(row: &ApplicationRow, now: DateTime<Utc>) -> bool {
    row.status == HqmStatus::UnderReview && row.review_deadline.is_some_and(|d| is_overdue(d, now))
}

impl HqmApplication {
    pub fn new(rec: &ApplicationRecord, now: DateTime<Utc>) -> HqmApplication {
        let r = &rec.row;
        // Certificates are judged on the submission date (SPEC §16.4.6).
        let on = r.submitted_at.map_or_else(|| baku_date(now), |t| baku_date(t.and_utc()));
        HqmApplication {
            id: r.id.clone(),
            number: r.number,
            status: r.status,
            language: r.language,
            applicant: HqmApplicant {
                given_name: r.given_name.clone(),
                surname: r.surname.clone(),
                citizenship: r.citizenship.clone(),
                date_of_birth: r.date_of_birth,
                passport_number: r.passport_number.clone(),
                email: r.email.clone(),
            },
            field: HqmField {
                occupation_code: r.occupation_code.clone(),
                occupation_title: r.occupation_title.clone(),
            },
            experience_years: r.experience_years,
            experience_summary: r.experience_summary.clone(),
            education: match (&r.education_level, &r.education_institution) {
                (Some(level), Some(institution)) => Some(HqmEducation {
                    level: *level,
                    institution: institution.clone(),
                    study_language: r.education_study_language.clone(),
                    degree: r.education_degree.clone(),
                    country: r.education_country.clone(),
                    accredited: r.education_accredited,
                }),
                _ => None,
            },
            language_certificates: rec
                .certificates
                .iter()
                .map(|c| HqmCertificate {
                    name: c.name.clone(),
                    level: c.level,
                    expires_on: c.expires_on,
                    valid: certificate_valid_on(c.expires_on, on),
                })
                .collect(),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            submitted_at: r.submitted_at.map(utc),
            review_deadline: r.review_deadline,
            review_deadline_provisional: r.review_deadline_provisional,
            overdue: overdue(r, now),
            scores: rec
                .scores
                .iter()
                .map(|s| HqmScore {
                    criterion: s.criterion,
                    authority: s.authority,
                    points: s.points,
                    max_points: s.criterion.max_points(),
                    justification: s.justification.clone(),
                    scored_at: utc(s.scored_at),
                })
                .collect(),
            objections: rec
                .objections
                .iter()
                .map(|o| HqmObjection {
                    id: o.id.clone(),
                    authority: o.authority,
                    reason: o.reason.clone(),
                    at: utc(o.raised_at),
                })
                .collect(),
            total: rec.scores.iter().map(|s| i64::from(s.points)).sum(),
            decision: rec.decision.as_ref().map(|d| HqmDecisionSummary {
                number: d.number.clone(),
                outcome: d.outcome,
                decided_at: utc(d.decided_at),
                late: d.late,
            }),
            documents: rec.documents.iter().map(HqmDocument::from).collect(),
            document_requests: rec
                .requests
                .iter()
                .map(|q| HqmDocumentRequest {
                    id: q.id.clone(),
                    kinds: q.kinds.clone(),
                    reason: q.reason.clone(),
                    requested_at: utc(q.requested_at),
                })
                .collect(),
        }
    }
}

/// The applicant, in a list row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmApplicantName {
    pub given_name: String,
    pub surname: String,
    pub citizenship: String,
}

/// A row of the applications list and the assessors' queues (SPEC §14.6).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmApplicationSummary {
    pub id: String,
    pub number: i64,
    pub status: HqmStatus,
    pub language: Lang,
    pub applicant: HqmApplicantName,
    pub field: HqmField,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub submitted_at: Option<DateTime<Utc>>,
    pub review_deadline: Option<NaiveDate>,
    /// Counted into a year whose holiday list is not published yet (SPEC §16.4.4).
    pub review_deadline_provisional: bool,
    pub overdue: bool,
    /// Points given so far.
    pub total: i64,
    /// Criteria scored so far, of 6.
    pub scored: i64,
    /// Objections standing.
    pub objections: i64,
}

impl HqmApplicationSummary {
    pub fn new(r: &ApplicationRow, points: &[(String, i32)], objections: &[String], now: DateTime<Utc>) -> Self {
        let mine = points.iter().filter(|(id, _)| *id == r.id);
        HqmApplicationSummary {
            id: r.id.clone(),
            number: r.number,
            status: r.status,
            language: r.language,
            applicant: HqmApplicantName {
                given_name: r.given_name.clone(),
                surname: r.surname.clone(),
                citizenship: r.citizenship.clone(),
            },
            field: HqmField {
                occupation_code: r.occupation_code.clone(),
                occupation_title: r.occupation_title.clone(),
            },
            submitted_at: r.submitted_at.map(utc),
            review_deadline: r.review_deadline,
            review_deadline_provisional: r.review_deadline_provisional,
            overdue: overdue(r, now),
            total: mine.clone().map(|(_, p)| i64::from(*p)).sum(),
            scored: i64::try_from(mine.count()).unwrap_or(0),
            objections: i64::try_from(objections.iter().filter(|id| **id == r.id).count()).unwrap_or(0),
        }
    }
}

/// A score given by the criterion's authority (SPEC §14.3).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"points": 30, "justification": "Twelve years as a lead engineer in payments; two patents."}))]
pub struct HqmScoreInput {
    /// A whole number from 0 to the criterion's maximum (35, 20, 15, 15, 10, 5).
    #[schema(inline)]
    pub points: Number<0, { domain::hqm::criteria::MAX_CRITERION_POINTS }>,
    #[schema(inline)]
    pub justification: Text<1, { domain::hqm::criteria::MAX_JUSTIFICATION as u64 }>,
}

/// A reason: of an objection, or of an extension of the review.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "The diploma is to be verified with the issuing university."}))]
pub struct HqmReasonInput {
    #[schema(inline)]
    pub reason: Text<1, { domain::hqm::application::MAX_REASON as u64 }>,
}

/// The kinds a request for documents names.
pub type RequestedKinds =
    domain::value::List<domain::hqm::documents::DocumentKindText, { domain::hqm::documents::MAX_REQUESTED_KINDS }>;

/// An officer's request for documents (SPEC §16.4.1).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Send the diploma with its apostille and a bank statement of the past year.", "kinds": ["qualification", "other"]}))]
pub struct HqmDocumentRequestInput {
    #[schema(inline)]
    pub reason: Text<1, { domain::hqm::application::MAX_REASON as u64 }>,
    /// The kinds of document asked for (at least one): `passport`,
    /// `qualification`, `income_statement`, `bank_statement`, `other`.
    #[schema(inline)]
    pub kinds: RequestedKinds,
}

/// One entry of an application's trail (SPEC §14.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmHistoryEntry {
    /// `create`, `edit`, `delete`, `upload_document`, `delete_document`, `submit`,
    /// `score`, `object`, `withdraw_objection`, `extend`, `request_documents`,
    /// `recount_deadline` (the holiday calendar changed), `decide`, `withdraw`.
    #[schema(example = "submit")]
    pub action: String,
    /// The `sub` of the token that acted.
    pub actor: String,
    pub role: Role,
    pub authority: Option<Authority>,
    pub criterion: Option<Criterion>,
    /// The status, points or deadline before (or `null`).
    #[schema(example = "draft")]
    pub before: Option<String>,
    /// The status, points, deadline or object after.
    #[schema(example = "under_review")]
    pub after: Option<String>,
    pub reason: Option<String>,
    #[serde(serialize_with = "domain::time::instant")]
    pub at: DateTime<Utc>,
}

impl From<&HistoryRow> for HqmHistoryEntry {
    fn from(h: &HistoryRow) -> Self {
        HqmHistoryEntry {
            action: h.action.clone(),
            actor: h.actor.clone(),
            role: h.role,
            authority: h.authority,
            criterion: h.criterion,
            before: h.value_before.clone(),
            after: h.value_after.clone(),
            reason: h.reason.clone(),
            at: utc(h.at),
        }
    }
}

/// An authority's title in the four languages of the service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HqmAuthorityTitles {
    #[schema(inline, example = "Azərbaycan Respublikasının İqtisadiyyat Nazirliyi")]
    pub az: Text<1, { domain::hqm::authorities::MAX_TITLE as u64 }>,
    #[schema(inline, example = "Ministry of Economy of the Republic of Azerbaijan")]
    pub en: Text<1, { domain::hqm::authorities::MAX_TITLE as u64 }>,
    #[schema(inline, example = "Министерство экономики Азербайджанской Республики")]
    pub ru: Text<1, { domain::hqm::authorities::MAX_TITLE as u64 }>,
    #[schema(inline, example = "Azerbaycan Cumhuriyeti Ekonomi Bakanlığı")]
    pub tr: Text<1, { domain::hqm::authorities::MAX_TITLE as u64 }>,
}

impl From<HqmAuthorityTitles> for domain::hqm::authorities::Titles {
    fn from(t: HqmAuthorityTitles) -> Self {
        domain::hqm::authorities::Titles {
            az: t.az.into_string(),
            en: t.en.into_string(),
            ru: t.ru.into_string(),
            tr: t.tr.into_string(),
        }
    }
}

/// A scoring authority's contact as admin sets it (SPEC §16.4.2).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "hqm@economy.gov.az", "titles": {
    "az": "Azərbaycan Respublikasının İqtisadiyyat Nazirliyi",
    "en": "Ministry of Economy of the Republic of Azerbaijan",
    "ru": "Министерство экономики Азербайджанской Республики",
    "tr": "Azerbaycan Cumhuriyeti Ekonomi Bakanlığı"}}))]
pub struct HqmAuthorityInput {
    /// Where the authority is told of its queue and reminded.
    #[schema(inline)]
    pub email: domain::contact::EmailText,
    pub titles: HqmAuthorityTitles,
}

/// A scoring authority's contact (SPEC §16.4.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmAuthority {
    pub code: Authority,
    #[schema(example = "hqm@economy.gov.az")]
    pub email: String,
    pub titles: domain::hqm::authorities::Titles,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<&persistence::hqm::AuthorityRow> for HqmAuthority {
    fn from(r: &persistence::hqm::AuthorityRow) -> Self {
        HqmAuthority {
            code: r.code,
            email: r.email.clone(),
            titles: domain::hqm::authorities::Titles {
                az: r.title_az.clone(),
                en: r.title_en.clone(),
                ru: r.title_ru.clone(),
                tr: r.title_tr.clone(),
            },
            updated_at: utc(r.updated_at),
        }
    }
}

/// The authorities' contacts set so far.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmAuthorities {
    pub items: Vec<HqmAuthority>,
}

/// An ISCO-08 sub-major group: two digits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IscoGroupShape;

impl domain::value::Shape for IscoGroupShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        "^[0-9]{2}$".into()
    }

    fn min() -> u64 {
        2
    }

    fn max() -> u64 {
        2
    }
}

/// The ISCO-08 sub-major groups of a sectoral body.
pub type IscoGroups = List<domain::value::Shaped<IscoGroupShape>, { domain::hqm::sectors::MAX_GROUPS }>;

/// A sectoral body as admin sets it (SPEC §16.4.5).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"titles": {
    "az": "Azərbaycan Respublikasının Rəqəmsal İnkişaf və Nəqliyyat Nazirliyi",
    "en": "Ministry of Digital Development and Transport of the Republic of Azerbaijan",
    "ru": "Министерство цифрового развития и транспорта Азербайджанской Республики",
    "tr": "Azerbaycan Cumhuriyeti Dijital Kalkınma ve Ulaştırma Bakanlığı"},
    "isco_groups": ["25", "35"], "default": false}))]
pub struct HqmSectorInput {
    pub titles: HqmAuthorityTitles,
    /// The ISCO-08 sub-major groups of the body's field (two digits each),
    /// none claimed by another body; may be empty for the default body.
    #[schema(inline)]
    pub isco_groups: IscoGroups,
    /// The body for fields no body claims (at most one; default `false`).
    #[serde(default)]
    pub default: Option<bool>,
}

/// A sectoral body (SPEC §16.4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmSector {
    #[schema(example = "digital")]
    pub code: String,
    pub titles: domain::hqm::authorities::Titles,
    #[schema(example = json!(["25", "35"]))]
    pub isco_groups: Vec<String>,
    pub default: bool,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<&persistence::hqm::SectorRow> for HqmSector {
    fn from(r: &persistence::hqm::SectorRow) -> Self {
        HqmSector {
            code: r.code.clone(),
            titles: domain::hqm::authorities::Titles {
                az: r.title_az.clone(),
                en: r.title_en.clone(),
                ru: r.title_ru.clone(),
                tr: r.title_tr.clone(),
            },
            isco_groups: r.sector().groups,
            default: r.is_default,
            updated_at: utc(r.updated_at),
        }
    }
}

/// The sectoral bodies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmSectors {
    pub items: Vec<HqmSector>,
}
