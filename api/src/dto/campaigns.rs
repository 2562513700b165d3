//! The campaign calendar body (SPEC §4.4).

use super::common::*;

/// The campaign calendar of a target year: dates inclusive, Asia/Baku (SPEC §4.4).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    #[schema(example = 2027, minimum = 2000, maximum = 2100)]
    pub target_year: i32,
    #[schema(example = "2026-01-01")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub opens_on: NaiveDate,
    #[schema(example = "2026-08-01")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub submission_deadline: NaiveDate,
    #[schema(example = "2026-08-31")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub correction_deadline: NaiveDate,
    #[schema(example = "2026-09-15")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub commission_inputs_deadline: NaiveDate,
    #[schema(example = "2026-10-15")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub proposal_deadline: NaiveDate,
    #[schema(example = "2026-12-01")]
    #[serde(deserialize_with = "crate::extract::date")]
    pub approval_deadline: NaiveDate,
    /// `false` while the defaults of the amended calendar apply (ignored on input).
    #[serde(default)]
    #[schema(example = false)]
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
