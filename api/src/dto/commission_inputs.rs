//! Bodies of the Commission's inputs besides the summary (SPEC §16.2).

use super::common::*;
use domain::commission_inputs::{Body, MeasureText, MAX_INPUT_ENTRIES, MAX_INPUT_NOTE};
use persistence::commission_inputs::{Figure, FrozenInput, InputRecord};

/// One figure of an input as sent: an economic activity (a NACE section or
/// division), what the figure means (a lower-case name such as
/// `jobseekers`, `unemployed`, `gdp_growth_percent`, `graduates`,
/// `demand_foreigners`), and the figure.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"economic_activity": "F", "measure": "gdp_growth_percent", "value": 4.5}))]
pub struct InputFigureInput {
    #[schema(inline)]
    pub economic_activity: Text<1, { domain::forecast::MAX_ACTIVITY_CODE }>,
    #[schema(inline)]
    pub measure: MeasureText,
    /// The figure: a count, an amount or a percentage, as `measure` says.
    #[schema(minimum = -1000000000000.0, maximum = 1000000000000.0)]
    pub value: f64,
}

/// The figures of an input as sent: at most [`MAX_INPUT_ENTRIES`].
pub type InputFigures = List<InputFigureInput, MAX_INPUT_ENTRIES>;

/// A body's input for a target year, replacing what it sent before.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"entries": [
    {"economic_activity": "F", "measure": "gdp_growth_percent", "value": 4.5},
    {"economic_activity": "41", "measure": "jobseekers", "value": 1200}],
    "note": "Forecast of June; the figures for section Q follow in August."}))]
pub struct CommissionInputInput {
    #[schema(inline)]
    pub entries: InputFigures,
    #[schema(inline)]
    pub note: Option<Text<0, { MAX_INPUT_NOTE as u64 }>>,
}

/// One figure of an input.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InputFigure {
    /// A NACE section or division, as sent.
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = "gdp_growth_percent")]
    pub measure: String,
    #[schema(example = 4.5)]
    pub value: f64,
}

impl From<&Figure> for InputFigure {
    fn from(f: &Figure) -> Self {
        InputFigure { economic_activity: f.economic_activity.clone(), measure: f.measure.clone(), value: f.value }
    }
}

/// One body's input for a target year, with when and by whom it was sent
/// first and last.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommissionInput {
    #[schema(example = 2027)]
    pub target_year: i32,
    pub body: Body,
    /// The `ETag`.
    pub version: i64,
    pub note: Option<String>,
    pub entries: Vec<InputFigure>,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    /// The `sub` of the contributor who sent it first.
    pub created_by: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
    /// The `sub` of the contributor who sent this version.
    pub updated_by: String,
    /// Files attached to it (PDF or XLSX), oldest first.
    pub files: Vec<InputFile>,
}

/// A file attached to an input: download it at
/// `/api/v1/commission-inputs/{year}/{body_code}/files/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InputFile {
    #[schema(example = "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69")]
    pub id: String,
    #[schema(example = "application/pdf")]
    pub content_type: String,
    #[schema(example = "labour-market-2027.pdf")]
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    #[serde(serialize_with = "domain::time::instant")]
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: String,
}

impl From<&persistence::commission_inputs::FileRow> for InputFile {
    fn from(f: &persistence::commission_inputs::FileRow) -> Self {
        InputFile {
            id: f.id.clone(),
            content_type: f.content_type.clone(),
            filename: f.filename.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            uploaded_at: f.uploaded_at.and_utc(),
            uploaded_by: f.uploaded_by.clone(),
        }
    }
}

impl From<&InputRecord> for CommissionInput {
    fn from(r: &InputRecord) -> Self {
        CommissionInput {
            target_year: r.row.target_year,
            body: r.row.body,
            version: r.row.version,
            note: r.row.note.clone(),
            entries: r.entries.iter().map(InputFigure::from).collect(),
            created_at: r.row.created_at.and_utc(),
            created_by: r.row.created_by.clone(),
            updated_at: r.row.updated_at.and_utc(),
            updated_by: r.row.updated_by.clone(),
            files: r.files.iter().map(InputFile::from).collect(),
        }
    }
}

