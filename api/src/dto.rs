//! Request and response bodies: the JSON contract of SPEC §13, with the
//! schemas, limits and examples the OpenAPI document publishes. The limits
//! here mirror the domain constants; the domain enforces them.

use chrono::{DateTime, NaiveDate, Utc};
use persistence::forecasts::{ForecastRecord, ForecastRow, HistoryRow, LineRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a schema enum that mirrors a domain enum, with conversions both ways.
macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident => $domain:path { $($variant:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$name> for $domain {
            fn from(v: $name) -> Self {
                match v { $($name::$variant => <$domain>::$variant),+ }
            }
        }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => $name::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// `physical` (natural person) or `legal` (legal person); must agree with the TIN's last digit.
    PersonType => domain::tin::PersonType { Physical, Legal }
);
mirror_enum!(
    /// Use of the current year's quota: `liberated_territories` (work on territories freed from occupation, exempt from the quota) or `other`.
    QuotaUsage => domain::forecast::QuotaUsage { LiberatedTerritories, Other }
);
mirror_enum!(
    /// Status of a forecast (SPEC §4.3).
    ForecastStatus => domain::status::ForecastStatus { Draft, Submitted, InReview, Returned, Accepted, Withdrawn }
);
mirror_enum!(
    /// A role carried by a token.
    Role => domain::role::Role { Employer, Officer, Commission, Admin }
);

/// The employer section (guideline step 6), stored as a snapshot with the forecast.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Employer {
    pub person_type: PersonType,
    /// VÖEN: 10 digits; the 9th a check digit, the 10th `1` (legal) or `2` (physical).
    #[schema(example = "1012345061", pattern = "^[0-9]{10}$", min_length = 10, max_length = 10)]
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
            person_type: self.person_type.into(),
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
            person_type: domain::tin::PersonType::parse(&r.person_type)
                .unwrap_or(domain::tin::PersonType::Legal)
                .into(),
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
            quota_usage: self.quota_usage.into(),
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
            quota_usage: domain::forecast::QuotaUsage::parse(&l.quota_usage)
                .unwrap_or(domain::forecast::QuotaUsage::Other)
                .into(),
            note: l.note.clone(),
        }
    }
}

/// A new forecast: a draft, or with `"submit": true` created and submitted in one step.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastCreate {
    /// Defaults to the year after today's date in Baku, the only year accepted.
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

/// The employer section and all lines, replacing what the forecast holds.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastReplace {
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
    pub employer: Employer,
    pub lines: Vec<Line>,
}

fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

fn status_of(r: &ForecastRow) -> ForecastStatus {
    r.status().into()
}

impl From<&ForecastRecord> for Forecast {
    fn from(f: &ForecastRecord) -> Self {
        let r = &f.row;
        Forecast {
            id: r.id.clone(),
            number: r.number,
            target_year: r.target_year,
            status: status_of(r),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            submitted_at: r.submitted_at.map(utc),
            notification: r.notification.clone(),
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
            person_type: domain::tin::PersonType::parse(&r.person_type)
                .unwrap_or(domain::tin::PersonType::Legal)
                .into(),
            status: status_of(r),
            notification: r.notification.clone(),
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
        let st =
            |s: &str| domain::status::ForecastStatus::parse(s).unwrap_or(domain::status::ForecastStatus::Draft).into();
        HistoryEntry {
            from_status: h.from_status.as_deref().map(st),
            to_status: st(&h.to_status),
            actor: h.actor.clone(),
            role: domain::role::Role::parse(&h.role).unwrap_or(domain::role::Role::Employer).into(),
            reason: h.reason.clone(),
            at: utc(h.at),
        }
    }
}

/// The reason for returning a forecast, shown to the employer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    #[schema(example = "Line 2: the justification does not name the project.", min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// A page of a list (SPEC §7).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub items: Vec<T>,
    #[schema(example = 1)]
    pub page: u32,
    #[schema(example = 10)]
    pub per_page: u32,
    #[schema(example = 0)]
    pub total: i64,
}

