//! The campaign calendar body (SPEC §4.4).

use super::common::*;

/// The campaign calendar of a target year: dates inclusive, Asia/Baku (SPEC §4.4).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"target_year": 2027, "opens_on": "2026-01-01", "submission_deadline": "2026-08-01",
    "correction_deadline": "2026-08-31", "commission_inputs_deadline": "2026-09-15",
    "proposal_deadline": "2026-10-15", "approval_deadline": "2026-12-01", "customized": false}))]
pub struct Campaign {
    #[schema(inline)]
    pub target_year: domain::filing::TargetYear,
    #[serde(deserialize_with = "crate::extract::date")]
    pub opens_on: NaiveDate,
    #[serde(deserialize_with = "crate::extract::date")]
    pub submission_deadline: NaiveDate,
    #[serde(deserialize_with = "crate::extract::date")]
    pub correction_deadline: NaiveDate,
    #[serde(deserialize_with = "crate::extract::date")]
    pub commission_inputs_deadline: NaiveDate,
    #[serde(deserialize_with = "crate::extract::date")]
    pub proposal_deadline: NaiveDate,
    #[serde(deserialize_with = "crate::extract::date")]
    pub approval_deadline: NaiveDate,
    /// `false` while the defaults of the amended calendar apply (ignored on input).
    #[serde(default)]
    pub customized: bool,
}

impl Campaign {
    pub fn from_domain(c: &domain::campaign::Campaign, customized: bool) -> Self {
        Campaign {
            target_year: i64::from(c.target_year).into(),
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
            // A number beyond any year is no year: refused as not the path's.
            target_year: i32::try_from(self.target_year.get()).unwrap_or(0),
            opens_on: self.opens_on,
            submission_deadline: self.submission_deadline,
            correction_deadline: self.correction_deadline,
            commission_inputs_deadline: self.commission_inputs_deadline,
            proposal_deadline: self.proposal_deadline,
            approval_deadline: self.approval_deadline,
        }
    }
}
