//! Bodies of the forecast resources (SPEC §4, §13).

use super::common::*;

/// The employer section (guideline step 6), stored as a snapshot with the forecast.
/// The example is a legal person; a physical person (TIN ending in 2) sends
/// `name`, `surname` and `patronymic` instead of the organisation's name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_type": "legal", "tin": "1012345061", "organization_name": "Abşeron Tikinti MMC", "legal_form": "MMC",
        "name": null, "surname": null, "patronymic": null,
        "legal_address": "Bakı, Nizami küç. 1", "current_address": "Bakı, Nizami küç. 1",
        "workplace_address": "Sumqayıt, Sənaye zonası", "tin_issued_on": "2015-03-02",
        "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"}))]
pub struct Employer {
    pub person_type: PersonType,
    /// VÖEN: 10 digits; the 9th a check digit, the 10th `1` (legal) or `2` (physical).
    #[schema(example = "1012345061", pattern = "^[0-9]{9}[12]$", min_length = 10, max_length = 10)]
    pub tin: String,
    /// Required for a legal person.
    #[schema(example = "Abşeron Tikinti MMC", max_length = 300)]
    pub organization_name: Option<String>,
    #[schema(example = "MMC", max_length = 100)]
    pub legal_form: Option<String>,
    /// Required for a physical person.
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// Required for a physical person.
    #[schema(max_length = 100)]
    pub surname: Option<String>,
    /// Required for a physical person.
    #[schema(max_length = 100)]
    pub patronymic: Option<String>,
    #[schema(example = "Bakı, Nizami küç. 1", min_length = 1, max_length = 500)]
    pub legal_address: String,
    #[schema(example = "Bakı, Nizami küç. 1", min_length = 1, max_length = 500)]
    pub current_address: String,
    #[schema(example = "Sumqayıt, Sənaye zonası", min_length = 1, max_length = 500)]
    pub workplace_address: String,
    /// Date of issue of the TIN certificate; not in the future.
    #[schema(example = "2015-03-02")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub tin_issued_on: NaiveDate,
    #[schema(example = 120, minimum = 0, maximum = 1000000)]
    pub employees_total: i64,
    /// At most `employees_total`.
    #[schema(example = 4, minimum = 0, maximum = 1000000)]
    pub foreign_workers: i64,
    /// Code of the economic activity (NACE Rev. 2 section or division).
    #[schema(example = "F", min_length = 1, max_length = 10)]
    pub economic_activity: String,
}

impl Employer {
    pub fn to_domain(&self) -> domain::forecast::EmployerInput {
        domain::forecast::EmployerInput {
            person_type: self.person_type,
            tin: self.tin.clone(),
            organization_name: self.organization_name.clone(),
            legal_form: self.legal_form.clone(),
            name: self.name.clone(),
            surname: self.surname.clone(),
            patronymic: self.patronymic.clone(),
            legal_address: Some(self.legal_address.clone()),
            current_address: Some(self.current_address.clone()),
            workplace_address: Some(self.workplace_address.clone()),
            tin_issued_on: self.tin_issued_on,
            employees_total: self.employees_total,
            foreign_workers: self.foreign_workers,
            economic_activity: Some(self.economic_activity.clone()),
        }
    }

    fn from_row(r: &ForecastRow) -> Employer {
        Employer {
            person_type: r.person_type,
            tin: r.tin.clone(),
            organization_name: r.organization_name.clone(),
            legal_form: r.legal_form.clone(),
            name: r.name.clone(),
            surname: r.surname.clone(),
            patronymic: r.patronymic.clone(),
            legal_address: r.legal_address.clone(),
            current_address: r.current_address.clone(),
            workplace_address: r.workplace_address.clone(),
            tin_issued_on: r.tin_issued_on,
            employees_total: r.employees_total,
            foreign_workers: r.foreign_workers,
            economic_activity: r.economic_activity.clone(),
        }
    }
}

/// One forecast line as sent (guideline step 7).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"occupation_code": "7123", "occupation_title": "Bənna, xarici suvaq", "demand_total": 3,
    "demand_foreigners": 3, "justification": "No local plasterers available for facade work", "quota_usage": "other",
    "note": "Facade works, Sumqayıt site"}))]
pub struct LineInput {
    /// Unit-group code; `110` is read as `0110`.
    #[schema(example = "7123", pattern = "^[0-9]{3,4}$", min_length = 3, max_length = 4)]
    pub occupation_code: String,
    /// A title of that code in the classification (case is not significant).
    #[schema(example = "Bənna, xarici suvaq", min_length = 1, max_length = 300)]
    pub occupation_title: String,
    /// Demand for additional manpower, total number of persons.
    #[schema(example = 3, minimum = 1, maximum = 1000000)]
    pub demand_total: i64,
    /// Of which foreigners: 1 to `demand_total`.
    #[schema(example = 3, minimum = 1, maximum = 1000000)]
    pub demand_foreigners: i64,
    /// Justification for attracting foreign labour.
    #[schema(example = "No local plasterers available for facade work", min_length = 1, max_length = 2000)]
    pub justification: String,
    pub quota_usage: QuotaUsage,
    #[schema(example = "Facade works, Sumqayıt site", max_length = 500)]
    pub note: Option<String>,
}