impl<T: ToSchema> Paged<T> {
    pub fn new(items: Vec<T>, page: persistence::Page, total: i64) -> Self {
        Paged { items, page: page.page, per_page: page.per_page, total }
    }
}

/// An entry of the Occupational Classification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Occupation {
    /// ISCO-08 unit group, 4 digits.
    #[schema(example = "6123")]
    pub code: String,
    #[schema(example = "Fermer, ipəkçilik")]
    pub title: String,
    /// The ISCO-08 major group: its digit.
    #[schema(example = "6")]
    pub major_group: String,
    /// The major group's title.
    #[schema(example = "Skilled agricultural, forestry and fishery workers")]
    pub major_group_title: String,
}

/// An economic activity: a NACE Rev. 2 section or division.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EconomicActivity {
    #[schema(example = "41")]
    pub code: String,
    #[schema(example = "Construction of buildings")]
    pub title: String,
    /// `section` or `division`.
    #[schema(example = "division")]
    pub level: String,
    /// The section of a division.
    #[schema(example = "F")]
    pub parent: Option<String>,
}

/// The caller, as its token says.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    pub sub: String,
    pub roles: Vec<Role>,
    /// The TIN an employer acts for.
    pub tin: Option<String>,
    pub name: Option<String>,
    /// For employers: the TIN's contact e-mail.
    pub contact: Option<Contact>,
}

/// An employer's contact e-mail (shared by every user and ERP client of the TIN).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contact {
    /// The confirmed address, if any.
    #[schema(example = "hr@absheron.az")]
    pub email: Option<String>,
    /// Submission needs a confirmed address.
    pub email_confirmed: bool,
    /// An address waiting for its code.
    pub pending_email: Option<String>,
    /// When the pending code expires.
    pub code_expires_at: Option<DateTime<Utc>>,
}

/// The contact e-mail to set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailInput {
    #[schema(example = "hr@absheron.az", max_length = 254)]
    pub email: String,
}

/// The code received by e-mail.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailConfirmInput {
    #[schema(example = "042917", pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub code: String,
}

/// An API client (an employer's ERP system).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiClient {
    #[schema(example = "qc_5f2a9c0e1b7d4a36")]
    pub client_id: String,
    pub name: String,
    pub tin: String,
    pub created_at: DateTime<Utc>,
    pub secret_rotated_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A client with its secret: shown only when created or rotated.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiClientCreated {
    pub client: ApiClient,
    /// Keep it now: it is stored only as a hash and never shown again.
    pub client_secret: String,
}

/// An ERP system to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiClientInput {
    #[schema(example = "Abşeron Tikinti — 1C ERP", min_length = 1, max_length = 200)]
    pub name: String,
    /// The TIN the client acts for.
    #[schema(example = "1012345061", pattern = "^[0-9]{10}$")]
    pub tin: String,
}

/// An OAuth 2.0 access token (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds.
    #[schema(example = 300)]
    pub expires_in: i64,
}

/// An OAuth 2.0 error (RFC 6749 §5.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OAuthError {
    #[schema(example = "invalid_client")]
    pub error: String,
    pub error_description: Option<String>,
}

/// The campaign calendar of a target year: dates inclusive, Asia/Baku (SPEC §4.4).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    #[schema(example = 2027)]
    pub target_year: i32,
    #[schema(example = "2026-01-01")]
    pub opens_on: NaiveDate,
    #[schema(example = "2026-08-01")]
    pub submission_deadline: NaiveDate,
    #[schema(example = "2026-08-31")]
    pub correction_deadline: NaiveDate,
    #[schema(example = "2026-09-15")]
    pub commission_inputs_deadline: NaiveDate,
    #[schema(example = "2026-10-15")]
    pub proposal_deadline: NaiveDate,
    #[schema(example = "2026-12-01")]
    pub approval_deadline: NaiveDate,
    /// `false` while the defaults of the amended calendar apply (ignored on input).
    #[serde(default)]
    pub customized: bool,
}

