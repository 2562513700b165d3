//! Bodies of the HQM decision document, its check, the criteria and the
//! holiday calendar (SPEC §14.3–§14.6).

use super::common::*;
use super::hqm::HqmApplicantName;
use persistence::hqm::DecisionRow;

/// How the document is signed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmSignature {
    #[schema(example = "Ed25519")]
    pub algorithm: String,
    /// Names the key (see `GET /api/v1/hqm-decisions/public-key`).
    #[schema(example = "3f2a9c0d1e4b5a69")]
    pub key_id: String,
    /// How `content` is turned into the signed bytes.
    #[schema(example = "RFC 8785 (JSON Canonicalization Scheme), UTF-8")]
    pub canonicalization: String,
    /// The signature, base64.
    pub value: String,
}

/// The signed decision document (SPEC §14.5): `content` is what is signed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmDecisionDocument {
    #[schema(example = "HQM-2026-000001")]
    pub number: String,
    /// With the number, checks the document at `GET /api/v1/hqm-decisions/{number}?code=`.
    #[schema(example = "K7MZ2QWP9XRT")]
    pub verification_code: String,
    /// Number, applicant, field, the six scores with authorities, total,
    /// objections, outcome, date, and the words in the application's
    /// language and in Azerbaijani.
    /// Served as stored and signed (so kept as JSON, not re-serialised).
    #[schema(value_type = domain::hqm::decision::DecisionContent)]
    pub content: serde_json::Value,
    pub signature: HqmSignature,
}

impl HqmDecisionDocument {
    pub fn new(d: &DecisionRow) -> HqmDecisionDocument {
        HqmDecisionDocument {
            number: d.number.clone(),
            verification_code: d.verification_code.clone(),
            content: serde_json::from_str(&d.content).unwrap_or(serde_json::Value::Null),
            signature: HqmSignature {
                algorithm: application::signing::ALGORITHM.to_owned(),
                key_id: d.key_id.clone(),
                canonicalization: "RFC 8785 (JSON Canonicalization Scheme), UTF-8".to_owned(),
                value: d.signature.clone(),
            },
        }
    }
}

/// What the public check of a decision answers (SPEC §14.6).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmDecisionCheck {
    #[schema(example = "HQM-2026-000001")]
    pub number: String,
    /// The stored document's signature verifies with the service's key.
    pub valid: bool,
    pub outcome: domain::hqm::application::Outcome,
    #[schema(example = 82)]
    pub total: i32,
    #[serde(serialize_with = "domain::time::instant")]
    pub decided_at: DateTime<Utc>,
    pub applicant: HqmApplicantName,
}

/// An Ed25519 public key as a JWK (RFC 8037).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmJwk {
    #[schema(example = "OKP")]
    pub kty: String,
    #[schema(example = "Ed25519")]
    pub crv: String,
    /// The 32-byte key, base64url.
    pub x: String,
    pub kid: String,
    #[schema(example = "sig")]
    pub r#use: String,
    #[schema(example = "EdDSA")]
    pub alg: String,
}

/// The key that signs decision documents, to check them offline (SPEC §14.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmPublicKey {
    #[schema(example = "Ed25519")]
    pub algorithm: String,
    pub key_id: String,
    /// SubjectPublicKeyInfo, PEM.
    pub pem: String,
    pub jwk: HqmJwk,
}

/// One criterion of SPEC §14.3, with its titles in az, en, ru and tr.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmCriterion {
    #[schema(example = "work_experience")]
    pub code: String,
    #[schema(example = 35)]
    pub max_points: u32,
    #[schema(example = "sectoral")]
    pub authority: String,
    /// The criterion's title in az, en, ru and tr.
    pub titles: domain::hqm::authorities::Titles,
    /// The authority's name in az, en, ru and tr.
    pub authority_titles: domain::hqm::authorities::Titles,
}

/// The criteria table (SPEC §14.3).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HqmCriteria {
    pub criteria: Vec<HqmCriterion>,
    #[schema(example = 100)]
    pub max_total: u32,
    #[schema(example = 70)]
    pub threshold: u32,
}

/// One non-working day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayDay {
    #[serde(deserialize_with = "crate::extract::date")]
    #[schema(value_type = String, format = Date, example = "2026-01-01")]
    pub date: NaiveDate,
    #[schema(inline)]
    pub name: Text<1, { domain::hqm::holidays::MAX_HOLIDAY_NAME as u64 }>,
}

/// The days of a year's list as sent: at most [`domain::hqm::holidays::MAX_DAYS`].
pub type HolidayDays = List<HolidayDay, { domain::hqm::holidays::MAX_DAYS }>;

/// A year's non-working days other than Saturday and Sunday, transfers included (SPEC §14.4).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2026, "days": [
    {"date": "2026-01-01", "name": "Yeni il bayramı"}, {"date": "2026-01-02", "name": "Yeni il bayramı"},
    {"date": "2026-03-09", "name": "Beynəlxalq Qadınlar Günü (köçürülmüş istirahət günü)"}
]}))]
pub struct HolidayYearInput {
    #[schema(inline)]
    pub year: Number<{ domain::hqm::holidays::MIN_YEAR as i64 }, { domain::hqm::holidays::MAX_YEAR as i64 }>,
    #[schema(inline)]
    pub days: HolidayDays,
}

/// A year's holiday calendar as kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolidayYear {
    #[schema(example = 2026)]
    pub year: i32,
    pub days: Vec<HolidayDay>,
    /// `built_in` (shipped with the product) or `admin`.
    #[schema(example = "built_in")]
    pub source: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
}
