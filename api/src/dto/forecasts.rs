//! Bodies of the forecast resources (SPEC §4, §13).

use super::common::*;

/// The employer section and a line as sent are the domain's input types
/// (their limits are their fields' types).
pub use domain::filing::{ForecastReplace, NewForecastInput as ForecastCreate};
pub use domain::forecast::{EmployerInput as Employer, LineInput};

/// The employer section as stored with a forecast, in the shape it was sent.
fn employer_of(r: &ForecastRow) -> Employer {
    Employer {
        person_type: r.person_type,
        tin: r.tin.as_str().into(),
        organization_name: r.organization_name.as_deref().map(Into::into),
        legal_form: r.legal_form.as_deref().map(Into::into),
        name: r.name.as_deref().map(Into::into),
        surname: r.surname.as_deref().map(Into::into),
        patronymic: r.patronymic.as_deref().map(Into::into),
        legal_address: r.legal_address.as_str().into(),
        current_address: r.current_address.as_str().into(),
        workplace_address: r.workplace_address.as_str().into(),
        tin_issued_on: r.tin_issued_on.into(),
        employees_total: r.employees_total.into(),
        foreign_workers: r.foreign_workers.into(),
        economic_activity: r.economic_activity.as_str().into(),
    }
}

/// A stored forecast line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Line {
    pub id: String,
    #[schema(example = "7123")]
    pub occupation_code: String,
    #[schema(example = "Bənna, xarici suvaq")]
    pub occupation_title: String,
    #[schema(example = 3)]
    pub demand_total: i64,
    #[schema(example = 3)]
    pub demand_foreigners: i64,
    pub justification: String,
    pub quota_usage: QuotaUsage,
    pub note: Option<String>,
}

impl From<&LineRow> for Line {
    fn from(l: &LineRow) -> Self {
        Line {
            id: l.id.clone(),
            occupation_code: l.occupation_code.clone(),
            occupation_title: l.occupation_title.clone(),
            demand_total: l.demand_total,
            demand_foreigners: l.demand_foreigners,
            justification: l.justification.clone(),
            quota_usage: l.quota_usage,
            note: l.note.clone(),
        }
    }
}

/// A forecast with its lines (SPEC §13).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Forecast {
    #[schema(example = "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69")]
    pub id: String,
    /// The human-facing application number.
    #[schema(example = 17)]
    pub number: i64,
    #[schema(example = 2027)]
    pub target_year: i32,
    pub status: ForecastStatus,
    /// Increases with every change; the `ETag`.
    #[schema(example = 3)]
    pub version: i64,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// The latest reason from the Service to act on: a return's, or a
    /// rejection's once rejected.
    pub notification: Option<String>,
    /// While returned: the last day (Baku time, inclusive) to correct and
    /// resubmit — the later of the campaign's correction deadline and 10 days
    /// after the return, never after the Commission inputs deadline.
    #[schema(example = "2026-08-31")]
    pub correction_due: Option<NaiveDate>,
    /// The officer's note on acceptance ("Other notification").
    pub other_notification: Option<String>,
    pub employer: Employer,
    pub lines: Vec<Line>,
}

fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

impl From<&ForecastRecord> for Forecast {
    fn from(f: &ForecastRecord) -> Self {
        let r = &f.row;
        Forecast {
            id: r.id.clone(),
            number: r.number,
            target_year: r.target_year,
            status: r.status,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            submitted_at: r.submitted_at.map(utc),
            notification: r.notification.clone(),
            correction_due: r.correction_due,
            other_notification: r.other_notification.clone(),
            employer: employer_of(r),
            lines: f.lines.iter().map(Line::from).collect(),
        }
    }
}

/// One row of the applications list (SPEC §4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ForecastSummary {
    pub id: String,
    #[schema(example = 17)]
    pub number: i64,
    pub target_year: i32,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    pub person_type: PersonType,
    pub status: ForecastStatus,
    /// The latest return reason (a rejection's once rejected).
    pub notification: Option<String>,
    /// While returned: the last day to correct and resubmit.
    pub correction_due: Option<NaiveDate>,
    /// The officer's note on acceptance, beside `notification`.
    pub other_notification: Option<String>,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[schema(example = "1012345061")]
    pub tin: String,
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = 2)]
    pub line_count: i32,
    /// Foreigners demanded over all lines.
    #[schema(example = 6)]
    pub foreigners_total: i64,
    pub version: i64,
}

impl From<&ForecastRow> for ForecastSummary {
    fn from(r: &ForecastRow) -> Self {
        ForecastSummary {
            id: r.id.clone(),
            number: r.number,
            target_year: r.target_year,
            created_at: utc(r.created_at),
            person_type: r.person_type,
            status: r.status,
            notification: r.notification.clone(),
            correction_due: r.correction_due,
            other_notification: r.other_notification.clone(),
            updated_at: utc(r.updated_at),
            submitted_at: r.submitted_at.map(utc),
            tin: r.tin.clone(),
            economic_activity: r.economic_activity.clone(),
            line_count: r.line_count,
            foreigners_total: r.foreigners_total,
            version: r.version,
        }
    }
}

/// One transition of a forecast (SPEC §4.3).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// `null` for the creation of the draft.
    pub from_status: Option<ForecastStatus>,
    pub to_status: ForecastStatus,
    /// The `sub` of the token that acted.
    pub actor: String,
    pub role: Role,
    pub reason: Option<String>,
    #[serde(serialize_with = "domain::time::instant")]
    pub at: DateTime<Utc>,
}

impl From<&HistoryRow> for HistoryEntry {
    fn from(h: &HistoryRow) -> Self {
        HistoryEntry {
            from_status: h.from_status,
            to_status: h.to_status,
            actor: h.actor.clone(),
            role: h.role,
            reason: h.reason.clone(),
            at: utc(h.at),
        }
    }
}

/// An officer's note on accepting a forecast: its "other notification",
/// shown to the employer beside the notification (the body is optional).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Accepted for 2 of the 3 plasterers; the third is a local hire."}))]
pub struct AcceptInput {
    /// Blank is no note.
    #[schema(inline)]
    pub note: Option<Text<0, { domain::forecast::MAX_ACCEPTANCE_NOTE as u64 }>>,
}

/// The reason for returning a forecast, shown to the employer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Line 2: the justification does not name the project."}))]
pub struct ReturnInput {
    #[schema(inline)]
    pub reason: Text<1, { domain::forecast::MAX_REASON as u64 }>,
}

/// The reason for rejecting a forecast (SPEC §16.3.1): shown to the
/// employer as the forecast's notification, in its history and e-mailed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "The demand is not this employer's: the site belongs to another TIN."}))]
pub struct RejectInput {
    #[schema(inline)]
    pub reason: Text<1, { domain::forecast::MAX_REASON as u64 }>,
}

/// The reason for reopening an accepted forecast (SPEC §16.3.2): in its
/// history and e-mailed to the employer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Line 2 counts the same plasterers as line 1."}))]
pub struct ReopenInput {
    #[schema(inline)]
    pub reason: Text<1, { domain::forecast::MAX_REASON as u64 }>,
}