impl Campaign {
    pub fn from_domain(c: &domain::campaign::Campaign, customized: bool) -> Self {
        Campaign {
            target_year: c.target_year,
            opens_on: c.opens_on,
            submission_deadline: c.submission_deadline,
            correction_deadline: c.correction_deadline,
            commission_inputs_deadline: c.commission_inputs_deadline,
            proposal_deadline: c.proposal_deadline,
            approval_deadline: c.approval_deadline,
            customized,
        }
    }

    pub fn to_domain(&self) -> domain::campaign::Campaign {
        domain::campaign::Campaign {
            target_year: self.target_year,
            opens_on: self.opens_on,
            submission_deadline: self.submission_deadline,
            correction_deadline: self.correction_deadline,
            commission_inputs_deadline: self.commission_inputs_deadline,
            proposal_deadline: self.proposal_deadline,
            approval_deadline: self.approval_deadline,
        }
    }
}

/// Health of the process and its database.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// What an import of the occupational classification changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// Entries new to the classification (or brought back from retirement).
    #[schema(example = 12)]
    pub added: usize,
    /// Entries that were already current.
    #[schema(example = 9800)]
    pub kept: usize,
    /// Entries no longer current (replace mode); retired, never deleted.
    #[schema(example = 3)]
    pub retired: usize,
}

/// A category of work permits exempt from the quota (SPEC §5.3).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExemptionCategory {
    #[schema(example = "liberated_territories")]
    pub code: String,
    pub title_az: String,
    pub title_en: String,
    pub title_ru: String,
    /// Retired categories stay for the permits that name them.
    pub retired: bool,
}

/// The titles of an exemption category.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionInput {
    #[schema(min_length = 1, max_length = 500, example = "Daimi yaşamaq icazəsi olan əcnəbi")]
    pub title_az: String,
    #[schema(min_length = 1, max_length = 500, example = "Holder of a permanent residence permit")]
    pub title_en: String,
    #[schema(min_length = 1, max_length = 500, example = "Иностранец с разрешением на постоянное проживание")]
    pub title_ru: String,
}

/// Figures of one economic activity (or occupation) in a summary.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct SummaryFigures {
    /// Distinct employers (TINs).
    pub employers: i64,
    /// Forecasts counted (absent from occupation drill-downs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecasts: Option<i64>,
    /// Total additional demand (persons).
    pub demand_total: i64,
    /// Foreigners demanded that count toward the quota.
    pub quota_foreigners: i64,
    /// Foreigners demanded in exempt lines (liberated territories).
    pub exempt_foreigners: i64,
}

/// One economic activity (a NACE section) of the summary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummaryActivity {
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = "Construction")]
    pub title: String,
    /// Over accepted forecasts.
    pub accepted: SummaryFigures,
    /// Over forecasts still submitted or in review (only when asked).
    pub pending: Option<SummaryFigures>,
}

/// What the Service hands the Commission for a target year (SPEC §5.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub target_year: i32,
    /// Whether `pending` figures are included.
    pub include_pending: bool,
    pub activities: Vec<SummaryActivity>,
    pub totals: SummaryActivity,
}

/// One occupation of an activity's drill-down.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OccupationSummary {
    #[schema(example = "7123")]
    pub occupation_code: String,
    pub occupation_title: String,
    pub accepted: SummaryFigures,
    pub pending: Option<SummaryFigures>,
}

/// The drill-down of one economic activity per occupation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivitySummary {
    pub target_year: i32,
    pub economic_activity: String,
    pub title: String,
    pub include_pending: bool,
    pub occupations: Vec<OccupationSummary>,
}

/// Status of a quota plan (SPEC §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Proposed,
    Approved,
}

impl From<domain::quota::PlanStatus> for PlanStatus {
    fn from(s: domain::quota::PlanStatus) -> Self {
        match s {
            domain::quota::PlanStatus::Draft => PlanStatus::Draft,
            domain::quota::PlanStatus::Proposed => PlanStatus::Proposed,
            domain::quota::PlanStatus::Approved => PlanStatus::Approved,
        }
    }
}

