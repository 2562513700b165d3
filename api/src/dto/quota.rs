//! Bodies of the summary, the quota plan and permits (SPEC §5).

use super::common::*;

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
            status: p.status,
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
    /// `create`, `edit_proposed`, `propose`, `edit_approved` or `approve`.
    pub action: String,
    pub actor: String,
    pub role: Role,
    pub at: DateTime<Utc>,
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
}
