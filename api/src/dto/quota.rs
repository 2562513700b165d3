//! Bodies of the summary, the quota plan and permits (SPEC §5).

use super::common::*;

/// One economic activity of a quota plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanEntry {
    #[schema(example = "F")]
    pub economic_activity: String,
    /// The Commission's number; `null` for an activity the Cabinet added.
    #[schema(example = 1200)]
    pub proposed: Option<i64>,
    #[schema(example = 1000)]
    pub approved: Option<i64>,
    /// Non-exempt permits recorded against `approved`.
    pub used: i64,
    /// The Commission's inputs for this activity (SPEC §16.2): each body's
    /// figures for the section or one of its divisions, and the SMS's
    /// computed work-permit figures.
    pub inputs: Vec<super::commission_inputs::SourcedFigure>,
}

/// The Cabinet order that approved or amended the quota (SPEC §16.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CabinetOrder {
    #[schema(example = "123s")]
    pub number: String,
    pub date: NaiveDate,
}

impl From<&domain::quota::CabinetOrder> for CabinetOrder {
    fn from(o: &domain::quota::CabinetOrder) -> Self {
        CabinetOrder { number: o.number.clone(), date: o.date }
    }
}

/// The latest amendment of an approved quota.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmendmentHead {
    pub number: i32,
    pub order: CabinetOrder,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
}

impl From<&persistence::quota::AmendmentRow> for AmendmentHead {
    fn from(a: &persistence::quota::AmendmentRow) -> Self {
        AmendmentHead {
            number: a.number,
            order: CabinetOrder { number: a.order_number.clone(), date: a.order_date },
            created_at: a.created_at.and_utc(),
        }
    }
}

/// The quota plan of a target year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuotaPlan {
    pub target_year: i32,
    pub status: PlanStatus,
    /// The `ETag`.
    pub version: i64,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "domain::time::instant")]
    pub updated_at: DateTime<Utc>,
    /// When the plan was approved.
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub approved_at: Option<DateTime<Utc>>,
    /// The Cabinet order that approved it, when one was recorded.
    pub order: Option<CabinetOrder>,
    /// Approved after the campaign's approval deadline (SPEC §16.1.1).
    pub late: bool,
    /// The latest amendment, if any (SPEC §16.1.4).
    pub last_amendment: Option<AmendmentHead>,
    pub entries: Vec<PlanEntry>,
}