/// One economic activity of a quota plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanEntry {
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = 1200)]
    pub proposed: i64,
    #[schema(example = 1000)]
    pub approved: Option<i64>,
    /// Non-exempt permits recorded against `approved`.
    pub used: i64,
}

/// The quota plan of a target year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuotaPlan {
    pub target_year: i32,
    pub status: PlanStatus,
    /// The `ETag`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub entries: Vec<PlanEntry>,
}

impl From<&persistence::quota::PlanRecord> for QuotaPlan {
    fn from(p: &persistence::quota::PlanRecord) -> Self {
        QuotaPlan {
            target_year: p.target_year,
            status: p.status.into(),
            version: p.version,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
            entries: p
                .entries
                .iter()
                .map(|e| PlanEntry {
                    economic_activity: e.economic_activity.clone(),
                    proposed: e.proposed,
                    approved: e.approved,
                    used: e.used,
                })
                .collect(),
        }
    }
}

/// A number of a plan entry as sent: `proposed` by the Commission (draft),
/// `approved` by admin (proposed plan).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanEntryInput {
    /// A NACE section.
    #[schema(example = "F", min_length = 1, max_length = 10)]
    pub economic_activity: String,
    #[schema(example = 1200, minimum = 0, maximum = 10000000)]
    pub proposed: Option<i64>,
    #[schema(example = 1000, minimum = 0, maximum = 10000000)]
    pub approved: Option<i64>,
}

/// The entries of a plan, replacing the numbers the caller may set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    #[schema(max_items = 200)]
    pub entries: Vec<PlanEntryInput>,
}

/// One step of a plan's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanHistoryEntry {
    pub from_status: Option<PlanStatus>,
    pub to_status: PlanStatus,
    /// `create`, `edit_proposed`, `propose`, `edit_approved` or `approve`.
    pub action: String,
    pub actor: String,
    pub role: Role,
    pub at: DateTime<Utc>,
}

/// The approved quota of one economic activity, and its use.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuotaActivity {
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = "Construction")]
    pub title: String,
    #[schema(example = 1000)]
    pub approved: i64,
    #[schema(example = 420)]
    pub used: i64,
    #[schema(example = 580)]
    pub remaining: i64,
}

/// The approved quota of a target year (public).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Quota {
    pub target_year: i32,
    pub activities: Vec<QuotaActivity>,
}

/// A work permit to record against the quota (SPEC §5.3).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    #[schema(example = "WP-2027-000123", min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9_./-]{1,64}$")]
    pub permit_ref: String,
    /// A section or division; a division counts under its section.
    #[schema(example = "F", min_length = 1, max_length = 10)]
    pub economic_activity: String,
    /// An exemption category code: the permit consumes nothing.
    #[schema(example = json!(null), max_length = 50)]
    pub exemption: Option<String>,
    /// The employer's TIN, for the forecast-accuracy report.
    #[schema(example = "1012345061", pattern = "^[0-9]{10}$")]
    pub tin: Option<String>,
}

/// A recorded permit and the activity's quota after it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Allocation {
    pub permit_ref: String,
    /// The section the permit counts under.
    pub economic_activity: String,
    pub exemption: Option<String>,
    pub approved: i64,
    pub used: i64,
    pub remaining: i64,
}

/// Forecast against actual, for one activity or employer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccuracyRow {
    /// The economic activity (section) or the employer's TIN.
    pub key: String,
    /// Foreigners in accepted forecasts that count toward the quota.
    pub forecast: i64,
    /// Non-exempt permits recorded and not cancelled.
    pub permits: i64,
    /// `permits − forecast`.
    pub difference: i64,
    /// `permits ÷ forecast`, when anything was forecast.
    pub ratio: Option<f64>,
}

/// How well the forecasts of a year predicted the permits issued.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccuracyReport {
    pub target_year: i32,
    /// `activity` or `employer`.
    pub by: String,
    pub rows: Vec<AccuracyRow>,
}