/// The State Migration Service's own input, computed from the work permits
/// recorded (never typed): per NACE section, `work_permits_<year>` (counted
/// against the quota) and `exempt_work_permits_<year>`, for the previous
/// year and the current year to date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SmsInput {
    #[schema(example = 2025)]
    pub previous_year: i32,
    #[schema(example = 2026)]
    pub current_year: i32,
    /// Permits recorded up to this instant count: now, or the end of the
    /// Commission inputs deadline once it has passed.
    #[serde(serialize_with = "domain::time::instant")]
    pub counted_until: DateTime<Utc>,
    pub entries: Vec<InputFigure>,
}

impl From<&application::commission_inputs::SmsInput> for SmsInput {
    fn from(s: &application::commission_inputs::SmsInput) -> Self {
        SmsInput {
            previous_year: s.previous_year,
            current_year: s.current_year,
            counted_until: s.counted_until.and_utc(),
            entries: s.entries.iter().map(InputFigure::from).collect(),
        }
    }
}

/// Everything the Commission receives for a target year besides the
/// summary: each body's input that was sent, and the SMS's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommissionInputs {
    #[schema(example = 2027)]
    pub target_year: i32,
    /// The campaign's Commission inputs deadline (inclusive, Baku).
    pub deadline: NaiveDate,
    /// Whether bodies may still send their inputs.
    pub open: bool,
    /// The bodies' inputs, in the order labour, economy, education, socar;
    /// a body that has sent nothing is not listed.
    pub inputs: Vec<CommissionInput>,
    pub sms: SmsInput,
}

impl From<&application::commission_inputs::YearInputs> for CommissionInputs {
    fn from(y: &application::commission_inputs::YearInputs) -> Self {
        CommissionInputs {
            target_year: y.target_year,
            deadline: y.deadline,
            open: y.open,
            inputs: y.bodies.iter().map(CommissionInput::from).collect(),
            sms: SmsInput::from(&y.sms),
        }
    }
}

/// A figure of an input beside a plan's entry or in a snapshot: whose it
/// is (`labour`, `economy`, `education`, `socar`, or `sms` for the
/// computed one) and the figure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourcedFigure {
    #[schema(example = "economy")]
    pub body: String,
    #[serde(flatten)]
    pub figure: InputFigure,
}

/// An input as a snapshot froze it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FrozenCommissionInput {
    /// `labour`, `economy`, `education`, `socar`, or `sms`.
    #[schema(example = "labour")]
    pub body: String,
    /// The input's version then; 0 for the SMS's computed input.
    pub version: i64,
    pub note: Option<String>,
    /// When it was last sent (for the SMS's, when the snapshot was taken).
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub entries: Vec<InputFigure>,
}

impl From<&FrozenInput> for FrozenCommissionInput {
    fn from(f: &FrozenInput) -> Self {
        FrozenCommissionInput {
            body: f.body.clone(),
            version: f.version,
            note: f.note.clone(),
            updated_at: f.updated_at.and_utc(),
            updated_by: f.updated_by.clone(),
            entries: f.entries.iter().map(InputFigure::from).collect(),
        }
    }
}

/// One change of a body's input.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommissionInputChange {
    /// The version the change made.
    pub version: i64,
    /// The `sub` of the contributor.
    pub actor: String,
    pub role: Role,
    #[serde(serialize_with = "domain::time::instant")]
    pub at: DateTime<Utc>,
    /// How many figures the input held after it.
    pub entries: i32,
    pub note: Option<String>,
}

impl From<&persistence::commission_inputs::HistoryRow> for CommissionInputChange {
    fn from(h: &persistence::commission_inputs::HistoryRow) -> Self {
        CommissionInputChange {
            version: h.version,
            actor: h.actor.clone(),
            role: h.role,
            at: h.at.and_utc(),
            entries: h.entries,
            note: h.note.clone(),
        }
    }
}