impl From<&persistence::quota::PlanRecord> for QuotaPlan {
    fn from(p: &persistence::quota::PlanRecord) -> Self {
        QuotaPlan {
            target_year: p.target_year,
            status: p.status,
            version: p.version,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
            approved_at: p.approval.as_ref().map(|a| a.at.and_utc()),
            order: p.approval.as_ref().and_then(|a| a.order.as_ref()).map(CabinetOrder::from),
            late: p.approval.as_ref().is_some_and(|a| a.late),
            last_amendment: p.last_amendment.as_ref().map(AmendmentHead::from),
            entries: p
                .entries
                .iter()
                .map(|e| PlanEntry {
                    economic_activity: e.economic_activity.clone(),
                    proposed: e.proposed,
                    approved: e.approved,
                    used: e.used,
                    inputs: p
                        .inputs
                        .iter()
                        .filter(|i| i.figure.section == e.economic_activity)
                        .map(|i| super::commission_inputs::SourcedFigure {
                            body: i.body.clone(),
                            figure: super::commission_inputs::InputFigure::from(&i.figure),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// An economic activity's code as a request sends it (a NACE section or division).
pub type ActivityCode = Text<1, { domain::forecast::MAX_ACTIVITY_CODE }>;

/// A number of a quota: from 0 to [`domain::quota::MAX_QUOTA`].
pub type QuotaNumber = Number<0, { domain::quota::MAX_QUOTA }>;

/// A number of a plan entry as sent: `proposed` by the Commission (draft),
/// `approved` by admin (proposed plan).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"economic_activity": "F", "proposed": 1200, "approved": 1000}))]
pub struct PlanEntryInput {
    /// A NACE section.
    #[schema(inline)]
    pub economic_activity: ActivityCode,
    #[schema(inline)]
    pub proposed: Option<QuotaNumber>,
    #[schema(inline)]
    pub approved: Option<QuotaNumber>,
}

/// The entries of a plan as sent: at most [`domain::quota::MAX_PLAN_ENTRIES`].
pub type PlanEntries = List<PlanEntryInput, { domain::quota::MAX_PLAN_ENTRIES }>;

/// The entries of a plan, replacing the numbers the caller may set.
///
/// The example is the Commission's proposal for a draft plan; admin sends
/// `approved` numbers once the plan is proposed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"entries": [{"economic_activity": "F", "proposed": 1200}]}))]
pub struct PlanInput {
    #[schema(inline)]
    pub entries: PlanEntries,
}

/// One step of a plan's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanHistoryEntry {
    pub from_status: Option<PlanStatus>,
    pub to_status: PlanStatus,
    /// `create`, `edit_proposed`, `propose`, `edit_approved`, `approve`,
    /// `return`, `withdraw_proposal` or `amend`.
    pub action: String,
    pub actor: String,
    pub role: Role,
    #[serde(serialize_with = "domain::time::instant")]
    pub at: DateTime<Utc>,
    /// The reason of a return or a withdrawal.
    pub reason: Option<String>,
    /// The Cabinet order of an approval or an amendment.
    pub order: Option<CabinetOrder>,
    /// The number of the amendment this step made.
    pub amendment: Option<i32>,
}

impl From<&persistence::quota::PlanHistoryRow> for PlanHistoryEntry {
    fn from(h: &persistence::quota::PlanHistoryRow) -> Self {
        PlanHistoryEntry {
            from_status: h.from_status,
            to_status: h.to_status,
            action: h.action.clone(),
            actor: h.actor.clone(),
            role: h.role,
            at: h.at.and_utc(),
            reason: h.reason.clone(),
            order: h.order_number.clone().zip(h.order_date).map(|(number, date)| CabinetOrder { number, date }),
            amendment: h.amendment,
        }
    }
}

/// The Cabinet order sent with an approval: optional until the approval
/// deadline, required after it (SPEC §16.1.1).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"order_number": "123s", "order_date": "2026-11-28"}))]
pub struct ApprovalInput {
    #[schema(inline)]
    pub order_number: Option<Text<0, { domain::quota::MAX_ORDER_NUMBER }>>,
    #[schema(inline)]
    pub order_date: Option<domain::value::Date>,
}

/// Why admin sends a proposal back to the Commission (SPEC §16.1.3).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Section Q needs the Ministry of Health's figures."}))]
pub struct PlanReturnInput {
    #[schema(inline)]
    pub reason: Text<1, { domain::quota::MAX_PLAN_REASON }>,
}

/// Why the Commission takes its proposal back (optional).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "The labour market forecast arrived late."}))]
pub struct PlanWithdrawInput {
    #[schema(inline)]
    pub reason: Option<Text<0, { domain::quota::MAX_PLAN_REASON }>>,
}

/// One entry of an amendment: the activity's new approved number.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"economic_activity": "T", "approved": 300}))]
pub struct AmendmentEntryInput {
    #[schema(inline)]
    pub economic_activity: ActivityCode,
    #[schema(inline)]
    pub approved: QuotaNumber,
}

/// The entries of an amendment: at most [`domain::quota::MAX_PLAN_ENTRIES`].
pub type AmendmentEntries = List<AmendmentEntryInput, { domain::quota::MAX_PLAN_ENTRIES }>;

/// An amendment of the approved quota by Cabinet order (SPEC §16.1.4).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"order_number": "45s", "order_date": "2026-12-01",
    "entries": [{"economic_activity": "F", "approved": 1200}, {"economic_activity": "T", "approved": 300}]}))]
pub struct AmendmentInput {
    #[schema(inline)]
    pub order_number: Text<1, { domain::quota::MAX_ORDER_NUMBER }>,
    #[schema(inline)]
    pub order_date: domain::value::Date,
    #[schema(inline)]
    pub entries: AmendmentEntries,
}

/// One entry of an amendment as made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmendmentEntry {
    pub economic_activity: String,
    /// `null` for an activity the amendment added.
    pub approved_before: Option<i64>,
    pub approved: i64,
}

/// An amendment of the approved quota: numbered, never changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Amendment {
    pub number: i32,
    pub order: CabinetOrder,
    #[serde(serialize_with = "domain::time::instant")]
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub entries: Vec<AmendmentEntry>,
}