impl LineInput {
    pub fn to_domain(&self) -> domain::forecast::LineInput {
        domain::forecast::LineInput {
            occupation_code: self.occupation_code.clone(),
            occupation_title: Some(self.occupation_title.clone()),
            demand_total: self.demand_total,
            demand_foreigners: self.demand_foreigners,
            justification: Some(self.justification.clone()),
            quota_usage: self.quota_usage,
            note: self.note.clone(),
        }
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

/// The employer and lines of the create and replace examples.
fn example_parts() -> (serde_json::Value, serde_json::Value) {
    let employer = serde_json::json!({"person_type": "legal", "tin": "1012345061", "organization_name": "Abşeron Tikinti MMC",
        "legal_form": "MMC", "name": null, "surname": null, "patronymic": null,
        "legal_address": "Bakı, Nizami küç. 1", "current_address": "Bakı, Nizami küç. 1",
        "workplace_address": "Sumqayıt, Sənaye zonası", "tin_issued_on": "2015-03-02",
        "employees_total": 120, "foreign_workers": 4, "economic_activity": "F"});
    let lines = serde_json::json!([{"occupation_code": "6123", "occupation_title": "Fermer, ipəkçilik", "demand_total": 2,
        "demand_foreigners": 1, "justification": "No local sericulturists for the new plantation",
        "quota_usage": "other", "note": null}]);
    (employer, lines)
}

fn create_example() -> serde_json::Value {
    let (employer, lines) = example_parts();
    serde_json::json!({"submit": false, "employer": employer, "lines": lines})
}

fn replace_example() -> serde_json::Value {
    let (employer, lines) = example_parts();
    serde_json::json!({"employer": employer, "lines": lines})
}

/// A new forecast: a draft, or with `"submit": true` created and submitted in one step.
///
/// The example creates a draft for the employer of TIN 1012345061 (mint its token with
/// `quota-api token --role employer --tin 1012345061`). Submitting needs the target
/// year's campaign open (admin: `PUT /api/v1/campaigns/{year}`) and a confirmed e-mail.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = create_example)]
pub struct ForecastCreate {
    /// Any year after the current one (Baku time) whose campaign's submission
    /// deadline has not passed; defaults to the earliest such year. One
    /// forecast per employer and year.
    #[schema(example = 2027, minimum = 2000, maximum = 2100)]
    pub target_year: Option<i64>,
    /// Submit at once (an ERP system's single call).
    #[serde(default)]
    pub submit: bool,
    pub employer: Employer,
    /// At most 200; none in a draft is fine.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub lines: Vec<LineInput>,
}

impl ForecastCreate {
    /// The filing as the use case reads it.
    pub fn into_domain(self) -> domain::filing::NewForecastInput {
        domain::filing::NewForecastInput {
            target_year: self.target_year,
            employer: self.employer.to_domain(),
            lines: self.lines.iter().map(LineInput::to_domain).collect(),
            submit: self.submit,
        }
    }
}

/// The employer section and all lines, replacing what the forecast holds.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = replace_example)]
pub struct ForecastReplace {
    /// Omitted: unchanged. A draft may move to another year whose campaign
    /// takes forecasts; other statuses keep theirs.
    #[schema(example = 2027, minimum = 2000, maximum = 2100)]
    pub target_year: Option<i64>,
    pub employer: Employer,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub lines: Vec<LineInput>,
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// The latest return reason from the Service.
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
            employer: Employer::from_row(r),
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
    pub created_at: DateTime<Utc>,
    pub person_type: PersonType,
    pub status: ForecastStatus,
    /// The latest return reason.
    pub notification: Option<String>,
    /// While returned: the last day to correct and resubmit.
    pub correction_due: Option<NaiveDate>,
    /// The officer's note on acceptance, beside `notification`.
    pub other_notification: Option<String>,
    pub updated_at: DateTime<Utc>,
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
pub struct AcceptInput {
    /// Blank is no note.
    #[schema(example = "Accepted for 2 of the 3 plasterers; the third is a local hire.", max_length = 2000)]
    pub note: Option<String>,
}

/// The reason for returning a forecast, shown to the employer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    #[schema(example = "Line 2: the justification does not name the project.", min_length = 1, max_length = 2000)]
    pub reason: String,
}