impl From<&persistence::quota::AmendmentRecord> for Amendment {
    fn from(a: &persistence::quota::AmendmentRecord) -> Self {
        Amendment {
            number: a.row.number,
            order: CabinetOrder { number: a.row.order_number.clone(), date: a.row.order_date },
            created_at: a.row.created_at.and_utc(),
            created_by: a.row.created_by.clone(),
            entries: a
                .entries
                .iter()
                .map(|e| AmendmentEntry {
                    economic_activity: e.economic_activity.clone(),
                    approved_before: e.approved_before,
                    approved: e.approved,
                })
                .collect(),
        }
    }
}

/// The approved quota of one economic activity, and its use.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuotaActivity {
    #[schema(example = "F")]
    pub economic_activity: String,
    #[schema(example = "Construction")]
    pub title: String,
    /// False for an activity the quota does not name that has exempt permits.
    pub in_quota: bool,
    #[schema(example = 1000)]
    pub approved: i64,
    #[schema(example = 420)]
    pub used: i64,
    #[schema(example = 580)]
    pub remaining: i64,
    /// Exempt permits recorded (they take no unit).
    #[schema(example = 35)]
    pub exempt: i64,
    /// Permits ended early or revoked (their units stay used).
    #[schema(example = 3)]
    pub ended: i64,
}

/// The quota's figures over all activities.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct QuotaTotals {
    pub approved: i64,
    pub used: i64,
    pub remaining: i64,
    pub exempt: i64,
    pub ended: i64,
}

/// The approved quota of a target year (public).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Quota {
    pub target_year: i32,
    #[serde(serialize_with = "domain::time::optional_instant")]
    pub approved_at: Option<DateTime<Utc>>,
    /// The Cabinet order that approved it, when one was recorded.
    pub order: Option<CabinetOrder>,
    /// Approved after the campaign's approval deadline.
    pub late: bool,
    /// The latest amendment, whose figures these are.
    pub last_amendment: Option<AmendmentHead>,
    pub totals: QuotaTotals,
    pub activities: Vec<QuotaActivity>,
}

/// Why a permit ends (SPEC §16.1.6).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "terminated_early", "effective_on": "2027-03-15"}))]
pub struct PermitEndInput {
    pub reason: domain::quota::PermitEnd,
    /// The day it took effect: required unless recorded in error.
    #[schema(inline)]
    pub effective_on: Option<domain::value::Date>,
}

/// How a permit ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermitEnding {
    pub reason: domain::quota::PermitEnd,
    pub effective_on: NaiveDate,
}

/// A work permit to record against the quota (SPEC §5.3).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"permit_ref": "WP-2027-000123", "economic_activity": "F", "exemption": null, "tin": "1012345061"}))]
pub struct AllocationInput {
    #[schema(inline)]
    pub permit_ref: domain::quota::PermitRefText,
    /// A section or division; a division counts under its section.
    #[schema(inline)]
    pub economic_activity: ActivityCode,
    /// An exemption category code: the permit consumes nothing.
    #[schema(inline)]
    pub exemption: Option<Text<0, { domain::reference::MAX_EXEMPTION_CODE as u64 }>>,
    /// The employer's TIN, for the forecast-accuracy report.
    #[schema(inline)]
    pub tin: Option<domain::tin::TinText>,
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
    /// Set once the permit ended (SPEC §16.1.6).
    pub ended: Option<PermitEnding>,
}
